/**
 * The workbook model as an .xlsx file (exceljs), and any .xlsx file back as the grid the
 * validation core reads.
 *
 * exceljs costs ~0.35 s to import, so it is loaded on first use only: handlers that never
 * touch a file do not pay for it on cold start.
 */
import type {
  Cell,
  CellValue as ExcelCellValue,
  DataValidation as ExcelDataValidation,
  Style,
  Workbook,
  Worksheet,
} from 'exceljs';
import type { GridCell, SheetGrid, WorkbookGrid } from '../core/grid.js';
import type {
  CellModel,
  CellStyle,
  DataValidation,
  PrintSetup,
  RangeModel,
  Rgb,
  SheetModel,
  WorkbookModel,
} from './model.js';

type ExcelModule = typeof import('exceljs');

let excelModulePromise: Promise<ExcelModule> | undefined;

function loadExcel(): Promise<ExcelModule> {
  // exceljs is CommonJS assembled with Object.assign, so Node's ESM loader exposes it only as `default`.
  excelModulePromise ??= import('exceljs').then(
    (mod) => ((mod as { default?: ExcelModule }).default ?? mod) as ExcelModule,
  );
  return excelModulePromise;
}

/** Very hidden sheet holding drop-down lists that cannot be written inline (see `listFormula`). */
export const XLSX_LIST_SHEET_TITLE = '_lists';

/** Excel refuses longer sheet names; exceljs would truncate silently and break cross-sheet formulas. */
const MAX_SHEET_TITLE_LENGTH = 31;
/** Excel reports a corrupt file when an inline list formula exceeds 255 characters. */
const MAX_INLINE_LIST_LENGTH = 255;
/** Excel's limits for data validation texts; longer ones make the file unreadable. */
const MAX_PROMPT_LENGTH = 255;
const MAX_ERROR_LENGTH = 225;
/** Bounds for a number validation without a minimum: Excel needs a comparison, any number passes. */
const UNBOUNDED_NUMBER = 1e15;

// ---------------------------------------------------------------------------------------------
// Rendering

export async function renderXlsx(model: WorkbookModel): Promise<Buffer> {
  const workbook = await buildWorkbook(model);
  const written = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(written) ? written : Buffer.from(written);
}

export async function writeWorkbookXlsx(model: WorkbookModel, filePath: string): Promise<void> {
  const workbook = await buildWorkbook(model);
  await workbook.xlsx.writeFile(filePath);
}

async function buildWorkbook(model: WorkbookModel): Promise<Workbook> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.title = model.title;
  // Nothing computes the model's formulas before the file is opened, so let Excel do it.
  workbook.calcProperties.fullCalcOnLoad = true;

  for (const sheet of model.sheets) {
    if (sheet.title.length > MAX_SHEET_TITLE_LENGTH) {
      throw new Error(`Sheet title "${sheet.title}" is longer than Excel's ${MAX_SHEET_TITLE_LENGTH} characters`);
    }
  }
  const lists = new ListSheet(model.sheets.map((sheet) => sheet.title));
  for (const sheet of model.sheets) {
    await renderSheet(workbook.addWorksheet(sheet.title), sheet, lists);
  }
  if (lists.hasColumns()) {
    await lists.render(workbook.addWorksheet(lists.title));
  }
  return workbook;
}

