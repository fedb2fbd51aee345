/**
 * One broken sheet must not stop the others. The poll keeps the Drive page token while a
 * changed sheet fails, so that the change is retried; a sheet that keeps failing would then
 * hold the token for ever and every poll would fail with it. Such a sheet is quarantined: its
 * failure is recorded in Firestore (`sheetFailures/{spreadsheetId}`: error, attempts, when),
 * the feed moves on without it, coordinators see it flagged in the master's status tab, and the
 * poll retries it on its own, with backoff, until it is processed again.
 *
 * Policy: a refusal by Google (an HTTP 4xx other than a rate limit: 400, 403, 404) will not
 * pass by retrying the same change, so the sheet is quarantined at once. Anything else — a
 * transient failure (429, 5xx, timeouts, Firestore's unavailable/deadline, Drive metadata
 * lagging, all already retried inside the adapters) or an error without a status (an instance
 * that died mid-way looks like that, and the next delivery finishes its work) — keeps the token
 * for the next poll, up to QUARANTINE_AFTER failing polls in a row.
 */
import { isTransientError, statusOf } from '../app/failures.js';
import type { SheetFailureRecord } from './records.js';
import type { Store } from './ports.js';

/** Failing polls in a row, for a transient failure, before the sheet is set aside. */
export const QUARANTINE_AFTER = 3;
/** First retry of a quarantined sheet after 5 minutes (Google's clock), doubling up to 6 hours. */
const RETRY_BASE_MS = 5 * 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;
const MAX_ERROR_TEXT = 300;
/** Google refused the request itself (4xx, not a rate limit): the same change would be refused again. */
export function isRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return typeof status === 'number' && status >= 400 && status < 500 && !isTransientError(error);
}

export const retryDelayMs = (attempts: number): number =>
  Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));

const errorText = (error: unknown): string => {
  const status = statusOf(error);
  const message = String((error as Error)?.message ?? error);
  return (status !== undefined ? `${status}: ${message}` : message).slice(0, MAX_ERROR_TEXT);
};

/**
 * Records one more failure of a sheet and decides whether it is now quarantined.
 * `now` is the business clock (shown to people); `googleNow` schedules the retry.
 */
export async function noteSheetFailure(
  store: Store,
  previous: SheetFailureRecord | undefined,
  spreadsheetId: string,
  error: unknown,
  clocks: { now: number; googleNow: number },
): Promise<SheetFailureRecord> {
  const transient = isTransientError(error);
  const attempts = (previous?.attempts ?? 0) + 1;
  const quarantined = Boolean(previous?.quarantined) || isRefusal(error) || attempts >= QUARANTINE_AFTER;
  const reg = previous
    ? { unitId: previous.unitId, roundId: previous.roundId }
    : await store.registration(spreadsheetId);
  const record: SheetFailureRecord = {
    spreadsheetId,
    unitId: reg?.unitId ?? null,
    roundId: reg?.roundId ?? null,
    error: errorText(error),
    transient,
    attempts,
    firstFailedAt: previous?.firstFailedAt ?? clocks.now,
    lastFailedAt: clocks.now,
    quarantined,
    nextRetryAt: quarantined ? clocks.googleNow + retryDelayMs(attempts) : 0,
  };
  await store.putSheetFailure(record);
  return record;
}

/** How a quarantined sheet shows in the master's status tab (a flag on the unit's row). */
export function quarantineFlags(
  records: SheetFailureRecord[],
  roundId: string,
): { unitId: string; rule: string; reason: string }[] {
  return records
    .filter((r) => r.quarantined && r.roundId === roundId && r.unitId)
    .map((r) => ({
      unitId: r.unitId!,
      rule: 'sheet.quarantined',
      reason: `Hệ thống chưa xử lý được bảng tính của đơn vị sau ${r.attempts} lần thử (lỗi: ${r.error}); đã tạm gác lại để xử lý các đơn vị khác và sẽ tự thử lại. Nếu vẫn còn, đề nghị kiểm tra bảng tính.`,
    }));
}
