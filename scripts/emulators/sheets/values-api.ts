/**
 * spreadsheets.values: get, batchGet, update, batchUpdate, append, clear, batchClear.
 *
 * Reads return the normalised A1 range of what was asked (clipped to the grid) and drop
 * trailing empty rows and cells; empty cells inside the data come back as "". Writes start at
 * the range's top-left cell, must stay inside an explicitly bounded range, and grow the grid
 * when the data runs past its last row or column (the range's start must be on the grid).
 */
import { columnLetters, formatRange } from './a1.js';
import {
  type ApiResponse,
  type OpenSpreadsheet,
  type RequestContext,
  bodyObject,
  commitSpreadsheet,
  openSpreadsheet,
} from './context.js';
import { invalidArgument } from './errors.js';
import { EvaluationSession } from './evaluation.js';
import { cellForWrite, getCell, isEmptyCell, pruneCell } from './grid.js';
import { formatNumber } from './number-format.js';
import { assertCanEditCells } from './protection.js';
import { clipForRead, exceedsGridLimits, resolveRange } from './ranges.js';
import type { ResolvedRange } from './ranges.js';
import { formattedValueOf, isDateCell, numberFormatOf } from './render.js';
import { insertDimensionInto } from './structure.js';
import type { Rect, SheetState, SpreadsheetState } from './types.js';
import { parseRaw, parseUserEntered } from './user-entered.js';
import { assertCellTextWithinLimit, assertWithinCellLimit } from './limits.js';

type MajorDimension = 'ROWS' | 'COLUMNS';
type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
type DateTimeRenderOption = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

export interface RenderOptions {
  majorDimension: MajorDimension;
  valueRenderOption: ValueRenderOption;
  dateTimeRenderOption: DateTimeRenderOption;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidArgument(`Invalid value at '${name}' (${String(value)})`);
}

function renderOptionsFrom(source: { get(name: string): unknown }, prefix = ''): RenderOptions {
  const name = (base: string): string => (prefix ? `${prefix}${base[0]?.toUpperCase()}${base.slice(1)}` : base);
  return {
    majorDimension: oneOf(source.get('majorDimension'), ['ROWS', 'COLUMNS'] as const, 'ROWS', 'major_dimension'),
    valueRenderOption: oneOf(
      source.get(name('valueRenderOption')),
      ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const,
      'FORMATTED_VALUE',
      'value_render_option',
    ),
    dateTimeRenderOption: oneOf(
      source.get(name('dateTimeRenderOption')),
      ['SERIAL_NUMBER', 'FORMATTED_STRING'] as const,
      'SERIAL_NUMBER',
      'date_time_render_option',
    ),
  };
}

type CellOutput = string | number | boolean;

function cellOutput(
  session: EvaluationSession,
  sheet: SheetState,
  row: number,
  col: number,
  options: RenderOptions,
  locale: string,
): CellOutput {
  const cell = getCell(sheet, row, col);
  const entered = cell?.userEnteredValue;
  if (!entered) return '';
  if (options.valueRenderOption === 'FORMULA' && entered.formulaValue !== undefined) return entered.formulaValue;
  const effective = session.effectiveValue(sheet, row, col);
  if (!effective) return '';
  if (options.valueRenderOption === 'FORMATTED_VALUE')
    return formattedValueOf(effective, cell.userEnteredFormat, locale) ?? '';
  if (effective.errorValue) return formattedValueOf(effective, undefined, locale) ?? '#ERROR!';
  if (effective.numberValue !== undefined) {
    if (options.dateTimeRenderOption === 'FORMATTED_STRING' && isDateCell(cell.userEnteredFormat)) {
      return formatNumber(effective.numberValue, numberFormatOf(cell.userEnteredFormat), locale);
    }
    return effective.numberValue;
  }
  return effective.boolValue ?? effective.stringValue ?? '';
}

