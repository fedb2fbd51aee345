/**
 * The emulator's read-only viewer: there is no Google Sheets UI locally, so a newcomer sees what
 * a clerk or a coordinator would see here.
 *
 *   GET /                          every spreadsheet: title, unit and round (Drive appProperties,
 *                                  as provisioning tags them), the status line, last change, links
 *   GET /view/<id>[?sheet=<title>] one tab rendered as Google Sheets shows it, tabs as links
 *   GET /view/<id>/revision        {"version": …}: the page polls it and reloads when it moves
 *
 * Only GET, no write route, and no path Google's APIs use (`/v4/…`, `/drive/…`, `/upload/…`,
 * the emulator's `/emulator/…`). Pages are plain HTML and CSS with no external resource (the
 * machine may be offline); every text from the state is escaped (cells hold user input).
 */
import type { ServerResponse } from 'node:http';
import type { CellModel } from '../../../../functions/layout/model.js';
import { EvaluationSession } from '../evaluation.js';
import { toWorkbookModel } from '../export.js';
import { getCell, sortedSheets } from '../grid.js';
import { formattedValueOf } from '../render.js';
import type { EmulatorStore } from '../store.js';
import type { DriveFileState, SpreadsheetState } from '../types.js';
import { SHEET_TABLE_CSS, escapeHtml, sheetTableHtml } from './sheet-table.js';

/** How often an open page asks whether its spreadsheet changed (real ms). */
const POLL_MS = 2000;
/** The list reloads itself this often (seconds): it changes only as files are created or edited. */
const LIST_REFRESH_S = 15;
/** The label provisioning writes left of a unit sheet's status line (functions/layout/unit-workbook.ts). */
const STATUS_LABEL = 'Tình trạng:';

/** True for the paths the viewer answers; the server asks before its API routing. */
export function isViewerPath(path: string): boolean {
  return path === '/' || path.startsWith('/view/');
}

