/**
 * What to write back into a unit's sheet after validating it: the status line on every tab,
 * a note and a colour on each problem cell, the computed totals, and the clearing of marks
 * left by the previous run. Pure: the Sheets adapter turns the plan into one batchUpdate.
 *
 * The plan's hash lets a run skip writing when nothing would change; this is what stops the
 * change-detection loop from processing its own feedback forever.
 */
import type { RangeModel } from './grid.js';
import { contentHashOf } from './canonical-json.js';
import type { CampaignModel } from './campaign-model.js';
import type { Evaluation } from './evaluate.js';
import { codeOf } from './grid.js';
import type { Issue } from './issues.js';
import { LABEL_COLUMN_CODE, VERDICT_COLUMN_CODE } from './markers.js';
import { verdictLabel, type NomineeVerdict } from './nominations.js';
import type { StatusTone } from './status-text.js';

export interface FeedbackMark {
  sheet: string;
  row: number;
  col: number;
  severity: 'error' | 'warning';
  note: string;
}

export interface FeedbackPlan {
  /**
   * Every cell the system writes a line of text into: the status line of each tab, and the
   * verdict of each row of a nominations list (blank on a row without a nominee).
   */
  statusCells: { sheet: string; row: number; col: number; text: string; tone: StatusTone; note: string }[];
  marks: FeedbackMark[];
  /** Input areas whose notes and colours are reset before marking (removes last run's marks). */
  clears: { sheet: string; range: RangeModel }[];
  totals: { sheet: string; row: number; col: number; value: number | null }[];
  hash: string;
}

/** Contiguous runs of the data columns of a region, skipping label columns. */
function dataColumnRuns(startCol: number, endCol: number, labelCols: Set<number>): [number, number][] {
  const runs: [number, number][] = [];
  let start: number | null = null;
  for (let col = startCol; col <= endCol; col++) {
    const isData = col < endCol && !labelCols.has(col);
    if (isData && start === null) start = col;
    if (!isData && start !== null) {
      runs.push([start, col]);
      start = null;
    }
  }
  return runs;
}

const MAX_NOTE_LENGTH = 2000;

function joinNotes(issues: Issue[]): string {
  const text = issues.map((i) => `${i.severity === 'error' ? 'Lỗi' : 'Cần xem lại'}: ${i.message}`).join('\n\n');
  return text.length > MAX_NOTE_LENGTH ? `${text.slice(0, MAX_NOTE_LENGTH - 1)}…` : text;
}

