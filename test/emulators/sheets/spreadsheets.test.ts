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

function fullSpreadsheet(): sheets_v4.Schema$Spreadsheet {
  return {
    properties: { title: 'Báo cáo 521 — Ba Đình', locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
    sheets: [
      {
        properties: {
          title: 'Bảng 1',
          gridProperties: { rowCount: 20, columnCount: 6, frozenRowCount: 2, frozenColumnCount: 1 },
          tabColor: { red: 1, green: 0, blue: 0 },
        },
        data: [
          {
            startRow: 0,
            startColumn: 0,
            rowData: [
              {
                values: [
                  {
                    userEnteredValue: { stringValue: 'Chỉ tiêu' },
                    userEnteredFormat: {
                      textFormat: { bold: true },
                      backgroundColor: { red: 0.8, green: 0.9, blue: 1 },
                    },
                    note: 'Tiêu đề',
                  },
                  { userEnteredValue: { stringValue: '=1+1' } },
                ],
              },
              {
                values: [
                  {
                    userEnteredValue: { numberValue: 1234.5 },
                    userEnteredFormat: { numberFormat: { type: 'NUMBER', pattern: '#,##0.00' } },
                  },
                  { userEnteredValue: { formulaValue: '=A2*2' } },
                  {
                    userEnteredValue: { numberValue: 3 },
                    dataValidation: {
                      condition: { type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: '0' }] },
                      strict: true,
                    },
                  },
                ],
              },
            ],
            rowMetadata: [{ pixelSize: 40 }],
            columnMetadata: [{ pixelSize: 300 }, { pixelSize: 80, hiddenByUser: true }],
          },
        ],
        merges: [{ startRowIndex: 4, endRowIndex: 5, startColumnIndex: 1, endColumnIndex: 3 }],
        conditionalFormats: [
          {
            ranges: [{ startRowIndex: 1, endRowIndex: 10, startColumnIndex: 0, endColumnIndex: 1 }],
            booleanRule: {
              condition: { type: 'NUMBER_LESS', values: [{ userEnteredValue: '0' }] },
              format: { textFormat: { foregroundColor: { red: 1 } } },
            },
          },
        ],
        protectedRanges: [
          {
            range: {},
            description: 'Chỉ nhập vào ô trắng',
            unprotectedRanges: [{ startRowIndex: 1, endRowIndex: 20, startColumnIndex: 2, endColumnIndex: 6 }],
            editors: { users: ['lead@ubnd-ha-noi.example'] },
          },
        ],
      },
      { properties: { title: 'Hướng dẫn', hidden: true, sheetId: 77 } },
    ],
  };
}

