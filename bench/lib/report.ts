/** The results table (console) and the JSON file. */
import type { Figure } from './types.js';
import { mean, percentile, round } from './stats.js';

/** Summary of a sample for the JSON file. */
export function stats(values: number[]) {
  if (values.length === 0) return { n: 0 };
  return {
    n: values.length,
    mean: round(mean(values), 3),
    p50: round(percentile(values, 50), 3),
    p95: round(percentile(values, 95), 3),
    min: round(Math.min(...values), 3),
    max: round(Math.max(...values), 3),
  };
}

export function formatNumber(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio)) return '–';
  return ratio >= 10
    ? `${ratio.toFixed(0)}×`
    : ratio >= 0.1
      ? `${ratio.toFixed(2)}×`
      : `${Number(ratio.toPrecision(2))}×`;
}

const met = (m: boolean | null) => (m === null ? '–' : m ? 'yes' : 'NO');

export function rows(figures: Figure[]): string[][] {
  return figures.map((f) => [
    f.label,
    formatNumber(f.value, f.unit),
    f.baseline ? `${formatNumber(f.baseline.value, f.unit)} (${f.baseline.label})` : '–',
    formatRatio(f.ratio),
    f.target ?? '–',
    met(f.met),
  ]);
}

export const HEADER = ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'];

/** A plain-text table for the terminal. */
export function textTable(figures: Figure[]): string {
  const all = [HEADER, ...rows(figures)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ');
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(figures).map(line)].join('\n');
}

/** The same table in Markdown (for README). */
export function markdownTable(figures: Figure[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows(figures).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