async function renderSheet(worksheet: Worksheet, sheet: SheetModel, lists: ListSheet): Promise<void> {
  if (sheet.hidden) worksheet.state = 'hidden';
  if (sheet.tabColor) worksheet.properties.tabColor = { argb: toArgb(sheet.tabColor) };
  if (sheet.frozenRows || sheet.frozenCols) {
    worksheet.views = [{ state: 'frozen', xSplit: sheet.frozenCols ?? 0, ySplit: sheet.frozenRows ?? 0 }];
  }
  if (sheet.print) applyPrintSetup(worksheet, sheet, sheet.print);
  for (const column of sheet.columns) {
    const excelColumn = worksheet.getColumn(column.index + 1);
    if (column.width !== undefined) excelColumn.width = pixelsToCharacterWidth(column.width);
    if (column.hidden) excelColumn.hidden = true;
  }
  for (const row of sheet.rows) {
    const excelRow = worksheet.getRow(row.index + 1);
    if (row.height !== undefined) excelRow.height = pixelsToPoints(row.height);
    if (row.hidden) {
      excelRow.hidden = true;
      // exceljs drops a row with neither cells nor height, and its hidden flag with it.
      if (row.height === undefined) excelRow.getCell(1);
    }
  }

  const unlocked = new CellKeySet(sheet.protection?.unprotected ?? []);
  for (const cellModel of sheet.cells) {
    const cell = worksheet.getCell(cellModel.row + 1, cellModel.col + 1);
    const value = excelValueOf(cellModel);
    if (value !== null) cell.value = value;
    const style = excelStyleOf(cellModel.style, unlocked.has(cellModel.row, cellModel.col));
    if (style) cell.style = style;
    if (cellModel.note) cell.note = cellModel.note;
    if (cellModel.validation) cell.dataValidation = excelValidationOf(cellModel.validation, lists);
  }
  if (sheet.protection) {
    // Cells the model does not mention still need unlocking; cells it styled were unlocked above.
    for (const [row, col] of unlocked.cells()) {
      const cell = worksheet.getCell(row + 1, col + 1);
      if (cell.protection?.locked !== false) cell.style = { ...cell.style, protection: { locked: false } };
    }
    // No password: protection here stops slips, it is not a secret from the clerk.
    await worksheet.protect('', {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatCells: false,
      formatColumns: false,
      // Row heights stay adjustable so wrapped Vietnamese text can be made readable.
      formatRows: true,
      insertColumns: false,
      insertRows: false,
      deleteColumns: false,
      deleteRows: false,
      sort: false,
      autoFilter: false,
    });
  }
  // After the values: merging first would route a covered cell's value to the top-left cell.
  for (const merge of sheet.merges) {
    // Without style, so covered cells keep their own borders.
    worksheet.mergeCellsWithoutStyle(merge.startRow + 1, merge.startCol + 1, merge.endRow, merge.endCol);
  }
}

/** A ticked / unticked checkbox in .xlsx: text, so it prints as a box (see `excelValueOf`). */
export const CHECKBOX_ON = '☑';
export const CHECKBOX_OFF = '☐';

function checkboxText(ticked: boolean): string {
  return ticked ? CHECKBOX_ON : CHECKBOX_OFF;
}

/**
 * Number formats in .xlsx are written in the file format's neutral syntax ('#,##0.###': ','
 * groups thousands, '.' marks decimals); the separators shown come from the format's locale.
 * The `[$-42A]` tag (LCID 0x042A, Vietnamese) makes LibreOffice show 1.234.567,25; Excel shows
 * the separators of the computer's regional settings. Text ('@'), General and formats that
 * already name a locale are left as they are.
 */
export const VIETNAMESE_FORMAT_TAG = '[$-42A]';
export function vietnameseNumberFormat(format: string): string {
  if (format === '@' || /^general$/i.test(format) || format.includes('[$')) return format;
  return `${VIETNAMESE_FORMAT_TAG}${format}`;
}

/** Paper margins in inches (exceljs' unit): narrow enough for wide tables, room for a binding and the page number. */
const PRINT_MARGINS = { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };

function applyPrintSetup(worksheet: Worksheet, sheet: SheetModel, print: PrintSetup): void {
  const area = printedBounds(sheet);
  worksheet.pageSetup = {
    ...worksheet.pageSetup,
    orientation: print.landscape ? 'landscape' : 'portrait',
    paperSize: 9, // A4
    margins: PRINT_MARGINS,
    horizontalCentered: true,
    ...(print.fitToWidth ? { fitToPage: true, fitToWidth: 1, fitToHeight: 0 } : {}),
    ...(print.repeatRows ? { printTitlesRow: `${print.repeatRows[0] + 1}:${print.repeatRows[1] + 1}` } : {}),
    ...(print.repeatCols
      ? { printTitlesColumn: `${columnLetter(print.repeatCols[0])}:${columnLetter(print.repeatCols[1])}` }
      : {}),
    // Without it, styled blank cells past the table (the spare rows and columns a sheet keeps
    // for typing) print as empty pages.
    ...(area ? { printArea: `A1:${columnLetter(area.lastCol)}${area.lastRow + 1}` } : {}),
  };
  worksheet.headerFooter = { ...worksheet.headerFooter, oddFooter: '&C&9Trang &P/&N' };
}

/**
 * Last row and column holding a value, a formula, a validation (a blank input), a border (a
 * blank table cell) or a merge: the printed part of the sheet.
 */
