/**
 * What a reader hands the validation core: every tab of a workbook as a grid of cells,
 * whatever it came from (a Google Sheet read in one call, an .xlsx file, the emulator).
 *
 * The core never sees library types. Readers must keep what a person typed
 * recognisable (`text`) so messages can quote it, and must say when a number is really
 * a date or an error value, because UNFORMATTED numbers alone cannot tell.
 */
/** A rectangle of cells, 0-based, end-exclusive (the Sheets GridRange convention). */
export interface RangeModel {
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

export type GridValue = string | number | boolean | null;

export interface GridCell {
  /** Unformatted value: numbers as numbers, dates as serial numbers, text as typed. */
  v: GridValue;
  /** The text shown in the cell (formatted value), when the reader has it. */
  text?: string;
  /** 'date': v is a date serial; 'error': v is the error string (#REF!…); 'formula': computed. */
  kind?: 'date' | 'error' | 'formula';
}

export interface SheetGrid {
  title: string;
  /** rows[r][c]; missing rows/cells are blank (trailing blanks are omitted as Google does). */
  rows: (GridCell | null | undefined)[][];
  merges: RangeModel[];
}

export interface WorkbookGrid {
  sheets: SheetGrid[];
}

export function cellAt(sheet: SheetGrid, row: number, col: number): GridCell | null {
  return sheet.rows[row]?.[col] ?? null;
}

export function isBlankCell(cell: GridCell | null | undefined): boolean {
  if (!cell) return true;
  if (cell.v === null) return true;
  return typeof cell.v === 'string' && cell.v.trim() === '';
}

/** The string a hidden code cell holds, normalised (codes are written as text but may come back as numbers). */
export function codeOf(cell: GridCell | null | undefined): string | null {
  if (!cell || cell.v === null) return null;
  const text = String(cell.v).trim();
  return text === '' ? null : text;
}
