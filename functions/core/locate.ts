/**
 * Finding tables in a workbook grid by their hidden codes. Tabs are recognised by the
 * anchor they contain, not by their name, so a renamed tab still reads; everything a
 * person may have done to the structure becomes a located issue instead of a wrong number.
 */
import type { FiguresTable, ListTable, ChecklistTable, Table } from '../../sheets-schema/campaign-schema.js';
import { a1, a1Range } from './a1.js';
import type { CampaignModel } from './campaign-model.js';
import { codeOf, isBlankCell, type SheetGrid, type WorkbookGrid } from './grid.js';
import type { IssueCollector } from './issues.js';
import {
  END_MARKER,
  FORM_VALUE_CODE,
  IDENTITY_MARKER,
  LABEL_COLUMN_CODE,
  VERDICT_COLUMN_CODE,
  SECTION_MARKER,
  STATUS_MARKER,
  TOTAL_ROW_CODE,
  confirmationAnchor,
  formBlockAnchor,
  isMarker,
  tableAnchor,
} from './markers.js';
import { quoteTyped } from './messages.js';
import { typedText } from './numbers.js';

export interface CellPos {
  row: number;
  col: number;
}

interface Located {
  sheet: SheetGrid;
  anchor: CellPos;
  /** Where feedback may be cleared and written: rows and columns of the data block. */
  dataRegion: { startRow: number; endRow: number; startCol: number; endCol: number };
}

export interface LocatedFigures extends Located {
  kind: 'figures';
  table: FiguresTable;
  columns: Map<string, number>;
  periodRows: Map<string, number>;
  totalRow: number | null;
}

export interface LocatedList extends Located {
  kind: 'list';
  table: ListTable;
  columns: Map<string, number>;
  rows: number[];
  form: { rows: Map<string, number>; valueCol: number } | null;
}

export interface LocatedChecklist extends Located {
  kind: 'checklist';
  table: ChecklistTable;
  columns: Map<string, number>;
  itemRows: Map<string, number>;
}

export type LocatedTable = LocatedFigures | LocatedList | LocatedChecklist;

export interface LocatedWorkbook {
  identity: { unitId: string | null; roundId: string | null; campaignId: string | null } | null;
  statusCells: { sheet: string; row: number; col: number }[];
  tables: Map<string, LocatedTable>;
  confirmation: { sheet: SheetGrid; rows: Map<string, number>; valueCol: number } | null;
}

interface MarkerHit {
  sheetIndex: number;
  row: number;
  col: number;
}

function scanMarkers(grid: WorkbookGrid): Map<string, MarkerHit[]> {
  const hits = new Map<string, MarkerHit[]>();
  grid.sheets.forEach((sheet, sheetIndex) => {
    sheet.rows.forEach((cells, row) => {
      cells?.forEach((cell, col) => {
        const value = cell?.v;
        if (!isMarker(value)) return;
        const list = hits.get(value) ?? [];
        list.push({ sheetIndex, row, col });
        hits.set(value, list);
      });
    });
  });
  return hits;
}

function lastColumn(sheet: SheetGrid): number {
  return sheet.rows.reduce((m, r) => Math.max(m, (r?.length ?? 0) - 1), -1);
}

/** Codes to the right of an anchor in its row: code → column, plus what is wrong with them. */
function readCodeRow(
  sheet: SheetGrid,
  anchor: CellPos,
  known: Set<string>,
  issues: IssueCollector,
  labels: Map<string, string>,
): { columns: Map<string, number>; labelColumns: Set<number>; endCol: number } {
  const columns = new Map<string, number>();
  const labelColumns = new Set<number>();
  const row = sheet.rows[anchor.row] ?? [];
  const end = Math.max(lastColumn(sheet) + 1, row.length);
  const unknown: { code: string; col: number }[] = [];
  for (let col = anchor.col + 1; col < row.length; col++) {
    const code = codeOf(row[col]);
    if (!code) continue;
    // The verdict column is written by the system, like a label column it is not data.
    if (code === LABEL_COLUMN_CODE || code === VERDICT_COLUMN_CODE) {
      labelColumns.add(col);
      continue;
    }
    if (!known.has(code)) {
      unknown.push({ code, col });
      continue;
    }
    const prev = columns.get(code);
    if (prev !== undefined) {
      issues.add(
        'structure.code_duplicated',
        { sheet: sheet.title, row: anchor.row, col },
        { code, other: a1(anchor.row, prev), label: labels.get(code) },
      );
      continue;
    }
    columns.set(code, col);
  }
  // An edited code is most likely one of the codes now missing: the message offers those.
  const missing = [...known].filter((code) => !columns.has(code));
  for (const unit of unknown) {
    issues.add(
      'structure.code_unknown',
      { sheet: sheet.title, row: anchor.row, col: unit.col },
      { code: quoteTyped(unit.code), expectedHint: missing.join(', ') || 'xem biểu mẫu gốc' },
    );
  }
  for (const code of missing)
    issues.add(
      'structure.column_missing',
      { sheet: sheet.title, row: null, col: null },
      { code, label: labels.get(code) ?? code },
    );
  return { columns, labelColumns, endCol: end };
}

