/**
 * What the coordinators see, as plain data: per round the consolidated totals, figures per
 * unit, each unit's state and timeliness, nominations against quotas and eligibility, and
 * the open problems. The master sheet, its .xlsx and `master --json` are all drawn from this.
 */
import type { CampaignModel } from './campaign-model.js';
import { consolidateByGroups, type GroupConsolidation, type NodeFigures, type NodeTotals } from './aggregate.js';
import { compileActivities, type ActivitiesCompiled, type ActivityRecord } from './lists.js';
import type { WorkbookStatus } from './evaluate.js';
import type { FigureTotals } from './figures.js';
import { isLate } from './submission-rules.js';
import {
  localityOverlaps,
  shortlistOverruns,
  type LocalityOverlap,
  type NomineeIssue,
  type NomineeVerdict,
  type QuotaOverrun,
} from './nominations.js';

export type UnitState = 'empty' | 'draft' | 'invalid' | 'submitted';
export type Timeliness = 'on-time' | 'late' | 'missing' | 'pending';

/** The minimum the view needs from stored records (kept structural so core does not import app types). */
export interface ViewSubmission {
  unitId: string;
  contentHash: string;
  versionCount: number;
  acceptedAt: number;
  firstAcceptedAt: number;
  late: boolean;
  totals: Record<string, FigureTotals>;
  nominations: ViewNomination[];
  confirmation: Record<string, string | null>;
  /** Rows of the round's activities tables (table id → rows); absent where the round has none. */
  activities?: Record<string, ActivityRecord[]>;
}
export interface ViewState {
  unitId: string;
  status: WorkbookStatus;
  contentHash: string;
  errors: number;
  warnings: number;
  evaluatedAt: number;
  lockedOut: boolean;
  issues: { sheet: string; cell: string | null; code: string; severity: 'error' | 'warning'; message: string }[];
  nominations: ViewNomination[];
  quotaOverruns: Omit<QuotaOverrun, 'excess'>[];
  dossierMissing: string[];
}
export interface ViewNomination {
  rowNo: number;
  award: string | null;
  type: 'collective' | 'individual' | null;
  scope: 'cand' | 'outside' | null;
  name: string | null;
  position: string | null;
  titles: Record<string, string | null>;
  giayKhen: number | null;
  bangKhen: number | null;
  key: string | null;
  eligible: boolean | null;
  ineligibleReasons: string[];
  reportConfirmed: boolean;
  originalSets: number | null;
  /** Absent in records stored before nominees had verdicts (read through `verdictOf`). */
  exempt?: boolean;
  verdict?: NomineeVerdict;
  issues?: NomineeIssue[];
}

/** A nominee's verdict; a record from before verdicts existed is judged by its eligibility alone. */
export function verdictOf(nomination: Pick<ViewNomination, 'verdict' | 'eligible'>): NomineeVerdict {
  return nomination.verdict ?? (nomination.eligible === false ? 'ineligible' : 'ok');
}
export interface ViewFlag {
  unitId: string;
  rule: string;
  reason: string;
}

export interface RoundInput {
  roundId: string;
  submissions: ViewSubmission[];
  states: ViewState[];
  /** Each hierarchy node's totals (own figures plus descendants'), by unit id, from the aggregates. */
  nodes: Record<string, NodeFigures>;
  sheetUrls: Record<string, string>;
  flags: ViewFlag[];
}

export interface MasterInput {
  now: number;
  rounds: RoundInput[];
  /** Nomination ids the coordinators marked for the Ministry. */
  shortlist: Set<string>;
  /** The documents last written for each round (publish-reports), linked from the master. */
  documents?: RoundDocuments;
}

/** round id → when its documents were written, and each file's name and link. */
export type RoundDocuments = Record<string, { publishedAt: number; files: { name: string; url: string | null }[] }>;

export function nominationId(unitId: string, nomination: Pick<ViewNomination, 'key' | 'award' | 'rowNo'>): string {
  return `${unitId}:${nomination.key ?? `dong-${nomination.rowNo}`}:${nomination.award ?? '-'}`;
}

export function unitStateOf(state: ViewState | undefined, submission: ViewSubmission | undefined): UnitState {
  if (!state) return submission ? 'submitted' : 'empty';
  // Ready content refused after the lock leaves the accepted version in force: still submitted.
  if (state.status === 'ready')
    return submission && (submission.contentHash === state.contentHash || state.lockedOut) ? 'submitted' : 'draft';
  return state.status;
}

