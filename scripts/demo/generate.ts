/**
 * Realistic submissions generated from the schema: figures of the indicators `figure-ranges.ts`
 * documents for the unit's kind lie in those plausible ranges (scaled by the period's length);
 * any other indicator (another campaign) gets a magnitude from its unit of measure and the unit's
 * size. Stocks grow slowly, and the schema's own rules (a ≤ b, no people without events) are
 * satisfied, so a clean submission validates and the demo's mistakes are the only errors.
 */
import type { FiguresTable, ListTable } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import type { Entry, Typed } from '../local-stack/clerk.js';

import type { Rng } from '../local-stack/seeded-random.js';
import { FIGURE_RANGES, periodFactor, type RangeTable } from './figure-ranges.js';

export function seedOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return h;
}

/** Typical yearly magnitude for a unit of measure. */
function magnitude(unit: string): [number, number] {
  if (/người/.test(unit)) return [800, 6000];
  if (/bản/.test(unit)) return [1500, 5000];
  if (/triệu/.test(unit)) return [150, 900];
  if (/lượt/.test(unit)) return [20, 120];
  if (/tin/.test(unit)) return [40, 300];
  return [5, 90];
}

/** Vietnamese typing: "1.234" for thousands, "12,5" for decimals, sometimes a bare number. */
export function viTyped(n: number, rng: Rng): Typed {
  if (!Number.isInteger(n)) return n.toFixed(2).replace(/0+$/, '').replace('.', ',').replace(/\B(?=(\d{3})+(?!\d),)/g, '.');
  return n >= 1000 && rng() < 0.5 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.') : n;
}

/**
 * `kindId`: the unit's kind, selecting its documented ranges; `size` (0.6 … 1.6) puts bigger units
 * higher in a range, never outside it.
 */
export function generateFigures(model: CampaignModel, table: FiguresTable, periods: string[], size: number, rng: Rng, kindId?: string): Record<string, Record<string, number>> {
  const values: Record<string, Record<string, number>> = Object.fromEntries(periods.map((p) => [p, {}]));
  const periodWeight = (p: string) => {
    const { from, to } = model.period(p);
    return Math.min(1, (Date.parse(to) - Date.parse(from) + 86_400_000) / (365 * 86_400_000));
  };
  const ranges: RangeTable = (kindId !== undefined ? FIGURE_RANGES[kindId] : undefined) ?? {};
  const ranged = table.indicators.filter((ind) => ranges[ind.code] !== undefined && (ranges[ind.code]!.per === undefined || table.indicators.some((x) => x.code === ranges[ind.code]!.per)));
  const position = () => Math.min(1, Math.max(0, (size - 0.6) * 0.5 + rng() * 0.5));
  const round = (type: 'integer' | 'decimal', v: number) => (type === 'integer' ? Math.max(0, Math.round(v)) : Math.round(v * 100) / 100);
  // Indicators given as a multiple or share of another come after it, whatever the column order.
  const pending = [...ranged];
  while (pending.length) {
    const i = pending.findIndex((ind) => {
      const per = ranges[ind.code]!.per;
      return per === undefined || !pending.some((x) => x.code === per);
    });
    if (i < 0) throw new Error(`figure-ranges: vòng lặp "per" trong bảng ${table.id}`);
    const [ind] = pending.splice(i, 1) as [FiguresTable['indicators'][number]];
    const row = ranges[ind.code]!;
    const { range, per } = row;
    const pick = () => range[0] + position() * (range[1] - range[0]);
    let stock: number | undefined;
    for (const p of periods) {
      let v: number;
      if (per !== undefined) v = pick() * values[p]![per]!;
      else if (ind.aggregate === 'stock') v = stock = stock === undefined ? pick() : Math.min(range[1], stock * (1 + rng() * 0.03));
      else v = pick() * periodFactor(row, ind.aggregate, model.period(p));
      values[p]![ind.code] = round(ind.type, v);
    }
  }
  for (const ind of table.indicators) {
    if (ranged.includes(ind)) continue;
    const [lo, hi] = magnitude(ind.unit);
    let stock = (lo + rng() * (hi - lo)) * size;
    for (const p of periods) {
      let v: number;
      if (ind.aggregate === 'stock') {
        stock *= 1 + rng() * 0.08;
        v = stock;
      } else v = (lo + rng() * (hi - lo)) * size * periodWeight(p);
      values[p]![ind.code] = ind.type === 'integer' ? Math.max(0, Math.round(v)) : Math.round(v * 100) / 100;
    }
  }
  // The schema's consistency rules, satisfied the way a careful clerk would.
  for (let pass = 0; pass < 3; pass++) {
    for (const rule of model.rulesOfKind('lte')) {
      if (rule.table !== table.id) continue;
      for (const p of periods) {
        const v = values[p]!;
        if ((v[rule.left] ?? 0) > (v[rule.right] ?? 0)) v[rule.left] = Math.floor((v[rule.right] ?? 0) * (0.3 + rng() * 0.5));
      }
    }
    for (const rule of model.rulesOfKind('zero-implies-zero')) {
      if (rule.table !== table.id) continue;
      for (const p of periods) if (values[p]![rule.ifZero] === 0) values[p]![rule.thenZero] = 0;
    }
  }
  return values;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quang', 'Thanh', 'Ngọc'];
const GIVEN = ['An', 'Bình', 'Hà', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phương', 'Sơn', 'Thảo', 'Tuấn', 'Hương', 'Dũng'];
const COLLECTIVES = ['Tổ dân phố số 5', 'Trường THCS Lê Lợi', 'Công an phường', 'Đội Xây dựng phong trào', 'Ban bảo vệ dân phố số 3', 'Hội Cựu chiến binh phường', 'Công ty cổ phần Thăng Long', 'Bệnh viện đa khoa', 'Tổ an ninh nhân dân thôn Đoài'];

export const personName = (rng: Rng) => `${FAMILY[Math.floor(rng() * FAMILY.length)]} ${MIDDLE[Math.floor(rng() * MIDDLE.length)]} ${GIVEN[Math.floor(rng() * GIVEN.length)]}`;
const collectiveName = (rng: Rng, unitName: string) => `${COLLECTIVES[Math.floor(rng() * COLLECTIVES.length)]}, ${unitName.replace(/^(UBND|Công an) /, '')}`;

export function figureEntries(model: CampaignModel, unitId: string, roundId: string, size: number, rng: Rng): Entry[] {
  const out: Entry[] = [];
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'figures') continue;
    const periods = model.round(roundId).periods;
    const values = generateFigures(model, table, periods, size, rng, model.kindOf(unitId).id);
    for (const p of periods) for (const ind of table.indicators) out.push({ kind: 'figure', table: table.id, period: p, code: ind.code, value: viTyped(values[p]![ind.code]!, rng) });
  }
  return out;
}

