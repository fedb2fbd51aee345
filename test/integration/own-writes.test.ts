/**
 * The system recognises its own writes into a unit sheet without assuming
 * that Drive's `version` moves by one per write (Drive documents it only as increasing), and
 * while Drive's metadata lags a write. Our feedback write is never read back as if a clerk had
 * edited; a clerk's edit made between our read and our feedback write is never lost.
 * The emulator here moves `version` by 3 per write and lets files.get/revisions lag 300 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChanges } from '../../functions/app/change-detection.js';
import { isOwnWrite, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import type { FileMeta } from '../../functions/adapters/drive-files.js';
import { LOCAL_SERVICE_ACCOUNT, registerUnitSheets, requestsSince } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
let stack: TestStack;
let ids: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  ids = await registerUnitSheets(stack, ROUND, ['ubnd-tay-ho', 'ubnd-long-bien']);
  stack.sheets.drive.set({ versionStep: { min: 3, max: 3 }, metadataLagMs: 300 });
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

const stateOf = (unitId: string) => stack.runtime.store.state(ROUND, unitId);
const sheetReadsOf = (spreadsheetId: string) => (e: { api: string; kind: string; spreadsheetId?: string }) =>
  e.api === 'sheets' && e.kind === 'read' && e.spreadsheetId === spreadsheetId;
const typo = (unitId: string, value: string) =>
  stack.type(unitId, ROUND, [{ kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value }]);

describe("the system's own writes", () => {
  it('our feedback write, moving the version by 3 and seen late by files.get, is never read back; the state catches up with it', async () => {
    const id = ids['ubnd-tay-ho']!;
    await typo('ubnd-tay-ho', '7 lần');
    const first = await pollChanges(stack.runtime);
    expect(first.outcomes.processed).toBe(1);
    expect((await stateOf('ubnd-tay-ho'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);
    expect(
      stack.sheets.countRequests(
        (e) =>
          e.api === 'sheets' &&
          e.op === 'spreadsheets.batchUpdate' &&
          e.spreadsheetId === id &&
          e.user === LOCAL_SERVICE_ACCOUNT,
      ),
    ).toBeGreaterThan(0);

    // The feed now holds our own feedback write: polls find it ours and read nothing.
    const since = requestsSince(stack);
    for (let i = 0; i < 3; i++) await pollChanges(stack.runtime);
    expect(since(sheetReadsOf(id))).toEqual([]);
    expect((await stateOf('ubnd-tay-ho'))?.seenVersion).toBe(stack.sheets.getDriveFileState(id)!.version);
  });

  it("a clerk's edit made between our read and our feedback write is read by the next poll", async () => {
    const id = ids['ubnd-long-bien']!;
    await typo('ubnd-long-bien', '8 lần');
    // While the run that read "8 lần" works, the clerk corrects it to "9 lượt"; our feedback
    // (for "8 lần") is written after that correction, so Drive's latest change is ours.
    let corrected = false;
    const slow: PipelineDeps = {
      ...stack.runtime,
      workbooks: Object.assign(Object.create(stack.runtime.workbooks), {
        writeFeedback: async (...args: Parameters<typeof stack.runtime.workbooks.writeFeedback>) => {
          if (!corrected) {
            corrected = true;
            await typo('ubnd-long-bien', '9 lượt');
          }
          return stack.runtime.workbooks.writeFeedback(...args);
        },
      }),
    };
    await pollChanges({ ...stack.runtime, ...slow });
    expect(corrected).toBe(true);
    expect((await stateOf('ubnd-long-bien'))?.issues[0]?.message).toContain('"8 lần"');
    expect(stack.sheets.getDriveFileState(id)!.lastModifyingUserEmail).toBe(LOCAL_SERVICE_ACCOUNT);

    const since = requestsSince(stack);
    const next = await pollChanges(stack.runtime);
    expect(next.outcomes.processed).toBe(1);
    expect(since(sheetReadsOf(id))).toHaveLength(1);
    expect((await stateOf('ubnd-long-bien'))?.issues[0]?.message).toContain('"9 lượt"');
    // And then nothing more to read.
    const after = requestsSince(stack);
    await pollChanges(stack.runtime);
    expect(after(sheetReadsOf(id))).toEqual([]);
  });
});

describe('isOwnWrite', () => {
  const meta = (over: Partial<FileMeta>): FileMeta => ({
    id: 'f',
    name: 'f',
    version: 9,
    modifiedTime: '2020-07-15T00:01:00.000Z',
    lastModifyingUser: 'sa',
    lastModifiedByMe: true,
    webViewLink: null,
    appProperties: {},
    ...over,
  });
  const time = (iso: string) => Date.parse(iso);
  const clerkAt = time('2020-07-14T23:58:00.000Z');
  const ours = { id: '3', modifiedTime: time('2020-07-15T00:01:00.000Z'), byMe: true };

  it('is ours when the latest change is ours and no one else saved since what we read', () => {
    expect(isOwnWrite(meta({}), [{ id: '2', modifiedTime: clerkAt, byMe: false }, ours], clerkAt)).toBe(true);
  });
  it('is not ours when a clerk saved after what we read, even though our write came last', () => {
    expect(isOwnWrite(meta({}), [{ id: '2', modifiedTime: clerkAt + 1_000, byMe: false }, ours], clerkAt)).toBe(false);
  });
  it('is not ours while the revisions list lags the metadata, nor when the latest change is not ours', () => {
    expect(isOwnWrite(meta({}), [{ id: '2', modifiedTime: clerkAt, byMe: false }], clerkAt)).toBe(false);
    expect(
      isOwnWrite(meta({ lastModifiedByMe: false }), [{ id: '2', modifiedTime: clerkAt, byMe: false }, ours], clerkAt),
    ).toBe(false);
  });
});
