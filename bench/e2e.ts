/**
 * End-to-end latency in the local stack, at 30 and 600 generated communes, through the path
 * `npm start` runs: a clerk's `values.batchUpdate` (a whole valid workbook, one request) →
 * the Sheets emulator's Drive push (after its 500 ms coalescing delay) → the driveWebhook
 * function → poll of the change feed → processUnitSheet → feedback batchUpdate; then the
 * Firestore trigger (Eventarc bridge) → aggregation up to the city; then the refresh-master
 * job, fired as soon as the city total includes the change (production fires it every minute,
 * which adds up to 60 s; the local scheduler every 2 s).
 *
 * (a) feedback written: the service account's batchUpdate on that sheet appears in the
 * emulator's request log; (b) master updated: the refresh-master job has returned after the
 * city aggregate counted the new submission. Quotas on (Google's per-user limits), clock 1×.
 * Samples are sequential, one unit at a time.
 */
import { consolidationNode } from '../functions/core/master-view.js';
import { validSubmission } from '../test/helpers/fill-workbook.js';
import { submissionEntries } from '../test/helpers/stack.js';
import { communesOf, ROUND } from './lib/campaign.js';
import { counterFor } from './lib/firestore-counter.js';
import { stats } from './lib/report.js';
import { percentile, waitFor } from './lib/stats.js';
import { SA, sharedStack, startBenchStack, PUSH_DELAY_MS, type BenchStack } from './lib/stack.js';
import { figure, type Benchmark, type BenchContext, type Figure } from './lib/types.js';

export interface LatencySamples {
  units: number;
  feedbackMs: number[];
  masterMs: number[];
  /** Of masterMs, the refresh-master job itself. */
  refreshMs: number[];
  /** Firestore documents one refresh-master job reads. */
  refreshReads: number[];
  /** From the Drive push leaving the emulator to the feedback write (the system's own share of feedbackMs). */
  afterPushMs: number[];
}

/**
 * Waits until no push can be pending (no write and no push for longer than the push delay)
 * and no poll is running, so that a sample does not join a push scheduled by earlier writes.
 */
export async function settle(stack: BenchStack): Promise<void> {
  const lastWrite = () => {
    for (let i = stack.sheets.log.length - 1; i >= 0; i--)
      if (stack.sheets.log[i]!.kind === 'write') return stack.sheets.log[i]!.seq;
    return 0;
  };
  const marker = () => `${stack.sheets.pushes.length}/${lastWrite()}`;
  let last = '';
  let since = performance.now();
  await waitFor(
    'the stack to settle',
    async () => {
      const mark = marker();
      if (mark !== last) {
        last = mark;
        since = performance.now();
        return undefined;
      }
      if (performance.now() - since < PUSH_DELAY_MS + 150) return undefined;
      return ((await stack.runtime.store.meta('driveWatch')).pollLeaseUntil ?? 0) > 0 ? undefined : true;
    },
    120_000,
    25,
  );
}

export async function measureLatency(
  ctx: BenchContext,
  stack: BenchStack,
  units: number,
  samples: number,
): Promise<LatencySamples> {
  const runtime = stack.runtime;
  const model = runtime.model;
  stack.setScale(1);
  stack.setQuotas(true);
  const city = consolidationNode(model);
  const ids = communesOf(model);
  const out: LatencySamples = { units, feedbackMs: [], masterMs: [], refreshMs: [], refreshReads: [], afterPushMs: [] };
  const reads = counterFor(runtime.db);
  // Sampled units spread over the districts; typed entries prepared before timing.
  const chosen = Array.from({ length: samples }, (_, i) => ids[Math.floor((i * ids.length) / samples)]!);
  const prepared = chosen.map((u) => stack.writesOf(u, submissionEntries(validSubmission(model, u, ROUND))));
  for (const [index, unitId] of chosen.entries()) {
    // Independent samples: the previous sample's own writes (feedback, master) scheduled a push
    // that a new edit would join; let it fire and its poll finish first.
    await settle(stack);
    const sheetId = stack.spreadsheetIds.get(unitId)!;
    const before = (await runtime.store.aggregate(ROUND, city))?.contributors ?? 0;
    const fromSeq = stack.sheets.log.at(-1)?.seq ?? 0;
    const pushesBefore = stack.sheets.pushes.length;
    const startedAt = performance.now();
    await stack.typeWrites(unitId, prepared[index]!);
    const written = await waitFor(
      `feedback on ${unitId}`,
      () =>
        stack.sheets.log.find(
          (e) =>
            e.seq > fromSeq &&
            e.user === SA &&
            e.api === 'sheets' &&
            e.kind === 'write' &&
            e.spreadsheetId === sheetId &&
            e.status === 200,
        ),
      60_000,
      2,
    );
    out.feedbackMs.push(performance.now() - startedAt);
    const pushed = stack.sheets.pushes[pushesBefore];
    if (pushed) out.afterPushMs.push(Date.parse(written.at) - Date.parse(pushed.at));
    await waitFor(
      `aggregation of ${unitId}`,
      async () => (((await runtime.store.aggregate(ROUND, city))?.contributors ?? 0) > before ? true : undefined),
      60_000,
      10,
    );
    const endedAt = performance.now();
    const readsBefore = reads.counts.reads;
    const refresh = (await stack.fire('refresh-master')) as { refreshed?: boolean };
    if (!refresh?.refreshed) throw new Error(`refresh-master did not refresh after ${unitId}`);
    out.masterMs.push(performance.now() - startedAt);
    out.refreshMs.push(performance.now() - endedAt);
    out.refreshReads.push(reads.counts.reads - readsBefore);
  }
  ctx.log(
    `${units} units: feedback p50 ${percentile(out.feedbackMs, 50).toFixed(0)} ms, master p50 ${percentile(out.masterMs, 50).toFixed(0)} ms (refresh job ${percentile(out.refreshMs, 50).toFixed(0)} ms) over ${samples}`,
  );
  return out;
}

