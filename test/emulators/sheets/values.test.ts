import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import { FUNCTIONS, type Clients, clientsFor, createSpreadsheet, failure, startEmulator } from './helpers.js';

let emulator: SheetsEmulator;
let functions: Clients;
let id: string;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Values', locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
    sheets: [
      { properties: { title: 'Bảng 1', gridProperties: { rowCount: 20, columnCount: 8 } } },
      { properties: { title: 'Sheet2', gridProperties: { rowCount: 5, columnCount: 3 } } },
    ],
  });
  id = created.spreadsheetId as string;
});

afterAll(async () => {
  await emulator.stop();
});

async function write(range: string, values: unknown[][], valueInputOption: 'RAW' | 'USER_ENTERED' = 'USER_ENTERED') {
  return (
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range,
      valueInputOption,
      requestBody: { values },
    })
  ).data;
}

async function read(
  range: string,
  valueRenderOption = 'UNFORMATTED_VALUE',
  extra: Record<string, string> = {},
): Promise<unknown[][] | undefined> {
  const response = await functions.sheets.spreadsheets.values.get({
    spreadsheetId: id,
    range,
    valueRenderOption,
    ...extra,
  });
  return response.data.values as unknown[][] | undefined;
}

describe('values.batchGet', () => {
  beforeAll(async () => {
    await functions.sheets.spreadsheets.values.clear({ spreadsheetId: id, range: "'Bảng 1'" });
    await write("'Bảng 1'!A1", [['Mã', 'Số lượng', 'Tỷ lệ'], ['HN01', '1.234', '12,5%'], [], ['HN03', '', '', '']]);
  });

  it('returns UNFORMATTED vs FORMATTED values with a quoted Vietnamese sheet name and trailing blanks omitted', async () => {
    const response = await functions.sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Bảng 1'!A1:E10", "'Bảng 1'!B:B"],
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(response.data).toEqual({
      spreadsheetId: id,
      valueRanges: [
        {
          range: "'Bảng 1'!A1:E10",
          majorDimension: 'ROWS',
          values: [['Mã', 'Số lượng', 'Tỷ lệ'], ['HN01', 1234, 0.125], [], ['HN03']],
        },
        { range: "'Bảng 1'!B1:B20", majorDimension: 'ROWS', values: [['Số lượng'], [1234]] },
      ],
    });
    const formatted = await functions.sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Bảng 1'!A2:C2"],
    });
    expect(formatted.data.valueRanges?.[0]?.values).toEqual([['HN01', '1234', '12,50%']]);
  });

  it('resolves rows ranges, bare sheet names, first-sheet ranges and clips to the grid', async () => {
    const response = await functions.sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Bảng 1'!2:4", 'Sheet2', 'A1:B1', "'Bảng 1'!A19:Z100"],
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    const ranges = response.data.valueRanges ?? [];
    expect(ranges.map((r) => r.range)).toEqual([
      "'Bảng 1'!A2:H4",
      'Sheet2!A1:C5',
      "'Bảng 1'!A1:B1",
      "'Bảng 1'!A19:H20",
    ]);
    expect(ranges[0]?.values).toEqual([['HN01', 1234, 0.125], [], ['HN03']]);
    expect(ranges[1]?.values).toBeUndefined();
    expect(ranges[2]?.values).toEqual([['Mã', 'Số lượng']]);
  });

  it('reads by columns', async () => {
    const values = await read("'Bảng 1'!A1:C4", 'UNFORMATTED_VALUE', { majorDimension: 'COLUMNS' });
    expect(values).toEqual([
      ['Mã', 'HN01', '', 'HN03'],
      ['Số lượng', 1234],
      ['Tỷ lệ', 0.125],
    ]);
  });

  it('answers 400 for an unknown sheet, a broken range and a range beyond the grid', async () => {
    const unknown = await failure(read("'Không có'!A1"));
    expect(unknown).toMatchObject({ status: 400, message: "Unable to parse range: 'Không có'!A1" });
    expect(unknown.body).toEqual({
      error: { code: 400, message: "Unable to parse range: 'Không có'!A1", status: 'INVALID_ARGUMENT' },
    });
    expect((await failure(read('Sheet2!A1:B2:C3'))).message).toBe('Unable to parse range: Sheet2!A1:B2:C3');
    expect((await failure(read("'unterminated!A1"))).message).toBe("Unable to parse range: 'unterminated!A1");
    expect((await failure(read('Sheet2!A6'))).message).toBe(
      'Range (Sheet2!A6) exceeds grid limits. Max rows: 5, max columns: 3',
    );
  });
});

