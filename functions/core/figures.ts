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
    for (const period of periods) {
      const value = values[period]?.[ind.code];
      if (value === null || value === undefined) continue;
      total = ind.aggregate === 'flow' ? (total ?? 0) + value : value;
    }
    totals[ind.code] = total === null ? null : roundFigure(total);
  }
  return totals;
}

/** Keeps decimal sums free of binary noise (0.1 + 0.2). */
export function roundFigure(value: number): number {
  return Math.round(value * 1e6) / 1e6;
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
  for (const period of periods) {
    for (const ind of table.indicators) {
      const pos = cellOf(period, ind.code);
      if (!pos) continue;
      const parsed = parseNumberCell(sheet.rows[pos.row]?.[pos.col], ind.type);
      const label = `${indicatorLabel(ind)}, ${periodLabel(period)}`;
      if (!parsed.ok) {
        entered++;
        invalid.add(`${period}\u0000${ind.code}`);
        issues.add(parsed.code, at(pos.row, pos.col), { ...parsed.params, label });
        continue;
      }
      if (parsed.value !== null) entered++;
      values[period]![ind.code] = parsed.value;
    }
  }

  let blanks = 0;
  if (requirement === 'required' || entered > 0) {
    for (const period of periods) {
      for (const ind of table.indicators) {
        const pos = cellOf(period, ind.code);
        if (!pos || values[period]![ind.code] !== null || invalid.has(`${period}\u0000${ind.code}`)) continue;
        blanks++;
        issues.addPending('required.blank', at(pos.row, pos.col), {
          label: `${indicatorLabel(ind)}, ${periodLabel(period)}`,
        });
      }
    }
  }

  for (const rule of model.rulesOfKind('lte')) {
    if (rule.table !== table.id) continue;
    for (const period of periods) {
      const left = values[period]![rule.left];
      const right = values[period]![rule.right];
      if (left === null || left === undefined || right === null || right === undefined || left <= right) continue;
      const leftCell = cellOf(period, rule.left)!;
      const rightCell = cellOf(period, rule.right)!;
      const pos = rule.at === 'left' ? leftCell : rightCell;
      issues.add(rule.code, at(pos.row, pos.col), {
        period: periodLabel(period),
        leftValue: formatViNumber(left),
        rightValue: formatViNumber(right),
        leftCell: a1(leftCell.row, leftCell.col),
        rightCell: a1(rightCell.row, rightCell.col),
      });
    }
  }
  for (const rule of model.rulesOfKind('zero-implies-zero')) {
    if (rule.table !== table.id) continue;
    for (const period of periods) {
      const cond = values[period]![rule.ifZero];
      const then = values[period]![rule.thenZero];
      if (cond !== 0 || then === null || then === undefined || then <= 0) continue;
      const ifZeroCell = cellOf(period, rule.ifZero)!;
      const thenZeroCell = cellOf(period, rule.thenZero)!;
      issues.add(rule.code, at(thenZeroCell.row, thenZeroCell.col), {
        period: periodLabel(period),
        thenValue: formatViNumber(then),
        ifCell: a1(ifZeroCell.row, ifZeroCell.col),
      });
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
  const flag = (period: string, code: string) => {
    const key = `${period}\u0000${code}`;
    if (flagged.has(key)) return false;
    flagged.add(key);
    return true;
  };
  for (const ind of table.indicators) {
    for (const period of periods) {
      const x = values[period]![ind.code];
      const pos = cellOf(period, ind.code);
      if (x === null || x === undefined || !pos) continue;
      const label = `${indicatorLabel(ind)}, ${model.period(period).label}`;

      for (const rule of model.rulesOfKind('outlier-peer')) {
        const stat = peerStats?.[table.id]?.[ind.code]?.[period];
        if (!stat || stat.n < rule.minPeers) continue;
        const scale = Math.max(1.4826 * stat.mad, 0.1 * Math.abs(stat.median), 1);
        const zScore = (x - stat.median) / scale;
        const high = zScore > rule.robustZ && x >= rule.minRatio * Math.max(stat.median, 1);
        const low = zScore < -rule.robustZ && x > 0 && x * rule.minRatio <= stat.median;
        if ((high || low) && flag(period, ind.code)) {
          issues.add(rule.code, at(pos), {
            label,
            value: formatViNumber(x),
            median: formatViNumber(Math.round(stat.median * 100) / 100),
            direction: high ? 'cao' : 'thấp',
          });
        }
      }

      for (const rule of model.rulesOfKind('outlier-own')) {
        const others = periods
          .filter((q) => q !== period)
          .map((q) => values[q]![ind.code])
          .filter((v): v is number => v !== null && v !== undefined);
        if (others.length < rule.minOtherPeriods) continue;
        const othersMedian = median(others);
        const high = x >= rule.minRatio * Math.max(othersMedian, 1) && x - othersMedian >= rule.minAbsolute;
        const low = x > 0 && x * rule.minRatio <= othersMedian && othersMedian - x >= rule.minAbsolute;
        if ((high || low) && flag(period, ind.code)) {
          issues.add(rule.code, at(pos), {
            label,
            value: formatViNumber(x),
            median: formatViNumber(Math.round(othersMedian * 100) / 100),
            direction: high ? 'cao' : 'thấp',
          });
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
        issues.add(rule.code, at(pos), {
          label: `${indicatorLabel(ind)}, ${model.period(periods[i]!).label}`,
          value: formatViNumber(cur),
          previous: formatViNumber(prev),
          previousCell: a1(prevPos.row, prevPos.col),
        });
      }
    }
  }
}