function latencyFigures(samples: LatencySamples, base: LatencySamples | null): Figure[] {
  const percentileOf = (xs: number[], q: number) => percentile(xs, q);
  const figureOf = (what: 'feedback' | 'master', quantile: 50 | 95): Figure => {
    const values = what === 'feedback' ? samples.feedbackMs : samples.masterMs;
    const baseValues = base ? (what === 'feedback' ? base.feedbackMs : base.masterMs) : null;
    return figure({
      id: `e2e.${what}P${quantile}.${samples.units}`,
      label: `E2E ${what === 'feedback' ? 'change → feedback written' : 'change → master updated'}, p${quantile}, ${samples.units} units`,
      value: percentileOf(values, quantile),
      unit: 'ms',
      baseline: baseValues ? { label: `same, ${base!.units} units`, value: percentileOf(baseValues, quantile) } : null,
      // A master refresh costs what changed, not the campaign: at 600 units it may take at most
      // 1.2 times what it takes at 30.
      ...(what === 'master' && quantile === 50 && baseValues
        ? {
            target: '≤ 1.2× the 30-unit figure',
            met: percentileOf(values, quantile) <= 1.2 * percentileOf(baseValues, quantile),
          }
        : {}),
      note:
        quantile === 50
          ? what === 'feedback'
            ? `${values.length} sequential samples; includes the ${PUSH_DELAY_MS} ms push delay of the local stack (Google coalesces Sheets edits for minutes); from the push to the feedback write p50 ${percentileOf(samples.afterPushMs, 50).toFixed(0)} ms`
            : `refresh-master job p50 ${percentileOf(samples.refreshMs, 50).toFixed(0)} ms of it, reading ${percentileOf(samples.refreshReads, 50).toFixed(0)} Firestore documents; the job's cadence (1 min in production) not included`
          : undefined,
    });
  };
  return [figureOf('feedback', 50), figureOf('feedback', 95), figureOf('master', 50), figureOf('master', 95)];
}

/** At 30 units, on a stack of its own (stopped afterwards: the functions' runtime is one per process). */
export const e2e30Bench: Benchmark = {
  id: 'e2e-30',
  group: 'e2e',
  title: 'Local end-to-end latency at 30 units',
  async run(ctx) {
    const stack = await startBenchStack({ communes: 30, pushDelayMs: PUSH_DELAY_MS, webhook: true });
    try {
      ctx.log(
        `stack with 30 communes ready in ${(stack.startupMs / 1000).toFixed(1)} s (${stack.spreadsheetIds.size} unit sheets)`,
      );
      const samples = await measureLatency(ctx, stack, 30, ctx.quick ? 5 : 15);
      ctx.shared.set('e2e-30', Promise.resolve(samples));
      return {
        figures: latencyFigures(samples, null),
        details: {
          feedbackMs: stats(samples.feedbackMs),
          masterMs: stats(samples.masterMs),
          refreshMs: stats(samples.refreshMs),
          refreshReads: stats(samples.refreshReads),
          afterPushMs: stats(samples.afterPushMs),
          raw: samples,
        },
      };
    } finally {
      await stack.dispose();
    }
  },
};

/** At 600 units, on the stack the burst then uses. */
export const e2e600Bench: Benchmark = {
  id: 'e2e-600',
  group: 'e2e',
  title: 'Local end-to-end latency at 600 units',
  prepare(ctx) {
    void sharedStack(ctx, 600).catch(() => {});
  },
  async run(ctx) {
    const samples = await measureLatency(ctx, await sharedStack(ctx, 600), 600, ctx.quick ? 4 : 10);
    const base = (await (ctx.shared.get('e2e-30') as Promise<LatencySamples> | undefined)) ?? null;
    return {
      figures: latencyFigures(samples, base),
      details: {
        feedbackMs: stats(samples.feedbackMs),
        masterMs: stats(samples.masterMs),
        refreshMs: stats(samples.refreshMs),
        refreshReads: stats(samples.refreshReads),
        afterPushMs: stats(samples.afterPushMs),
        raw: samples,
      },
    };
  },
};
