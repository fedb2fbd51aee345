/** A layout model seen as the grid a reader would return for it (values only), e.g. a blank template's grid. */
import type { WorkbookGrid, GridCell } from '../core/grid.js';
import type { WorkbookModel } from './model.js';

export function gridOfWorkbookModel(model: WorkbookModel): WorkbookGrid {
  return {
    sheets: model.sheets.map((s) => {
      const rows: (GridCell | null)[][] = [];
      for (const c of s.cells) {
        if (c.value === null || c.value === undefined) continue;
        (rows[c.row] ??= [])[c.col] = { v: c.value };
      }
      for (let r = 0; r < rows.length; r++) rows[r] ??= [];
      return { title: s.title, rows, merges: s.merges };
    }),
  };
}
