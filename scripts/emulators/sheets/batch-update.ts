/**
 * spreadsheets.batchUpdate. Requests are applied in order to a working copy; the copy replaces
 * the stored spreadsheet only if every request succeeds, so a batch is all-or-nothing like the
 * real API ("If any request is not valid, no requests will be applied"). Replies mirror the
 * requests: `{addSheet:{properties}}` and the like where the API has a reply, `{}` elsewhere.
 */
import { formatRange } from './a1.js';
import { applyCellData, parseMaskOrThrow, validateCellData, validateDataValidationRule } from './cells.js';
import { type ApiResponse, type RequestContext, bodyObject, commitSpreadsheet, openSpreadsheet } from './context.js';
import { ApiError, invalidArgument, notImplemented } from './errors.js';
import { EvaluationSession } from './evaluation.js';
import { applyUpdateMask } from './field-mask.js';
import {
  cellForWrite,
  contains,
  findSheetById,
  getCell,
  intersect,
  ownEveryRow,
  pruneCell,
  releaseWorkingCopy,
  reindexSheets,
  setCell,
  usedExtent,
  workingCopy,
} from './grid.js';
import { assertFreezeKeepsMergesWhole, assertMergeWithinFrozenLines, assertWithinCellLimit } from './limits.js';
import {
  assertCanChangeStructure,
  assertCanEditCells,
  assertCanModifyProtection,
  canEditProtectedCells,
} from './protection.js';
import type { EditorIdentity } from './protection.js';
import { clipForRead, resolveRange } from './ranges.js';
import { renderProtectedRange, renderSheetProperties, renderSpreadsheet } from './render.js';
import {
  buildProtectedRange,
  checkGridRange,
  duplicateTitleError,
  emptySheet,
  newProtectedRangeId,
  newSheetProperties,
} from './sheets-api.js';
import { newSheetId } from './store.js';
import { type Dimension, deleteDimensionFrom, insertDimensionInto, renameSheetReferences } from './structure.js';
import type {
  ConditionalFormatRule,
  DimensionProperties,
  GridRange,
  JsonObject,
  ProtectedRange,
  Rect,
  SheetProperties,
  SheetState,
  SpreadsheetState,
} from './types.js';

/** Every request type in the Sheets v4 discovery document (Request message fields). */
const KNOWN_REQUEST_TYPES = new Set(
  `addBanding addChart addConditionalFormatRule addDataSource addDimensionGroup addFilterView addNamedRange addProtectedRange
  addSheet addSlicer addTable appendCells appendDimension autoFill autoResizeDimensions cancelDataSourceRefresh clearBasicFilter
  copyPaste createDeveloperMetadata cutPaste deleteBanding deleteConditionalFormatRule deleteDataSource deleteDeveloperMetadata
  deleteDimension deleteDimensionGroup deleteDuplicates deleteEmbeddedObject deleteFilterView deleteNamedRange deleteProtectedRange
  deleteRange deleteSheet deleteTable duplicateFilterView duplicateSheet findReplace insertDimension insertRange mergeCells
  moveDimension pasteData randomizeRange refreshDataSource repeatCell setBasicFilter setDataValidation sortRange textToColumns
  trimWhitespace unmergeCells updateBanding updateBorders updateCells updateChartSpec updateConditionalFormatRule updateDataSource
  updateDeveloperMetadata updateDimensionGroup updateDimensionProperties updateEmbeddedObjectBorder updateEmbeddedObjectPosition
  updateFilterView updateNamedRange updateProtectedRange updateSheetProperties updateSlicerSpec updateSpreadsheetProperties updateTable`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Requests that change cells only through grid.ts's cell functions (which copy a shared row
 * before writing it). Any other request (structure changes, renames: they rewrite formulas in
 * place on every sheet) first takes a copy of every row of the working copy.
 */
const WRITES_CELLS_THROUGH_GRID = new Set([
  'addSheet',
  'deleteSheet',
  'duplicateSheet',
  'updateSpreadsheetProperties',
  'updateCells',
  'appendCells',
  'repeatCell',
  'mergeCells',
  'unmergeCells',
  'setDataValidation',
  'updateBorders',
  'addProtectedRange',
  'updateProtectedRange',
  'deleteProtectedRange',
  'addConditionalFormatRule',
  'updateConditionalFormatRule',
  'deleteConditionalFormatRule',
  'updateDimensionProperties',
  'autoResizeDimensions',
]);

interface BatchContext {
  spreadsheet: SpreadsheetState;
  identity: EditorIdentity;
  where: string;
}

type RequestBody = Record<string, unknown>;
type Handler = (context: BatchContext, request: RequestBody) => JsonObject | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(context: BatchContext, message: string): ApiError {
  return invalidArgument(`${context.where}: ${message}`);
}

function intOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function sheetFor(context: BatchContext, sheetId: unknown, noun = 'grid'): SheetState {
  const id = intOf(sheetId) ?? 0;
  const sheet = findSheetById(context.spreadsheet, id);
  if (!sheet) throw fail(context, `No ${noun} with id: ${id}`);
  return sheet;
}

function gridRangeArg(context: BatchContext, value: unknown): { sheet: SheetState; rect: Rect; range: GridRange } {
  const range = (isObject(value) ? value : {}) as GridRange;
  const sheet = sheetFor(context, range.sheetId);
  return { sheet, rect: checkGridRange(sheet, range, context.where), range };
}

function forEachCell(rect: Rect, visit: (row: number, col: number) => void): void {
  for (let row = rect.startRow; row < rect.endRow; row += 1)
    for (let col = rect.startCol; col < rect.endCol; col += 1) visit(row, col);
}

function dimensionRangeArg(
  context: BatchContext,
  value: unknown,
): { sheet: SheetState; dimension: Dimension; start: number; end: number } {
  const range = isObject(value) ? value : {};
  const sheet = sheetFor(context, range['sheetId']);
  const dimension = range['dimension'];
  if (dimension !== 'ROWS' && dimension !== 'COLUMNS') throw fail(context, 'dimension must be ROWS or COLUMNS.');
  const size =
    dimension === 'ROWS' ? sheet.properties.gridProperties.rowCount : sheet.properties.gridProperties.columnCount;
  const start = intOf(range['startIndex']) ?? 0;
  const end = intOf(range['endIndex']) ?? size;
  if (start < 0 || end < start) throw fail(context, 'Invalid dimension range.');
  return { sheet, dimension, start, end };
}

function moveSheetTo(spreadsheet: SpreadsheetState, sheet: SheetState, index: number): void {
  const others = spreadsheet.sheets.filter((s) => s !== sheet).sort((a, b) => a.properties.index - b.properties.index);
  others.splice(Math.min(Math.max(index, 0), others.length), 0, sheet);
  others.forEach((s, i) => (s.properties.index = i));
  spreadsheet.sheets = others;
}

function resizeGrid(sheet: SheetState, rowCount: number, columnCount: number): void {
  if (rowCount < sheet.rows.length) sheet.rows.length = rowCount;
  if (rowCount < sheet.rowMetadata.length) sheet.rowMetadata.length = rowCount;
  for (const cells of sheet.rows) if (cells && cells.length > columnCount) cells.length = columnCount;
  if (columnCount < sheet.columnMetadata.length) sheet.columnMetadata.length = columnCount;
  const clip = (range: GridRange): boolean => {
    if (range.endRowIndex !== undefined) range.endRowIndex = Math.min(range.endRowIndex, rowCount);
    if (range.endColumnIndex !== undefined) range.endColumnIndex = Math.min(range.endColumnIndex, columnCount);
    return (
      (range.startRowIndex ?? 0) < (range.endRowIndex ?? rowCount) &&
      (range.startColumnIndex ?? 0) < (range.endColumnIndex ?? columnCount)
    );
  };
  sheet.merges = sheet.merges.filter(clip);
  sheet.protectedRanges = sheet.protectedRanges.filter((p) => !p.range || clip(p.range));
  sheet.conditionalFormats = sheet.conditionalFormats.filter(
    (rule) => (rule.ranges = rule.ranges.filter(clip)).length > 0,
  );
  sheet.properties.gridProperties.rowCount = rowCount;
  sheet.properties.gridProperties.columnCount = columnCount;
}

function findProtectedRange(
  context: BatchContext,
  id: unknown,
): { sheet: SheetState; index: number; range: ProtectedRange } {
  const protectedRangeId = intOf(id);
  for (const sheet of context.spreadsheet.sheets) {
    const index = sheet.protectedRanges.findIndex((range) => range.protectedRangeId === protectedRangeId);
    if (index >= 0) return { sheet, index, range: sheet.protectedRanges[index] as ProtectedRange };
  }
  throw fail(context, `No protected range with id: ${String(id)}`);
}

const BORDER_WIDTHS: Record<string, number> = {
  DOTTED: 1,
  DASHED: 1,
  SOLID: 1,
  SOLID_MEDIUM: 2,
  SOLID_THICK: 3,
  DOUBLE: 1,
};

