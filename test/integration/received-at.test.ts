/**
 * A submission counts from when the clerk saved it in Google Sheets (DOMAIN.md "Submission"),
 * never from when the pipeline got to it and never from the service account's own writes into
 * the sheet: Drive's modifiedTime moves with our feedback writes too. Google's clock (the
 * emulator's) lives here on the campaign's last day, so Drive's own times decide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChanges } from '../../functions/app/change-detection.js';
import { processUnitSheet, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { LOCAL_SERVICE_ACCOUNT, registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, submissionEntries, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
const at = (iso: string) => Date.parse(iso);
let stack: TestStack;
let ids: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack({
    at: '2020-07-14T23:50:00+07:00',
    sheetsClockStartAt: at('2020-07-14T23:50:00+07:00'),
  });
  ids = await registerUnitSheets(stack, ROUND, ['ubnd-ba-dinh', 'ubnd-hoan-kiem']);
}, 60_000);
afterAll(() => stack.dispose());

/** Moves Google's clock (the emulator's, which only goes forward) and the functions' clock to `iso`. */
function clocksTo(iso: string): void {
  const target = at(iso);
  const google = stack.sheets.clock.now();
  if (target < google) throw new Error(`Google's clock is already past ${iso}`);
  stack.sheets.clock.advance(target - google);
  stack.clock.set(target);
}

const tickField = () =>
  stack.runtime.model.campaign.confirmation.fields.find((f) => f.type === 'submit-checkbox')!.code;

/** The whole submission typed by the unit's clerk, but the "Đã hoàn thành, gửi báo cáo" box left blank. */
async function typeAllButTheTick(unitId: string): Promise<void> {
  const sub = validSubmission(stack.runtime.model, unitId, ROUND);
  const { [tickField()]: _tick, ...rest } = sub.confirmation;
  await stack.type(unitId, ROUND, submissionEntries({ ...sub, confirmation: rest }));
}
const tick = (unitId: string) =>
  stack.type(unitId, ROUND, [{ kind: 'form', table: 'xac_nhan', field: tickField(), value: true }]);

describe('the time a submission is received', () => {
  it("is the clerk's save: ticked at 23:58 on 14/07, feedback for an earlier edit written at 00:01, processed at 00:03 → on time", async () => {
    await typeAllButTheTick('ubnd-ba-dinh');
    clocksTo('2020-07-14T23:55:00+07:00');
    // A run for the earlier edit reads the sheet at 23:55 (box not ticked yet); the clerk ticks
    // at 23:58 while it works; its feedback reaches the sheet at 00:01.
    const slowRun: PipelineDeps = {
      ...stack.runtime,
      workbooks: Object.assign(Object.create(stack.runtime.workbooks), {
        writeFeedback: async (...args: Parameters<typeof stack.runtime.workbooks.writeFeedback>) => {
          clocksTo('2020-07-14T23:58:00+07:00');
          await tick('ubnd-ba-dinh');
          clocksTo('2020-07-15T00:01:00+07:00');
          return stack.runtime.workbooks.writeFeedback(...args);
        },
      }),
    };
    const first = await processUnitSheet(slowRun, ids['ubnd-ba-dinh']!);
    expect(first.outcome === 'processed' && first.accepted).toBe(false);
    const afterFeedback = stack.sheets.getDriveFileState(ids['ubnd-ba-dinh']!)!;
    expect(afterFeedback.lastModifyingUserEmail).toBe(LOCAL_SERVICE_ACCOUNT); // Drive's modifiedTime is now ours, 00:01
    expect(afterFeedback.modifiedTime).toBeGreaterThanOrEqual(at('2020-07-15T00:01:00+07:00'));

    clocksTo('2020-07-15T00:03:00+07:00');
    const poll = await pollChanges(stack.runtime);
    expect(poll.outcomes.processed).toBe(1);
    const sub = await stack.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.late).toBe(false);
    expect(sub!.acceptedAt).toBeGreaterThanOrEqual(at('2020-07-14T23:58:00+07:00'));
    expect(sub!.acceptedAt).toBeLessThan(at('2020-07-14T23:59:00+07:00'));
    expect((await stack.runtime.store.state(ROUND, 'ubnd-ba-dinh'))?.status).toBe('ready');
  });

  it('saved after the deadline is late, whenever it is processed', async () => {
    clocksTo('2020-07-15T00:04:00+07:00');
    await stack.typeSubmission('ubnd-hoan-kiem', ROUND);
    const outcome = await stack.process('ubnd-hoan-kiem', ROUND);
    expect(outcome.outcome === 'processed' && outcome.accepted).toBe(true);
    const sub = await stack.runtime.store.submission(ROUND, 'ubnd-hoan-kiem');
    expect(sub?.late).toBe(true);
    expect(sub!.acceptedAt).toBeGreaterThanOrEqual(at('2020-07-15T00:04:00+07:00'));
  });

  it("is never later than the pipeline's clock (a replayed or simulated campaign runs behind Google)", async () => {
    stack.clock.set('2020-07-14T22:00:00+07:00'); // Google's clock stays at 00:04 on 15/07
    await stack.type('ubnd-ba-dinh', ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.dai_chung', value: 121 },
    ]);
    const outcome = await stack.process('ubnd-ba-dinh', ROUND);
    expect(outcome.outcome === 'processed' && outcome.accepted).toBe(true);
    const sub = await stack.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.acceptedAt).toBe(at('2020-07-14T22:00:00+07:00'));
    expect(sub?.versionCount).toBe(2);
    expect(sub?.late).toBe(false); // the first accepted version decides lateness
  });
});
