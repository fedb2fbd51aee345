/**
 * Writing CellData into the grid under a `fields` mask, shared by spreadsheets.create,
 * updateCells, repeatCell and appendCells. Read-only CellData fields (effectiveValue,
 * formattedValue, effectiveFormat…) sent back by a client are ignored, as Sheets ignores them.
 */
import { invalidArgument } from './errors.js';
import { assertCellTextWithinLimit } from './limits.js';
import { FieldMaskError, applyUpdateMask, parseFieldMask } from './field-mask.js';
import type { MaskTree } from './field-mask.js';
import { getCell, setCell } from './grid.js';
import type { CellState, SheetState } from './types.js';

const WRITABLE_CELL_FIELDS = ['userEnteredValue', 'userEnteredFormat', 'note', 'dataValidation', 'textFormatRuns'];
const VALUE_KINDS = ['numberValue', 'stringValue', 'boolValue', 'formulaValue', 'errorValue'];

export function parseMaskOrThrow(fields: unknown, where: string): MaskTree {
  if (typeof fields !== 'string' || fields.trim() === '') {
    throw invalidArgument(`${where}: At least one field must be specified.`);
  }
  try {
    return parseFieldMask(fields);
  } catch (error) {
    if (error instanceof FieldMaskError) throw invalidArgument(`${where}: ${error.message}`);
    throw error;
  }
}

/** The whole writable cell, for create (where a cell is written as given). */
export const WHOLE_CELL_MASK: MaskTree = new Map(WRITABLE_CELL_FIELDS.map((field) => [field, null]));

function writableOf(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of WRITABLE_CELL_FIELDS) if (data[field] !== undefined) out[field] = data[field];
  return out;
}

function expandWildcard(mask: MaskTree): MaskTree {
  if (!mask.has('*')) return mask;
  const expanded: MaskTree = new Map(WHOLE_CELL_MASK);
  for (const [key, sub] of mask) if (key !== '*') expanded.set(key, sub);
  return expanded;
}

/**
 * The BooleanCondition types Google documents as "Supported by data validation"
 * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/other#ConditionType).
 * The others (TEXT_STARTS_WITH, BLANK, NOT_BLANK… for conditional formatting and filters;
 * TEXT_NOT_EQ, DATE_NOT_EQ, FILTER_EXPRESSION for data source filters) are refused in a rule.
 */
export const DATA_VALIDATION_CONDITION_TYPES = new Set([
  'NUMBER_GREATER',
  'NUMBER_GREATER_THAN_EQ',
  'NUMBER_LESS',
  'NUMBER_LESS_THAN_EQ',
  'NUMBER_EQ',
  'NUMBER_NOT_EQ',
  'NUMBER_BETWEEN',
  'NUMBER_NOT_BETWEEN',
  'TEXT_CONTAINS',
  'TEXT_NOT_CONTAINS',
  'TEXT_EQ',
  'TEXT_IS_EMAIL',
  'TEXT_IS_URL',
  'DATE_EQ',
  'DATE_BEFORE',
  'DATE_AFTER',
  'DATE_ON_OR_BEFORE',
  'DATE_ON_OR_AFTER',
  'DATE_BETWEEN',
  'DATE_NOT_BETWEEN',
  'DATE_IS_VALID',
  'ONE_OF_RANGE',
  'ONE_OF_LIST',
  'CUSTOM_FORMULA',
  'BOOLEAN',
]);

/** A data validation rule's condition must be of a type data validation supports. */
export function validateDataValidationRule(rule: unknown, where: string): void {
  if (rule === undefined || rule === null || typeof rule !== 'object') return;
  const condition = (rule as Record<string, unknown>)['condition'];
  if (!condition || typeof condition !== 'object') return;
  const type = (condition as Record<string, unknown>)['type'];
  if (typeof type !== 'string' || !DATA_VALIDATION_CONDITION_TYPES.has(type)) {
    throw invalidArgument(
      `${where}: Invalid ConditionType ${typeof type === 'string' ? type : 'CONDITION_TYPE_UNSPECIFIED'} for data validation.`,
    );
  }
}

export function validateCellData(data: Record<string, unknown>, where: string): void {
  validateDataValidationRule(data['dataValidation'], where);
  const value = data['userEnteredValue'];
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidArgument(`${where}: userEnteredValue must be an object.`);
  const kinds = Object.keys(value).filter((key) => VALUE_KINDS.includes(key));
  if (kinds.length > 1) {
    throw invalidArgument(
      `Invalid JSON payload received. Oneof field 'value' is already set. Cannot set '${kinds[1]}'`,
    );
  }
  if (kinds[0] === 'errorValue') throw invalidArgument(`${where}: An error value cannot be entered.`);
  const text = (value as Record<string, unknown>)[kinds[0] ?? ''];
  if (typeof text === 'string') assertCellTextWithinLimit(text, where);
}

export function applyCellData(
  sheet: SheetState,
  row: number,
  col: number,
  data: Record<string, unknown>,
  mask: MaskTree,
): void {
  const cell = structuredClone(getCell(sheet, row, col) ?? {}) as Record<string, unknown>;
  applyUpdateMask(cell, writableOf(data), expandWildcard(mask));
  const userEnteredValue = cell['userEnteredValue'];
  if (
    userEnteredValue !== undefined &&
    (typeof userEnteredValue !== 'object' || Object.keys(userEnteredValue as object).length === 0)
  ) {
    delete cell['userEnteredValue'];
  }
  setCell(sheet, row, col, cell as CellState);
}
