/**
 * Firestore reads per change, at 30, 600 and 11,000 generated communes, for the incremental
 * aggregation the pipeline runs on every accepted submission (`aggregateSubmission`: the
 * submission, the unit's node, then per level above the node and its child's part) against recomputing everything (every submission of the
 * round read and `computeAllNodes` run, the way reconciliation does; its writes not counted).
 *
 * Every commune has an accepted submission and the aggregate tree is consistent with them.
 * Each change replaces one commune's submission (a new source version, other figures), then
 * both paths run and are counted; after each, the stored city total must equal the total
 * recomputed from scratch.
 *
 * Backends: the in-memory double at every size, and the local Firestore emulator at 30 and
 * 600 (11,000 is out of its reach: it copies a collection on every write). The read counts of
 * the two backends must agree; the emulator's are counted at the client (firestore-counter.ts).
 */
import type { Firestore } from '@google-cloud/firestore';
import { aggregateSubmission } from '../functions/app/aggregate.js';
import { silentLogger } from '../test/helpers/memory-logger.js';
import { computeAllNodes, totalsFromSubmission, type NodeTotals } from '../functions/core/aggregate.js';
import type { CampaignModel } from '../functions/core/campaign-model.js';
import { canonicalJson } from '../functions/core/canonical-json.js';
import { consolidationNode } from '../functions/core/master-view.js';
import type { FirestoreStore } from '../functions/adapters/firestore-store.js';
import { createEmulatorClient } from '../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type FirestoreEmulatorKind } from '../scripts/local-stack/local-firestore.js';
import { unitScale } from '../test/helpers/fill-workbook.js';
import { communesOf, generatedModel, ROUND } from './lib/campaign.js';
import { countFirestore, type FirestoreCounts } from './lib/firestore-counter.js';
import { MemoryFirestore } from './lib/memory-firestore.js';
import { stats } from './lib/report.js';
import { submissionFor } from './lib/docs.js';
import { communeEvaluation, seedCommunes } from './lib/seed.js';
import { mean } from './lib/stats.js';
import { figure, type Benchmark, type BenchContext } from './lib/types.js';

const START_AT = Date.parse('2020-07-10T09:00:00+07:00');
export const SIZES = [30, 600, 11_000] as const;

export interface ScaleRun {
  units: number;
  backend: 'memory' | 'emulator';
  /** Which emulator served an 'emulator' run: Google's where installed, else the in-process stand-in. */
  emulatorKind?: FirestoreEmulatorKind;
  seededDocuments: number;
  seedMs: number;
  incremental: { reads: number[]; writes: number[]; ms: number[]; storeReads: number[] };
  recompute: { reads: number[]; ms: number[] };
  /** Every change left the stored city total equal to the one recomputed from all submissions. */
  consistent: boolean;
  firstDifference?: string;
  /**
   * Size of the largest aggregate document, as JSON: a node (own totals, totals and the exact
   * ledger, per indicator) or one child's part; neither grows with the children.
   */
  largestAggregateKB: number;
  /** The largest node alone and the largest part alone, KB. */
  largestNodeKB: number;
  largestPartKB: number;
}

/** Recompute-everything: every submission of the round read, every node recomputed (writes not counted). */
export async function recomputeEverything(
  model: CampaignModel,
  store: FirestoreStore,
): Promise<Map<string, { totals: NodeTotals }>> {
  const subs = await store.submissionsOfRound(ROUND);
  return computeAllNodes(
    model,
    new Map(subs.filter((s) => model.findUnit(s.unitId)).map((s) => [s.unitId, totalsFromSubmission(s.totals)])),
  );
}

