/**
 * The Sheets emulator's read-only viewer: `/` lists every
 * spreadsheet, `/view/<id>` renders a tab as Google Sheets shows it. Fetched over HTTP from the
 * local stack's emulator holding a provisioned unit sheet (with a clerk's typing and the
 * system's feedback) and the coordinators' master, and parsed with htmlparser2 (no browser).
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitWorkbook } from '../../../functions/layout/unit-workbook.js';
import type { SheetModel } from '../../../functions/layout/model.js';
import { validSubmission } from '../../helpers/fill-workbook.js';
import { provisionMaster, registerUnitSheets } from '../../helpers/integration.js';
import { startTestStack, submissionEntries, type TestStack } from '../../helpers/stack.js';
import { sheetTableHtml } from '../../../scripts/emulators/sheets/viewer/sheet-table.js';
import { clientsFor } from './helpers.js';

const UNIT = 'ubnd-ba-dinh';
const SCRIPT = '<script>alert("xss")</script>';

let stack: TestStack;
let round: string;
let unitSheetId: string;
let masterId: string;
/** The cell (tab, A1) where the clerk typed text into a number cell, and the one holding the script. */
let textInNumber: { sheet: string; cell: string };
let scriptCell: { sheet: string; cell: string };

async function get(path: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(new URL(path, stack.urls.sheets));
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

function parse(html: string) {
  return parseDocument(html);
}

function all(root: ReturnType<typeof parse>, test: (e: Element) => boolean): Element[] {
  return DomUtils.findAll(test, root.children);
}

function cellAt(root: ReturnType<typeof parse>, addr: string): Element {
  const found = all(root, (e) => e.name === 'td' && e.attribs['data-cell'] === addr);
  expect(found, `cell ${addr}`).toHaveLength(1);
  return found[0] as Element;
}

const viewUrl = (id: string, sheet: string) => `/view/${encodeURIComponent(id)}?sheet=${encodeURIComponent(sheet)}`;
const addressOf = (row: number, col: number) => `${String.fromCharCode(65 + col)}${row + 1}`;

beforeAll(async () => {
  stack = await startTestStack();
  const model = stack.runtime.model;
  round = model.campaign.rounds[0]!.id;
  unitSheetId = (await registerUnitSheets(stack, round, [UNIT]))[UNIT]!;
  await provisionMaster(stack);
  masterId = (await stack.runtime.store.meta('master')).spreadsheetId!;

  // The clerk types text into the first number cell and a script into the first text cell of a list.
  const entries = submissionEntries(validSubmission(model, UNIT, round));
  const figure = entries.find((e) => e.kind === 'figure')!;
  const listText = entries.find((e) => e.kind === 'list' && typeof e.value === 'string')!;
  await stack.type(UNIT, round, [
    { ...figure, value: '12 buổi' },
    { ...listText, value: SCRIPT },
  ]);
  await stack.process(UNIT, round, { force: true });

  const state = stack.sheets.getSpreadsheetState(unitSheetId)!;
  const find = (test: (value: string | undefined) => boolean) => {
    for (const sheet of state.sheets)
      for (const [rowIndex, row] of sheet.rows.entries())
        for (const [column, cell] of (row ?? []).entries())
          if (test(cell?.userEnteredValue?.stringValue))
            return { sheet: sheet.properties.title, cell: addressOf(rowIndex, column) };
    throw new Error('typed cell not found');
  };
  textInNumber = find((v) => v === '12 buổi');
  scriptCell = find((v) => v === SCRIPT);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

describe('the list at /', () => {
  it('lists every spreadsheet with its unit, round and status, and links to its view and .xlsx', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    const doc = parse(page.text);
    expect(all(doc, (e) => e.name === 'html')[0]?.attribs['lang']).toBe('vi');
    const rows = all(doc, (e) => e.name === 'tr' && e.attribs['data-id'] !== undefined);
    const ids = rows.map((r) => r.attribs['data-id']);
    expect([...ids].sort()).toEqual(
      stack.sheets
        .listSpreadsheets()
        .map((x) => x.id)
        .sort(),
    );
    // The master first, then the unit sheet with its unit and round from the Drive appProperties.
    expect(ids[0]).toBe(masterId);
    const unitRow = rows.find((r) => r.attribs['data-id'] === unitSheetId)!;
    const cellsText = DomUtils.findAll((e) => e.name === 'td', unitRow.children).map((c) => DomUtils.textContent(c));
    expect(cellsText[1]).toContain(stack.runtime.model.unit(UNIT).name);
    expect(cellsText[2]).toBe(`${stack.runtime.model.round(round).name} ${round}`);
    expect(cellsText[3]).not.toBe('');
    expect(cellsText[4]).toMatch(/^\d\d:\d\d \d\d\/\d\d\/\d{4}$/);
    const links = DomUtils.findAll((e) => e.name === 'a', unitRow.children).map((a) => a.attribs['href']);
    expect(links).toContain(`/view/${unitSheetId}`);
    expect(links).toContain(`/emulator/spreadsheets/${unitSheetId}.xlsx`);
  });

  it('shows each unit sheet the status line its first tab shows', async () => {
    const doc = parse((await get('/')).text);
    const unitRow = all(doc, (e) => e.name === 'tr' && e.attribs['data-id'] === unitSheetId)[0]!;
    const status = DomUtils.textContent(DomUtils.findAll((e) => e.name === 'td', unitRow.children)[3]!);
    const view = parse((await get(`/view/${unitSheetId}`)).text);
    const label = all(view, (e) => e.name === 'td' && DomUtils.textContent(e) === 'Tình trạng:')[0]!;
    const shown = DomUtils.nextElementSibling(label)!;
    expect(DomUtils.textContent(shown)).toBe(status);
  });
});

describe('a sheet at /view/<id>', () => {
  it('renders merged headers with the span of their merge', async () => {
    const model = stack.runtime.model;
    const template = buildUnitWorkbook(model, UNIT, round);
    // A merge with no hidden row or column inside it spans exactly its size.
    const pick = (sheet: SheetModel) =>
      sheet.merges.find((merge) => {
        const hidden = (list: { index: number; hidden?: boolean }[], from: number, to: number) =>
          list.some((d) => d.hidden && d.index >= from && d.index < to);
        return merge.endRow - merge.startRow > 1 && merge.endCol - merge.startCol > 1
          ? false
          : merge.endCol - merge.startCol > 1 &&
              !hidden(sheet.columns, merge.startCol, merge.endCol) &&
              !hidden(sheet.rows, merge.startRow, merge.endRow);
      });
    const sheet = template.sheets.find((x) => !x.hidden && pick(x))!;
    const merge = pick(sheet)!;
    const doc = parse((await get(viewUrl(unitSheetId, sheet.title))).text);
    const cell = cellAt(doc, addressOf(merge.startRow, merge.startCol));
    expect(cell.attribs['colspan']).toBe(String(merge.endCol - merge.startCol));
    expect(cell.attribs['rowspan']).toBe(String(merge.endRow - merge.startRow));
    // The cells under the merge are not drawn again.
    expect(
      all(doc, (e) => e.name === 'td' && e.attribs['data-cell'] === addressOf(merge.startRow, merge.startCol + 1)),
    ).toHaveLength(0);
  });

  it('marks the feedback on a wrong cell red, with its note shown on hover', async () => {
    const doc = parse((await get(viewUrl(unitSheetId, textInNumber.sheet))).text);
    const cell = cellAt(doc, textInNumber.cell);
    expect(DomUtils.textContent(cell)).toContain('12 buổi');
    expect(cell.attribs['class']).toContain('has-note');
    const note = DomUtils.findAll((e) => e.attribs['class'] === 'note', cell.children)[0]!;
    expect(DomUtils.textContent(note).length).toBeGreaterThan(10);
    const state = stack.sheets.getSpreadsheetState(unitSheetId)!;
    const sheet = state.sheets.find((x) => x.properties.title === textInNumber.sheet)!;
    const stored = sheet.rows.flatMap((row) => row ?? []).find((c) => c?.userEnteredValue?.stringValue === '12 buổi')!;
    expect(DomUtils.textContent(note)).toBe(stored.note);
    // A red fill: strong red channel, weaker green and blue.
    const fill = /background:#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})/.exec(cell.attribs['style'] ?? '');
    expect(fill, cell.attribs['style']).not.toBeNull();
    const [red, green, blue] = fill!.slice(1).map((h) => parseInt(h, 16)) as [number, number, number];
    expect(red).toBeGreaterThan(green);
    expect(red).toBeGreaterThan(blue);
  });

  it('shows checkboxes as ☐ and, once ticked, ☑', async () => {
    const state = stack.sheets.getSpreadsheetState(unitSheetId)!;
    let box: { sheet: string; row: number; col: number } | undefined;
    for (const sheet of state.sheets)
      for (const [rowIndex, row] of sheet.rows.entries())
        for (const [column, cell] of (row ?? []).entries())
          if (!box && (cell?.dataValidation?.['condition'] as { type?: string } | undefined)?.type === 'BOOLEAN')
            box = { sheet: sheet.properties.title, row: rowIndex, col: column };
    expect(box).toBeDefined();
    const before = parse((await get(viewUrl(unitSheetId, box!.sheet))).text);
    expect(DomUtils.textContent(cellAt(before, addressOf(box!.row, box!.col)))).toBe('☐');
    const clerk = clientsFor(stack.sheets, stack.runtime.model.unit(UNIT).emails[0]!);
    await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: unitSheetId,
      range: `'${box!.sheet}'!${addressOf(box!.row, box!.col)}`,
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [[true]] },
    });
    const after = parse((await get(viewUrl(unitSheetId, box!.sheet))).text);
    expect(DomUtils.textContent(cellAt(after, addressOf(box!.row, box!.col)))).toBe('☑');
  });

  it('escapes what a clerk typed: a <script> in a cell stays text', async () => {
    const page = await get(viewUrl(unitSheetId, scriptCell.sheet));
    expect(page.text).not.toContain(SCRIPT);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    const doc = parse(page.text);
    expect(DomUtils.textContent(cellAt(doc, scriptCell.cell))).toBe(SCRIPT);
    // The only script on the page is the viewer's own refresh.
    const scripts = all(doc, (e) => e.name === 'script');
    expect(scripts).toHaveLength(1);
    expect(DomUtils.textContent(scripts[0]!)).toContain('/revision');
  });

  it('lists the tabs as links and renders the master too', async () => {
    const doc = parse((await get(`/view/${masterId}`)).text);
    const titles = stack.sheets.getSpreadsheetState(masterId)!.sheets.map((x) => x.properties.title);
    const tabLinks = all(doc, (e) => e.name === 'a' && (e.attribs['href'] ?? '').includes('?sheet='));
    expect(tabLinks.map((a) => decodeURIComponent(a.attribs['href']!.split('?sheet=')[1]!)).sort()).toEqual(
      [...titles].sort(),
    );
    expect(all(doc, (e) => e.name === 'table' && e.attribs['class'] === 'sheet')).toHaveLength(1);
  });

  it('reports a revision that moves when the sheet is edited', async () => {
    const before = JSON.parse((await get(`/view/${unitSheetId}/revision`)).text) as { version: string };
    const clerk = clientsFor(stack.sheets, stack.runtime.model.unit(UNIT).emails[0]!);
    const state = stack.sheets.getSpreadsheetState(unitSheetId)!;
    const sheet = state.sheets.find((x) => x.properties.title === scriptCell.sheet)!;
    await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: unitSheetId,
      range: `'${sheet.properties.title}'!${scriptCell.cell}`,
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['Nguyễn Văn A']] },
    });
    const after = JSON.parse((await get(`/view/${unitSheetId}/revision`)).text) as { version: string };
    expect(Number(after.version)).toBeGreaterThan(Number(before.version));
  });

  it('answers an unknown spreadsheet or tab with a Vietnamese 404 page', async () => {
    const unknown = await get('/view/khong-co-trang-nay');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^text\/html/);
    expect(unknown.text).toContain('lang="vi"');
    expect(unknown.text).toContain('Không tìm thấy');
    const tab = await get(viewUrl(unitSheetId, 'Không có'));
    expect(tab.status).toBe(404);
    expect((await get('/view/khong-co-trang-nay/revision')).status).toBe(404);
  });

  it('is read-only and leaves the API paths to the API', async () => {
    const post = await fetch(new URL('/', stack.urls.sheets), { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toMatch(/json/);
    await post.text();
    // A Google path still reaches the API (here its authentication), not the viewer.
    const api = await get(`/v4/spreadsheets/${unitSheetId}`);
    expect(api.status).toBe(401);
  });
});

