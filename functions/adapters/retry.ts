/**
 * Bounded retries with exponential backoff and full jitter for Google API calls. The client
 * library's own retry is turned off per call ({ retry: false }) so that retries, and how many
 * requests a change costs, stay under the project's control.
 */
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

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET', 'ESOCKETTIMEDOUT']);

export function statusOf(error: unknown): number | string | undefined {
  const e = error as { status?: number; code?: number | string; response?: { status?: number }; cause?: { code?: string } };
  return e?.status ?? e?.response?.status ?? e?.code ?? e?.cause?.code;
}

/**
 * Drive answers its rate limits with 403 and a reason (a 403 is otherwise a refusal no retry
 * fixes); Google asks for exponential backoff as for 429
 * (https://developers.google.com/workspace/drive/api/guides/limits).
 */
export const DRIVE_RATE_LIMIT_REASONS: ReadonlySet<string> = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'sharingRateLimitExceeded']);

/** The first `errors[].reason` of a Drive-style error body (gaxios exposes it both ways). */
export function reasonOf(error: unknown): string | undefined {
  const e = error as { errors?: { reason?: string }[]; response?: { data?: { error?: { errors?: { reason?: string }[] } } } };
  return e?.errors?.[0]?.reason ?? e?.response?.data?.error?.errors?.[0]?.reason;
}

/** A quota answer: 429, or Drive's 403 with a rate-limit reason. */
export function isQuotaError(error: unknown): boolean {
  const s = statusOf(error);
  if (s === 429 || s === '429') return true;
  return (s === 403 || s === '403') && DRIVE_RATE_LIMIT_REASONS.has(reasonOf(error) ?? '');
}

export function isRetryable(error: unknown): boolean {
  if (isQuotaError(error)) return true;
  const s = statusOf(error);
  if (typeof s === 'number') return RETRYABLE_STATUS.has(s);
  if (typeof s === 'string') return RETRYABLE_CODES.has(s) || /^5\d\d$/.test(s) || s === '429';
  const message = String((error as Error)?.message ?? '');
  return /socket hang up|timeout|timed out|network|aborted/i.test(message);
}

/**
 * gRPC status codes (Firestore's client) that a retry can get past: CANCELLED, UNKNOWN,
 * DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE
 * (https://github.com/grpc/grpc/blob/master/doc/statuscodes.md, the codes Firestore reports:
 * https://cloud.google.com/firestore/docs/understand-error-codes).
 */
const TRANSIENT_GRPC_CODES = new Set([1, 2, 4, 8, 10, 13, 14]);

/**
 * A failure that may pass when the same work is tried again later: an error that says so itself
 * (`transient: true`, e.g. the shared Sheets quota deferring work past the time budget), a
 * transient Firestore gRPC code, or what `isRetryable` retries (429, Drive's 403 rate limits,
 * 5xx, timeouts, resets). Used where work is retried as a whole: event redelivery, the poll.
 */
export function isTransientError(error: unknown): boolean {
  const e = error as { code?: unknown; details?: unknown; metadata?: unknown; transient?: unknown } | null;
  if (e?.transient === true) return true;
  // gRPC errors carry a small numeric code and details/metadata; HTTP statuses are ≥ 100.
  if (typeof e?.code === 'number' && e.code < 100 && ('details' in e || 'metadata' in e)) return TRANSIENT_GRPC_CODES.has(e.code);
  return isRetryable(error);
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
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
