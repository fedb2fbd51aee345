/**
 * Consolidation up the unit hierarchy. Each node's totals are recomputed from its own
 * submission and its direct children's totals, never incremented, so replaying, duplicating
 * or reordering events cannot drift the numbers.
 */
import type { CampaignModel } from './campaign-model.js';
import type { FigureTotals } from './figures.js';
import { roundFigure } from './figures.js';

/** table → indicator → summed period totals across units (null: nobody reported it). */
export type NodeTotals = Record<string, Record<string, number | null>>;

/** Across units both flow and stock indicators add up (a stock's period total is already its last value). */
export function sumTotals(parts: (NodeTotals | null | undefined)[]): NodeTotals {
  const out: NodeTotals = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [table, byCode] of Object.entries(part)) {
      const target = (out[table] ??= {});
      for (const [code, v] of Object.entries(byCode)) {
        if (v === null || v === undefined) {
          if (!(code in target)) target[code] = null;
          continue;
        }
        target[code] = roundFigure((target[code] ?? 0) + v);
      }
    }
  }
  return out;
}

export function totalsFromSubmission(totals: Record<string, FigureTotals>): NodeTotals {
  return sumTotals([totals]);
}

export interface ComputedNode {
  nodeId: string;
  parentId: string | null;
  own: NodeTotals | null;
  children: Record<string, { totals: NodeTotals; contributors: number }>;
  totals: NodeTotals;
  contributors: number;
}

/**
 * Every node of the hierarchy recomputed from source submissions: what the scheduled
 * reconciliation compares against the stored aggregates to repair drift.
 */
export function computeAllNodes(model: CampaignModel, submissions: Map<string, NodeTotals>): Map<string, ComputedNode> {
  const out = new Map<string, ComputedNode>();
  const visit = (nodeId: string): ComputedNode => {
    const done = out.get(nodeId);
    if (done) return done;
    const own = submissions.get(nodeId) ?? null;
    const children: ComputedNode['children'] = {};
    for (const child of model.children(nodeId)) {
      const c = visit(child.id);
      children[child.id] = { totals: c.totals, contributors: c.contributors };
    }
    const node: ComputedNode = {
      nodeId,
      parentId: model.unit(nodeId).parent,
      own,
      children,
      totals: sumTotals([own, ...Object.values(children).map((c) => c.totals)]),
      contributors: (own ? 1 : 0) + Object.values(children).reduce((n, c) => n + c.contributors, 0),
    };
    out.set(nodeId, node);
    return node;
  };
  for (const u of model.campaign.units) visit(u.id);
  return out;
}
