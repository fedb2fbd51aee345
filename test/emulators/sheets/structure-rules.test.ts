/**
 * Rules Google Sheets enforces on structure and size, through the real @googleapis/sheets
 * client: merges never cross a frozen line (in either order), a cell holds at most 50,000
 * characters, a spreadsheet at most 10,000,000 cells, and protected ranges stop everyone but
 * their editors. Each refusal is 400 INVALID_ARGUMENT with Google's message, and a refused
 * batchUpdate applies none of its requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import { CLERK, FUNCTIONS, type Clients, clientsFor, createSpreadsheet, failure, startEmulator } from './helpers.js';

const MERGE_COLUMNS = "You can't merge frozen and non-frozen columns.";
const MERGE_ROWS = "You can't merge frozen and non-frozen rows.";
const FREEZE_COLUMNS = 'Sorry, it is not possible to freeze columns which contain only part of a merged cell.';
const FREEZE_ROWS = 'Sorry, it is not possible to freeze rows which contain only part of a merged cell.';
const TOO_LONG = 'Your input contains more than the maximum of 50000 characters in a single cell.';
const TOO_MANY_CELLS =
  'This action would increase the number of cells in the workbook above the limit of 10000000 cells.';
const PROTECTED =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let id: string;
const SHEET = 7;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
});

afterAll(async () => {
  await emulator.stop();
});

/** A fresh tab frozen at 3 rows × 2 columns, with a title merge inside the frozen rows and over the scrolling columns. */
beforeEach(async () => {
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Quy tắc' },
    sheets: [
      {
        properties: {
          sheetId: SHEET,
          title: 'Bảng 1',
          gridProperties: { rowCount: 20, columnCount: 10, frozenRowCount: 3, frozenColumnCount: 2 },
        },
        merges: [{ startRowIndex: 0, endRowIndex: 1, startColumnIndex: 2, endColumnIndex: 8 }],
      },
    ],
  });
  id = created.spreadsheetId as string;
});

const range = (startRowIndex: number, endRowIndex: number, startColumnIndex: number, endColumnIndex: number) => ({
  sheetId: SHEET,
  startRowIndex,
  endRowIndex,
  startColumnIndex,
  endColumnIndex,
});
const batch = (requests: sheets_v4.Schema$Request[], client = functions) =>
  client.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });
const writeA1 = (text: string): sheets_v4.Schema$Request => ({
  updateCells: {
    start: { sheetId: SHEET, rowIndex: 5, columnIndex: 0 },
    rows: [{ values: [{ userEnteredValue: { stringValue: text } }] }],
    fields: 'userEnteredValue',
  },
});
async function state() {
  const res = await functions.sheets.spreadsheets.get({
    spreadsheetId: id,
    fields: 'sheets(properties(gridProperties),merges)',
  });
  return res.data.sheets![0]!;
}
async function readA6(): Promise<unknown> {
  const res = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Bảng 1'!A6" });
  return res.data.values?.[0]?.[0];
}
function expectRefused(
  file: { status: number; message: string; body: unknown },
  message: string,
  index: number,
  type: string,
) {
  const full = `Invalid requests[${index}].${type}: ${message}`;
  expect(file.status).toBe(400);
  expect(file.message).toBe(full);
  expect(file.body).toEqual({ error: { code: 400, message: full, status: 'INVALID_ARGUMENT' } });
}