describe('spreadsheets.create and spreadsheets.get', () => {
  let created: sheets_v4.Schema$Spreadsheet;
  let id: string;

  beforeAll(async () => {
    created = await createSpreadsheet(functions, fullSpreadsheet());
    id = created.spreadsheetId as string;
  });

  it('returns the spreadsheet with an id, url and assigned ids', () => {
    expect(id).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(created.spreadsheetUrl).toBe(`https://docs.google.com/spreadsheets/d/${id}/edit`);
    expect(created.properties).toMatchObject({
      title: 'Báo cáo 521 — Ba Đình',
      locale: 'vi_VN',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const [first, second] = created.sheets ?? [];
    expect(first?.properties).toMatchObject({
      sheetId: 0,
      title: 'Bảng 1',
      index: 0,
      sheetType: 'GRID',
      gridProperties: { rowCount: 20, columnCount: 6, frozenRowCount: 2, frozenColumnCount: 1 },
      tabColor: { red: 1 },
      tabColorStyle: { rgbColor: { red: 1 } },
    });
    expect(second?.properties).toMatchObject({ sheetId: 77, title: 'Hướng dẫn', index: 1, hidden: true });
    const protectedRange = first?.protectedRanges?.[0];
    expect(protectedRange?.protectedRangeId).toEqual(expect.any(Number));
    expect(protectedRange?.editors?.users).toEqual(expect.arrayContaining([FUNCTIONS, 'lead@ubnd-ha-noi.example']));
    expect(protectedRange?.requestingUserCanEdit).toBe(true);
    expect(first?.merges).toEqual([
      { sheetId: 0, startRowIndex: 4, endRowIndex: 5, startColumnIndex: 1, endColumnIndex: 3 },
    ]);
    expect(first?.conditionalFormats?.[0]?.ranges?.[0]).toMatchObject({ sheetId: 0, startRowIndex: 1 });
  });

  it('also creates the Drive file, owned by the caller', async () => {
    const file = await functions.drive.files.get({
      fileId: id,
      fields: 'id,name,mimeType,owners(emailAddress),version',
    });
    expect(file.data).toMatchObject({
      id,
      name: 'Báo cáo 521 — Ba Đình',
      mimeType: 'application/vnd.google-apps.spreadsheet',
      owners: [{ emailAddress: FUNCTIONS }],
    });
  });

  it('returns grid data with values, formats, notes and validation', async () => {
    const response = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ["'Bảng 1'!A1:C3"],
      includeGridData: true,
    });
    expect(response.data.sheets).toHaveLength(1);
    const data = response.data.sheets?.[0]?.data?.[0];
    const [row1, row2] = data?.rowData ?? [];
    expect(row1?.values?.[0]).toMatchObject({
      userEnteredValue: { stringValue: 'Chỉ tiêu' },
      effectiveValue: { stringValue: 'Chỉ tiêu' },
      formattedValue: 'Chỉ tiêu',
      note: 'Tiêu đề',
      userEnteredFormat: { textFormat: { bold: true }, backgroundColor: { red: 0.8, green: 0.9, blue: 1 } },
      effectiveFormat: { textFormat: { bold: true, fontFamily: 'Arial', fontSize: 10 }, verticalAlignment: 'BOTTOM' },
    });
    expect(row1?.values?.[1]).toMatchObject({ userEnteredValue: { stringValue: '=1+1' }, formattedValue: '=1+1' });
    expect(row2?.values?.[0]).toMatchObject({ effectiveValue: { numberValue: 1234.5 }, formattedValue: '1.234,50' });
    expect(row2?.values?.[1]).toMatchObject({
      userEnteredValue: { formulaValue: '=A2*2' },
      effectiveValue: { numberValue: 2469 },
      formattedValue: '2469',
    });
    expect(row2?.values?.[2]?.dataValidation).toMatchObject({
      condition: { type: 'NUMBER_GREATER_THAN_EQ' },
      strict: true,
    });
    // Trailing empty rows are omitted; metadata covers every requested row and column.
    expect(data?.rowData).toHaveLength(2);
    expect(data?.rowMetadata).toEqual([{ pixelSize: 40 }, { pixelSize: 21 }, { pixelSize: 21 }]);
    expect(data?.columnMetadata).toEqual([
      { pixelSize: 300 },
      { pixelSize: 80, hiddenByUser: true },
      { pixelSize: 100 },
    ]);
  });

  it('projects the response through a nested fields mask (and then returns grid data without includeGridData)', async () => {
    const response = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      fields:
        'sheets(properties(sheetId,title),data(rowData(values(effectiveValue,formattedValue,note,effectiveFormat/numberFormat))),merges)',
    });
    const sheets = response.data.sheets ?? [];
    expect(Object.keys(response.data)).toEqual(['sheets']);
    expect(sheets[0]?.properties).toEqual({ sheetId: 0, title: 'Bảng 1' });
    expect(sheets[0]?.merges).toHaveLength(1);
    expect(sheets[1]).toEqual({ properties: { sheetId: 77, title: 'Hướng dẫn' }, data: [{}] });
    const cells = sheets[0]?.data?.[0]?.rowData?.[1]?.values ?? [];
    expect(cells[0]).toEqual({
      effectiveValue: { numberValue: 1234.5 },
      formattedValue: '1.234,50',
      effectiveFormat: { numberFormat: { type: 'NUMBER', pattern: '#,##0.00' } },
    });
    expect(cells[1]).toEqual({ effectiveValue: { numberValue: 2469 }, formattedValue: '2469' });
  });

  it('omits grid data unless asked', async () => {
    const response = await functions.sheets.spreadsheets.get({ spreadsheetId: id });
    expect(response.data.sheets?.[0]?.data).toBeUndefined();
    expect(response.data.sheets).toHaveLength(2);
  });

  it('creates a default sheet when none is given, named for the locale', async () => {
    const vietnamese = await createSpreadsheet(functions, { properties: { title: 'Trống', locale: 'vi_VN' } });
    expect(vietnamese.sheets?.[0]?.properties).toMatchObject({
      sheetId: 0,
      title: 'Trang tính1',
      gridProperties: { rowCount: 1000, columnCount: 26 },
    });
    const english = await createSpreadsheet(functions, {});
    expect(english.properties?.title).toBe('Untitled spreadsheet');
    expect(english.sheets?.[0]?.properties?.title).toBe('Sheet1');
  });

  it('rejects a duplicate sheet title at create', async () => {
    const result = await failure(
      createSpreadsheet(functions, { sheets: [{ properties: { title: 'A' } }, { properties: { title: 'a' } }] }),
    );
    expect(result.status).toBe(400);
    expect(result.message).toContain('A sheet with the name "a" already exists');
  });
});

