/**
 * The Sheets and Drive adapters run the real Google client libraries against the
 * project's emulator, a change to a unit's sheet costs at most one read and one write of that
 * sheet, and the feedback a clerk sees (highlight, Vietnamese note, status line) is really in
 * the sheet, and goes away once the entry is fixed.
 *
 * There is no Drive watch channel in this file, so nothing but the test processes a sheet;
 * the webhook path is exercised with a push signed like the real channel's.
 */
import { readFile } from 'node:fs/promises';
import { drive_v3 } from '@googleapis/drive';
import { sheets_v4 } from '@googleapis/sheets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../functions/layout/sheet-builder.js';
import { LOCAL_SERVICE_ACCOUNT } from '../../scripts/local-stack/stack.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import { pushAndPoll, registerUnitSheets, requestsSince, seenCell, sheetsOn } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
const UNIT = 'ubnd-ba-dinh';
const ADAPTERS = ['sheets-workbooks', 'sheets-master', 'drive-files', 'google-apis'];

let stack: TestStack;
let sheetId: string;
beforeAll(async () => {
  stack = await startTestStack();
  sheetId = (await registerUnitSheets(stack, ROUND, [UNIT]))[UNIT]!;
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

describe('the adapters are the real client libraries', () => {
  it('have no hand-built HTTP, and hold @googleapis clients', async () => {
    for (const name of ADAPTERS) {
      const source = await readFile(new URL(`../../functions/adapters/${name}.ts`, import.meta.url), 'utf8');
      expect(source, name).not.toMatch(/\bfetch\(|node:https?|from 'gaxios'|\bhttps?\.request\(/);
    }
    const google = await readFile(new URL('../../functions/adapters/google-apis.ts', import.meta.url), 'utf8');
    expect(google).toContain("import('@googleapis/sheets')");
    expect(google).toContain("import('@googleapis/drive')");
    // The runtime's adapters wrap the library's own client classes.
    const runtime = stack.runtime as unknown as {
      workbooks: { sheets: unknown };
      master: { sheets: unknown };
      files: { drive: unknown };
    };
    expect(runtime.workbooks.sheets).toBeInstanceOf(sheets_v4.Sheets);
    expect(runtime.master.sheets).toBeInstanceOf(sheets_v4.Sheets);
    expect(runtime.files.drive).toBeInstanceOf(drive_v3.Drive);
  });

  it('reach the emulator as the service account, by the API methods Google has', async () => {
    const since = requestsSince(stack);
    const read = await stack.runtime.workbooks.read(sheetId);
    const meta = await stack.runtime.files.meta(sheetId);
    expect(read.sheetIds.get('Bảng 1')).toBeGreaterThan(0);
    expect(meta).toMatchObject({
      id: sheetId,
      appProperties: { campaign: stack.runtime.model.id, unit: UNIT, round: ROUND },
    });
    expect(since().map((e) => [e.api, e.op, e.user, e.status])).toEqual([
      ['sheets', 'spreadsheets.get', LOCAL_SERVICE_ACCOUNT, 200],
      ['drive', 'drive.files.get', LOCAL_SERVICE_ACCOUNT, 200],
    ]);
  });
});

describe('requests per change', () => {
  it('a change costs 1 read and 1 write of the sheet; a forced re-run 1 read and 0 writes; a normal re-run nothing', async () => {
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.pano_khau_hieu', value: 95 },
    ]);
    let since = requestsSince(stack);
    const first = await stack.process(UNIT, ROUND);
    expect(first.outcome).toBe('processed');
    expect(since(sheetsOn(sheetId)).map((e) => `${e.kind} ${e.op}`)).toEqual([
      'read spreadsheets.get',
      'write spreadsheets.batchUpdate',
    ]);

    since = requestsSince(stack);
    expect((await stack.process(UNIT, ROUND)).outcome).toBe('unchanged');
    expect(since((e) => e.api === 'sheets')).toEqual([]);

    since = requestsSince(stack);
    expect((await stack.process(UNIT, ROUND, { force: true })).outcome).toBe('unchanged');
    expect(since(sheetsOn(sheetId)).map((e) => `${e.kind} ${e.op}`)).toEqual(['read spreadsheets.get']);
  });

  it('a change whose feedback is already in the sheet costs 1 read and 0 writes', async () => {
    // Typing the same value again makes a new Drive version with the same content and feedback.
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.pano_khau_hieu', value: 95 },
    ]);
    const since = requestsSince(stack);
    const outcome = await stack.process(UNIT, ROUND);
    expect(outcome.outcome === 'processed' && outcome.feedbackWritten).toBe(false);
    expect(since(sheetsOn(sheetId)).map((e) => `${e.kind} ${e.op}`)).toEqual(['read spreadsheets.get']);
  });

  it('our own feedback write comes back through the webhook as a change and costs no Sheets request', async () => {
    await pushAndPoll(stack); // drain whatever the feed holds so far
    // An entry that changes the feedback (a note on its cell), so that the system writes to the sheet.
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.pano_khau_hieu', value: '96 cái' },
    ]);
    const viaWebhook = await pushAndPoll(stack);
    // The webhook answers Drive at once; the poll it requested runs in onPollRequested.
    expect(viaWebhook).toMatchObject({
      status: 202,
      body: { status: 'poll-requested' },
      polled: { status: 'polled', changedFiles: 1, outcomes: { processed: 1 } },
    });
    const written = stack.sheets.getDriveFileState(sheetId)!.version;
    expect((await stack.runtime.store.state(ROUND, UNIT))?.seenVersion).toBe(written);

    // The feed now holds only the version our feedback write produced: the echo.
    const since = requestsSince(stack);
    const echo = await pushAndPoll(stack);
    expect(echo).toMatchObject({
      status: 202,
      polled: { status: 'polled', changedFiles: 1, outcomes: { unchanged: 1 } },
    });
    expect(since((e) => e.api === 'sheets')).toEqual([]);
    expect(since().map((e) => e.op)).toEqual(['drive.changes.list', 'drive.files.get']);

    // The entry corrected, for the tests that follow.
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.pano_khau_hieu', value: 96 },
    ]);
    expect((await stack.process(UNIT, ROUND)).outcome).toBe('processed');
  });
});

