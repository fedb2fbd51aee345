/**
 * One idempotent entry point for "this unit sheet may have changed", whatever noticed it
 * (a Drive push, the reconciliation poll, the Apps Script button, the CLI import):
 * read the sheet once, validate, store, and write feedback at most once.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import { evaluateWorkbook, type Evaluation } from '../core/evaluate.js';
import { planFeedback } from '../core/feedback.js';
import type { OtherNomination } from '../core/nominations.js';
import { statusLine } from '../core/status-text.js';
import type { Logger } from './log.js';
import type { IssueRecord, NomineeIndexEntry, NominationRecord, SubmissionRecord, UnitRoundState } from './records.js';
import { totalsFromSubmission } from '../core/aggregate.js';
import { activityRecordsOf } from '../core/lists.js';
import { requestMasterRefresh } from './master.js';
import type { CommitResult, FileMeta, Files, RevisionMeta, Store, UnitWorkbooks } from './ports.js';

export interface PipelineDeps {
  model: CampaignModel;
  store: Store;
  workbooks: UnitWorkbooks;
  files: Files;
  now: () => number;
  log: Logger;
}

export type ProcessOutcome =
  | { outcome: 'ignored'; reason: 'unregistered' | 'deleted' }
  | { outcome: 'unchanged'; unitId: string; roundId: string }
  | {
      outcome: 'processed';
      unitId: string;
      roundId: string;
      evaluation: Evaluation;
      accepted: boolean;
      lockedOut: boolean;
      submission: SubmissionRecord | null;
      statusText: string;
      feedbackWritten: boolean;
    };

const MAX_STORED_ISSUES = 300;

const issueRecords = (ev: Evaluation): IssueRecord[] =>
  ev.issues
    .slice(0, MAX_STORED_ISSUES)
    .map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));
const nominationRecords = (ev: Evaluation): NominationRecord[] => ev.nominations.map((n) => ({ ...n }));

function stateOf(
  evaluation: Evaluation,
  now: number,
  clerkSavedAt: number,
): Omit<UnitRoundState, 'seenVersion' | 'feedbackHash' | 'lockedOut'> {
  return {
    clerkSavedAt,
    unitId: evaluation.unitId,
    roundId: evaluation.roundId,
    status: evaluation.status,
    submitted: evaluation.submitted,
    errors: evaluation.errors,
    warnings: evaluation.warnings,
    pendingCount: evaluation.pending.length,
    issues: issueRecords(evaluation),
    issuesTruncated: evaluation.issues.length > MAX_STORED_ISSUES,
    contentHash: evaluation.contentHash,
    evaluatedAt: now,
    nominations: nominationRecords(evaluation),
    quotaOverruns: evaluation.quotaOverruns.map(({ excess, ...o }) => o),
    dossierMissing: evaluation.dossierMissing,
  };
}

function candidateOf(model: CampaignModel, evaluation: Evaluation) {
  if (evaluation.status !== 'ready') return null;
  const unit = model.unit(evaluation.unitId);
  return {
    unitId: evaluation.unitId,
    roundId: evaluation.roundId,
    kind: unit.kind,
    parentId: unit.parent,
    contentHash: evaluation.contentHash,
    confirmation: evaluation.confirmation,
    values: evaluation.values,
    totals: evaluation.totals,
    activities: activityRecordsOf(model, evaluation.examples),
    nominations: nominationRecords(evaluation),
    quotaOverruns: evaluation.quotaOverruns.map(({ excess, ...o }) => o),
    warnings: issueRecords(evaluation).filter((i) => i.severity === 'warning'),
    // Kept for the draft city report (app/report-documents.ts), which quotes each unit's text.
    outline: evaluation.outline,
    examples: Object.fromEntries(
      Object.entries(evaluation.examples).map(([table, rows]) => [
        table,
        rows.filter((r) => r.complete).map((r) => r.values),
      ]),
    ),
  };
}

function hasNominations(model: CampaignModel, unitId: string, roundId: string): boolean {
  return model.tablesFor(unitId, roundId).some(({ table }) => table.kind === 'list' && table.role === 'nominations');
}

/** Drive metadata still showed an older version than the change feed after waiting: retried by the next poll. */
export class MetadataLagError extends Error {
  /** Transient, like a 503: the same request succeeds once Drive catches up. */
  readonly status = 503;
  constructor(spreadsheetId: string, seen: number, notified: number) {
    super(`Drive metadata of ${spreadsheetId} still shows version ${seen} after the change feed reported ${notified}`);
  }
}

/** Waits (briefly) for files.get to show at least the version the change feed reported. */
const LAG_WAITS_MS = [250, 500, 1_000, 2_000];

