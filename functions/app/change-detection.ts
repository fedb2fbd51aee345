/**
 * Noticing unit sheet edits. Drive push notifications carry no data, are coalesced by Google
 * (minutes for Sheets edits) and may be lost, so a push only records a poll request and is
 * answered at once (a webhook must answer fast; processing belongs to a function with a long
 * timeout). The request's Firestore write triggers the poll, which reads the change feed from
 * a stored page token and hands each changed sheet to processUnitSheet. The same poll runs on
 * a schedule, catching anything a push missed.
 *
 * Only one poll runs at a time (a short lease on Google's clock); a request arriving meanwhile
 * changes the request id, and the running poll goes round again. The page token advances only
 * when every change was processed or set aside: a sheet that keeps failing is quarantined
 * (app/quarantine.ts) so that it cannot hold the feed, and the poll retries it with backoff.
 *
 * A poll stops taking new sheets when its time budget is spent (a burst of hundreds of changed
 * sheets, paced under the Sheets quota, takes longer than a function may run): the rest stays
 * in the feed and the poll asks for another one, which finds the finished sheets unchanged
 * without reading them. Without the budget the function would time out with its lease still
 * held, and the next poll would run beside the one still working, reading the same sheets twice.
 */
import { randomUUID } from 'node:crypto';
import { channelToken } from '../core/signatures.js';
import type { Logger } from './log.js';
import { requestMasterRefresh } from './master.js';
import { processUnitSheet, type PipelineDeps, type ProcessOutcome } from './process-unit-sheet.js';
import { noteSheetFailure } from './quarantine.js';
import type { SheetFailureRecord } from './records.js';
import type { Files, Store } from './ports.js';

export interface ChangeDeps extends PipelineDeps {
  files: Files;
  store: Store;
  log: Logger;
  /** Wall-clock time for the lease: the business clock may be simulated or stand still. */
  googleNow: () => number;
  /** How many sheets are processed at once (Sheets quotas are per minute; keep this small). */
  concurrency?: number;
  pollLeaseMs?: number;
  /** Stop taking new sheets after this long (Google's clock): well inside the lease and the function's 540 s. */
  pollBudgetMs?: number;
}

export interface PollResult {
  status: 'polled' | 'queued' | 'no-token';
  changedFiles: number;
  outcomes: Record<string, number>;
}

async function mapLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * A Drive push arrived: leave a poll request (its document write triggers onPollRequested),
 * so Drive is answered at once and the poll runs in its own invocation. Returns the request id.
 */
export async function requestPoll(deps: Pick<ChangeDeps, 'store'>, now: number, reason: string): Promise<string> {
  return deps.store.requestPoll(now, reason);
}

