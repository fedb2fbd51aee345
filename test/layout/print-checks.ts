/**
 * What "print-ready" means for a produced .xlsx, read back with exceljs as any spreadsheet
 * program would read the file: A4, landscape, one page wide, the header rows (and the label
 * columns when they are frozen) repeated on every page, a print area, and no cell that would
 * print TRUE/FALSE. Written out here rather than imported, so the tests do not trust the code
 * they check.
 */
import type { Workbook, Worksheet } from 'exceljs';

/** A produced file read back with exceljs, as a person opening it would (the same loader as the fill helpers). */
export { loadWorkbook as loadXlsx } from '../helpers/xlsx-fill.js';

function frozenPanes(ws: Worksheet): { rows: number; cols: number } {
  const view = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
  return view?.state === 'frozen' ? { rows: view.ySplit ?? 0, cols: view.xSplit ?? 0 } : { rows: 0, cols: 0 };
}

/** Every way `ws` would print badly; empty when it prints well. Hidden sheets do not print. */
export function sheetPrintProblems(ws: Worksheet, opts: { headerRequired?: boolean } = {}): string[] {
  if (ws.state !== 'visible') return [];
  const p = ws.pageSetup;
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${ws.name}: ${what}`);
  if (p.paperSize !== 9) say(`paper ${String(p.paperSize)}, not A4 (9)`);
  if (p.orientation !== 'landscape') say(`orientation ${String(p.orientation)}`);
  if (!p.fitToPage || p.fitToWidth !== 1 || p.fitToHeight !== 0) say(`not fitted to one page wide (fitToPage ${String(p.fitToPage)}, ${String(p.fitToWidth)}×${String(p.fitToHeight)})`);
  if (!p.printArea) say('no print area');
  if (!p.margins || p.margins.left > 0.8 || p.margins.right > 0.8) say(`margins ${JSON.stringify(p.margins)}`);
  const frozen = frozenPanes(ws);
  if (frozen.rows > 0 && p.printTitlesRow !== `1:${frozen.rows}`) say(`header rows 1:${frozen.rows} frozen but print titles are ${String(p.printTitlesRow)}`);
  if (opts.headerRequired && !p.printTitlesRow) say('no header rows repeated on each page');
  if (frozen.cols > 0 && !p.printTitlesColumn) say(`${frozen.cols} label columns frozen but not repeated on each page`);
  ws.eachRow({ includeEmpty: false }, (row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (typeof cell.value === 'boolean') say(`${cell.address} holds ${String(cell.value)}: prints as TRUE/FALSE`);
    }),
  );
  return problems;
}

export function workbookPrintProblems(wb: Workbook, opts: { headerRequired?: boolean } = {}): string[] {
  return wb.worksheets.flatMap((ws) => sheetPrintProblems(ws, opts));
}