async function currentMeta(
  files: Files,
  spreadsheetId: string,
  notifiedVersion: number | undefined,
): Promise<FileMeta | null> {
  let meta = await files.meta(spreadsheetId);
  for (const wait of LAG_WAITS_MS) {
    if (!meta || notifiedVersion === undefined || meta.version >= notifiedVersion) return meta;
    await new Promise((r) => setTimeout(r, wait));
    meta = await files.meta(spreadsheetId);
  }
  if (meta && notifiedVersion !== undefined && meta.version < notifiedVersion)
    throw new MetadataLagError(spreadsheetId, meta.version, notifiedVersion);
  return meta;
}

const modifiedAt = (meta: FileMeta): number => {
  const modifiedAt = meta.modifiedTime ? Date.parse(meta.modifiedTime) : Number.NaN;
  return Number.isFinite(modifiedAt) ? modifiedAt : 0;
};

/**
 * When someone other than the service account last saved the sheet (epoch ms, Google's clock;
 * 0 when Drive shows no such save). Drive's modifiedTime moves with our own feedback writes
 * too, so when the latest change is ours (`lastModifyingUser.me`), the clerk's time is that of
 * the latest revision not made by us. Read before the sheet's content, it is never later than
 * the content read: a lower bound, so an edit made meanwhile is seen as new next time.
 */
async function clerkSaveTime(files: Files, spreadsheetId: string, meta: FileMeta): Promise<number> {
  if (meta.lastModifiedByMe !== true) return modifiedAt(meta);
  return latestNotMine(await files.revisions(spreadsheetId))?.modifiedTime ?? 0;
}

function latestNotMine(revisions: RevisionMeta[]): RevisionMeta | undefined {
  for (let i = revisions.length - 1; i >= 0; i--) if (revisions[i]!.byMe !== true) return revisions[i];
  return undefined;
}

/**
 * Whether the file's latest changes are all ours since the content we read (whose clerk save
 * time was `clerkSavedAt`): the latest change is ours, the revisions list has caught up with
 * the metadata (its head is that change), and no revision by anyone else is newer than what we
 * read. Drive's version numbers are not compared: nothing promises + 1 per write.
 */
export function isOwnWrite(meta: FileMeta, revisions: RevisionMeta[], clerkSavedAt: number): boolean {
  if (meta.lastModifiedByMe !== true) return false;
  const head = revisions[revisions.length - 1];
  if (!head || head.byMe !== true || head.modifiedTime < modifiedAt(meta)) return false;
  const clerk = latestNotMine(revisions);
  return !clerk || clerk.modifiedTime <= clerkSavedAt;
}

/**
 * The version our feedback write produced, so that its change notification costs no read:
 * Drive's version moves by any amount, so the write is recognised by its author, not by + 1.
 * Waits briefly for the metadata to show the write (it may lag). Null when it does not, or
 * when someone else saved after what we read (their edit must be read): the notification of
 * our write then reads the sheet once more, finds the same feedback, and writes nothing.
 * Only this system writes as the service account, so a write of ours right after the feedback
 * cannot be told apart from it, and needs none (it is our own content).
 */
async function ownWriteVersion(
  files: Files,
  spreadsheetId: string,
  readVersion: number,
  clerkSavedAt: number,
): Promise<number | null> {
  let after = await files.meta(spreadsheetId);
  for (const wait of LAG_WAITS_MS) {
    if (!after || after.version > readVersion) break;
    await new Promise((r) => setTimeout(r, wait));
    after = await files.meta(spreadsheetId);
  }
  if (!after || after.version <= readVersion || after.lastModifiedByMe !== true) return null;
  return isOwnWrite(after, await files.revisions(spreadsheetId), clerkSavedAt) ? after.version : null;
}

/**
 * `notifiedVersion`: the version the change feed reported. Drive's metadata can lag a write;
 * a files.get showing an older version would make a clerk's edit look already seen.
 */
