/**
 * The demo's figures are believable: every figure a demo unit ends with lies in the range
 * `scripts/demo/figure-ranges.ts` documents for its kind (scaled by the period's length), and a
 * demo unit's final workbook raises no issue on its figures tabs, peers' outlier test included:
 * the only figure mistakes in the demo are the ones the scenario plants and then corrects.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import type { FigureValues } from '../../functions/core/figures.js';
import { parseNumberCell } from '../../functions/core/numbers.js';
import { computePeerStats } from '../../functions/core/statistics.js';
import { FIGURE_RANGES, boundsOf, festivalsIn, periodYears } from '../../scripts/demo/figure-ranges.js';
import { demoScenario } from '../../scripts/demo/scenario.js';
import type { Typed } from '../../scripts/local-stack/clerk.js';
import { model } from '../helpers/campaign.js';
import { filledGrid } from '../helpers/fill-workbook.js';

const { edits, behaviours } = demoScenario(model);
/** Units that end the demo with every figure typed (drafts and silent units stop half-way or never start). */
const COMPLETE = new Set(['on-time', 'late', 'text-in-number', 'part-over-total', 'over-quota', 'ineligible']);

/** What each unit's figures tabs hold at the end of the demo: round/unit → table → period → code → typed. */
const typedAtEnd = new Map<string, Record<string, Record<string, Record<string, Typed>>>>();
for (const edit of [...edits].sort((a, b) => a.at - b.at)) {
  for (const x of edit.entries) {
    if (x.kind !== 'figure') continue;
    const key = `${edit.roundId}/${edit.unitId}`;
    const byTable = typedAtEnd.get(key) ?? {};
    typedAtEnd.set(key, byTable);
    ((byTable[x.table] ??= {})[x.period] ??= {})[x.code] = x.value;
  }
}

function parsed(roundId: string, unitId: string): Record<string, FigureValues> {
  const out: Record<string, FigureValues> = {};
  for (const [tableId, byPeriod] of Object.entries(typedAtEnd.get(`${roundId}/${unitId}`) ?? {})) {
    const table = model.figuresTable(tableId);
    out[tableId] = {};
    for (const [period, byCode] of Object.entries(byPeriod)) {
      out[tableId]![period] = {};
      for (const ind of table.indicators) {
        const result = parseNumberCell({ v: byCode[ind.code] ?? null }, ind.type);
        if (!result.ok)
          throw new Error(`${roundId}/${unitId} ${ind.code}: "${String(byCode[ind.code])}" is not a number`);
        out[tableId]![period]![ind.code] = result.value;
      }
    }
  }
  return out;
}

const cases = model.campaign.rounds.flatMap((round) =>
  model.campaign.units
    .filter((u) => FIGURE_RANGES[u.kind] && COMPLETE.has(behaviours.get(`${round.id}/${u.id}`) ?? ''))
    .map((u) => ({ roundId: round.id, unitId: u.id, kind: u.kind })),
);

describe('the documented ranges', () => {
  it('cover every indicator of every figures table, for districts and sectors, each with a reason', () => {
    for (const kind of ['district', 'sector']) {
      for (const table of model.figuresTables()) {
        for (const ind of table.indicators) {
          const row = FIGURE_RANGES[kind]![ind.code];
          expect(row, `${kind} ${ind.code}`).toBeDefined();
          expect(row!.range[0]).toBeLessThanOrEqual(row!.range[1]);
          expect(row!.reason.length).toBeGreaterThan(10);
          if (row!.per) expect(table.indicators.map((i) => i.code)).toContain(row!.per);
        }
      }
    }
  });

  it('say what the issue asks: no district counts thousands of city-level festivals, district XDPT teams are a few officers', () => {
    const main = { from: '2015-01-01', to: '2020-06-30' };
    expect(periodYears(main.from, main.to)).toBeCloseTo(5.5, 1);
    expect([festivalsIn(main.from, main.to), festivalsIn('2020-06-10', '2020-08-31')]).toEqual([5, 1]);
    expect(boundsOf(FIGURE_RANGES.district!['ngay_hoi.thanh_pho.luot']!, 'flow', 'integer', main, undefined)).toEqual([
      0, 0,
    ]);
    expect(boundsOf(FIGURE_RANGES.district!['ngay_hoi.quan_huyen.luot']!, 'flow', 'integer', main, undefined)).toEqual([
      3, 5,
    ]);
    expect(boundsOf(FIGURE_RANGES.district!['luc_luong.doi_xdpt']!, 'stock', 'integer', main, undefined)).toEqual([
      5, 15,
    ]);
    expect(boundsOf(FIGURE_RANGES.district!['ngay_hoi.thon_to.nguoi']!, 'flow', 'integer', main, 10)).toEqual([
      800, 3000,
    ]);
    expect(boundsOf(FIGURE_RANGES.district!['tuyen_truyen.dai_chung']!, 'flow', 'integer', main, undefined)).toEqual([
      219, 1100,
    ]);
  });
});

describe('every demo unit that completes its figures', () => {
  it('there are districts and sectors in both rounds', () => {
    for (const round of model.campaign.rounds) {
      expect(cases.filter((c) => c.roundId === round.id && c.kind === 'district').length).toBeGreaterThan(15);
      expect(cases.filter((c) => c.roundId === round.id && c.kind === 'sector').length).toBeGreaterThan(3);
    }
  });

  it('has every figure inside its documented range', () => {
    const outside: string[] = [];
    for (const { roundId, unitId, kind } of cases) {
      for (const [tableId, byPeriod] of Object.entries(parsed(roundId, unitId))) {
        const table = model.figuresTable(tableId);
        for (const [periodId, byCode] of Object.entries(byPeriod)) {
          for (const ind of table.indicators) {
            const row = FIGURE_RANGES[kind]![ind.code]!;
            const [low, high] = boundsOf(
              row,
              ind.aggregate,
              ind.type,
              model.period(periodId),
              row.per ? byCode[row.per]! : undefined,
            );
            const value = byCode[ind.code]!;
            if (!(value >= low && value <= high))
              outside.push(`${roundId}/${unitId} ${periodId} ${ind.code}: ${value} ∉ [${low}, ${high}]`);
          }
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it("passes the campaign's rules on its figures tabs, outliers against its peers included", async () => {
    const flagged: string[] = [];
    for (const { roundId, unitId, kind } of cases) {
      const peers = cases
        .filter((c) => c.roundId === roundId && c.kind === kind && c.unitId !== unitId)
        .map((c) => parsed(c.roundId, c.unitId));
      const grid = await filledGrid(model, unitId, roundId, (submission) => {
        submission.figures = typedAtEnd.get(`${roundId}/${unitId}`)!;
      });
      const evaluation = evaluateWorkbook(model, unitId, roundId, grid, { peerStats: computePeerStats(peers) });
      const figureSheets = new Set(model.figuresTables().map((t) => t.sheetTitle));
      for (const issue of evaluation.issues)
        if (figureSheets.has(issue.sheet))
          flagged.push(`${roundId}/${unitId} ${issue.cell} ${issue.code}: ${issue.message}`);
    }
    expect(flagged).toEqual([]);
  }, 120_000);
});
