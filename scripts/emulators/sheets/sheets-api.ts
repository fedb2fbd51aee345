/**
 * spreadsheets.create and spreadsheets.get.
 */
import { formatRange } from './a1.js';
import { WHOLE_CELL_MASK, applyCellData, validateCellData } from './cells.js';
import { type ApiResponse, type RequestContext, bodyObject, openSpreadsheet, queryFlag } from './context.js';
import { invalidArgument } from './errors.js';
import { EvaluationSession } from './evaluation.js';
import { FieldMaskError, maskSelects, parseFieldMask, projectFields, subMask } from './field-mask.js';
import type { MaskTree } from './field-mask.js';
import { assertMergeWithinFrozenLines, assertWithinCellLimit } from './limits.js';
import { canEditProtectedCells } from './protection.js';
import { clipForRead, resolveRange } from './ranges.js';
import { renderSpreadsheet, type CellParts } from './render.js';
import { sheetRect } from './grid.js';
import { localeSpec } from './number-format.js';
import { newFileId, newSheetId } from './store.js';
import type {
  Color,
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

export const DEFAULT_ROW_COUNT = 1000;
export const DEFAULT_COLUMN_COUNT = 26;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeInt(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw invalidArgument(`${where} must be a non-negative integer.`);
  return value;
}

export function duplicateTitleError(where: string, title: string): Error {
  return invalidArgument(`${where}: A sheet with the name "${title}" already exists. Please enter another name.`);
}

export function defaultSheetTitle(spreadsheet: SpreadsheetState): string {
  const prefix = localeSpec(spreadsheet.properties.locale).sheetTitlePrefix;
  const taken = new Set(spreadsheet.sheets.map((sheet) => sheet.properties.title.toLowerCase()));
  for (let suffix = spreadsheet.sheets.length + 1; ; suffix += 1) {
    const title = `${prefix}${suffix}`;
    if (!taken.has(title.toLowerCase())) return title;
  }
}

/** Builds sheet properties from a request, validating id and title against the spreadsheet. */
export function newSheetProperties(
  spreadsheet: SpreadsheetState,
  input: Record<string, unknown>,
  where: string,
): SheetProperties {
  const takenIds = new Set(spreadsheet.sheets.map((sheet) => sheet.properties.sheetId));
  let sheetId = nonNegativeInt(input['sheetId'], `${where}.sheetId`);
  if (sheetId !== undefined && takenIds.has(sheetId)) {
    throw invalidArgument(`${where}: Sheet with id ${sheetId} already exists.`);
  }
  // The first sheet of a new spreadsheet is gid=0, as in the Sheets UI.
  sheetId ??= spreadsheet.sheets.length === 0 && !takenIds.has(0) ? 0 : newSheetId(takenIds);
  const rawTitle = input['title'];
  const title = typeof rawTitle === 'string' && rawTitle.trim() !== '' ? rawTitle : defaultSheetTitle(spreadsheet);
  if (spreadsheet.sheets.some((sheet) => sheet.properties.title.toLowerCase() === title.toLowerCase())) {
    throw duplicateTitleError(where, title);
  }
  const grid = isObject(input['gridProperties']) ? input['gridProperties'] : {};
  const rowCount = nonNegativeInt(grid['rowCount'], `${where}.gridProperties.rowCount`) ?? DEFAULT_ROW_COUNT;
  const columnCount =
    nonNegativeInt(grid['columnCount'], `${where}.gridProperties.columnCount`) ?? DEFAULT_COLUMN_COUNT;
  if (rowCount < 1 || columnCount < 1)
    throw invalidArgument(`${where}: A sheet must have at least one row and one column.`);
  const properties: SheetProperties = {
    sheetId,
    title,
    index: nonNegativeInt(input['index'], `${where}.index`) ?? spreadsheet.sheets.length,
    sheetType: 'GRID',
    gridProperties: { rowCount, columnCount },
  };
  const frozenRowCount = nonNegativeInt(grid['frozenRowCount'], `${where}.gridProperties.frozenRowCount`);
  const frozenColumnCount = nonNegativeInt(grid['frozenColumnCount'], `${where}.gridProperties.frozenColumnCount`);
  if (frozenRowCount) properties.gridProperties.frozenRowCount = frozenRowCount;
  if (frozenColumnCount) properties.gridProperties.frozenColumnCount = frozenColumnCount;
  if (grid['hideGridlines'] === true) properties.gridProperties.hideGridlines = true;
  if (input['hidden'] === true) properties.hidden = true;
  if (input['rightToLeft'] === true) properties.rightToLeft = true;
  if (isObject(input['tabColor'])) properties.tabColor = structuredClone(input['tabColor']) as Color;
  if (isObject(input['tabColorStyle']))
    properties.tabColorStyle = structuredClone(input['tabColorStyle']) as JsonObject;
  return properties;
}

export function emptySheet(properties: SheetProperties): SheetState {
  return {
    properties,
    rows: [],
    rowMetadata: [],
    columnMetadata: [],
    merges: [],
    conditionalFormats: [],
    protectedRanges: [],
  };
}

export function checkGridRange(sheet: SheetState, range: GridRange, where: string): Rect {
  const grid = sheet.properties.gridProperties;
  const rect = {
    startRow: range.startRowIndex ?? 0,
    endRow: range.endRowIndex ?? grid.rowCount,
    startCol: range.startColumnIndex ?? 0,
    endCol: range.endColumnIndex ?? grid.columnCount,
  };
  if (rect.startRow < 0 || rect.startCol < 0 || rect.endRow < rect.startRow || rect.endCol < rect.startCol) {
    throw invalidArgument(`${where}: Invalid range.`);
  }
  if (rect.endRow > grid.rowCount || rect.endCol > grid.columnCount) {
    throw invalidArgument(
      `${where}: Range (${formatRange(sheet.properties.title, rect)}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
    );
  }
  return rect;
}

export function newProtectedRangeId(spreadsheet: SpreadsheetState): number {
  const taken = new Set(
    spreadsheet.sheets.flatMap((sheet) => sheet.protectedRanges.map((range) => range.protectedRangeId)),
  );
  return newSheetId(taken);
}

/** Normalises a ProtectedRange from a request; the creator is always among the editors. */
export function buildProtectedRange(
  spreadsheet: SpreadsheetState,
  input: Record<string, unknown>,
  creator: string,
  where: string,
): ProtectedRange {
  if (!isObject(input['range'])) {
    throw invalidArgument(`${where}: A protected range needs a range (named ranges are not emulated).`);
  }
  const range = structuredClone(input['range']) as GridRange;
  range.sheetId ??= 0;
  const protectedRange: ProtectedRange = { protectedRangeId: newProtectedRangeId(spreadsheet), range };
  if (typeof input['description'] === 'string') protectedRange.description = input['description'];
  if (input['warningOnly'] === true) protectedRange.warningOnly = true;
  const unprotected = Array.isArray(input['unprotectedRanges'])
    ? (structuredClone(input['unprotectedRanges']) as GridRange[])
    : [];
  const isWholeSheet =
    range.startRowIndex === undefined &&
    range.endRowIndex === undefined &&
    range.startColumnIndex === undefined &&
    range.endColumnIndex === undefined;
  if (unprotected.length > 0 && !isWholeSheet) {
    throw invalidArgument(`${where}: Unprotected ranges can only be set on a protected sheet.`);
  }
  if (unprotected.length > 0)
    protectedRange.unprotectedRanges = unprotected.map((r) => ({ ...r, sheetId: r.sheetId ?? range.sheetId }));
  if (protectedRange.warningOnly && isObject(input['editors'])) {
    throw invalidArgument(`${where}: Editors cannot be set on a warning-only protected range.`);
  }
  if (!protectedRange.warningOnly) {
    const editors = isObject(input['editors'])
      ? (structuredClone(input['editors']) as ProtectedRange['editors'] & object)
      : {};
    const users = new Set((editors.users ?? []).map((email) => email));
    users.add(creator);
    protectedRange.editors = { ...editors, users: [...users] };
  }
  return protectedRange;
}

function writeGridData(sheet: SheetState, data: Record<string, unknown>, where: string): void {
  const startRow = nonNegativeInt(data['startRow'], `${where}.startRow`) ?? 0;
  const startCol = nonNegativeInt(data['startColumn'], `${where}.startColumn`) ?? 0;
  const grid = sheet.properties.gridProperties;
  const rowData = Array.isArray(data['rowData']) ? data['rowData'] : [];
  rowData.forEach((row, index) => {
    const values = isObject(row) && Array.isArray(row['values']) ? row['values'] : [];
    values.forEach((cellData, valueIndex) => {
      if (!isObject(cellData)) return;
      const row = startRow + index;
      const column = startCol + valueIndex;
      if (row >= grid.rowCount || column >= grid.columnCount) {
        throw invalidArgument(
          `${where}: GridData exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
        );
      }
      validateCellData(cellData, where);
      applyCellData(sheet, row, column, cellData, WHOLE_CELL_MASK);
    });
  });
  const copyMetadata = (list: unknown, into: (DimensionProperties | null)[], start: number): void => {
    if (!Array.isArray(list)) return;
    list.forEach((meta, index) => {
      if (!isObject(meta)) return;
      const entry: DimensionProperties = {};
      if (typeof meta['pixelSize'] === 'number') entry.pixelSize = meta['pixelSize'];
      if (meta['hiddenByUser'] === true) entry.hiddenByUser = true;
      while (into.length < start + index) into.push(null);
      into[start + index] = Object.keys(entry).length > 0 ? entry : null;
    });
  };
  copyMetadata(data['rowMetadata'], sheet.rowMetadata, startRow);
  copyMetadata(data['columnMetadata'], sheet.columnMetadata, startCol);
}

