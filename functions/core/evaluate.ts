/**
 * Validating one unit workbook for one round: the single entry point of the pure core.
 * Input is a grid (from Sheets or .xlsx) plus what other units contribute (peer figures,
 * other nominations); output is every issue at its cell, the parsed values, and the status.
 */
import { contentHashOf } from './canonical-json.js';
import type { CampaignModel } from './campaign-model.js';
import { type FigureTotals, type FigureValues, evaluateFigures } from './figures.js';
import type { WorkbookGrid } from './grid.js';
import { IssueCollector, countBySeverity, type Issue } from './issues.js';
import { evaluateExamples, type ListRecord } from './lists.js';
import { locateWorkbook, type LocatedWorkbook } from './locate.js';
import {
  evaluateNominations,
  judgeNominees,
  type Nomination,
  type OtherNomination,
  type QuotaOverrun,
} from './nominations.js';
import { evaluateConfirmation, evaluateOutline, nominatesOnly, type OutlineEntry } from './report.js';
import type { PeerStats } from './statistics.js';

/**
 * The state of the unit's REPORT: empty: nothing entered; draft: being filled; invalid: errors;
 * ready: box ticked and no error. A nominee's problems never change it (each nominee has its
 * own verdict); for a unit that only nominates, the report is its confirmation and the
 * unit-level dossier of its nominations.
 */
export type WorkbookStatus = 'empty' | 'draft' | 'invalid' | 'ready';

export interface EvaluationContext {
  peerStats?: PeerStats;
  otherNominations?: OtherNomination[];
}

export interface Evaluation {
  campaignId: string;
  unitId: string;
  roundId: string;
  status: WorkbookStatus;
  /** The unit ticked "Đã hoàn thành, gửi báo cáo". */
  submitted: boolean;
  /** Every issue, the report's and the nominees'. */
  issues: Issue[];
  /** Errors and warnings of the report (what `status` is judged on); nominees' are in their verdicts. */
  errors: number;
  warnings: number;
  /** The report's completeness problems left; errors only once submitted, shown as a count before. */
  pending: Issue[];
  /** The issues `errors` and `warnings` count (the report's, without the nominees'). */
  reportIssues: Issue[];
  /** Nominees whose verdict is not `ok`, or with a warning (the same person proposed twice). */
  nomineesNeedingAttention: number;
  /** 0-based sheet row of each nomination (same order as `nominations`), for its verdict cell. */
  nomineeSheetRows: number[];
  values: Record<string, FigureValues>;
  totals: Record<string, FigureTotals>;
  nominations: Nomination[];
  quotaOverruns: QuotaOverrun[];
  dossier: Record<string, boolean>;
  dossierMissing: string[];
  examples: Record<string, ListRecord[]>;
  outline: Record<string, OutlineEntry>;
  confirmation: Record<string, string | null>;
  /** Hash of everything the unit entered (not of feedback the system wrote). */
  contentHash: string;
  located: LocatedWorkbook;
}