function trimTrailing(rows: CellOutput[][]): CellOutput[][] {
  const trimmed = rows.map((row) => {
    let end = row.length;
    while (end > 0 && row[end - 1] === '') end -= 1;
    return row.slice(0, end);
  });
  let last = trimmed.length;
  while (last > 0 && (trimmed[last - 1] as CellOutput[]).length === 0) last -= 1;
  return trimmed.slice(0, last);
}

export function readValues(
  spreadsheet: SpreadsheetState,
  sheet: SheetState,
  rect: Rect,
  options: RenderOptions,
  session = new EvaluationSession(spreadsheet),
): CellOutput[][] {
  const locale = spreadsheet.properties.locale;
  const lastRow = Math.min(rect.endRow, sheet.rows.length);
  const matrix: CellOutput[][] = [];
  for (let rowIndex = rect.startRow; rowIndex < lastRow; rowIndex += 1) {
    const cells = sheet.rows[rowIndex];
    const row: CellOutput[] = [];
    const lastCol = Math.min(rect.endCol, cells?.length ?? 0);
    for (let col = rect.startCol; col < lastCol; col += 1)
      row.push(cellOutput(session, sheet, rowIndex, col, options, locale));
    matrix.push(row);
  }
  if (options.majorDimension === 'ROWS') return trimTrailing(matrix);
  const width = Math.max(0, ...matrix.map((row) => row.length));
  const columns: CellOutput[][] = Array.from({ length: width }, (_, c) => matrix.map((row) => row[c] ?? ''));
  return trimTrailing(columns);
}

function valueRange(
  spreadsheet: SpreadsheetState,
  resolved: ResolvedRange,
  options: RenderOptions,
  session?: EvaluationSession,
): Record<string, unknown> {
  const rect = clipForRead(resolved);
  const out: Record<string, unknown> = {
    range: formatRange(resolved.sheet.properties.title, rect),
    majorDimension: options.majorDimension,
  };
  const values = readValues(spreadsheet, resolved.sheet, rect, options, session);
  if (values.length > 0) out['values'] = values;
  return out;
}

export function getValues(context: RequestContext, spreadsheetId: string, rangeText: string): ApiResponse {
  const { spreadsheet } = openSpreadsheet(context, spreadsheetId, 'read');
  const options = renderOptionsFrom(context.query);
  return { body: valueRange(spreadsheet, resolveRange(spreadsheet, rangeText), options) };
}

export function batchGetValues(context: RequestContext, spreadsheetId: string): ApiResponse {
  const { spreadsheet } = openSpreadsheet(context, spreadsheetId, 'read');
  const options = renderOptionsFrom(context.query);
  const session = new EvaluationSession(spreadsheet);
  const valueRanges = context.query
    .getAll('ranges')
    .map((text) => valueRange(spreadsheet, resolveRange(spreadsheet, text), options, session));
  return { body: valueRanges.length > 0 ? { spreadsheetId, valueRanges } : { spreadsheetId } };
}

type InputOption = 'RAW' | 'USER_ENTERED';

function inputOptionOf(value: unknown): InputOption {
  if (value === undefined || value === null || value === '' || value === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
    throw invalidArgument("'valueInputOption' is required but not specified");
  }
  return oneOf(value, ['RAW', 'USER_ENTERED'] as const, 'RAW', 'value_input_option');
}

interface WriteResult {
  sheet: SheetState;
  response: Record<string, unknown>;
  rect: Rect | null;
}

function toRowMajor(values: unknown, majorDimension: MajorDimension): unknown[][] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values))
    throw invalidArgument("Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue)");
  const rows = values.map((row) => {
    if (!Array.isArray(row))
      throw invalidArgument("Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue)");
    return row as unknown[];
  });
  if (majorDimension === 'ROWS') return rows;
  const height = Math.max(0, ...rows.map((column) => column.length));
  return Array.from({ length: height }, (_, r) => rows.map((column) => column[r]));
}

function isPlainTextCell(sheet: SheetState, row: number, col: number): boolean {
  const format = numberFormatOf(getCell(sheet, row, col)?.userEnteredFormat);
  return format?.type === 'TEXT' || format?.pattern === '@';
}