/** Builds a spreadsheet from a Spreadsheet resource (the spreadsheets.create body). */
export function buildSpreadsheet(
  body: Record<string, unknown>,
  creator: string,
  spreadsheetId = newFileId(),
): SpreadsheetState {
  const props = isObject(body['properties']) ? body['properties'] : {};
  const spreadsheet: SpreadsheetState = {
    spreadsheetId,
    properties: {
      title: typeof props['title'] === 'string' && props['title'] !== '' ? props['title'] : 'Untitled spreadsheet',
      locale: typeof props['locale'] === 'string' ? props['locale'] : 'en_US',
      timeZone: typeof props['timeZone'] === 'string' ? props['timeZone'] : 'Etc/GMT',
      autoRecalc: typeof props['autoRecalc'] === 'string' ? props['autoRecalc'] : 'ON_CHANGE',
    },
    sheets: [],
  };
  const sheetInputs = Array.isArray(body['sheets']) ? body['sheets'] : [];
  // Explicit ids first, so an auto-assigned id never collides with one given later in the list.
  const explicitIds = new Set<number>();
  sheetInputs.forEach((input, inputIndex) => {
    const id = isObject(input) && isObject(input['properties']) ? input['properties']['sheetId'] : undefined;
    if (typeof id === 'number') {
      if (explicitIds.has(id))
        throw invalidArgument(`Invalid sheets[${inputIndex}]: Sheet with id ${id} already exists.`);
      explicitIds.add(id);
    }
  });
  sheetInputs.forEach((input, inputIndex) => {
    const where = `Invalid sheets[${inputIndex}]`;
    const sheetInput = isObject(input) ? input : {};
    const propsInput = isObject(sheetInput['properties']) ? { ...sheetInput['properties'] } : {};
    if (propsInput['sheetId'] === undefined) {
      const taken = new Set([...explicitIds, ...spreadsheet.sheets.map((sheet) => sheet.properties.sheetId)]);
      propsInput['sheetId'] = spreadsheet.sheets.length === 0 && !taken.has(0) ? 0 : newSheetId(taken);
    }
    if (propsInput['index'] === undefined) propsInput['index'] = inputIndex;
    const sheet = emptySheet(newSheetProperties(spreadsheet, propsInput, where));
    spreadsheet.sheets.push(sheet);
    const dataList = Array.isArray(sheetInput['data']) ? sheetInput['data'] : [];
    dataList.forEach((data, index) => {
      if (isObject(data)) writeGridData(sheet, data, `${where}.data[${index}]`);
    });
    if (Array.isArray(sheetInput['merges'])) {
      sheet.merges = (structuredClone(sheetInput['merges']) as GridRange[]).map((merge) => {
        const withSheet = { ...merge, sheetId: sheet.properties.sheetId };
        const rect = checkGridRange(sheet, withSheet, `${where}.merges`);
        assertMergeWithinFrozenLines(sheet, rect, `${where}.merges`);
        return withSheet;
      });
    }
    if (Array.isArray(sheetInput['conditionalFormats'])) {
      sheet.conditionalFormats = (structuredClone(sheetInput['conditionalFormats']) as ConditionalFormatRule[]).map(
        (rule) => ({
          ...rule,
          ranges: (rule.ranges ?? []).map((range) => ({ ...range, sheetId: sheet.properties.sheetId })),
        }),
      );
    }
    if (Array.isArray(sheetInput['protectedRanges'])) {
      sheetInput['protectedRanges'].forEach((range, rangeIndex) => {
        if (!isObject(range)) return;
        const withSheet = {
          ...range,
          range: { ...(isObject(range['range']) ? range['range'] : {}), sheetId: sheet.properties.sheetId },
        };
        sheet.protectedRanges.push(
          buildProtectedRange(spreadsheet, withSheet, creator, `${where}.protectedRanges[${rangeIndex}]`),
        );
      });
    }
  });
  if (spreadsheet.sheets.length === 0)
    spreadsheet.sheets.push(emptySheet(newSheetProperties(spreadsheet, {}, 'Invalid sheets[0]')));
  assertWithinCellLimit(spreadsheet);
  spreadsheet.sheets.sort((a, b) => a.properties.index - b.properties.index);
  spreadsheet.sheets.forEach((sheet, index) => (sheet.properties.index = index));
  return spreadsheet;
}

