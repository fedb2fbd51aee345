/** Bảng 1 / Bảng 2: parsing every figure cell, the cross-field rules, outliers and period totals. */
import type { FiguresTable, Indicator } from '../../sheets-schema/campaign-schema.js';
import { a1 } from './a1.js';
import type { CampaignModel, TableRequirement } from './campaign-model.js';
import type { IssueCollector } from './issues.js';
import type { LocatedFigures } from './locate.js';
import { formatViNumber } from './messages.js';
import { parseNumberCell } from './numbers.js';
import { median, type PeerStats } from './statistics.js';

/** period → indicator code → value; null = not reported. */
export type FigureValues = Record<string, Record<string, number | null>>;
export type FigureTotals = Record<string, number | null>;

export function indicatorLabel(ind: Indicator): string {
  return ind.header.slice(-2).join(' – ');
}

/** Flow indicators add up over periods; a stock is a count at a point in time, so its total is the last reported value. */
export function periodTotals(table: FiguresTable, periods: string[], values: FigureValues): FigureTotals {
  const totals: FigureTotals = {};
  for (const ind of table.indicators) {
    let total: number | null = null;
    for (const p of periods) {
      const v = values[p]?.[ind.code];
      if (v === null || v === undefined) continue;
      total = ind.aggregate === 'flow' ? (total ?? 0) + v : v;
    }
    totals[ind.code] = total === null ? null : roundFigure(total);
  }
  return totals;
}

