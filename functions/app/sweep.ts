/**
 * The scheduled compliance run: gather every unit's state, apply the pure sweep rules, record
 * the flags, and send each reminder exactly once. A message is claimed (create-if-absent)
 * before it is sent and marked sent after; a failed send releases the claim so the next run
 * retries it; two sweeps at once compute the same claim and only one of them sends.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import { nominationId } from '../core/master-view.js';
import { sweep, type SweepInput, type SweepResult } from '../core/sweep.js';
import type { Logger } from './log.js';
import type { SubmissionRecord, UnitFlagsRecord } from './records.js';
import { requestMasterRefresh } from './master.js';
import type { Mailer, Store, SweepSubmissionView } from './ports.js';

export interface SweepDeps {
  model: CampaignModel;
  store: Store;
  mailer: Mailer | null;
  now: () => number;
  log: Logger;
  /** How long a claimed-but-unconfirmed message blocks others (a crashed sender's claim expires). */
  claimTtlMs?: number;
}

export interface SweepRun extends SweepResult {
  sent: { to: string[]; subject: string; unit: string | null }[];
  failed: { to: string[]; subject: string; unit: string | null; error: string }[];
  alreadySent: number;
  dryRun: boolean;
}

/**
 * The accepted submission as it stood at `at`: none if its first acceptance came later; the
 * last version accepted at or before `at` if it changed since (from the version history the
 * store keeps, read only then); the stored one otherwise.
 */
async function asOf<S extends { acceptedAt: number; firstAcceptedAt: number }>(
  sub: S,
  at: number,
  history: () => Promise<(S & { versionNo: number })[]>,
): Promise<S | null> {
  if (sub.firstAcceptedAt > at) return null;
  if (sub.acceptedAt <= at) return sub;
  const last = (await history()).filter((v) => v.acceptedAt <= at).at(-1);
  if (!last) return null;
  const { versionNo: _versionNo, ...record } = last;
  // A version is the submission as accepted plus its number: without the number it is an S (TypeScript cannot see an Omit of an intersection as S).
  return record as unknown as S;
}

/** The whole accepted submission as it stood at `at` (see `asOf`). */
export function submissionAsOf(store: Store, sub: SubmissionRecord, at: number): Promise<SubmissionRecord | null> {
  return asOf(sub, at, () => store.versions(sub.roundId, sub.unitId));
}

/** The sweep's view of the accepted submission as it stood at `at` (see `asOf`): versions are read through the same field mask. */
export function sweepSubmissionAsOf(
  store: Store,
  sub: SweepSubmissionView,
  at: number,
  opts: { nominations: boolean },
): Promise<SweepSubmissionView | null> {
  return asOf(sub, at, () => store.sweepVersions(sub.roundId, sub.unitId, opts));
}

/**
 * Everything the sweep knows at `now`, and only what existed then: a sweep `--at` an earlier
 * instant does not see submissions, versions, sheets, sharing flags or sent mail that came
 * later. A unit's working state is kept only in its latest form: one evaluated after `now`
 * is not known at `now` (null, as for a sheet nobody has evaluated).
 *
 * The reads are projections (the store's sweep* operations): only the fields the sweep uses
 * cross the wire and are held, and a submission's nominees only when the coordinators have
 * shortlisted some (the city quota check is their only use here). Rounds are read one after
 * the other, so only one round's documents are held at a time besides what the sweep keeps.
 */
export async function gatherSweepInput(model: CampaignModel, store: Store, now: number): Promise<SweepInput> {
  const sheets = (await store.sweepUnitSheets()).filter((s) => s.createdAt <= now);
  const meta = await store.meta('master');
  const shortlistIds = new Set(meta.shortlist ?? []);
  const withNominations = { nominations: shortlistIds.size > 0 };
  const rounds: SweepInput['rounds'] = [];
  const shortlisted: SweepInput['shortlisted'] = [];
  for (const round of model.campaign.rounds) {
    const [states, stored] = await Promise.all([
      store.sweepStatesOfRound(round.id),
      store.sweepSubmissionsOfRound(round.id, withNominations),
    ]);
    // Only a submission accepted again after `now` needs its history read; the rest stand as stored.
    const submissions = await Promise.all(
      stored.map((s) => (s.acceptedAt <= now ? s : sweepSubmissionAsOf(store, s, now, withNominations))),
    );
    const stateOf = new Map(states.filter((s) => s.evaluatedAt <= now).map((s) => [s.unitId, s]));
    const subOf = new Map(submissions.filter((s): s is SweepSubmissionView => s !== null).map((s) => [s.unitId, s]));
    const urlOf = new Map(sheets.filter((s) => s.roundId === round.id).map((s) => [s.unitId, s.url]));
    for (const submission of subOf.values())
      for (const nomination of submission.nominations ?? [])
        if (shortlistIds.has(nominationId(submission.unitId, nomination))) shortlisted.push(nomination);
    rounds.push({
      roundId: round.id,
      units: model.campaign.units
        .filter((u) => model.hasWorkbook(u.id, round.id))
        .map((unit) => {
          const state = stateOf.get(unit.id);
          const sub = subOf.get(unit.id);
          return {
            unitId: unit.id,
            state: state
              ? {
                  status: state.status,
                  errors: state.errors,
                  warnings: state.warnings,
                  pendingCount: state.pendingCount,
                  quotaOverruns: state.quotaOverruns,
                  nominations: state.nominations,
                  dossierMissing: state.dossierMissing,
                }
              : null,
            submission: sub
              ? { firstAcceptedAt: sub.firstAcceptedAt, late: sub.late, versionCount: sub.versionCount }
              : null,
            sheetUrl: urlOf.get(unit.id) ?? null,
          };
        }),
    });
  }
  const sent = await store.sentReminderKeys(now);
  // Sheets shared beyond the system's grants, as the hourly reconcile found them.
  const sharing = (await store.flagsOf('sharing'))
    .filter((f) => !(f.at > now))
    .map((f) => ({ roundId: f.roundId, unitId: f.unitId, reason: f.flags[0]?.reason ?? '', grants: f.grants ?? [] }));
  return { now, rounds, shortlisted, sent, sharing };
}