export function parseFieldsParam(context: RequestContext): MaskTree | null {
  const fields = context.query.get('fields');
  if (fields === null || fields.trim() === '') return null;
  try {
    return parseFieldMask(fields);
  } catch (error) {
    if (error instanceof FieldMaskError) throw invalidArgument(`Invalid field selection: ${error.message}`);
    throw error;
  }
}

const CELL_PARTS = [
  'userEnteredValue',
  'effectiveValue',
  'formattedValue',
  'userEnteredFormat',
  'effectiveFormat',
  'note',
  'dataValidation',
  'textFormatRuns',
  'hyperlink',
] as const;

/** What of each cell the mask selects; null (everything) without a mask. */
function cellPartsOf(mask: MaskTree | null): CellParts | undefined {
  if (!mask) return undefined;
  const path = ['sheets', 'data', 'rowData', 'values'];
  const parts = Object.fromEntries(CELL_PARTS.map((p) => [p, maskSelects(mask, [...path, p])])) as unknown as CellParts;
  const sub = subMask(mask, [...path, 'effectiveFormat']);
  parts.effectiveFormatKeys = sub && !sub.has('*') ? [...sub.keys()] : null;
  return parts;
}

export function renderForUser(
  context: RequestContext,
  spreadsheet: SpreadsheetState,
  ownerEmail: string,
  gridData?: Map<number, Rect[]>,
  onlySheets?: Set<number>,
  mask: MaskTree | null = null,
): JsonObject {
  const identity = { user: context.user, ownerEmail };
  const cellParts = cellPartsOf(mask);
  return renderSpreadsheet(
    {
      session: new EvaluationSession(spreadsheet),
      locale: spreadsheet.properties.locale,
      ...(cellParts ? { cellParts } : {}),
    },
    spreadsheet,
    {
      ...(gridData ? { gridData } : {}),
      ...(onlySheets ? { onlySheets } : {}),
      canEditProtected: (range) => canEditProtectedCells(identity, range),
    },
  );
}

