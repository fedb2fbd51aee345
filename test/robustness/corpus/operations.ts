/**
 * The small vocabulary the bad-input corpus is written in, and how each word is carried out
 * on a live unit sheet in the Sheets emulator, through the Sheets API:
 *  - values are typed by the unit's clerk (USER_ENTERED, as typed in the Sheets UI, or RAW as
 *    a paste of plain text does), under the clerk's own account, so protections apply;
 *  - structure is changed with `spreadsheets.batchUpdate` or values writes as the owner (the
 *    service account): a clerk cannot touch the protected hidden codes, tabs or columns, but
 *    someone with the owner's rights, or a copy of the file, can.
 * Cells are named by meaning (table, period, code…), found through the live sheet's hidden
 * codes, never by fixed addresses.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { a1, quoteSheetName } from '../../../functions/core/a1.js';
import type { WorkbookGrid } from '../../../functions/core/grid.js';
import {
  codeColumn,
  codeRow,
  confirmationCell,
  figureCell,
  findMarker,
  listCell,
  outlineCell,
  tableAnchor,
  type CellRef,
} from '../../helpers/grid-edit.js';

/** A cell named by what it means in the template. */
export type Ref =
  | { figure: [table: string, period: string, code: string] }
  | { list: [table: string, index: number, field: string] }
  | { checklist: [table: string, item: string, column: 'noi_dung' | 'tham_chieu'] }
  | { confirm: string }
  /** The hidden code cell of a column (in the table's code row). */
  | { columnCode: [table: string, code: string] }
  /** The hidden code cell of a row (a period, an outline item), in the table's code column. */
  | { rowCode: [table: string, code: string] }
  /** A cell at an offset from a hidden marker ('#identity', '#bang1'…). */
  | { marker: string; dr?: number; dc?: number }
  /** A cell at an offset from another reference (the column right of a table…). */
  | { offset: Ref; dr?: number; dc?: number };

export type Value = string | number | boolean | null;

export type Op =
  /** A value put into a cell; by the clerk unless said otherwise; `tab` redirects to another tab (a copy). */
  | { op: 'type'; at: Ref; value: Value; input?: 'USER_ENTERED' | 'RAW'; as?: 'clerk' | 'owner'; tab?: string }
  /** The clerk pastes a cell copied from elsewhere that holds a date (value and date format). */
  | { op: 'pasteDate'; at: Ref; date: string }
  | { op: 'renameTab'; tab: string; to: string }
  | { op: 'deleteTab'; tab: string }
  | { op: 'duplicateTab'; tab: string; copy: string }
  /** Inserts an empty column where `at` is (it moves right). */
  | { op: 'insertColumn'; at: Ref }
  | { op: 'deleteColumn'; at: Ref }
  /** Inserts an empty row where `at` is (it moves down). */
  | { op: 'insertRow'; at: Ref }
  | { op: 'deleteRow'; at: Ref }
  | { op: 'merge'; at: Ref; rows: number; cols: number }
  /** A block of a figures table pasted `by` columns to the right: from the first to the last code, for these row codes. */
  | { op: 'pasteShifted'; table: string; rows: string[]; from: string; to: string; by: number };

/** Resolves a reference in a grid (positions as they are in that grid). */
export function resolve(grid: WorkbookGrid, ref: Ref): CellRef {
  if ('figure' in ref) return figureCell(grid, ...ref.figure);
  if ('list' in ref) return listCell(grid, ...ref.list);
  if ('checklist' in ref) return outlineCell(grid, ...ref.checklist);
  if ('confirm' in ref) return confirmationCell(grid, ref.confirm);
  if ('columnCode' in ref) {
    const anchor = tableAnchor(grid, ref.columnCode[0]);
    return { sheet: anchor.sheet, row: anchor.row, col: codeColumn(grid, ...ref.columnCode) };
  }
  if ('rowCode' in ref) {
    const anchor = tableAnchor(grid, ref.rowCode[0]);
    return { sheet: anchor.sheet, row: codeRow(grid, ...ref.rowCode), col: anchor.col };
  }
  if ('offset' in ref) {
    const base = resolve(grid, ref.offset);
    return { sheet: base.sheet, row: base.row + (ref.dr ?? 0), col: base.col + (ref.dc ?? 0) };
  }
  const marker = findMarker(grid, ref.marker);
  return { sheet: marker.sheet, row: marker.row + (ref.dr ?? 0), col: marker.col + (ref.dc ?? 0) };
}

export const addressOf = (ref: CellRef) => a1(ref.row, ref.col);

export interface SheetClients {
  clerk: sheets_v4.Sheets;
  owner: sheets_v4.Sheets;
}

