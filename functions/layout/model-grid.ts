/** A layout model seen as the grid a reader would return for it (values only), e.g. a blank template's grid. */
import type { WorkbookGrid, GridCell } from '../core/grid.js';
import type { WorkbookModel } from './model.js';

export function gridOfWorkbookModel(model: WorkbookModel): WorkbookGrid {
  return {
    sheets: model.sheets.map((sheet) => {
      const rows: (GridCell | null)[][] = [];
      for (const cell of sheet.cells) {
        if (cell.value === null || cell.value === undefined) continue;
        (rows[cell.row] ??= [])[cell.col] = { v: cell.value };
      }
      for (let row = 0; row < rows.length; row++) rows[row] ??= [];
      return { title: sheet.title, rows, merges: sheet.merges };
    }),
  };
}
