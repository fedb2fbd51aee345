/**
 * Limits Google Sheets enforces that a lenient emulator would let through, each refused with
 * Google's 400 INVALID_ARGUMENT shape so that a batch fails whole (nothing is committed):
 * - a merge may not cross a frozen row or column line, and a freeze may not cut through a
 *   merge ("You can't merge frozen and non-frozen columns");
 * - a cell holds at most 50,000 characters;
 * - a spreadsheet holds at most 10,000,000 cells (the grids' rows × columns, empty or not).
 */
import { invalidArgument, type ApiError } from './errors.js';
import type { Rect, SheetState, SpreadsheetState } from './types.js';

export const MAX_CELL_CHARACTERS = 50_000;
export const MAX_SPREADSHEET_CELLS = 10_000_000;

export const CELL_TOO_LONG_MESSAGE = `Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`;

function crosses(start: number, end: number, line: number): boolean {
  return line > 0 && start < line && line < end;
}

/** `where` is the request prefix ("Invalid requests[3].mergeCells"), as Google prefixes batch errors. */
function withPrefix(where: string | undefined, message: string): ApiError {
  return invalidArgument(where ? `${where}: ${message}` : message);
}

/** A new merge of `rect` on `sheet` under its current freeze. */
export function assertMergeWithinFrozenLines(sheet: SheetState, rect: Rect, where?: string): void {
  const grid = sheet.properties.gridProperties;
  if (crosses(rect.startCol, rect.endCol, grid.frozenColumnCount ?? 0))
    throw withPrefix(where, "You can't merge frozen and non-frozen columns.");
  if (crosses(rect.startRow, rect.endRow, grid.frozenRowCount ?? 0))
    throw withPrefix(where, "You can't merge frozen and non-frozen rows.");
}

/** A freeze (new frozen counts) against the merges already on `sheet`. */
export function assertFreezeKeepsMergesWhole(
  sheet: SheetState,
  frozenRows: number,
  frozenCols: number,
  where?: string,
): void {
  for (const merge of sheet.merges) {
    const startRow = merge.startRowIndex ?? 0;
    const endRow = merge.endRowIndex ?? sheet.properties.gridProperties.rowCount;
    const startCol = merge.startColumnIndex ?? 0;
    const endCol = merge.endColumnIndex ?? sheet.properties.gridProperties.columnCount;
    if (crosses(startCol, endCol, frozenCols))
      throw withPrefix(where, 'Sorry, it is not possible to freeze columns which contain only part of a merged cell.');
    if (crosses(startRow, endRow, frozenRows))
      throw withPrefix(where, 'Sorry, it is not possible to freeze rows which contain only part of a merged cell.');
  }
}

/** A cell's entered text (string or formula). */
export function assertCellTextWithinLimit(text: string, where?: string): void {
  if (text.length > MAX_CELL_CHARACTERS) throw withPrefix(where, CELL_TOO_LONG_MESSAGE);
}

export function cellCount(spreadsheet: SpreadsheetState): number {
  let total = 0;
  for (const sheet of spreadsheet.sheets)
    total += sheet.properties.gridProperties.rowCount * sheet.properties.gridProperties.columnCount;
  return total;
}

/** Checked on the working copy after a change that can grow grids. */
export function assertWithinCellLimit(spreadsheet: SpreadsheetState, where?: string): void {
  if (cellCount(spreadsheet) > MAX_SPREADSHEET_CELLS) {
    throw withPrefix(
      where,
      `This action would increase the number of cells in the workbook above the limit of ${MAX_SPREADSHEET_CELLS} cells.`,
    );
  }
}
