/**
 * Spacing requests under a per-minute quota (Sheets: 60 writes per minute per user). A caller
 * waits for its slot instead of collecting a 429; `etaMs` gives provisioning its estimate.
 */
export interface RateLimiter {
  take(): Promise<void>;
  etaMs(requests: number): number;
}

export function createRateLimiter(perMinute: number, clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }): RateLimiter {
  const interval = 60_000 / perMinute;
  let nextSlot = 0;
  return {
    async take() {
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + interval;
      if (slot > now) await clock.sleep(slot - now);
    },
    etaMs(requests) {
      return Math.max(0, nextSlot - clock.now()) + requests * interval;
    },
  };
}
