/**
 * A unit's Google Sheet, read in one `spreadsheets.get` call with grid data, as the grid the
 * validation core reads.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { GridCell, SheetGrid, WorkbookGrid } from '../core/grid.js';
import type { RangeModel } from './model.js';

/**
 * The `fields` mask callers pass to `spreadsheets.get` with `includeGridData: true`: exactly
 * what `gridFromSpreadsheet` reads. Formats are cut down to the number format type, which is
 * the only way to tell a date from a number; the rest of a format would multiply the payload.
 */
export const UNIT_SHEET_READ_FIELDS =
  'sheets(' +
  'properties(sheetId,title,index,hidden,gridProperties),' +
  'data(startRow,startColumn,rowData(values(userEnteredValue/formulaValue,effectiveValue,formattedValue,effectiveFormat/numberFormat/type))),' +
  'merges)';

const DATE_FORMAT_TYPES = new Set(['DATE', 'DATE_TIME', 'TIME']);

/** ErrorValue.type → the text Sheets shows, so errors read the same whatever the locale. */
const ERROR_TEXT: Record<string, string> = {
  ERROR: '#ERROR!',
  NULL_VALUE: '#NULL!',
  DIVIDE_BY_ZERO: '#DIV/0!',
  VALUE: '#VALUE!',
  REF: '#REF!',
  NAME: '#NAME?',
  NUM: '#NUM!',
  N_A: '#N/A',
  LOADING: '#LOADING',
};

export function gridFromSpreadsheet(spreadsheet: sheets_v4.Schema$Spreadsheet): WorkbookGrid {
  const sheets = [...(spreadsheet.sheets ?? [])].sort(
    (a, b) => (a.properties?.index ?? 0) - (b.properties?.index ?? 0),
  );
  return { sheets: sheets.map(sheetGridOf) };
}

function sheetGridOf(sheet: sheets_v4.Schema$Sheet): SheetGrid {
  const rows: SheetGrid['rows'] = [];
  for (const block of sheet.data ?? []) {
    // The API omits zero-valued fields, so a block starting at A1 has no startRow/startColumn.
    const startRow = block.startRow ?? 0;
    const startColumn = block.startColumn ?? 0;
    (block.rowData ?? []).forEach((rowData, rowOffset) => {
      (rowData.values ?? []).forEach((cellData, colOffset) => {
        const cell = gridCellOf(cellData);
        if (cell) (rows[startRow + rowOffset] ??= [])[startColumn + colOffset] = cell;
      });
    });
  }
  // Holes would make `for…of` over rows yield undefined where callers expect an array.
  for (let row = 0; row < rows.length; row++) rows[row] ??= [];
  const grid = sheet.properties?.gridProperties;
  return {
    title: sheet.properties?.title ?? '',
    rows,
    merges: (sheet.merges ?? []).map((range) => rangeOf(range, grid)),
  };
}

function gridCellOf(data: sheets_v4.Schema$CellData): GridCell | null {
  const effective = data.effectiveValue;
  const formatted = data.formattedValue ?? undefined;
  const isFormula = typeof data.userEnteredValue?.formulaValue === 'string';

  if (effective?.errorValue) {
    const error = errorTextOf(effective.errorValue, formatted);
    return { v: error, text: formatted ?? error, kind: 'error' };
  }
  let cell: GridCell;
  if (typeof effective?.numberValue === 'number') {
    cell = { v: effective.numberValue };
    const formatType = data.effectiveFormat?.numberFormat?.type;
    if (formatType && DATE_FORMAT_TYPES.has(formatType)) cell.kind = 'date';
  } else if (typeof effective?.stringValue === 'string') {
    cell = { v: effective.stringValue, text: effective.stringValue };
  } else if (typeof effective?.boolValue === 'boolean') {
    cell = { v: effective.boolValue };
  } else if (isFormula) {
    // A formula whose result is empty: blank to the core, but still known to be computed.
    cell = { v: null };
  } else {
    return null;
  }
  if (formatted !== undefined) cell.text = formatted;
  if (isFormula) cell.kind = 'formula';
  return cell;
}

function errorTextOf(error: sheets_v4.Schema$ErrorValue, formatted: string | undefined): string {
  const known = error.type ? ERROR_TEXT[error.type] : undefined;
  if (known) return known;
  if (formatted?.startsWith('#')) return formatted;
  return '#ERROR!';
}

function rangeOf(range: sheets_v4.Schema$GridRange, grid: sheets_v4.Schema$GridProperties | undefined): RangeModel {
  const startRow = range.startRowIndex ?? 0;
  const startCol = range.startColumnIndex ?? 0;
  return {
    startRow,
    endRow: range.endRowIndex ?? grid?.rowCount ?? startRow + 1,
    startCol,
    endCol: range.endColumnIndex ?? grid?.columnCount ?? startCol + 1,
  };
}
