/**
 * Inserting and deleting rows or columns, and what Sheets carries along: cells, row/column
 * metadata, merges, protected ranges, conditional-format ranges, and every formula reference
 * pointing at the sheet (a reference to deleted cells becomes #REF!). Data validation lives on
 * the cells, so it moves with them.
 */
import { rewriteReferences, shiftCoordinate } from './formula.js';
import type { Reference, RefEndpoint } from './formula.js';
import type { CellState, DimensionProperties, GridRange, SheetState, SpreadsheetState } from './types.js';

export type Dimension = 'ROWS' | 'COLUMNS';

const BOUNDS: Record<Dimension, ['startRowIndex', 'endRowIndex'] | ['startColumnIndex', 'endColumnIndex']> = {
  ROWS: ['startRowIndex', 'endRowIndex'],
  COLUMNS: ['startColumnIndex', 'endColumnIndex'],
};

/** Shifts a GridRange in place; returns false when a deletion leaves it empty. */
function shiftGridRange(range: GridRange, dimension: Dimension, index: number, count: number): boolean {
  const [startKey, endKey] = BOUNDS[dimension];
  const start = range[startKey];
  const end = range[endKey];
  if (count > 0) {
    if (start !== undefined && start >= index) range[startKey] = start + count;
    if (end !== undefined && end > index) range[endKey] = end + count;
    return true;
  }
  const removed = -count;
  const deleteEnd = index + removed;
  const newStart =
    start === undefined ? undefined : start < index ? start : start >= deleteEnd ? start - removed : index;
  const newEnd = end === undefined ? undefined : end <= index ? end : end >= deleteEnd ? end - removed : index;
  if (newStart !== undefined) range[startKey] = newStart;
  if (newEnd !== undefined) range[endKey] = newEnd;
  return !(newStart !== undefined && newEnd !== undefined && newEnd <= newStart);
}

function isSingleCell(range: GridRange): boolean {
  return (
    range.endRowIndex !== undefined &&
    range.startRowIndex !== undefined &&
    range.endColumnIndex !== undefined &&
    range.startColumnIndex !== undefined &&
    range.endRowIndex - range.startRowIndex === 1 &&
    range.endColumnIndex - range.startColumnIndex === 1
  );
}

function shiftSheetObjects(sheet: SheetState, dimension: Dimension, index: number, count: number): void {
  sheet.merges = sheet.merges.filter((merge) => shiftGridRange(merge, dimension, index, count) && !isSingleCell(merge));
  sheet.protectedRanges = sheet.protectedRanges.filter((protectedRange) => {
    if (protectedRange.unprotectedRanges) {
      protectedRange.unprotectedRanges = protectedRange.unprotectedRanges.filter((r) =>
        shiftGridRange(r, dimension, index, count),
      );
    }
    return !protectedRange.range || shiftGridRange(protectedRange.range, dimension, index, count);
  });
  sheet.conditionalFormats = sheet.conditionalFormats.filter((rule) => {
    rule.ranges = rule.ranges.filter((range) => shiftGridRange(range, dimension, index, count));
    return rule.ranges.length > 0;
  });
}

function shiftEndpoint(
  endpoint: RefEndpoint,
  dimension: Dimension,
  index: number,
  count: number,
  edge: 'start' | 'end' | 'cell',
): RefEndpoint | null {
  const key = dimension === 'ROWS' ? 'row' : 'col';
  const value = endpoint[key];
  if (value === undefined) return endpoint;
  const shifted = shiftCoordinate(value, index, count, edge);
  if (shifted === null) return null;
  return { ...endpoint, [key]: shifted };
}

/** Rewrites formula references into `target` across the whole spreadsheet. */
export function shiftFormulaReferences(
  spreadsheet: SpreadsheetState,
  target: SheetState,
  dimension: Dimension,
  index: number,
  count: number,
): void {
  const targetTitle = target.properties.title.toLowerCase();
  for (const sheet of spreadsheet.sheets) {
    const rewrite = (ref: Reference): Reference | 'deleted' | null => {
      const pointsAtTarget = ref.sheet === null ? sheet === target : ref.sheet.toLowerCase() === targetTitle;
      if (!pointsAtTarget) return null;
      if (!ref.end) {
        const moved = shiftEndpoint(ref.start, dimension, index, count, 'cell');
        return moved ? { ...ref, start: moved } : 'deleted';
      }
      const start = shiftEndpoint(ref.start, dimension, index, count, 'start');
      const end = shiftEndpoint(ref.end, dimension, index, count, 'end');
      if (!start || !end) return 'deleted';
      const key = dimension === 'ROWS' ? 'row' : 'col';
      const startIndex = start[key];
      const endIndex = end[key];
      if (startIndex !== undefined && endIndex !== undefined && endIndex < startIndex) return 'deleted';
      return { ...ref, start, end };
    };
    for (const cells of sheet.rows) {
      if (!cells) continue;
      for (const cell of cells) {
        const formula = cell?.userEnteredValue?.formulaValue;
        if (cell && formula !== undefined) {
          const rewritten = rewriteReferences(formula, rewrite);
          if (rewritten !== formula) cell.userEnteredValue = { formulaValue: rewritten };
        }
      }
    }
  }
}

