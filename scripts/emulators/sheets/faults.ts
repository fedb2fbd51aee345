/**
 * Deterministic fault injection. A seeded PRNG decides, request by request, whether to answer
 * 429 / 403 (Drive) / 500 / 503 (before anything is applied), to "time out" (apply the request or not, then
 * hold the socket and finally destroy it: the response is lost), and how much latency to add.
 * The same seed and the same request sequence give the same pattern.
 */
import type { DriveRateLimitReason } from './errors.js';
import type { ApiName } from './types.js';

export interface FaultSettings {
  rate429?: number;
  /** Drive's 403 rate-limit answer (Drive requests only), with `reason403` (default userRateLimitExceeded). */
  rate403?: number;
  reason403?: DriveRateLimitReason;
  rate500?: number;
  rate503?: number;
  timeoutRate?: number;
  /** How long (real ms) a timed-out request holds its socket before destroying it. Default 10 000. */
  timeoutHoldMs?: number;
  latencyMs?: number | { min: number; max: number };
  seed?: number;
  /** Which APIs the faults apply to; both when absent. */
  apis?: ApiName[];
  /** Which operations the faults apply to (e.g. 'drive.permissions.create'); all when absent. */
  ops?: string[];
  /** Only requests about these spreadsheets (files) get faults; all requests when absent. */
  spreadsheetIds?: string[];
}

export type InjectedFault = 'rate429' | 'rate403' | 'rate500' | 'rate503' | 'timeout';

export interface FaultDecision {
  fault: InjectedFault | null;
  /** For a timeout: whether the request is applied before the response is lost. */
  applyBeforeTimeout: boolean;
  latencyMs: number;
  holdMs: number;
}

const NO_FAULT: FaultDecision = { fault: null, applyBeforeTimeout: true, latencyMs: 0, holdMs: 0 };

/** mulberry32: small, fast, good enough to spread faults evenly. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private settings: FaultSettings | null = null;
  private random: () => number = mulberry32(1);

  set(settings: FaultSettings): void {
    for (const key of ['rate429', 'rate403', 'rate500', 'rate503', 'timeoutRate'] as const) {
      const rate = settings[key];
      if (rate !== undefined && (rate < 0 || rate > 1)) throw new Error(`${key} must be between 0 and 1`);
    }
    this.settings = { ...settings };
    this.random = mulberry32(settings.seed ?? 1);
  }

  clear(): void {
    this.settings = null;
  }

  reason403(): DriveRateLimitReason {
    return this.settings?.reason403 ?? 'userRateLimitExceeded';
  }

  /** `op` and `spreadsheetId` let a test aim faults at one operation or one spreadsheet. */
  decide(api: ApiName, target: { op?: string; spreadsheetId?: string } = {}): FaultDecision {
    const settings = this.settings;
    if (!settings || (settings.apis && !settings.apis.includes(api))) return NO_FAULT;
    if (settings.ops && (target.op === undefined || !settings.ops.includes(target.op))) return NO_FAULT;
    if (
      settings.spreadsheetIds &&
      (target.spreadsheetId === undefined || !settings.spreadsheetIds.includes(target.spreadsheetId))
    )
      return NO_FAULT;
    const roll = this.random();
    const thresholds: [InjectedFault, number][] = [
      ['rate429', settings.rate429 ?? 0],
      // Drive answers its rate limits with 403; Sheets never does.
      ['rate403', api === 'drive' ? (settings.rate403 ?? 0) : 0],
      ['rate500', settings.rate500 ?? 0],
      ['rate503', settings.rate503 ?? 0],
      ['timeout', settings.timeoutRate ?? 0],
    ];
    let fault: InjectedFault | null = null;
    let cumulative = 0;
    for (const [name, rate] of thresholds) {
      cumulative += rate;
      if (roll < cumulative) {
        fault = name;
        break;
      }
    }
    const applyBeforeTimeout = fault === 'timeout' ? this.random() < 0.5 : true;
    const latency = settings.latencyMs;
    let latencyMs = 0;
    if (typeof latency === 'number') latencyMs = latency;
    else if (latency) latencyMs = latency.min + this.random() * Math.max(0, latency.max - latency.min);
    return { fault, applyBeforeTimeout, latencyMs, holdMs: settings.timeoutHoldMs ?? 10_000 };
  }
}
