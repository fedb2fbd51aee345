/**
 * Consolidation up the unit hierarchy. A node's totals are its own submission's plus its direct
 * children's. computeAllNodes recomputes them from scratch; the stored aggregates apply one
 * child's change at a time to an exact ledger (TotalsLedger), guarded by per-child sequence
 * numbers so that replaying, duplicating or reordering events cannot drift the numbers.
 */
import type { CampaignModel } from './campaign-model.js';
import type { FigureTotals } from './figures.js';

/** table → indicator → summed period totals across units (null: nobody reported it). */
export type NodeTotals = Record<string, Record<string, number | null>>;

/**
 * Across units both flow and stock indicators add up (a stock's period total is already its last
 * value). Summed in millionths, roundFigure's grid, through the same ledger the stored nodes keep
 * (TotalsLedger): the result does not depend on the order of the parts, and a node kept by deltas
 * reads exactly what this computes afresh. (Adding rounded floats one by one, as this did before,
 * gives the same numbers below 10^9, and drifts off the grid above: 3136239896.800001.)
 */
export function sumTotals(parts: (NodeTotals | null | undefined)[]): NodeTotals {
  return totalsOfLedger(ledgerOf(parts));
}

/**
 * Running sums that let a node take one part's change as a delta (old part out, new part in)
 * and still hold exactly what sumTotals would compute from every part afresh. Per table: how
 * many parts hold the table; per indicator: the sum in millionths (roundFigure's grid, so
 * every figure is an integer there and integer sums are exact and order-free), how many parts
 * hold a number for it, and how many hold the key at all. Those two counts keep sumTotals'
 * null semantics: a number once any part has one, null when parts hold only nulls, absent
 * when no part holds the key. Bounded by the number of indicators, whatever the parts.
 *
 * Exact while every figure and every partial sum stays below 9 × 10^9 in absolute value (2^53
 * millionths: integers a double holds exactly), so deltas in any order equal the sum afresh,
 * bit for bit (test/core/aggregate-ledger.test.ts). The campaigns' largest figures are counts of
 * people and budgets in millions of đồng: a city's total is far below.
 */
export type TotalsLedger = Record<string, { parts: number; codes: Record<string, LedgerEntry> }>;
/** [sum in millionths, parts with a number, parts with the key]. */
export type LedgerEntry = [number, number, number];

const MICRO = 1e6;
/** A figure on roundFigure's grid as an integer count of millionths. */
export const toMicro = (v: number): number => Math.round(v * MICRO);

/** Adds (sign 1) or removes (sign −1) one part's totals; entries no part holds any more are dropped. */
export function applyToLedger(ledger: TotalsLedger, part: NodeTotals | null | undefined, sign: 1 | -1): void {
  if (!part) return;
  for (const [table, byCode] of Object.entries(part)) {
    const tableLedger = (ledger[table] ??= { parts: 0, codes: {} });
    tableLedger.parts += sign;
    for (const [code, value] of Object.entries(byCode)) {
      const entry = (tableLedger.codes[code] ??= [0, 0, 0]);
      const isNumber = value !== null && value !== undefined;
      if (isNumber) {
        entry[0] += sign * toMicro(value);
        entry[1] += sign;
      }
      entry[2] += sign;
      // -0 and 0 mean the same; keep one so a ledger built by deltas equals one built afresh.
      if (entry[0] === 0) entry[0] = 0;
      if (entry[2] === 0) delete tableLedger.codes[code];
    }
    if (tableLedger.parts === 0) delete ledger[table];
  }
}

export function ledgerOf(parts: (NodeTotals | null | undefined)[]): TotalsLedger {
  const ledger: TotalsLedger = {};
  for (const part of parts) applyToLedger(ledger, part, 1);
  return ledger;
}

/** The totals the ledger stands for: sumTotals over the parts it was built from. */
export function totalsOfLedger(ledger: TotalsLedger): NodeTotals {
  const out: NodeTotals = {};
  for (const [table, { codes }] of Object.entries(ledger)) {
    const target: Record<string, number | null> = (out[table] = {});
    for (const [code, [micro, numbers]] of Object.entries(codes)) target[code] = numbers > 0 ? micro / MICRO : null;
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
      const computedChild = visit(child.id);
      children[child.id] = { totals: computedChild.totals, contributors: computedChild.contributors };
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
  for (const unit of model.campaign.units) visit(unit.id);
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
  const kinds = model.campaign.unitKinds
    .filter((k) => Object.keys(k.tables).some((t) => figureTables.has(t)))
    .map((k) => k.id);
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
export function consolidateByGroups(
  model: CampaignModel,
  roundId: string,
  nodes: (unitId: string) => NodeFigures | undefined,
): Consolidation {
  const figures = (unitId: string): NodeFigures => nodes(unitId) ?? { totals: {}, contributors: 0 };
  const topmost = (unitIds: string[]) => {
    const set = new Set(unitIds);
    return unitIds.filter((id) => !model.ancestors(id).some((a) => set.has(a.id)));
  };
  const add = (unitIds: string[]): NodeFigures => {
    const top = topmost(unitIds).map(figures);
    return { totals: sumTotals(top.map((f) => f.totals)), contributors: top.reduce((n, f) => n + f.contributors, 0) };
  };
  const groups = consolidationGroups(model).map((group): GroupConsolidation => {
    const kinds = new Set(group.kinds);
    const members = model.campaign.units
      .filter((u) => kinds.has(u.kind) && filesFigures(model, u.id, roundId))
      .map((u) => u.id);
    const { totals, contributors } = add(members);
    return {
      id: group.id,
      label: group.label,
      subtotalLabel: group.subtotalLabel,
      headline: group.headline,
      rows: members.map((unitId) => ({ unitId, ...figures(unitId) })),
      subtotal: totals,
      contributors,
    };
  });
  const headline = add(groups.filter((g) => g.headline).flatMap((g) => g.rows.map((r) => r.unitId)));
  return { groups, headline };
}
