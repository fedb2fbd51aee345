import { describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import {
  DEFAULT_FIRST_SHEET_ID,
  a1Address,
  rgbToColor,
  toSpreadsheetCreateBody,
} from '../../functions/layout/sheets-render.js';
import { colorToRgb } from '../helpers/sheet-colors.js';
import { LIST_WITH_COMMA, TITLE_BANNER, sampleWorkbook } from './fixtures.js';

function cellOf(sheet: sheets_v4.Schema$Sheet, row: number, col: number): sheets_v4.Schema$CellData | undefined {
  return sheet.data?.[0]?.rowData?.[row]?.values?.[col];
}

describe('toSpreadsheetCreateBody', () => {
  const model = sampleWorkbook();
  const body = toSpreadsheetCreateBody(model, { firstSheetId: 100 });
  const [form, lookup] = body.sheets ?? [];
  if (!form || !lookup) throw new Error('two sheets expected');

  it('describes the spreadsheet and each tab with deterministic sheetIds', () => {
    expect(body.properties).toEqual({
      title: 'Rà soát Quyết định 521 — Quận Hoàn Kiếm',
      locale: 'vi_VN',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(form.properties).toEqual({
      sheetId: 100,
      title: 'Biểu 01 – Tổng hợp',
      index: 0,
      gridProperties: { rowCount: 20, columnCount: 8, frozenRowCount: 3, frozenColumnCount: 2 },
      tabColor: rgbToColor('#1F6FEB'),
    });
    expect(lookup.properties).toEqual({
      sheetId: 101,
      title: 'Danh mục',
      index: 1,
      gridProperties: { rowCount: 5, columnCount: 2 },
      hidden: true,
    });
    expect(toSpreadsheetCreateBody(model).sheets?.[0]?.properties?.sheetId).toBe(DEFAULT_FIRST_SHEET_ID);
  });

  it('writes typed values; strings never become formulas', () => {
    expect(cellOf(form, 0, 0)?.userEnteredValue).toEqual({ stringValue: TITLE_BANNER });
    expect(cellOf(form, 3, 0)?.userEnteredValue).toEqual({ numberValue: 1 });
    expect(cellOf(form, 3, 5)?.userEnteredValue).toEqual({ boolValue: true });
    expect(cellOf(form, 6, 1)?.userEnteredValue).toEqual({ stringValue: '=1+1' });
    expect(cellOf(form, 5, 2)?.userEnteredValue).toEqual({ formulaValue: '=SUM(C4:C5)' });
    expect(cellOf(lookup, 1, 0)?.userEnteredValue).toEqual({ stringValue: '001' });
  });

  it('keeps positions by filling gaps with empty cells', () => {
    const rowData = form.data?.[0]?.rowData ?? [];
    expect(rowData).toHaveLength(9);
    expect(rowData[0]?.values).toHaveLength(1);
    // Row 4 has cells in columns 0–6; column 6 is the hidden code.
    expect(rowData[3]?.values?.[6]?.userEnteredValue).toEqual({ stringValue: 'ma_01' });
    expect(rowData[4]?.values?.[0]).toEqual({});
    expect(form.data?.[0]).toMatchObject({ startRow: 0, startColumn: 0 });
  });

  it('formats cells with colours in 0..1, alignment, wrap, borders and number formats', () => {
    expect(cellOf(form, 0, 0)?.userEnteredFormat).toEqual({
      textFormat: { bold: true, fontSize: 14 },
      horizontalAlignment: 'CENTER',
      verticalAlignment: 'MIDDLE',
      wrapStrategy: 'WRAP',
    });
    const header = cellOf(form, 1, 2)?.userEnteredFormat;
    expect(header?.backgroundColor).toEqual({ red: 0xd9 / 255, green: 0xe2 / 255, blue: 0xf3 / 255 });
    expect(header?.borders).toEqual({
      top: { style: 'SOLID' },
      bottom: { style: 'SOLID' },
      left: { style: 'SOLID' },
      right: { style: 'SOLID' },
    });
    expect(cellOf(form, 2, 2)?.userEnteredFormat?.textFormat).toEqual({
      bold: true,
      italic: true,
      foregroundColor: { red: 0xc0 / 255, green: 0, blue: 0 },
    });
    expect(cellOf(form, 3, 2)?.userEnteredFormat?.numberFormat).toEqual({ type: 'NUMBER', pattern: '#,##0' });
    expect(cellOf(form, 3, 1)?.note).toBe('Đếm cả các đơn vị đã sáp nhập trong kỳ.');
  });

  it('writes validations: integer by custom formula, decimal minimum, lists, checkbox', () => {
    expect(cellOf(form, 3, 2)?.dataValidation).toEqual({
      condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=AND(ISNUMBER(C4),C4>=0,INT(C4)=C4)' }] },
      strict: true,
      inputMessage: 'Nhập số nguyên không âm',
    });
    expect(cellOf(form, 3, 3)?.dataValidation).toEqual({
      condition: { type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: '0' }] },
      strict: false,
    });
    expect(cellOf(form, 3, 4)?.dataValidation).toEqual({
      condition: { type: 'ONE_OF_LIST', values: LIST_WITH_COMMA.map((v) => ({ userEnteredValue: v })) },
      strict: true,
      showCustomUi: true,
    });
    expect(cellOf(form, 4, 4)?.dataValidation?.inputMessage).toBe('Chọn Có hoặc Không');
    expect(cellOf(form, 3, 5)?.dataValidation).toEqual({ condition: { type: 'BOOLEAN' } });
  });

  it('writes row and column sizes and hidden dimensions', () => {
    const data = form.data?.[0];
    expect(data?.rowMetadata?.[0]).toEqual({ pixelSize: 40 });
    expect(data?.rowMetadata?.[7]).toEqual({ hiddenByUser: true });
    expect(data?.rowMetadata?.[3]).toEqual({});
    expect(data?.rowMetadata?.[10]).toEqual({ hiddenByUser: true });
    expect(data?.columnMetadata).toEqual([
      { pixelSize: 40 },
      { pixelSize: 320 },
      {},
      {},
      {},
      {},
      { pixelSize: 60, hiddenByUser: true },
    ]);
  });

  it('writes merges and the sheet protection with its editable ranges', () => {
    expect(form.merges?.[3]).toEqual({
      sheetId: 100,
      startRowIndex: 1,
      endRowIndex: 2,
      startColumnIndex: 2,
      endColumnIndex: 4,
    });
    expect(form.merges).toHaveLength(5);
    expect(form.protectedRanges).toEqual([
      {
        range: { sheetId: 100 },
        description: 'Chỉ sửa các ô nhập liệu',
        warningOnly: false,
        unprotectedRanges: [{ sheetId: 100, startRowIndex: 3, endRowIndex: 6, startColumnIndex: 2, endColumnIndex: 6 }],
        editors: { users: ['admin@hanoi.gov.vn'] },
      },
    ]);
    expect(lookup.protectedRanges).toBeUndefined();
    expect(lookup.merges).toBeUndefined();
  });

  it('grows the grid to hold cells beyond the declared size', () => {
    const grown = toSpreadsheetCreateBody({
      title: 't',
      locale: 'vi_VN',
      timeZone: 'Asia/Ho_Chi_Minh',
      sheets: [
        {
          title: 'Nhỏ',
          key: 'small',
          rowCount: 2,
          colCount: 2,
          columns: [],
          rows: [],
          cells: [
            { row: 4, col: 0, value: 'x' },
            { row: 0, col: 1, formula: 'A5', validation: { kind: 'number', integer: true, strict: true } },
            { row: 0, col: 0, value: 1.5, validation: { kind: 'number', strict: true } },
          ],
          merges: [{ startRow: 0, endRow: 1, startCol: 2, endCol: 6 }],
        },
      ],
    });
    const sheet = grown.sheets?.[0];
    expect(sheet?.properties?.gridProperties).toEqual({ rowCount: 5, columnCount: 6 });
    expect(sheet?.data?.[0]?.rowData?.[0]?.values?.[1]).toEqual({
      userEnteredValue: { formulaValue: '=A5' },
      dataValidation: {
        condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=AND(ISNUMBER(B1),INT(B1)=B1)' }] },
        strict: true,
      },
    });
    expect(sheet?.data?.[0]?.rowData?.[0]?.values?.[0]?.dataValidation?.condition).toEqual({
      type: 'CUSTOM_FORMULA',
      values: [{ userEnteredValue: '=ISNUMBER(A1)' }],
    });
  });

  it('types date and text number formats', () => {
    const body2 = toSpreadsheetCreateBody({
      title: 't',
      locale: 'vi_VN',
      timeZone: 'Asia/Ho_Chi_Minh',
      sheets: [
        {
          title: 'Định dạng',
          key: 'f',
          rowCount: 3,
          colCount: 1,
          columns: [],
          rows: [],
          cells: [
            { row: 0, col: 0, style: { numberFormat: 'dd/mm/yyyy' } },
            { row: 1, col: 0, style: { numberFormat: '@' } },
            { row: 2, col: 0, style: { numberFormat: '[Red]#,##0.00' } },
          ],
          merges: [],
        },
      ],
    });
    const values = body2.sheets?.[0]?.data?.[0]?.rowData?.map((r) => r.values?.[0]?.userEnteredFormat?.numberFormat);
    expect(values).toEqual([
      { type: 'DATE', pattern: 'dd/mm/yyyy' },
      { type: 'TEXT', pattern: '@' },
      { type: 'NUMBER', pattern: '[Red]#,##0.00' },
    ]);
  });
});

describe('colour and address helpers', () => {
  it('converts hex colours to 0..1 components and back', () => {
    expect(rgbToColor('#FF8000')).toEqual({ red: 1, green: 128 / 255, blue: 0 });
    expect(rgbToColor('#fff')).toEqual({ red: 1, green: 1, blue: 1 });
    expect(colorToRgb({ red: 1, green: 128 / 255 })).toBe('#FF8000');
    expect(colorToRgb({})).toBe('#000000');
    expect(colorToRgb(rgbToColor('#1F6FEB'))).toBe('#1F6FEB');
    expect(() => rgbToColor('blue')).toThrow(/Not an RGB colour/);
  });

  it('names cells in A1 notation', () => {
    expect(a1Address(0, 0)).toBe('A1');
    expect(a1Address(9, 2)).toBe('C10');
    expect(a1Address(0, 25)).toBe('Z1');
    expect(a1Address(0, 26)).toBe('AA1');
    expect(a1Address(99, 701)).toBe('ZZ100');
    expect(a1Address(0, 702)).toBe('AAA1');
  });
});
