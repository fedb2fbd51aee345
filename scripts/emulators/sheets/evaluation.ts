/**
 * Computes effective values. Formulas are evaluated at read time against the current state
 * (one session per request, memoised), which keeps writes simple and reads always consistent.
 */
import { FormulaError, evaluateFormula, toExtendedValue } from './formula.js';
import type { FormulaHost, ScalarValue } from './formula.js';
import { findSheetById, findSheetByTitle, getCell } from './grid.js';
import type { ExtendedValue, Rect, SheetState, SpreadsheetState } from './types.js';

const CIRCULAR = new FormulaError(
  '#REF!',
  'Circular dependency detected. To resolve with iterative calculation, see File > Settings.',
);

function scalarOfStored(value: ExtendedValue | undefined): ScalarValue {
  if (!value) return null;
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.errorValue) return new FormulaError('#ERROR!', value.errorValue.message);
  return null;
}

export class EvaluationSession {
  private readonly memo = new Map<string, ScalarValue>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly spreadsheet: SpreadsheetState) {}

  scalar(sheet: SheetState, row: number, col: number): ScalarValue {
    const cell = getCell(sheet, row, col);
    const entered = cell?.userEnteredValue;
    if (entered?.formulaValue === undefined) return scalarOfStored(entered);
    const key = `${sheet.properties.sheetId}:${row}:${col}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached;
    if (this.inProgress.has(key)) return CIRCULAR;
    this.inProgress.add(key);
    let result: ScalarValue;
    try {
      result = evaluateFormula(entered.formulaValue, this.hostFor(sheet));
    } finally {
      this.inProgress.delete(key);
    }
    this.memo.set(key, result);
    return result;
  }

  effectiveValue(sheet: SheetState, row: number, col: number): ExtendedValue | undefined {
    return toExtendedValue(this.scalar(sheet, row, col));
  }

  private hostFor(own: SheetState): FormulaHost {
    const byId = (sheetId: number): SheetState | undefined => findSheetById(this.spreadsheet, sheetId);
    return {
      resolveSheet: (title) => {
        const sheet = title === null ? own : findSheetByTitle(this.spreadsheet, title);
        if (!sheet) return null;
        const grid = sheet.properties.gridProperties;
        return { sheetId: sheet.properties.sheetId, rowCount: grid.rowCount, columnCount: grid.columnCount };
      },
      valueAt: (sheetId, row, col) => {
        const sheet = byId(sheetId);
        return sheet ? this.scalar(sheet, row, col) : null;
      },
      forEachValue: (sheetId, rect: Rect, visit) => {
        const sheet = byId(sheetId);
        if (!sheet) return;
        const lastRow = Math.min(rect.endRow, sheet.rows.length);
        for (let row = rect.startRow; row < lastRow; row += 1) {
          const cells = sheet.rows[row];
          if (!cells) continue;
          const lastCol = Math.min(rect.endCol, cells.length);
          for (let col = rect.startCol; col < lastCol; col += 1) {
            if (!cells[col]?.userEnteredValue) continue;
            visit(this.scalar(sheet, row, col));
          }
        }
      },
    };
  }
}