function printedBounds(sheet: SheetModel): { lastRow: number; lastCol: number } | null {
  let lastRow = -1;
  let lastCol = -1;
  const extend = (row: number, col: number) => {
    lastRow = Math.max(lastRow, row);
    lastCol = Math.max(lastCol, col);
  };
  for (const cell of sheet.cells) {
    const hasValue = cell.value !== null && cell.value !== undefined && cell.value !== '';
    if (hasValue || cell.formula !== undefined || cell.validation !== undefined || cell.style?.border)
      extend(cell.row, cell.col);
  }
  for (const merge of sheet.merges) extend(merge.endRow - 1, merge.endCol - 1);
  return lastRow < 0 ? null : { lastRow, lastCol };
}

function excelValueOf(cellModel: CellModel): ExcelCellValue {
  // Excel prints a boolean as TRUE/FALSE whatever its number format, so a checkbox is the text ☑/☐.
  if (cellModel.formula === undefined && typeof cellModel.value === 'boolean') return checkboxText(cellModel.value);
  if (cellModel.formula === undefined && cellModel.validation?.kind === 'checkbox' && cellModel.value === false)
    return CHECKBOX_OFF;
  if (cellModel.formula !== undefined) {
    const formula = cellModel.formula.startsWith('=') ? cellModel.formula.slice(1) : cellModel.formula;
    const result = cellModel.value;
    return result === null || result === undefined ? { formula } : { formula, result };
  }
  // A string is written as a string even when it starts with '=': only `formula` makes a formula.
  return cellModel.value ?? null;
}

function excelStyleOf(style: CellStyle | undefined, unlocked: boolean): Partial<Style> | undefined {
  if (!style && !unlocked) return undefined;
  const excelStyle: Partial<Style> = {};
  if (style) {
    const font: Partial<Style['font']> = {};
    if (style.bold) font.bold = true;
    if (style.italic) font.italic = true;
    if (style.fontSize) font.size = style.fontSize;
    if (style.fontColor) font.color = { argb: toArgb(style.fontColor) };
    if (Object.keys(font).length > 0) excelStyle.font = font;
    if (style.fill) excelStyle.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: toArgb(style.fill) } };
    const alignment: Partial<Style['alignment']> = {};
    if (style.hAlign) alignment.horizontal = style.hAlign;
    if (style.vAlign) alignment.vertical = style.vAlign;
    if (style.wrap) alignment.wrapText = true;
    if (Object.keys(alignment).length > 0) excelStyle.alignment = alignment;
    if (style.border) {
      excelStyle.border = {
        top: { style: 'thin' },
        left: { style: 'thin' },
        bottom: { style: 'thin' },
        right: { style: 'thin' },
      };
    }
    if (style.numberFormat) excelStyle.numFmt = vietnameseNumberFormat(style.numberFormat);
  }
  if (unlocked) excelStyle.protection = { locked: false };
  return excelStyle;
}

function excelValidationOf(validation: DataValidation, lists: ListSheet): ExcelDataValidation {
  switch (validation.kind) {
    case 'number': {
      const type = validation.integer ? 'whole' : 'decimal';
      const bounds: Pick<ExcelDataValidation, 'operator' | 'formulae'> =
        validation.min === undefined
          ? { operator: 'between', formulae: [-UNBOUNDED_NUMBER, UNBOUNDED_NUMBER] }
          : { operator: 'greaterThanOrEqual', formulae: [validation.min] };
      return { type, allowBlank: true, ...bounds, ...validationMessages(validation.strict, validation.message) };
    }
    case 'list':
      return {
        type: 'list',
        allowBlank: true,
        formulae: [lists.formulaFor(validation.values)],
        ...validationMessages(validation.strict, validation.message),
      };
    case 'checkbox':
      return { type: 'list', allowBlank: true, formulae: [`"${CHECKBOX_OFF},${CHECKBOX_ON}"`], showErrorMessage: true };
    case 'date':
      // Excel has no "any valid date": a date after its first day (1 January 1900) is one.
      return {
        type: 'date',
        allowBlank: true,
        operator: 'greaterThanOrEqual',
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        ...validationMessages(validation.strict, validation.message),
      };
  }
}

