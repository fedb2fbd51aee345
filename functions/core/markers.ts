/**
 * Hidden markers that locate data in a unit workbook. Cells are found by these codes,
 * never by fixed position, so an inserted row or column cannot shift the meaning of data.
 *
 * A table anchor `#<tableId>` sits where the hidden code row meets the hidden code column:
 * indicator/field codes run to its right, period/item codes run below it.
 */
export const MARKER_PREFIX = '#';
export const tableAnchor = (tableId: string) => `#${tableId}`;
/** Row of the status cell; the status text sits in the first visible column to the right. */
export const STATUS_MARKER = '#status';
/** Ends a list table (rows below it are not part of the table). */
export const END_MARKER = '#end';
/** Hidden row on the instructions tab: unit id, round id, campaign id to its right. */
export const IDENTITY_MARKER = '#identity';
/** Section heading rows inside a checklist: not items. */
export const SECTION_MARKER = '#section';
/** Marks, in a code row, the column that holds row labels (periods, numbering), not data. */
export const LABEL_COLUMN_CODE = '#label';
/** Marks, in a list's code row, the column the system writes each nominee's verdict into (never read as data). */
export const VERDICT_COLUMN_CODE = '#ket_qua';
/** The total row of a figures table (computed by the system, never read). */
export const TOTAL_ROW_CODE = 'total';
/** The anchor of a confirmation or dossier form block: field codes run below it. */
export const FORM_VALUE_CODE = 'gia_tri';
export const confirmationAnchor = '#xac_nhan';
export const formBlockAnchor = (tableId: string) => `#${tableId}.ho_so`;

export function isMarker(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(MARKER_PREFIX) && value.length > 1;
}