describe('merges and frozen lines', () => {
  it('refuses a merge across the frozen column line, and the batch applies nothing', async () => {
    const refusal = await failure(
      batch([writeA1('trước'), { mergeCells: { range: range(5, 6, 1, 4), mergeType: 'MERGE_ALL' } }]),
    );
    expectRefused(refusal, MERGE_COLUMNS, 1, 'mergeCells');
    expect(await readA6()).toBeUndefined();
    expect((await state()).merges).toHaveLength(1);
  });

  it('refuses a merge across the frozen row line, whatever the merge type', async () => {
    expectRefused(
      await failure(batch([{ mergeCells: { range: range(1, 5, 4, 5), mergeType: 'MERGE_ALL' } }])),
      MERGE_ROWS,
      0,
      'mergeCells',
    );
    expectRefused(
      await failure(batch([{ mergeCells: { range: range(2, 4, 4, 6), mergeType: 'MERGE_COLUMNS' } }])),
      MERGE_ROWS,
      0,
      'mergeCells',
    );
    // MERGE_ROWS makes one merge per row: none of them crosses the row line here.
    await batch([{ mergeCells: { range: range(2, 4, 4, 6), mergeType: 'MERGE_ROWS' } }]);
    expect((await state()).merges).toHaveLength(3);
  });

  it('accepts merges wholly inside the frozen block or wholly in the scrolling part', async () => {
    await batch([
      { mergeCells: { range: range(0, 3, 0, 2), mergeType: 'MERGE_ALL' } },
      { mergeCells: { range: range(5, 9, 2, 6), mergeType: 'MERGE_ALL' } },
      { mergeCells: { range: range(5, 9, 0, 2), mergeType: 'MERGE_ALL' } },
    ]);
    expect((await state()).merges).toHaveLength(4);
  });

  it('refuses to freeze through an existing merge (columns and rows), and the batch applies nothing', async () => {
    const cols = await failure(
      batch([
        writeA1('trước'),
        {
          updateSheetProperties: {
            properties: { sheetId: SHEET, gridProperties: { frozenRowCount: 3, frozenColumnCount: 4 } },
            fields: 'gridProperties.frozenColumnCount',
          },
        },
      ]),
    );
    expectRefused(cols, FREEZE_COLUMNS, 1, 'updateSheetProperties');
    await batch([{ mergeCells: { range: range(5, 9, 4, 5), mergeType: 'MERGE_ALL' } }]);
    const rows = await failure(
      batch([
        {
          updateSheetProperties: {
            properties: { sheetId: SHEET, gridProperties: { frozenRowCount: 7 } },
            fields: 'gridProperties.frozenRowCount',
          },
        },
      ]),
    );
    expectRefused(rows, FREEZE_ROWS, 0, 'updateSheetProperties');
    expect(await readA6()).toBeUndefined();
    expect((await state()).properties?.gridProperties).toMatchObject({ frozenRowCount: 3, frozenColumnCount: 2 });
  });

  it('accepts a relayout ordered unmerge → freeze → merge in one batch (what the master refresh sends)', async () => {
    await batch([
      { unmergeCells: { range: { sheetId: SHEET } } },
      {
        updateSheetProperties: {
          properties: {
            sheetId: SHEET,
            gridProperties: { rowCount: 20, columnCount: 10, frozenRowCount: 1, frozenColumnCount: 4 },
          },
          fields: 'gridProperties',
        },
      },
      { mergeCells: { range: range(2, 3, 4, 10), mergeType: 'MERGE_ALL' } },
    ]);
    const schemaSheet = await state();
    expect(schemaSheet.properties?.gridProperties).toMatchObject({ frozenRowCount: 1, frozenColumnCount: 4 });
    expect(schemaSheet.merges).toEqual([range(2, 3, 4, 10)]);
  });

  it('refuses a spreadsheets.create whose merge crosses its own freeze', async () => {
    const refusal = await failure(
      createSpreadsheet(functions, {
        sheets: [
          {
            properties: { title: 'A', gridProperties: { rowCount: 5, columnCount: 5, frozenColumnCount: 1 } },
            merges: [{ startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 3 }],
          },
        ],
      }),
    );
    expect(refusal.status).toBe(400);
    expect(refusal.message).toBe(`Invalid sheets[0].merges: ${MERGE_COLUMNS}`);
  });
});

describe('at most 50,000 characters in a cell', () => {
  const limit = 'x'.repeat(50_000);
  const over = 'x'.repeat(50_001);

  it('values.update, values.batchUpdate and values.append refuse 50,001 characters and accept 50,000', async () => {
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Bảng 1'!A6",
      valueInputOption: 'RAW',
      requestBody: { values: [[limit]] },
    });
    expect(String(await readA6())).toHaveLength(50_000);
    const update = await failure(
      functions.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Bảng 1'!A7",
        valueInputOption: 'USER_ENTERED',
        requestBody: { values: [['ok', over]] },
      }),
    );
    expect(update.status).toBe(400);
    expect(update.body).toEqual({ error: { code: 400, message: TOO_LONG, status: 'INVALID_ARGUMENT' } });
    const many = await failure(
      functions.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: 'RAW',
          data: [
            { range: "'Bảng 1'!A8", values: [['ok']] },
            { range: "'Bảng 1'!A9", values: [[over]] },
          ],
        },
      }),
    );
    expect(many.message).toBe(TOO_LONG);
    const append = await failure(
      functions.sheets.spreadsheets.values.append({
        spreadsheetId: id,
        range: "'Bảng 1'!A1",
        valueInputOption: 'RAW',
        requestBody: { values: [[over]] },
      }),
    );
    expect(append.message).toBe(TOO_LONG);
    const written = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Bảng 1'!A7:B9" });
    expect(written.data.values).toBeUndefined();
  });

  it('updateCells refuses it (string or formula), and the batch applies nothing', async () => {
    expectRefused(await failure(batch([writeA1('trước'), writeA1(over)])), TOO_LONG, 1, 'updateCells');
    const formula: sheets_v4.Schema$Request = {
      updateCells: {
        start: { sheetId: SHEET, rowIndex: 6, columnIndex: 0 },
        rows: [{ values: [{ userEnteredValue: { formulaValue: `="${over}"` } }] }],
        fields: 'userEnteredValue',
      },
    };
    expectRefused(await failure(batch([formula])), TOO_LONG, 0, 'updateCells');
    expect(await readA6()).toBeUndefined();
  });
});