export function outlineEntries(model: CampaignModel, unitId: string, roundId: string, rng: Rng): Entry[] {
  const out: Entry[] = [];
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'checklist') continue;
    let page = 2;
    for (const s of table.sections) {
      for (const item of s.items) {
        page += 1 + Math.floor(rng() * 2);
        if (rng() < 0.6) out.push({ kind: 'checklist', table: table.id, item: item.code, column: 'tham_chieu', value: `tr. ${page}–${page + 1}` });
        else out.push({ kind: 'checklist', table: table.id, item: item.code, column: 'noi_dung', value: `Đã thực hiện đầy đủ; số liệu cụ thể tại mục ${item.code} báo cáo đính kèm.` });
      }
    }
  }
  return out;
}

function listFieldValue(model: CampaignModel, table: ListTable, field: ListTable['fields'][number], rng: Rng, unitName: string): Typed {
  switch (field.type) {
    case 'checkbox':
      return true;
    case 'date':
      return '19/08/2020';
    case 'integer':
      return 1 + Math.floor(rng() * 3);
    case 'choice': {
      const options = model.options(field.options);
      return options[Math.floor(rng() * options.length)]!.label;
    }
    case 'text':
      return field.required ? `${collectiveName(rng, unitName)}: cách làm hay trong tổ chức Ngày hội, huy động đông đảo nhân dân tham gia.` : null;
  }
  void table;
}

/** Typical examples: enough complete rows to satisfy the table's minimum; activities: one to three. */
export function exampleEntries(model: CampaignModel, unitId: string, roundId: string, rng: Rng): Entry[] {
  const out: Entry[] = [];
  const unitName = model.unit(unitId).name;
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'list' || (table.role !== 'examples' && table.role !== 'activities')) continue;
    const activities = table.role === 'activities';
    const n = activities ? 1 + Math.floor(rng() * 3) : table.minEntries + Math.floor(rng() * 2);
    for (let i = 0; i < n; i++) {
      for (const f of table.fields) {
        const value =
          activities && f.code === table.activityFields?.participants
            ? 50 + Math.floor(rng() * 400)
            : f.type === 'text' && f.maxLength <= 300
              ? i % 2
                ? personName(rng)
                : collectiveName(rng, unitName)
              : listFieldValue(model, table, f, rng, unitName);
        out.push({ kind: 'list', table: table.id, index: i, field: f.code, value });
      }
    }
  }
  return out;
}