const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, "Noto Sans", sans-serif; color: #202124; background: #fff; }
header { display: flex; align-items: center; gap: 16px; padding: 8px 16px; border-bottom: 1px solid #dadce0; background: #f8f9fa; }
header h1 { font-size: 18px; margin: 0; font-weight: normal; flex: 1; }
header a, td a { color: #1a73e8; text-decoration: none; }
header a:hover, td a:hover { text-decoration: underline; }
.muted { color: #5f6368; font-size: 12px; }
.nowrap { white-space: nowrap; }
main.list { padding: 12px 16px; }
table.files { border-collapse: collapse; width: 100%; font-size: 13px; }
table.files th { text-align: left; background: #f1f3f4; padding: 6px 8px; border-bottom: 1px solid #dadce0; position: sticky; top: 0; }
table.files td { padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
table.files tr:hover td { background: #f8f9fa; }
.status { display: inline-block; padding: 1px 6px; border-radius: 3px; }
.page { display: flex; flex-direction: column; height: 100vh; }
.grid { flex: 1; overflow: auto; }
nav.tabs { display: flex; gap: 2px; padding: 0 8px; background: #f1f3f4; border-top: 1px solid #dadce0; overflow-x: auto; white-space: nowrap; }
nav.tabs a { padding: 6px 14px; color: #3c4043; text-decoration: none; font-size: 13px; border-bottom: 3px solid transparent; }
nav.tabs a.current { background: #fff; color: #188038; font-weight: bold; border-bottom-color: var(--tab, #188038); }
nav.tabs a.hidden-tab { font-style: italic; color: #80868b; }
`;

function page(title: string, head: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>${head}<style>${PAGE_CSS}${SHEET_TABLE_CSS}</style></head><body>${body}</body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  const bytes = Buffer.from(html, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function sendNotFound(res: ServerResponse, what: string): void {
  sendHtml(
    res,
    404,
    page(
      'Không tìm thấy',
      '',
      `<header><h1>Không tìm thấy</h1><a href="/">Tất cả trang tính</a></header><main class="list"><p>${escapeHtml(what)}</p></main>`,
    ),
  );
}

/** "20:57 14/07/2020" in the spreadsheet's time zone, as the demo's log writes times. */
export function vietnameseDateTime(milliseconds: number, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(milliseconds);
  } catch {
    return vietnameseDateTime(milliseconds, 'Asia/Ho_Chi_Minh');
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('day')}/${part('month')}/${part('year')}`;
}

/** What a cell shows: its effective value under its number format, as the API's FORMATTED_VALUE gives it. */
function formattedText(spreadsheet: SpreadsheetState, session: EvaluationSession) {
  return (sheetTitle: string, row: number, col: number): string => {
    const sheet = spreadsheet.sheets.find((s) => s.properties.title === sheetTitle);
    const cell = sheet ? getCell(sheet, row, col) : undefined;
    if (!sheet || !cell) return '';
    const value =
      cell.userEnteredValue?.formulaValue !== undefined
        ? session.effectiveValue(sheet, row, col)
        : cell.userEnteredValue;
    return formattedValueOf(value, cell.userEnteredFormat, spreadsheet.properties.locale) ?? '';
  };
}

interface StatusLine {
  text: string;
  fill?: string;
}

/** The status line of a unit sheet: the cell right of "Tình trạng:" on the first tab that has one. */
function statusOf(spreadsheet: SpreadsheetState): StatusLine | null {
  const session = new EvaluationSession(spreadsheet);
  const text = formattedText(spreadsheet, session);
  for (const sheet of sortedSheets(spreadsheet)) {
    for (let row = 0; row < Math.min(sheet.rows.length, 6); row++) {
      const cells = sheet.rows[row] ?? [];
      const labelCol = cells.findIndex((cell) => cell?.userEnteredValue?.stringValue === STATUS_LABEL);
      if (labelCol < 0) continue;
      const status = text(sheet.properties.title, row, labelCol + 1);
      const background = getCell(sheet, row, labelCol + 1)?.userEnteredFormat?.['backgroundColor'];
      return { text: status, ...(cssColor(background) ? { fill: cssColor(background) as string } : {}) };
    }
  }
  return null;
}

function cssColor(color: unknown): string | undefined {
  if (typeof color !== 'object' || color === null) return undefined;
  const channels = color as Record<string, unknown>;
  const channel = (v: unknown) => Math.round(Math.min(1, Math.max(0, typeof v === 'number' ? v : 0)) * 255);
  return `rgb(${channel(channels['red'])},${channel(channels['green'])},${channel(channels['blue'])})`;
}

interface Listed {
  spreadsheet: SpreadsheetState;
  file: DriveFileState | undefined;
  unit: string;
  round: string;
  master: boolean;
}

function listed(store: EmulatorStore): Listed[] {
  const rows = Object.values(store.state.spreadsheets).map((spreadsheet) => {
    const file = store.file(spreadsheet.spreadsheetId);
    const props = file?.appProperties ?? {};
    return {
      spreadsheet,
      file,
      unit: props['unit'] ?? '',
      round: props['round'] ?? '',
      master: props['role'] === 'master',
    };
  });
  // The coordinators' master first, then round by round in the order provisioning created them
  // (the campaign's order; the store keeps insertion order), then by title (the unit's name).
  const roundOrder = new Map<string, number>();
  for (const row of rows) if (!roundOrder.has(row.round)) roundOrder.set(row.round, roundOrder.size);
  return rows.sort(
    (a, b) =>
      Number(b.master) - Number(a.master) ||
      (roundOrder.get(a.round) ?? 0) - (roundOrder.get(b.round) ?? 0) ||
      a.spreadsheet.properties.title.localeCompare(b.spreadsheet.properties.title, 'vi'),
  );
}

/** The unit's and the round's names as a unit sheet's title carries them ("<campaign> – <round> – <unit>"), else their ids. */
function namesOf(title: string, unitId: string, roundId: string): { unit: string; round: string } {
  const parts = title.split(' – ');
  return parts.length >= 3
    ? { unit: parts[parts.length - 1] as string, round: parts[parts.length - 2] as string }
    : { unit: unitId, round: roundId };
}

function listPage(store: EmulatorStore): string {
  const rows = listed(store);
  const body: string[] = [];
  body.push(
    `<header><h1>Các trang tính trong trình giả lập Google Sheets</h1><span class="muted">${rows.length} trang tính · tự làm mới mỗi ${LIST_REFRESH_S} giây</span></header><main class="list">`,
  );
  if (rows.length === 0)
    body.push('<p>Chưa có trang tính nào. Chạy <code>npm start</code> hoặc lệnh cấp phát để tạo các trang tính.</p>');
  else {
    body.push(
      '<table class="files"><thead><tr><th>Trang tính</th><th>Đơn vị</th><th>Đợt</th><th>Tình trạng</th><th>Sửa lần cuối</th><th></th></tr></thead><tbody>',
    );
    for (const row of rows) {
      const { spreadsheet, file } = row;
      const id = spreadsheet.spreadsheetId;
      const title = spreadsheet.properties.title;
      const status = statusOf(spreadsheet);
      const names = namesOf(title, row.unit, row.round);
      const unit = row.master ? 'Bảng tổng hợp (đầu mối)' : row.unit ? names.unit : '';
      const modified = file ? vietnameseDateTime(file.modifiedTime, spreadsheet.properties.timeZone) : '';
      body.push(
        `<tr data-id="${escapeHtml(id)}"><td><a href="/view/${encodeURIComponent(id)}">${escapeHtml(title)}</a>${file?.trashed ? ' <span class="muted">(trong thùng rác)</span>' : ''}</td>` +
          `<td>${escapeHtml(unit)}${row.unit ? ` <span class="muted">${escapeHtml(row.unit)}</span>` : ''}</td>` +
          `<td>${row.round ? `${escapeHtml(names.round)} <span class="muted">${escapeHtml(row.round)}</span>` : ''}</td>` +
          `<td>${status ? `<span class="status"${status.fill ? ` style="background:${status.fill}"` : ''}>${escapeHtml(status.text)}</span>` : ''}</td>` +
          `<td class="nowrap">${escapeHtml(modified)}</td>` +
          `<td class="nowrap"><a href="/emulator/spreadsheets/${encodeURIComponent(id)}.xlsx">Tải .xlsx</a></td></tr>`,
      );
    }
    body.push('</tbody></table>');
  }
  body.push('</main>');
  return page('Các trang tính', `<meta http-equiv="refresh" content="${LIST_REFRESH_S}">`, body.join(''));
}

/**
 * Reloads the page when the spreadsheet's Drive version moves (every edit moves it), keeping the
 * grid's scroll position across the reload.
 */
function refreshScript(id: string, version: number): string {
  const revisionUrl = JSON.stringify(`/view/${encodeURIComponent(id)}/revision`).replace(/</g, '\\u003c');
  return `<script>
(function () {
  var grid = document.querySelector('.grid');
  var key = 'scroll:' + location.pathname + location.search;
  try { var saved = JSON.parse(sessionStorage.getItem(key) || 'null'); if (saved && grid) { grid.scrollLeft = saved[0]; grid.scrollTop = saved[1]; } } catch (e) {}
  var seen = ${JSON.stringify(String(version))};
  setInterval(function () {
    fetch(${revisionUrl}, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body || body.version === seen) return;
      if (grid) sessionStorage.setItem(key, JSON.stringify([grid.scrollLeft, grid.scrollTop]));
      location.reload();
    }).catch(function () {});
  }, ${POLL_MS});
})();
</script>`;
}

function viewPage(
  store: EmulatorStore,
  spreadsheet: SpreadsheetState,
  sheetTitle: string | null,
  res: ServerResponse,
): void {
  const id = spreadsheet.spreadsheetId;
  const workbook = toWorkbookModel(spreadsheet);
  const visible = workbook.sheets.filter((s) => !s.hidden);
  const sheet =
    sheetTitle === null ? (visible[0] ?? workbook.sheets[0]) : workbook.sheets.find((s) => s.title === sheetTitle);
  if (!sheet) {
    sendNotFound(
      res,
      sheetTitle === null
        ? 'Trang tính này không có trang con nào.'
        : `Trang tính “${spreadsheet.properties.title}” không có trang con “${sheetTitle}”.`,
    );
    return;
  }
  const file = store.file(id);
  const text = formattedText(spreadsheet, new EvaluationSession(spreadsheet));
  const table = sheetTableHtml(sheet, { text: (cell: CellModel) => text(sheet.title, cell.row, cell.col) });
  // Google lists hidden tabs only in its "all sheets" menu; here they come last, marked.
  const tabs = [...visible, ...workbook.sheets.filter((s) => s.hidden)]
    .map((tab) => {
      const classes = [tab === sheet ? 'current' : '', tab.hidden ? 'hidden-tab' : ''].filter(Boolean).join(' ');
      const color = tab.tabColor ? ` style="--tab:${tab.tabColor}"` : '';
      return `<a href="/view/${encodeURIComponent(id)}?sheet=${encodeURIComponent(tab.title)}"${classes ? ` class="${classes}"` : ''}${color}>${escapeHtml(tab.title)}${tab.hidden ? ' (trang ẩn)' : ''}</a>`;
    })
    .join('');
  const modified = file
    ? `Sửa lần cuối ${vietnameseDateTime(file.modifiedTime, spreadsheet.properties.timeZone)}${file.lastModifyingUserEmail ? ` bởi ${file.lastModifyingUserEmail}` : ''}`
    : '';
  const body =
    `<div class="page"><header><a href="/">← Tất cả trang tính</a><h1>${escapeHtml(spreadsheet.properties.title)}</h1>` +
    `<span class="muted">${escapeHtml(modified)} · chỉ xem</span><a href="/emulator/spreadsheets/${encodeURIComponent(id)}.xlsx">Tải .xlsx</a></header>` +
    `<div class="grid">${table}</div><nav class="tabs">${tabs}</nav></div>${refreshScript(id, file?.version ?? 0)}`;
  sendHtml(res, 200, page(`${spreadsheet.properties.title} — ${sheet.title}`, '', body));
}

/** Answers a viewer path (see isViewerPath). Returns false for what it does not serve (non-GET), so the API's 404 applies. */
export function handleViewerRequest(method: string, url: URL, store: EmulatorStore, res: ServerResponse): boolean {
  if (method !== 'GET') return false;
  const path = url.pathname;
  if (path === '/') {
    sendHtml(res, 200, listPage(store));
    return true;
  }
  const match = /^\/view\/([^/]+)(\/revision)?\/?$/.exec(path);
  let id: string | null = null;
  try {
    id = match ? decodeURIComponent(match[1] as string) : null;
  } catch {
    id = null;
  }
  const spreadsheet = id === null ? undefined : store.spreadsheet(id);
  if (!spreadsheet) {
    if (match?.[2]) {
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'Không có trang tính này.' }));
    } else
      sendNotFound(
        res,
        id === null ? 'Địa chỉ này không có trong trình xem.' : `Không có trang tính mã “${id}” trong trình giả lập.`,
      );
    return true;
  }
  if (match?.[2]) {
    const body = JSON.stringify({ version: String(store.file(spreadsheet.spreadsheetId)?.version ?? 0) });
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  }
  viewPage(store, spreadsheet, url.searchParams.get('sheet'), res);
  return true;
}
