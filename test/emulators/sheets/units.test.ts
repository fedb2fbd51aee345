import { describe, expect, it } from 'vitest';
import {
  columnIndex,
  columnLetters,
  formatRange,
  parseA1,
  quoteSheetName,
} from '../../../scripts/emulators/sheets/a1.js';
import {
  FieldMaskError,
  applyUpdateMask,
  maskPaths,
  parseFieldMask,
  projectFields,
} from '../../../scripts/emulators/sheets/field-mask.js';
import { unknownBodyNames, unknownMaskPath } from '../../../scripts/emulators/sheets/api-schema.js';
import { formatNumber } from '../../../scripts/emulators/sheets/number-format.js';
import { parseDriveQuery } from '../../../scripts/emulators/sheets/drive-query.js';
import { parseUserEntered } from '../../../scripts/emulators/sheets/user-entered.js';
import type { DriveFileState } from '../../../scripts/emulators/sheets/types.js';

describe('A1 notation', () => {
  it('converts column letters both ways', () => {
    expect([0, 25, 26, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
    expect(['A', 'z', 'AA', 'ZZ', 'AAA'].map(columnIndex)).toEqual([0, 25, 26, 701, 702]);
  });

  it('parses the forms the API accepts', () => {
    expect(parseA1("'Bảng 1'!A1:B2")).toEqual({
      sheetTitle: 'Bảng 1',
      wholeSheet: false,
      startRow: 0,
      endRow: 2,
      startCol: 0,
      endCol: 2,
    });
    expect(parseA1("'Bảng 1'!A:A")).toEqual({ sheetTitle: 'Bảng 1', wholeSheet: false, startCol: 0, endCol: 1 });
    expect(parseA1("'Bảng 1'!3:5")).toEqual({ sheetTitle: 'Bảng 1', wholeSheet: false, startRow: 2, endRow: 5 });
    expect(parseA1('Sheet1!$B$2:C')).toEqual({
      sheetTitle: 'Sheet1',
      wholeSheet: false,
      startRow: 1,
      startCol: 1,
      endCol: 3,
    });
    expect(parseA1('B2:A1')).toMatchObject({
      sheetTitle: null,
      bareText: 'B2:A1',
      startRow: 0,
      endRow: 2,
      startCol: 0,
      endCol: 2,
    });
    expect(parseA1("'It''s'")).toEqual({ sheetTitle: "It's", wholeSheet: true });
    expect(parseA1('Data')).toEqual({ sheetTitle: 'Data', wholeSheet: true });
    expect(parseA1("'open!A1")).toBeNull();
    expect(parseA1('Sheet1!A1:B2:C3')).toBeNull();
    expect(parseA1('Sheet1!5:B')).toBeNull();
  });

  it('quotes sheet names the way Google prints them', () => {
    expect(quoteSheetName('Sheet1')).toBe('Sheet1');
    expect(quoteSheetName('Bảng 1')).toBe("'Bảng 1'");
    expect(quoteSheetName('A1')).toBe("'A1'");
    expect(quoteSheetName("It's")).toBe("'It''s'");
    expect(formatRange('Data', { startRow: 0, endRow: 1, startCol: 0, endCol: 1 })).toBe('Data!A1');
  });
});

describe('field masks', () => {
  it('projects nested selections', () => {
    const mask = parseFieldMask('a,b(c,d/e),f.g');
    expect(projectFields({ a: 1, b: [{ c: 2, d: { e: 3, x: 4 }, y: 5 }], f: { g: 6, h: 7 }, z: 8 }, mask)).toEqual({
      a: 1,
      b: [{ c: 2, d: { e: 3 } }],
      f: { g: 6 },
    });
  });

  it('applies update masks: masked fields copied or cleared, others kept', () => {
    const target: Record<string, unknown> = {
      note: 'old',
      userEnteredFormat: { backgroundColor: { red: 1 }, textFormat: { bold: true } },
    };
    applyUpdateMask(
      target,
      { userEnteredFormat: { backgroundColor: { blue: 1 } } },
      parseFieldMask('note,userEnteredFormat.backgroundColor'),
    );
    expect(target).toEqual({ userEnteredFormat: { backgroundColor: { blue: 1 }, textFormat: { bold: true } } });
  });

  it('expands a mask into paths, keeping spaces only when asked', () => {
    expect(maskPaths('a,b(c,d/e),f.g', { keepWhitespace: false })).toEqual([
      ['a'],
      ['b', 'c'],
      ['b', 'd', 'e'],
      ['f', 'g'],
    ]);
    expect(maskPaths('a, b', { keepWhitespace: true })).toEqual([['a'], [' b']]);
    expect(maskPaths('a, b', { keepWhitespace: false })).toEqual([['a'], ['b']]);
    expect(() => maskPaths('a(b', { keepWhitespace: false })).toThrow(FieldMaskError);
  });

  it('checks paths and body names against the API schema, maps and snake_case included', () => {
    expect(
      unknownMaskPath(
        'sheets',
        'Spreadsheet',
        'sheets(properties(sheetId,title),data/rowData/values/userEnteredValue)',
        { keepWhitespace: true },
      ),
    ).toBeNull();
    expect(unknownMaskPath('sheets', 'Spreadsheet', 'sheets.properties.title.length', { keepWhitespace: true })).toBe(
      'sheets.properties.title.length',
    );
    expect(
      unknownMaskPath('drive', 'File', 'appProperties/anyKey,capabilities/canEdit', { keepWhitespace: false }),
    ).toBeNull();
    expect(
      unknownBodyNames('sheets', 'BatchUpdateSpreadsheetRequest', {
        requests: [{ repeat_cell: { cell: { user_entered_value: { stringValue: 'x' } }, fieldz: 'note' } }],
      }),
    ).toEqual([{ name: 'fieldz', at: 'requests[0].repeat_cell' }]);
  });
});

describe('USER_ENTERED parsing', () => {
  it('reads vi_VN and en_US numbers by their separators', () => {
    const value = (text: string, locale = 'vi_VN') => parseUserEntered(text, locale)?.value;
    expect(value('1.234')).toEqual({ numberValue: 1234 });
    expect(value('1.234', 'en_US')).toEqual({ numberValue: 1.234 });
    expect(value('1,234', 'en_US')).toEqual({ numberValue: 1234 });
    expect(value(' 42 ')).toEqual({ numberValue: 42 });
    expect(value('1,2,3')).toEqual({ stringValue: '1,2,3' });
    expect(value('31/02/2020')).toEqual({ stringValue: '31/02/2020' });
    expect(value('07/14/2020', 'en_US')).toEqual({ numberValue: 44026 });
    expect(value('2020-07-14')).toEqual({ numberValue: 44026 });
    expect(value('')).toBeNull();
    expect(parseUserEntered(null, 'vi_VN')).toBeUndefined();
  });
});

describe('number formats', () => {
  it('renders patterns with the locale separators', () => {
    expect(formatNumber(1234567.891, { pattern: '#,##0.00' }, 'vi_VN')).toBe('1.234.567,89');
    expect(formatNumber(1234567.891, { pattern: '#,##0.00' }, 'en_US')).toBe('1,234,567.89');
    expect(formatNumber(-5, { pattern: '#,##0' }, 'vi_VN')).toBe('-5');
    expect(formatNumber(0.125, { type: 'PERCENT', pattern: '0.0%' }, 'vi_VN')).toBe('12,5%');
    expect(formatNumber(44026.5, { type: 'DATE_TIME', pattern: 'dd/MM/yyyy HH:mm' }, 'vi_VN')).toBe('14/07/2020 12:00');
    expect(formatNumber(44026, { type: 'DATE', pattern: 'd mmmm yyyy' }, 'vi_VN')).toBe('14 tháng 7 2020');
    expect(formatNumber(1500000, { pattern: '#,##0 [$₫]' }, 'vi_VN')).toBe('1.500.000 ₫');
  });
});

describe('Drive q', () => {
  const file: DriveFileState = {
    id: 'f1',
    name: "Báo cáo 'Ba Đình'",
    mimeType: 'application/vnd.google-apps.spreadsheet',
    parents: ['root1'],
    createdTime: Date.parse('2024-01-01T00:00:00Z'),
    modifiedTime: Date.parse('2024-02-01T00:00:00Z'),
    version: 3,
    trashed: false,
    starred: false,
    ownerEmail: 'owner@example.vn',
    lastModifyingUserEmail: 'owner@example.vn',
    appProperties: { campaign: 'dot-1' },
    properties: {},
    permissions: [{ id: 'p', type: 'user', role: 'writer', emailAddress: 'w@example.vn' }],
  };

  it('evaluates and/or/not, escapes and collections', () => {
    const match = (q: string) => parseDriveQuery(q)(file, 'owner@example.vn');
    expect(match("name = 'Báo cáo \\'Ba Đình\\''")).toBe(true);
    expect(match("name contains 'ba đình' and not trashed = true")).toBe(true);
    expect(match("appProperties has { key='campaign' and value='dot-2' } or 'w@example.vn' in writers")).toBe(true);
    expect(match("'root1' in parents and modifiedTime > '2024-01-15T00:00:00'")).toBe(true);
    expect(match("('x@example.vn' in readers)")).toBe(false);
    expect(() => parseDriveQuery('name ~ 1')).toThrow('Invalid Value');
  });
});
