/**
 * The baseline Sheets adapter: what a straightforward implementation does. It reads every tab
 * of the unit's workbook with its own request (tab titles known from the layout, so no extra
 * metadata call is charged to it) and writes each piece of feedback (a status cell, a flagged
 * cell, a computed total, a cleared area) with its own request.
 *
 * Each per-tab read is a `spreadsheets.get` limited to that tab (`ranges`), which costs one
 * read request like a `values.get`, but returns the same cells (formatted text, number format
 * types, merges) as the real adapter, so validation and feedback come out identical and only
 * the number of requests differs.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { FeedbackPlan } from '../../functions/core/feedback.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { quoteSheetName } from '../../functions/core/a1.js';
import {
  feedbackRequests,
  type SheetsWorkbooks,
  type UnitWorkbookRead,
} from '../../functions/adapters/sheets-workbooks.js';
import { withRetry, type RetryPolicy } from '../../functions/adapters/retry.js';
import { gridFromSpreadsheet, UNIT_SHEET_READ_FIELDS } from '../../functions/layout/sheets-read.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';

export class NaiveWorkbooks {
  constructor(
    private readonly sheets: sheets_v4.Sheets,
    private readonly model: CampaignModel,
    /** spreadsheetId → unit and round, to know the tabs from the layout. */
    private readonly unitOf: (spreadsheetId: string) => { unitId: string; roundId: string },
    private readonly retry: RetryPolicy,
  ) {}

  async read(spreadsheetId: string): Promise<UnitWorkbookRead> {
    const { unitId, roundId } = this.unitOf(spreadsheetId);
    const titles = buildUnitWorkbook(this.model, unitId, roundId).sheets.map((s) => s.title);
    const parts: sheets_v4.Schema$Sheet[] = [];
    for (const title of titles) {
      const res = await withRetry(
        () =>
          this.sheets.spreadsheets.get(
            { spreadsheetId, ranges: [quoteSheetName(title)], includeGridData: true, fields: UNIT_SHEET_READ_FIELDS },
            { retry: false },
          ),
        this.retry,
      );
      parts.push(...(res.data.sheets ?? []));
    }
    const sheetIds = new Map<string, number>();
    for (const schemaSheet of parts)
      if (schemaSheet.properties?.title)
        sheetIds.set(schemaSheet.properties.title, schemaSheet.properties.sheetId ?? 0);
    return { grid: gridFromSpreadsheet({ sheets: parts }), sheetIds };
  }

  async writeFeedback(spreadsheetId: string, sheetIds: Map<string, number>, plan: FeedbackPlan): Promise<number> {
    const requests = feedbackRequests(sheetIds, plan);
    for (const request of requests) {
      await withRetry(
        () =>
          this.sheets.spreadsheets.batchUpdate(
            { spreadsheetId, requestBody: { requests: [request] } },
            { retry: false },
          ),
        this.retry,
      );
    }
    return requests.length;
  }

  /** The pipeline only calls read and writeFeedback. */
  asWorkbooks(): SheetsWorkbooks {
    return this as unknown as SheetsWorkbooks;
  }
}
