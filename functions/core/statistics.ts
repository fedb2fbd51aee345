/** Robust statistics for outlier warnings: an extra zero typed should stand out, a big district should not. */
import type { FigureValues } from './figures.js';

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation. */
export function mad(values: number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export interface PeerStat {
  median: number;
  mad: number;
  n: number;
}

/** tableId → indicator code → period → robust summary over peer units. */
export type PeerStats = Record<string, Record<string, Record<string, PeerStat>>>;

/** Summarises accepted figures of peer units (same kind, same round). */
export function computePeerStats(peers: Record<string, FigureValues>[]): PeerStats {
  const samples = new Map<string, number[]>();
  for (const unit of peers) {
    for (const [tableId, byPeriod] of Object.entries(unit)) {
      for (const [periodId, byCode] of Object.entries(byPeriod)) {
        for (const [code, value] of Object.entries(byCode)) {
          if (value === null || value === undefined) continue;
          const key = `${tableId}\u0000${code}\u0000${periodId}`;
          const list = samples.get(key) ?? [];
          list.push(value);
          samples.set(key, list);
        }
      }
    }
  }
  const out: PeerStats = {};
  for (const [key, values] of samples) {
    const [tableId, code, periodId] = key.split('\u0000') as [string, string, string];
    const middle = median(values);
    ((out[tableId] ??= {})[code] ??= {})[periodId] = { median: middle, mad: mad(values, middle), n: values.length };
  }
  return out;
}
