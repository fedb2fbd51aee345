/**
 * The Sheets quota held across instances. Google counts 60 read and 60 write requests per
 * minute per user per project (https://developers.google.com/sheets/api/limits), and every
 * instance of every function acts as the same service account: a pacer inside one process
 * cannot hold that, several instances each pacing at 50 a minute send 100 or 150.
 *
 * So the pace lives in Firestore: one document per quota (reads, writes) holds the next free
 * slot, reserved in a transaction (slot = max(now, next); next = slot + 60 s / limit) and then
 * waited for. Transactions are serialisable in Firestore
 * (https://firebase.google.com/docs/firestore/transaction-data-contention; the official emulator
 * isolates them too), so two instances never get the same slot; within one process reservations are made one
 * at a time, which also keeps the in-process Firestore stand-in (whose racing transactions lose
 * updates) correct for the single-process local stack.
 *
 * At the default 50 a minute a quota document takes under one write a second, Firestore's
 * sustained write rate for a single document (https://firebase.google.com/docs/firestore/quotas);
 * a limit far above 60 a minute would need the document sharded.
 *
 * A request whose slot falls after its invocation's deadline (see withTimeBudget) is not
 * reserved: the caller gets a QuotaDeferredError, a transient failure, so the work is retried
 * later (Eventarc, Cloud Scheduler) instead of the function timing out while it waits.
 *
 * Time: slots are wall-clock milliseconds (Date.now), compared across instances whose clocks
 * Google keeps synchronised. Locally the Sheets emulator's quota minutes may run on a scaled
 * clock: the caller scales `perMinute` (50 × scale per real minute), exactly as for the
 * in-process pacer.
 */
import { currentDeadline, QuotaDeferredError } from '../app/time-budget.js';
import type { Firestore } from '@google-cloud/firestore';
import type { RateLimiter } from './rate-limiter.js';
import type { SheetsPace } from './sheets-pace.js';

/** Where the quota documents live (one collection for the project: the quota is the project's). */
export const QUOTA_PACE_COLLECTION = 'quotaPace';

// The invocation's time budget and the deferral it causes belong to the application (the
// handlers set the budget); this adapter reads them.
export { currentDeadline, QuotaDeferredError, withTimeBudget } from '../app/time-budget.js';

// ---------------------------------------------------------------------------------------------
// The shared limiter

export interface SharedRateLimiterOptions {
  db: Firestore;
  /** The quota document's id in QUOTA_PACE_COLLECTION, e.g. 'sheets-reads'. */
  quota: string;
  /** Requests per (real) minute; Infinity never waits and never touches Firestore. */
  perMinute: number;
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
}

const realClock = { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

export function createSharedRateLimiter(opts: SharedRateLimiterOptions): RateLimiter {
  const clock = opts.clock ?? realClock;
  if (!Number.isFinite(opts.perMinute)) return { take: async () => {}, etaMs: () => 0 };
  const interval = 60_000 / opts.perMinute;
  const ref = opts.db.collection(QUOTA_PACE_COLLECTION).doc(opts.quota);
  /** The last next-slot this process saw (for etaMs, which must answer without a round trip). */
  let lastKnownNext = 0;
  /** Reservations of this process, one at a time (not the waits that follow them). */
  let queue: Promise<unknown> = Promise.resolve();

  const reserve = (deadline: number | null) =>
    opts.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const stored = snapshot.get('nextSlotMs') as unknown;
      const next = typeof stored === 'number' ? stored : 0;
      const now = clock.now();
      const slot = Math.max(now, next);
      if (deadline !== null && slot > deadline) return { slot, now, reserved: false as const, next };
      tx.set(ref, { nextSlotMs: slot + interval, perMinute: opts.perMinute, reservedAt: now });
      return { slot, now, reserved: true as const, next: slot + interval };
    });

  return {
    async take() {
      const deadline = currentDeadline();
      const reservation = queue.then(() => reserve(deadline));
      queue = reservation.catch(() => undefined);
      const booking = await reservation;
      lastKnownNext = booking.next;
      if (!booking.reserved)
        throw new QuotaDeferredError(opts.quota, booking.slot - booking.now, (deadline ?? booking.now) - booking.now);
      const wait = booking.slot - clock.now();
      if (wait > 0) await clock.sleep(wait);
    },
    etaMs(requests) {
      return Math.max(0, lastKnownNext - clock.now()) + requests * interval;
    },
  };
}

/** Reads and writes paced across every instance, through the project's Firestore. */
export function createSharedSheetsPace(
  db: Firestore,
  readsPerMinute: number,
  writesPerMinute: number,
  clock?: SharedRateLimiterOptions['clock'],
): SheetsPace {
  return {
    reads: createSharedRateLimiter({
      db,
      quota: 'sheets-reads',
      perMinute: readsPerMinute,
      ...(clock ? { clock } : {}),
    }),
    writes: createSharedRateLimiter({
      db,
      quota: 'sheets-writes',
      perMinute: writesPerMinute,
      ...(clock ? { clock } : {}),
    }),
  };
}
