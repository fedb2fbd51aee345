/**
 * A sheet as a spreadsheet program shows it, as a whole HTML page for a screenshot: the
 * emulator viewer's table renderer (scripts/emulators/sheets/viewer/sheet-table.ts) in a
 * window frame with a title bar, with the notes of chosen cells opened beside them as Google
 * Sheets shows a note on hover. Used to picture the running system's real sheets for the
 * README (screenshotted with headless Chromium).
 */
import type { SheetModel } from '../../functions/layout/model.js';
import { SHEET_TABLE_CSS, escapeHtml, sheetTableHtml } from '../emulators/sheets/viewer/sheet-table.js';

export interface SheetPictureOptions {
  /** 0-based rows/cols to show (half-open); hidden ones are skipped as a person sees them. */
  rows: [number, number];
  cols: [number, number];
  /** Cells whose note is shown open, e.g. 'C14'. */
  openNotes?: string[];
  title?: string;
}

export function sheetHtml(sheet: SheetModel, opts: SheetPictureOptions): string {
  const out: string[] = [];
  out.push(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
    body { font-family: Arial, "Noto Sans", sans-serif; font-size: 12px; margin: 12px; background: #fff; }
    .frame { border: 1px solid #c0c0c0; display: inline-block; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
    .bar { background: #f1f3f4; padding: 6px 10px; font-size: 13px; color: #202124; border-bottom: 1px solid #dadce0; }
    ${SHEET_TABLE_CSS}
  </style></head><body><div class="frame">`);
  if (opts.title) out.push(`<div class="bar">${escapeHtml(opts.title)}</div>`);
  // A picture is a window onto part of the sheet: nothing scrolls, so nothing needs to stick.
  out.push(
    sheetTableHtml(sheet, { rows: opts.rows, cols: opts.cols, openNotes: opts.openNotes ?? [], stickyFrozen: false }),
  );
  out.push('</div></body></html>');
  return out.join('');
}