export function planFeedback(
  model: CampaignModel,
  evaluation: Evaluation,
  status: { text: string; tone: StatusTone },
): FeedbackPlan {
  const clears: FeedbackPlan['clears'] = [];
  const totals: FeedbackPlan['totals'] = [];
  for (const loc of evaluation.located.tables.values()) {
    const codeRow = loc.sheet.rows[loc.anchor.row] ?? [];
    const labelCols = new Set<number>();
    codeRow.forEach((cell, col) => codeOf(cell) === LABEL_COLUMN_CODE && labelCols.add(col));
    const { startRow, endRow, startCol, endCol } = loc.dataRegion;
    if (endRow > startRow) {
      for (const [runStart, runEnd] of dataColumnRuns(startCol, endCol, labelCols))
        clears.push({ sheet: loc.sheet.title, range: { startRow, endRow, startCol: runStart, endCol: runEnd } });
    }
    if (loc.kind === 'list' && loc.form && loc.form.valueCol >= 0) {
      for (const row of loc.form.rows.values())
        clears.push({
          sheet: loc.sheet.title,
          range: { startRow: row, endRow: row + 1, startCol: loc.form.valueCol, endCol: loc.form.valueCol + 1 },
        });
    }
    if (loc.kind === 'figures' && loc.totalRow !== null) {
      const tableTotals = evaluation.totals[loc.table.id] ?? {};
      for (const [code, col] of loc.columns)
        totals.push({ sheet: loc.sheet.title, row: loc.totalRow, col, value: tableTotals[code] ?? null });
    }
  }
  const conf = evaluation.located.confirmation;
  if (conf && conf.valueCol >= 0) {
    for (const row of conf.rows.values())
      clears.push({
        sheet: conf.sheet.title,
        range: { startRow: row, endRow: row + 1, startCol: conf.valueCol, endCol: conf.valueCol + 1 },
      });
  }

  const byCell = new Map<string, Issue[]>();
  const tabLevel: Issue[] = [];
  for (const issue of evaluation.issues) {
    if (issue.row === null || issue.col === null) {
      tabLevel.push(issue);
      continue;
    }
    const key = `${issue.sheet}\u0000${issue.row}\u0000${issue.col}`;
    byCell.set(key, [...(byCell.get(key) ?? []), issue]);
  }
  const marks: FeedbackMark[] = [...byCell.values()].map((issues) => ({
    sheet: issues[0]!.sheet,
    row: issues[0]!.row!,
    col: issues[0]!.col!,
    severity: issues.some((i) => i.severity === 'error') ? 'error' : 'warning',
    note: joinNotes(issues),
  }));

  // The per-tab count says where the marks are: every issue, the report's and the nominees'.
  const perSheet = new Map<string, { errors: number; warnings: number }>();
  for (const issue of evaluation.issues) {
    const counts = perSheet.get(issue.sheet) ?? { errors: 0, warnings: 0 };
    if (issue.severity === 'error') counts.errors++;
    else counts.warnings++;
    perSheet.set(issue.sheet, counts);
  }
  const tabNote = tabLevel.length ? joinNotes(tabLevel) : '';
  const statusCells = evaluation.located.statusCells.map((statusCell) => {
    const here = perSheet.get(statusCell.sheet);
    const suffix =
      here && evaluation.issues.length > here.errors + here.warnings
        ? ` (trang này: ${[here.errors ? `${here.errors} lỗi` : '', here.warnings ? `${here.warnings} cảnh báo` : ''].filter(Boolean).join(', ')})`
        : '';
    return { ...statusCell, text: status.text + suffix, tone: status.tone, note: tabNote };
  });

  statusCells.push(...verdictCells(model, evaluation));

  const plan = { statusCells, marks, clears, totals };
  return { ...plan, hash: contentHashOf({ plan, model: model.id }) };
}

const VERDICT_TONE: Record<NomineeVerdict, StatusTone> = {
  ok: 'ok',
  incomplete: 'warning',
  ineligible: 'error',
  over_quota: 'error',
};

/** The verdict of each nominee on its row, its reasons in the note; rows without a nominee are blanked. */
function verdictCells(model: CampaignModel, evaluation: Evaluation): FeedbackPlan['statusCells'] {
  const out: FeedbackPlan['statusCells'] = [];
  for (const loc of evaluation.located.tables.values()) {
    if (loc.kind !== 'list' || loc.table.role !== 'nominations') continue;
    const col = (loc.sheet.rows[loc.anchor.row] ?? []).findIndex((cell) => codeOf(cell) === VERDICT_COLUMN_CODE);
    if (col < 0) continue;
    const byRow = new Map(evaluation.nomineeSheetRows.map((row, i) => [row, evaluation.nominations[i]!]));
    for (const row of loc.rows) {
      const nomination = byRow.get(row);
      if (!nomination) {
        out.push({ sheet: loc.sheet.title, row, col, text: '', tone: 'neutral', note: '' });
        continue;
      }
      const reasons = nomination.issues
        .filter((i) => nomination.verdict === 'ok' || i.severity === 'error')
        .map((i) => i.message);
      const exempt = nomination.exempt
        ? 'Không thuộc diện xét danh hiệu thi đua: không áp dụng tiêu chuẩn danh hiệu chỉ dành cho đối tượng được bình xét.'
        : '';
      const note = [exempt, ...reasons].filter(Boolean).join('\n\n');
      out.push({
        sheet: loc.sheet.title,
        row,
        col,
        text: verdictLabel(model, loc.table, nomination.verdict),
        tone: VERDICT_TONE[nomination.verdict],
        note: note.length > MAX_NOTE_LENGTH ? `${note.slice(0, MAX_NOTE_LENGTH - 1)}…` : note,
      });
    }
  }
  return out;
}
