import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workbook, Worksheet } from 'exceljs';
import { cellAt } from '../../functions/core/grid.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
import type { WorkbookModel } from '../../functions/layout/model.js';
import { printSetupFromPanes } from '../../functions/layout/model.js';
import {
  CHECKBOX_OFF,
  CHECKBOX_ON,
  XLSX_LIST_SHEET_TITLE,
  pixelsToCharacterWidth,
  vietnameseNumberFormat,
  readXlsxGrid,
  renderXlsx,
  writeWorkbookXlsx,
} from '../../functions/layout/xlsx.js';
import { LIST_WITH_COMMA, LONG_LIST, TITLE_BANNER, sampleWorkbook } from './fixtures.js';

type ExcelModule = typeof import('exceljs');

async function exceljs(): Promise<ExcelModule> {
  const mod = await import('exceljs');
  return ((mod as { default?: ExcelModule }).default ?? mod) as ExcelModule;
}

async function loadWithExceljs(buffer: Buffer): Promise<Workbook> {
  const ExcelJS = await exceljs();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  return workbook;
}

function sheetNamed(workbook: Workbook, name: string): Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

let tempDir: string;
beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'layout-xlsx-'));
});
afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe('xlsx module', () => {
  it('loads exceljs lazily, never at module top level', async () => {
    const source = await readFile(new URL('../../functions/layout/xlsx.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'exceljs'/m);
    expect(source).toContain("import('exceljs')");
  });
});

describe('renderXlsx → readXlsxGrid round trip', () => {
  let buffer: Buffer;
  let grid: WorkbookGrid;
  beforeAll(async () => {
    buffer = await renderXlsx(sampleWorkbook());
    grid = await readXlsxGrid(buffer);
  });

  it('keeps every sheet in order, hidden ones and the list sheet included', () => {
    expect(grid.sheets.map((s) => s.title)).toEqual(['Biểu 01 – Tổng hợp', 'Danh mục', XLSX_LIST_SHEET_TITLE]);
  });

  it('gives back typed values with Vietnamese text byte for byte', () => {
    const sheet = grid.sheets[0]!;
    expect(cellAt(sheet, 0, 0)).toEqual({ v: TITLE_BANNER, text: TITLE_BANNER });
    expect(cellAt(sheet, 1, 2)?.v).toBe('Năm 2015–2020');
    expect(cellAt(sheet, 3, 0)).toEqual({ v: 1, text: '1' });
    expect(cellAt(sheet, 3, 2)).toEqual({ v: 12 });
    expect(cellAt(sheet, 3, 3)).toEqual({ v: 37.5 });
    expect(cellAt(sheet, 3, 4)).toEqual({ v: 'Có, đầy đủ', text: 'Có, đầy đủ' });
    expect(cellAt(sheet, 3, 5)).toEqual({ v: true, text: 'TRUE' });
    expect(cellAt(sheet, 3, 6)?.v).toBe('ma_01');
    expect(cellAt(sheet, 8, 1)?.v).toBe('  giữ nguyên khoảng trắng  ');
    expect(Buffer.from(String(cellAt(sheet, 3, 1)?.v), 'utf8')).toEqual(
      Buffer.from('Số xã, phường, thị trấn được rà soát', 'utf8'),
    );
    expect(cellAt(grid.sheets[1]!, 1, 0)).toEqual({ v: '001', text: '001' });
  });

  it('writes a string starting with "=" as a string, and only `formula` as a formula', () => {
    const sheet = grid.sheets[0]!;
    expect(cellAt(sheet, 6, 1)).toEqual({ v: '=1+1', text: '=1+1' });
    expect(cellAt(sheet, 5, 2)).toEqual({ v: 12, text: '12', kind: 'formula' });
  });

  it('reads merges as half-open ranges and leaves covered cells blank', () => {
    const sheet = grid.sheets[0]!;
    expect(sheet.merges).toEqual([
      { startRow: 0, endRow: 1, startCol: 0, endCol: 5 },
      { startRow: 1, endRow: 3, startCol: 0, endCol: 1 },
      { startRow: 1, endRow: 3, startCol: 1, endCol: 2 },
      { startRow: 1, endRow: 2, startCol: 2, endCol: 4 },
      { startRow: 1, endRow: 3, startCol: 4, endCol: 5 },
    ]);
    expect(cellAt(sheet, 0, 1)).toBeNull();
    expect(cellAt(sheet, 2, 0)).toBeNull();
  });

  it('writes the layout: widths, heights, hidden row and column, frozen panes, tab colour, hidden sheet', async () => {
    const workbook = await loadWithExceljs(buffer);
    const sheet = sheetNamed(workbook, 'Biểu 01 – Tổng hợp');
    expect(sheet.getColumn(2).width).toBe(pixelsToCharacterWidth(320));
    expect(sheet.getColumn(2).width).toBeCloseTo(45, 0);
    expect(sheet.getColumn(7).hidden).toBe(true);
    expect(sheet.getColumn(2).hidden).toBe(false);
    expect(sheet.getRow(1).height).toBe(30);
    expect(sheet.getRow(8).hidden).toBe(true);
    expect(sheet.getRow(11).hidden).toBe(true); // hidden although it holds no cell
    expect(sheet.getRow(10).hidden).toBe(false);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 3 });
    expect(sheet.properties.tabColor).toEqual({ argb: 'FF1F6FEB' });
    expect(sheet.state).toBe('visible');
    expect(sheetNamed(workbook, 'Danh mục').state).toBe('hidden');
    expect(sheetNamed(workbook, XLSX_LIST_SHEET_TITLE).state).toBe('veryHidden');
  });

  it('writes styles, notes and formulas', async () => {
    const sheet = sheetNamed(await loadWithExceljs(buffer), 'Biểu 01 – Tổng hợp');
    const banner = sheet.getCell('A1');
    expect(banner.font).toMatchObject({ bold: true, size: 14 });
    expect(banner.alignment).toMatchObject({ horizontal: 'center', vertical: 'middle', wrapText: true });
    const header = sheet.getCell('C2');
    expect(header.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2F3' } });
    expect(header.border).toMatchObject({
      top: { style: 'thin' },
      left: { style: 'thin' },
      bottom: { style: 'thin' },
      right: { style: 'thin' },
    });
    // A covered cell keeps its own border, so the merged header is boxed on every side.
    expect(sheet.getCell('D2').border).toMatchObject({ right: { style: 'thin' } });
    expect(sheet.getCell('C3').font).toMatchObject({ italic: true, color: { argb: 'FFC00000' } });
    expect(sheet.getCell('C4').numFmt).toBe('[$-42A]#,##0');
    expect(sheet.getCell('B4').note).toBe('Đếm cả các đơn vị đã sáp nhập trong kỳ.');
    expect(sheet.getCell('C6').value).toEqual({ formula: 'SUM(C4:C5)', result: 12 });
  });

  it('writes data validations, long or comma-bearing lists through the list sheet', async () => {
    const workbook = await loadWithExceljs(buffer);
    const sheet = sheetNamed(workbook, 'Biểu 01 – Tổng hợp');
    expect(sheet.getCell('C4').dataValidation).toMatchObject({
      type: 'whole',
      operator: 'greaterThanOrEqual',
      formulae: [0],
      errorStyle: 'stop',
      showErrorMessage: true,
      prompt: 'Nhập số nguyên không âm',
    });
    expect(sheet.getCell('D4').dataValidation).toMatchObject({
      type: 'decimal',
      operator: 'greaterThanOrEqual',
      formulae: [0],
      errorStyle: 'warning',
    });
    expect(sheet.getCell('E5').dataValidation).toMatchObject({ type: 'list', formulae: ['"Có,Không"'] });
    expect(sheet.getCell('F4').dataValidation).toMatchObject({ type: 'list', formulae: ['"☐,☑"'] });

    const commaList = sheet.getCell('E4').dataValidation;
    const longList = sheet.getCell('B5').dataValidation;
    expect(commaList.formulae).toEqual([`'${XLSX_LIST_SHEET_TITLE}'!$A$1:$A$3`]);
    expect(longList.formulae).toEqual([`'${XLSX_LIST_SHEET_TITLE}'!$B$1:$B$40`]);
    const lists = sheetNamed(workbook, XLSX_LIST_SHEET_TITLE);
    expect([1, 2, 3].map((r) => lists.getCell(r, 1).value)).toEqual(LIST_WITH_COMMA);
    expect(lists.getCell(40, 2).value).toBe(LONG_LIST[39]);
  });

  it('protects the sheet without a password, unlocking only the editable block', async () => {
    const sheet = sheetNamed(await loadWithExceljs(buffer), 'Biểu 01 – Tổng hợp');
    const protection = (sheet as unknown as { sheetProtection?: Record<string, unknown> }).sheetProtection;
    expect(protection).toMatchObject({ sheet: true, formatRows: true });
    expect(protection?.hashValue).toBeUndefined();
    expect(protection?.formatCells).toBeUndefined(); // absent = disallowed
    expect(protection?.formatColumns).toBeUndefined();
    expect(protection?.insertRows).toBeUndefined();
    expect(sheet.getCell('C4').protection).toMatchObject({ locked: false });
    // Inside the editable block but absent from the model: unlocked all the same.
    expect(sheet.getCell('F6').protection).toMatchObject({ locked: false });
    expect(sheet.getCell('B4').protection?.locked).not.toBe(false);
    expect(sheet.getCell('G4').protection?.locked).not.toBe(false);
  });

  it('writes to a file path and reads it back from the path', async () => {
    const path = join(tempDir, 'bieu.xlsx');
    await writeWorkbookXlsx(sampleWorkbook(), path);
    const fromFile = await readXlsxGrid(path);
    expect(fromFile.sheets.map((s) => s.title)).toEqual(grid.sheets.map((s) => s.title));
    expect(cellAt(fromFile.sheets[0]!, 0, 0)?.v).toBe(TITLE_BANNER);
  });

  it('refuses a sheet title Excel would truncate', async () => {
    const model: WorkbookModel = sampleWorkbook();
    model.sheets[0]!.title = 'Biểu 01 – Tình hình thực hiện chính sách giai đoạn 2015–2020';
    await expect(renderXlsx(model)).rejects.toThrow(/31 characters/);
  });
});

describe('print setup and what prints', () => {
  it('tags number formats Vietnamese (1.234.567,25), leaving text, General and formats that name a locale', () => {
    expect(vietnameseNumberFormat('#,##0')).toBe('[$-42A]#,##0');
    expect(vietnameseNumberFormat('#,##0.###')).toBe('[$-42A]#,##0.###');
    expect(vietnameseNumberFormat('@')).toBe('@');
    expect(vietnameseNumberFormat('General')).toBe('General');
    expect(vietnameseNumberFormat('[$-409]dd/mm/yyyy')).toBe('[$-409]dd/mm/yyyy');
  });

  it('writes A4, orientation, fit to width, print titles from the model and a print area ending at the last used cell', async () => {
    const model = sampleWorkbook();
    const first = model.sheets[0]!;
    first.print = printSetupFromPanes(first.frozenRows, first.frozenCols);
    model.sheets[1]!.print = { landscape: false, fitToWidth: false };
    const workbook = await loadWithExceljs(await renderXlsx(model));
    const lastRow = Math.max(...first.cells.map((c) => c.row), ...first.merges.map((m) => m.endRow - 1)) + 1;
    const lastCol = Math.max(...first.cells.map((c) => c.col), ...first.merges.map((m) => m.endCol - 1));
    expect(lastRow).toBeLessThan(first.rowCount);
    expect(sheetNamed(workbook, first.title).pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:3',
      printTitlesColumn: 'A:B',
      printArea: `A1:${String.fromCharCode(65 + lastCol)}${lastRow}`,
    });
    const second = sheetNamed(workbook, model.sheets[1]!.title).pageSetup;
    expect(second).toMatchObject({ paperSize: 9, orientation: 'portrait' });
    expect(second.printTitlesRow).toBeUndefined();
    expect(second.fitToPage).toBeFalsy();
  });

  it('writes a boolean as ☑/☐ text, which prints as a box and reads back as the boolean', async () => {
    const model = sampleWorkbook();
    model.sheets[0]!.cells.push(
      { row: 14, col: 1, value: true },
      { row: 14, col: 2, value: false },
      { row: 14, col: 3, value: null, validation: { kind: 'checkbox' } },
    );
    const buffer = await renderXlsx(model);
    const sheet = sheetNamed(await loadWithExceljs(buffer), model.sheets[0]!.title);
    expect([sheet.getCell('B15').value, sheet.getCell('C15').value, sheet.getCell('D15').value]).toEqual([
      CHECKBOX_ON,
      CHECKBOX_OFF,
      null,
    ]);
    const grid = await readXlsxGrid(buffer);
    expect([cellAt(grid.sheets[0]!, 14, 1), cellAt(grid.sheets[0]!, 14, 2)]).toEqual([
      { v: true, text: 'TRUE' },
      { v: false, text: 'FALSE' },
    ]);
  });
});

