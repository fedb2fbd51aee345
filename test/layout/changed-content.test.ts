/**
 * The master's incremental write. Between two workbook models, only the cells
 * that differ are written (contiguous changed cells of a row in one request, the same run on
 * the next rows folded in); a tab whose structure changed is replaced whole; the people's
 * column keeps its rule (its values are never written); nothing changed, nothing sent. On the
 * Sheets emulator, applying the changes to a sheet holding the first model gives the same cells
 * as a full replacement with the second. A content larger than one request may carry is sent
 * in several batchUpdates, in order, and ends the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import type { CellModel, SheetModel, WorkbookModel } from '../../functions/layout/model.js';
import {
  inBatches,
  toChangedContentRequests,
  toReplaceContentRequests,
  workbookDifferences,
  type ExistingSheet,
} from '../../functions/layout/sheets-render.js';
import { SheetsMaster } from '../../functions/adapters/sheets-master.js';
import type { SheetsEmulator } from '../../scripts/emulators/sheets/index.js';
import { FUNCTIONS, clientsFor, createSpreadsheet, startEmulator, type Clients } from '../emulators/sheets/helpers.js';

function sheetModel(over: Partial<SheetModel>): SheetModel {
  return {
    title: 'Tổng hợp',
    key: 'th',
    rowCount: 12,
    colCount: 8,
    columns: [],
    rows: [],
    cells: [],
    merges: [],
    ...over,
  };
}
const workbook = (...sheets: SheetModel[]): WorkbookModel => ({
  title: 'Bảng tổng hợp',
  locale: 'vi_VN',
  timeZone: 'Asia/Ho_Chi_Minh',
  sheets,
});
const existing: ExistingSheet[] = [
  { sheetId: 4, title: 'Tổng hợp', rowCount: 12, columnCount: 8, protectedRangeIds: [] },
  { sheetId: 7, title: 'Khác', rowCount: 12, columnCount: 8, protectedRangeIds: [] },
];

const baseCells: CellModel[] = [
  { row: 0, col: 0, value: 'TIÊU ĐỀ', style: { bold: true } },
  { row: 2, col: 0, value: 'Đơn vị A' },
  { row: 2, col: 1, value: 10 },
  { row: 2, col: 2, value: 20 },
  { row: 2, col: 3, value: 30 },
  { row: 3, col: 0, value: 'Đơn vị B' },
  { row: 3, col: 1, value: 1 },
  { row: 3, col: 2, value: 2 },
  { row: 3, col: 5, value: true, validation: { kind: 'checkbox' } },
];
const previous = sheetModel({
  cells: baseCells,
  merges: [{ startRow: 0, endRow: 1, startCol: 0, endCol: 4 }],
  peopleOwned: [{ col: 5, fromRow: 3 }],
});
const withCells = (cells: CellModel[]) => ({ ...previous, cells });
const other = sheetModel({ title: 'Khác', key: 'khac', cells: [{ row: 0, col: 0, value: 'x' }] });

const updates = (requests: sheets_v4.Schema$Request[]) =>
  requests.flatMap((r) => (r.updateCells ? [r.updateCells] : []));

describe('only what differs', () => {
  it('nothing changed: no request', () => {
    expect(toChangedContentRequests(workbook(previous, other), workbook(previous, other), existing)).toEqual({
      requests: [],
      cellsWritten: 0,
    });
  });

  it('changed cells of a row in one request, the same run below folded in, unchanged cells left alone', () => {
    const cells = baseCells.map((c) =>
      c.row >= 2 && c.row <= 3 && (c.col === 1 || c.col === 2) ? { ...c, value: Number(c.value) + 100 } : c,
    );
    const { requests, cellsWritten } = toChangedContentRequests(
      workbook(previous, other),
      workbook(withCells(cells), other),
      existing,
    );
    expect(requests).toHaveLength(1);
    const [update] = updates(requests);
    expect(update!.start).toEqual({ sheetId: 4, rowIndex: 2, columnIndex: 1 });
    expect(update!.rows!.map((r) => r.values!.map((v) => v.userEnteredValue?.numberValue))).toEqual([
      [110, 120],
      [101, 102],
    ]);
    expect(update!.fields).toBe('userEnteredValue,userEnteredFormat,note,dataValidation');
    expect(cellsWritten).toBe(4);
  });

  it('a cell that went blank is cleared; a format change is a change', () => {
    const cells = baseCells
      .filter((c) => !(c.row === 2 && c.col === 3))
      .map((c) => (c.row === 0 ? { ...c, style: { bold: false, italic: true } } : c));
    const written = updates(
      toChangedContentRequests(workbook(previous), workbook(withCells(cells)), existing).requests,
    );
    expect(
      written.map((u) => [u.start!.rowIndex, u.start!.columnIndex, u.rows!.length, u.rows![0]!.values!.length]),
    ).toEqual([
      [0, 0, 1, 1],
      [2, 3, 1, 1],
    ]);
    expect(written[1]!.rows![0]!.values![0]).toEqual({});
  });

  it("never writes a value into the people's column: its presentation only, and only when that changed", () => {
    const ticked = baseCells.map((c) => (c.col === 5 ? { ...c, value: false } : c));
    expect(toChangedContentRequests(workbook(previous), workbook(withCells(ticked)), existing).requests).toEqual([]);
    const restyled = baseCells.map((c) => (c.col === 5 ? { ...c, value: false, style: { fill: '#FFEEEE' } } : c));
    const [update] = updates(
      toChangedContentRequests(workbook(previous), workbook(withCells(restyled)), existing).requests,
    );
    expect(update!.fields).toBe('userEnteredFormat,note,dataValidation');
    expect(update!.rows![0]!.values![0]!.userEnteredValue).toBeUndefined();
  });

  it('a tab whose structure changed is replaced whole; the others still get cell changes only', () => {
    const merged = { ...previous, merges: [{ startRow: 0, endRow: 1, startCol: 0, endCol: 5 }] };
    const otherChanged = { ...other, cells: [{ row: 0, col: 0, value: 'y' }] };
    const { requests } = toChangedContentRequests(workbook(previous, other), workbook(merged, otherChanged), existing);
    const whole = toReplaceContentRequests(workbook(merged), existing);
    expect(requests.filter((r) => !(r.updateCells && r.updateCells.start?.sheetId === 7))).toEqual(whole);
    expect(updates(requests).filter((u) => u.start?.sheetId === 7)).toEqual([
      {
        start: { sheetId: 7, rowIndex: 0, columnIndex: 0 },
        rows: [{ values: [{ userEnteredValue: { stringValue: 'y' } }] }],
        fields: 'userEnteredValue,userEnteredFormat,note,dataValidation',
      },
    ]);
  });

  it('names where two workbooks differ, in A1', () => {
    const cells = baseCells.map((c) => (c.row === 3 && c.col === 2 ? { ...c, value: 99 } : c));
    expect(workbookDifferences(workbook(previous, other), workbook(withCells(cells), other))).toEqual([
      { tab: 'Tổng hợp', cell: 'C4' },
    ]);
    expect(workbookDifferences(workbook(previous), workbook(previous, other))).toEqual([{ tab: 'Khác', cell: null }]);
  });
});

/** A tab of `rows` rows of six numbered cells. */
const bigSheet = (rows: number) =>
  sheetModel({
    rowCount: rows + 2,
    cells: Array.from({ length: rows * 6 }, (_, i) => ({
      row: 1 + Math.floor(i / 6),
      col: i % 6,
      value: i,
      style: { border: true, numberFormat: '#,##0' },
    })),
    merges: [{ startRow: 0, endRow: 1, startCol: 0, endCol: 4 }],
  });