/** Writes a value matrix into `spreadsheet` (already a working copy) and describes the result. */
function writeMatrix(
  open: OpenSpreadsheet,
  spreadsheet: SpreadsheetState,
  resolved: ResolvedRange,
  matrix: unknown[][],
  inputOption: InputOption,
  startRowOverride?: number,
): WriteResult {
  const sheet = spreadsheet.sheets.find(
    (s) => s.properties.sheetId === resolved.sheet.properties.sheetId,
  ) as SheetState;
  const grid = sheet.properties.gridProperties;
  const startRow = startRowOverride ?? resolved.rect.startRow;
  const startCol = resolved.rect.startCol;
  if (startRow >= grid.rowCount || startCol >= grid.columnCount) throw exceedsGridLimits({ ...resolved, sheet });
  matrix.forEach((row, index) => {
    if (
      resolved.rowsBounded &&
      startRowOverride === undefined &&
      startRow + index >= resolved.rect.endRow &&
      row.some((v) => v !== undefined)
    ) {
      throw invalidArgument(
        `Requested writing within range [${resolved.label}], but tried writing to row [${startRow + index + 1}]`,
      );
    }
    if (resolved.colsBounded && startCol + row.length > resolved.rect.endCol) {
      throw invalidArgument(
        `Requested writing within range [${resolved.label}], but tried writing to column [${columnLetters(resolved.rect.endCol)}]`,
      );
    }
  });
  const height = matrix.length;
  const width = Math.max(0, ...matrix.map((row) => row.length));
  const locale = spreadsheet.properties.locale;
  if (height === 0 || width === 0) {
    const rect = { startRow, endRow: startRow + 1, startCol, endCol: startCol + 1 };
    return {
      sheet,
      rect: null,
      response: {
        spreadsheetId: spreadsheet.spreadsheetId,
        updatedRange: formatRange(
          sheet.properties.title,
          resolved.rowsBounded ? clipForRead({ ...resolved, sheet }) : rect,
        ),
      },
    };
  }
  const rect: Rect = { startRow, endRow: startRow + height, startCol, endCol: startCol + width };
  // The values API grows the grid to fit the data, unlike batchUpdate requests.
  grid.rowCount = Math.max(grid.rowCount, rect.endRow);
  grid.columnCount = Math.max(grid.columnCount, rect.endCol);
  assertWithinCellLimit(spreadsheet);
  assertCanEditCells(open.identity, sheet, rect);
  const touchedRows = new Set<number>();
  const touchedCols = new Set<number>();
  let updatedCells = 0;
  matrix.forEach((row, index) => {
    row.forEach((input, columnOffset) => {
      const row = startRow + index;
      const column = startCol + columnOffset;
      const parsed =
        inputOption === 'RAW' ? parseRaw(input) : parseUserEntered(input, locale, isPlainTextCell(sheet, row, column));
      if (parsed === undefined) return;
      const text = parsed.value?.stringValue ?? parsed.value?.formulaValue;
      if (typeof text === 'string') assertCellTextWithinLimit(text);
      touchedRows.add(row);
      touchedCols.add(column);
      updatedCells += 1;
      if (parsed.value === null) {
        const cell = getCell(sheet, row, column);
        if (cell) {
          delete cell.userEnteredValue;
          pruneCell(sheet, row, column);
        }
        return;
      }
      const cell = cellForWrite(sheet, row, column);
      cell.userEnteredValue = parsed.value;
      if (parsed.autoFormat && !numberFormatOf(cell.userEnteredFormat)) {
        cell.userEnteredFormat = { ...(cell.userEnteredFormat ?? {}), numberFormat: { ...parsed.autoFormat } };
      }
      if (isEmptyCell(cell)) pruneCell(sheet, row, column);
    });
  });
  const response: Record<string, unknown> = {
    spreadsheetId: spreadsheet.spreadsheetId,
    updatedRange: formatRange(sheet.properties.title, rect),
  };
  if (updatedCells > 0) {
    response['updatedRows'] = touchedRows.size;
    response['updatedColumns'] = touchedCols.size;
    response['updatedCells'] = updatedCells;
  }
  return { sheet, rect, response };
}