describe('the table renderer', () => {
  const sheet: SheetModel = {
    title: 'T',
    key: 't',
    rowCount: 10,
    colCount: 5,
    frozenRows: 1,
    columns: [{ index: 1, hidden: true }],
    rows: [{ index: 2, hidden: true }],
    cells: [
      { row: 0, col: 0, value: 'Tiêu đề', style: { bold: true } },
      { row: 1, col: 0, value: 1234.5, style: { numberFormat: '#,##0.00' } },
      { row: 1, col: 1, value: 'ẩn cột' },
      { row: 2, col: 0, value: 'ẩn dòng' },
      { row: 3, col: 2, value: 7 },
    ],
    merges: [{ startRow: 0, endRow: 1, startCol: 0, endCol: 3 }],
  };

  it('leaves hidden rows and columns out, shrinking merges over them, and formats numbers the Vietnamese way', () => {
    const doc = parse(sheetTableHtml(sheet));
    const text = DomUtils.textContent(doc);
    expect(text).not.toContain('ẩn cột');
    expect(text).not.toContain('ẩn dòng');
    expect(cellAt(doc, 'A1').attribs['colspan']).toBe('2');
    expect(DomUtils.textContent(cellAt(doc, 'A2'))).toBe('1.234,50');
    expect(DomUtils.textContent(cellAt(doc, 'C4'))).toBe('7');
    // Row 1 is frozen: it sticks under the column letters.
    expect(cellAt(doc, 'A1').attribs['style']).toContain('top:21px');
    expect(cellAt(doc, 'A2').attribs['style']).not.toContain('top:');
  });
});