/**
 * Carries out one operation. Positions are taken from `initial` (the sheet as it was before
 * the case began), as a person does: "type into the column I just inserted" is where the
 * original column was. Tab ids come from the live sheet.
 */
export async function applyOp(
  clients: SheetClients,
  spreadsheetId: string,
  initial: WorkbookGrid,
  sheetIds: Map<string, number>,
  operation: Op,
): Promise<void> {
  const idOf = (title: string) => {
    const id = sheetIds.get(title);
    if (id === undefined) throw new Error(`no tab "${title}" in the live sheet`);
    return id;
  };
  const batch = (requests: sheets_v4.Schema$Request[]) =>
    clients.owner.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
  switch (operation.op) {
    case 'type': {
      const at = resolve(initial, operation.at);
      const client = operation.as === 'owner' ? clients.owner : clients.clerk;
      const range = `${quoteSheetName(operation.tab ?? at.sheet.title)}!${addressOf(at)}`;
      // An empty string clears a cell through the values API, as deleting its content does.
      await client.spreadsheets.values.update({
        spreadsheetId,
        range,
        valueInputOption: operation.input ?? 'USER_ENTERED',
        requestBody: { values: [[operation.value === null ? '' : operation.value]] },
      });
      return;
    }
    case 'pasteDate': {
      const at = resolve(initial, operation.at);
      const [year, month, day] = operation.date.split('-').map(Number) as [number, number, number];
      const serial = Date.UTC(year, month - 1, day) / 86_400_000 + 25_569;
      await clients.clerk.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: [
            {
              updateCells: {
                start: { sheetId: idOf(at.sheet.title), rowIndex: at.row, columnIndex: at.col },
                rows: [
                  {
                    values: [
                      {
                        userEnteredValue: { numberValue: serial },
                        userEnteredFormat: { numberFormat: { type: 'DATE', pattern: 'dd/MM/yyyy' } },
                      },
                    ],
                  },
                ],
                fields: 'userEnteredValue,userEnteredFormat.numberFormat',
              },
            },
          ],
        },
      });
      return;
    }
    case 'renameTab':
      await batch([
        {
          updateSheetProperties: { properties: { sheetId: idOf(operation.tab), title: operation.to }, fields: 'title' },
        },
      ]);
      return;
    case 'deleteTab':
      await batch([{ deleteSheet: { sheetId: idOf(operation.tab) } }]);
      return;
    case 'duplicateTab': {
      const index = initial.sheets.findIndex((s) => s.title === operation.tab);
      await batch([
        {
          duplicateSheet: {
            sourceSheetId: idOf(operation.tab),
            newSheetName: operation.copy,
            insertSheetIndex: index + 1,
          },
        },
      ]);
      return;
    }
    case 'insertColumn':
    case 'deleteColumn':
    case 'insertRow':
    case 'deleteRow': {
      const at = resolve(initial, operation.at);
      const dimension = operation.op.endsWith('Column') ? 'COLUMNS' : 'ROWS';
      const index = dimension === 'COLUMNS' ? at.col : at.row;
      const range = { sheetId: idOf(at.sheet.title), dimension, startIndex: index, endIndex: index + 1 };
      await batch([
        operation.op.startsWith('insert')
          ? { insertDimension: { range, inheritFromBefore: false } }
          : { deleteDimension: { range } },
      ]);
      return;
    }
    case 'merge': {
      const at = resolve(initial, operation.at);
      await batch([
        {
          mergeCells: {
            range: {
              sheetId: idOf(at.sheet.title),
              startRowIndex: at.row,
              endRowIndex: at.row + operation.rows,
              startColumnIndex: at.col,
              endColumnIndex: at.col + operation.cols,
            },
            mergeType: 'MERGE_ALL',
          },
        },
      ]);
      return;
    }
    case 'pasteShifted': {
      const first = figureCell(initial, operation.table, operation.rows[0]!, operation.from);
      const lastCol = codeColumn(initial, operation.table, operation.to);
      const data = operation.rows.map((period) => {
        const row = codeRow(initial, operation.table, period);
        const cells = first.sheet.rows[row] ?? [];
        const moved = Array.from({ length: lastCol - first.col + 1 }, (_x, i) => cells[first.col + i]?.v ?? '');
        // The block lands `by` columns to the right; the cells it left are empty.
        return {
          range: `${quoteSheetName(first.sheet.title)}!${a1(row, first.col)}:${a1(row, lastCol + operation.by)}`,
          values: [[...Array(operation.by).fill(''), ...moved]],
        };
      });
      await clients.owner.spreadsheets.values.batchUpdate({
        spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data },
      });
      return;
    }
  }
}