describe('values.update with USER_ENTERED (vi_VN) and RAW', () => {
  it('parses numbers with Vietnamese separators', async () => {
    await write('Sheet2!A1', [['1.234', '1,5', '1.234,5', '12.345.678', '-2,25', '1.5']]);
    expect(await read('Sheet2!A1:F1')).toEqual([[1234, 1.5, 1234.5, 12345678, -2.25, '1.5']]);
  });

  it('parses percentages, dates, date-times, booleans, apostrophes and keeps other text', async () => {
    await write("'Bảng 1'!A10", [
      ['15%', '14/07/2020', '14/07/2020 09:12', 'true', 'FALSE', "'0123", "'=1+1", 'Hà Nội'],
    ]);
    const serialDate = 44026;
    const serialDateTime = 44026 + (9 * 60 + 12) / 1440;
    const unformatted = (await read("'Bảng 1'!A10:H10")) as unknown[][];
    expect(unformatted[0]?.[0]).toBe(0.15);
    expect(unformatted[0]?.[1]).toBe(serialDate);
    expect(unformatted[0]?.[2]).toBeCloseTo(serialDateTime, 9);
    expect(unformatted[0]?.slice(3)).toEqual([true, false, '0123', '=1+1', 'Hà Nội']);
    expect(await read("'Bảng 1'!A10:H10", 'FORMATTED_VALUE')).toEqual([
      ['15%', '14/07/2020', '14/07/2020 09:12:00', 'TRUE', 'FALSE', '0123', '=1+1', 'Hà Nội'],
    ]);
    expect(await read("'Bảng 1'!A10:C10", 'UNFORMATTED_VALUE', { dateTimeRenderOption: 'FORMATTED_STRING' })).toEqual([
      [0.15, '14/07/2020', '14/07/2020 09:12:00'],
    ]);
    const grid = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ["'Bảng 1'!A10:C10"],
      fields: 'sheets(data(rowData(values(userEnteredFormat/numberFormat))))',
    });
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values).toEqual([
      { userEnteredFormat: { numberFormat: { type: 'PERCENT', pattern: '0%' } } },
      { userEnteredFormat: { numberFormat: { type: 'DATE', pattern: 'dd/MM/yyyy' } } },
      { userEnteredFormat: { numberFormat: { type: 'DATE_TIME', pattern: 'dd/MM/yyyy HH:mm:ss' } } },
    ]);
  });

  it('evaluates formulas and gives the matching error values', async () => {
    await write('Sheet2!A2', [
      [10, 20, '=SUM(A2:B2)'],
      ['=A2+B2*2', '=(A2+B2)/3', '=MAX(A2:C2)-MIN(A2,B2)+COUNT(A2:C2)'],
      ['=FOO(1)', '=A2/0', '=A2+"abc"'],
      ['=Z99', '=1+', "='Bảng 1'!B2*2"],
    ]);
    expect(await read('Sheet2!A2:C5')).toEqual([
      [10, 20, 30],
      [50, 10, 23],
      ['#NAME?', '#DIV/0!', '#VALUE!'],
      ['#REF!', '#ERROR!', 2468],
    ]);
    expect(await read('Sheet2!A3:A3', 'FORMULA')).toEqual([['=A2+B2*2']]);
    // A link shows its label, or its URL without one; the formula keeps the link.
    await write('Sheet2!D2', [
      [
        '=HYPERLINK("https://drive.google.com/file/d/x/view","bang-tong-hop.xlsx")',
        '=HYPERLINK("https://example.org")',
        '=HYPERLINK()',
      ],
    ]);
    expect(await read('Sheet2!D2:F2')).toEqual([['bang-tong-hop.xlsx', 'https://example.org', '#N/A']]);
    const grid = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ['Sheet2!A4:B4'],
      fields: 'sheets(data(rowData(values(effectiveValue,formattedValue))))',
    });
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values).toEqual([
      {
        effectiveValue: { errorValue: { type: 'NAME', message: "Unknown function: 'FOO'." } },
        formattedValue: '#NAME?',
      },
      {
        effectiveValue: {
          errorValue: { type: 'DIVIDE_BY_ZERO', message: 'Function DIVIDE parameter 2 cannot be zero.' },
        },
        formattedValue: '#DIV/0!',
      },
    ]);
    // Formulas follow later writes to the cells they read.
    await write('Sheet2!A2', [[1]]);
    expect(await read('Sheet2!C2:C2')).toEqual([[21]]);
  });

  it('stores RAW input as given: strings stay strings', async () => {
    await write('Sheet2!A1', [['=1+1', '1.234', 'TRUE', 7, true, "'x"]], 'RAW');
    expect(await read('Sheet2!A1:F1')).toEqual([['=1+1', '1.234', 'TRUE', 7, true, "'x"]]);
    expect(await read('Sheet2!A1:A1', 'FORMULA')).toEqual([['=1+1']]);
  });

  it('keeps typed text in a plain-text formatted cell', async () => {
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            repeatCell: {
              range: { sheetId: 0, startRowIndex: 14, endRowIndex: 15, startColumnIndex: 0, endColumnIndex: 1 },
              cell: { userEnteredFormat: { numberFormat: { type: 'TEXT' } } },
              fields: 'userEnteredFormat.numberFormat',
            },
          },
        ],
      },
    });
    await write("'Bảng 1'!A15", [['0123']]);
    expect(await read("'Bảng 1'!A15")).toEqual([['0123']]);
  });

  it('skips nulls, clears on empty string, and reports what was written', async () => {
    await write("'Bảng 1'!A17", [['old', 'keep', 'gone']]);
    const response = await write("'Bảng 1'!A17", [
      ['a', null, ''],
      [null, 'b'],
    ]);
    expect(response).toEqual({
      spreadsheetId: id,
      updatedRange: "'Bảng 1'!A17:C18",
      updatedRows: 2,
      updatedColumns: 3,
      updatedCells: 3,
    });
    expect(await read("'Bảng 1'!A17:C18")).toEqual([
      ['a', 'keep'],
      ['', 'b'],
    ]);
  });

  it('refuses to write past an explicitly bounded range', async () => {
    const result = await failure(write('Sheet2!A1:B1', [['a', 'b', 'c']]));
    expect(result).toMatchObject({
      status: 400,
      message: 'Requested writing within range [Sheet2!A1:B1], but tried writing to column [C]',
    });
  });

  it('grows the grid when values run past it, but not from a start off the grid', async () => {
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [{ addSheet: { properties: { title: 'Grow', gridProperties: { rowCount: 5, columnCount: 3 } } } }],
      },
    });
    const response = await write('Grow!C5', [['x', 'y'], ['z']]);
    expect(response.updatedRange).toBe('Grow!C5:D6');
    const sheet = emulator.getSpreadsheetState(id)?.sheets.find((s) => s.properties.title === 'Grow');
    expect(sheet?.properties.gridProperties).toMatchObject({ rowCount: 6, columnCount: 4 });
    const off = await failure(write('Grow!A10', [['no']]));
    expect(off.message).toBe('Range (Grow!A10) exceeds grid limits. Max rows: 6, max columns: 4');
  });
});