/** Keeps decimal sums free of binary noise (0.1 + 0.2). */
export function roundFigure(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export function emptyFigureValues(table: FiguresTable, periods: string[]): FigureValues {
  return Object.fromEntries(periods.map((p) => [p, Object.fromEntries(table.indicators.map((i) => [i.code, null]))]));
}

export interface FiguresResult {
  values: FigureValues;
  totals: FigureTotals;
  /** Cells holding anything (valid or not). */
  entered: number;
  /** Required cells still blank. */
  blanks: number;
}

export function evaluateFigures(
  model: CampaignModel,
  table: FiguresTable,
  requirement: TableRequirement,
  periods: string[],
  located: LocatedFigures | undefined,
  issues: IssueCollector,
  peerStats: PeerStats | undefined,
): FiguresResult {
  const values = emptyFigureValues(table, periods);
  if (!located) return { values, totals: periodTotals(table, periods, values), entered: 0, blanks: 0 };
  const sheet = located.sheet;
  const at = (row: number, col: number) => ({ sheet: sheet.title, row, col });
  const cellOf = (periodId: string, code: string) => {
    const row = located.periodRows.get(periodId);
    const col = located.columns.get(code);
    return row === undefined || col === undefined ? null : { row, col };
  };
  const periodLabel = (p: string) => model.period(p).label;

  let entered = 0;
  const invalid = new Set<string>();
  for (const p of periods) {
    for (const ind of table.indicators) {
      const pos = cellOf(p, ind.code);
      if (!pos) continue;
      const parsed = parseNumberCell(sheet.rows[pos.row]?.[pos.col], ind.type);
      const label = `${indicatorLabel(ind)}, ${periodLabel(p)}`;
      if (!parsed.ok) {
        entered++;
        invalid.add(`${p}\u0000${ind.code}`);
        issues.add(parsed.code, at(pos.row, pos.col), { ...parsed.params, label });
        continue;
      }
      if (parsed.value !== null) entered++;
      values[p]![ind.code] = parsed.value;
    }
  }

  let blanks = 0;
  if (requirement === 'required' || entered > 0) {
    for (const p of periods) {
      for (const ind of table.indicators) {
        const pos = cellOf(p, ind.code);
        if (!pos || values[p]![ind.code] !== null || invalid.has(`${p}\u0000${ind.code}`)) continue;
        blanks++;
        issues.addPending('required.blank', at(pos.row, pos.col), { label: `${indicatorLabel(ind)}, ${periodLabel(p)}` });
      }
    }
  }

  for (const rule of model.rulesOfKind('lte')) {
    if (rule.table !== table.id) continue;
    for (const p of periods) {
      const l = values[p]![rule.left];
      const r = values[p]![rule.right];
      if (l === null || l === undefined || r === null || r === undefined || l <= r) continue;
      const lp = cellOf(p, rule.left)!;
      const rp = cellOf(p, rule.right)!;
      const pos = rule.at === 'left' ? lp : rp;
      issues.add(rule.code, at(pos.row, pos.col), {
        period: periodLabel(p),
        leftValue: formatViNumber(l),
        rightValue: formatViNumber(r),
        leftCell: a1(lp.row, lp.col),
        rightCell: a1(rp.row, rp.col),
      });
    }
  }
  for (const rule of model.rulesOfKind('zero-implies-zero')) {
    if (rule.table !== table.id) continue;
    for (const p of periods) {
      const cond = values[p]![rule.ifZero];
      const then = values[p]![rule.thenZero];
      if (cond !== 0 || then === null || then === undefined || then <= 0) continue;
      const ip = cellOf(p, rule.ifZero)!;
      const tp = cellOf(p, rule.thenZero)!;
      issues.add(rule.code, at(tp.row, tp.col), { period: periodLabel(p), thenValue: formatViNumber(then), ifCell: a1(ip.row, ip.col) });
    }
  }

  checkOutliers(model, table, periods, values, cellOf, issues, sheet.title, peerStats);
  return { values, totals: periodTotals(table, periods, values), entered, blanks };
}

function checkOutliers(
  model: CampaignModel,
  table: FiguresTable,
  periods: string[],
  values: FigureValues,
  cellOf: (p: string, code: string) => { row: number; col: number } | null,
  issues: IssueCollector,
  sheetTitle: string,
  peerStats: PeerStats | undefined,
) {
  const at = (pos: { row: number; col: number }) => ({ sheet: sheetTitle, row: pos.row, col: pos.col });
  const flagged = new Set<string>();
  const flag = (p: string, code: string) => {
    const k = `${p}\u0000${code}`;
    if (flagged.has(k)) return false;
    flagged.add(k);
    return true;
  };
  for (const ind of table.indicators) {
    for (const p of periods) {
      const x = values[p]![ind.code];
      const pos = cellOf(p, ind.code);
      if (x === null || x === undefined || !pos) continue;
      const label = `${indicatorLabel(ind)}, ${model.period(p).label}`;

      for (const rule of model.rulesOfKind('outlier-peer')) {
        const s = peerStats?.[table.id]?.[ind.code]?.[p];
        if (!s || s.n < rule.minPeers) continue;
        const scale = Math.max(1.4826 * s.mad, 0.1 * Math.abs(s.median), 1);
        const z = (x - s.median) / scale;
        const high = z > rule.robustZ && x >= rule.minRatio * Math.max(s.median, 1);
        const low = z < -rule.robustZ && x > 0 && x * rule.minRatio <= s.median;
        if ((high || low) && flag(p, ind.code)) {
          issues.add(rule.code, at(pos), { label, value: formatViNumber(x), median: formatViNumber(Math.round(s.median * 100) / 100), direction: high ? 'cao' : 'thấp' });
        }
      }

      for (const rule of model.rulesOfKind('outlier-own')) {
        const others = periods.filter((q) => q !== p).map((q) => values[q]![ind.code]).filter((v): v is number => v !== null && v !== undefined);
        if (others.length < rule.minOtherPeriods) continue;
        const m = median(others);
        const high = x >= rule.minRatio * Math.max(m, 1) && x - m >= rule.minAbsolute;
        const low = x > 0 && x * rule.minRatio <= m && m - x >= rule.minAbsolute;
        if ((high || low) && flag(p, ind.code)) {
          issues.add(rule.code, at(pos), { label, value: formatViNumber(x), median: formatViNumber(Math.round(m * 100) / 100), direction: high ? 'cao' : 'thấp' });
        }
      }
    }
    if (ind.aggregate !== 'stock') continue;
    for (const rule of model.rulesOfKind('stock-drop')) {
      for (let i = 1; i < periods.length; i++) {
        const prev = values[periods[i - 1]!]![ind.code];
        const cur = values[periods[i]!]![ind.code];
        if (prev === null || prev === undefined || cur === null || cur === undefined || prev <= 0) continue;
        if (cur >= prev * (1 - rule.maxFallRatio)) continue;
        const pos = cellOf(periods[i]!, ind.code)!;
        const prevPos = cellOf(periods[i - 1]!, ind.code)!;
        issues.add(rule.code, at(pos), { label: `${indicatorLabel(ind)}, ${model.period(periods[i]!).label}`, value: formatViNumber(cur), previous: formatViNumber(prev), previousCell: a1(prevPos.row, prevPos.col) });
      }
    }
  }
}