const handlers: Record<string, Handler> = {
  addSheet(context, request) {
    const input = isObject(request['properties']) ? request['properties'] : {};
    const desiredIndex = intOf(input['index']);
    const properties = newSheetProperties(context.spreadsheet, { ...input, index: undefined }, context.where);
    const sheet = emptySheet(properties);
    context.spreadsheet.sheets.push(sheet);
    moveSheetTo(context.spreadsheet, sheet, desiredIndex ?? context.spreadsheet.sheets.length);
    return { properties: renderSheetProperties(sheet) };
  },

  deleteSheet(context, request) {
    const sheet = sheetFor(context, request['sheetId'], 'sheet');
    if (context.spreadsheet.sheets.length === 1) throw fail(context, "You can't remove all the sheets in a document.");
    assertCanChangeStructure(context.identity, sheet, 'SHEET');
    context.spreadsheet.sheets = context.spreadsheet.sheets.filter((s) => s !== sheet);
    reindexSheets(context.spreadsheet);
    return undefined;
  },

  duplicateSheet(context, request) {
    const source = sheetFor(context, request['sourceSheetId'], 'sheet');
    const copy = structuredClone(source);
    const taken = new Set(context.spreadsheet.sheets.map((s) => s.properties.sheetId));
    const requestedId = intOf(request['newSheetId']);
    if (requestedId !== undefined && taken.has(requestedId))
      throw fail(context, `Sheet with id ${requestedId} already exists.`);
    const sheetId = requestedId ?? newSheetId(taken);
    const prefix = context.spreadsheet.properties.locale === 'vi_VN' ? 'Bản sao của' : 'Copy of';
    const title =
      typeof request['newSheetName'] === 'string' && request['newSheetName'] !== ''
        ? request['newSheetName']
        : `${prefix} ${source.properties.title}`;
    if (context.spreadsheet.sheets.some((s) => s.properties.title.toLowerCase() === title.toLowerCase()))
      throw duplicateTitleError(context.where, title);
    copy.properties.sheetId = sheetId;
    copy.properties.title = title;
    const rebase = (range: GridRange): GridRange => ({ ...range, sheetId });
    copy.merges = copy.merges.map(rebase);
    copy.conditionalFormats = copy.conditionalFormats.map((rule) => ({ ...rule, ranges: rule.ranges.map(rebase) }));
    copy.protectedRanges = copy.protectedRanges.map((range) => {
      const moved: ProtectedRange = { ...range, protectedRangeId: newProtectedRangeId(context.spreadsheet) };
      if (range.range) moved.range = rebase(range.range);
      if (range.unprotectedRanges) moved.unprotectedRanges = range.unprotectedRanges.map(rebase);
      return moved;
    });
    context.spreadsheet.sheets.push(copy);
    moveSheetTo(context.spreadsheet, copy, intOf(request['insertSheetIndex']) ?? context.spreadsheet.sheets.length);
    return { properties: renderSheetProperties(copy) };
  },

  updateSheetProperties(context, request) {
    const input = isObject(request['properties']) ? request['properties'] : {};
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const sheet = sheetFor(context, input['sheetId'], 'sheet');
    const before = sheet.properties;
    const updated = structuredClone(before) as unknown as Record<string, unknown>;
    applyUpdateMask(updated, input, mask);
    const next = updated as unknown as SheetProperties;
    next.sheetId = before.sheetId;
    next.sheetType = before.sheetType;
    const grid = (
      isObject(updated['gridProperties']) ? updated['gridProperties'] : {}
    ) as SheetProperties['gridProperties'];
    grid.rowCount ??= before.gridProperties.rowCount;
    grid.columnCount ??= before.gridProperties.columnCount;
    next.gridProperties = grid;
    if (typeof next.title !== 'string' || next.title.trim() === '') next.title = before.title;
    if (
      next.title.toLowerCase() !== before.title.toLowerCase() &&
      context.spreadsheet.sheets.some(
        (s) => s !== sheet && s.properties.title.toLowerCase() === next.title.toLowerCase(),
      )
    ) {
      throw duplicateTitleError(context.where, next.title);
    }
    if (grid.rowCount < 1 || grid.columnCount < 1)
      throw fail(context, 'A sheet must have at least one row and one column.');
    if ((grid.frozenRowCount ?? 0) > grid.rowCount || (grid.frozenColumnCount ?? 0) > grid.columnCount) {
      throw fail(context, 'Cannot freeze more rows or columns than the sheet has.');
    }
    if (next.hidden && context.spreadsheet.sheets.every((s) => s === sheet || s.properties.hidden)) {
      throw fail(context, "You can't hide all the sheets in a document.");
    }
    // Against the merges as they are before this request's resize (a shrink clips merges afterwards).
    assertFreezeKeepsMergesWhole(sheet, grid.frozenRowCount ?? 0, grid.frozenColumnCount ?? 0, context.where);
    const newIndex = typeof next.index === 'number' ? next.index : before.index;
    next.index = before.index;
    sheet.properties = next;
    if (grid.rowCount !== before.gridProperties.rowCount || grid.columnCount !== before.gridProperties.columnCount) {
      const rowCount = grid.rowCount;
      const columnCount = grid.columnCount;
      grid.rowCount = before.gridProperties.rowCount;
      grid.columnCount = before.gridProperties.columnCount;
      resizeGrid(sheet, rowCount, columnCount);
    }
    if (next.title !== before.title) renameSheetReferences(context.spreadsheet, before.title, next.title);
    if (newIndex !== before.index) moveSheetTo(context.spreadsheet, sheet, newIndex);
    return undefined;
  },

  updateSpreadsheetProperties(context, request) {
    const input = isObject(request['properties']) ? request['properties'] : {};
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const properties = structuredClone(context.spreadsheet.properties) as unknown as Record<string, unknown>;
    applyUpdateMask(properties, input, mask);
    const before = context.spreadsheet.properties;
    for (const key of ['title', 'locale', 'timeZone', 'autoRecalc'] as const) {
      if (typeof properties[key] !== 'string' || properties[key] === '') properties[key] = before[key];
    }
    context.spreadsheet.properties = properties as unknown as SpreadsheetState['properties'];
    return undefined;
  },

  updateCells(context, request) {
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const rows = Array.isArray(request['rows']) ? request['rows'] : [];
    let sheet: SheetState;
    let origin: { row: number; col: number };
    let rect: Rect | null = null;
    if (isObject(request['start']) && request['range'] === undefined) {
      sheet = sheetFor(context, request['start']['sheetId']);
      origin = { row: intOf(request['start']['rowIndex']) ?? 0, col: intOf(request['start']['columnIndex']) ?? 0 };
    } else if (isObject(request['range'])) {
      const arg = gridRangeArg(context, request['range']);
      sheet = arg.sheet;
      rect = arg.rect;
      origin = { row: rect.startRow, col: rect.startCol };
    } else {
      throw fail(context, 'Either start or range must be set.');
    }
    const grid = sheet.properties.gridProperties;
    const height = rows.length;
    const width = Math.max(
      0,
      ...rows.map((row) => (isObject(row) && Array.isArray(row['values']) ? row['values'].length : 0)),
    );
    const written: Rect = rect ?? {
      startRow: origin.row,
      endRow: origin.row + height,
      startCol: origin.col,
      endCol: origin.col + width,
    };
    if (rect && (height > rect.endRow - rect.startRow || width > rect.endCol - rect.startCol)) {
      throw fail(context, `The rows do not fit in the range ${formatRange(sheet.properties.title, rect)}.`);
    }
    if (written.endRow > grid.rowCount || written.endCol > grid.columnCount) {
      throw fail(
        context,
        `Range (${formatRange(sheet.properties.title, written)}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
      );
    }
    if (written.endRow > written.startRow && written.endCol > written.startCol)
      assertCanEditCells(context.identity, sheet, written);
    rows.forEach((row, rowIndex) => {
      const values = isObject(row) && Array.isArray(row['values']) ? row['values'] : [];
      values.forEach((cellData, valueIndex) => {
        const data = isObject(cellData) ? cellData : {};
        validateCellData(data, context.where);
        applyCellData(sheet, origin.row + rowIndex, origin.col + valueIndex, data, mask);
      });
    });
    if (rect) {
      // Cells of the range not covered by `rows` have their masked fields cleared.
      forEachCell(rect, (sheetRow, column) => {
        const index = sheetRow - rect.startRow;
        const columnOffset = column - rect.startCol;
        const row = rows[index];
        const covered = isObject(row) && Array.isArray(row['values']) && columnOffset < row['values'].length;
        if (!covered) applyCellData(sheet, sheetRow, column, {}, mask);
      });
    }
    return undefined;
  },

  appendCells(context, request) {
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const sheet = sheetFor(context, request['sheetId']);
    const rows = Array.isArray(request['rows']) ? request['rows'] : [];
    const start = usedExtent(sheet).rows;
    const width = Math.max(
      0,
      ...rows.map((row) => (isObject(row) && Array.isArray(row['values']) ? row['values'].length : 0)),
    );
    const grid = sheet.properties.gridProperties;
    if (width > grid.columnCount) {
      const rect = { startRow: start, endRow: start + rows.length, startCol: 0, endCol: width };
      throw fail(
        context,
        `Range (${formatRange(sheet.properties.title, rect)}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
      );
    }
    grid.rowCount = Math.max(grid.rowCount, start + rows.length);
    if (rows.length > 0 && width > 0)
      assertCanEditCells(context.identity, sheet, {
        startRow: start,
        endRow: start + rows.length,
        startCol: 0,
        endCol: width,
      });
    rows.forEach((row, rowIndex) => {
      const values = isObject(row) && Array.isArray(row['values']) ? row['values'] : [];
      values.forEach((cellData, valueIndex) => {
        const data = isObject(cellData) ? cellData : {};
        validateCellData(data, context.where);
        applyCellData(sheet, start + rowIndex, valueIndex, data, mask);
      });
    });
    return undefined;
  },

  repeatCell(context, request) {
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const { sheet, rect } = gridRangeArg(context, request['range']);
    const cellData = isObject(request['cell']) ? request['cell'] : {};
    validateCellData(cellData, context.where);
    assertCanEditCells(context.identity, sheet, rect);
    forEachCell(rect, (r, c) => applyCellData(sheet, r, c, cellData, mask));
    return undefined;
  },

  mergeCells(context, request) {
    const { sheet, rect } = gridRangeArg(context, request['range']);
    const mergeType = request['mergeType'] ?? 'MERGE_ALL';
    if (mergeType !== 'MERGE_ALL' && mergeType !== 'MERGE_ROWS' && mergeType !== 'MERGE_COLUMNS')
      throw fail(context, `Invalid mergeType ${String(mergeType)}`);
    assertCanEditCells(context.identity, sheet, rect);
    const kept: GridRange[] = [];
    for (const merge of sheet.merges) {
      const mergeRect = checkGridRange(sheet, merge, context.where);
      if (!intersect(mergeRect, rect)) kept.push(merge);
      else if (!contains(rect, mergeRect))
        throw fail(context, 'You must select all cells in a merged range to merge or unmerge them.');
    }
    const created: Rect[] = [];
    if (mergeType === 'MERGE_ALL') created.push(rect);
    else if (mergeType === 'MERGE_ROWS')
      for (let row = rect.startRow; row < rect.endRow; row += 1)
        created.push({ ...rect, startRow: row, endRow: row + 1 });
    else
      for (let col = rect.startCol; col < rect.endCol; col += 1)
        created.push({ ...rect, startCol: col, endCol: col + 1 });
    for (const piece of created) {
      if ((piece.endRow - piece.startRow) * (piece.endCol - piece.startCol) < 2) continue;
      assertMergeWithinFrozenLines(sheet, piece, context.where);
      kept.push({
        sheetId: sheet.properties.sheetId,
        startRowIndex: piece.startRow,
        endRowIndex: piece.endRow,
        startColumnIndex: piece.startCol,
        endColumnIndex: piece.endCol,
      });
      // Merging keeps only the top-left value, as the Sheets UI warns.
      forEachCell(piece, (row, column) => {
        if (row === piece.startRow && column === piece.startCol) return;
        if (getCell(sheet, row, column)?.userEnteredValue) {
          delete cellForWrite(sheet, row, column).userEnteredValue;
          pruneCell(sheet, row, column);
        }
      });
    }
    sheet.merges = kept;
    return undefined;
  },

  unmergeCells(context, request) {
    const { sheet, rect } = gridRangeArg(context, request['range']);
    assertCanEditCells(context.identity, sheet, rect);
    sheet.merges = sheet.merges.filter((merge) => {
      const mergeRect = checkGridRange(sheet, merge, context.where);
      if (!intersect(mergeRect, rect)) return true;
      if (!contains(rect, mergeRect))
        throw fail(context, 'You must select all cells in a merged range to merge or unmerge them.');
      return false;
    });
    return undefined;
  },

  setDataValidation(context, request) {
    const { sheet, rect } = gridRangeArg(context, request['range']);
    const rule = isObject(request['rule']) ? (structuredClone(request['rule']) as JsonObject) : undefined;
    if (rule && !isObject(rule['condition'])) throw fail(context, 'A data validation rule needs a condition.');
    validateDataValidationRule(rule, context.where);
    assertCanEditCells(context.identity, sheet, rect);
    forEachCell(rect, (row, column) => {
      if (rule) cellForWrite(sheet, row, column).dataValidation = structuredClone(rule);
      else {
        if (getCell(sheet, row, column)?.dataValidation) {
          delete cellForWrite(sheet, row, column).dataValidation;
          pruneCell(sheet, row, column);
        }
      }
    });
    return undefined;
  },

  addProtectedRange(context, request) {
    const input = isObject(request['protectedRange']) ? request['protectedRange'] : {};
    const range = isObject(input['range']) ? input['range'] : {};
    const sheet = sheetFor(context, range['sheetId']);
    checkGridRange(sheet, range as GridRange, context.where);
    const protectedRange = buildProtectedRange(context.spreadsheet, input, context.identity.user, context.where);
    const requestedId = intOf(input['protectedRangeId']);
    if (requestedId !== undefined) {
      const taken = context.spreadsheet.sheets.some((s) =>
        s.protectedRanges.some((p) => p.protectedRangeId === requestedId),
      );
      if (taken) throw fail(context, `A protected range with id ${requestedId} already exists.`);
      protectedRange.protectedRangeId = requestedId;
    }
    sheet.protectedRanges.push(protectedRange);
    return { protectedRange: renderProtectedRange(protectedRange, true) };
  },

  updateProtectedRange(context, request) {
    const input = isObject(request['protectedRange']) ? request['protectedRange'] : {};
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const found = findProtectedRange(context, input['protectedRangeId']);
    assertCanModifyProtection(context.identity, found.range);
    const updated = structuredClone(found.range) as unknown as Record<string, unknown>;
    applyUpdateMask(updated, input, mask);
    const next = updated as unknown as ProtectedRange;
    next.protectedRangeId = found.range.protectedRangeId;
    if (!next.range) throw fail(context, 'A protected range needs a range.');
    const target = sheetFor(context, next.range.sheetId);
    checkGridRange(target, next.range, context.where);
    found.sheet.protectedRanges.splice(found.index, 1);
    target.protectedRanges.push(next);
    return undefined;
  },

  deleteProtectedRange(context, request) {
    const found = findProtectedRange(context, request['protectedRangeId']);
    assertCanModifyProtection(context.identity, found.range);
    found.sheet.protectedRanges.splice(found.index, 1);
    return undefined;
  },

  addConditionalFormatRule(context, request) {
    const rule = isObject(request['rule'])
      ? (structuredClone(request['rule']) as unknown as ConditionalFormatRule)
      : undefined;
    if (!rule || !Array.isArray(rule.ranges) || rule.ranges.length === 0)
      throw fail(context, 'A conditional format rule needs at least one range.');
    if (!rule.booleanRule && !rule.gradientRule)
      throw fail(context, 'A conditional format rule needs a booleanRule or a gradientRule.');
    const sheetIds = new Set(rule.ranges.map((range) => range.sheetId ?? 0));
    if (sheetIds.size > 1) throw fail(context, 'All ranges of a conditional format rule must be on the same sheet.');
    const sheet = sheetFor(context, [...sheetIds][0]);
    rule.ranges.forEach((range) => checkGridRange(sheet, range, context.where));
    const index = intOf(request['index']) ?? 0;
    if (index < 0 || index > sheet.conditionalFormats.length) throw fail(context, `Invalid index ${index}.`);
    sheet.conditionalFormats.splice(index, 0, rule);
    return undefined;
  },

  updateConditionalFormatRule(context, request) {
    const sheet = sheetFor(context, request['sheetId']);
    const index = intOf(request['index']) ?? 0;
    const existing = sheet.conditionalFormats[index];
    if (!existing) throw fail(context, `No conditional format on sheet ${sheet.properties.sheetId} at index ${index}`);
    const newIndex = intOf(request['newIndex']);
    if (newIndex !== undefined) {
      if (newIndex < 0 || newIndex >= sheet.conditionalFormats.length)
        throw fail(context, `Invalid newIndex ${newIndex}.`);
      sheet.conditionalFormats.splice(index, 1);
      sheet.conditionalFormats.splice(newIndex, 0, existing);
      return {
        oldIndex: index,
        newIndex,
        oldRule: existing as unknown as JsonObject,
        newRule: existing as unknown as JsonObject,
      };
    }
    const rule = isObject(request['rule'])
      ? (structuredClone(request['rule']) as unknown as ConditionalFormatRule)
      : undefined;
    if (!rule || !Array.isArray(rule.ranges) || rule.ranges.length === 0)
      throw fail(context, 'A conditional format rule needs at least one range.');
    sheet.conditionalFormats[index] = rule;
    return {
      oldIndex: index,
      newIndex: index,
      oldRule: existing as unknown as JsonObject,
      newRule: rule as unknown as JsonObject,
    };
  },

  deleteConditionalFormatRule(context, request) {
    const sheet = sheetFor(context, request['sheetId']);
    const index = intOf(request['index']) ?? 0;
    const [removed] = sheet.conditionalFormats.splice(index, 1);
    if (!removed) throw fail(context, `No conditional format on sheet ${sheet.properties.sheetId} at index ${index}`);
    return { rule: removed as unknown as JsonObject };
  },

  updateDimensionProperties(context, request) {
    const mask = parseMaskOrThrow(request['fields'], context.where);
    const { sheet, dimension, start, end } = dimensionRangeArg(context, request['range']);
    const size =
      dimension === 'ROWS' ? sheet.properties.gridProperties.rowCount : sheet.properties.gridProperties.columnCount;
    if (end > size)
      throw fail(
        context,
        `Invalid dimension range: endIndex ${end} is past the last ${dimension === 'ROWS' ? 'row' : 'column'} (${size}).`,
      );
    const input = isObject(request['properties']) ? request['properties'] : {};
    if (input['pixelSize'] !== undefined && (typeof input['pixelSize'] !== 'number' || input['pixelSize'] < 0))
      throw fail(context, 'pixelSize must be non-negative.');
    const metadata = dimension === 'ROWS' ? sheet.rowMetadata : sheet.columnMetadata;
    for (let i = start; i < end; i += 1) {
      const entry = { ...(metadata[i] ?? {}) } as Record<string, unknown>;
      applyUpdateMask(entry, input, mask);
      for (const key of Object.keys(entry))
        if (!['pixelSize', 'hiddenByUser', 'developerMetadata'].includes(key) || entry[key] === false)
          delete entry[key];
      while (metadata.length < i) metadata.push(null);
      metadata[i] = Object.keys(entry).length > 0 ? (entry as DimensionProperties) : null;
    }
    return undefined;
  },

  insertDimension(context, request) {
    const { sheet, dimension, start, end } = dimensionRangeArg(context, request['range']);
    const size =
      dimension === 'ROWS' ? sheet.properties.gridProperties.rowCount : sheet.properties.gridProperties.columnCount;
    if (start > size)
      throw fail(context, `Invalid dimension range: startIndex ${start} is past the end of the grid (${size}).`);
    if (end <= start) throw fail(context, 'Invalid dimension range: nothing to insert.');
    const inheritFromBefore = request['inheritFromBefore'] === true;
    if (inheritFromBefore && start === 0)
      throw fail(context, 'Cannot inherit properties from before the first row or column.');
    assertCanChangeStructure(context.identity, sheet, dimension, start);
    insertDimensionInto(context.spreadsheet, sheet, dimension, start, end - start, inheritFromBefore);
    return undefined;
  },

  deleteDimension(context, request) {
    const { sheet, dimension, start, end } = dimensionRangeArg(context, request['range']);
    const size =
      dimension === 'ROWS' ? sheet.properties.gridProperties.rowCount : sheet.properties.gridProperties.columnCount;
    if (end > size)
      throw fail(context, `Invalid dimension range: endIndex ${end} is past the end of the grid (${size}).`);
    if (end <= start) return undefined;
    if (end - start >= size)
      throw fail(context, `You can't delete all the ${dimension === 'ROWS' ? 'rows' : 'columns'} on the sheet.`);
    assertCanChangeStructure(context.identity, sheet, dimension, start, end);
    deleteDimensionFrom(context.spreadsheet, sheet, dimension, start, end);
    return undefined;
  },

  appendDimension(context, request) {
    const sheet = sheetFor(context, request['sheetId']);
    const length = intOf(request['length']);
    if (length === undefined || length < 1) throw fail(context, 'length must be positive.');
    const grid = sheet.properties.gridProperties;
    if (request['dimension'] === 'ROWS') grid.rowCount += length;
    else if (request['dimension'] === 'COLUMNS') grid.columnCount += length;
    else throw fail(context, 'dimension must be ROWS or COLUMNS.');
    return undefined;
  },

  updateBorders(context, request) {
    const { sheet, rect } = gridRangeArg(context, request['range']);
    assertCanEditCells(context.identity, sheet, rect);
    const border = (key: string): JsonObject | undefined => {
      const value = request[key];
      if (!isObject(value)) return undefined;
      const out = structuredClone(value) as JsonObject;
      const style = typeof out['style'] === 'string' ? out['style'] : 'SOLID';
      out['style'] = style;
      if (style !== 'NONE' && out['width'] === undefined) out['width'] = BORDER_WIDTHS[style] ?? 1;
      return out;
    };
    const sides = {
      top: border('top'),
      bottom: border('bottom'),
      left: border('left'),
      right: border('right'),
      innerHorizontal: border('innerHorizontal'),
      innerVertical: border('innerVertical'),
    };
    forEachCell(rect, (row, column) => {
      const updates: Record<string, JsonObject | undefined> = {};
      if (row === rect.startRow && sides.top) updates['top'] = sides.top;
      if (row > rect.startRow && sides.innerHorizontal) updates['top'] = sides.innerHorizontal;
      if (row === rect.endRow - 1 && sides.bottom) updates['bottom'] = sides.bottom;
      if (row < rect.endRow - 1 && sides.innerHorizontal) updates['bottom'] = sides.innerHorizontal;
      if (column === rect.startCol && sides.left) updates['left'] = sides.left;
      if (column > rect.startCol && sides.innerVertical) updates['left'] = sides.innerVertical;
      if (column === rect.endCol - 1 && sides.right) updates['right'] = sides.right;
      if (column < rect.endCol - 1 && sides.innerVertical) updates['right'] = sides.innerVertical;
      if (Object.keys(updates).length === 0) return;
      const cell = structuredClone(getCell(sheet, row, column) ?? {});
      const format = (cell.userEnteredFormat ?? {}) as JsonObject;
      const borders = (isObject(format['borders']) ? format['borders'] : {}) as JsonObject;
      for (const [side, value] of Object.entries(updates)) {
        if (!value || value['style'] === 'NONE') delete borders[side];
        else borders[side] = structuredClone(value);
      }
      if (Object.keys(borders).length > 0) format['borders'] = borders;
      else delete format['borders'];
      if (Object.keys(format).length > 0) cell.userEnteredFormat = format;
      else delete cell.userEnteredFormat;
      setCell(sheet, row, column, cell);
    });
    return undefined;
  },

  autoResizeDimensions(context, request) {
    // Accepted for compatibility; column widths depend on fonts the emulator does not render.
    if (isObject(request['dimensions'])) dimensionRangeArg(context, request['dimensions']);
    return undefined;
  },
};

export function batchUpdateSpreadsheet(
  context: RequestContext,
  spreadsheetId: string,
  afterCommit: (spreadsheet: SpreadsheetState) => void,
): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const body = bodyObject(context);
  const requests = body['requests'];
  if (!Array.isArray(requests) || requests.length === 0) throw invalidArgument('Must specify at least one request.');
  // Unknown names are JSON payload errors, rejected before anything runs.
  requests.forEach((request, requestIndex) => {
    if (!isObject(request))
      throw invalidArgument(`Invalid JSON payload received. Expected an object at 'requests[${requestIndex}]'.`);
    const keys = Object.keys(request);
    for (const key of keys) {
      if (!KNOWN_REQUEST_TYPES.has(key))
        throw invalidArgument(
          `Invalid JSON payload received. Unknown name "${key}" at 'requests[${requestIndex}]': Cannot find field.`,
        );
    }
    if (keys.length > 1)
      throw invalidArgument(
        `Invalid JSON payload received. Oneof field 'kind' is already set. Cannot set '${keys[1]}'`,
      );
    if (keys.length === 0) throw invalidArgument(`Invalid requests[${requestIndex}]: No request set.`);
  });
  const working = workingCopy(open.spreadsheet);
  const replies = requests.map((request: RequestBody, requestIndex) => {
    const type = Object.keys(request)[0] as string;
    const handler = handlers[type];
    if (!handler) throw notImplemented(`the batchUpdate request "${type}"`);
    if (!WRITES_CELLS_THROUGH_GRID.has(type)) ownEveryRow(working);
    const payload = isObject(request[type]) ? request[type] : {};
    const where = `Invalid requests[${requestIndex}].${type}`;
    const reply = handler({ spreadsheet: working, identity: open.identity, where }, payload);
    // Any request that grows a grid (addSheet, duplicateSheet, appendDimension, insertDimension,
    // updateSheetProperties, appendCells) is refused past Google's cells-per-spreadsheet limit.
    assertWithinCellLimit(working, where);
    return reply ? { [type]: reply } : {};
  });
  commitSpreadsheet(context, working);
  releaseWorkingCopy(working);
  afterCommit(working);
  const out: Record<string, unknown> = { spreadsheetId, replies };
  if (body['includeSpreadsheetInResponse'] === true) {
    const ranges = Array.isArray(body['responseRanges'])
      ? body['responseRanges'].filter((r): r is string => typeof r === 'string')
      : [];
    const withGrid = body['responseIncludeGridData'] === true;
    let gridData: Map<number, Rect[]> | undefined;
    if (withGrid) {
      gridData = new Map();
      for (const sheet of working.sheets)
        if (ranges.length === 0) gridData.set(sheet.properties.sheetId, [checkGridRange(sheet, {}, 'responseRanges')]);
      for (const text of ranges) {
        const resolved = resolveRange(working, text);
        const id = resolved.sheet.properties.sheetId;
        gridData.set(id, [...(gridData.get(id) ?? []), clipForRead(resolved)]);
      }
    }
    out['updatedSpreadsheet'] = renderSpreadsheet(
      { session: new EvaluationSession(working), locale: working.properties.locale },
      working,
      {
        ...(gridData ? { gridData } : {}),
        canEditProtected: (range) => canEditProtectedCells(open.identity, range),
      },
    );
  }
  return { body: out };
}