describe('spreadsheets.batchUpdate', () => {
  let id: string;

  async function batch(requests: sheets_v4.Schema$Request[]): Promise<sheets_v4.Schema$BatchUpdateSpreadsheetResponse> {
    const response = await functions.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });
    return response.data;
  }

  async function rows(range: string, valueRenderOption = 'UNFORMATTED_VALUE'): Promise<unknown[][]> {
    const response = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range, valueRenderOption });
    return (response.data.values ?? []) as unknown[][];
  }

  async function sheetOf(sheetId: number): Promise<sheets_v4.Schema$Sheet | undefined> {
    const response = await functions.sheets.spreadsheets.get({ spreadsheetId: id });
    return response.data.sheets?.find((sheet) => sheet.properties?.sheetId === sheetId);
  }

  beforeAll(async () => {
    const created = await createSpreadsheet(functions, {
      properties: { title: 'Batch', locale: 'vi_VN' },
      sheets: [{ properties: { title: 'Data', gridProperties: { rowCount: 10, columnCount: 5 } } }],
    });
    id = created.spreadsheetId as string;
  });

  it('adds, duplicates, renames, moves and deletes sheets, with replies in order', async () => {
    const result = await batch([
      { addSheet: { properties: { title: 'Extra', gridProperties: { rowCount: 5, columnCount: 3 } } } },
      { updateSpreadsheetProperties: { properties: { title: 'Batch renamed' }, fields: 'title' } },
      { duplicateSheet: { sourceSheetId: 0, newSheetName: 'Data copy', insertSheetIndex: 1, newSheetId: 500 } },
    ]);
    expect(result.replies?.[0]?.addSheet?.properties).toMatchObject({
      title: 'Extra',
      index: 1,
      gridProperties: { rowCount: 5, columnCount: 3 },
    });
    expect(result.replies?.[1]).toEqual({});
    expect(result.replies?.[2]?.duplicateSheet?.properties).toMatchObject({
      sheetId: 500,
      title: 'Data copy',
      index: 1,
    });
    const extraId = result.replies?.[0]?.addSheet?.properties?.sheetId as number;
    await batch([
      {
        updateSheetProperties: {
          properties: { sheetId: extraId, title: 'Phụ lục', index: 0, hidden: true },
          fields: 'title,index,hidden',
        },
      },
    ]);
    let spreadsheet = await functions.sheets.spreadsheets.get({ spreadsheetId: id });
    expect(spreadsheet.data.properties?.title).toBe('Batch renamed');
    expect(
      spreadsheet.data.sheets?.map((s) => [s.properties?.title, s.properties?.index, s.properties?.hidden ?? false]),
    ).toEqual([
      ['Phụ lục', 0, true],
      ['Data', 1, false],
      ['Data copy', 2, false],
    ]);
    // The spreadsheet title is the Drive file name.
    const file = await functions.drive.files.get({ fileId: id, fields: 'name' });
    expect(file.data.name).toBe('Batch renamed');
    await batch([{ deleteSheet: { sheetId: extraId } }, { deleteSheet: { sheetId: 500 } }]);
    spreadsheet = await functions.sheets.spreadsheets.get({ spreadsheetId: id });
    expect(spreadsheet.data.sheets?.map((s) => s.properties?.title)).toEqual(['Data']);
  });

  it('is all-or-nothing: a batch whose third request is invalid changes nothing', async () => {
    const before = structuredClone(emulator.getSpreadsheetState(id));
    const versionBefore = emulator.getDriveFileState(id)?.version;
    const result = await failure(
      batch([
        { addSheet: { properties: { title: 'Never' } } },
        { repeatCell: { range: { sheetId: 0 }, cell: { note: 'x' }, fields: 'note' } },
        { updateCells: { start: { sheetId: 9999 }, rows: [{ values: [{ note: 'y' }] }], fields: 'note' } },
      ]),
    );
    expect(result.status).toBe(400);
    expect(result.message).toBe('Invalid requests[2].updateCells: No grid with id: 9999');
    expect(result.body).toEqual({
      error: {
        code: 400,
        message: 'Invalid requests[2].updateCells: No grid with id: 9999',
        status: 'INVALID_ARGUMENT',
      },
    });
    expect(emulator.getSpreadsheetState(id)).toEqual(before);
    expect(emulator.getDriveFileState(id)?.version).toBe(versionBefore);
  });

  it('rejects an unknown request type with the JSON payload message', async () => {
    const result = await failure(
      batch([{ addSheet: { properties: { title: 'Z' } } }, { frobnicate: {} } as sheets_v4.Schema$Request]),
    );
    expect(result.status).toBe(400);
    expect(result.message).toBe(
      `Invalid JSON payload received. Unknown name "frobnicate" at 'requests[1]': Cannot find field.`,
    );
  });

  it('rejects a bad sheetId', async () => {
    const result = await failure(batch([{ deleteSheet: { sheetId: 4242 } }]));
    expect(result.status).toBe(400);
    expect(result.message).toBe('Invalid requests[0].deleteSheet: No sheet with id: 4242');
  });

  it('writes notes and backgrounds through repeatCell and updateCells field masks', async () => {
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Data!A1',
      valueInputOption: 'RAW',
      requestBody: {
        values: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    });
    await batch([
      {
        repeatCell: {
          range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 },
          cell: { userEnteredFormat: { backgroundColor: { red: 1, green: 1, blue: 0 }, textFormat: { bold: true } } },
          fields: 'userEnteredFormat.backgroundColor',
        },
      },
      {
        updateCells: {
          start: { sheetId: 0, rowIndex: 0, columnIndex: 1 },
          rows: [{ values: [{ note: 'ghi chú', userEnteredValue: { stringValue: 'ignored' } }] }],
          fields: 'note',
        },
      },
    ]);
    const response = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ['Data!A1:B2'],
      fields: 'sheets(data(rowData(values(userEnteredValue,userEnteredFormat,note))))',
    });
    const grid = response.data.sheets?.[0]?.data?.[0]?.rowData ?? [];
    expect(grid[0]?.values?.[0]).toEqual({
      userEnteredValue: { stringValue: 'a' },
      userEnteredFormat: {
        backgroundColor: { red: 1, green: 1 },
        backgroundColorStyle: { rgbColor: { red: 1, green: 1 } },
      },
    });
    // Only the masked field changed: the value is still 'b' and bold was not applied.
    expect(grid[0]?.values?.[1]).toMatchObject({ userEnteredValue: { stringValue: 'b' }, note: 'ghi chú' });
    // A masked field absent from the data is cleared; '*' replaces the whole cell.
    await batch([
      {
        repeatCell: {
          range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 1, endColumnIndex: 2 },
          cell: {},
          fields: 'note',
        },
      },
      {
        updateCells: {
          range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 },
          rows: [{ values: [{ userEnteredValue: { numberValue: 5 } }] }],
          fields: '*',
        },
      },
    ]);
    const after = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ['Data!A1:B2'],
      fields: 'sheets(data(rowData(values(userEnteredValue,userEnteredFormat,note))))',
    });
    const gridAfter = after.data.sheets?.[0]?.data?.[0]?.rowData ?? [];
    expect(gridAfter[0]?.values?.[1]?.note).toBeUndefined();
    expect(gridAfter[1]?.values).toEqual([{ userEnteredValue: { numberValue: 5 } }]);
  });

  it('merges and unmerges cells, keeping the top-left value', async () => {
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Data!A5',
      valueInputOption: 'RAW',
      requestBody: {
        values: [
          ['keep', 'lost'],
          ['r2a', 'r2b'],
        ],
      },
    });
    await batch([
      {
        mergeCells: {
          range: { sheetId: 0, startRowIndex: 4, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 },
          mergeType: 'MERGE_ALL',
        },
      },
      {
        mergeCells: {
          range: { sheetId: 0, startRowIndex: 6, endRowIndex: 8, startColumnIndex: 0, endColumnIndex: 2 },
          mergeType: 'MERGE_COLUMNS',
        },
      },
    ]);
    expect(await rows('Data!A5:B5')).toEqual([['keep']]);
    let sheet = await sheetOf(0);
    expect(sheet?.merges).toEqual([
      { sheetId: 0, startRowIndex: 4, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 },
      { sheetId: 0, startRowIndex: 6, endRowIndex: 8, startColumnIndex: 0, endColumnIndex: 1 },
      { sheetId: 0, startRowIndex: 6, endRowIndex: 8, startColumnIndex: 1, endColumnIndex: 2 },
    ]);
    const partial = await failure(
      batch([
        {
          unmergeCells: {
            range: { sheetId: 0, startRowIndex: 4, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 1 },
          },
        },
      ]),
    );
    expect(partial.message).toBe(
      'Invalid requests[0].unmergeCells: You must select all cells in a merged range to merge or unmerge them.',
    );
    await batch([{ unmergeCells: { range: { sheetId: 0, startRowIndex: 6, endRowIndex: 8 } } }]);
    sheet = await sheetOf(0);
    expect(sheet?.merges).toHaveLength(1);
  });

  it('inserts and deletes rows and columns, shifting cells, merges, validations, protections and formulas', async () => {
    const created = await createSpreadsheet(functions, {
      properties: { title: 'Shift', locale: 'vi_VN' },
      sheets: [
        {
          properties: { title: 'S', gridProperties: { rowCount: 10, columnCount: 5 } },
          merges: [{ startRowIndex: 1, endRowIndex: 3, startColumnIndex: 0, endColumnIndex: 2 }],
          protectedRanges: [{ range: { startRowIndex: 5, endRowIndex: 6 }, description: 'row 6' }],
          conditionalFormats: [
            {
              ranges: [{ startRowIndex: 4, endRowIndex: 6, startColumnIndex: 0, endColumnIndex: 1 }],
              booleanRule: { condition: { type: 'NOT_BLANK' }, format: { textFormat: { bold: true } } },
            },
          ],
        },
      ],
    });
    const shiftId = created.spreadsheetId as string;
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: shiftId,
      range: 'S!A1',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['h'], ['m'], [''], [1], [2], ['=SUM(A4:A5)', '=A4']] },
    });
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: shiftId,
      requestBody: {
        requests: [
          {
            setDataValidation: {
              range: { sheetId: 0, startRowIndex: 3, endRowIndex: 4, startColumnIndex: 0, endColumnIndex: 1 },
              rule: { condition: { type: 'NUMBER_GREATER', values: [{ userEnteredValue: '0' }] }, strict: true },
            },
          },
          { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 2, endIndex: 4 } } },
          {
            insertDimension: {
              range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 },
              inheritFromBefore: false,
            },
          },
        ],
      },
    });
    const get = async (): Promise<sheets_v4.Schema$Spreadsheet> =>
      (await functions.sheets.spreadsheets.get({ spreadsheetId: shiftId, ranges: ['S!A1:F12'], includeGridData: true }))
        .data;
    let data = await get();
    let sheet = data.sheets?.[0];
    expect(sheet?.properties?.gridProperties).toMatchObject({ rowCount: 12, columnCount: 6 });
    // The merge spanned the inserted rows: it grows, and moves right with the new column.
    expect(sheet?.merges).toEqual([
      { sheetId: 0, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 1, endColumnIndex: 3 },
    ]);
    expect(sheet?.protectedRanges?.[0]?.range).toMatchObject({ startRowIndex: 7, endRowIndex: 8 });
    expect(sheet?.conditionalFormats?.[0]?.ranges?.[0]).toMatchObject({
      startRowIndex: 6,
      endRowIndex: 8,
      startColumnIndex: 1,
      endColumnIndex: 2,
    });
    const values = (
      await functions.sheets.spreadsheets.values.get({
        spreadsheetId: shiftId,
        range: 'S!A1:C8',
        valueRenderOption: 'FORMULA',
      })
    ).data.values;
    expect(values).toEqual([['', 'h'], ['', 'm'], [], [], [], ['', 1], ['', 2], ['', '=SUM(B6:B7)', '=B6']]);
    expect(sheet?.data?.[0]?.rowData?.[5]?.values?.[1]?.dataValidation).toMatchObject({
      condition: { type: 'NUMBER_GREATER' },
    });
    // Deleting a referenced row turns a lone reference into #REF! and shrinks ranges.
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: shiftId,
      requestBody: {
        requests: [
          { deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 5, endIndex: 6 } } },
          { deleteDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } },
        ],
      },
    });
    data = await get();
    sheet = data.sheets?.[0];
    expect(sheet?.properties?.gridProperties).toMatchObject({ rowCount: 11, columnCount: 5 });
    expect(sheet?.merges).toEqual([
      { sheetId: 0, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 },
    ]);
    expect(sheet?.protectedRanges?.[0]?.range).toMatchObject({ startRowIndex: 6, endRowIndex: 7 });
    const formulas = (
      await functions.sheets.spreadsheets.values.get({
        spreadsheetId: shiftId,
        range: 'S!A6:B7',
        valueRenderOption: 'FORMULA',
      })
    ).data.values;
    expect(formulas).toEqual([[2], ['=SUM(A6:A6)', '=#REF!']]);
    const computed = (await functions.sheets.spreadsheets.values.get({ spreadsheetId: shiftId, range: 'S!A7:B7' })).data
      .values;
    expect(computed).toEqual([['2', '#REF!']]);
    const all = await failure(
      functions.sheets.spreadsheets.batchUpdate({
        spreadsheetId: shiftId,
        requestBody: {
          requests: [{ deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 0, endIndex: 11 } } }],
        },
      }),
    );
    expect(all.message).toBe("Invalid requests[0].deleteDimension: You can't delete all the rows on the sheet.");
  });

  it('sets dimension properties, appends dimensions, borders, conditional formats and protected ranges', async () => {
    const result = await batch([
      {
        updateDimensionProperties: {
          range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 2 },
          properties: { pixelSize: 250 },
          fields: 'pixelSize',
        },
      },
      {
        updateDimensionProperties: {
          range: { sheetId: 0, dimension: 'ROWS', startIndex: 3, endIndex: 4 },
          properties: { hiddenByUser: true },
          fields: 'hiddenByUser',
        },
      },
      { appendDimension: { sheetId: 0, dimension: 'ROWS', length: 5 } },
      {
        updateBorders: {
          range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 },
          top: { style: 'SOLID' },
          bottom: { style: 'SOLID' },
          left: { style: 'SOLID' },
          right: { style: 'SOLID' },
          innerHorizontal: { style: 'DASHED' },
        },
      },
      {
        addConditionalFormatRule: {
          index: 0,
          rule: {
            ranges: [{ sheetId: 0, startRowIndex: 0, endRowIndex: 5 }],
            booleanRule: { condition: { type: 'BLANK' }, format: { backgroundColor: { red: 1 } } },
          },
        },
      },
      {
        addProtectedRange: {
          protectedRange: {
            range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 },
            description: 'header',
            warningOnly: true,
          },
        },
      },
      { autoResizeDimensions: { dimensions: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 2 } } },
    ]);
    const added = result.replies?.[5]?.addProtectedRange?.protectedRange;
    expect(added).toMatchObject({ description: 'header', warningOnly: true, requestingUserCanEdit: true });
    const response = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ['Data!A1:B5'],
      includeGridData: true,
    });
    const sheet = response.data.sheets?.[0];
    expect(sheet?.properties?.gridProperties?.rowCount).toBe(15);
    expect(sheet?.data?.[0]?.columnMetadata).toEqual([{ pixelSize: 250 }, { pixelSize: 250 }]);
    expect(sheet?.data?.[0]?.rowMetadata?.[3]).toEqual({ pixelSize: 21, hiddenByUser: true });
    const topLeft = sheet?.data?.[0]?.rowData?.[0]?.values?.[0]?.userEnteredFormat?.borders;
    expect(topLeft).toMatchObject({
      top: { style: 'SOLID', width: 1 },
      left: { style: 'SOLID' },
      bottom: { style: 'DASHED' },
    });
    expect(topLeft?.right).toBeUndefined();
    expect(sheet?.conditionalFormats?.[0]?.booleanRule?.condition?.type).toBe('BLANK');
    const protectedId = added?.protectedRangeId as number;
    await batch([
      {
        updateProtectedRange: {
          protectedRange: { protectedRangeId: protectedId, description: 'tiêu đề' },
          fields: 'description',
        },
      },
      { deleteConditionalFormatRule: { sheetId: 0, index: 0 } },
    ]);
    let after = await sheetOf(0);
    expect(after?.protectedRanges?.find((p) => p.protectedRangeId === protectedId)?.description).toBe('tiêu đề');
    expect(after?.conditionalFormats ?? []).toHaveLength(0);
    await batch([{ deleteProtectedRange: { protectedRangeId: protectedId } }]);
    after = await sheetOf(0);
    expect(after?.protectedRanges ?? []).toHaveLength(0);
  });

  it('appends cells after the last row with data, reorders conditional formats, and says 501 for request types it does not emulate', async () => {
    const created = await createSpreadsheet(functions, {
      sheets: [{ properties: { title: 'Log', gridProperties: { rowCount: 2, columnCount: 3 } } }],
    });
    const logId = created.spreadsheetId as string;
    const run = (requests: sheets_v4.Schema$Request[]) =>
      functions.sheets.spreadsheets.batchUpdate({ spreadsheetId: logId, requestBody: { requests } });
    const rule = (type: string): sheets_v4.Schema$ConditionalFormatRule => ({
      ranges: [{ sheetId: 0 }],
      booleanRule: { condition: { type }, format: { textFormat: { italic: true } } },
    });
    const result = await run([
      {
        appendCells: {
          sheetId: 0,
          rows: [{ values: [{ userEnteredValue: { stringValue: 'r1' } }] }],
          fields: 'userEnteredValue',
        },
      },
      {
        appendCells: {
          sheetId: 0,
          rows: [
            { values: [{ userEnteredValue: { stringValue: 'r2' } }] },
            { values: [{ userEnteredValue: { stringValue: 'r3' } }] },
          ],
          fields: 'userEnteredValue',
        },
      },
      { addConditionalFormatRule: { rule: rule('BLANK'), index: 0 } },
      { addConditionalFormatRule: { rule: rule('NOT_BLANK'), index: 1 } },
      { updateConditionalFormatRule: { sheetId: 0, index: 1, newIndex: 0 } },
    ]);
    expect(result.data.replies?.[4]?.updateConditionalFormatRule).toMatchObject({ oldIndex: 1, newIndex: 0 });
    const values = await functions.sheets.spreadsheets.values.get({ spreadsheetId: logId, range: 'Log!A:A' });
    expect(values.data).toMatchObject({ range: 'Log!A1:A3', values: [['r1'], ['r2'], ['r3']] });
    const sheet = (await functions.sheets.spreadsheets.get({ spreadsheetId: logId })).data.sheets?.[0];
    expect(sheet?.conditionalFormats?.map((r) => r.booleanRule?.condition?.type)).toEqual(['NOT_BLANK', 'BLANK']);
    const unsupported = await failure(
      run([{ sortRange: { range: { sheetId: 0 }, sortSpecs: [{ dimensionIndex: 0 }] } }]),
    );
    expect(unsupported.status).toBe(501);
    expect(unsupported.message).toContain('sortRange');
  });

  it('returns the updated spreadsheet when asked', async () => {
    const response = await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            updateSheetProperties: {
              properties: { sheetId: 0, gridProperties: { frozenRowCount: 1 } },
              fields: 'gridProperties.frozenRowCount',
            },
          },
        ],
        includeSpreadsheetInResponse: true,
      },
    });
    expect(response.data.updatedSpreadsheet?.sheets?.[0]?.properties?.gridProperties).toMatchObject({
      frozenRowCount: 1,
      rowCount: 15,
      columnCount: 5,
    });
  });
});
