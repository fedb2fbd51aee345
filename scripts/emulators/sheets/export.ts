/**
 * Turns an emulated spreadsheet into the shared WorkbookModel (functions/layout/model.ts), so a
 * local run can be inspected as an .xlsx file. Lossy by design: only what the model can hold
 * (values, formulas, notes, basic styles, validations, merges, sizes, sheet protection), plus
 * print settings derived from the frozen panes.
 */
import {
  printSetupFromPanes,
  type CellModel,
  type CellStyle,
  type DataValidation,
  type RangeModel,
  type SheetModel,
  type SheetProtection,
  type WorkbookModel,
} from '../../../functions/layout/model.js';
import { EvaluationSession } from './evaluation.js';
import { rectOf } from './grid.js';
import { isSheetProtection } from './protection.js';
import type { CellFormat, CellState, GridRange, SheetState, SpreadsheetState } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function channel(value: unknown): string {
  const channel = typeof value === 'number' ? Math.round(Math.min(1, Math.max(0, value)) * 255) : 0;
  return channel.toString(16).padStart(2, '0').toUpperCase();
}

function rgbOf(color: unknown, style?: unknown): string | undefined {
  const source = isObject(color)
    ? color
    : isObject(style) && isObject(style['rgbColor'])
      ? style['rgbColor']
      : undefined;
  if (!source) return undefined;
  return `#${channel(source['red'])}${channel(source['green'])}${channel(source['blue'])}`;
}

