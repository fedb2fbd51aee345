/**
 * Data validation conditions (BooleanCondition.type) on the emulator, as Google documents them
 * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/other#ConditionType):
 * a rule takes only the types "Supported by data validation" (DATE_IS_VALID among them, which
 * the activities table's date column uses); a type documented for conditional formatting and
 * filters only is refused with 400 INVALID_ARGUMENT, and the batch applies nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import { FUNCTIONS, type Clients, clientsFor, createSpreadsheet, failure, startEmulator } from './helpers.js';

let emulator: SheetsEmulator;
let functions: Clients;
let id: string;
const SHEET = 3;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Kiểm tra dữ liệu' },
    sheets: [{ properties: { sheetId: SHEET, title: 'Hoạt động', gridProperties: { rowCount: 10, columnCount: 5 } } }],
  });
  id = created.spreadsheetId as string;
});

afterAll(async () => {
  await emulator.stop();
});

const cell = (row: number, col: number) => ({
  sheetId: SHEET,
  startRowIndex: row,
  endRowIndex: row + 1,
  startColumnIndex: col,
  endColumnIndex: col + 1,
});
const batch = (requests: sheets_v4.Schema$Request[]) =>
  functions.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });
const ruleWith = (type: string, values?: string[]): sheets_v4.Schema$DataValidationRule => ({
  condition: { type, ...(values ? { values: values.map((v) => ({ userEnteredValue: v })) } : {}) },
  strict: false,
});
async function validationAt(row: number, col: number) {
  const res = await functions.sheets.spreadsheets.get({
    spreadsheetId: id,
    ranges: [`'Hoạt động'!${String.fromCharCode(65 + col)}${row + 1}`],
    fields: 'sheets(data(rowData(values(dataValidation))))',
  });
  return res.data.sheets?.[0]?.data?.[0]?.rowData?.[0]?.values?.[0]?.dataValidation;
}

describe('data validation condition types', () => {
  it('DATE_IS_VALID is accepted, by setDataValidation and in a cell written by updateCells', async () => {
    await batch([
      { setDataValidation: { range: cell(1, 0), rule: ruleWith('DATE_IS_VALID') } },
      {
        updateCells: {
          start: { sheetId: SHEET, rowIndex: 2, columnIndex: 0 },
          rows: [{ values: [{ dataValidation: { ...ruleWith('DATE_IS_VALID'), inputMessage: 'Nhập ngày' } }] }],
          fields: 'dataValidation',
        },
      },
    ]);
    expect(await validationAt(1, 0)).toMatchObject({ condition: { type: 'DATE_IS_VALID' } });
    expect(await validationAt(2, 0)).toMatchObject({ condition: { type: 'DATE_IS_VALID' }, inputMessage: 'Nhập ngày' });
  });

  it.each([
    ['TEXT_STARTS_WITH', ['Ngày']],
    ['BLANK', undefined],
    ['NOT_BLANK', undefined],
    ['DATE_NOT_EQ', ['2020-08-19']],
    ['DATE_IS_A_DATE', undefined],
  ])(
    '%s is refused in a rule (setDataValidation and updateCells), and the batch applies nothing',
    async (type, values) => {
      const set = await failure(
        batch([
          { setDataValidation: { range: cell(4, 1), rule: ruleWith('ONE_OF_LIST', ['Có']) } },
          { setDataValidation: { range: cell(5, 1), rule: ruleWith(type, values) } },
        ]),
      );
      expect(set.status).toBe(400);
      expect(set.message).toContain(`Invalid ConditionType ${type} for data validation.`);
      expect(set.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
      expect(await validationAt(4, 1)).toBeUndefined();
      const written = await failure(
        batch([
          {
            updateCells: {
              start: { sheetId: SHEET, rowIndex: 6, columnIndex: 1 },
              rows: [{ values: [{ dataValidation: ruleWith(type, values) }] }],
              fields: 'dataValidation',
            },
          },
        ]),
      );
      expect(written.status).toBe(400);
      expect(written.message).toContain(`Invalid ConditionType ${type} for data validation.`);
      expect(await validationAt(6, 1)).toBeUndefined();
    },
  );
});
