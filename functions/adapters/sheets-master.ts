/** The coordinators' master spreadsheet: read the shortlist marks, replace the content in one batchUpdate. */
import { codeOf } from '../core/grid.js';
import { quoteSheetName } from '../core/a1.js';
import type { WorkbookModel } from '../layout/model.js';
import { NOMINATION_ID_CODE, SHORTLIST_CODE, type NominationRowsOnSheet } from '../layout/master-workbook.js';
import type { sheets_v4 } from '@googleapis/sheets';
import {
  cellsIn,
  inBatches,
  toChangedContentRequests,
  toReplaceContentRequests,
  type ExistingSheet,
} from '../layout/sheets-render.js';
import { PacedSheetsAdapter } from './sheets-pace.js';
import type { MasterSheets } from '../app/ports.js';

export class SheetsMaster extends PacedSheetsAdapter implements MasterSheets {
  async structure(spreadsheetId: string): Promise<ExistingSheet[]> {
    const res = await this.call('reads', () =>
      this.sheets.spreadsheets.get(
        {
          spreadsheetId,
          fields:
            'sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),protectedRanges(protectedRangeId))',
        },
        { retry: false },
      ),
    );
    return (res.data.sheets ?? []).map((s) => ({
      sheetId: s.properties?.sheetId ?? 0,
      title: s.properties?.title ?? '',
      rowCount: s.properties?.gridProperties?.rowCount ?? 0,
      columnCount: s.properties?.gridProperties?.columnCount ?? 0,
      protectedRangeIds: (s.protectedRanges ?? [])
        .map((p) => p.protectedRangeId!)
        .filter((x) => x !== undefined && x !== null),
    }));
  }

  /**
   * The nominations tab as it stands: the ids ticked in the shortlist column, and every data
   * row's nomination id and values (found by the tab's hidden code row), so that a refresh
   * keeps each nominee on its row.
   */
  async readNominations(
    spreadsheetId: string,
    tabTitle: string,
  ): Promise<{ shortlist: Set<string>; onSheet: NominationRowsOnSheet }> {
    const res = await this.call('reads', () =>
      this.sheets.spreadsheets.values.get(
        { spreadsheetId, range: quoteSheetName(tabTitle), valueRenderOption: 'UNFORMATTED_VALUE' },
        { retry: false },
      ),
    );
    return nominationsOfValues((res.data.values ?? []) as unknown[][]);
  }

  /** Nomination ids ticked in the shortlist column. */
  async readShortlist(spreadsheetId: string, tabTitle: string): Promise<Set<string>> {
    return (await this.readNominations(spreadsheetId, tabTitle)).shortlist;
  }

  /**
   * The largest request body sent at once. Google's front end refuses a body over 10 MB (its
   * usage guide, https://developers.google.com/sheets/api/limits, recommends 2 MB for speed); a
   * whole master is about 15 KB per unit and round, so a large one goes in several batchUpdates.
   * Kept near the cap so that a master of a few hundred units is still replaced atomically.
   */
  maxBatchBytes = 8_000_000;

  /**
   * Replaces the content: one batchUpdate, or several in order when the content is larger than
   * maxBatchBytes (then the sheet is half-written for the seconds in between). A retry follows a
   * failure whose outcome is unknown (a timeout may come after Google applied the request):
   * resending the same requests would then delete protected ranges and merges that are already
   * gone, and Google refuses the whole batch. So every retry rebuilds all the requests against
   * the structure as it is now, and sends them all again.
   */
  async replaceContent(
    spreadsheetId: string,
    model: WorkbookModel,
    existing: ExistingSheet[],
  ): Promise<{ requests: number; cellsWritten: number }> {
    let cellsWritten = 0;
    const { requests } = await this.sendRebuilt(spreadsheetId, existing, (structure) => {
      const replacement = toReplaceContentRequests(model, structure, { firstSheetId: 1 });
      cellsWritten = cellsIn(replacement);
      return replacement;
    });
    return { requests, cellsWritten };
  }

  /**
   * Writes what differs between the content the sheet holds and `next` (see
   * toChangedContentRequests); nothing at all when nothing differs. The same retry discipline as
   * replaceContent: a tab replaced whole by a first attempt must not have its old protections
   * deleted twice; the cell writes are idempotent.
   */
  async writeChanges(
    spreadsheetId: string,
    previous: WorkbookModel,
    next: WorkbookModel,
    existing: ExistingSheet[],
  ): Promise<{ requests: number; cellsWritten: number }> {
    let cellsWritten = 0;
    const { requests } = await this.sendRebuilt(spreadsheetId, existing, (structure) => {
      const changes = toChangedContentRequests(previous, next, structure);
      cellsWritten = changes.cellsWritten;
      return changes.requests;
    });
    return { requests, cellsWritten };
  }

  private async sendRebuilt(
    spreadsheetId: string,
    existing: ExistingSheet[],
    build: (structure: ExistingSheet[]) => sheets_v4.Schema$Request[],
  ): Promise<{ requests: number }> {
    let structure = existing;
    for (let round = 1; ; round++) {
      const all = build(structure);
      if (all.length === 0) return { requests: 0 };
      let outcomeUnknown = false;
      try {
        for (const requests of inBatches(all, this.maxBatchBytes)) {
          let attempts = 0;
          await this.call('writes', async () => {
            if (attempts++ > 0) {
              // This call is being retried: its first attempt may have been applied.
              outcomeUnknown = true;
              throw new Error('master write to be rebuilt against the current structure');
            }
            return this.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, { retry: false });
          });
        }
        return { requests: all.length };
      } catch (error) {
        if (!outcomeUnknown || round >= MAX_REBUILDS) throw error;
        structure = await this.structure(spreadsheetId);
      }
    }
  }
}

/** Rounds of rebuilding the requests after failures whose outcome is unknown. */
const MAX_REBUILDS = 5;

type SheetValue = string | number | boolean | null;

/** The nominations tab's values (UNFORMATTED_VALUE, trailing blanks omitted) read as ticks and rows. */
function nominationsOfValues(rows: unknown[][]): { shortlist: Set<string>; onSheet: NominationRowsOnSheet } {
  const shortlist = new Set<string>();
  const onSheet: NominationRowsOnSheet = { rows: [] };
  const codeRowIndex = rows.findIndex((r) => r.some((v) => v === NOMINATION_ID_CODE));
  if (codeRowIndex < 0) return { shortlist, onSheet };
  const codeRow = rows[codeRowIndex]!;
  const idCol = codeRow.findIndex((v) => v === NOMINATION_ID_CODE);
  const markCol = codeRow.findIndex((v) => codeOf({ v: v as string }) === SHORTLIST_CODE);
  rows.forEach((cells, row) => {
    if (row <= codeRowIndex) return;
    const id = cells[idCol];
    if (typeof id !== 'string' || id === '') return;
    const values = cells.map((v): SheetValue =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null,
    );
    onSheet.rows.push({ row, id, values });
    const mark = markCol < 0 ? undefined : cells[markCol];
    if (mark === true || String(mark).toUpperCase() === 'TRUE') shortlist.add(id);
  });
  return { shortlist, onSheet };
}