describe('feedback in the sheet', () => {
  it('a bad entry is highlighted with a Vietnamese note and counted in the status line of every tab', async () => {
    await stack.type(UNIT, ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.dai_chung', value: '12 buổi' },
      { kind: 'figure', table: 'bang2', period: MAIN_PERIOD, code: 'tin_bao.co_gia_tri', value: 5 },
      { kind: 'figure', table: 'bang2', period: MAIN_PERIOD, code: 'tin_bao.lam_ro_vu', value: 9 },
    ]);
    const outcome = await stack.process(UNIT, ROUND);
    if (outcome.outcome !== 'processed') throw new Error(`expected processed, got ${outcome.outcome}`);
    const bad = outcome.evaluation.issues.find((i) => i.code === 'value.not_number')!;
    const doubtful = outcome.evaluation.issues.find((i) => i.code === 'tin_bao.lam_ro_vu_vuot_co_gia_tri')!;
    expect([bad.sheet, bad.cell, doubtful.sheet, doubtful.cell]).toEqual(['Bảng 1', 'C13', 'Bảng 2', 'Q13']);

    const sheet = stack.sheets.getSpreadsheetState(sheetId)!;
    expect(seenCell(sheet, 'Bảng 1', bad.row!, bad.col!)).toEqual({
      value: '12 buổi',
      note: 'Lỗi: Ô C13 (Công tác tuyên truyền – Tuyên truyền trên thông tin đại chúng, Giai đoạn 2015 – 2020): "12 buổi" không phải là số. Chỉ nhập chữ số, ví dụ 12; đơn vị tính đã ghi ở tiêu đề cột.',
      background: PALETTE.error,
    });
    expect(seenCell(sheet, 'Bảng 2', doubtful.row!, doubtful.col!)).toEqual({
      value: 9,
      note: 'Cần xem lại: Ô Q13 (Giai đoạn 2015 – 2020): số vụ đã điều tra làm rõ (9) nhiều hơn số tin có giá trị (5, ô P13). Có thể đúng, nhưng hãy kiểm tra lại.',
      background: PALETTE.warning,
    });
    const status = Object.fromEntries(
      outcome.evaluation.located.statusCells.map((c) => [c.sheet, seenCell(sheet, c.sheet, c.row, c.col)]),
    );
    const line = 'Còn 1 lỗi, 1 cảnh báo — ô tô đỏ là lỗi, ô tô vàng cần xem lại.';
    expect(status['Hướng dẫn']).toEqual({ value: line, note: '', background: PALETTE.error });
    expect(status['Bảng 1']?.value).toBe(`${line} (trang này: 1 lỗi)`);
    expect(status['Bảng 2']?.value).toBe(`${line} (trang này: 1 cảnh báo)`);
    expect(Object.keys(status)).toEqual([
      'Hướng dẫn',
      'Bảng 1',
      'Bảng 2',
      'Đề cương báo cáo',
      'Điển hình',
      'Khen thưởng',
      'Xác nhận',
    ]);
  });

  it('fixing the entries clears the stale notes and highlights; acceptance shows "Đã gửi lúc HH:mm dd/MM/yyyy" and the totals', async () => {
    await stack.typeSubmission(UNIT, ROUND); // every figure typed again, valid, box ticked
    const outcome = await stack.process(UNIT, ROUND);
    if (outcome.outcome !== 'processed') throw new Error(`expected processed, got ${outcome.outcome}`);
    expect(outcome.accepted).toBe(true);
    const sheet = stack.sheets.getSpreadsheetState(sheetId)!;
    const valid = figuresFor(stack.runtime.model, UNIT, ROUND, 'bang1')[MAIN_PERIOD]!['tuyen_truyen.dai_chung']!;
    expect(seenCell(sheet, 'Bảng 1', 12, 2)).toEqual({ value: valid, note: null, background: PALETTE.input });
    expect(seenCell(sheet, 'Bảng 2', 12, 16)).toMatchObject({ note: null, background: PALETTE.input });
    for (const cell of outcome.evaluation.located.statusCells) {
      expect(seenCell(sheet, cell.sheet, cell.row, cell.col)).toEqual({
        value: 'Đã gửi lúc 09:00 10/07/2020.',
        note: '',
        background: PALETTE.ok,
      });
    }
    // The 2020 plan has one period per round: no total row repeats it, and nothing is written under the period
    // row (a campaign with several periods gets its totals: test/core/total-row.test.ts).
    const loc = outcome.evaluation.located.tables.get('bang1');
    if (loc?.kind !== 'figures') throw new Error('Bảng 1 not located');
    expect(loc.totalRow).toBeNull();
    expect(loc.dataRegion.endRow - loc.dataRegion.startRow).toBe(1);
    expect(
      seenCell(sheet, 'Bảng 1', loc.dataRegion.endRow, loc.columns.get('tuyen_truyen.dai_chung')!).value,
    ).toBeNull();
  });
});
