/**
 * Renders stored state as Sheets v4 resources: CellData (with effectiveValue, formattedValue,
 * effectiveFormat), GridData, Sheet and Spreadsheet. Follows the API's JSON habits: default
 * values and empty lists are omitted, trailing empty rows and cells are dropped, colours omit
 * zero channels and come with their `…Style` twin.
 */
import { errorCodeOfType } from './formula.js';
import type { EvaluationSession } from './evaluation.js';
import { getCell, isEmptyCell } from './grid.js';
import { formatGeneralNumber, formatNumber, isDateTimeFormat } from './number-format.js';
import type {
  CellFormat,
  ExtendedValue,
  Json,
  JsonObject,
  NumberFormat,
  ProtectedRange,
  Rect,
  SheetState,
  SpreadsheetState,
} from './types.js';

export const DEFAULT_ROW_HEIGHT = 21;
export const DEFAULT_COLUMN_WIDTH = 100;

export const DEFAULT_CELL_FORMAT: JsonObject = {
  backgroundColor: { red: 1, green: 1, blue: 1 },
  padding: { top: 2, right: 3, bottom: 2, left: 3 },
  verticalAlignment: 'BOTTOM',
  wrapStrategy: 'OVERFLOW_CELL',
  textFormat: {
    foregroundColor: {},
    fontFamily: 'Arial',
    fontSize: 10,
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normaliseColor(color: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const channel of ['red', 'green', 'blue', 'alpha'] as const) {
    const value = color[channel];
    if (typeof value === 'number' && value !== 0) out[channel] = value;
  }
  return out;
}

const COLOR_KEYS = new Set(['backgroundColor', 'foregroundColor', 'color', 'tabColor']);

/** Deep copy of a format with colours normalised and every colour paired with its Style twin. */
export function outputFormat<T extends Json | undefined>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => outputFormat(item)) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (COLOR_KEYS.has(key) && isObject(child)) out[key] = normaliseColor(child);
    else out[key] = outputFormat(child as Json);
  }
  for (const key of COLOR_KEYS) {
    const styleKey = `${key}Style`;
    const plain = out[key];
    const style = out[styleKey];
    if (isObject(plain) && !isObject(style)) out[styleKey] = { rgbColor: plain };
    else if (isObject(style) && isObject(style['rgbColor'])) {
      const rgb = normaliseColor(style['rgbColor']);
      out[styleKey] = { ...style, rgbColor: rgb };
      if (!isObject(plain)) out[key] = rgb;
    }
  }
  return out as T;
}

function pick(object: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key]!;
  return out;
}

function deepMerge(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    const existing = out[key];
    if (isObject(existing) && isObject(value) && !COLOR_KEYS.has(key))
      out[key] = deepMerge(existing as JsonObject, value as JsonObject);
    else out[key] = structuredClone(value);
  }
  return out;
}

/** The number format actually applied: the user's, or an automatic one for booleans. */
export function numberFormatOf(format: CellFormat | undefined): NumberFormat | undefined {
  const numberFormat = format?.numberFormat;
  if (!numberFormat || (!numberFormat.pattern && !numberFormat.type)) return undefined;
  return numberFormat;
}

export function formattedValueOf(
  value: ExtendedValue | undefined,
  format: CellFormat | undefined,
  locale: string,
): string | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue ? 'TRUE' : 'FALSE';
  if (value.errorValue) return errorCodeOfType(value.errorValue.type);
  if (value.numberValue !== undefined) {
    const numberFormat = numberFormatOf(format);
    return numberFormat
      ? formatNumber(value.numberValue, numberFormat, locale)
      : formatGeneralNumber(value.numberValue, locale);
  }
  return undefined;
}

export function isDateCell(format: CellFormat | undefined): boolean {
  const numberFormat = numberFormatOf(format);
  if (!numberFormat) return false;
  if (isDateTimeFormat(numberFormat)) return true;
  return !numberFormat.type && /[dy]|h+:m/i.test(numberFormat.pattern ?? '');
}

