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
import type { DriveFiles } from '../adapters/drive-files.js';
import type { CommitResult, FirestoreStore } from '../adapters/firestore-store.js';
import type { SheetsWorkbooks } from '../adapters/sheets-workbooks.js';
import type { Logger } from './log.js';
import type { IssueRecord, NomineeIndexEntry, NominationRecord, SubmissionRecord, UnitRoundState } from './records.js';
import { totalsFromSubmission } from '../core/aggregate.js';
import { requestMasterRefresh } from './master.js';

export interface PipelineDeps {
  model: CampaignModel;
  store: FirestoreStore;
  workbooks: SheetsWorkbooks;
  files: DriveFiles;
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

const issueRecords = (ev: Evaluation): IssueRecord[] => ev.issues.slice(0, MAX_STORED_ISSUES).map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));
const nominationRecords = (ev: Evaluation): NominationRecord[] => ev.nominations.map((n) => ({ ...n }));

function stateOf(ev: Evaluation, now: number): Omit<UnitRoundState, 'seenVersion' | 'feedbackHash' | 'lockedOut'> {
  return {
    unitId: ev.unitId,
    roundId: ev.roundId,
    status: ev.status,
    submitted: ev.submitted,
    errors: ev.errors,
    warnings: ev.warnings,
    pendingCount: ev.pending.length,
    issues: issueRecords(ev),
    issuesTruncated: ev.issues.length > MAX_STORED_ISSUES,
    contentHash: ev.contentHash,
    evaluatedAt: now,
    nominations: nominationRecords(ev),
    quotaOverruns: ev.quotaOverruns.map(({ excess, ...o }) => o),
    dossierMissing: ev.dossierMissing,
  };
}

function candidateOf(model: CampaignModel, ev: Evaluation) {
  if (ev.status !== 'ready') return null;
  const unit = model.unit(ev.unitId);
  return {
    unitId: ev.unitId,
    roundId: ev.roundId,
    kind: unit.kind,
    parentId: unit.parent,
    contentHash: ev.contentHash,
    confirmation: ev.confirmation,
    values: ev.values,
    totals: ev.totals,
    nominations: nominationRecords(ev),
    quotaOverruns: ev.quotaOverruns.map(({ excess, ...o }) => o),
    warnings: issueRecords(ev).filter((i) => i.severity === 'warning'),
  };
}

function hasNominations(model: CampaignModel, unitId: string, roundId: string): boolean {
  return model.tablesFor(unitId, roundId).some(({ table }) => table.kind === 'list' && table.role === 'nominations');
}

export async function processUnitSheet(deps: PipelineDeps, spreadsheetId: string, opts: { force?: boolean } = {}): Promise<ProcessOutcome> {
  const { model, store, workbooks, files } = deps;
  const reg = await store.registration(spreadsheetId);
  if (!reg || !model.findUnit(reg.unitId) || !model.findRound(reg.roundId)) {
    deps.log.warn('sheet not registered to a unit; ignored', { spreadsheetId });
    return { outcome: 'ignored', reason: 'unregistered' };
  }
  const { unitId, roundId } = reg;
  const log = deps.log.child({ spreadsheetId, unitId, roundId });
  const meta = await files.meta(spreadsheetId);
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
      if (!(known.feedbackPending && meta.version === known.seenVersion)) return { outcome: 'unchanged', unitId, roundId };
      unfinished = known;
    }
  }

  const { grid, sheetIds } = await workbooks.read(spreadsheetId);
  const now = deps.now();
  // A submission counts from when the clerk saved it in Google Sheets, not from when this run
  // got to it: Drive coalesces pushes for minutes, and a box ticked at 23:58 on the last day
  // must not turn late because it was processed at 00:03. Never later than now (a simulated
  // or replayed business clock runs behind Google's).
  const modified = meta.modifiedTime ? Date.parse(meta.modifiedTime) : Number.NaN;
  const receivedAt = Number.isFinite(modified) ? Math.min(now, modified) : now;
  const withNominations = hasNominations(model, unitId, roundId);
  const [peerStats, nomineeIndex] = await Promise.all([
    store.peerStats(roundId, model.unit(unitId).kind),
    withNominations ? store.nomineeIndex(roundId) : Promise.resolve({} as Record<string, NomineeIndexEntry[]>),
  ]);
  const otherNominations: OtherNomination[] = Object.entries(nomineeIndex)
    .filter(([id]) => id !== unitId && model.findUnit(id))
    .flatMap(([id, entries]) => entries.map((e) => ({ unitId: id, unitName: model.unit(id).name, key: e.key, award: e.award })));
  const ev = evaluateWorkbook(model, unitId, roundId, grid, { ...(peerStats ? { peerStats } : {}), otherNominations });

  // Resuming, the evaluation of this version is already stored (and accepted, if it was):
  // what remains is everything after the commit. Two runs of one version at once may both
  // write the same feedback; that costs a write, never a wrong sheet.
  const commit: CommitResult = unfinished
    ? { outcome: 'committed', accepted: false, lockedOut: unfinished.lockedOut, submission: await store.submission(roundId, unitId), previousFeedbackHash: unfinished.feedbackHash }
    : await store.commitEvaluation({
        state: stateOf(ev, now),
        candidate: candidateOf(model, ev),
        spreadsheetId,
        sourceVersion: meta.version,
        now: receivedAt,
        dueAt: model.dueAt(roundId),
        lockAt: model.lockAt(roundId),
      });
  if (unfinished) log.warn('finishing the work of a run that stopped after storing this version', { version: meta.version });
  if (commit.outcome === 'stale') {
    log.info('older or duplicate read; newer state already stored', { readVersion: meta.version, storedVersion: commit.seenVersion });
    return { outcome: 'unchanged', unitId, roundId };
  }

  await requestMasterRefresh(store, now);
  if (withNominations) {
    const mine: NomineeIndexEntry[] = ev.nominations.filter((n) => n.key).map((n) => ({ key: n.key!, award: n.award, name: n.name! }));
    const before = JSON.stringify(nomineeIndex[unitId] ?? []);
    if (JSON.stringify(mine) !== before) await store.putNominees(roundId, unitId, mine);
  }

  const lockedOut = receivedAt >= model.lockAt(roundId) && ev.contentHash !== commit.submission?.contentHash && ev.status !== 'empty';
  const status = statusLine(model, roundId, { ...ev, pendingCount: ev.pending.length }, {
    acceptedAt: commit.submission?.acceptedAt ?? null,
    late: commit.submission?.late ?? false,
    lockedOut,
  });
  const plan = planFeedback(model, ev, status);
  const feedbackWritten = plan.hash !== commit.previousFeedbackHash;
  let produced: number | null = null;
  if (feedbackWritten) {
    await workbooks.writeFeedback(spreadsheetId, sheetIds, plan);
    // Our own write bumps the file version; remember it so its change notification is not
    // processed again. Only when nothing else happened in between (exactly one version later).
    const after = await files.meta(spreadsheetId);
    if (after && after.version === meta.version + 1) produced = after.version;
  }
  // Also when nothing was written: this version's feedback is no longer pending.
  await store.recordFeedback(roundId, unitId, plan.hash, produced, meta.version);
  if (commit.accepted) {
    log.info('submission accepted', { version: commit.submission?.versionCount, late: commit.submission?.late, totals: totalsFromSubmission(ev.totals) });
  }
  return { outcome: 'processed', unitId, roundId, evaluation: ev, accepted: commit.accepted, lockedOut, submission: commit.submission, statusText: status.text, feedbackWritten };
}