export async function processUnitSheet(
  deps: PipelineDeps,
  spreadsheetId: string,
  opts: { force?: boolean; notifiedVersion?: number } = {},
): Promise<ProcessOutcome> {
  const { model, store, workbooks, files } = deps;
  const reg = await store.registration(spreadsheetId);
  if (!reg || !model.findUnit(reg.unitId) || !model.findRound(reg.roundId)) {
    deps.log.warn('sheet not registered to a unit; ignored', { spreadsheetId });
    return { outcome: 'ignored', reason: 'unregistered' };
  }
  const { unitId, roundId } = reg;
  const log = deps.log.child({ spreadsheetId, unitId, roundId });
  const meta = await currentMeta(files, spreadsheetId, opts.notifiedVersion);
  if (!meta) {
    log.warn('registered sheet no longer exists in Drive');
    return { outcome: 'ignored', reason: 'deleted' };
  }
  // A run that stored this very version but died before its feedback was written: finish it.
  let unfinished: UnitRoundState | null = null;
  if (!opts.force) {
    const known = await store.state(roundId, unitId);
    // Drive versions compare only within one file: a replacement sheet starts again from 1.
    const sameFile = (known?.spreadsheetId ?? spreadsheetId) === spreadsheetId;
    if (known && sameFile && meta.version <= known.seenVersion) {
      if (!(known.feedbackPending && meta.version === known.seenVersion))
        return { outcome: 'unchanged', unitId, roundId };
      unfinished = known;
    }
  }

  const clerkSavedAt = await clerkSaveTime(files, spreadsheetId, meta);
  const { grid, sheetIds } = await workbooks.read(spreadsheetId);
  const now = deps.now();
  // A submission counts from when the clerk saved it in Google Sheets, not from when this run
  // got to it (Drive coalesces pushes for minutes) nor from our own feedback write: a box ticked
  // at 23:58 on the last day is on time when feedback was written at 00:01 and it is processed
  // at 00:03. Never later than now (a simulated or replayed business clock runs behind Google's).
  const receivedAt = clerkSavedAt > 0 ? Math.min(now, clerkSavedAt) : now;
  const withNominations = hasNominations(model, unitId, roundId);
  const [peerStats, nomineeIndex] = await Promise.all([
    store.peerStats(roundId, model.unit(unitId).kind),
    withNominations ? store.nomineeIndex(roundId) : Promise.resolve({} as Record<string, NomineeIndexEntry[]>),
  ]);
  const otherNominations: OtherNomination[] = Object.entries(nomineeIndex)
    .filter(([id]) => id !== unitId && model.findUnit(id))
    .flatMap(([id, entries]) =>
      entries.map((e) => ({ unitId: id, unitName: model.unit(id).name, key: e.key, award: e.award })),
    );
  const evaluation = evaluateWorkbook(model, unitId, roundId, grid, {
    ...(peerStats ? { peerStats } : {}),
    otherNominations,
  });

  // Resuming, the evaluation of this version is already stored (and accepted, if it was):
  // what remains is everything after the commit. Two runs of one version at once may both
  // write the same feedback; that costs a write, never a wrong sheet.
  const commit: CommitResult = unfinished
    ? {
        outcome: 'committed',
        accepted: false,
        lockedOut: unfinished.lockedOut,
        submission: await store.submission(roundId, unitId),
        previousFeedbackHash: unfinished.feedbackHash,
      }
    : await store.commitEvaluation({
        state: stateOf(evaluation, now, clerkSavedAt),
        candidate: candidateOf(model, evaluation),
        spreadsheetId,
        sourceVersion: meta.version,
        now: receivedAt,
        dueAt: model.dueAt(roundId),
        lockAt: model.lockAt(roundId),
      });
  if (unfinished)
    log.warn('finishing the work of a run that stopped after storing this version', { version: meta.version });
  if (commit.outcome === 'stale') {
    log.info('older or duplicate read; newer state already stored', {
      readVersion: meta.version,
      storedVersion: commit.seenVersion,
    });
    return { outcome: 'unchanged', unitId, roundId };
  }

  await requestMasterRefresh(store, now, { roundId, unitId });
  if (withNominations) {
    const mine: NomineeIndexEntry[] = evaluation.nominations
      .filter((n) => n.key)
      .map((n) => ({ key: n.key!, award: n.award, name: n.name! }));
    const before = JSON.stringify(nomineeIndex[unitId] ?? []);
    if (JSON.stringify(mine) !== before) await store.putNominees(roundId, unitId, mine);
  }

  const lockedOut =
    receivedAt >= model.lockAt(roundId) &&
    evaluation.contentHash !== commit.submission?.contentHash &&
    evaluation.status !== 'empty';
  const status = statusLine(
    model,
    roundId,
    { ...evaluation, pendingCount: evaluation.pending.length },
    {
      acceptedAt: commit.submission?.acceptedAt ?? null,
      late: commit.submission?.late ?? false,
      lockedOut,
    },
  );
  const plan = planFeedback(model, evaluation, status);
  const feedbackWritten = plan.hash !== commit.previousFeedbackHash;
  let produced: number | null = null;
  if (feedbackWritten) {
    await workbooks.writeFeedback(spreadsheetId, sheetIds, plan);
    produced = await ownWriteVersion(files, spreadsheetId, meta.version, clerkSavedAt);
  }
  // Also when nothing was written: this version's feedback is no longer pending.
  await store.recordFeedback(roundId, unitId, plan.hash, produced, meta.version);
  if (commit.accepted) {
    log.info('submission accepted', {
      version: commit.submission?.versionCount,
      late: commit.submission?.late,
      totals: totalsFromSubmission(evaluation.totals),
    });
  }
  return {
    outcome: 'processed',
    unitId,
    roundId,
    evaluation: evaluation,
    accepted: commit.accepted,
    lockedOut,
    submission: commit.submission,
    statusText: status.text,
    feedbackWritten,
  };
}