/** Rows below an anchor in its column up to the end marker: code → row, and uncoded rows. */
function readCodeColumn(
  sheet: SheetGrid,
  anchor: CellPos,
): { coded: { code: string; row: number }[]; uncoded: number[]; endRow: number } {
  const coded: { code: string; row: number }[] = [];
  const uncoded: number[] = [];
  let row = anchor.row + 1;
  for (; row < sheet.rows.length; row++) {
    const code = codeOf(sheet.rows[row]?.[anchor.col]);
    if (code === END_MARKER) break;
    if (code && isMarker(code) && code !== SECTION_MARKER) break; // the next block starts
    if (code) coded.push({ code, row });
    else uncoded.push(row);
  }
  return { coded, uncoded, endRow: row };
}

function reportUncodedData(sheet: SheetGrid, rows: number[], cols: number[], issues: IssueCollector) {
  for (const row of rows) {
    for (const col of cols) {
      const cell = sheet.rows[row]?.[col];
      if (isBlankCell(cell) || cell?.v === false) continue;
      issues.add('structure.uncoded_data', { sheet: sheet.title, row, col }, { typed: quoteTyped(typedText(cell!)) });
    }
  }
}

function reportMergedData(sheet: SheetGrid, rows: number[], cols: number[], issues: IssueCollector) {
  if (rows.length === 0 || cols.length === 0) return;
  const rowSet = new Set(rows);
  const colSet = new Set(cols);
  for (const merge of sheet.merges) {
    let touches = false;
    for (let row = merge.startRow; row < merge.endRow && !touches; row++) {
      if (!rowSet.has(row)) continue;
      for (let col = merge.startCol; col < merge.endCol; col++) if (colSet.has(col)) touches = true;
    }
    if (touches)
      issues.add(
        'structure.merged_cells',
        { sheet: sheet.title, row: merge.startRow, col: merge.startCol },
        { cell: a1Range(merge) },
      );
  }
}

function uncodedColumns(
  sheet: SheetGrid,
  anchor: CellPos,
  columns: Map<string, number>,
  labelColumns: Set<number>,
  endCol: number,
): number[] {
  const used = new Set([...columns.values(), ...labelColumns]);
  const out: number[] = [];
  for (let column = anchor.col + 1; column < endCol; column++) if (!used.has(column)) out.push(column);
  return out;
}

function locateFigures(
  sheet: SheetGrid,
  anchor: CellPos,
  table: FiguresTable,
  periods: string[],
  periodLabel: (id: string) => string,
  issues: IssueCollector,
): LocatedFigures {
  const labels = new Map(table.indicators.map((i) => [i.code, i.header[i.header.length - 1]!]));
  const { columns, labelColumns, endCol } = readCodeRow(
    sheet,
    anchor,
    new Set(table.indicators.map((i) => i.code)),
    issues,
    labels,
  );
  const { coded, uncoded, endRow } = readCodeColumn(sheet, anchor);
  const periodRows = new Map<string, number>();
  let totalRow: number | null = null;
  const strayRows: number[] = [...uncoded];
  const unknown: { code: string; row: number }[] = [];
  for (const { code, row } of coded) {
    if (code === TOTAL_ROW_CODE) totalRow = row;
    else if (!periods.includes(code)) {
      unknown.push({ code, row });
      strayRows.push(row);
    } else if (periodRows.has(code)) {
      issues.add(
        'structure.code_duplicated',
        { sheet: sheet.title, row, col: anchor.col + 1 },
        { code, other: a1(periodRows.get(code)!, anchor.col + 1) },
      );
      strayRows.push(row);
    } else periodRows.set(code, row);
  }
  const missingPeriods = periods.filter((p) => !periodRows.has(p));
  for (const unit of unknown) {
    issues.add(
      'structure.code_unknown',
      { sheet: sheet.title, row: unit.row, col: anchor.col + 1 },
      { code: quoteTyped(unit.code), expectedHint: (missingPeriods.length ? missingPeriods : periods).join(', ') },
    );
  }
  for (const period of missingPeriods)
    issues.add(
      'structure.row_missing',
      { sheet: sheet.title, row: null, col: null },
      { code: period, label: periodLabel(period) },
    );
  const dataRows = [...periodRows.values()];
  const dataCols = [...columns.values()];
  reportUncodedData(sheet, dataRows, uncodedColumns(sheet, anchor, columns, labelColumns, endCol), issues);
  reportUncodedData(
    sheet,
    strayRows,
    [...dataCols, ...uncodedColumns(sheet, anchor, columns, labelColumns, endCol)],
    issues,
  );
  reportMergedData(sheet, dataRows, dataCols, issues);
  return {
    kind: 'figures',
    table,
    sheet,
    anchor,
    columns,
    periodRows,
    totalRow,
    dataRegion: {
      startRow: anchor.row + 1,
      endRow: totalRow ?? endRow,
      startCol: anchor.col + 1,
      endCol: Math.max(endCol, anchor.col + 2),
    },
  };
}