function withUpdatedData(
  spreadsheet: SpreadsheetState,
  result: WriteResult,
  source: { get(name: string): unknown },
): void {
  if (source.get('includeValuesInResponse') !== true && source.get('includeValuesInResponse') !== 'true') return;
  const options = renderOptionsFrom(source, 'response');
  const rect = result.rect ?? { startRow: 0, endRow: 0, startCol: 0, endCol: 0 };
  const data: Record<string, unknown> = {
    range: formatRange(result.sheet.properties.title, rect),
    majorDimension: 'ROWS',
  };
  const values = result.rect ? readValues(spreadsheet, result.sheet, rect, { ...options, majorDimension: 'ROWS' }) : [];
  if (values.length > 0) data['values'] = values;
  result.response['updatedData'] = data;
}

function queryGetter(context: RequestContext): { get(name: string): unknown } {
  return { get: (name) => context.query.get(name) ?? undefined };
}

export function updateValues(context: RequestContext, spreadsheetId: string, rangeText: string): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const inputOption = inputOptionOf(context.query.get('valueInputOption'));
  const body = bodyObject(context);
  const working = structuredClone(open.spreadsheet);
  const resolved = resolveRange(working, rangeText);
  const majorDimension = oneOf(body['majorDimension'], ['ROWS', 'COLUMNS'] as const, 'ROWS', 'data.major_dimension');
  const result = writeMatrix(open, working, resolved, toRowMajor(body['values'], majorDimension), inputOption);
  withUpdatedData(working, result, queryGetter(context));
  commitSpreadsheet(context, working);
  return { body: result.response };
}

export function batchUpdateValues(context: RequestContext, spreadsheetId: string): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const body = bodyObject(context);
  const inputOption = inputOptionOf(body['valueInputOption']);
  const data = Array.isArray(body['data']) ? body['data'] : [];
  const working = structuredClone(open.spreadsheet);
  const source = { get: (name: string): unknown => body[name] };
  const responses: Record<string, unknown>[] = [];
  const sheetsTouched = new Set<number>();
  let totalRows = 0;
  let totalColumns = 0;
  let totalCells = 0;
  for (const entry of data) {
    const item = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (typeof item['range'] !== 'string') throw invalidArgument("Invalid data[0]: 'range' is required.");
    const resolved = resolveRange(working, item['range']);
    const majorDimension = oneOf(item['majorDimension'], ['ROWS', 'COLUMNS'] as const, 'ROWS', 'data.major_dimension');
    const result = writeMatrix(open, working, resolved, toRowMajor(item['values'], majorDimension), inputOption);
    withUpdatedData(working, result, source);
    responses.push(result.response);
    if (typeof result.response['updatedCells'] === 'number') {
      sheetsTouched.add(result.sheet.properties.sheetId);
      totalRows += result.response['updatedRows'] as number;
      totalColumns += result.response['updatedColumns'] as number;
      totalCells += result.response['updatedCells'];
    }
  }
  commitSpreadsheet(context, working);
  const out: Record<string, unknown> = { spreadsheetId };
  if (totalCells > 0) {
    out['totalUpdatedRows'] = totalRows;
    out['totalUpdatedColumns'] = totalColumns;
    out['totalUpdatedCells'] = totalCells;
    out['totalUpdatedSheets'] = sheetsTouched.size;
  }
  out['responses'] = responses;
  return { body: out };
}