function validationMessages(strict: boolean, message: string | undefined): Partial<ExcelDataValidation> {
  const messages: Partial<ExcelDataValidation> = {
    showErrorMessage: true,
    // 'warning' lets the clerk keep the value after being told, like Sheets' non-strict rules.
    errorStyle: strict ? 'stop' : 'warning',
  };
  if (message) {
    messages.showInputMessage = true;
    messages.prompt = message.slice(0, MAX_PROMPT_LENGTH);
    messages.error = message.slice(0, MAX_ERROR_LENGTH);
  }
  return messages;
}

/**
 * Drop-down lists that Excel cannot hold inline — longer than 255 characters, or with an
 * item containing a comma or a quote, which the inline form has no way to escape — go in
 * one column each of a very hidden sheet, and the validation refers to that column.
 */
class ListSheet {
  readonly title: string;
  private readonly columnByList = new Map<string, number>();
  private readonly columns: string[][] = [];

  constructor(takenTitles: string[]) {
    const taken = new Set(takenTitles.map((title) => title.toLowerCase()));
    let title = XLSX_LIST_SHEET_TITLE;
    for (let suffix = 2; taken.has(title.toLowerCase()); suffix++) title = `${XLSX_LIST_SHEET_TITLE}${suffix}`;
    this.title = title;
  }

  formulaFor(values: string[]): string {
    const inline = `"${values.join(',')}"`;
    const inlineable =
      inline.length <= MAX_INLINE_LIST_LENGTH && values.every((v) => !v.includes(',') && !v.includes('"'));
    if (inlineable) return inline;
    const listKey = JSON.stringify(values);
    let column = this.columnByList.get(listKey);
    if (column === undefined) {
      column = this.columns.length;
      this.columns.push(values);
      this.columnByList.set(listKey, column);
    }
    const letter = columnLetter(column);
    return `'${this.title}'!$${letter}$1:$${letter}$${Math.max(values.length, 1)}`;
  }

  hasColumns(): boolean {
    return this.columns.length > 0;
  }

  async render(worksheet: Worksheet): Promise<void> {
    worksheet.state = 'veryHidden';
    this.columns.forEach((values, col) => {
      values.forEach((value, row) => {
        worksheet.getCell(row + 1, col + 1).value = value;
      });
    });
    await worksheet.protect('', {});
  }
}

class CellKeySet {
  private readonly ranges: RangeModel[];

  constructor(ranges: RangeModel[]) {
    this.ranges = ranges;
  }

  has(row: number, col: number): boolean {
    return this.ranges.some((r) => row >= r.startRow && row < r.endRow && col >= r.startCol && col < r.endCol);
  }

  *cells(): Generator<[number, number]> {
    const seen = new Set<string>();
    for (const range of this.ranges) {
      for (let row = range.startRow; row < range.endRow; row++) {
        for (let col = range.startCol; col < range.endCol; col++) {
          const key = `${row}:${col}`;
          if (seen.has(key)) continue;
          seen.add(key);
          yield [row, col];
        }
      }
    }
  }
}

function toArgb(rgb: Rgb): string {
  return `FF${rgb.replace(/^#/, '').toUpperCase()}`;
}

/** Excel widths count characters of the default font's digit, ~7 px, plus 5 px of padding. */
export function pixelsToCharacterWidth(pixels: number): number {
  return Math.max(0, Math.round(((pixels - 5) / 7) * 100) / 100);
}

export function pixelsToPoints(pixels: number): number {
  return Math.round(pixels * 0.75 * 100) / 100;
}

