/**
 * Resolving A1 strings against a spreadsheet, with the API's errors: an unparsable range or an
 * unknown sheet is `Unable to parse range: …`; a range starting beyond the grid is
 * `Range (…) exceeds grid limits. Max rows: N, max columns: M` (both 400 INVALID_ARGUMENT).
 */
import { parseA1, quoteSheetName, resolveBounds } from './a1.js';
import type { A1Bounds } from './a1.js';
import { invalidArgument } from './errors.js';
import type { ApiError } from './errors.js';
import { findSheetByTitle, sortedSheets } from './grid.js';
import type { Rect, SheetState, SpreadsheetState } from './types.js';

export interface ResolvedRange {
  sheet: SheetState;
  bounds: A1Bounds;
  /** The requested rectangle; open bounds run to the grid's edge. */
  rect: Rect;
  /** The requested text with its sheet made explicit, for messages. */
  label: string;
  /** The range had an explicit end row (writes may not go past it). */
  rowsBounded: boolean;
  colsBounded: boolean;
}

export function unableToParse(text: string): ApiError {
  return invalidArgument(`Unable to parse range: ${text}`);
}

function firstVisibleSheet(spreadsheet: SpreadsheetState): SheetState | undefined {
  const sheets = sortedSheets(spreadsheet);
  return sheets.find((sheet) => !sheet.properties.hidden) ?? sheets[0];
}

export function resolveRange(spreadsheet: SpreadsheetState, text: string): ResolvedRange {
  const ref = parseA1(text);
  if (!ref) throw unableToParse(text);
  let sheet: SheetState | undefined;
  let bounds: A1Bounds = ref;
  let label = text;
  if (ref.sheetTitle !== null) {
    sheet = findSheetByTitle(spreadsheet, ref.sheetTitle);
    if (ref.wholeSheet) bounds = {};
  } else {
    const titled = ref.bareText !== undefined ? findSheetByTitle(spreadsheet, ref.bareText) : undefined;
    if (titled) {
      sheet = titled;
      bounds = {};
    } else {
      sheet = firstVisibleSheet(spreadsheet);
      if (sheet) label = `${quoteSheetName(sheet.properties.title)}!${text}`;
    }
  }
  if (!sheet) throw unableToParse(text);
  const grid = sheet.properties.gridProperties;
  const cleanBounds: A1Bounds = {};
  // A single cell is where a write starts, not a box it must fit in ('Sheet1!A1' takes any size).
  const anchorOnly =
    bounds.startRow !== undefined &&
    bounds.endRow === bounds.startRow + 1 &&
    bounds.startCol !== undefined &&
    bounds.endCol === bounds.startCol + 1;
  if (bounds.startRow !== undefined) cleanBounds.startRow = bounds.startRow;
  if (bounds.endRow !== undefined) cleanBounds.endRow = bounds.endRow;
  if (bounds.startCol !== undefined) cleanBounds.startCol = bounds.startCol;
  if (bounds.endCol !== undefined) cleanBounds.endCol = bounds.endCol;
  return {
    sheet,
    bounds: cleanBounds,
    rect: resolveBounds(cleanBounds, grid.rowCount, grid.columnCount),
    label,
    rowsBounded: cleanBounds.endRow !== undefined && !anchorOnly,
    colsBounded: cleanBounds.endCol !== undefined && !anchorOnly,
  };
}

export function exceedsGridLimits(range: ResolvedRange): ApiError {
  const grid = range.sheet.properties.gridProperties;
  return invalidArgument(
    `Range (${range.label}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
  );
}

/** For reads: the range must start inside the grid; its far edges are clipped to it. */
export function clipForRead(range: ResolvedRange): Rect {
  const grid = range.sheet.properties.gridProperties;
  if (range.rect.startRow >= grid.rowCount || range.rect.startCol >= grid.columnCount) throw exceedsGridLimits(range);
  return {
    startRow: range.rect.startRow,
    endRow: Math.min(range.rect.endRow, grid.rowCount),
    startCol: range.rect.startCol,
    endCol: Math.min(range.rect.endCol, grid.columnCount),
  };
}
