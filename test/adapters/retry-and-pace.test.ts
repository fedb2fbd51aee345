/**
 * Retries and pacing of Google API calls: transient errors are retried with full jitter,
 * quota errors (429) with waits that cannot all be short and add up to more than the
 * one-minute quota window; other errors are not retried; and every attempt waits for its slot
 * under the per-minute pace.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, withRetry, type RetryPolicy } from '../../functions/adapters/retry.js';
import { createRateLimiter } from '../../functions/adapters/rate-limiter.js';
import { pacedRequest, type SheetsPace } from '../../functions/adapters/sheets-pace.js';

const failing = (statuses: (number | string)[], value = 'ok') => {
  let index = 0;
  return async () => {
    const status = statuses[index++];
    if (status === undefined) return value;
    throw Object.assign(
      new Error(`status ${status}`),
      typeof status === 'number' ? { status: status } : { code: status },
    );
  };
};

function recorder(random: () => number): { policy: RetryPolicy; waits: number[] } {
  const waits: number[] = [];
  return { waits, policy: { ...DEFAULT_RETRY, random, sleep: async (ms) => void waits.push(ms) } };
}

describe('withRetry', () => {
  it('retries 5xx, timeouts and resets with full jitter, then gives up after `attempts`', async () => {
    const { policy, waits } = recorder(() => 0);
    await expect(withRetry(failing([500, 503, 'ECONNRESET']), policy)).resolves.toBe('ok');
    expect(waits).toEqual([0, 0, 0]);
    const recording = recorder(() => 0.999);
    await expect(withRetry(failing(Array(10).fill(500)), recording.policy)).rejects.toThrow('status 500');
    expect(recording.waits).toHaveLength(DEFAULT_RETRY.attempts - 1);
  });

  it('after a 429 waits at least half of each cap, for more than a minute in all before giving up', async () => {
    const { policy, waits } = recorder(() => 0); // the shortest waits jitter could choose
    await expect(withRetry(failing(Array(20).fill(429)), policy)).rejects.toThrow('status 429');
    expect(waits).toHaveLength(DEFAULT_RETRY.quotaAttempts! - 1);
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16000, 16000, 16000]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
  });

  it("retries Drive's 403 rate limits (errors[0].reason) like a 429, and no other 403", async () => {
    const driveError = (reason: string) =>
      Object.assign(new Error(reason), {
        status: 403,
        response: { data: { error: { code: 403, errors: [{ domain: 'usageLimits', reason }] } } },
      });
    for (const reason of ['userRateLimitExceeded', 'rateLimitExceeded', 'sharingRateLimitExceeded']) {
      const { policy, waits } = recorder(() => 0);
      let calls = 0;
      const action = async () => {
        if (calls++ < 2) throw driveError(reason);
        return 'ok';
      };
      await expect(withRetry(action, policy)).resolves.toBe('ok');
      // Equal jitter, as after a 429: never shorter than half the cap.
      expect(waits).toEqual([500, 1000]);
    }
    for (const reason of ['insufficientFilePermissions', 'teamDriveDomainUsersOnlyRestriction'])
      expect(isRetryable(driveError(reason))).toBe(false);
  });

  it('does not retry what a retry cannot fix (400, 403, 404)', async () => {
    for (const status of [400, 403, 404]) {
      const { policy, waits } = recorder(() => 0.5);
      await expect(withRetry(failing([status]), policy)).rejects.toThrow(`status ${status}`);
      expect(waits).toEqual([]);
      expect(isRetryable(Object.assign(new Error(), { status }))).toBe(false);
    }
  });
});

describe('pacing', () => {
  it('spaces requests at the configured rate, each retry included, and reports an ETA', async () => {
    let now = 0;
    const slept: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void (slept.push(ms), (now += ms)) };
    const pace: SheetsPace = { reads: createRateLimiter(60, clock), writes: createRateLimiter(30, clock) };
    const times: number[] = [];
    const retry: RetryPolicy = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {} };
    for (let i = 0; i < 3; i++) await pacedRequest(pace, 'reads', retry, async () => void times.push(now));
    expect(times).toEqual([0, 1000, 2000]); // 60 a minute: one a second
    // A write that fails once takes two slots of the write pace (30 a minute: 2 s apart).
    const writesAt: number[] = [];
    const onceUnavailable = failing([503]);
    await pacedRequest(pace, 'writes', retry, () => (writesAt.push(now), onceUnavailable()));
    expect(writesAt).toHaveLength(2);
    expect(writesAt[1]! - writesAt[0]!).toBe(2000);
    expect(pace.writes.etaMs(10)).toBe(2000 + 10 * 2000);
  });
});