/** The sweep's flags, one record per unit and round (findings for the whole campaign, round '*', are not flags). */
function flagRecords(result: SweepResult, now: number): UnitFlagsRecord[] {
  const grouped = new Map<string, UnitFlagsRecord>();
  for (const finding of result.findings) {
    if (finding.roundId === '*') continue;
    const key = JSON.stringify([finding.roundId, finding.unitId]);
    const record = grouped.get(key) ?? { roundId: finding.roundId, unitId: finding.unitId, flags: [], at: now };
    if (!record.flags.some((x) => x.rule === finding.rule))
      record.flags.push({ unitId: finding.unitId, rule: finding.rule, reason: finding.reason });
    grouped.set(key, record);
  }
  return [...grouped.values()];
}

export async function runSweep(deps: SweepDeps, opts: { at?: number; dryRun?: boolean } = {}): Promise<SweepRun> {
  const { model, store } = deps;
  const now = opts.at ?? deps.now();
  const result = sweep(model, await gatherSweepInput(model, store, now));
  const run: SweepRun = { ...result, sent: [], failed: [], alreadySent: 0, dryRun: Boolean(opts.dryRun) };
  if (opts.dryRun) return run;

  // Sharing flags belong to the reconcile (reconcileSharing): the sweep replaces only its own.
  if (await store.replaceFlags('sweep', flagRecords(result, now))) await requestMasterRefresh(store, now, 'flags');
  const ttl = deps.claimTtlMs ?? 10 * 60_000;
  for (const email of result.emails) {
    const summary = { to: email.to, subject: email.subject, unit: email.unitId };
    const claimed = await store.claimMessage(email.keys, now, ttl);
    if (!claimed) {
      run.alreadySent++;
      continue;
    }
    if (!deps.mailer) {
      await store.releaseMessage(claimed);
      run.failed.push({ ...summary, error: 'no mailer configured' });
      continue;
    }
    try {
      await deps.mailer.send({
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: `<${claimed.messageKey}.${model.id}@bao-cao.local>`,
        date: now,
      });
    } catch (e) {
      // Release the claim: the next run sends it again; nothing is marked sent that was not.
      await store.releaseMessage(claimed);
      run.failed.push({ ...summary, error: (e as Error).message });
      deps.log.error('reminder not sent; will retry on the next run', {
        unitId: email.unitId,
        subject: email.subject,
        error: e as Error,
      });
      continue;
    }
    await store.markMessageSent(claimed, email.unitId, now);
    run.sent.push(summary);
  }
  deps.log.info('compliance sweep done', {
    at: new Date(now).toISOString(),
    sent: run.sent.length,
    failed: run.failed.length,
    alreadySent: run.alreadySent,
    missing: result.missing.length,
    late: result.late.length,
  });
  return run;
}

export type SweepJson = ReturnType<typeof sweepJson>;

/**
 * The sweep as JSON. Every finding and every list names its round (`roundId`): a unit late in
 * one round and missing in another shows both, each with its round. `missing`, `late`,
 * `dueSoon` and `invalid` at the top are the units so listed in any round (kept for callers of
 * the HTTP endpoint); `rounds` says which.
 */
export function sweepJson(run: SweepResult, model?: CampaignModel) {
  return {
    at: run.at,
    rounds: run.byRound.map((r) => ({
      roundId: r.roundId,
      ...(model ? { name: model.round(r.roundId).name } : {}),
      missing: r.missing,
      late: r.late,
      dueSoon: r.dueSoon,
      invalid: r.invalid,
    })),
    missing: run.missing,
    late: run.late,
    dueSoon: run.dueSoon,
    invalid: run.invalid,
    findings: run.findings.map((f) => ({
      roundId: f.roundId,
      unit: f.unitId,
      rule: f.rule,
      window: f.window,
      reason: f.reason,
    })),
    quotaOverruns: run.quotaOverruns,
    ineligible: run.ineligible,
    emails: run.emails.map((e) => ({ to: e.to, subject: e.subject, unit: e.unitId })),
  };
}