describe('batches under a size', () => {
  it('keeps the order, cuts a large updateCells by rows, and each batch stays under the size', () => {
    const requests = toReplaceContentRequests(workbook(bigSheet(200)), existing);
    const batches = inBatches(requests, 20_000);
    expect(batches.length).toBeGreaterThan(3);
    for (const batch of batches) expect(JSON.stringify(batch).length).toBeLessThan(20_000 + 1_000);
    const flat = batches.flat();
    const rowsWritten = (rs: typeof requests) =>
      rs.flatMap((r) =>
        r.updateCells ? r.updateCells.rows!.map((_row, i) => r.updateCells!.start!.rowIndex! + i) : [],
      );
    expect(rowsWritten(flat)).toEqual(rowsWritten(requests));
    expect(flat.filter((r) => !r.updateCells)).toEqual(requests.filter((r) => !r.updateCells));
    expect(inBatches(requests, 10_000_000)).toEqual([requests]);
  });
});

describe('on the Sheets emulator', () => {
  let emulator: SheetsEmulator;
  let clients: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({ quotas: { enabled: false } });
    clients = clientsFor(emulator, FUNCTIONS);
  });
  afterAll(async () => emulator.stop());

  it('the changes turn a sheet holding the first model into one equal to a full replacement with the second', async () => {
    const next = withCells([
      ...baseCells
        .map((c) => (c.row === 2 && c.col > 0 ? { ...c, value: Number(c.value) * 2 } : c))
        .filter((c) => !(c.row === 3 && c.col === 1)),
      { row: 6, col: 2, value: 'mới', note: 'ghi chú' },
    ]);
    const ids: string[] = [];
    for (const incremental of [true, false]) {
      const created = await createSpreadsheet(clients, {
        sheets: [{ properties: { sheetId: 4, title: 'Tổng hợp', gridProperties: { rowCount: 12, columnCount: 8 } } }],
      });
      const spreadsheetId = created.spreadsheetId!;
      const structure = async (): Promise<ExistingSheet[]> => {
        const res = await clients.sheets.spreadsheets.get({ spreadsheetId });
        return (res.data.sheets ?? []).map((t) => ({
          sheetId: t.properties!.sheetId!,
          title: t.properties!.title!,
          rowCount: t.properties!.gridProperties!.rowCount!,
          columnCount: t.properties!.gridProperties!.columnCount!,
          protectedRangeIds: (t.protectedRanges ?? []).map((p) => p.protectedRangeId!),
        }));
      };
      await clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: toReplaceContentRequests(workbook(previous), await structure()) },
      });
      const requests = incremental
        ? toChangedContentRequests(workbook(previous), workbook(next), await structure()).requests
        : toReplaceContentRequests(workbook(next), await structure());
      await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
      ids.push(spreadsheetId);
    }
    const seen = (id: string) => {
      const state = emulator.getSpreadsheetState(id)!;
      const tab = state.sheets.find((t) => t.properties.title === 'Tổng hợp')!;
      return { rows: tab.rows.map((r) => (r ?? []).map((c) => JSON.stringify(c ?? {}))), merges: tab.merges };
    };
    expect(
      seen(ids[0]!)
        .rows.flat()
        .filter((c) => c !== '{}').length,
    ).toBeGreaterThan(5);
    expect(seen(ids[0]!)).toEqual(seen(ids[1]!));
  });

  it('a content larger than one request may carry goes in several batchUpdates, is rebuilt whole after a lost answer, and ends as one would leave it', async () => {
    let batchUpdates = 0;
    /** The call whose answer is lost after the emulator applied it (a timeout): the second part of the first replace. */
    const loseAnswerOf = 2;
    const counting = Object.create(clients.sheets) as typeof clients.sheets;
    const spreadsheets = Object.create(clients.sheets.spreadsheets) as typeof clients.sheets.spreadsheets;
    spreadsheets.batchUpdate = ((...args: unknown[]) => {
      const call = ++batchUpdates;
      const answer = (clients.sheets.spreadsheets.batchUpdate as (...a: unknown[]) => Promise<unknown>)(...args);
      return call === loseAnswerOf
        ? answer.then(() =>
            Promise.reject(
              Object.assign(new Error('socket timed out after the request was applied'), { code: 'ETIMEDOUT' }),
            ),
          )
        : answer;
    }) as never;
    Object.defineProperty(counting, 'spreadsheets', { value: spreadsheets });
    const ids: string[] = [];
    for (const maxBatchBytes of [20_000, 8_000_000]) {
      const master = new SheetsMaster(counting, { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 });
      master.maxBatchBytes = maxBatchBytes;
      const created = await createSpreadsheet(clients, {
        sheets: [{ properties: { sheetId: 4, title: 'Tổng hợp', gridProperties: { rowCount: 12, columnCount: 8 } } }],
      });
      const before = batchUpdates;
      await master.replaceContent(
        created.spreadsheetId!,
        workbook(bigSheet(200)),
        await master.structure(created.spreadsheetId!),
      );
      expect(batchUpdates - before > 1, `batchUpdates at ${maxBatchBytes} bytes`).toBe(maxBatchBytes === 20_000);
      ids.push(created.spreadsheetId!);
    }
    const seen = (id: string) => {
      const tab = emulator.getSpreadsheetState(id)!.sheets.find((t) => t.properties.title === 'Tổng hợp')!;
      return {
        rows: tab.rows.map((r) => (r ?? []).map((c) => JSON.stringify(c ?? {}))),
        merges: tab.merges,
        grid: tab.properties.gridProperties,
      };
    };
    expect(seen(ids[0]!).rows.length).toBeGreaterThan(200);
    expect(seen(ids[0]!)).toEqual(seen(ids[1]!));
  });
});
