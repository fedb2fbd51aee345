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

/** A node's hierarchy totals (its own figures plus its descendants'), as the aggregates hold them. */
export interface NodeFigures {
  totals: NodeTotals;
  contributors: number;
}

export interface GroupConsolidation {
  id: string;
  label: string;
  subtotalLabel: string;
  headline: boolean;
  /** One row per unit of the group that files figures in the round, in registry order. */
  rows: { unitId: string; totals: NodeTotals; contributors: number }[];
  subtotal: NodeTotals;
  contributors: number;
}

export interface Consolidation {
  groups: GroupConsolidation[];
  /** The city's headline figure: the headline groups' units only, never the others (no double counting). */
  headline: NodeFigures;
}

/** The groups the campaign declares, or one headline group of every kind that files figures. */
export function consolidationGroups(model: CampaignModel) {
  if (model.campaign.consolidation) return model.campaign.consolidation.groups;
  const figureTables = new Set(model.figuresTables().map((t) => t.id));
  const kinds = model.campaign.unitKinds.filter((k) => Object.keys(k.tables).some((t) => figureTables.has(t))).map((k) => k.id);
  return [{ id: 'don-vi', label: 'Đơn vị', subtotalLabel: 'Cộng', kinds, headline: true }];
}

function filesFigures(model: CampaignModel, unitId: string, roundId: string): boolean {
  return model.tablesFor(unitId, roundId).some(({ table }) => table.kind === 'figures');
}

/**
 * Consolidation by group for one round, from each node's hierarchy totals. A unit whose
 * ancestor is in the same set (a commune under a district of the same group) is already in
 * that ancestor's totals, so it shows as a row but is not added again; the same holds across
 * the headline groups. Units that file no figures (police, CATP departments) have no row.
 */
export function consolidateByGroups(model: CampaignModel, roundId: string, nodes: (unitId: string) => NodeFigures | undefined): Consolidation {
  const figures = (unitId: string): NodeFigures => nodes(unitId) ?? { totals: {}, contributors: 0 };
  const topmost = (unitIds: string[]) => {
    const set = new Set(unitIds);
    return unitIds.filter((id) => !model.ancestors(id).some((a) => set.has(a.id)));
  };
  const add = (unitIds: string[]): NodeFigures => {
    const top = topmost(unitIds).map(figures);
    return { totals: sumTotals(top.map((f) => f.totals)), contributors: top.reduce((n, f) => n + f.contributors, 0) };
  };
  const groups = consolidationGroups(model).map((g): GroupConsolidation => {
    const kinds = new Set(g.kinds);
    const members = model.campaign.units.filter((u) => kinds.has(u.kind) && filesFigures(model, u.id, roundId)).map((u) => u.id);
    const { totals, contributors } = add(members);
    return {
      id: g.id,
      label: g.label,
      subtotalLabel: g.subtotalLabel,
      headline: g.headline,
      rows: members.map((unitId) => ({ unitId, ...figures(unitId) })),
      subtotal: totals,
      contributors,
    };
  });
  const headline = add(groups.filter((g) => g.headline).flatMap((g) => g.rows.map((r) => r.unitId)));
  return { groups, headline };
}
