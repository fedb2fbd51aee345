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

function frozenPanes(worksheet: Worksheet): { rows: number; cols: number } {
  const view = worksheet.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
  return view?.state === 'frozen' ? { rows: view.ySplit ?? 0, cols: view.xSplit ?? 0 } : { rows: 0, cols: 0 };
}

/** Every way `ws` would print badly; empty when it prints well. Hidden sheets do not print. */
export function sheetPrintProblems(worksheet: Worksheet, opts: { headerRequired?: boolean } = {}): string[] {
  if (worksheet.state !== 'visible') return [];
  const partial = worksheet.pageSetup;
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${worksheet.name}: ${what}`);
  if (partial.paperSize !== 9) say(`paper ${String(partial.paperSize)}, not A4 (9)`);
  if (partial.orientation !== 'landscape') say(`orientation ${String(partial.orientation)}`);
  if (!partial.fitToPage || partial.fitToWidth !== 1 || partial.fitToHeight !== 0)
    say(
      `not fitted to one page wide (fitToPage ${String(partial.fitToPage)}, ${String(partial.fitToWidth)}×${String(partial.fitToHeight)})`,
    );
  if (!partial.printArea) say('no print area');
  if (!partial.margins || partial.margins.left > 0.8 || partial.margins.right > 0.8)
    say(`margins ${JSON.stringify(partial.margins)}`);
  const frozen = frozenPanes(worksheet);
  if (frozen.rows > 0 && partial.printTitlesRow !== `1:${frozen.rows}`)
    say(`header rows 1:${frozen.rows} frozen but print titles are ${String(partial.printTitlesRow)}`);
  if (opts.headerRequired && !partial.printTitlesRow) say('no header rows repeated on each page');
  if (frozen.cols > 0 && !partial.printTitlesColumn)
    say(`${frozen.cols} label columns frozen but not repeated on each page`);
  worksheet.eachRow({ includeEmpty: false }, (row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (typeof cell.value === 'boolean') say(`${cell.address} holds ${String(cell.value)}: prints as TRUE/FALSE`);
    }),
  );
  return problems;
}

export function workbookPrintProblems(workbook: Workbook, opts: { headerRequired?: boolean } = {}): string[] {
  return workbook.worksheets.flatMap((ws) => sheetPrintProblems(ws, opts));
}
