/**
 * Unit workbooks in Google Sheets: render a layout into a new spreadsheet, read everything a
 * unit entered in one call, and write all feedback of a run in one batchUpdate.
 *
 * Reading uses `spreadsheets.get` with grid data rather than `values.batchGet`: a batchGet
 * names its ranges by tab title and fails outright (400) when a clerk renamed or deleted a
 * tab, whereas one `get` returns every tab, whatever its name, with formatted text (to quote
 * what was typed), number formats (a date is not a number) and merges. Still one read.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { FeedbackPlan } from '../core/feedback.js';
import { PALETTE } from '../layout/sheet-builder.js';
import type { WorkbookModel } from '../layout/model.js';
import { gridFromSpreadsheet, UNIT_SHEET_READ_FIELDS } from '../layout/sheets-read.js';
import { rgbToColor, toRenderRequests } from '../layout/sheets-render.js';
import { PacedSheetsAdapter } from './sheets-pace.js';

import type { UnitWorkbookRead, UnitWorkbooks } from '../app/ports.js';

// The port's types are the application's (app/ports.ts); re-exported for callers of this adapter.
export type { UnitWorkbookRead };

const TONE_FILL = { error: PALETTE.error, warning: PALETTE.warning, ok: PALETTE.ok, neutral: PALETTE.status } as const;
const SEVERITY_FILL = { error: PALETTE.error, warning: PALETTE.warning } as const;

export class SheetsWorkbooks extends PacedSheetsAdapter implements UnitWorkbooks {
  /**
   * Renders a workbook into an existing blank spreadsheet: one batchUpdate. A retry follows a
   * failure whose outcome is unknown (a timeout may come after Google applied the batch), and
   * resending would add tabs that now exist, which Google refuses ("Sheet with id 1 already
   * exists"). A batchUpdate is all-or-nothing, so before resending, the tabs are looked up: if
   * the model's tabs are there, the first attempt was applied and the render is done.
   */
  async render(
    spreadsheetId: string,
    model: WorkbookModel,
    opts: { defaultSheetId?: number | null } = {},
  ): Promise<void> {
    const requests = toRenderRequests(model, opts);
    let attempts = 0;
    await this.call('writes', async () => {
      if (
        attempts++ > 0 &&
        (await this.hasTabs(
          spreadsheetId,
          model.sheets.map((s) => s.title),
        ))
      )
        return;
      await this.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, { retry: false });
    });
  }

  private async hasTabs(spreadsheetId: string, titles: string[]): Promise<boolean> {
    const res = await this.sheets.spreadsheets.get(
      { spreadsheetId, fields: 'sheets.properties.title' },
      { retry: false },
    );
    const present = new Set((res.data.sheets ?? []).map((s) => s.properties?.title));
    return titles.every((t) => present.has(t));
  }

  async read(spreadsheetId: string): Promise<UnitWorkbookRead> {
    const res = await this.call('reads', () =>
      this.sheets.spreadsheets.get(
        { spreadsheetId, includeGridData: true, fields: UNIT_SHEET_READ_FIELDS },
        { retry: false },
      ),
    );
    const sheetIds = new Map<string, number>();
    for (const sheet of res.data.sheets ?? []) {
      if (sheet.properties?.title !== undefined && sheet.properties.title !== null)
        sheetIds.set(sheet.properties.title, sheet.properties.sheetId ?? 0);
    }
    return { grid: gridFromSpreadsheet(res.data), sheetIds };
  }

  /** All feedback of one run in one batchUpdate (all-or-nothing on Google's side). */
  async writeFeedback(spreadsheetId: string, sheetIds: Map<string, number>, plan: FeedbackPlan): Promise<number> {
    const requests = feedbackRequests(sheetIds, plan);
    if (requests.length === 0) return 0;
    await this.call('writes', () =>
      this.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, { retry: false }),
    );
    return requests.length;
  }

  /** Writes values as if typed (USER_ENTERED) or verbatim (RAW): the CLI import and the demo use this. */
  async writeValues(
    spreadsheetId: string,
    data: { range: string; values: unknown[][] }[],
    valueInputOption: 'RAW' | 'USER_ENTERED',
  ): Promise<void> {
    if (data.length === 0) return;
    await this.call('writes', () =>
      this.sheets.spreadsheets.values.batchUpdate(
        { spreadsheetId, requestBody: { valueInputOption, data } },
        { retry: false },
      ),
    );
  }
}

export function feedbackRequests(sheetIds: Map<string, number>, plan: FeedbackPlan): sheets_v4.Schema$Request[] {
  const requests: sheets_v4.Schema$Request[] = [];
  const idOf = (title: string) => sheetIds.get(title);
  for (const clear of plan.clears) {
    const sheetId = idOf(clear.sheet);
    if (sheetId === undefined) continue;
    requests.push({
      repeatCell: {
        range: {
          sheetId,
          startRowIndex: clear.range.startRow,
          endRowIndex: clear.range.endRow,
          startColumnIndex: clear.range.startCol,
          endColumnIndex: clear.range.endCol,
        },
        cell: { userEnteredFormat: { backgroundColor: rgbToColor(PALETTE.input) } },
        fields: 'note,userEnteredFormat.backgroundColor',
      },
    });
  }
  for (const total of plan.totals) {
    const sheetId = idOf(total.sheet);
    if (sheetId === undefined) continue;
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: total.row, columnIndex: total.col },
        rows: [{ values: [total.value === null ? {} : { userEnteredValue: { numberValue: total.value } }] }],
        fields: 'userEnteredValue',
      },
    });
  }
  for (const mark of plan.marks) {
    const sheetId = idOf(mark.sheet);
    if (sheetId === undefined) continue;
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: mark.row, columnIndex: mark.col },
        rows: [
          {
            values: [
              { note: mark.note, userEnteredFormat: { backgroundColor: rgbToColor(SEVERITY_FILL[mark.severity]) } },
            ],
          },
        ],
        fields: 'note,userEnteredFormat.backgroundColor',
      },
    });
  }
  for (const statusCell of plan.statusCells) {
    const sheetId = idOf(statusCell.sheet);
    if (sheetId === undefined) continue;
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: statusCell.row, columnIndex: statusCell.col },
        // A typed string value: whatever the text holds, it can never become a formula.
        rows: [
          {
            values: [
              {
                userEnteredValue: { stringValue: statusCell.text },
                note: statusCell.note,
                userEnteredFormat: { backgroundColor: rgbToColor(TONE_FILL[statusCell.tone]) },
              },
            ],
          },
        ],
        fields: 'userEnteredValue,note,userEnteredFormat.backgroundColor',
      },
    });
  }
  return requests;
}
