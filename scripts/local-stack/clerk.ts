/**
 * Typing into a unit's live sheet as the unit's staff would: values go through
 * `values.batchUpdate` with USER_ENTERED (parsed as a vi_VN sheet parses typing), under the
 * unit's own account, so sheet protection and sharing apply as they do to people. Cells are
 * addressed by table, period/row and code, located in the live sheet by its hidden codes.
 */
import { sheets as sheetsApi, type sheets_v4 } from '@googleapis/sheets';
import { OAuth2Client } from 'google-auth-library';
import { a1, quoteSheetName } from '../../functions/core/a1.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import type { GridCell, WorkbookGrid } from '../../functions/core/grid.js';
import { IssueCollector } from '../../functions/core/issues.js';
import { locateWorkbook, type LocatedWorkbook } from '../../functions/core/locate.js';
import { typedText } from '../../functions/core/numbers.js';

/** What a person typed: text exactly as typed, or a number/boolean value. null clears the cell. */
export type Typed = string | number | boolean | null;

export type Entry =
  | { kind: 'figure'; table: string; period: string; code: string; value: Typed }
  | { kind: 'list'; table: string; index: number; field: string; value: Typed }
  | { kind: 'checklist'; table: string; item: string; column: 'noi_dung' | 'tham_chieu'; value: Typed }
  | { kind: 'form'; table: string | 'xac_nhan'; field: string; value: Typed };

function typedOf(cell: GridCell | null | undefined): Typed {
  if (!cell || cell.v === null || cell.v === '') return null;
  if (cell.kind === 'date' || cell.kind === 'error') return typedText(cell);
  return cell.v;
}

function located(model: CampaignModel, unitId: string, roundId: string, grid: WorkbookGrid): LocatedWorkbook {
  return locateWorkbook(model, unitId, roundId, grid, new IssueCollector(model));
}

/** Every input cell of a filled workbook (e.g. read from .xlsx), by meaning. Blank cells are included, as clears. */
export function entriesFromGrid(model: CampaignModel, unitId: string, roundId: string, grid: WorkbookGrid): Entry[] {
  const loc = located(model, unitId, roundId, grid);
  const out: Entry[] = [];
  for (const table of loc.tables.values()) {
    const rows = table.sheet.rows;
    if (table.kind === 'figures') {
      for (const [period, row] of table.periodRows)
        for (const [code, col] of table.columns)
          out.push({ kind: 'figure', table: table.table.id, period, code, value: typedOf(rows[row]?.[col]) });
    } else if (table.kind === 'checklist') {
      for (const [item, row] of table.itemRows)
        for (const [column, col] of table.columns)
          out.push({
            kind: 'checklist',
            table: table.table.id,
            item,
            column: column as 'noi_dung' | 'tham_chieu',
            value: typedOf(rows[row]?.[col]),
          });
    } else {
      table.rows.forEach((row, index) => {
        for (const [field, col] of table.columns)
          out.push({ kind: 'list', table: table.table.id, index, field, value: typedOf(rows[row]?.[col]) });
      });
      if (table.form && table.form.valueCol >= 0)
        for (const [field, row] of table.form.rows)
          out.push({ kind: 'form', table: table.table.id, field, value: typedOf(rows[row]?.[table.form.valueCol]) });
    }
  }
  const conf = loc.confirmation;
  if (conf && conf.valueCol >= 0)
    for (const [field, row] of conf.rows)
      out.push({ kind: 'form', table: 'xac_nhan', field, value: typedOf(conf.sheet.rows[row]?.[conf.valueCol]) });
  return out;
}

export interface CellWrite {
  range: string;
  values: Typed[][];
}

/** A1 writes for entries, positioned by the live sheet's own hidden codes. Entries it cannot place are returned apart. */
export function writesFor(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  liveGrid: WorkbookGrid,
  entries: Entry[],
): { writes: CellWrite[]; unplaced: Entry[] } {
  const loc = located(model, unitId, roundId, liveGrid);
  const writes: CellWrite[] = [];
  const unplaced: Entry[] = [];
  const put = (sheet: string, row: number | undefined, col: number | undefined, entry: Entry) => {
    if (row === undefined || col === undefined || col < 0) unplaced.push(entry);
    // An empty string clears a cell through values.batchUpdate, as deleting its content does.
    else
      writes.push({
        range: `${quoteSheetName(sheet)}!${a1(row, col)}`,
        values: [[entry.value === null ? '' : entry.value]],
      });
  };
  for (const entry of entries) {
    if (entry.kind === 'form' && entry.table === 'xac_nhan') {
      const confirmation = loc.confirmation;
      put(confirmation?.sheet.title ?? '', confirmation?.rows.get(entry.field), confirmation?.valueCol, entry);
      continue;
    }
    const table = loc.tables.get(entry.table);
    if (!table) {
      unplaced.push(entry);
      continue;
    }
    if (entry.kind === 'figure' && table.kind === 'figures')
      put(table.sheet.title, table.periodRows.get(entry.period), table.columns.get(entry.code), entry);
    else if (entry.kind === 'checklist' && table.kind === 'checklist')
      put(table.sheet.title, table.itemRows.get(entry.item), table.columns.get(entry.column), entry);
    else if (entry.kind === 'list' && table.kind === 'list')
      put(table.sheet.title, table.rows[entry.index], table.columns.get(entry.field), entry);
    else if (entry.kind === 'form' && table.kind === 'list')
      put(table.sheet.title, table.form?.rows.get(entry.field), table.form?.valueCol, entry);
    else unplaced.push(entry);
  }
  return { writes, unplaced };
}

/** A Sheets client acting as a person (the emulator takes the bearer token as the caller's email). */
export function sheetsAs(rootUrl: string, email: string): sheets_v4.Sheets {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: email });
  return sheetsApi({ version: 'v4', rootUrl, auth: auth as never });
}

export async function typeInto(client: sheets_v4.Sheets, spreadsheetId: string, writes: CellWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await client.spreadsheets.values.batchUpdate({
    spreadsheetId,
    requestBody: { valueInputOption: 'USER_ENTERED', data: writes },
  });
}