function clearRect(open: OpenSpreadsheet, working: SpreadsheetState, text: string): string {
  const resolved = resolveRange(working, text);
  const rect = clipForRead(resolved);
  const sheet = resolved.sheet;
  assertCanEditCells(open.identity, sheet, rect);
  // values.clear removes values only; formats, notes and validation stay.
  for (let row = rect.startRow; row < Math.min(rect.endRow, sheet.rows.length); row += 1) {
    const cells = sheet.rows[row];
    if (!cells) continue;
    for (let col = rect.startCol; col < Math.min(rect.endCol, cells.length); col += 1) {
      const cell = cells[col];
      if (cell?.userEnteredValue) {
        delete cell.userEnteredValue;
        pruneCell(sheet, row, col);
      }
    }
  }
  return formatRange(sheet.properties.title, rect);
}

export function clearValues(context: RequestContext, spreadsheetId: string, rangeText: string): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const working = structuredClone(open.spreadsheet);
  const clearedRange = clearRect(open, working, rangeText);
  commitSpreadsheet(context, working);
  return { body: { spreadsheetId, clearedRange } };
}

export function batchClearValues(context: RequestContext, spreadsheetId: string): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const body = bodyObject(context);
  const ranges = Array.isArray(body['ranges']) ? body['ranges'].filter((r): r is string => typeof r === 'string') : [];
  const working = structuredClone(open.spreadsheet);
  const clearedRanges = ranges.map((text) => clearRect(open, working, text));
  commitSpreadsheet(context, working);
  return { body: { spreadsheetId, clearedRanges } };
}

/**
 * values.append, simplified: the "table" is the block of rows holding values in the range's
 * columns from the range's first row down; new rows go right after its last row.
 */
export function appendValues(context: RequestContext, spreadsheetId: string, rangeText: string): ApiResponse {
  const open = openSpreadsheet(context, spreadsheetId, 'write');
  const inputOption = inputOptionOf(context.query.get('valueInputOption'));
  const insertOption = oneOf(
    context.query.get('insertDataOption'),
    ['OVERWRITE', 'INSERT_ROWS'] as const,
    'OVERWRITE',
    'insert_data_option',
  );
  const body = bodyObject(context);
  const working = structuredClone(open.spreadsheet);
  const resolved = resolveRange(working, rangeText);
  const sheet = resolved.sheet;
  const rect = clipForRead(resolved);
  let firstDataRow = -1;
  let lastDataRow = -1;
  for (let row = rect.startRow; row < Math.min(sheet.rows.length, rect.endRow); row += 1) {
    const cells = sheet.rows[row];
    if (!cells) continue;
    for (let col = rect.startCol; col < Math.min(rect.endCol, cells.length); col += 1) {
      if (cells[col]?.userEnteredValue) {
        if (firstDataRow < 0) firstDataRow = row;
        lastDataRow = row;
        break;
      }
    }
  }
  const appendRow = lastDataRow < 0 ? rect.startRow : lastDataRow + 1;
  const majorDimension = oneOf(body['majorDimension'], ['ROWS', 'COLUMNS'] as const, 'ROWS', 'data.major_dimension');
  const matrix = toRowMajor(body['values'], majorDimension);
  if (insertOption === 'INSERT_ROWS' && matrix.length > 0 && appendRow < sheet.properties.gridProperties.rowCount) {
    insertDimensionInto(working, sheet, 'ROWS', appendRow, matrix.length, false);
  }
  if (appendRow >= sheet.properties.gridProperties.rowCount) {
    // Appending below the last row grows the grid, which a plain write may not start from.
    sheet.properties.gridProperties.rowCount = appendRow + 1;
  }
  const result = writeMatrix(open, working, resolved, matrix, inputOption, appendRow);
  withUpdatedData(working, result, queryGetter(context));
  commitSpreadsheet(context, working);
  const out: Record<string, unknown> = { spreadsheetId, updates: result.response };
  if (firstDataRow >= 0) {
    out['tableRange'] = formatRange(sheet.properties.title, {
      startRow: firstDataRow,
      endRow: lastDataRow + 1,
      startCol: rect.startCol,
      endCol: rect.endCol,
    });
  }
  return { body: out };
}
