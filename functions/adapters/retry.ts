/**
 * Bounded retries with exponential backoff and full jitter for Google API calls. The client
 * library's own retry is turned off per call ({ retry: false }) so that retries, and how many
 * requests a change costs, stay under the project's control.
 */
import { isQuotaError, isRetryable, statusOf } from '../app/failures.js';

export interface RetryPolicy {
  attempts: number;
  /**
   * Attempts after a 429. Sheets quotas refill per minute, so the waits after a quota error
   * are never shorter than half their cap and add up to more than a minute.
   */
  quotaAttempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; status: number | string | undefined; error: unknown }) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 7, quotaAttempts: 9, baseDelayMs: 1000, maxDelayMs: 32_000 };

// Which failures are worth another try is the application's contract with every port (the
// use cases ask it too); the retry loop below applies it to Google API calls.
export {
  DRIVE_RATE_LIMIT_REASONS,
  isQuotaError,
  isRetryable,
  isTransientError,
  reasonOf,
  statusOf,
} from '../app/failures.js';

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const quota = isQuotaError(error);
      const limit = quota ? (policy.quotaAttempts ?? policy.attempts) : policy.attempts;
      if (attempt >= limit || !isRetryable(error)) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      // Full jitter for transient errors; "equal jitter" after a quota error (429 or Drive's
      // 403 rate limits), so that the waits cannot all be short while the window is still full.
      const delayMs = Math.round(quota ? cap / 2 + (random() * cap) / 2 : random() * cap);
      policy.onRetry?.({ attempt, delayMs, status: statusOf(error), error });
      await sleep(delayMs);
    }
  }
}
