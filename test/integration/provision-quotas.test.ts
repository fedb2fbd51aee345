/**
 * Provisioning the whole 2020 campaign against the emulator with Google's quotas on
 * (60 writes per minute per user, on a 60× emulated clock so the suite does not wait minutes),
 * paced by the rate limiter at the same scaled rate: no 429 is ever answered, a re-run creates
 * nothing, and files left behind by a crash (created with their appProperties but not rendered
 * or not registered) are found again and repaired, never duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionCampaign, type ProvisionReport } from '../../functions/app/provision.js';
import { buildUnitWorkbook, unitWorkbookTitle } from '../../functions/layout/unit-workbook.js';
import type { LogEntry } from '../../scripts/emulators/sheets/index.js';
import { LOCAL_SERVICE_ACCOUNT, requestsSince } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SCALE = 60;
const ROUND = 'so-ket-2020';
/** Crashed after Drive created the file, before anything was rendered or registered. */
const BLANK = 'ubnd-tay-ho';
/** Crashed after rendering, before the registration was stored. */
const RENDERED = 'ubnd-long-bien';

let stack: TestStack;
let first: ProvisionReport;
let firstLog: LogEntry[];
let progress: { done: number; total: number; etaMs: number }[] = [];
const crashed: Record<string, string> = {};

const targets = () =>
  stack.runtime.model.campaign.rounds.flatMap((r) =>
    stack.runtime.model.campaign.units
      .filter((u) => stack.runtime.model.hasWorkbook(u.id, r.id))
      .map((u) => `${r.id}/${u.id}`),
  );