export function evaluateWorkbook(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  grid: WorkbookGrid,
  context: EvaluationContext = {},
): Evaluation {
  const round = model.round(roundId);
  const unit = model.unit(unitId);
  const issues = new IssueCollector(model, {
    coordinator: model.campaign.coordinator.name,
    unit: unit.name,
    round: round.name,
  });
  const located = locateWorkbook(model, unitId, roundId, grid, issues);

  const instructionsTitle = model.campaign.instructions.sheetTitle;
  if (!located.identity) {
    issues.add(
      'structure.identity_missing',
      { sheet: instructionsTitle, row: null, col: null },
      { expected: instructionsTitle },
    );
  } else {
    if (located.identity.unitId !== unitId) {
      const claimed = located.identity.unitId
        ? (model.findUnit(located.identity.unitId)?.name ?? located.identity.unitId)
        : '(trống)';
      issues.add('structure.wrong_unit', { sheet: instructionsTitle, row: null, col: null }, { claimed });
    }
    if (located.identity.roundId !== roundId || located.identity.campaignId !== model.id) {
      const claimedRound = located.identity.roundId
        ? (model.findRound(located.identity.roundId)?.name ?? located.identity.roundId)
        : '(trống)';
      issues.add(
        'structure.wrong_round',
        { sheet: instructionsTitle, row: null, col: null },
        {
          claimed:
            located.identity.campaignId === model.id
              ? claimedRound
              : `${claimedRound} (${located.identity.campaignId ?? '?'})`,
        },
      );
    }
  }

  const values: Record<string, FigureValues> = {};
  const totals: Record<string, FigureTotals> = {};
  const examples: Record<string, ListRecord[]> = {};
  let outline: Record<string, OutlineEntry> = {};
  let nominations: Nomination[] = [];
  let quotaOverruns: QuotaOverrun[] = [];
  let dossier: Record<string, boolean> = {};
  let dossierMissing: string[] = [];
  let nominationsAt: { sheetTitle: string; sheetRows: number[]; dossierRows: number[] } | null = null;
  let entered = 0;

  for (const { table, requirement } of model.tablesFor(unitId, roundId)) {
    const loc = located.tables.get(table.id);
    if (table.kind === 'figures') {
      const result = evaluateFigures(
        model,
        table,
        requirement,
        round.periods,
        loc?.kind === 'figures' ? loc : undefined,
        issues,
        context.peerStats,
      );
      values[table.id] = result.values;
      totals[table.id] = result.totals;
      entered += result.entered;
    } else if (table.kind === 'checklist') {
      outline = evaluateOutline(model, table, loc?.kind === 'checklist' ? loc : undefined, issues);
      entered += Object.values(outline).filter((o) => o.content || o.reference).length;
    } else if (table.role === 'nominations') {
      const result = evaluateNominations(
        model,
        unitId,
        table,
        loc?.kind === 'list' ? loc : undefined,
        issues,
        context.otherNominations,
      );
      ({ nominations, dossier, dossierMissing } = result);
      quotaOverruns = result.overruns;
      nominationsAt = result;
      entered += nominations.length;
    } else {
      examples[table.id] = evaluateExamples(model, table, loc?.kind === 'list' ? loc : undefined, issues, roundId);
      entered += examples[table.id]!.length;
    }
  }
  const onlyNominates = nominatesOnly(model, unitId, roundId);
  const confirmation = evaluateConfirmation(model, located.confirmation, issues, onlyNominates);
  entered += Object.entries(confirmation.fields).filter(([, v]) => v !== null).length;

  const sheetOrder = new Map(grid.sheets.map((s, i) => [s.title, i]));
  const byPosition = (a: Issue, b: Issue) =>
    (sheetOrder.get(a.sheet) ?? -1) - (sheetOrder.get(b.sheet) ?? -1) ||
    (a.row ?? -1) - (b.row ?? -1) ||
    (a.col ?? -1) - (b.col ?? -1) ||
    a.code.localeCompare(b.code);
  const all = confirmation.submitted ? [...issues.issues, ...issues.pending] : [...issues.issues];
  all.sort(byPosition);

  // Nominees are judged apart from the report: an issue on a nominee's row is the nominee's.
  // The unit-level dossier belongs to the nominations too, except for a unit that only
  // nominates, for which the nominations with their dossier are what it submits.
  const nomineeRows = new Set(nominationsAt?.sheetRows ?? []);
  const dossierRows = new Set(nominationsAt?.dossierRows ?? []);
  const onNominee = (i: Issue) =>
    nominationsAt !== null && i.sheet === nominationsAt.sheetTitle && i.row !== null && nomineeRows.has(i.row);
  const onDossier = (i: Issue) =>
    nominationsAt !== null && i.sheet === nominationsAt.sheetTitle && i.row !== null && dossierRows.has(i.row);
  const ofReport = (i: Issue) => !onNominee(i) && (onlyNominates || !onDossier(i));
  if (nominationsAt) {
    const dossierIssues = [...issues.issues, ...issues.pending]
      .filter((i) => onDossier(i) && i.severity === 'error')
      .sort(byPosition);
    judgeNominees(
      nominations,
      nominationsAt.sheetTitle,
      nominationsAt.sheetRows,
      issues.issues,
      issues.pending,
      dossierIssues,
    );
  }
  const reportIssues = all.filter(ofReport);
  const { errors, warnings } = countBySeverity(reportIssues);
  const status: WorkbookStatus =
    errors > 0 ? 'invalid' : confirmation.submitted ? 'ready' : entered > 0 ? 'draft' : 'empty';

  const content = {
    values,
    nominations: nominations.map(({ eligible, ineligibleReasons, verdict, issues, ...n }) => n),
    dossier,
    examples,
    outline,
    confirmation,
  };
  return {
    campaignId: model.id,
    unitId,
    roundId,
    status,
    submitted: confirmation.submitted,
    issues: all,
    errors,
    warnings,
    pending: issues.pending.filter(ofReport).sort(byPosition),
    reportIssues,
    nomineesNeedingAttention: nominations.filter((n) => n.verdict !== 'ok' || n.issues.length > 0).length,
    nomineeSheetRows: nominationsAt?.sheetRows ?? [],
    values,
    totals,
    nominations,
    quotaOverruns,
    dossier,
    dossierMissing,
    examples,
    outline,
    confirmation: confirmation.fields,
    contentHash: contentHashOf(content),
    located,
  };
}
