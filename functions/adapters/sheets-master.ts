/** The coordinators' master spreadsheet: read the shortlist marks, replace the content in one batchUpdate. */
import { codeOf } from '../core/grid.js';
import { quoteSheetName } from '../core/a1.js';
import type { WorkbookModel } from '../layout/model.js';
import { NOMINATION_ID_CODE, SHORTLIST_CODE } from '../layout/master-workbook.js';
import { toReplaceContentRequests, type ExistingSheet } from '../layout/sheets-render.js';
import { PacedSheetsAdapter } from './rate-limiter.js';

export class SheetsMaster extends PacedSheetsAdapter {
  async structure(spreadsheetId: string): Promise<ExistingSheet[]> {
    const res = await this.call('reads', () => this.sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),protectedRanges(protectedRangeId))' }, { retry: false }));
    return (res.data.sheets ?? []).map((s) => ({
      sheetId: s.properties?.sheetId ?? 0,
      title: s.properties?.title ?? '',
      rowCount: s.properties?.gridProperties?.rowCount ?? 0,
      columnCount: s.properties?.gridProperties?.columnCount ?? 0,
      protectedRangeIds: (s.protectedRanges ?? []).map((p) => p.protectedRangeId!).filter((x) => x !== undefined && x !== null),
    }));
  }

  /** Nomination ids ticked in the shortlist column, found by the tab's hidden code row. */
  async readShortlist(spreadsheetId: string, tabTitle: string): Promise<Set<string>> {
    const res = await this.call('reads', () => this.sheets.spreadsheets.values.get({ spreadsheetId, range: quoteSheetName(tabTitle), valueRenderOption: 'UNFORMATTED_VALUE' }, { retry: false }));
    const rows = (res.data.values ?? []) as unknown[][];
    const codeRowIndex = rows.findIndex((r) => r.some((v) => v === NOMINATION_ID_CODE));
    if (codeRowIndex < 0) return new Set();
    const codeRow = rows[codeRowIndex]!;
    const idCol = codeRow.findIndex((v) => v === NOMINATION_ID_CODE);
    const markCol = codeRow.findIndex((v) => codeOf({ v: v as string }) === SHORTLIST_CODE);
    const out = new Set<string>();
    if (markCol < 0) return out;
    for (const r of rows.slice(codeRowIndex + 1)) {
      const mark = r[markCol];
      if ((mark === true || String(mark).toUpperCase() === 'TRUE') && typeof r[idCol] === 'string') out.add(r[idCol] as string);
    }
    return out;
  }

  async replaceContent(spreadsheetId: string, model: WorkbookModel, existing: ExistingSheet[]): Promise<number> {
    const requests = toReplaceContentRequests(model, existing, { firstSheetId: 1 });
    await this.call('writes', () => this.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, { retry: false }));
    return requests.length;
  }
}