export interface RenderContext {
  session: EvaluationSession;
  locale: string;
  /**
   * Which parts of a cell the request's field mask selects (all when absent). Rendering
   * effective formats for every cell of a workbook dominated the cost of a read, and the
   * projection would drop what was not asked for anyway.
   */
  cellParts?: CellParts;
}

export interface CellParts {
  userEnteredValue: boolean;
  effectiveValue: boolean;
  formattedValue: boolean;
  userEnteredFormat: boolean;
  effectiveFormat: boolean;
  /** Top-level keys of effectiveFormat the mask selects; null means all of them. */
  effectiveFormatKeys: string[] | null;
  note: boolean;
  dataValidation: boolean;
  textFormatRuns: boolean;
  hyperlink: boolean;
}

export function renderCell(context: RenderContext, sheet: SheetState, row: number, col: number): JsonObject {
  const cell = getCell(sheet, row, col);
  if (!cell || isEmptyCell(cell)) return {};
  const want = context.cellParts;
  const out: JsonObject = {};
  if (cell.userEnteredValue && (!want || want.userEnteredValue))
    out['userEnteredValue'] = structuredClone(cell.userEnteredValue) as JsonObject;
  const needEffective = !want || want.effectiveValue || want.formattedValue;
  const effective =
    cell.userEnteredValue && needEffective ? context.session.effectiveValue(sheet, row, col) : undefined;
  if (effective && (!want || want.effectiveValue)) out['effectiveValue'] = effective as JsonObject;
  if (!want || want.formattedValue) {
    const formatted = formattedValueOf(effective, cell.userEnteredFormat, context.locale);
    if (formatted !== undefined) out['formattedValue'] = formatted;
  }
  if (cell.userEnteredFormat && Object.keys(cell.userEnteredFormat).length > 0 && (!want || want.userEnteredFormat)) {
    out['userEnteredFormat'] = outputFormat(cell.userEnteredFormat);
  }
  if ((cell.userEnteredValue || cell.userEnteredFormat) && (!want || want.effectiveFormat)) {
    const keys = want?.effectiveFormatKeys ?? null;
    const userFormat = (cell.userEnteredFormat ?? {}) as JsonObject;
    const effectiveFormat = keys
      ? outputFormat(deepMerge(pick(DEFAULT_CELL_FORMAT, keys), pick(userFormat, keys)))
      : outputFormat(deepMerge(DEFAULT_CELL_FORMAT, userFormat));
    if (Object.keys(effectiveFormat).length > 0) out['effectiveFormat'] = effectiveFormat;
  }
  if (cell.note !== undefined && cell.note !== '' && (!want || want.note)) out['note'] = cell.note;
  if (cell.dataValidation && (!want || want.dataValidation))
    out['dataValidation'] = structuredClone(cell.dataValidation);
  if (cell.textFormatRuns && (!want || want.textFormatRuns))
    out['textFormatRuns'] = structuredClone(cell.textFormatRuns);
  if (cell.hyperlink && (!want || want.hyperlink)) out['hyperlink'] = cell.hyperlink;
  return out;
}