export function timelinessOf(
  model: CampaignModel,
  roundId: string,
  submission: ViewSubmission | undefined,
  now: number,
): Timeliness {
  if (submission) return isLate(submission.firstAcceptedAt, model.dueAt(roundId)) ? 'late' : 'on-time';
  return now >= model.dueAt(roundId) ? 'missing' : 'pending';
}

/** The hierarchy node every aggregate rolls up to: from the root, down while a node has a single child (the city). */
export function consolidationNode(model: CampaignModel): string {
  let node = model.roots()[0]!;
  for (let kids = model.children(node.id); kids.length === 1; kids = model.children(node.id)) node = kids[0]!;
  return node.id;
}

export interface MasterRound {
  roundId: string;
  /** The headline figure: the headline groups' subtotal (the districts), never the sectors. */
  totals: NodeTotals;
  contributors: number;
  /** Per consolidation group: a row per unit that files figures, and the group's subtotal. */
  groups: GroupConsolidation[];
  /** The round's activities (supplementary round), compiled by kind and level; null where the round has none. */
  activities: ActivitiesCompiled | null;
  byUnit: Record<string, NodeTotals>;
  units: {
    unitId: string;
    state: UnitState;
    timeliness: Timeliness;
    expected: boolean;
    versions: number;
    firstAcceptedAt: number | null;
    acceptedAt: number | null;
    evaluatedAt: number | null;
    errors: number;
    warnings: number;
    sheetUrl: string | null;
    flags: ViewFlag[];
    lockedOut: boolean;
  }[];
  nominations: {
    id: string;
    unitId: string;
    source: 'submitted' | 'draft';
    nomination: ViewNomination;
    verdict: NomineeVerdict;
    exempt: boolean;
    quotaExceeded: boolean;
    shortlisted: boolean;
  }[];
  /** Localities where more than one unit nominates for the once-per-locality award (bkbca). */
  localityWarnings: LocalityOverlap[];
  openIssues: { unitId: string; issue: ViewState['issues'][number] }[];
}

export interface MasterView {
  rounds: MasterRound[];
  shortlistOverruns: Omit<QuotaOverrun, 'excess'>[];
  documents: RoundDocuments;
}

