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
export async function settle(s: BenchStack): Promise<void> {
  const lastWrite = () => {
    for (let i = s.sheets.log.length - 1; i >= 0; i--) if (s.sheets.log[i]!.kind === 'write') return s.sheets.log[i]!.seq;
    return 0;
  };
  const marker = () => `${s.sheets.pushes.length}/${lastWrite()}`;
  let last = '';
  let since = performance.now();
  await waitFor(
    'the stack to settle',
    async () => {
      const m = marker();
      if (m !== last) {
        last = m;
        since = performance.now();
        return undefined;
      }
      if (performance.now() - since < PUSH_DELAY_MS + 150) return undefined;
      return ((await s.runtime.store.meta('driveWatch')).pollLeaseUntil ?? 0) > 0 ? undefined : true;
    },
    120_000,
    25,
  );
}

export async function measureLatency(ctx: BenchContext, s: BenchStack, units: number, samples: number): Promise<LatencySamples> {
  const rt = s.runtime;
  const model = rt.model;
  s.setScale(1);
  s.setQuotas(true);
  const city = consolidationNode(model);
  const ids = communesOf(model);
  const out: LatencySamples = { units, feedbackMs: [], masterMs: [], refreshMs: [], refreshReads: [], afterPushMs: [] };
  const reads = counterFor(rt.db);
  // Sampled units spread over the districts; typed entries prepared before timing.
  const chosen = Array.from({ length: samples }, (_, i) => ids[Math.floor((i * ids.length) / samples)]!);
  const prepared = chosen.map((u) => s.writesOf(u, submissionEntries(validSubmission(model, u, ROUND))));
  for (const [i, unitId] of chosen.entries()) {
    // Independent samples: the previous sample's own writes (feedback, master) scheduled a push
    // that a new edit would join; let it fire and its poll finish first.
    await settle(s);
    const sheetId = s.spreadsheetIds.get(unitId)!;
    const before = (await rt.store.aggregate(ROUND, city))?.contributors ?? 0;
    const fromSeq = s.sheets.log.at(-1)?.seq ?? 0;
    const pushesBefore = s.sheets.pushes.length;
    const t0 = performance.now();
    await s.typeWrites(unitId, prepared[i]!);
    const written = await waitFor(
      `feedback on ${unitId}`,
      () => s.sheets.log.find((e) => e.seq > fromSeq && e.user === SA && e.api === 'sheets' && e.kind === 'write' && e.spreadsheetId === sheetId && e.status === 200),
      60_000,
      2,
    );
    out.feedbackMs.push(performance.now() - t0);
    const pushed = s.sheets.pushes[pushesBefore];
    if (pushed) out.afterPushMs.push(Date.parse(written.at) - Date.parse(pushed.at));
    await waitFor(`aggregation of ${unitId}`, async () => (((await rt.store.aggregate(ROUND, city))?.contributors ?? 0) > before ? true : undefined), 60_000, 10);
    const t1 = performance.now();
    const readsBefore = reads.counts.reads;
    const r = (await s.fire('refresh-master')) as { refreshed?: boolean };
    if (!r?.refreshed) throw new Error(`refresh-master did not refresh after ${unitId}`);
    out.masterMs.push(performance.now() - t0);
    out.refreshMs.push(performance.now() - t1);
    out.refreshReads.push(reads.counts.reads - readsBefore);
  }
  ctx.log(`${units} units: feedback p50 ${percentile(out.feedbackMs, 50).toFixed(0)} ms, master p50 ${percentile(out.masterMs, 50).toFixed(0)} ms (refresh job ${percentile(out.refreshMs, 50).toFixed(0)} ms) over ${samples}`);
  return out;
}

function latencyFigures(r: LatencySamples, base: LatencySamples | null): Figure[] {
  const p = (xs: number[], q: number) => percentile(xs, q);
  const mk = (what: 'feedback' | 'master', q: 50 | 95): Figure => {
    const xs = what === 'feedback' ? r.feedbackMs : r.masterMs;
    const bx = base ? (what === 'feedback' ? base.feedbackMs : base.masterMs) : null;
    return figure({
      id: `e2e.${what}P${q}.${r.units}`,
      label: `E2E ${what === 'feedback' ? 'change → feedback written' : 'change → master updated'}, p${q}, ${r.units} units`,
      value: p(xs, q),
      unit: 'ms',
      baseline: bx ? { label: `same, ${base!.units} units`, value: p(bx, q) } : null,
      // A master refresh costs what changed, not the campaign: at 600 units it may take at most
      // 1.2 times what it takes at 30.
      ...(what === 'master' && q === 50 && bx ? { target: '≤ 1.2× the 30-unit figure', met: p(xs, q) <= 1.2 * p(bx, q) } : {}),
      note:
        q === 50
          ? what === 'feedback'
            ? `${xs.length} sequential samples; includes the ${PUSH_DELAY_MS} ms push delay of the local stack (Google coalesces Sheets edits for minutes); from the push to the feedback write p50 ${p(r.afterPushMs, 50).toFixed(0)} ms`
            : `refresh-master job p50 ${p(r.refreshMs, 50).toFixed(0)} ms of it, reading ${p(r.refreshReads, 50).toFixed(0)} Firestore documents; the job's cadence (1 min in production) not included`
          : undefined,
    });
  };
  return [mk('feedback', 50), mk('feedback', 95), mk('master', 50), mk('master', 95)];
}

/** At 30 units, on a stack of its own (stopped afterwards: the functions' runtime is one per process). */
export const e2e30Bench: Benchmark = {
  id: 'e2e-30',
  group: 'e2e',
  title: 'Local end-to-end latency at 30 units',
  async run(ctx) {
    const s = await startBenchStack({ communes: 30, pushDelayMs: PUSH_DELAY_MS, webhook: true });
    try {
      ctx.log(`stack with 30 communes ready in ${(s.startupMs / 1000).toFixed(1)} s (${s.spreadsheetIds.size} unit sheets)`);
      const r = await measureLatency(ctx, s, 30, ctx.quick ? 5 : 15);
      ctx.shared.set('e2e-30', Promise.resolve(r));
      return { figures: latencyFigures(r, null), details: { feedbackMs: stats(r.feedbackMs), masterMs: stats(r.masterMs), refreshMs: stats(r.refreshMs), refreshReads: stats(r.refreshReads), afterPushMs: stats(r.afterPushMs), raw: r } };
    } finally {
      await s.dispose();
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
    const r = await measureLatency(ctx, await sharedStack(ctx, 600), 600, ctx.quick ? 4 : 10);
    const base = (await (ctx.shared.get('e2e-30') as Promise<LatencySamples> | undefined)) ?? null;
    return { figures: latencyFigures(r, base), details: { feedbackMs: stats(r.feedbackMs), masterMs: stats(r.masterMs), refreshMs: stats(r.refreshMs), refreshReads: stats(r.refreshReads), afterPushMs: stats(r.afterPushMs), raw: r } };
  },
};
