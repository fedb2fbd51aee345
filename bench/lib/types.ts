/** What every benchmark module returns, and what run.ts prints and writes. */

export interface Figure {
  /** Stable key in the JSON, e.g. 'sheets.requestsPerChange'. */
  id: string;
  /** The figure as the table shows it. */
  label: string;
  value: number | null;
  unit: string;
  /** What it is measured against in the same run. */
  baseline: { label: string; value: number | null } | null;
  /** value ÷ baseline. */
  ratio: number | null;
  /** The target as written in the issue, or null when there is none. */
  target: string | null;
  /** null when there is no target. */
  met: boolean | null;
  note?: string;
}

export interface BenchResult {
  figures: Figure[];
  /** Everything measured, for the JSON file. */
  details: Record<string, unknown>;
}

export interface BenchContext {
  /** Progress line on stderr, prefixed with the benchmark id and the elapsed time. */
  log(message: string): void;
  /** Fixtures shared across benchmarks in one run (e.g. the 600-unit stack). */
  shared: Map<string, Promise<unknown>>;
  /** Cleanups run at the end of the run (shared fixtures register theirs here). */
  cleanups: (() => Promise<void>)[];
  quick: boolean;
}

export interface Benchmark {
  id: string;
  /** `--only` also accepts this name for every benchmark of the group (e.g. e2e-30 and e2e-600 are 'e2e'). */
  group?: string;
  title: string;
  /**
   * Starts slow set-up in the background (e.g. provisioning a stack), called by run.ts once
   * the timing-sensitive benchmarks are done, while benchmarks that only count run.
   */
  prepare?(ctx: BenchContext): void;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function figure(
  fields: Omit<Figure, 'ratio' | 'baseline' | 'target' | 'met'> &
    Partial<Pick<Figure, 'baseline' | 'target' | 'met' | 'ratio'>>,
): Figure {
  const baseline = fields.baseline ?? null;
  const ratio =
    fields.ratio !== undefined
      ? fields.ratio
      : baseline && baseline.value !== null && baseline.value !== 0 && fields.value !== null
        ? fields.value / baseline.value
        : null;
  return { ...fields, baseline, ratio, target: fields.target ?? null, met: fields.met ?? null };
}