export function buildMasterView(model: CampaignModel, input: MasterInput): MasterView {
  const rounds = input.rounds.map((round): MasterRound => {
    const subs = new Map(round.submissions.map((s) => [s.unitId, s]));
    const states = new Map(round.states.map((s) => [s.unitId, s]));
    const flags = new Map<string, ViewFlag[]>();
    for (const flag of round.flags) flags.set(flag.unitId, [...(flags.get(flag.unitId) ?? []), flag]);
    const withWorkbook = model.campaign.units.filter((u) => model.hasWorkbook(u.id, round.roundId));
    const units = withWorkbook.map((unit) => {
      const state = states.get(unit.id);
      const sub = subs.get(unit.id);
      return {
        unitId: unit.id,
        state: unitStateOf(state, sub),
        timeliness: timelinessOf(model, round.roundId, sub, input.now),
        expected: model.isExpected(unit.id, round.roundId),
        versions: sub?.versionCount ?? 0,
        firstAcceptedAt: sub?.firstAcceptedAt ?? null,
        acceptedAt: sub?.acceptedAt ?? null,
        evaluatedAt: state?.evaluatedAt ?? null,
        errors: state?.errors ?? 0,
        warnings: state?.warnings ?? 0,
        sheetUrl: round.sheetUrls[unit.id] ?? null,
        flags: flags.get(unit.id) ?? [],
        lockedOut: state?.lockedOut ?? false,
      };
    });
    const byUnit: Record<string, NodeTotals> = {};
    for (const sub of round.submissions)
      if (model.findUnit(sub.unitId) && Object.keys(sub.totals).length) byUnit[sub.unitId] = sub.totals;

    // Nominations: what was submitted counts; a unit's draft is shown too, marked as such.
    const nominations: MasterRound['nominations'] = [];
    for (const unit of withWorkbook) {
      const sub = subs.get(unit.id);
      const state = states.get(unit.id);
      const source = sub ? 'submitted' : 'draft';
      const list = sub?.nominations ?? state?.nominations ?? [];
      const overIds = new Set<number>();
      if (!sub && state) {
        // Rows beyond a quota, recomputed from the draft list for display.
        for (const overrun of state.quotaOverruns) {
          const matching = list.filter(
            (n) =>
              n.award === overrun.award &&
              n.type !== null &&
              (overrun.scope === 'any' || n.scope === overrun.scope) &&
              (overrun.kind === 'total' || n.type === overrun.kind),
          );
          matching.slice(overrun.limit).forEach((n) => overIds.add(n.rowNo));
        }
      }
      for (const nomination of list) {
        const id = nominationId(unit.id, nomination);
        // Only a submitted nomination for the shortlist award has a box to tick; a tick left on a
        // row that no longer qualifies (the refresh never erases the coordinators' ticks) does not count.
        const tickable = source === 'submitted' && nomination.award === model.campaign.cityShortlist.award;
        const quotaExceeded =
          overIds.has(nomination.rowNo) ||
          verdictOf(nomination) === 'over_quota' ||
          (nomination.issues ?? []).some((i) => i.code === 'khen_thuong.quota_exceeded');
        nominations.push({
          id,
          unitId: unit.id,
          source,
          nomination: nomination,
          verdict: verdictOf(nomination),
          exempt: nomination.exempt ?? false,
          quotaExceeded,
          shortlisted: tickable && input.shortlist.has(id),
        });
      }
    }
    const consolidation = consolidateByGroups(model, round.roundId, (unitId) => round.nodes[unitId]);
    const activities = compileActivities(
      model,
      round.roundId,
      round.submissions
        .filter((s) => model.findUnit(s.unitId))
        .map((s) => ({ unitId: s.unitId, activities: s.activities ?? {} })),
    );
    const byUnitNominations = new Map<string, { award: string | null }[]>();
    for (const nomination of nominations)
      byUnitNominations.set(nomination.unitId, [
        ...(byUnitNominations.get(nomination.unitId) ?? []),
        nomination.nomination,
      ]);
    const localityWarnings = localityOverlaps(model, byUnitNominations);
    const openIssues = round.states
      .filter((s) => model.findUnit(s.unitId))
      .flatMap((s) => s.issues.map((issue) => ({ unitId: s.unitId, issue })));
    return {
      roundId: round.roundId,
      totals: consolidation.headline.totals,
      contributors: consolidation.headline.contributors,
      groups: consolidation.groups,
      activities,
      byUnit,
      units,
      nominations,
      localityWarnings,
      openIssues,
    };
  });
  const shortlisted = rounds.flatMap((r) => r.nominations.filter((n) => n.shortlisted).map((n) => n.nomination));
  return {
    rounds,
    shortlistOverruns: shortlistOverruns(model, shortlisted).map(({ excess, ...o }) => o),
    documents: input.documents ?? {},
  };
}

/**
 * `master --json`: totals (the headline: headline groups only), groupTotals (each group's
 * subtotal) and byUnit are period totals of accepted submissions only; activities for a round
 * with an activities table.
 */
export function masterJson(view: MasterView) {
  return {
    rounds: Object.fromEntries(
      view.rounds.map((r) => [
        r.roundId,
        {
          totals: r.totals,
          groupTotals: Object.fromEntries(r.groups.map((g) => [g.id, g.subtotal])),
          byUnit: r.byUnit,
          ...(r.activities ? { activities: r.activities } : {}),
          state: Object.fromEntries(r.units.map((u) => [u.unitId, u.state])),
          timeliness: Object.fromEntries(r.units.filter((u) => u.expected).map((u) => [u.unitId, u.timeliness])),
          nominations: r.nominations.reduce<Record<string, unknown[]>>((acc, nomination) => {
            (acc[nomination.unitId] ??= []).push({
              ...nomination.nomination,
              verdict: nomination.verdict,
              exempt: nomination.exempt,
              issues: nomination.nomination.issues ?? [],
              id: nomination.id,
              source: nomination.source,
              quotaExceeded: nomination.quotaExceeded,
              shortlisted: nomination.shortlisted,
            });
            return acc;
          }, {}),
          localityWarnings: r.localityWarnings,
        },
      ]),
    ),
    shortlistOverruns: view.shortlistOverruns,
  };
}