export function renderGridData(context: RenderContext, sheet: SheetState, rect: Rect): JsonObject {
  const rowData: Json[] = [];
  let lastRowWithData = -1;
  for (let row = rect.startRow; row < rect.endRow && row < sheet.rows.length; row += 1) {
    const cells = sheet.rows[row];
    const values: Json[] = [];
    let lastCell = -1;
    if (cells) {
      for (let col = rect.startCol; col < rect.endCol && col < cells.length; col += 1) {
        const rendered = renderCell(context, sheet, row, col);
        values.push(rendered);
        if (Object.keys(rendered).length > 0) lastCell = values.length - 1;
      }
    }
    values.length = lastCell + 1;
    rowData.push(values.length > 0 ? { values } : {});
    if (values.length > 0) lastRowWithData = rowData.length - 1;
  }
  rowData.length = lastRowWithData + 1;
  const data: JsonObject = {};
  if (rect.startRow > 0) data['startRow'] = rect.startRow;
  if (rect.startCol > 0) data['startColumn'] = rect.startCol;
  if (rowData.length > 0) data['rowData'] = rowData;
  const dimension = (meta: SheetState['rowMetadata'][number] | undefined, fallback: number): JsonObject => {
    const entry: JsonObject = { pixelSize: meta?.pixelSize ?? fallback };
    if (meta?.hiddenByUser) entry['hiddenByUser'] = true;
    return entry;
  };
  data['rowMetadata'] = Array.from({ length: rect.endRow - rect.startRow }, (_, i) =>
    dimension(sheet.rowMetadata[rect.startRow + i], DEFAULT_ROW_HEIGHT),
  );
  data['columnMetadata'] = Array.from({ length: rect.endCol - rect.startCol }, (_, i) =>
    dimension(sheet.columnMetadata[rect.startCol + i], DEFAULT_COLUMN_WIDTH),
  );
  return data;
}

export function renderSheetProperties(sheet: SheetState): JsonObject {
  const out = outputFormat(structuredClone(sheet.properties) as unknown as JsonObject);
  if (!out['hidden']) delete out['hidden'];
  if (!out['rightToLeft']) delete out['rightToLeft'];
  const grid = out['gridProperties'] as JsonObject;
  for (const key of ['frozenRowCount', 'frozenColumnCount', 'hideGridlines']) {
    if (!grid[key]) delete grid[key];
  }
  return out;
}

export function renderProtectedRange(range: ProtectedRange, canEdit: boolean): JsonObject {
  const out = structuredClone(range) as unknown as JsonObject;
  out['requestingUserCanEdit'] = canEdit;
  if (!out['warningOnly']) delete out['warningOnly'];
  if (Array.isArray(out['unprotectedRanges']) && out['unprotectedRanges'].length === 0) delete out['unprotectedRanges'];
  return out;
}

export interface SpreadsheetRenderOptions {
  /** Per-sheet rectangles to include as grid data; absent = no grid data. */
  gridData?: Map<number, Rect[]>;
  /** Restrict the sheets listed (spreadsheets.get with ranges). */
  onlySheets?: Set<number>;
  canEditProtected: (range: ProtectedRange) => boolean;
}

export function spreadsheetUrl(spreadsheetId: string): string {
  return `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`;
}

export function renderSpreadsheet(
  context: RenderContext,
  spreadsheet: SpreadsheetState,
  options: SpreadsheetRenderOptions,
): JsonObject {
  const sheets: Json[] = [];
  const ordered = [...spreadsheet.sheets].sort((a, b) => a.properties.index - b.properties.index);
  for (const sheet of ordered) {
    const sheetId = sheet.properties.sheetId;
    if (options.onlySheets && !options.onlySheets.has(sheetId)) continue;
    const out: JsonObject = { properties: renderSheetProperties(sheet) };
    const rects = options.gridData?.get(sheetId);
    if (rects) out['data'] = rects.map((rect) => renderGridData(context, sheet, rect));
    if (sheet.merges.length > 0) out['merges'] = structuredClone(sheet.merges) as unknown as Json[];
    if (sheet.conditionalFormats.length > 0)
      out['conditionalFormats'] = outputFormat(structuredClone(sheet.conditionalFormats) as unknown as Json[]);
    if (sheet.protectedRanges.length > 0) {
      out['protectedRanges'] = sheet.protectedRanges.map((range) =>
        renderProtectedRange(range, options.canEditProtected(range)),
      );
    }
    sheets.push(out);
  }
  const properties = structuredClone(spreadsheet.properties) as unknown as JsonObject;
  properties['defaultFormat'] = outputFormat(DEFAULT_CELL_FORMAT);
  return {
    spreadsheetId: spreadsheet.spreadsheetId,
    properties,
    sheets,
    spreadsheetUrl: spreadsheetUrl(spreadsheet.spreadsheetId),
  };
}
