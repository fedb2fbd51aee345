/**
 * One broken sheet never stops the rest. A sheet whose reads always fail
 * (the emulator answers 500 for that spreadsheet only, after the adapter's own retries) holds
 * the Drive page token for QUARANTINE_AFTER polls, as a transient failure may; then it is
 * quarantined (recorded in Firestore, flagged on the unit's row of the master's status tab),
 * the token advances, the other sheets go on being processed, and the poll retries it with
 * backoff until, once the sheet works again, it is processed and the flag goes away.
 * A failure that retrying cannot cure is quarantined at the first poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChanges } from '../../functions/app/change-detection.js';
import { currentMasterView } from '../../functions/app/master.js';
import { QUARANTINE_AFTER, retryDelayMs } from '../../functions/app/quarantine.js';
import { registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
let stack: TestStack;
let ids: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  ids = await registerUnitSheets(stack, ROUND, ['ubnd-soc-son', 'ubnd-dong-anh', 'ubnd-gia-lam']);
}, 60_000);
afterAll(async () => {
  stack.sheets.faults.clear();
  await stack.triggersIdle();
  await stack.dispose();
});

const stateOf = (unitId: string) => stack.runtime.store.state(ROUND, unitId);
const pageToken = async () => (await stack.runtime.store.meta('driveWatch')).pageToken;
const typo = (unitId: string, value: string) =>
  stack.type(unitId, ROUND, [{ kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value }]);
const flagsOf = async (unitId: string) => {
  const view = await currentMasterView(stack.runtime, stack.clock.now);
  return view.rounds.find((r) => r.roundId === ROUND)!.units.find((u) => u.unitId === unitId)!.flags;
};

describe('a sheet whose reads always fail', () => {
  it('holds the feed for a few polls, is then quarantined and flagged; the token advances and the others are processed', async () => {
    const broken = ids['ubnd-soc-son']!;
    await typo('ubnd-soc-son', 'mười');
    await typo('ubnd-dong-anh', 'hai chục');
    stack.sheets.faults.set({ rate500: 1, apis: ['sheets'], spreadsheetIds: [broken] });
    const tokenBefore = await pageToken();

    for (let poll = 1; poll < QUARANTINE_AFTER; poll++) {
      await expect(pollChanges(stack.runtime)).rejects.toThrow(/page token kept/);
      expect(await pageToken()).toBe(tokenBefore);
    }
    // The healthy sheet was processed on the first of those polls all the same.
    expect((await stateOf('ubnd-dong-anh'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);

    const last = await pollChanges(stack.runtime);
    expect(last.outcomes.quarantined).toBe(1);
    expect(await pageToken()).not.toBe(tokenBefore);
    const [record] = await stack.runtime.store.sheetFailures();
    expect(record).toMatchObject({
      spreadsheetId: broken,
      unitId: 'ubnd-soc-son',
      roundId: ROUND,
      quarantined: true,
      transient: true,
      attempts: QUARANTINE_AFTER,
    });
    expect(record!.error).toMatch(/^500/);
    expect(record!.nextRetryAt).toBeGreaterThan(stack.sheets.clock.now());
    expect(await flagsOf('ubnd-soc-son')).toEqual([
      expect.objectContaining({
        rule: 'sheet.quarantined',
        reason: expect.stringContaining(`sau ${QUARANTINE_AFTER} lần thử`),
      }),
    ]);
    expect(await stateOf('ubnd-soc-son')).toBeNull();

    // Later edits of other sheets go through; the quarantined one is not retried before its time.
    await typo('ubnd-gia-lam', 'ba mươi');
    const next = await pollChanges(stack.runtime);
    expect(next.outcomes).toEqual({ processed: 1 });
    expect((await stateOf('ubnd-gia-lam'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);
  });

  it('is retried with backoff and, once it works again, processed and no longer flagged', async () => {
    // Due, but still broken: retried, stays quarantined, next retry later.
    const first = (await stack.runtime.store.sheetFailures())[0]!;
    stack.sheets.clock.advance(first.nextRetryAt - stack.sheets.clock.now() + 1);
    const stillBroken = await pollChanges(stack.runtime);
    expect(stillBroken.outcomes['still-quarantined']).toBe(1);
    const second = (await stack.runtime.store.sheetFailures())[0]!;
    expect(second.attempts).toBe(first.attempts + 1);
    // Backoff: each failed retry waits twice as long (Google's clock).
    expect(retryDelayMs(second.attempts)).toBe(2 * retryDelayMs(first.attempts));
    expect(second.nextRetryAt - stack.sheets.clock.now()).toBeGreaterThan(retryDelayMs(second.attempts) - 60_000);

    stack.sheets.faults.clear(); // the sheet works again
    expect((await pollChanges(stack.runtime)).outcomes).toEqual({}); // not due yet
    stack.sheets.clock.advance(second.nextRetryAt - stack.sheets.clock.now() + 1);
    const recovered = await pollChanges(stack.runtime);
    expect(recovered.outcomes).toMatchObject({ processed: 1, recovered: 1 });
    expect((await stateOf('ubnd-soc-son'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);
    expect(await stack.runtime.store.sheetFailures()).toEqual([]);
    expect(await flagsOf('ubnd-soc-son')).toEqual([]);
  });
});

describe('a failure that retrying cannot cure', () => {
  it('is quarantined at the first poll, without holding the feed', async () => {
    const runtime = stack.runtime;
    const broken = ids['ubnd-dong-anh']!;
    await typo('ubnd-dong-anh', 'bốn');
    await typo('ubnd-gia-lam', 'năm');
    const refusing = {
      ...runtime,
      workbooks: Object.assign(Object.create(runtime.workbooks), {
        read: async (id: string) => {
          if (id === broken) throw Object.assign(new Error('The caller does not have permission'), { status: 403 });
          return runtime.workbooks.read(id);
        },
      }),
    };
    const tokenBefore = await pageToken();
    const result = await pollChanges(refusing);
    expect(result.outcomes).toMatchObject({ processed: 1, quarantined: 1 });
    expect(await pageToken()).not.toBe(tokenBefore);
    expect(await stack.runtime.store.sheetFailures()).toEqual([
      expect.objectContaining({
        spreadsheetId: broken,
        quarantined: true,
        transient: false,
        attempts: 1,
        error: '403: The caller does not have permission',
      }),
    ]);
  });
});
