/**
 * The exact ledger a stored aggregate node keeps (core TotalsLedger), which sumTotals also sums
 * through: a child's change is taken as a delta (old part out, new part in), and the node must
 * still read exactly the sum of every part afresh, in any order, nulls and absent indicators
 * included; below 10^9 the same numbers as adding rounded floats one by one (the former sumTotals). Seeded
 * pseudo-random sequences: every failure names its seed and step.
 */
import { describe, expect, it } from 'vitest';
import {
  applyToLedger,
  ledgerOf,
  sumTotals,
  totalsOfLedger,
  type NodeTotals,
  type TotalsLedger,
} from '../../functions/core/aggregate.js';
import { canonicalJson } from '../../functions/core/canonical-json.js';
import { roundFigure } from '../../functions/core/figures.js';
import { seededRandom as generator, type SeededRandom as Gen } from '../helpers/seeded-random.js';

/** A figure as the figures table stores it: on roundFigure's grid, an integer or up to 6 decimals, below `max`. */
function figure(random: Gen, max: number): number {
  const magnitude = random.pick([1, 100, 10_000, max]);
  const raw = random.next() * magnitude * (random.next() < 0.1 ? -1 : 1);
  return random.next() < 0.5 ? Math.round(raw) : roundFigure(raw);
}

/** One part: some tables, each indicator absent, null or a number; now and then an empty table. */
function part(random: Gen, max: number): NodeTotals | null {
  if (random.next() < 0.1) return null;
  const out: NodeTotals = {};
  for (const table of ['bang1', 'bang2', 'bang3']) {
    if (random.next() < 0.3) continue;
    const byCode: Record<string, number | null> = (out[table] = {});
    for (const code of ['a', 'b', 'c', 'd', 'e']) {
      const roll = random.next();
      if (roll < 0.3) continue;
      byCode[code] = roll < 0.45 ? null : figure(random, max);
    }
  }
  return out;
}

/** sumTotals as it was before the ledger (rounded floats added one by one): the reference below 10^9. */
function sequentialSum(parts: (NodeTotals | null)[]): NodeTotals {
  const out: NodeTotals = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [table, byCode] of Object.entries(part)) {
      const target = (out[table] ??= {});
      for (const [code, value] of Object.entries(byCode)) {
        if (value === null) {
          if (!(code in target)) target[code] = null;
          continue;
        }
        target[code] = roundFigure((target[code] ?? 0) + value);
      }
    }
  }
  return out;
}

/** The exact decimal sum of figures on the grid (BigInt millionths), as the nearest double. */
const exactSum = (xs: number[]) => Number(xs.reduce((s, v) => s + BigInt(Math.round(v * 1e6)), 0n)) / 1e6;

const same = (ledger: TotalsLedger, parts: (NodeTotals | null)[], g: Gen) =>
  canonicalJson(totalsOfLedger(ledger)) === canonicalJson(sequentialSum(g.shuffled(parts)));

describe('the exact ledger', () => {
  it('sums as the figures were summed before it (rounded floats one by one) below 10^9, in any order', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = generator(seed);
      const parts = Array.from({ length: 1 + random.int(12) }, () => part(random, 1e8));
      const ledger = ledgerOf(random.shuffled(parts));
      expect(canonicalJson(totalsOfLedger(ledger)), `seed ${seed}`).toBe(canonicalJson(sequentialSum(parts)));
      expect(canonicalJson(sumTotals(random.shuffled(parts))), `seed ${seed}, another order`).toBe(
        canonicalJson(sequentialSum(parts)),
      );
    }
  });

  it('kept by deltas (one part replaced, added or taken out at a time) equals the ledger built afresh, after every step', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = generator(1000 + seed);
      const slots: (NodeTotals | null)[] = Array.from({ length: 1 + random.int(8) }, () => null);
      const ledger: TotalsLedger = {};
      for (let step = 0; step < 80; step++) {
        const slot = random.int(slots.length);
        const next = random.next() < 0.15 ? null : part(random, 1e8);
        applyToLedger(ledger, slots[slot], -1);
        applyToLedger(ledger, next, 1);
        slots[slot] = next;
        expect(canonicalJson(ledger), `seed ${seed}, step ${step}`).toBe(canonicalJson(ledgerOf(slots)));
        expect(same(ledger, slots, random), `seed ${seed}, step ${step}`).toBe(true);
      }
    }
  });

  it('stays exact up to its stated bound, 9 × 10^9, where adding rounded floats one by one drifts off the grid', () => {
    let sequentialDrifts = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = generator(5000 + seed);
      const figures = Array.from({ length: 2 + random.int(8) }, () => roundFigure(random.next() * 1e9));
      const parts: NodeTotals[] = figures.map((a) => ({ bang1: { a } }));
      const ledger = ledgerOf(parts);
      // Swap one part for another and back: a float running total would keep the rounding of both trips.
      const swapped: NodeTotals = { bang1: { a: roundFigure(random.next() * 9e8) } };
      applyToLedger(ledger, parts[0], -1);
      applyToLedger(ledger, swapped, 1);
      applyToLedger(ledger, swapped, -1);
      applyToLedger(ledger, parts[0], 1);
      expect(totalsOfLedger(ledger).bang1!.a, `seed ${seed}`).toBe(exactSum(figures));
      expect(sumTotals(random.shuffled(parts)).bang1!.a, `seed ${seed}`).toBe(exactSum(figures));
      if (sequentialSum(parts).bang1!.a !== exactSum(figures)) sequentialDrifts++;
    }
    // Why sumTotals counts millionths: summed the old way, some of these totals come out off the grid.
    expect(sequentialDrifts).toBeGreaterThan(0);
  });

  it('keeps sumTotals’ null semantics: a number once any part has one, null when parts hold only nulls, absent when none holds it', () => {
    const ledger = ledgerOf([{ bang1: { a: null } }, { bang1: { a: 5, b: null } }, { bang2: {} }]);
    expect(totalsOfLedger(ledger)).toEqual({ bang1: { a: 5, b: null }, bang2: {} });
    applyToLedger(ledger, { bang1: { a: 5, b: null } }, -1);
    expect(totalsOfLedger(ledger)).toEqual({ bang1: { a: null }, bang2: {} });
    applyToLedger(ledger, { bang1: { a: null } }, -1);
    applyToLedger(ledger, { bang2: {} }, -1);
    expect(totalsOfLedger(ledger)).toEqual({});
    expect(ledger).toEqual({});
  });

  it('a decimal taken out leaves the total on the grid, where a float running total would not', () => {
    const ledger = ledgerOf([{ t: { a: 0.1 } }, { t: { a: 0.2 } }]);
    expect(totalsOfLedger(ledger).t!.a).toBe(0.3);
    applyToLedger(ledger, { t: { a: 0.1 } }, -1);
    expect(0.1 + 0.2 - 0.1).not.toBe(0.2); // why the ledger counts millionths
    expect(totalsOfLedger(ledger).t!.a).toBe(0.2);
  });
});