describe('values.batchUpdate, clear, batchClear and append', () => {
  it('writes several ranges and totals the counts', async () => {
    const response = await functions.sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: 'USER_ENTERED',
        data: [
          {
            range: "'Bảng 1'!E1",
            values: [
              ['a', 'b'],
              ['c', 'd'],
            ],
          },
          { range: 'Sheet2!A1:A2', majorDimension: 'COLUMNS', values: [['p', 'q']] },
        ],
      },
    });
    expect(response.data).toMatchObject({
      spreadsheetId: id,
      totalUpdatedRows: 4,
      totalUpdatedColumns: 3,
      totalUpdatedCells: 6,
      totalUpdatedSheets: 2,
      responses: [
        { spreadsheetId: id, updatedRange: "'Bảng 1'!E1:F2", updatedRows: 2, updatedColumns: 2, updatedCells: 4 },
        { spreadsheetId: id, updatedRange: 'Sheet2!A1:A2', updatedRows: 2, updatedColumns: 1, updatedCells: 2 },
      ],
    });
    expect(await read('Sheet2!A1:A2')).toEqual([['p'], ['q']]);
  });

  it('requires valueInputOption', async () => {
    const result = await failure(
      functions.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: { data: [{ range: 'Sheet2!A1', values: [[1]] }] },
      }),
    );
    expect(result).toMatchObject({ status: 400, message: "'valueInputOption' is required but not specified" });
  });

  it('clears values but keeps formats', async () => {
    const response = await functions.sheets.spreadsheets.values.clear({ spreadsheetId: id, range: "'Bảng 1'!A10:C10" });
    expect(response.data).toEqual({ spreadsheetId: id, clearedRange: "'Bảng 1'!A10:C10" });
    expect(await read("'Bảng 1'!A10:C10")).toBeUndefined();
    const state = emulator.getSpreadsheetState(id)?.sheets[0]?.rows[9]?.[0];
    expect(state?.userEnteredFormat?.numberFormat).toEqual({ type: 'PERCENT', pattern: '0%' });
    const batch = await functions.sheets.spreadsheets.values.batchClear({
      spreadsheetId: id,
      requestBody: { ranges: ["'Bảng 1'!E1:F2", 'Sheet2'] },
    });
    expect(batch.data).toEqual({ spreadsheetId: id, clearedRanges: ["'Bảng 1'!E1:F2", 'Sheet2!A1:F5'] });
    expect(await read('Sheet2')).toBeUndefined();
  });

  it('appends after the last row of the table', async () => {
    await write('Sheet2!A1', [
      ['h1', 'h2'],
      ['r1', 1],
    ]);
    const response = await functions.sheets.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Sheet2!A:B',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['r2', '2,5']] },
    });
    expect(response.data).toMatchObject({
      spreadsheetId: id,
      tableRange: 'Sheet2!A1:B2',
      updates: { updatedRange: 'Sheet2!A3:B3', updatedCells: 2 },
    });
    expect(await read('Sheet2!A1:B3')).toEqual([
      ['h1', 'h2'],
      ['r1', 1],
      ['r2', 2.5],
    ]);
  });
});
