/**
 * A sheet as a spreadsheet program shows it, as an HTML table: column letters and row numbers,
 * merged cells (rowspan/colspan), frozen rows and columns that stay in view (CSS sticky), fills,
 * fonts, borders, wrapped text, hidden rows and columns left out, checkboxes as ☑/☐, numbers
 * as their number format says, and cells with a note marked by a small triangle whose note
 * opens on hover (as Google Sheets shows it) or is shown open for a picture.
 *
 * Shared by the emulator's read-only viewer (viewer.ts) and the README pictures
 * (scripts/pictures/sheet-html.ts). Everything a cell holds is escaped: it is user input.
 */
import { columnLetters } from '../../../../functions/core/a1.js';
import type { CellModel, SheetModel } from '../../../../functions/layout/model.js';
import { formatNumber } from '../number-format.js';

/** Google Sheets' default sizes, in pixels. */
const DEFAULT_WIDTH = 100;
const DEFAULT_HEIGHT = 21;
const ROW_HEADER_WIDTH = 46;
const COLUMN_HEADER_HEIGHT = 21;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Cell text when no formatted text is supplied: the model's value under its number format (vi_VN by default). */
export function defaultCellText(cell: CellModel, locale = 'vi_VN'): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    const pattern = cell.style?.numberFormat;
    return formatNumber(value, pattern ? { pattern } : undefined, locale);
  }
  return value;
}

export interface SheetTableOptions {
  /** 0-based rows/cols to show (half-open); default: the used part of the sheet. Hidden ones are left out. */
  rows?: [number, number];
  cols?: [number, number];
  /** Cells whose note is shown open, e.g. 'C14' (for pictures; otherwise notes open on hover). */
  openNotes?: string[];
  /** The text a cell shows (its formatted value); default defaultCellText. Checkboxes are drawn whatever this says. */
  text?: (cell: CellModel) => string;
  /** Keep frozen rows/columns (and the headers) in view while the table's container scrolls. Default true. */
  stickyFrozen?: boolean;
}

/** The styles the table needs; put once in the page's <style>. */
export const SHEET_TABLE_CSS = `
table.sheet { border-collapse: separate; border-spacing: 0; table-layout: fixed; font-family: Arial, "Noto Sans", sans-serif; font-size: 13px; background: #fff; }
table.sheet th { background: #f8f9fa; color: #5f6368; font-weight: normal; border-right: 1px solid #c0c0c0; border-bottom: 1px solid #c0c0c0; font-size: 11px; padding: 0; }
table.sheet { background: #fff; }
/* Cells are transparent so that text spilling out of a cell (see .spill) shows over its empty neighbours. */
table.sheet td { border-right: 1px solid #e2e2e2; border-bottom: 1px solid #e2e2e2; padding: 2px 4px; overflow: hidden; vertical-align: bottom; position: relative; color: #000; }
table.sheet td.sticky { background: #fff; }
table.sheet td.spill { overflow: visible; z-index: 1; }
/* separate borders: a bordered cell darkens its own right/bottom edges and, with a shadow, its neighbours' */
table.sheet td.b { border-right-color: #000; border-bottom-color: #000; box-shadow: -1px -1px 0 0 #000; }
table.sheet td.check { text-align: center; font-size: 15px; }
table.sheet .sticky { position: sticky; z-index: 2; }
table.sheet th.sticky { z-index: 3; }
table.sheet th.corner { z-index: 4; }
table.sheet .frozen-edge-row { border-bottom: 3px solid #c7c7c7; }
table.sheet .frozen-edge-col { border-right: 3px solid #c7c7c7; }
table.sheet td .noted { position: absolute; top: 0; right: 0; width: 0; height: 0; border-left: 6px solid transparent; border-top: 6px solid #f29900; }
table.sheet .note { display: none; position: absolute; z-index: 5; left: 100%; top: 0; width: 300px; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 6px rgba(0,0,0,.3); padding: 8px; white-space: pre-wrap; font-size: 12px; color: #202124; text-align: left; font-weight: normal; font-style: normal; }
table.sheet td.has-note:hover, table.sheet td.note-open { overflow: visible; z-index: 6; }
table.sheet td.has-note:hover .note, table.sheet td.note-open .note { display: block; }
`;

/** Rows and columns (exclusive ends) holding anything: values, notes, styles or merges, and the frozen panes. */
function usedBounds(sheet: SheetModel): { rows: number; cols: number } {
  let rows = sheet.frozenRows ?? 0;
  let cols = sheet.frozenCols ?? 0;
  for (const cell of sheet.cells) {
    rows = Math.max(rows, cell.row + 1);
    cols = Math.max(cols, cell.col + 1);
  }
  for (const merge of sheet.merges) {
    rows = Math.max(rows, merge.endRow);
    cols = Math.max(cols, merge.endCol);
  }
  return { rows: Math.min(rows, sheet.rowCount), cols: Math.min(cols, sheet.colCount) };
}