export interface NomineePlan {
  award: string;
  type: 'collective' | 'individual';
  scope: 'cand' | 'outside';
  /** A title below the minimum in one year (the demo's ineligible nominee). */
  ineligible?: boolean;
}

/** Nominations within the unit's quotas, each eligible under the schema's ladders (unless planned otherwise). */
export function nominationEntries(model: CampaignModel, unitId: string, roundId: string, plan: NomineePlan[], rng: Rng): Entry[] {
  const out: Entry[] = [];
  const unitName = model.unit(unitId).name;
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'list' || table.role !== 'nominations' || !table.nominationFields) continue;
    const f = table.nominationFields;
    const label = (fieldCode: string, value: string) => {
      const field = table.fields.find((x) => x.code === fieldCode);
      return field?.type === 'choice' ? model.optionLabel(field.options, value) : value;
    };
    plan.forEach((n, i) => {
      const cat = model.campaign.eligibility.categories.find((c) => c.scope === n.scope && c.type === n.type)!;
      const put = (field: string, value: Typed) => out.push({ kind: 'list', table: table.id, index: i, field, value });
      put(f.award, label(f.award, n.award));
      put(f.type, label(f.type, n.type));
      put(f.scope, label(f.scope, n.scope));
      put(f.name, n.type === 'individual' ? personName(rng) : collectiveName(rng, unitName));
      put(f.position, n.type === 'individual' ? `Cán bộ, ${unitName}` : unitName);
      const years = Object.entries(f.titles);
      years.forEach(([_, code], y) => {
        const title = n.ineligible && y === 2 ? (model.options(optionsOf(table, code)).find((o) => !cat.ladder.includes(o.value))?.value ?? cat.minimumEveryYear) : y < cat.extra.minYears + 1 ? cat.extra.title : cat.minimumEveryYear;
        put(code, label(code, title));
      });
      put(f.giayKhen, 1 + Math.floor(rng() * 3));
      put(f.bangKhen, 1 + Math.floor(rng() * 2));
      put(f.summary, 'Tích cực tham mưu, tổ chức Ngày hội toàn dân bảo vệ ANTQ; phát hiện, cung cấp nhiều tin có giá trị.');
      put(f.reportConfirmed, true);
      put(f.originalSets, model.award(n.award).originalSets);
    });
    for (const ff of table.formBlock?.fields ?? []) out.push({ kind: 'form', table: table.id, field: ff.code, value: plan.length > 0 });
  }
  return out;
}

function optionsOf(table: ListTable, code: string): string {
  const field = table.fields.find((x) => x.code === code);
  return field?.type === 'choice' ? field.options : '';
}

/** Nominations that fit the unit's quotas: one of each allowed (award, scope, type) up to the smaller limits. */
export function planNominations(model: CampaignModel, unitId: string, rng: Rng): NomineePlan[] {
  const kind = model.kindOf(unitId);
  const plan: NomineePlan[] = [];
  for (const scope of kind.nominates) {
    for (const q of model.campaign.quotas) {
      if (q.award === model.campaign.cityShortlist.award) continue; // the highest award is added below, at most one
      if (!(q.kinds === '*' || q.kinds.includes(kind.id)) || q.scope !== scope) continue;
      if ((q.limits.collective ?? 0) > 0 && rng() < 0.7) plan.push({ award: q.award, type: 'collective', scope });
      if ((q.limits.individual ?? 0) > 0) plan.push({ award: q.award, type: 'individual', scope });
    }
  }
  if (kind.nominates.length && rng() < 0.5) plan.push({ award: model.campaign.cityShortlist.award, type: rng() < 0.5 ? 'collective' : 'individual', scope: kind.nominates[0]! });
  return plan;
}

export function confirmationEntries(model: CampaignModel, rng: Rng, submit: boolean): Entry[] {
  return model.campaign.confirmation.fields.map((f) => {
    const value: Typed =
      f.type === 'submit-checkbox' ? submit : f.type === 'phone' ? `09${Math.floor(10 + rng() * 89)} ${Math.floor(100 + rng() * 899)} ${Math.floor(100 + rng() * 899)}` : f.type === 'url' ? `https://drive.google.com/file/d/${seedOf(String(rng())).toString(36)}/view` : personName(rng);
    return { kind: 'form', table: 'xac_nhan', field: f.code, value } as Entry;
  });
}
