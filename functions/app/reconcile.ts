/**
 * Scheduled repair: every node recomputed from the accepted submissions and compared with what
 * is stored; whatever drifted (a crash between storing a submission and aggregating it, a lost
 * event, a race the local emulator does not isolate) is rewritten. Also refreshes the peer
 * statistics the outlier warnings use.
 */
import { computeAllNodes, totalsFromSubmission, type NodeTotals } from '../core/aggregate.js';
import { canonicalJson } from '../core/canonical-json.js';
import { computePeerStats } from '../core/statistics.js';
import type { AggregateRecord } from './records.js';
import type { AggregationDeps } from './aggregate.js';
import { requestMasterRefresh } from './master.js';

export interface ReconcileResult {
  roundId: string;
  repaired: string[];
  /** Nodes that changed while this run computed them (a live aggregation won). */
  skipped: string[];
  checked: number;
}

export async function reconcileRound(deps: AggregationDeps, roundId: string): Promise<ReconcileResult> {
  const { model, store } = deps;
  const now = deps.now();
  // Aggregates are read before submissions, and each repair is written only if its node did
  // not change since: a live aggregation that runs meanwhile always wins, and a repair never
  // puts back numbers older than the ones it replaces. What is skipped, the next run checks.
  const stored = new Map((await store.aggregatesOfRound(roundId)).map((a) => [a.nodeId, a]));
  const submissions = await store.submissionsOfRound(roundId);
  const known = submissions.filter((s) => model.findUnit(s.unitId));
  const own = new Map<string, NodeTotals>(known.map((s) => [s.unitId, totalsFromSubmission(s.totals)]));
  const ownSeq = new Map(known.map((s) => [s.unitId, s.versionCount]));
  const expected = computeAllNodes(model, own);

  const repaired: string[] = [];
  const skipped: string[] = [];
  // Children before parents, so each parent records its children's new sequence numbers.
  const depth = (id: string) => model.ancestors(id).length;
  const order = [...expected.values()].sort((a, b) => depth(b.nodeId) - depth(a.nodeId));
  const seqOf = new Map<string, number>();
  for (const node of order) {
    const current = stored.get(node.nodeId);
    const children = Object.fromEntries(
      Object.entries(node.children)
        .filter(([, c]) => c.contributors > 0)
        .map(([id, c]) => [id, { totals: c.totals, contributors: c.contributors, seq: seqOf.get(id) ?? stored.get(id)?.seq ?? 0 }]),
    );
    const childTotals = (c: Record<string, { totals: NodeTotals; contributors: number }>) =>
      canonicalJson(Object.fromEntries(Object.entries(c).filter(([, v]) => v.contributors > 0).map(([k, v]) => [k, v.totals])));
    const same =
      current &&
      canonicalJson(current.totals) === canonicalJson(node.totals) &&
      canonicalJson(current.own) === canonicalJson(node.own) &&
      current.contributors === node.contributors &&
      childTotals(current.children) === childTotals(children);
    if (same) {
      seqOf.set(node.nodeId, current.seq);
      continue;
    }
    if (!current && node.contributors === 0) continue; // nothing to store for an empty subtree
    const record: AggregateRecord = {
      nodeId: node.nodeId,
      roundId,
      parentId: node.parentId,
      own: node.own,
      ownSeq: ownSeq.get(node.nodeId) ?? 0,
      children,
      totals: node.totals,
      contributors: node.contributors,
      seq: (current?.seq ?? 0) + 1,
      updatedAt: now,
    };
    if (!(await store.replaceAggregateIfUnchanged(record, current?.seq ?? null))) {
      skipped.push(node.nodeId);
      continue;
    }
    seqOf.set(node.nodeId, record.seq);
    repaired.push(node.nodeId);
  }
  if (repaired.length) {
    deps.log.warn('aggregates repaired from source submissions', { roundId, repaired: repaired.slice(0, 50), count: repaired.length });
    // The master shows the repaired numbers only once it is rebuilt.
    await requestMasterRefresh(store, now);
  }
  if (skipped.length) deps.log.info('aggregates changed while reconciling; left for the next run', { roundId, skipped: skipped.slice(0, 50), count: skipped.length });

  const byKind = new Map<string, (typeof known)[number]['values'][]>();
  for (const s of known) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s.values]);
  for (const [kind, values] of byKind) await store.putPeerStats(roundId, kind, computePeerStats(values), now);
  return { roundId, repaired, skipped, checked: expected.size };
}