export async function pollChanges(deps: ChangeDeps): Promise<PollResult> {
  const { store, files } = deps;
  // Each request is a fresh id rather than a time: the business clock may stand still (tests)
  // or run simulated, so "requested after the round started" cannot be read from timestamps.
  await store.patchMeta('driveWatch', { pollRequestedAt: deps.now(), pollRequestId: randomUUID() });
  if (!(await store.tryLease('driveWatch', 'pollLeaseUntil', deps.googleNow(), deps.pollLeaseMs ?? 9 * 60_000))) {
    return { status: 'queued', changedFiles: 0, outcomes: {} };
  }
  const outcomes: Record<string, number> = {};
  let changedFiles = 0;
  const started = deps.googleNow();
  const budgetMs = deps.pollBudgetMs ?? 6 * 60_000;
  let deferred = 0;
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  try {
    // Sheets with a failure on record: cleared when processed, set aside when failing on.
    const failing = new Map((await store.sheetFailures()).map((f) => [f.spreadsheetId, f] as const));
    const attempted = new Set<string>();
    /** Processes one sheet; on failure records it and says whether it now holds the feed. */
    const attempt = async (
      fileId: string,
      opts: { notifiedVersion?: number },
    ): Promise<'ok' | 'quarantined' | 'holds-feed'> => {
      attempted.add(fileId);
      try {
        const outcome: ProcessOutcome = await processUnitSheet(deps, fileId, opts);
        count(outcome.outcome);
        if (failing.has(fileId)) {
          await store.clearSheetFailure(fileId);
          const was = failing.get(fileId)!;
          failing.delete(fileId);
          deps.log.info('a sheet that had failed was processed again', {
            spreadsheetId: fileId,
            unitId: was.unitId,
            attempts: was.attempts,
            wasQuarantined: was.quarantined,
          });
          if (was.quarantined) await requestMasterRefresh(store, deps.now(), 'master'); // its flag goes away (failures are read on every refresh)
        }
        return 'ok';
      } catch (error) {
        const previous: SheetFailureRecord | undefined = failing.get(fileId);
        const record = await noteSheetFailure(store, previous, fileId, error, {
          now: deps.now(),
          googleNow: deps.googleNow(),
        });
        failing.set(fileId, record);
        if (!record.quarantined) {
          deps.log.error('processing a changed sheet failed; the change stays in the feed and is retried', {
            spreadsheetId: fileId,
            attempts: record.attempts,
            error: error as Error,
          });
          return 'holds-feed';
        }
        deps.log.error(
          'processing a sheet keeps failing; it is quarantined, flagged to coordinators and retried later',
          {
            spreadsheetId: fileId,
            unitId: record.unitId,
            attempts: record.attempts,
            transient: record.transient,
            nextRetryAt: new Date(record.nextRetryAt).toISOString(),
            error: error as Error,
          },
        );
        if (!previous?.quarantined) await requestMasterRefresh(store, deps.now(), 'master'); // show the flag
        return 'quarantined';
      }
    };
    for (let round = 0; round < 20; round++) {
      const meta = await store.meta('driveWatch');
      if (!meta.pageToken) return { status: 'no-token', changedFiles, outcomes };
      const { changes, newStartPageToken } = await files.listChanges(meta.pageToken);
      const latest = new Map<string, (typeof changes)[number]>();
      for (const change of changes) latest.set(change.fileId, change);
      const master = await store.meta('master');
      const unitFiles = [...latest.values()].filter((c) => !c.removed && c.fileId !== master.spreadsheetId);
      if (master.spreadsheetId && latest.has(master.spreadsheetId)) {
        const version = latest.get(master.spreadsheetId)!.version;
        // Coordinators ticking the shortlist edit the master; our own refreshes do too (skipped by version).
        if (version === null || version > (master.seenVersion ?? 0))
          await requestMasterRefresh(store, deps.now(), 'master');
      }
      let failures = 0;
      let taken = 0;
      await mapLimit(unitFiles, deps.concurrency ?? 2, async (changedFile) => {
        // At least one sheet per poll, so that every poll makes progress.
        if (taken > 0 && deps.googleNow() - started > budgetMs) {
          deferred++;
          return;
        }
        taken++;
        const result = await attempt(
          changedFile.fileId,
          changedFile.version !== null ? { notifiedVersion: changedFile.version } : {},
        );
        if (result === 'holds-feed') failures++;
        if (result === 'quarantined') count('quarantined');
      });
      changedFiles += unitFiles.length;
      if (failures > 0) throw new Error(`${failures} changed sheet(s) could not be processed; page token kept`);
      if (deferred > 0) break;
      await store.patchMeta('driveWatch', { pageToken: newStartPageToken, lastPollAt: deps.now() });
      const after = await store.meta('driveWatch');
      // A push that arrived during this round left a new request id: go round again for it.
      if (after.pollRequestId === meta.pollRequestId) break;
    }
    // Quarantined sheets due for a retry (Google's clock), unless this poll just tried them.
    if (deferred === 0) {
      const due = [...failing.values()].filter(
        (f) => f.quarantined && f.nextRetryAt <= deps.googleNow() && !attempted.has(f.spreadsheetId),
      );
      for (const failure of due) {
        const result = await attempt(failure.spreadsheetId, {});
        count(result === 'ok' ? 'recovered' : 'still-quarantined');
      }
    }
  } finally {
    await store.patchMeta('driveWatch', { pollLeaseUntil: 0 });
  }
  if (deferred > 0) {
    // After the lease is released, so that the poll this request triggers can take it.
    outcomes.deferred = deferred;
    deps.log.info('poll ran out of its time budget; the rest stays in the feed for the next poll', {
      deferred,
      processedSoFar: changedFiles - deferred,
    });
    await store.requestPoll(deps.now(), `continuing a poll that ran out of time (${deferred} sheets left)`);
  }
  return { status: 'polled', changedFiles, outcomes };
}

export interface RenewResult {
  status: 'renewed' | 'current' | 'no-address' | 'started-feed';
  channelId?: string;
  expiration?: number;
}

/** Keeps one live Drive changes channel pointing at the webhook, replacing it before it expires. */
export async function renewWatch(
  deps: { store: Store; files: Files; googleNow: () => number; log: Logger },
  opts: { address: string | null; secret: string; ttlMs: number; renewBeforeMs?: number },
): Promise<RenewResult> {
  const { store, files } = deps;
  let meta = await store.meta('driveWatch');
  if (!meta.pageToken) {
    await store.patchMeta('driveWatch', { pageToken: await files.startPageToken() });
    meta = await store.meta('driveWatch');
  }
  if (!opts.address) return { status: 'no-address' };
  const now = deps.googleNow();
  const current = meta.channel;
  if (
    current &&
    current.address === opts.address &&
    current.expiration - now > (opts.renewBeforeMs ?? opts.ttlMs / 4)
  ) {
    return { status: 'current', channelId: current.id, expiration: current.expiration };
  }
  const id = randomUUID();
  const channel = await files.watchChanges(meta.pageToken!, {
    id,
    address: opts.address,
    token: channelToken(opts.secret, id),
    expiration: now + opts.ttlMs,
  });
  await store.patchMeta('driveWatch', {
    channel: { id: channel.id, resourceId: channel.resourceId, expiration: channel.expiration, address: opts.address },
  });
  if (current) await files.stopChannel(current.id, current.resourceId);
  deps.log.info('drive watch channel renewed', {
    channelId: channel.id,
    expiration: new Date(channel.expiration).toISOString(),
  });
  return { status: 'renewed', channelId: channel.id, expiration: channel.expiration };
}