function columnLetter(index: number): string {
  let letters = '';
  for (let remaining = index + 1; remaining > 0; remaining = Math.floor((remaining - 1) / 26)) {
    letters = String.fromCharCode(65 + ((remaining - 1) % 26)) + letters;
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Parts of a sheet the grid does not need. Skipping them is faster, and several (drawings,
 * hyperlinks, conditional formats) are where exceljs throws on files other tools wrote.
 * A hyperlink cell then reads as its text, which is what the grid wants anyway.
 */
const IGNORED_SHEET_PARTS = [
  'dataValidations',
  'conditionalFormatting',
  'extLst',
  'drawing',
  'picture',
  'tableParts',
  'hyperlinks',
  'autoFilter',
  'rowBreaks',
  'pageSetup',
  'headerFooter',
  'printOptions',
];

const MS_PER_DAY = 86_400_000;
/** Days from Excel's day 0 (1899-12-30) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;

export async function readXlsxGrid(input: Buffer | string): Promise<WorkbookGrid> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  const options = { ignoreNodes: IGNORED_SHEET_PARTS };
  if (typeof input === 'string') {
    await workbook.xlsx.readFile(input, options);
  } else {
    // exceljs types its input as ArrayBuffer-like but reads Node Buffers.
    await workbook.xlsx.load(input as unknown as Parameters<Workbook['xlsx']['load']>[0], options);
  }
  const valueTypes = ExcelJS.ValueType;
  return { sheets: workbook.worksheets.map((worksheet) => sheetGridOf(worksheet, valueTypes)) };
}

function sheetGridOf(worksheet: Worksheet, valueTypes: ExcelModule['ValueType']): SheetGrid {
  const rows: SheetGrid['rows'] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: (GridCell | null | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      const gridCell = gridCellOf(cell, valueTypes);
      if (gridCell) cells[colNumber - 1] = gridCell;
    });
    if (cells.length > 0) rows[rowNumber - 1] = cells;
  });
  // Holes would make `for…of` over rows yield undefined where callers expect an array.
  for (let row = 0; row < rows.length; row++) rows[row] ??= [];
  return { title: worksheet.name, rows, merges: mergesOf(worksheet) };
}

function gridCellOf(cell: Cell, valueTypes: ExcelModule['ValueType']): GridCell | null {
  switch (cell.type) {
    // A blank cell; and a covered cell of a merge, which reports its top-left cell's value where
    // Sheets reports it blank.
    case valueTypes.Null:
    case valueTypes.Merge:
      return null;
    case valueTypes.Formula: {
      const result = (cell.value as { result?: unknown }).result;
      const computed = plainCellOf(result, cell.numFmt);
      if (!computed) return { v: null, kind: 'formula' };
      return computed.kind === 'error' ? computed : { ...computed, kind: 'formula' };
    }
    default:
      return plainCellOf(cell.value, cell.numFmt);
  }
}

function plainCellOf(value: unknown, numFmt: string | undefined): GridCell | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    // Rendering other number formats would mean reimplementing Excel's; only General is cheap.
    const isGeneral = !numFmt || numFmt === 'General';
    return isGeneral ? { v: value, text: String(value) } : { v: value };
  }
  // The checkbox text the writer puts in place of a boolean (see `excelValueOf`) reads back as one.
  if (value === CHECKBOX_ON || value === CHECKBOX_OFF)
    return { v: value === CHECKBOX_ON, text: value === CHECKBOX_ON ? 'TRUE' : 'FALSE' };
  if (typeof value === 'string') return { v: value, text: value };
  if (typeof value === 'boolean') return { v: value, text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) {
    const serial = value.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL;
    if (!Number.isFinite(serial)) return null;
    return { v: serial, text: formatDate(value), kind: 'date' };
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.error === 'string') return { v: record.error, text: record.error, kind: 'error' };
    if (Array.isArray(record.richText)) {
      const text = plainTextOf(record);
      return { v: text, text };
    }
    if ('text' in record) {
      const text = plainTextOf(record.text);
      return { v: text, text };
    }
  }
  return null;
}

function plainTextOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray((value as { richText?: unknown }).richText)) {
    return (value as { richText: { text?: unknown }[] }).richText
      .map((run) => (typeof run.text === 'string' ? run.text : ''))
      .join('');
  }
  return value === null || value === undefined ? '' : String(value);
}

/** dd/MM/yyyy, with HH:mm when the value has a time of day — read in UTC, as exceljs builds it. */
function formatDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
  const hasTime = date.getUTCHours() !== 0 || date.getUTCMinutes() !== 0;
  return hasTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
}

interface MergeBounds {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * exceljs keeps the sheet's merges in `_merges` (top-left address → range); the public
 * `model.merges` rebuilds the whole sheet model to list them, which doubles the read.
 */
function mergesOf(worksheet: Worksheet): RangeModel[] {
  const internal = (worksheet as unknown as { _merges?: Record<string, MergeBounds> })._merges;
  if (!internal) return [];
  return Object.values(internal)
    .filter((m): m is MergeBounds => !!m && Number.isInteger(m.top) && Number.isInteger(m.left))
    .map((m) => ({ startRow: m.top - 1, endRow: m.bottom, startCol: m.left - 1, endCol: m.right }))
    .sort((a, b) => a.startRow - b.startRow || a.startCol - b.startCol);
}