/** Rewrites references to a renamed sheet. */
export function renameSheetReferences(spreadsheet: SpreadsheetState, oldTitle: string, newTitle: string): void {
  const old = oldTitle.toLowerCase();
  for (const sheet of spreadsheet.sheets) {
    for (const cells of sheet.rows) {
      for (const cell of cells ?? []) {
        const formula = cell?.userEnteredValue?.formulaValue;
        if (!cell || formula === undefined) continue;
        const rewritten = rewriteReferences(formula, (ref) =>
          ref.sheet !== null && ref.sheet.toLowerCase() === old ? { ...ref, sheet: newTitle } : null,
        );
        if (rewritten !== formula) cell.userEnteredValue = { formulaValue: rewritten };
      }
    }
  }
}

function formatOnly(cell: CellState | null | undefined): CellState | null {
  if (!cell?.userEnteredFormat) return null;
  return { userEnteredFormat: structuredClone(cell.userEnteredFormat) };
}

export function insertDimensionInto(
  spreadsheet: SpreadsheetState,
  sheet: SheetState,
  dimension: Dimension,
  index: number,
  count: number,
  inheritFromBefore: boolean,
): void {
  const grid = sheet.properties.gridProperties;
  const size = dimension === 'ROWS' ? grid.rowCount : grid.columnCount;
  // New rows/columns take the formatting and size of their neighbour, as in the Sheets UI.
  const sourceIndex = inheritFromBefore ? index - 1 : index;
  const hasSource = sourceIndex >= 0 && sourceIndex < size;
  if (dimension === 'ROWS') {
    const template = hasSource ? sheet.rows[sourceIndex] : null;
    const newRows = Array.from({ length: count }, () => {
      const cells = (template ?? []).map((cell) => formatOnly(cell));
      return cells.some((cell) => cell !== null) ? cells : null;
    });
    if (sheet.rows.length > index) sheet.rows.splice(index, 0, ...newRows);
    else if (newRows.some((row) => row !== null)) {
      while (sheet.rows.length < index) sheet.rows.push(null);
      sheet.rows.push(...newRows);
    }
    grid.rowCount += count;
  } else {
    sheet.rows.forEach((cells) => {
      if (!cells) return;
      const template = hasSource ? formatOnly(cells[sourceIndex]) : null;
      const inserted = Array.from({ length: count }, () => (template ? structuredClone(template) : null));
      if (cells.length > index) cells.splice(index, 0, ...inserted);
      else if (template) {
        while (cells.length < index) cells.push(null);
        cells.push(...inserted);
      }
    });
    grid.columnCount += count;
  }
  const metadata = dimension === 'ROWS' ? sheet.rowMetadata : sheet.columnMetadata;
  const templateMeta: DimensionProperties | null = hasSource ? (metadata[sourceIndex] ?? null) : null;
  const pixelOnly = templateMeta?.pixelSize !== undefined ? { pixelSize: templateMeta.pixelSize } : null;
  if (metadata.length > index)
    metadata.splice(index, 0, ...Array.from({ length: count }, () => (pixelOnly ? { ...pixelOnly } : null)));
  shiftSheetObjects(sheet, dimension, index, count);
  shiftFormulaReferences(spreadsheet, sheet, dimension, index, count);
}

export function deleteDimensionFrom(
  spreadsheet: SpreadsheetState,
  sheet: SheetState,
  dimension: Dimension,
  start: number,
  end: number,
): void {
  const count = end - start;
  const grid = sheet.properties.gridProperties;
  if (dimension === 'ROWS') {
    if (sheet.rows.length > start) sheet.rows.splice(start, count);
    grid.rowCount -= count;
    if (sheet.rowMetadata.length > start) sheet.rowMetadata.splice(start, count);
    if (grid.frozenRowCount !== undefined && grid.frozenRowCount > grid.rowCount) grid.frozenRowCount = grid.rowCount;
  } else {
    sheet.rows.forEach((cells) => {
      if (cells && cells.length > start) cells.splice(start, count);
    });
    grid.columnCount -= count;
    if (sheet.columnMetadata.length > start) sheet.columnMetadata.splice(start, count);
    if (grid.frozenColumnCount !== undefined && grid.frozenColumnCount > grid.columnCount)
      grid.frozenColumnCount = grid.columnCount;
  }
  // Rows emptied of all cells become holes, so trailing-blank trimming keeps working.
  sheet.rows = sheet.rows.map((cells) => (cells && cells.some((cell) => cell) ? cells : null));
  while (sheet.rows.length > 0 && !sheet.rows[sheet.rows.length - 1]) sheet.rows.pop();
  shiftSheetObjects(sheet, dimension, start, -count);
  shiftFormulaReferences(spreadsheet, sheet, dimension, start, -count);
}
