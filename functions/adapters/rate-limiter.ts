import { currentDeadline, QuotaDeferredError } from './shared-pace.js';

import type { RateLimiter } from '../app/ports.js';

// The port's types are the application's (app/ports.ts); re-exported for callers of this adapter.
export type { RateLimiter };

/**
 * This process's own pace: holds the quota only while one process sends every request (tests,
 * a CLI run alone). Deployed functions and the local stack use the shared pace (shared-pace.ts).
 */
export function createRateLimiter(
  perMinute: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  },
): RateLimiter {
  const interval = 60_000 / perMinute;
  let nextSlot = 0;
  return {
    async take() {
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      const deadline = currentDeadline();
      if (deadline !== null && slot > deadline)
        throw new QuotaDeferredError(`${perMinute}/min (in-process)`, slot - now, deadline - now);
      nextSlot = slot + interval;
      if (slot > now) await clock.sleep(slot - now);
    },
    etaMs(requests) {
      return Math.max(0, nextSlot - clock.now()) + requests * interval;
    },
  };
}