function locateFormBlock(sheet: SheetGrid, anchor: CellPos): { rows: Map<string, number>; valueCol: number } {
  const row = sheet.rows[anchor.row] ?? [];
  let valueCol = -1;
  for (let column = anchor.col + 1; column < row.length; column++)
    if (codeOf(row[column]) === FORM_VALUE_CODE) valueCol = column;
  const rows = new Map<string, number>();
  for (let row = anchor.row + 1; row < sheet.rows.length; row++) {
    const code = codeOf(sheet.rows[row]?.[anchor.col]);
    if (!code) {
      if (rows.size > 0) break;
      continue;
    }
    if (isMarker(code)) break;
    if (!rows.has(code)) rows.set(code, row);
  }
  return { rows, valueCol };
}

function locateList(
  sheet: SheetGrid,
  anchor: CellPos,
  table: ListTable,
  formAnchor: MarkerHit | undefined,
  issues: IssueCollector,
): LocatedList {
  const labels = new Map(table.fields.map((f) => [f.code, f.header.join(' – ')]));
  const { columns, labelColumns, endCol } = readCodeRow(
    sheet,
    anchor,
    new Set(table.fields.map((f) => f.code)),
    issues,
    labels,
  );
  const { coded, uncoded, endRow } = readCodeColumn(sheet, anchor);
  // A list's rows carry no codes: inserted rows are simply more entries.
  const rows = [...uncoded, ...coded.map((c) => c.row)].sort((a, b) => a - b);
  reportUncodedData(sheet, rows, uncodedColumns(sheet, anchor, columns, labelColumns, endCol), issues);
  reportMergedData(sheet, rows, [...columns.values()], issues);
  const form = formAnchor ? locateFormBlock(sheet, { row: formAnchor.row, col: formAnchor.col }) : null;
  return {
    kind: 'list',
    table,
    sheet,
    anchor,
    columns,
    rows,
    form,
    dataRegion: {
      startRow: anchor.row + 1,
      endRow,
      startCol: anchor.col + 1,
      endCol: Math.max(endCol, anchor.col + 2),
    },
  };
}

function locateChecklist(
  sheet: SheetGrid,
  anchor: CellPos,
  table: ChecklistTable,
  issues: IssueCollector,
): LocatedChecklist {
  const labels = new Map([
    ['noi_dung', table.columns.content],
    ['tham_chieu', table.columns.reference],
  ]);
  const { columns, labelColumns, endCol } = readCodeRow(sheet, anchor, new Set(labels.keys()), issues, labels);
  const { coded, uncoded, endRow } = readCodeColumn(sheet, anchor);
  const items = new Set(table.sections.flatMap((s) => s.items.map((i) => i.code)));
  const itemRows = new Map<string, number>();
  const stray: number[] = [...uncoded];
  const unknown: { code: string; row: number }[] = [];
  for (const { code, row } of coded) {
    if (code === SECTION_MARKER) continue;
    if (itemRows.has(code)) {
      issues.add(
        'structure.code_duplicated',
        { sheet: sheet.title, row, col: anchor.col + 1 },
        { code: quoteTyped(code), other: a1(itemRows.get(code)!, anchor.col + 1) },
      );
      stray.push(row);
      continue;
    }
    if (!items.has(code)) {
      unknown.push({ code, row });
      stray.push(row);
      continue;
    }
    itemRows.set(code, row);
  }
  const missingItems = [...items].filter((code) => !itemRows.has(code));
  for (const unit of unknown) {
    issues.add(
      'structure.code_unknown',
      { sheet: sheet.title, row: unit.row, col: anchor.col + 1 },
      { code: quoteTyped(unit.code), expectedHint: missingItems.join(', ') || 'mã mục của đề cương' },
    );
  }
  for (const code of missingItems)
    issues.add('structure.row_missing', { sheet: sheet.title, row: null, col: null }, { code, label: `mục ${code}` });
  reportUncodedData(sheet, stray, [...columns.values()], issues);
  reportUncodedData(
    sheet,
    [...itemRows.values()],
    uncodedColumns(sheet, anchor, columns, labelColumns, endCol),
    issues,
  );
  reportMergedData(sheet, [...itemRows.values()], [...columns.values()], issues);
  return {
    kind: 'checklist',
    table,
    sheet,
    anchor,
    columns,
    itemRows,
    dataRegion: {
      startRow: anchor.row + 1,
      endRow,
      startCol: anchor.col + 1,
      endCol: Math.max(endCol, anchor.col + 2),
    },
  };
}

