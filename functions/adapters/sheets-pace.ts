import type { sheets_v4 } from '@googleapis/sheets';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

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
export function pacedRequest<T>(
  pace: SheetsPace,
  kind: keyof SheetsPace,
  retry: RetryPolicy,
  request: () => Promise<T>,
): Promise<T> {
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
