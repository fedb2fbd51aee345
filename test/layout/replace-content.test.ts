/**
 * The master refresh rewrites existing tabs in one batchUpdate. Google refuses a merge across
 * a frozen line and a freeze through a merge, and one refused request fails the batch: the
 * requests unmerge first, freeze next and merge last. The coordinators' column (peopleOwned)
 * keeps its values: the refresh writes its format and validation only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import type { SheetModel, WorkbookModel } from '../../functions/layout/model.js';
import { toReplaceContentRequests, type ExistingSheet } from '../../functions/layout/sheets-render.js';
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
const workbook = (sheet: SheetModel): WorkbookModel => ({
  title: 'Bảng tổng hợp',
  locale: 'vi_VN',
  timeZone: 'Asia/Ho_Chi_Minh',
  sheets: [sheet],
});

/** Today's layout: two frozen columns, the title merged over the scrolling columns, a tick column from row 3. */
const next = sheetModel({
  frozenRows: 2,
  frozenCols: 2,
  cells: [
    { row: 0, col: 2, value: 'TIÊU ĐỀ' },
    { row: 3, col: 0, value: 'id-1' },
    { row: 3, col: 5, value: false },
  ],
  merges: [{ startRow: 0, endRow: 1, startCol: 2, endCol: 8 }],
  peopleOwned: [{ col: 5, fromRow: 3 }],
});

describe('request order and the people-owned column', () => {
  const existing: ExistingSheet[] = [
    { sheetId: 4, title: 'Tổng hợp', rowCount: 12, columnCount: 8, protectedRangeIds: [] },
  ];
  const requests = toReplaceContentRequests(workbook(next), existing);
  const first = (kind: string) => requests.findIndex((r) => kind in r);
  const last = (kind: string) => requests.map((r) => kind in r).lastIndexOf(true);

  it('unmerges before it freezes, and merges after both', () => {
    expect(first('unmergeCells')).toBeGreaterThanOrEqual(0);
    expect(first('unmergeCells')).toBeLessThan(first('updateSheetProperties'));
    expect(last('updateSheetProperties')).toBeLessThan(first('mergeCells'));
  });

  it("never writes a value into the people's column below its first row", () => {
    const writes = requests.flatMap((r) => (r.updateCells ? [r.updateCells] : []));
    const touchesOwned = (updateCells: sheets_v4.Schema$UpdateCellsRequest) => {
      const col = updateCells.start!.columnIndex!;
      const width = Math.max(...updateCells.rows!.map((r) => r.values?.length ?? 0));
      const endRow = updateCells.start!.rowIndex! + updateCells.rows!.length;
      return col <= 5 && 5 < col + width && endRow > 3;
    };
    const owned = writes.filter(touchesOwned);
    expect(owned.length).toBeGreaterThan(0);
    for (const updateCells of owned) expect(updateCells.fields!.split(',')).not.toContain('userEnteredValue');
    // The other cells are still written, values included.
    expect(
      writes.some(
        (u) => u.fields!.includes('userEnteredValue') && u.start!.columnIndex === 0 && u.start!.rowIndex === 3,
      ),
    ).toBe(true);
  });
});

describe('on the emulator, which refuses what Google refuses', () => {
  let emulator: SheetsEmulator;
  let client: Clients;
  beforeAll(async () => {
    emulator = await startEmulator({ quotas: { enabled: false } });
    client = clientsFor(emulator, FUNCTIONS);
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('relayouts a tab whose old merge the new freeze would cut, and keeps a tick in the people-owned column', async () => {
    // Yesterday's layout: no frozen columns, a title merged from A across; a coordinator's tick in F5.
    const created = await createSpreadsheet(client, {
      sheets: [
        {
          properties: {
            sheetId: 4,
            title: 'Tổng hợp',
            gridProperties: { rowCount: 12, columnCount: 8, frozenRowCount: 2 },
          },
          merges: [{ startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 8 }],
          data: [{ startRow: 4, startColumn: 5, rowData: [{ values: [{ userEnteredValue: { boolValue: true } }] }] }],
        },
      ],
    });
    const spreadsheetId = created.spreadsheetId!;
    const existing: ExistingSheet[] = [
      { sheetId: 4, title: 'Tổng hợp', rowCount: 12, columnCount: 8, protectedRangeIds: [] },
    ];
    await client.sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: toReplaceContentRequests(workbook(next), existing) },
    });
    const after = await client.sheets.spreadsheets.get({
      spreadsheetId,
      fields: 'sheets(properties(gridProperties),merges)',
    });
    expect(after.data.sheets?.[0]?.properties?.gridProperties).toMatchObject({
      frozenRowCount: 2,
      frozenColumnCount: 2,
    });
    expect(after.data.sheets?.[0]?.merges).toEqual([
      { sheetId: 4, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 2, endColumnIndex: 8 },
    ]);
    const values = await client.sheets.spreadsheets.values.get({
      spreadsheetId,
      range: "'Tổng hợp'!A4:F5",
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    // Row 4 (index 3): the id written; F4 keeps no value from the model (people's); F5 keeps the tick.
    expect(values.data.values).toEqual([['id-1'], ['', '', '', '', '', true]]);
  });
});