describe('at most 10,000,000 cells in a spreadsheet', () => {
  // The tab holds 20 × 10 = 200 cells; the limit counts every grid cell, empty or not.
  it('refuses appendDimension, insertDimension, a grid resize and addSheet past the limit, and accepts up to it', async () => {
    expectRefused(
      await failure(batch([{ appendDimension: { sheetId: SHEET, dimension: 'ROWS', length: 1_000_000 } }])),
      TOO_MANY_CELLS,
      0,
      'appendDimension',
    );
    expectRefused(
      await failure(
        batch([
          { insertDimension: { range: { sheetId: SHEET, dimension: 'COLUMNS', startIndex: 1, endIndex: 500_000 } } },
        ]),
      ),
      TOO_MANY_CELLS,
      0,
      'insertDimension',
    );
    const resize = {
      updateSheetProperties: {
        properties: { sheetId: SHEET, gridProperties: { rowCount: 1_000_001, columnCount: 10 } },
        fields: 'gridProperties.rowCount',
      },
    };
    expectRefused(await failure(batch([resize])), TOO_MANY_CELLS, 0, 'updateSheetProperties');
    const add = { addSheet: { properties: { title: 'Lớn', gridProperties: { rowCount: 999_981, columnCount: 10 } } } };
    expectRefused(await failure(batch([add])), TOO_MANY_CELLS, 0, 'addSheet');
    // 200 + 999,980 × 10 = exactly 10,000,000: allowed.
    await batch([
      { addSheet: { properties: { title: 'Vừa đủ', gridProperties: { rowCount: 999_980, columnCount: 10 } } } },
    ]);
    expectRefused(
      await failure(batch([{ appendDimension: { sheetId: SHEET, dimension: 'ROWS', length: 1 } }])),
      TOO_MANY_CELLS,
      0,
      'appendDimension',
    );
    const values = await failure(
      functions.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Bảng 1'!J1",
        valueInputOption: 'RAW',
        requestBody: { values: [['cột cuối', 'thêm cột']] },
      }),
    );
    expect(values).toMatchObject({ status: 400, message: TOO_MANY_CELLS });
    expect((await state()).properties?.gridProperties).toMatchObject({ rowCount: 20, columnCount: 10 });
  });
});

describe('protected ranges stop everyone but their editors', () => {
  beforeEach(async () => {
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    await batch([
      {
        addProtectedRange: {
          protectedRange: { range: { sheetId: SHEET }, description: 'Khoá', unprotectedRanges: [range(5, 20, 2, 10)] },
        },
      },
    ]);
  });

  it('refuses a writer who is not an editor through updateCells, mergeCells and values.append, and lets them write the open cells', async () => {
    expect((await failure(batch([writeA1('x')], clerk))).message).toBe(PROTECTED);
    expect(
      (await failure(batch([{ mergeCells: { range: range(5, 6, 0, 2), mergeType: 'MERGE_ALL' } }], clerk))).message,
    ).toBe(PROTECTED);
    const append = await failure(
      clerk.sheets.spreadsheets.values.append({
        spreadsheetId: id,
        range: "'Bảng 1'!A1:B1",
        valueInputOption: 'RAW',
        requestBody: { values: [['a', 'b']] },
      }),
    );
    expect(append).toMatchObject({ status: 400, message: PROTECTED });
    await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Bảng 1'!C6",
      valueInputOption: 'RAW',
      requestBody: { values: [['mở']] },
    });
    expect(await readA6()).toBeUndefined();
  });
});
