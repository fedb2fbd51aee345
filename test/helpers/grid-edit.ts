/**
 * Finding and editing cells of a workbook grid the way a person would: by what the hidden
 * codes say, never by fixed addresses; and changing its structure (tabs, rows, columns,
 * merges) the way a spreadsheet program does.
 */
import { a1 } from '../../functions/core/a1.js';
import { codeOf, type GridCell, type SheetGrid, type WorkbookGrid } from '../../functions/core/grid.js';
import type { RangeModel } from '../../functions/layout/model.js';

/** What a person can put in a cell: typed text, a number, a ticked/unticked box, a date, a formula error, nothing. */
export type Typed = string | number | boolean | null | { date: string } | { error: string };

export interface CellRef {
  sheet: SheetGrid;
  row: number;
  col: number;
}

const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_SERIAL = 25_569;

/** The grid cell a reader produces for a typed value (numbers in formatted cells come without text, as from .xlsx). */
export function gridCell(value: Typed): GridCell | null {
  if (value === null) return null;
  if (typeof value === 'string') return { v: value, text: value };
  if (typeof value === 'number') return { v: value };
  if (typeof value === 'boolean') return { v: value, text: value ? 'TRUE' : 'FALSE' };
  if ('date' in value) {
    const [year, month, day] = value.date.split('-').map(Number) as [number, number, number];
    const serial = Date.UTC(year, month - 1, day) / MS_PER_DAY + UNIX_EPOCH_SERIAL;
    return {
      v: serial,
      text: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
      kind: 'date',
    };
  }
  return { v: value.error, text: value.error, kind: 'error' };
}

export function sheetNamed(grid: WorkbookGrid, title: string): SheetGrid {
  const sheet = grid.sheets.find((x) => x.title === title);
  if (!sheet) throw new Error(`no sheet "${title}" (have ${grid.sheets.map((x) => x.title).join(', ')})`);
  return sheet;
}

export function put(ref: CellRef, value: Typed): void {
  const row = (ref.sheet.rows[ref.row] ??= []);
  for (let row = 0; row < ref.row; row++) ref.sheet.rows[row] ??= [];
  row[ref.col] = gridCell(value);
}

export function get(ref: CellRef): GridCell | null {
  return ref.sheet.rows[ref.row]?.[ref.col] ?? null;
}

export function addressOf(ref: CellRef): string {
  return a1(ref.row, ref.col);
}

/** First cell (in tab order, then row, then column) whose hidden code is `marker`. */
export function findMarker(grid: WorkbookGrid, marker: string): CellRef {
  for (const sheet of grid.sheets) {
    for (let row = 0; row < sheet.rows.length; row++) {
      const cells = sheet.rows[row] ?? [];
      for (let col = 0; col < cells.length; col++) if (codeOf(cells[col]) === marker) return { sheet, row, col };
    }
  }
  throw new Error(`marker ${marker} not found`);
}

function codeInRow(anchor: CellRef, code: string): number {
  const cells = anchor.sheet.rows[anchor.row] ?? [];
  for (let col = anchor.col + 1; col < cells.length; col++) if (codeOf(cells[col]) === code) return col;
  throw new Error(`code ${code} not found right of ${addressOf(anchor)} on "${anchor.sheet.title}"`);
}

function codeInColumn(anchor: CellRef, code: string): number {
  for (let row = anchor.row + 1; row < anchor.sheet.rows.length; row++)
    if (codeOf(anchor.sheet.rows[row]?.[anchor.col]) === code) return row;
  throw new Error(`code ${code} not found below ${addressOf(anchor)} on "${anchor.sheet.title}"`);
}

/** The anchor cell of a table (`#bang1`…). */
export function tableAnchor(grid: WorkbookGrid, tableId: string): CellRef {
  return findMarker(grid, `#${tableId}`);
}

/** The cell of one indicator in one period of a figures table. */
export function figureCell(grid: WorkbookGrid, tableId: string, periodId: string, code: string): CellRef {
  const anchor = tableAnchor(grid, tableId);
  return { sheet: anchor.sheet, row: codeInColumn(anchor, periodId), col: codeInRow(anchor, code) };
}

/** The column of a code in a table's hidden code row. */
export function codeColumn(grid: WorkbookGrid, tableId: string, code: string): number {
  return codeInRow(tableAnchor(grid, tableId), code);
}

/** The row of a code in a table's hidden code column (a period, an outline item, `total`). */
export function codeRow(grid: WorkbookGrid, tableId: string, code: string): number {
  return codeInColumn(tableAnchor(grid, tableId), code);
}

/** The cell of field `field` in the `index`-th (0-based) row of a list table. */
export function listCell(grid: WorkbookGrid, tableId: string, index: number, field: string): CellRef {
  const anchor = tableAnchor(grid, tableId);
  return { sheet: anchor.sheet, row: anchor.row + 1 + index, col: codeInRow(anchor, field) };
}