/** Picks one tab for an anchor found on several; prefers the tab still named as in the template. */
function pickHit(grid: WorkbookGrid, hits: MarkerHit[], expectedTitle: string): MarkerHit {
  return hits.find((h) => grid.sheets[h.sheetIndex]!.title === expectedTitle) ?? hits[0]!;
}

function checkPlacement(
  grid: WorkbookGrid,
  hits: MarkerHit[] | undefined,
  expectedTitle: string,
  label: string,
  required: boolean,
  issues: IssueCollector,
  coordinator: string,
): MarkerHit | undefined {
  if (!hits || hits.length === 0) {
    if (required)
      issues.add(
        'structure.sheet_missing',
        { sheet: expectedTitle, row: null, col: null },
        { expected: expectedTitle, label, coordinator },
      );
    return undefined;
  }
  const hit = pickHit(grid, hits, expectedTitle);
  const sheets = [...new Set(hits.map((h) => grid.sheets[h.sheetIndex]!.title))];
  if (sheets.length > 1) {
    issues.add(
      'structure.sheet_duplicated',
      { sheet: grid.sheets[hit.sheetIndex]!.title, row: null, col: null },
      { count: sheets.length, label, sheets: sheets.map((s) => `"${s}"`).join(', '), expected: expectedTitle },
    );
  }
  const actual = grid.sheets[hit.sheetIndex]!.title;
  if (actual !== expectedTitle)
    issues.add('structure.sheet_renamed', { sheet: actual, row: null, col: null }, { expected: expectedTitle });
  return hit;
}

export function locateWorkbook(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  grid: WorkbookGrid,
  issues: IssueCollector,
): LocatedWorkbook {
  const markers = scanMarkers(grid);
  const coordinator = model.campaign.coordinator.name;
  const round = model.round(roundId);
  const tables = new Map<string, LocatedTable>();

  for (const { table, requirement } of model.tablesFor(unitId, roundId)) {
    const hit = checkPlacement(
      grid,
      markers.get(tableAnchor(table.id)),
      table.sheetTitle,
      table.label,
      requirement === 'required',
      issues,
      coordinator,
    );
    if (!hit) continue;
    const sheet = grid.sheets[hit.sheetIndex]!;
    const anchor = { row: hit.row, col: hit.col };
    const formAnchor = markers.get(formBlockAnchor(table.id))?.find((h) => h.sheetIndex === hit.sheetIndex);
    tables.set(
      table.id,
      locateTable(sheet, anchor, table, round.periods, (p) => model.period(p).label, formAnchor, issues),
    );
  }

  const conf = model.campaign.confirmation;
  const confHit = checkPlacement(
    grid,
    markers.get(confirmationAnchor),
    conf.sheetTitle,
    conf.caption,
    true,
    issues,
    coordinator,
  );
  const confirmation = confHit
    ? { sheet: grid.sheets[confHit.sheetIndex]!, ...locateFormBlock(grid.sheets[confHit.sheetIndex]!, confHit) }
    : null;

  const idHit = markers.get(IDENTITY_MARKER)?.[0];
  const identity = idHit
    ? (() => {
        const row = grid.sheets[idHit.sheetIndex]!.rows[idHit.row] ?? [];
        return {
          unitId: codeOf(row[idHit.col + 1]),
          roundId: codeOf(row[idHit.col + 2]),
          campaignId: codeOf(row[idHit.col + 3]),
        };
      })()
    : null;

  const statusCells = (markers.get(STATUS_MARKER) ?? []).map((h) => ({
    sheet: grid.sheets[h.sheetIndex]!.title,
    row: h.row,
    col: h.col + 2,
  }));
  return { identity, statusCells, tables, confirmation };
}

function locateTable(
  sheet: SheetGrid,
  anchor: CellPos,
  table: Table,
  periods: string[],
  periodLabel: (id: string) => string,
  formAnchor: MarkerHit | undefined,
  issues: IssueCollector,
): LocatedTable {
  switch (table.kind) {
    case 'figures':
      return locateFigures(sheet, anchor, table, periods, periodLabel, issues);
    case 'list':
      return locateList(sheet, anchor, table, formAnchor, issues);
    case 'checklist':
      return locateChecklist(sheet, anchor, table, issues);
  }
}
