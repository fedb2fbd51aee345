/**
 * Triggered by a write to a unit's submission: recompute the path from that unit up to the
 * root. The event only says which document changed; the current submission is read again,
 * so duplicated, retried or reordered events all converge on the same totals. A unit's own
 * sequence number is its version count, which only grows (a Drive version would start
 * again from 1 in a replacement sheet). Firestore reads per change: the submission, the unit's
 * node, then two per level above (the node and the part its child holds in it), whatever the
 * number of units or children.
 */
import { totalsFromSubmission } from '../core/aggregate.js';
import type { CampaignModel } from '../core/campaign-model.js';
import type { Logger } from './log.js';
import { requestMasterRefresh } from './master.js';
import type { Store } from './ports.js';

export interface AggregationDeps {
  model: CampaignModel;
  store: Store;
  now: () => number;
  log: Logger;
}

export interface AggregationResult {
  /** Nodes whose totals changed, from the unit upwards. */
  updated: string[];
}

export async function aggregateSubmission(
  deps: AggregationDeps,
  roundId: string,
  unitId: string,
): Promise<AggregationResult> {
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
  const ownUpdate = await store.updateNode(
    roundId,
    unitId,
    unit.parent,
    { own: totalsFromSubmission(submission.totals), ownSeq: submission.versionCount },
    now,
  );
  if (ownUpdate.changed) updated.push(unitId);
  let node = ownUpdate.node;
  // Every level is offered the node below even when that node did not change: a delivery that
  // failed half-way up (the unit's node stored, its parent not) is retried, and the retry must
  // finish the path. A level that already holds the child's sequence number changes nothing.
  for (const ancestor of model.ancestors(unitId)) {
    const ancestorUpdate = await store.updateNode(
      roundId,
      ancestor.id,
      ancestor.parent,
      { childId: node.nodeId, totals: node.totals, seq: node.seq, contributors: node.contributors },
      now,
    );
    if (ancestorUpdate.changed) updated.push(ancestor.id);
    node = ancestorUpdate.node;
  }
  if (updated.length) await requestMasterRefresh(store, now, { roundId, unitId }); // the unit and the nodes above it
  return { updated };
}