describe('readXlsxGrid on workbooks written by other tools', () => {
  it('reads dates, errors, formulas, booleans, rich text and hyperlinks with their kinds', async () => {
    const ExcelJS = await exceljs();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dữ liệu');
    sheet.getCell('A1').value = new Date(Date.UTC(2020, 11, 31));
    sheet.getCell('A1').numFmt = 'dd/mm/yyyy';
    sheet.getCell('A2').value = new Date(Date.UTC(2019, 0, 5, 14, 30));
    sheet.getCell('A2').numFmt = 'dd/mm/yyyy hh:mm';
    sheet.getCell('B1').value = { error: '#REF!' };
    sheet.getCell('B2').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    sheet.getCell('C1').value = { formula: 'A3*2', result: 84 };
    sheet.getCell('C2').value = { formula: 'UPPER("hà nội")', result: 'HÀ NỘI' };
    sheet.getCell('C3').value = { formula: 'TODAY()' };
    sheet.getCell('A3').value = 42;
    sheet.getCell('D1').value = true;
    sheet.getCell('D2').value = false;
    sheet.getCell('E1').value = { richText: [{ text: 'Quận ', font: { bold: true } }, { text: 'Ba Đình' }] };
    sheet.getCell('E2').value = { text: 'Cổng thông tin', hyperlink: 'https://hanoi.gov.vn' };
    sheet.getCell('F1').value = 1234.5;
    sheet.getCell('F1').numFmt = '#,##0.00';

    const grid = await readXlsxGrid(Buffer.from(await workbook.xlsx.writeBuffer()));
    const read = grid.sheets[0]!;
    expect(read.title).toBe('Dữ liệu');
    expect(cellAt(read, 0, 0)).toEqual({ v: 44196, text: '31/12/2020', kind: 'date' });
    expect(cellAt(read, 1, 0)?.kind).toBe('date');
    expect(cellAt(read, 1, 0)?.v).toBeCloseTo(43470 + 14.5 / 24, 8);
    expect(cellAt(read, 1, 0)?.text).toBe('05/01/2019 14:30');
    expect(cellAt(read, 0, 1)).toEqual({ v: '#REF!', text: '#REF!', kind: 'error' });
    expect(cellAt(read, 1, 1)).toEqual({ v: '#DIV/0!', text: '#DIV/0!', kind: 'error' });
    expect(cellAt(read, 0, 2)).toEqual({ v: 84, text: '84', kind: 'formula' });
    expect(cellAt(read, 1, 2)).toEqual({ v: 'HÀ NỘI', text: 'HÀ NỘI', kind: 'formula' });
    expect(cellAt(read, 2, 2)).toEqual({ v: null, kind: 'formula' });
    expect(cellAt(read, 0, 3)).toEqual({ v: true, text: 'TRUE' });
    expect(cellAt(read, 1, 3)).toEqual({ v: false, text: 'FALSE' });
    expect(cellAt(read, 0, 4)).toEqual({ v: 'Quận Ba Đình', text: 'Quận Ba Đình' });
    expect(cellAt(read, 1, 4)).toEqual({ v: 'Cổng thông tin', text: 'Cổng thông tin' });
    expect(cellAt(read, 0, 5)).toEqual({ v: 1234.5 });
  });

  it('survives shared formulas, merged cells with stray values, style-only cells and huge strings', async () => {
    const ExcelJS = await exceljs();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lạ');
    sheet.getCell('A1').value = 1;
    sheet.getCell('A2').value = 2;
    sheet.getCell('A3').value = 3;
    sheet.fillFormula('B1:B3', 'A1*10', [10, 20, 30]);
    sheet.getCell('C1').value = 'Tiêu đề gộp';
    sheet.getCell('D1').value = 'bị che';
    sheet.mergeCells('C1:D2');
    sheet.getCell('F5').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    const huge = 'Đ'.repeat(32_000);
    sheet.getCell('A7').value = huge;
    workbook.addWorksheet('Trống');

    const grid = await readXlsxGrid(Buffer.from(await workbook.xlsx.writeBuffer()));
    const read = grid.sheets[0]!;
    expect([0, 1, 2].map((r) => cellAt(read, r, 1))).toEqual([
      { v: 10, text: '10', kind: 'formula' },
      { v: 20, text: '20', kind: 'formula' },
      { v: 30, text: '30', kind: 'formula' },
    ]);
    expect(cellAt(read, 0, 2)?.v).toBe('Tiêu đề gộp');
    expect(cellAt(read, 0, 3)).toBeNull();
    expect(read.merges).toEqual([{ startRow: 0, endRow: 2, startCol: 2, endCol: 4 }]);
    expect(cellAt(read, 4, 5)).toBeNull();
    expect(cellAt(read, 6, 0)?.v).toBe(huge);
    expect(read.rows[4]).toEqual([]);
    expect(grid.sheets[1]).toEqual({ title: 'Trống', rows: [], merges: [] });
  });

  it('reads a workbook without sheets as an empty grid', async () => {
    const ExcelJS = await exceljs();
    const empty = new ExcelJS.Workbook();
    const grid = await readXlsxGrid(Buffer.from(await empty.xlsx.writeBuffer()));
    expect(grid).toEqual({ sheets: [] });
  });
});