export function createSpreadsheet(
  context: RequestContext,
  onCreated: (spreadsheet: SpreadsheetState) => void,
): ApiResponse {
  const mask = parseFieldsParam(context);
  const spreadsheet = buildSpreadsheet(bodyObject(context), context.user);
  onCreated(spreadsheet);
  const rendered = renderForUser(context, spreadsheet, context.user);
  return { body: mask ? projectFields(rendered, mask) : rendered };
}

export function getSpreadsheet(context: RequestContext, spreadsheetId: string): ApiResponse {
  const { spreadsheet, file } = openSpreadsheet(context, spreadsheetId, 'read');
  const mask = parseFieldsParam(context);
  // With a field mask, includeGridData is ignored and the mask alone decides.
  const includeGridData = mask ? maskSelects(mask, ['sheets', 'data']) : queryFlag(context.query, 'includeGridData');
  const ranges = context.query.getAll('ranges');
  let gridData: Map<number, Rect[]> | undefined;
  let onlySheets: Set<number> | undefined;
  if (ranges.length > 0) {
    onlySheets = new Set();
    gridData = new Map();
    for (const text of ranges) {
      const resolved = resolveRange(spreadsheet, text);
      const sheetId = resolved.sheet.properties.sheetId;
      onlySheets.add(sheetId);
      gridData.set(sheetId, [...(gridData.get(sheetId) ?? []), clipForRead(resolved)]);
    }
  } else if (includeGridData) {
    gridData = new Map(spreadsheet.sheets.map((sheet) => [sheet.properties.sheetId, [sheetRect(sheet)]]));
  }
  const rendered = renderForUser(
    context,
    spreadsheet,
    file.ownerEmail,
    includeGridData ? gridData : undefined,
    onlySheets,
    mask,
  );
  return { body: mask ? projectFields(rendered, mask) : rendered };
}
