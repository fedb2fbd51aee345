/**
 * A batchUpdate is all-or-nothing ("If any request is not valid, no requests will be applied",
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate).
 * The emulator applies a batch to a working copy that shares the stored rows and copies a row
 * the first time it writes to it: every request kind that edits cells, followed by an invalid
 * request, must leave the stored spreadsheet exactly as it was, and change it when it stands
 * alone (so the first half cannot pass by the request doing nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import { FUNCTIONS, type Clients, clientsFor, createSpreadsheet, failure, startEmulator } from './helpers.js';

let emulator: SheetsEmulator;
let functions: Clients;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
});

afterAll(async () => {
  await emulator.stop();
});

const REFERENCED = 77;
const INVALID: sheets_v4.Schema$Request = {
  updateCells: { start: { sheetId: 9999 }, rows: [{ values: [{ note: 'never' }] }], fields: 'note' },
};

function populated(): sheets_v4.Schema$Spreadsheet {
  const text = (value: string) => ({ userEnteredValue: { stringValue: value } });
  const validation = {
    condition: { type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: '0' }] },
    strict: true,
  };
  return {
    properties: { title: 'Tổng hợp', locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
    sheets: [
      {
        properties: { sheetId: 0, title: 'Bảng 1', gridProperties: { rowCount: 12, columnCount: 5 } },
        data: [
          {
            startRow: 0,
            startColumn: 0,
            rowData: [
              { values: [text('Chỉ tiêu'), text('Ba Đình'), text('Hoàn Kiếm')] },
              {
                values: [
                  { userEnteredValue: { numberValue: 12 }, note: 'Số vụ', dataValidation: validation },
                  { userEnteredValue: { formulaValue: '=A2*2' } },
                  { userEnteredValue: { numberValue: 3 }, dataValidation: validation },
                ],
              },
              { values: [text('Tổng'), { userEnteredValue: { formulaValue: '=SUM(B1:B2)' } }] },
            ],
          },
        ],
        merges: [{ sheetId: 0, startRowIndex: 4, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 }],
      },
      {
        properties: { sheetId: REFERENCED, title: 'Tham chiếu', gridProperties: { rowCount: 5, columnCount: 3 } },
        data: [
          {
            startRow: 0,
            startColumn: 0,
            rowData: [{ values: [{ userEnteredValue: { formulaValue: "='Bảng 1'!A2+1" } }, text('giữ nguyên')] }],
          },
        ],
      },
    ],
  };
}

const range = (startRow: number, endRow: number, startCol: number, endCol: number, sheetId = 0) => ({
  sheetId,
  startRowIndex: startRow,
  endRowIndex: endRow,
  startColumnIndex: startCol,
  endColumnIndex: endCol,
});

/** One request of each kind that edits stored cells, rows or their neighbours, aimed at populated rows. */
const CASES: Array<[string, sheets_v4.Schema$Request]> = [
  [
    'updateCells over a range',
    {
      updateCells: {
        range: range(0, 2, 0, 2),
        rows: [{ values: [{ userEnteredValue: { stringValue: 'mới' } }] }],
        fields: 'userEnteredValue',
      },
    },
  ],
  [
    'updateCells from a start',
    { updateCells: { start: { sheetId: 0, rowIndex: 1 }, rows: [{ values: [{ note: 'x' }] }], fields: 'note' } },
  ],
  [
    'appendCells',
    { appendCells: { sheetId: 0, rows: [{ values: [{ userEnteredValue: { numberValue: 9 } }] }], fields: '*' } },
  ],
  [
    'repeatCell',
    {
      repeatCell: {
        range: range(0, 3, 0, 3),
        cell: { userEnteredFormat: { backgroundColor: { red: 1 } } },
        fields: 'userEnteredFormat.backgroundColor',
      },
    },
  ],
  ['repeatCell clearing values', { repeatCell: { range: range(0, 3, 0, 3), cell: {}, fields: 'userEnteredValue' } }],
  ['mergeCells (keeps only the top-left value)', { mergeCells: { range: range(0, 1, 0, 3), mergeType: 'MERGE_ALL' } }],
  ['unmergeCells', { unmergeCells: { range: range(4, 5, 0, 2) } }],
  ['setDataValidation removing a rule', { setDataValidation: { range: range(1, 2, 0, 3) } }],
  [
    'setDataValidation adding a rule',
    {
      setDataValidation: {
        range: range(0, 3, 1, 2),
        rule: { condition: { type: 'NUMBER_LESS', values: [{ userEnteredValue: '5' }] } },
      },
    },
  ],
  [
    'updateBorders',
    { updateBorders: { range: range(0, 3, 0, 3), top: { style: 'SOLID' }, innerHorizontal: { style: 'DASHED' } } },
  ],
  [
    'updateDimensionProperties',
    {
      updateDimensionProperties: {
        range: { sheetId: 0, dimension: 'ROWS', startIndex: 0, endIndex: 2 },
        properties: { pixelSize: 40 },
        fields: 'pixelSize',
      },
    },
  ],
  [
    'insertDimension (rows)',
    { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } },
  ],
  [
    'insertDimension (columns)',
    { insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } },
  ],
  [
    'deleteDimension (columns)',
    { deleteDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } },
  ],
  ['appendDimension', { appendDimension: { sheetId: 0, dimension: 'ROWS', length: 3 } }],
  [
    'updateSheetProperties (rename: formulas on other sheets follow)',
    { updateSheetProperties: { properties: { sheetId: 0, title: 'Bảng 1 (mới)' }, fields: 'title' } },
  ],
  [
    'updateSheetProperties (shrinking the grid)',
    {
      updateSheetProperties: {
        properties: { sheetId: 0, gridProperties: { rowCount: 2, columnCount: 2 } },
        fields: 'gridProperties(rowCount,columnCount)',
      },
    },
  ],
  ['duplicateSheet', { duplicateSheet: { sourceSheetId: 0, newSheetName: 'Bản sao' } }],
  ['deleteSheet', { deleteSheet: { sheetId: REFERENCED } }],
];