/** An outline item's content ('noi_dung') or page reference ('tham_chieu') cell. */
export function outlineCell(
  grid: WorkbookGrid,
  tableId: string,
  item: string,
  column: 'noi_dung' | 'tham_chieu',
): CellRef {
  const anchor = tableAnchor(grid, tableId);
  return { sheet: anchor.sheet, row: codeInColumn(anchor, item), col: codeInRow(anchor, column) };
}

function formValueCell(anchor: CellRef, field: string): CellRef {
  return { sheet: anchor.sheet, row: codeInColumn(anchor, field), col: codeInRow(anchor, 'gia_tri') };
}

/** A checkbox of a list table's form block (the nomination dossier). */
export function formCell(grid: WorkbookGrid, tableId: string, field: string): CellRef {
  return formValueCell(findMarker(grid, `#${tableId}.ho_so`), field);
}

/** A field of the confirmation block. */
export function confirmationCell(grid: WorkbookGrid, field: string): CellRef {
  return formValueCell(findMarker(grid, '#xac_nhan'), field);
}

// ---------------------------------------------------------------------------------------------
// Structure edits, as a spreadsheet program applies them.

function shiftMerges(sheet: SheetGrid, axis: 'row' | 'col', at: number, by: 1 | -1) {
  const [start, end] = axis === 'row' ? (['startRow', 'endRow'] as const) : (['startCol', 'endCol'] as const);
  const out: RangeModel[] = [];
  for (const merge of sheet.merges) {
    const moved = { ...merge };
    if (by === 1) {
      if (moved[start] >= at) {
        moved[start]++;
        moved[end]++;
      } else if (moved[end] > at) moved[end]++;
    } else {
      if (moved[start] > at) {
        moved[start]--;
        moved[end]--;
      } else if (moved[end] > at) moved[end]--;
      if (moved[end] <= moved[start]) continue;
    }
    if (moved.endRow - moved.startRow > 1 || moved.endCol - moved.startCol > 1) out.push(moved);
  }
  sheet.merges = out;
}

export function insertColumn(sheet: SheetGrid, col: number): void {
  for (const row of sheet.rows) if (row && row.length > col) row.splice(col, 0, null);
  shiftMerges(sheet, 'col', col, 1);
}

export function deleteColumn(sheet: SheetGrid, col: number): void {
  for (const row of sheet.rows) if (row && row.length > col) row.splice(col, 1);
  shiftMerges(sheet, 'col', col, -1);
}

export function insertRow(sheet: SheetGrid, row: number): void {
  sheet.rows.splice(row, 0, []);
  shiftMerges(sheet, 'row', row, 1);
}

export function deleteRow(sheet: SheetGrid, row: number): void {
  sheet.rows.splice(row, 1);
  shiftMerges(sheet, 'row', row, -1);
}

/** Merges a range: the top-left cell keeps its value, covered cells read blank (as both readers report them). */
export function mergeCells(sheet: SheetGrid, range: RangeModel): void {
  for (let rowIndex = range.startRow; rowIndex < range.endRow; rowIndex++) {
    for (let col = range.startCol; col < range.endCol; col++) {
      if (rowIndex === range.startRow && col === range.startCol) continue;
      const row = sheet.rows[rowIndex];
      if (row && row.length > col) row[col] = null;
    }
  }
  sheet.merges.push(range);
}

export function renameSheet(grid: WorkbookGrid, from: string, to: string): void {
  sheetNamed(grid, from).title = to;
}

export function deleteSheet(grid: WorkbookGrid, title: string): void {
  grid.sheets.splice(grid.sheets.indexOf(sheetNamed(grid, title)), 1);
}

/** "Duplicate" in Google Sheets: a copy named "Bản sao của …" placed right after the original. */
export function duplicateSheet(grid: WorkbookGrid, title: string, copyTitle = `Bản sao của ${title}`): SheetGrid {
  const original = sheetNamed(grid, title);
  const copy = { ...structuredClone(original), title: copyTitle };
  grid.sheets.splice(grid.sheets.indexOf(original) + 1, 0, copy);
  return copy;
}

/** Moves every cell of a rectangular block `by` columns (positive: right), as a paste one column off does. */
export function shiftBlock(
  sheet: SheetGrid,
  rows: number[],
  fromCol: number,
  toColExclusive: number,
  by: number,
): void {
  for (const rowIndex of rows) {
    const row = (sheet.rows[rowIndex] ??= []);
    const moved = row.slice(fromCol, toColExclusive);
    for (let col = fromCol; col < toColExclusive; col++) row[col] = null;
    moved.forEach((cell, i) => (row[fromCol + i + by] = cell ?? null));
  }
}
