/**
 * Which failures may pass when tried again: HTTP statuses and socket codes of the Google
 * clients, Drive's 403 rate limits, Firestore's gRPC codes, and errors that say so themselves.
 * The retry loop of the adapters and the use cases (quarantine, reconcile, provision) and the
 * event handlers all decide with these, so the rule lives in one place.
 */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'ESOCKETTIMEDOUT',
]);

export function statusOf(error: unknown): number | string | undefined {
  const details = error as {
    status?: number;
    code?: number | string;
    response?: { status?: number };
    cause?: { code?: string };
  };
  return details?.status ?? details?.response?.status ?? details?.code ?? details?.cause?.code;
}

/**
 * Drive answers its rate limits with 403 and a reason (a 403 is otherwise a refusal no retry
 * fixes); Google asks for exponential backoff as for 429
 * (https://developers.google.com/workspace/drive/api/guides/limits).
 */
export const DRIVE_RATE_LIMIT_REASONS: ReadonlySet<string> = new Set([
  'userRateLimitExceeded',
  'rateLimitExceeded',
  'sharingRateLimitExceeded',
]);

/** The first `errors[].reason` of a Drive-style error body (gaxios exposes it both ways). */
export function reasonOf(error: unknown): string | undefined {
  const details = error as {
    errors?: { reason?: string }[];
    response?: { data?: { error?: { errors?: { reason?: string }[] } } };
  };
  return details?.errors?.[0]?.reason ?? details?.response?.data?.error?.errors?.[0]?.reason;
}

/** A quota answer: 429, or Drive's 403 with a rate-limit reason. */
export function isQuotaError(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429 || status === '429') return true;
  return (status === 403 || status === '403') && DRIVE_RATE_LIMIT_REASONS.has(reasonOf(error) ?? '');
}

export function isRetryable(error: unknown): boolean {
  if (isQuotaError(error)) return true;
  const status = statusOf(error);
  if (typeof status === 'number') return RETRYABLE_STATUS.has(status);
  if (typeof status === 'string') return RETRYABLE_CODES.has(status) || /^5\d\d$/.test(status) || status === '429';
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
  const details = error as { code?: unknown; details?: unknown; metadata?: unknown; transient?: unknown } | null;
  if (details?.transient === true) return true;
  // gRPC errors carry a small numeric code and details/metadata; HTTP statuses are ≥ 100.
  if (typeof details?.code === 'number' && details.code < 100 && ('details' in details || 'metadata' in details))
    return TRANSIENT_GRPC_CODES.has(details.code);
  return isRetryable(error);
}