export function sheetTableHtml(sheet: SheetModel, opts: SheetTableOptions = {}): string {
  const bounds = usedBounds(sheet);
  const rowRange = opts.rows ?? [0, bounds.rows];
  const colRange = opts.cols ?? [0, bounds.cols];
  const sticky = opts.stickyFrozen ?? true;
  const text = opts.text ?? ((cell: CellModel) => defaultCellText(cell));
  const cells = new Map(sheet.cells.map((c) => [`${c.row}:${c.col}`, c]));
  const hiddenRows = new Set(sheet.rows.filter((r) => r.hidden).map((r) => r.index));
  const hiddenCols = new Set(sheet.columns.filter((c) => c.hidden).map((c) => c.index));
  const width = new Map(sheet.columns.map((c) => [c.index, c.width ?? DEFAULT_WIDTH]));
  const height = new Map(sheet.rows.map((r) => [r.index, r.height ?? DEFAULT_HEIGHT]));
  const rows: number[] = [];
  for (let row = rowRange[0]; row < rowRange[1]; row++) if (!hiddenRows.has(row)) rows.push(row);
  const cols: number[] = [];
  for (let column = colRange[0]; column < colRange[1]; column++) if (!hiddenCols.has(column)) cols.push(column);

  // A merge spans only its visible rows and columns inside the window; its anchor is its first visible cell.
  const covered = new Set<string>();
  const spans = new Map<string, { rowspan: number; colspan: number }>();
  for (const merge of sheet.merges) {
    const mergeRows = rows.filter((r) => r >= merge.startRow && r < merge.endRow);
    const mergeCols = cols.filter((c) => c >= merge.startCol && c < merge.endCol);
    if (mergeRows.length === 0 || mergeCols.length === 0) continue;
    const anchorR = mergeRows[0] as number;
    const anchorC = mergeCols[0] as number;
    spans.set(`${anchorR}:${anchorC}`, { rowspan: mergeRows.length, colspan: mergeCols.length });
    // The merged value lives in the merge's top-left cell even when that cell is hidden or outside the window.
    const source = cells.get(`${merge.startRow}:${merge.startCol}`);
    if (source) cells.set(`${anchorR}:${anchorC}`, source);
    for (const row of mergeRows)
      for (const col of mergeCols) if (row !== anchorR || col !== anchorC) covered.add(`${row}:${col}`);
  }

  // Sticky offsets: frozen rows stick below the column header, frozen columns right of the row numbers.
  const frozenRows = sticky ? (sheet.frozenRows ?? 0) : 0;
  const frozenCols = sticky ? (sheet.frozenCols ?? 0) : 0;
  const top = new Map<number, number>();
  let y = COLUMN_HEADER_HEIGHT;
  for (const row of rows) {
    if (row >= frozenRows) break;
    top.set(row, y);
    y += height.get(row) ?? DEFAULT_HEIGHT;
  }
  const left = new Map<number, number>();
  let x = ROW_HEADER_WIDTH;
  for (const col of cols) {
    if (col >= frozenCols) break;
    left.set(col, x);
    x += width.get(col) ?? DEFAULT_WIDTH;
  }
  const lastFrozenRow = [...top.keys()].pop();
  const lastFrozenCol = [...left.keys()].pop();

  const open = new Set(opts.openNotes ?? []);
  const out: string[] = [];
  // A fixed layout honours the column widths only when the table's own width is set.
  const tableWidth = ROW_HEADER_WIDTH + cols.reduce((sum, c) => sum + (width.get(c) ?? DEFAULT_WIDTH), 0);
  out.push(
    `<table class="sheet" data-sheet="${escapeHtml(sheet.title)}" style="width:${tableWidth}px"><colgroup><col style="width:${ROW_HEADER_WIDTH}px">`,
  );
  for (const col of cols) out.push(`<col style="width:${width.get(col) ?? DEFAULT_WIDTH}px">`);
  out.push(
    `</colgroup><thead><tr style="height:${COLUMN_HEADER_HEIGHT}px"><th class="${sticky ? 'sticky corner' : ''}" style="${sticky ? 'top:0;left:0' : ''}"></th>`,
  );
  for (const col of cols) {
    const classes = [sticky ? 'sticky' : '', col === lastFrozenCol ? 'frozen-edge-col' : ''].filter(Boolean).join(' ');
    out.push(
      `<th class="${classes}" style="${sticky ? `top:0${left.has(col) ? `;left:${left.get(col)}px;z-index:4` : ''}` : ''}">${columnLetters(col)}</th>`,
    );
  }
  out.push('</tr></thead><tbody>');
  for (const row of rows) {
    const rowTop = top.get(row);
    const rowClasses = [sticky ? 'sticky' : '', row === lastFrozenRow ? 'frozen-edge-row' : '']
      .filter(Boolean)
      .join(' ');
    out.push(
      `<tr style="height:${height.get(row) ?? DEFAULT_HEIGHT}px"><th class="${rowClasses}" style="${sticky ? `left:0${rowTop !== undefined ? `;top:${rowTop}px;z-index:4` : ''}` : ''}">${row + 1}</th>`,
    );
    for (const col of cols) {
      const key = `${row}:${col}`;
      if (covered.has(key)) continue;
      const cell = cells.get(key);
      const style = cell?.style ?? {};
      const span = spans.get(key);
      const isCheckbox = cell?.validation?.kind === 'checkbox';
      const shown = cell ? (isCheckbox ? (cell.value === true ? '☑' : '☐') : text(cell)) : '';
      const css = [
        style.fill ? `background:${style.fill}` : '',
        style.bold ? 'font-weight:bold' : '',
        style.italic ? 'font-style:italic' : '',
        style.fontColor ? `color:${style.fontColor}` : '',
        style.fontSize ? `font-size:${Math.round(style.fontSize * 1.333)}px` : '',
        style.hAlign
          ? `text-align:${style.hAlign}`
          : typeof cell?.value === 'number' && !isCheckbox
            ? 'text-align:right'
            : typeof cell?.value === 'boolean'
              ? 'text-align:center'
              : '',
        style.vAlign ? `vertical-align:${style.vAlign}` : '',
        style.wrap ? 'white-space:pre-wrap;overflow-wrap:break-word' : 'white-space:pre',
      ];
      const cellTop = top.get(row);
      const cellLeft = left.get(col);
      if (cellTop !== undefined) css.push(`top:${cellTop}px`);
      if (cellLeft !== undefined) css.push(`left:${cellLeft}px`);
      if (cellTop !== undefined && cellLeft !== undefined) css.push('z-index:3');
      const addr = `${columnLetters(col)}${row + 1}`;
      // Google lets unwrapped, left-aligned text run on over empty cells to its right.
      const nextCol = cols[cols.indexOf(col) + (span?.colspan ?? 1)];
      const next = nextCol === undefined ? undefined : cells.get(`${row}:${nextCol}`);
      const nextEmpty =
        nextCol === undefined ||
        (!covered.has(`${row}:${nextCol}`) &&
          (next?.value === undefined || next.value === null || next.value === '') &&
          next?.validation?.kind !== 'checkbox');
      const spills =
        typeof cell?.value === 'string' &&
        shown !== '' &&
        !style.wrap &&
        (style.hAlign ?? 'left') === 'left' &&
        nextEmpty &&
        cellTop === undefined &&
        cellLeft === undefined;
      const classes = [
        spills ? 'spill' : '',
        style.border ? 'b' : '',
        isCheckbox ? 'check' : '',
        cell?.note ? 'has-note' : '',
        cell?.note && open.has(addr) ? 'note-open' : '',
        cellTop !== undefined || cellLeft !== undefined ? 'sticky' : '',
        span
          ? rows.indexOf(row) + span.rowspan - 1 === rows.indexOf(lastFrozenRow ?? -1)
            ? 'frozen-edge-row'
            : ''
          : row === lastFrozenRow
            ? 'frozen-edge-row'
            : '',
        span
          ? cols.indexOf(col) + span.colspan - 1 === cols.indexOf(lastFrozenCol ?? -1)
            ? 'frozen-edge-col'
            : ''
          : col === lastFrozenCol
            ? 'frozen-edge-col'
            : '',
      ].filter(Boolean);
      const note = cell?.note ? `<span class="noted"></span><div class="note">${escapeHtml(cell.note)}</div>` : '';
      out.push(
        `<td data-cell="${addr}"${classes.length ? ` class="${classes.join(' ')}"` : ''}${span ? ` rowspan="${span.rowspan}" colspan="${span.colspan}"` : ''} style="${css.filter(Boolean).join(';')}">${escapeHtml(shown)}${note}</td>`,
      );
    }
    out.push('</tr>');
  }
  out.push('</tbody></table>');
  return out.join('');
}