function provision(opts: { watch?: boolean } = {}): Promise<ProvisionReport> {
  const runtime = stack.runtime;
  return provisionCampaign(
    // The pacing a deployment uses (the adapters' 50 writes a minute), on the emulator's clock.
    { ...runtime, writes: runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
    {
      ...(opts.watch === false
        ? {}
        : {
            webhook: {
              address: runtime.config.webhook.url,
              secret: runtime.config.webhook.secret,
              ttlMs: runtime.config.watchTtlMs,
            },
          }),
      onProgress: (p) => progress.push(p),
    },
  );
}

beforeAll(async () => {
  stack = await startTestStack({ sheetsQuotas: true, sheetsClockScale: SCALE });
  const { model, files, workbooks } = stack.runtime;
  for (const unitId of [BLANK, RENDERED]) {
    const file = await files.createSpreadsheet(unitWorkbookTitle(model, unitId, ROUND), {
      campaign: model.id,
      unit: unitId,
      round: ROUND,
    });
    crashed[unitId] = file.id;
  }
  await workbooks.render(
    crashed[RENDERED]!,
    buildUnitWorkbook(model, RENDERED, ROUND, { editors: [LOCAL_SERVICE_ACCOUNT] }),
  );
  const since = requestsSince(stack);
  first = await provision();
  firstLog = since();
}, 120_000);
afterAll(() => stack.dispose());

describe('provisioning the whole 2020 campaign with quotas on', () => {
  it('runs with the quotas enforced, and not one request was answered 429', () => {
    expect(stack.sheets.quotas.current()).toMatchObject({
      enabled: true,
      writePerMinutePerUser: 60,
      readPerMinutePerUser: 60,
    });
    expect(firstLog.filter((e) => e.status === 429)).toEqual([]);
    expect(firstLog.filter((e) => e.status >= 400)).toEqual([]);
    // The pacing is what kept it under: in no emulated minute more than 60 Sheets writes.
    const writes = firstLog.filter((e) => e.api === 'sheets' && e.kind === 'write').map((e) => Date.parse(e.at));
    expect(writes.length).toBeGreaterThan(100);
    const busiest = Math.max(...writes.map((t) => writes.filter((u) => u >= t && u < t + 60_000).length));
    expect(busiest).toBeLessThanOrEqual(60);
  });

  it('created every unit sheet of both rounds and the master, and reported its progress to the end', () => {
    const all = targets();
    expect(all).toHaveLength(74 + 40);
    expect(first.created).toHaveLength(all.length - 2);
    expect([...first.created, ...first.repaired].sort()).toEqual([...all].sort());
    expect(first.master).toBe('created');
    expect(first.watch?.status).toBe('renewed');
    const last = progress.at(-1)!;
    expect([last.done, last.total, last.etaMs]).toEqual([all.length + 1, all.length + 1, 0]);
    expect(progress.every((p) => Number.isFinite(p.etaMs) && p.etaMs >= 0)).toBe(true);
  });

  it('a re-run creates nothing and writes nothing', async () => {
    progress = [];
    const since = requestsSince(stack);
    const again = await provision();
    expect(again.created).toEqual([]);
    expect(again.repaired).toEqual([]);
    expect(again.unchanged).toHaveLength(targets().length);
    expect([again.master, again.shares, again.watch?.status]).toEqual(['unchanged', 0, 'current']);
    expect(since((e) => e.op === 'drive.files.create')).toEqual([]);
    expect(since((e) => e.kind === 'write')).toEqual([]);
    expect(since((e) => e.status === 429)).toEqual([]);
  });
});

describe('provisioning after a crash', () => {
  it('finds the file Drive created before the crash, renders and registers it, and creates no second one', async () => {
    const { store, files, model } = stack.runtime;
    expect(first.repaired).toEqual(
      [`${ROUND}/${RENDERED}`, `${ROUND}/${BLANK}`].sort((a, b) => targets().indexOf(a) - targets().indexOf(b)),
    );
    for (const unitId of [BLANK, RENDERED]) {
      const same = await files.findByAppProperties({ campaign: model.id, unit: unitId, round: ROUND });
      expect(same.map((f) => f.id)).toEqual([crashed[unitId]]);
      expect((await store.unitSheet(ROUND, unitId))?.spreadsheetId).toBe(crashed[unitId]);
      expect(await store.registration(crashed[unitId]!)).toMatchObject({ unitId, roundId: ROUND });
    }
    // The blank one was rendered (its default tab replaced by the unit's tabs); the rendered one was not rendered again.
    const rendersOf = (id: string) =>
      firstLog.filter((e) => e.op === 'spreadsheets.batchUpdate' && e.spreadsheetId === id).length;
    expect(rendersOf(crashed[BLANK]!)).toBe(1);
    expect(rendersOf(crashed[RENDERED]!)).toBe(0);
    const tabs = stack.sheets.getSpreadsheetState(crashed[BLANK]!)!.sheets.map((t) => t.properties.title);
    expect(tabs).toEqual(['Hướng dẫn', 'Bảng 1', 'Bảng 2', 'Đề cương báo cáo', 'Điển hình', 'Khen thưởng', 'Xác nhận']);
    // …and shared with the unit's clerk as writer.
    expect(await files.permissions(crashed[BLANK]!)).toContainEqual(
      expect.objectContaining({ emailAddress: 'ubnd-tay-ho@hanoi.example', role: 'writer' }),
    );
  });

  it('a registration lost after everything else was done is restored without touching the sheet', async () => {
    const { store } = stack.runtime;
    const reg = (await store.unitSheet('bo-sung-2020', 'ubnd-cau-giay'))!;
    await store.sheetRef(reg.spreadsheetId).delete();
    await store.unitSheetRef('bo-sung-2020', 'ubnd-cau-giay').delete();
    const since = requestsSince(stack);
    const report = await provision();
    expect([report.created, report.repaired]).toEqual([[], ['bo-sung-2020/ubnd-cau-giay']]);
    expect((await store.unitSheet('bo-sung-2020', 'ubnd-cau-giay'))?.spreadsheetId).toBe(reg.spreadsheetId);
    expect(since((e) => e.kind === 'write')).toEqual([]);
    expect(since((e) => e.op === 'spreadsheets.get').map((e) => e.spreadsheetId)).toEqual([reg.spreadsheetId]);
  });
});

describe('a unit sheet deleted in Drive and provisioned again', () => {
  it('the new sheet takes over: its edits are processed, accepted and aggregated, and the old file is no longer the unit', async () => {
    const { store, files } = stack.runtime;
    const UNIT = 'ubnd-soc-son';
    // No pushes from here on: the test alone processes the sheet, so each outcome is its own.
    const { channel } = await store.meta('driveWatch');
    await files.stopChannel(channel!.id, channel!.resourceId);
    stack.clock.set('2020-07-10T09:00:00+07:00');
    // Weeks of work in the first sheet: many edits, each processed (Drive versions climb).
    await stack.typeSubmission(UNIT, ROUND);
    expect((await stack.process(UNIT, ROUND)).outcome).toBe('processed');
    for (const value of [130, 131, 132, 133, 134, 135]) {
      await stack.type(UNIT, ROUND, [
        { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: value },
      ]);
      expect((await stack.process(UNIT, ROUND)).outcome).toBe('processed');
    }
    const old = await stack.sheetOf(UNIT, ROUND);
    const oldVersion = stack.sheets.getDriveFileState(old)!.version;
    const drive = (files as unknown as { drive: import('@googleapis/drive').drive_v3.Drive }).drive;
    await drive.files.delete({ fileId: old });

    const report = await provision({ watch: false });
    expect(report.created).toEqual([`${ROUND}/${UNIT}`]);
    const fresh = await stack.sheetOf(UNIT, ROUND);
    expect(fresh).not.toBe(old);
    expect(stack.sheets.getDriveFileState(fresh)!.version).toBeLessThan(oldVersion);

    // The clerk types the same report again into the new sheet: nothing new to accept, but
    // the new sheet gets its feedback (none of what was written into the old one is there).
    await stack.typeSubmission(UNIT, ROUND);
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: 135 },
    ]);
    const same = await stack.process(UNIT, ROUND);
    expect(same).toMatchObject({
      outcome: 'processed',
      accepted: false,
      feedbackWritten: true,
      statusText: 'Đã gửi lúc 09:00 10/07/2020.',
    });
    expect(stack.sheets.getSpreadsheetState(fresh)!.sheets[0]!.rows[1]![2]!.userEnteredValue?.stringValue).toBe(
      'Đã gửi lúc 09:00 10/07/2020.',
    );

    // Then a real change.
    stack.clock.set('2020-07-12T15:00:00+07:00');
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: 140 },
    ]);
    const processOutcome = await stack.process(UNIT, ROUND);
    expect(processOutcome.outcome).toBe('processed');
    if (processOutcome.outcome !== 'processed') return;
    expect(processOutcome.accepted).toBe(true);
    expect(processOutcome.submission?.versionCount).toBe(8);
    await stack.triggersIdle();
    const node = await store.aggregate(ROUND, UNIT);
    expect(node?.totals).toEqual(
      processOutcome.submission && {
        bang1: processOutcome.submission.totals.bang1,
        bang2: processOutcome.submission.totals.bang2,
      },
    );
    expect((await store.versions(ROUND, UNIT)).map((v) => v.versionNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await store.registration(old)).toBeNull();
  });
});
