/**
 * Triggered by a write to a unit's submission: recompute the path from that unit up to the
 * root. The event only says which document changed; the current submission is read again,
 * so duplicated, retried or reordered events all converge on the same totals. Firestore reads
 * per change: the submission plus one node per level, whatever the number of units.
 */
import { totalsFromSubmission } from '../core/aggregate.js';
import type { CampaignModel } from '../core/campaign-model.js';
import type { FirestoreStore } from '../adapters/firestore-store.js';
import type { Logger } from './log.js';
import { requestMasterRefresh } from './master.js';

export interface AggregationDeps {
  model: CampaignModel;
  store: FirestoreStore;
  now: () => number;
  log: Logger;
}

export interface AggregationResult {
  /** Nodes whose totals changed, from the unit upwards. */
  updated: string[];
}

export async function aggregateSubmission(deps: AggregationDeps, roundId: string, unitId: string): Promise<AggregationResult> {
  const { model, store } = deps;
  const unit = model.findUnit(unitId);
  if (!unit || !model.findRound(roundId)) {
    deps.log.warn('submission for an unknown unit or round; not aggregated', { roundId, unitId });
    return { updated: [] };
  }
  const submission = await store.submission(roundId, unitId);
  if (!submission) return { updated: [] };
  const now = deps.now();
  const updated: string[] = [];
  let { node, changed } = await store.updateNode(roundId, unitId, unit.parent, { own: totalsFromSubmission(submission.totals), ownSeq: submission.sourceVersion }, now);
  if (!changed) return { updated };
  updated.push(unitId);
  for (const ancestor of model.ancestors(unitId)) {
    const r = await store.updateNode(roundId, ancestor.id, ancestor.parent, { childId: node.nodeId, totals: node.totals, seq: node.seq, contributors: node.contributors }, now);
    if (!r.changed) break;
    updated.push(ancestor.id);
    node = r.node;
  }
  await requestMasterRefresh(store, now);
  return { updated };
}