/** A stable key for a tab title: 'Bảng 1' → 'bang1'. */
export function sheetKeyOf(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function styleOf(format: CellFormat | undefined): CellStyle | undefined {
  if (!format) return undefined;
  const style: CellStyle = {};
  const text = isObject(format['textFormat']) ? format['textFormat'] : {};
  if (text['bold'] === true) style.bold = true;
  if (text['italic'] === true) style.italic = true;
  if (typeof text['fontSize'] === 'number') style.fontSize = text['fontSize'];
  const fontColor = rgbOf(text['foregroundColor'], text['foregroundColorStyle']);
  if (fontColor) style.fontColor = fontColor;
  const fill = rgbOf(format['backgroundColor'], format['backgroundColorStyle']);
  if (fill) style.fill = fill;
  const hAlign = format['horizontalAlignment'];
  if (hAlign === 'LEFT' || hAlign === 'CENTER' || hAlign === 'RIGHT')
    style.hAlign = hAlign.toLowerCase() as CellStyle['hAlign'];
  const vAlign = format['verticalAlignment'];
  if (vAlign === 'TOP' || vAlign === 'MIDDLE' || vAlign === 'BOTTOM')
    style.vAlign = vAlign.toLowerCase() as CellStyle['vAlign'];
  if (format['wrapStrategy'] === 'WRAP') style.wrap = true;
  const borders = isObject(format['borders']) ? format['borders'] : {};
  const sides = ['top', 'bottom', 'left', 'right'].map((side) => borders[side]);
  if (sides.every((side) => isObject(side) && side['style'] !== 'NONE')) style.border = true;
  const numberFormat = format.numberFormat;
  if (numberFormat?.pattern) style.numberFormat = numberFormat.pattern;
  else if (numberFormat?.type === 'TEXT') style.numberFormat = '@';
  return Object.keys(style).length > 0 ? style : undefined;
}

function conditionValues(condition: Record<string, unknown>): string[] {
  const values = Array.isArray(condition['values']) ? condition['values'] : [];
  return values.map((value) =>
    isObject(value) && typeof value['userEnteredValue'] === 'string' ? value['userEnteredValue'] : '',
  );
}

function validationOf(rule: Record<string, unknown> | undefined): DataValidation | undefined {
  if (!rule || !isObject(rule['condition'])) return undefined;
  const condition = rule['condition'];
  const strict = rule['strict'] === true;
  const message = typeof rule['inputMessage'] === 'string' ? rule['inputMessage'] : undefined;
  const withMessage = <T extends DataValidation>(validation: T): T =>
    message !== undefined ? { ...validation, message } : validation;
  switch (condition['type']) {
    case 'BOOLEAN':
      return { kind: 'checkbox' };
    case 'ONE_OF_LIST':
      return withMessage({ kind: 'list', values: conditionValues(condition), strict });
    case 'DATE_IS_VALID':
      return withMessage({ kind: 'date', strict });
    case 'NUMBER_GREATER_THAN_EQ':
    case 'NUMBER_GREATER': {
      const min = Number(conditionValues(condition)[0]);
      return withMessage({ kind: 'number', ...(Number.isFinite(min) ? { min } : {}), strict });
    }
    case 'CUSTOM_FORMULA': {
      const formula = conditionValues(condition)[0] ?? '';
      if (!/ISNUMBER|INT\(/i.test(formula)) return undefined;
      const min = /\s*>=\s*(-?\d+(?:\.\d+)?)/.exec(formula)?.[1];
      return withMessage({
        kind: 'number',
        ...(min !== undefined ? { min: Number(min) } : {}),
        ...(/INT\(/i.test(formula) ? { integer: true } : {}),
        strict,
      });
    }
    default:
      return undefined;
  }
}

function rangeModel(range: GridRange, sheet: SheetState): RangeModel {
  const rect = rectOf(range, sheet);
  return { startRow: rect.startRow, endRow: rect.endRow, startCol: rect.startCol, endCol: rect.endCol };
}

function cellModel(
  session: EvaluationSession,
  sheet: SheetState,
  row: number,
  col: number,
  cell: CellState,
): CellModel | null {
  const model: CellModel = { row, col };
  const entered = cell.userEnteredValue;
  if (entered?.formulaValue !== undefined) {
    model.formula = entered.formulaValue.replace(/^=/, '');
    const effective = session.effectiveValue(sheet, row, col);
    const value = effective?.numberValue ?? effective?.stringValue ?? effective?.boolValue;
    if (value !== undefined) model.value = value;
  } else if (entered) {
    const value = entered.numberValue ?? entered.stringValue ?? entered.boolValue;
    if (value !== undefined) model.value = value;
  }
  const style = styleOf(cell.userEnteredFormat);
  if (style) model.style = style;
  if (cell.note) model.note = cell.note;
  const validation = validationOf(cell.dataValidation);
  if (validation) model.validation = validation;
  return Object.keys(model).length > 2 ? model : null;
}

function protectionOf(sheet: SheetState): SheetProtection | undefined {
  const protection = sheet.protectedRanges.find((range) => isSheetProtection(range) && !range.warningOnly);
  if (!protection) return undefined;
  const out: SheetProtection = {
    description: protection.description ?? '',
    unprotected: (protection.unprotectedRanges ?? []).map((range) => rangeModel(range, sheet)),
  };
  if (protection.editors?.users && protection.editors.users.length > 0) out.editors = [...protection.editors.users];
  return out;
}

export function toWorkbookModel(spreadsheet: SpreadsheetState): WorkbookModel {
  const session = new EvaluationSession(spreadsheet);
  const sheets: SheetModel[] = [...spreadsheet.sheets]
    .sort((a, b) => a.properties.index - b.properties.index)
    .map((sheet) => {
      const grid = sheet.properties.gridProperties;
      const cells: CellModel[] = [];
      sheet.rows.forEach((row, r) =>
        row?.forEach((cell, column) => {
          const model = cell ? cellModel(session, sheet, r, column, cell) : null;
          if (model) cells.push(model);
        }),
      );
      const dimensions = (list: SheetState['rowMetadata']): { index: number; size?: number; hidden?: boolean }[] =>
        list.flatMap((meta, index) => {
          if (!meta) return [];
          return [
            {
              index,
              ...(meta.pixelSize !== undefined ? { size: meta.pixelSize } : {}),
              ...(meta.hiddenByUser ? { hidden: true } : {}),
            },
          ];
        });
      const model: SheetModel = {
        title: sheet.properties.title,
        key: sheetKeyOf(sheet.properties.title),
        rowCount: grid.rowCount,
        colCount: grid.columnCount,
        columns: dimensions(sheet.columnMetadata).map(({ index, size, hidden }) => ({
          index,
          ...(size !== undefined ? { width: size } : {}),
          ...(hidden ? { hidden } : {}),
        })),
        rows: dimensions(sheet.rowMetadata).map(({ index, size, hidden }) => ({
          index,
          ...(size !== undefined ? { height: size } : {}),
          ...(hidden ? { hidden } : {}),
        })),
        cells,
        merges: sheet.merges.map((merge) => rangeModel(merge, sheet)),
      };
      if (grid.frozenRowCount) model.frozenRows = grid.frozenRowCount;
      if (grid.frozenColumnCount) model.frozenCols = grid.frozenColumnCount;
      // Google keeps no page setup in the API; the download prints like the system's own files:
      // A4 landscape, fit to width, the frozen header rows and label columns on every page.
      model.print = printSetupFromPanes(grid.frozenRowCount, grid.frozenColumnCount);
      const tabColor = rgbOf(sheet.properties.tabColor, sheet.properties.tabColorStyle);
      if (tabColor) model.tabColor = tabColor;
      if (sheet.properties.hidden) model.hidden = true;
      const protection = protectionOf(sheet);
      if (protection) model.protection = protection;
      return model;
    });
  return {
    title: spreadsheet.properties.title,
    locale: spreadsheet.properties.locale,
    timeZone: spreadsheet.properties.timeZone,
    sheets,
  };
}

/** Loaded on first use only: the xlsx writer pulls in exceljs, which the emulator itself does not need. */
export async function writeXlsx(model: WorkbookModel, filePath: string): Promise<void> {
  const { writeWorkbookXlsx } = await import('../../../functions/layout/xlsx.js');
  await writeWorkbookXlsx(model, filePath);
}

export async function renderXlsxBuffer(model: WorkbookModel): Promise<Buffer> {
  const { renderXlsx } = await import('../../../functions/layout/xlsx.js');
  return renderXlsx(model);
}