async function runScale(
  ctx: BenchContext,
  units: number,
  backend: 'memory' | 'emulator',
  changes: number,
  recomputes: number,
): Promise<ScaleRun> {
  const model = generatedModel(units);
  let db: Firestore;
  let counts: () => FirestoreCounts;
  let close: () => Promise<void>;
  let emulatorKind: FirestoreEmulatorKind | undefined;
  if (backend === 'memory') {
    const mem = new MemoryFirestore();
    db = mem.asFirestore;
    counts = () => ({ ...mem.counts });
    close = async () => {};
  } else {
    const emulator = await startLocalFirestore({ projectId: 'demo-local' });
    emulatorKind = emulator.kind;
    db = createEmulatorClient(emulator.host, emulator.projectId);
    const counter = countFirestore(db);
    counts = () => ({ ...counter.counts });
    close = async () => {
      await db.terminate();
      await emulator.stop();
    };
  }
  try {
    const seedStartedAt = performance.now();
    const seeded = await seedCommunes(db, model, {
      at: START_AT,
      registrations: false,
      states: false,
      status: () => 'submitted',
    });
    const seedMs = performance.now() - seedStartedAt;
    const { store } = seeded;
    const evaluation = await communeEvaluation(model);
    const deps = { model, store, now: () => START_AT, log: silentLogger };
    const ids = communesOf(model);
    const city = consolidationNode(model);
    const storeReads = () => (store as unknown as { reads?: number }).reads ?? NaN;
    const run: ScaleRun = {
      units,
      backend,
      ...(emulatorKind ? { emulatorKind } : {}),
      seededDocuments: seeded.documents,
      seedMs,
      incremental: { reads: [], writes: [], ms: [], storeReads: [] },
      recompute: { reads: [], ms: [] },
      consistent: true,
      largestAggregateKB: 0,
      largestNodeKB: 0,
      largestPartKB: 0,
    };
    for (let j = 0; j < changes; j++) {
      const unitId = ids[(j * 7919) % ids.length]!;
      const sub = submissionFor(model, evaluation, unitId, j + 2, START_AT, unitScale(unitId) * (1.05 + j / 100));
      await db.doc(store.submissionRef(ROUND, unitId).path).set(sub);

      let before = counts();
      let storeBefore = storeReads();
      let startedAt = performance.now();
      await aggregateSubmission(deps, ROUND, unitId);
      run.incremental.ms.push(performance.now() - startedAt);
      let after = counts();
      run.incremental.reads.push(after.reads - before.reads);
      run.incremental.writes.push(after.writes - before.writes);
      run.incremental.storeReads.push(storeReads() - storeBefore);

      const stored = await store.aggregate(ROUND, city);
      if (j < recomputes) {
        before = counts();
        storeBefore = storeReads();
        startedAt = performance.now();
        const nodes = await recomputeEverything(model, store);
        run.recompute.ms.push(performance.now() - startedAt);
        after = counts();
        run.recompute.reads.push(after.reads - before.reads);
        const expected = nodes.get(city)?.totals ?? {};
        if (canonicalJson(expected) !== canonicalJson(stored?.totals ?? {})) {
          run.consistent = false;
          run.firstDifference ??=
            Object.entries(expected)
              .flatMap(([t, byCode]) =>
                Object.entries(byCode)
                  .filter(([code, v]) => stored?.totals[t]?.[code] !== v)
                  .map(
                    ([code, v]) =>
                      `change ${j} (${unitId}): ${t}.${code} recomputed ${v}, stored ${stored?.totals[t]?.[code]}`,
                  ),
              )
              .at(0) ?? 'stored city aggregate missing';
        }
      }
    }
    const kilobytesOf = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc)) / 1024;
    for (const node of await store.aggregatesOfRound(ROUND))
      run.largestNodeKB = Math.max(run.largestNodeKB, kilobytesOf(node));
    for (const part of await store.aggregatePartsOfRound(ROUND))
      run.largestPartKB = Math.max(run.largestPartKB, kilobytesOf(part));
    run.largestAggregateKB = Math.max(run.largestNodeKB, run.largestPartKB);
    ctx.log(
      `${emulatorKind ? `${emulatorKind} emulator` : backend} ${units} units: seeded ${seeded.documents} docs in ${(seedMs / 1000).toFixed(1)} s; reads/change ${mean(run.incremental.reads)} (recompute ${mean(run.recompute.reads)}), ${mean(run.incremental.ms).toFixed(1)} ms vs ${mean(run.recompute.ms).toFixed(0)} ms${run.consistent ? '' : ', CITY TOTAL INCONSISTENT'}`,
    );
    return run;
  } finally {
    await close();
  }
}

export const firestoreBench: Benchmark = {
  id: 'firestore',
  title: 'Firestore reads per change vs recompute-everything',
  async run(ctx) {
    const runs: ScaleRun[] = [];
    for (const units of SIZES) runs.push(await runScale(ctx, units, 'memory', ctx.quick ? 5 : 15, ctx.quick ? 2 : 3));
    for (const units of [30, 600]) runs.push(await runScale(ctx, units, 'emulator', ctx.quick ? 3 : 6, 2));

    const memory = runs.filter((r) => r.backend === 'memory');
    const flatValue = mean(memory[0]!.incremental.reads);
    const flat = memory.every((r) => r.incremental.reads.every((x) => x === flatValue));
    const agree = runs
      .filter((r) => r.backend === 'emulator')
      .every((emulatorRun) => {
        const memoryRun = memory.find((x) => x.units === emulatorRun.units)!;
        return (
          mean(emulatorRun.incremental.reads) === mean(memoryRun.incremental.reads) &&
          mean(emulatorRun.recompute.reads) === mean(memoryRun.recompute.reads)
        );
      });
    const consistent = runs.every((r) => r.consistent);
    const emulatorNote = runs
      .filter((r) => r.backend === 'emulator')
      .map((r) => `${r.units}: ${mean(r.incremental.reads)} vs ${mean(r.recompute.reads)}`)
      .join(', ');
    const figures = memory.map((r) =>
      figure({
        id: `firestore.readsPerChange.${r.units}`,
        label: `Firestore reads per change, ${r.units.toLocaleString('en')} units`,
        value: mean(r.incremental.reads),
        unit: 'reads',
        baseline: { label: 'recompute everything', value: mean(r.recompute.reads) },
        target: 'flat in units',
        met: flat && consistent,
        note: `${mean(r.incremental.writes)} writes/change; ${mean(r.incremental.ms).toFixed(1)} ms vs ${mean(r.recompute.ms).toFixed(0)} ms in memory; largest aggregate document ${r.largestAggregateKB.toFixed(1)} KB (node ${r.largestNodeKB.toFixed(1)} KB, part ${r.largestPartKB.toFixed(1)} KB; Firestore's limit: 1,024 KB)${r.units === 30 ? `; emulator cross-check (${runs.find((x) => x.emulatorKind)?.emulatorKind === 'official' ? "Google's emulator" : 'in-process stand-in'}) ${agree ? 'agrees' : 'DISAGREES'} (${emulatorNote})` : ''}${consistent ? '' : `; city total inconsistent: ${runs.find((x) => x.firstDifference)?.firstDifference}`}`,
      }),
    );
    return {
      figures,
      details: {
        flat,
        emulatorAgrees: agree,
        consistent,
        runs: runs.map((r) => ({
          ...r,
          incremental: {
            reads: stats(r.incremental.reads),
            writes: stats(r.incremental.writes),
            ms: stats(r.incremental.ms),
            storeReads: stats(r.incremental.storeReads),
          },
          recompute: { reads: stats(r.recompute.reads), ms: stats(r.recompute.ms) },
        })),
      },
    };
  },
};
