/**
 * Protected ranges. The owner can always edit; otherwise a caller must be listed in the
 * protection's editors. A sheet protection (range naming only the sheet) covers the whole sheet
 * except its unprotectedRanges. Warning-only protections do not stop API writes (the warning
 * is a UI dialog). A refused edit is 400 INVALID_ARGUMENT "You are trying to edit a protected
 * cell or object…", as the real API answers.
 */
import { sameEmail } from './access.js';
import { protectedCell } from './errors.js';
import { coveredBy, intersect, rectOf } from './grid.js';
import type { ProtectedRange, Rect, SheetState } from './types.js';

export interface EditorIdentity {
  user: string;
  ownerEmail: string;
}

export function isSheetProtection(range: ProtectedRange): boolean {
  const gridRange = range.range;
  return (
    gridRange !== undefined &&
    gridRange.startRowIndex === undefined &&
    gridRange.endRowIndex === undefined &&
    gridRange.startColumnIndex === undefined &&
    gridRange.endColumnIndex === undefined
  );
}

export function canEditProtection(identity: EditorIdentity, range: ProtectedRange): boolean {
  if (sameEmail(identity.user, identity.ownerEmail)) return true;
  return (range.editors?.users ?? []).some((editor) => sameEmail(editor, identity.user));
}

/** What `requestingUserCanEdit` reports: warning-only protections let everyone edit. */
export function canEditProtectedCells(identity: EditorIdentity, range: ProtectedRange): boolean {
  return range.warningOnly === true || canEditProtection(identity, range);
}

function blocks(identity: EditorIdentity, range: ProtectedRange): boolean {
  return !canEditProtectedCells(identity, range);
}

/** Throws when any cell of `rect` lies in a protection the caller cannot edit. */
export function assertCanEditCells(identity: EditorIdentity, sheet: SheetState, rect: Rect): void {
  for (const range of sheet.protectedRanges) {
    if (!blocks(identity, range) || !range.range) continue;
    const overlap = intersect(rect, rectOf(range.range, sheet));
    if (!overlap) continue;
    const unprotected = (range.unprotectedRanges ?? []).map((r) => rectOf(r, sheet));
    if (!coveredBy(overlap, unprotected)) throw protectedCell();
  }
}

/** Inserting or deleting rows/columns, or deleting the sheet, is refused inside protections. */
export function assertCanChangeStructure(
  identity: EditorIdentity,
  sheet: SheetState,
  dimension: 'ROWS' | 'COLUMNS' | 'SHEET',
  startIndex = 0,
  endIndex = 0,
): void {
  for (const range of sheet.protectedRanges) {
    if (!blocks(identity, range) || !range.range) continue;
    if (dimension === 'SHEET' || isSheetProtection(range)) throw protectedCell();
    const rect = rectOf(range.range, sheet);
    const [from, to] = dimension === 'ROWS' ? [rect.startRow, rect.endRow] : [rect.startCol, rect.endCol];
    const deleting = endIndex > startIndex;
    const touches = deleting ? startIndex < to && endIndex > from : startIndex > from && startIndex < to;
    if (touches) throw protectedCell();
  }
}

export function assertCanModifyProtection(identity: EditorIdentity, range: ProtectedRange): void {
  if (!canEditProtection(identity, range)) throw protectedCell();
}