describe('batchUpdate on a working copy that shares rows', () => {
  it.each(CASES)('%s: changes nothing when a later request fails, and applies alone', async (_name, request) => {
    const created = await createSpreadsheet(functions, populated());
    const spreadsheetId = created.spreadsheetId!;
    const batch = (requests: sheets_v4.Schema$Request[]) =>
      functions.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
    const stored = () => structuredClone(emulator.getSpreadsheetState(spreadsheetId));

    const before = stored();
    expect((await failure(batch([request, INVALID]))).status).toBe(400);
    expect(stored()).toEqual(before);

    await batch([request]);
    const applied = stored();
    expect(applied).not.toEqual(before);

    // Again on the committed result: the rows the first batch copied are the stored ones now.
    expect((await failure(batch([request, request, INVALID]))).status).toBe(400);
    expect(stored()).toEqual(applied);
  });

  it('a failed batch leaves rows a successful batch wrote as they were written', async () => {
    const created = await createSpreadsheet(functions, populated());
    const spreadsheetId = created.spreadsheetId!;
    const batch = (requests: sheets_v4.Schema$Request[]) =>
      functions.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
    await batch([
      { updateCells: { start: { sheetId: 0, rowIndex: 1 }, rows: [{ values: [{ note: 'một' }] }], fields: 'note' } },
    ]);
    await failure(
      batch([
        { updateCells: { start: { sheetId: 0, rowIndex: 1 }, rows: [{ values: [{ note: 'hai' }] }], fields: 'note' } },
        INVALID,
      ]),
    );
    const read = await functions.sheets.spreadsheets.get({
      spreadsheetId,
      ranges: ["'Bảng 1'!A2"],
      fields: 'sheets.data.rowData.values.note',
    });
    expect(read.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values?.[0]?.note).toBe('một');
  });
});
