/**
 * A sheet as a spreadsheet program shows it, in HTML: column letters and row numbers, merged
 * cells, fills, borders, wrapped text, hidden rows and columns left out, and the notes of
 * chosen cells opened beside them as Google Sheets shows a note on hover. Used to picture the
 * running system's real sheets for the README (screenshotted with headless Chromium).
 */
import { columnLetters } from '../../functions/core/a1.js';
import type { CellModel, SheetModel } from '../../functions/layout/model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function display(c: CellModel | undefined): string {
  if (!c || c.value === null || c.value === undefined) return '';
  if (typeof c.value === 'boolean') return c.value ? '☑' : '☐';
  if (typeof c.value === 'number') {
    const [i, f] = String(Math.round(c.value * 1000) / 1000).split('.') as [string, string | undefined];
    return i.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + (f ? `,${f}` : '');
  }
  return c.value;
}

export interface SheetPictureOptions {
  /** 0-based rows/cols to show (half-open); hidden ones are skipped as a person sees them. */
  rows: [number, number];
  cols: [number, number];
  /** Cells whose note is shown open, e.g. 'C14'. */
  openNotes?: string[];
  title?: string;
}

export function sheetHtml(sheet: SheetModel, opts: SheetPictureOptions): string {
  const cells = new Map(sheet.cells.map((c) => [`${c.row}:${c.col}`, c]));
  const hiddenRows = new Set(sheet.rows.filter((r) => r.hidden).map((r) => r.index));
  const hiddenCols = new Set(sheet.columns.filter((c) => c.hidden).map((c) => c.index));
  const width = new Map(sheet.columns.map((c) => [c.index, c.width ?? 100]));
  const height = new Map(sheet.rows.map((r) => [r.index, r.height ?? 21]));
  const rows: number[] = [];
  for (let r = opts.rows[0]; r < opts.rows[1]; r++) if (!hiddenRows.has(r)) rows.push(r);
  const cols: number[] = [];
  for (let c = opts.cols[0]; c < opts.cols[1]; c++) if (!hiddenCols.has(c)) cols.push(c);
  const covered = new Set<string>();
  const spans = new Map<string, { rowspan: number; colspan: number }>();
  for (const m of sheet.merges) {
    const r0 = Math.max(m.startRow, opts.rows[0]);
    const c0 = Math.max(m.startCol, opts.cols[0]);
    const rs = rows.filter((r) => r >= m.startRow && r < m.endRow).length;
    const cs = cols.filter((c) => c >= m.startCol && c < m.endCol).length;
    if (rs === 0 || cs === 0) continue;
    const anchorR = rows.find((r) => r >= r0 && r < m.endRow)!;
    const anchorC = cols.find((c) => c >= c0 && c < m.endCol)!;
    spans.set(`${anchorR}:${anchorC}`, { rowspan: rs, colspan: cs });
    for (const r of rows) for (const c of cols) if (r >= m.startRow && r < m.endRow && c >= m.startCol && c < m.endCol && !(r === anchorR && c === anchorC)) covered.add(`${r}:${c}`);
  }
  const open = new Set(opts.openNotes ?? []);
  const out: string[] = [];
  out.push(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
    body { font-family: Arial, "Noto Sans", sans-serif; font-size: 12px; margin: 12px; background: #fff; }
    .frame { border: 1px solid #c0c0c0; display: inline-block; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
    .bar { background: #f1f3f4; padding: 6px 10px; font-size: 13px; color: #202124; border-bottom: 1px solid #dadce0; }
    table { border-collapse: collapse; table-layout: fixed; }
    th { background: #f8f9fa; color: #5f6368; font-weight: normal; border: 1px solid #e0e0e0; font-size: 11px; }
    td { border: 1px solid #e2e2e2; padding: 2px 4px; overflow: hidden; vertical-align: bottom; position: relative; }
    td.b { border: 1px solid #000; }
    td .noted { position: absolute; top: 0; right: 0; width: 0; height: 0; border-left: 6px solid transparent; border-top: 6px solid #f29900; }
    .note { position: absolute; z-index: 5; left: 100%; top: 0; width: 300px; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 6px rgba(0,0,0,.3); padding: 8px; white-space: pre-wrap; font-size: 12px; color: #202124; text-align: left; font-weight: normal; font-style: normal; }
  </style></head><body><div class="frame">`);
  if (opts.title) out.push(`<div class="bar">${esc(opts.title)}</div>`);
  out.push('<table><colgroup><col style="width:36px">');
  for (const c of cols) out.push(`<col style="width:${width.get(c) ?? 100}px">`);
  out.push('</colgroup><tr><th></th>');
  for (const c of cols) out.push(`<th>${columnLetters(c)}</th>`);
  out.push('</tr>');
  for (const r of rows) {
    out.push(`<tr style="height:${height.get(r) ?? 21}px"><th>${r + 1}</th>`);
    for (const c of cols) {
      const key = `${r}:${c}`;
      if (covered.has(key)) continue;
      const cell = cells.get(key);
      const st = cell?.style ?? {};
      const span = spans.get(key);
      const css = [
        st.fill ? `background:${st.fill}` : '',
        st.bold ? 'font-weight:bold' : '',
        st.italic ? 'font-style:italic' : '',
        st.fontColor ? `color:${st.fontColor}` : '',
        st.fontSize ? `font-size:${Math.round(st.fontSize * 1.25)}px` : '',
        st.hAlign ? `text-align:${st.hAlign}` : typeof cell?.value === 'number' ? 'text-align:right' : '',
        st.vAlign ? `vertical-align:${st.vAlign === 'middle' ? 'middle' : st.vAlign}` : '',
        st.wrap ? 'white-space:normal;word-wrap:break-word' : 'white-space:nowrap',
      ].filter(Boolean).join(';');
      const addr = `${columnLetters(c)}${r + 1}`;
      const note = cell?.note ? `<span class="noted"></span>${open.has(addr) ? `<div class="note">${esc(cell.note)}</div>` : ''}` : '';
      const showNote = Boolean(cell?.note && open.has(addr));
      out.push(`<td class="${st.border ? 'b' : ''}"${span ? ` rowspan="${span.rowspan}" colspan="${span.colspan}"` : ''} style="${css}${showNote ? ';overflow:visible;z-index:4' : ''}">${esc(display(cell))}${note}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</table></div></body></html>');
  return out.join('');
}
