/**
 * Google Sheets refuses a merge that crosses a frozen row or column line ("You can't merge
 * frozen and non-frozen columns"), and refuses to freeze through an existing merge; one such
 * request fails its whole batchUpdate. Layouts therefore never merge across the freeze lines.
 */
import type { RangeModel, SheetModel } from './model.js';

/** True when the merge has cells on both sides of the line (`line` = frozen count). */
export function crossesLine(start: number, end: number, line: number): boolean {
  return line > 0 && start < line && line < end;
}

export function mergeCrossesFrozenLines(merge: RangeModel, frozenRows: number, frozenCols: number): boolean {
  return crossesLine(merge.startRow, merge.endRow, frozenRows) || crossesLine(merge.startCol, merge.endCol, frozenCols);
}

export function mergesCrossingFrozenLines(
  sheet: Pick<SheetModel, 'merges' | 'frozenRows' | 'frozenCols'>,
): RangeModel[] {
  return sheet.merges.filter((m) => mergeCrossesFrozenLines(m, sheet.frozenRows ?? 0, sheet.frozenCols ?? 0));
}

/**
 * First column a banner row (title, caption, footnote) may span from: the first scrolling
 * column. The frozen columns of a banner row stay blank, so the banner merges over the
 * scrolling columns only, which on paper (no panes there) still reads as a full-width title.
 */
export function bannerStart(firstCol: number, frozenCols: number): number {
  return Math.max(firstCol, frozenCols);
}
