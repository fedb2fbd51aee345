import { describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import { cellAt } from '../../functions/core/grid.js';
import { UNIT_SHEET_READ_FIELDS, gridFromSpreadsheet } from '../../functions/layout/sheets-read.js';

/** Shaped like a `spreadsheets.get` answer: zero-valued fields are absent, as the API sends them. */
const response: sheets_v4.Schema$Spreadsheet = {
  sheets: [
    {
      properties: {
        sheetId: 7,
        title: 'Danh mục',
        index: 1,
        hidden: true,
        gridProperties: { rowCount: 10, columnCount: 3 },
      },
      data: [
        {
          rowData: [
            {
              values: [
                {
                  userEnteredValue: { stringValue: '001' },
                  effectiveValue: { stringValue: '001' },
                  formattedValue: '001',
                },
              ],
            },
          ],
        },
      ],
    },
    {
      properties: { title: 'Biểu 01 – Tổng hợp', gridProperties: { rowCount: 20, columnCount: 8, frozenRowCount: 3 } },
      data: [
        {
          rowData: [
            {
              values: [
                {
                  userEnteredValue: { stringValue: 'BÁO CÁO' },
                  effectiveValue: { stringValue: 'BÁO CÁO' },
                  formattedValue: 'BÁO CÁO',
                },
              ],
            },
          ],
        },
        {
          startRow: 3,
          startColumn: 2,
          rowData: [
            {
              values: [
                {
                  userEnteredValue: { numberValue: 1234.5 },
                  effectiveValue: { numberValue: 1234.5 },
                  formattedValue: '1.234,5',
                  effectiveFormat: { numberFormat: { type: 'NUMBER', pattern: '#,##0.0' } },
                },
                {
                  userEnteredValue: { numberValue: 44196 },
                  effectiveValue: { numberValue: 44196 },
                  formattedValue: '31/12/2020',
                  effectiveFormat: { numberFormat: { type: 'DATE', pattern: 'dd/MM/yyyy' } },
                },
                {},
                { userEnteredValue: { boolValue: true }, effectiveValue: { boolValue: true }, formattedValue: 'TRUE' },
              ],
            },
            {},
            {
              values: [
                {
                  userEnteredValue: { formulaValue: '=SUM(C4:D4)' },
                  effectiveValue: { numberValue: 45430.5 },
                  formattedValue: '45.430,5',
                },
                {
                  userEnteredValue: { formulaValue: '=#REF!+1' },
                  effectiveValue: { errorValue: { type: 'REF', message: 'Reference does not exist.' } },
                  formattedValue: '#REF!',
                },
                {
                  userEnteredValue: { stringValue: '=1+1' },
                  effectiveValue: { stringValue: '=1+1' },
                  formattedValue: '=1+1',
                },
                { userEnteredValue: { formulaValue: '=IF(FALSE,1,"")' }, effectiveValue: { stringValue: '' } },
                {
                  userEnteredValue: { formulaValue: '=TODAY()' },
                  effectiveValue: { numberValue: 45500 },
                  formattedValue: '29/07/2024',
                  effectiveFormat: { numberFormat: { type: 'DATE' } },
                },
                { effectiveValue: { errorValue: { type: 'DIVIDE_BY_ZERO' } }, formattedValue: '#DIV/0!' },
              ],
            },
          ],
        },
      ],
      merges: [
        { endRowIndex: 1, endColumnIndex: 5 },
        { sheetId: 3, startRowIndex: 1, endRowIndex: 3, startColumnIndex: 2, endColumnIndex: 4 },
      ],
    },
  ],
};

describe('gridFromSpreadsheet', () => {
  const grid = gridFromSpreadsheet(response);
  const form = grid.sheets[0]!;

  it('orders sheets by index and keeps hidden ones', () => {
    expect(grid.sheets.map((s) => s.title)).toEqual(['Biểu 01 – Tổng hợp', 'Danh mục']);
    expect(cellAt(grid.sheets[1]!, 0, 0)).toEqual({ v: '001', text: '001' });
  });

  it('places data blocks at their start row and column', () => {
    expect(cellAt(form, 0, 0)).toEqual({ v: 'BÁO CÁO', text: 'BÁO CÁO' });
    expect(cellAt(form, 3, 2)).toEqual({ v: 1234.5, text: '1.234,5' });
    expect(cellAt(form, 3, 4)).toBeNull();
    expect(cellAt(form, 3, 5)).toEqual({ v: true, text: 'TRUE' });
    expect(cellAt(form, 4, 2)).toBeNull();
    expect(form.rows[1]).toEqual([]);
  });

  it('marks dates, formulas and errors', () => {
    expect(cellAt(form, 3, 3)).toEqual({ v: 44196, text: '31/12/2020', kind: 'date' });
    expect(cellAt(form, 5, 2)).toEqual({ v: 45430.5, text: '45.430,5', kind: 'formula' });
    expect(cellAt(form, 5, 3)).toEqual({ v: '#REF!', text: '#REF!', kind: 'error' });
    expect(cellAt(form, 5, 4)).toEqual({ v: '=1+1', text: '=1+1' });
    expect(cellAt(form, 5, 5)).toEqual({ v: '', text: '', kind: 'formula' });
    expect(cellAt(form, 5, 6)).toEqual({ v: 45500, text: '29/07/2024', kind: 'formula' });
    expect(cellAt(form, 5, 7)).toEqual({ v: '#DIV/0!', text: '#DIV/0!', kind: 'error' });
  });

  it('reads merges as half-open ranges, absent zero indices included', () => {
    expect(form.merges).toEqual([
      { startRow: 0, endRow: 1, startCol: 0, endCol: 5 },
      { startRow: 1, endRow: 3, startCol: 2, endCol: 4 },
    ]);
  });

  it('reads an empty spreadsheet', () => {
    expect(gridFromSpreadsheet({})).toEqual({ sheets: [] });
    expect(gridFromSpreadsheet({ sheets: [{ properties: { title: 'Trống' } }] })).toEqual({
      sheets: [{ title: 'Trống', rows: [], merges: [] }],
    });
  });

  it('asks for exactly the fields it reads', () => {
    expect(UNIT_SHEET_READ_FIELDS).toBe(
      'sheets(properties(sheetId,title,index,hidden,gridProperties),' +
        'data(startRow,startColumn,rowData(values(userEnteredValue/formulaValue,effectiveValue,formattedValue,effectiveFormat/numberFormat/type))),' +
        'merges)',
    );
    let depth = 0;
    for (const field of UNIT_SHEET_READ_FIELDS) {
      depth += field === '(' ? 1 : field === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
