import type { sheets_v4 } from '@googleapis/sheets';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { currentDeadline, QuotaDeferredError } from './shared-pace.js';

/**
 * Spacing requests under a per-minute quota (Sheets: 60 writes per minute per user). A caller
 * waits for its slot instead of collecting a 429; `etaMs` gives provisioning its estimate.
 * A slot after the invocation's deadline (withTimeBudget) is not taken: QuotaDeferredError.
 */
export interface RateLimiter {
  take(): Promise<void>;
  etaMs(requests: number): number;
}

/**
 * This process's own pace: holds the quota only while one process sends every request (tests,
 * a CLI run alone). Deployed functions and the local stack use the shared pace (shared-pace.ts).
 */
export function createRateLimiter(perMinute: number, clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }): RateLimiter {
  const interval = 60_000 / perMinute;
  let nextSlot = 0;
  return {
    async take() {
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      const deadline = currentDeadline();
      if (deadline !== null && slot > deadline) throw new QuotaDeferredError(`${perMinute}/min (in-process)`, slot - now, deadline - now);
      nextSlot = slot + interval;
      if (slot > now) await clock.sleep(slot - now);
    },
    etaMs(requests) {
      return Math.max(0, nextSlot - clock.now()) + requests * interval;
    },
  };
}

/**
 * The service account's Sheets quotas are per minute and per user, reads and writes apart:
 * one limiter each, shared by every Sheets adapter of the process (the Drive poll runs one at
 * a time, so within an instance this keeps the pipeline under the quota instead of collecting
 * 429s). An unlimited pace (Infinity) never waits.
 */
export interface SheetsPace {
  reads: RateLimiter;
  writes: RateLimiter;
}

export function createSheetsPace(readsPerMinute: number, writesPerMinute: number): SheetsPace {
  return { reads: createRateLimiter(readsPerMinute), writes: createRateLimiter(writesPerMinute) };
}

export const UNPACED: SheetsPace = createSheetsPace(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);

/** One Sheets request: each attempt, retries included, waits for its slot under the quota. */
export function pacedRequest<T>(pace: SheetsPace, kind: keyof SheetsPace, retry: RetryPolicy, request: () => Promise<T>): Promise<T> {
  return withRetry(async () => {
    await pace[kind].take();
    return request();
  }, retry);
}

/** What every Sheets adapter shares: the client, and each request paced under the quota and retried. */
export abstract class PacedSheetsAdapter {
  constructor(
    protected readonly sheets: sheets_v4.Sheets,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly pace: SheetsPace = UNPACED,
  ) {}

  protected call<T>(kind: keyof SheetsPace, request: () => Promise<T>): Promise<T> {
    return pacedRequest(this.pace, kind, this.retry, request);
  }
}
