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
  let hash = 2166136261;
  for (const character of text) hash = Math.imul(hash ^ character.codePointAt(0)!, 16777619) >>> 0;
  return hash;
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
export function viTyped(value: number, rng: Rng): Typed {
  if (!Number.isInteger(value))
    return value
      .toFixed(2)
      .replace(/0+$/, '')
      .replace('.', ',')
      .replace(/\B(?=(\d{3})+(?!\d),)/g, '.');
  return value >= 1000 && rng() < 0.5 ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.') : value;
}

/**
 * `kindId`: the unit's kind, selecting its documented ranges; `size` (0.6 … 1.6) puts bigger units
 * higher in a range, never outside it.
 */
export function generateFigures(
  model: CampaignModel,
  table: FiguresTable,
  periods: string[],
  size: number,
  rng: Rng,
  kindId?: string,
): Record<string, Record<string, number>> {
  const values: Record<string, Record<string, number>> = Object.fromEntries(periods.map((p) => [p, {}]));
  const periodWeight = (period: string) => {
    const { from, to } = model.period(period);
    return Math.min(1, (Date.parse(to) - Date.parse(from) + 86_400_000) / (365 * 86_400_000));
  };
  const ranges: RangeTable = (kindId !== undefined ? FIGURE_RANGES[kindId] : undefined) ?? {};
  const ranged = table.indicators.filter(
    (ind) =>
      ranges[ind.code] !== undefined &&
      (ranges[ind.code]!.per === undefined || table.indicators.some((x) => x.code === ranges[ind.code]!.per)),
  );
  const position = () => Math.min(1, Math.max(0, (size - 0.6) * 0.5 + rng() * 0.5));
  const round = (type: 'integer' | 'decimal', v: number) =>
    type === 'integer' ? Math.max(0, Math.round(v)) : Math.round(v * 100) / 100;
  // Indicators given as a multiple or share of another come after it, whatever the column order.
  const pending = [...ranged];
  while (pending.length) {
    const index = pending.findIndex((ind) => {
      const per = ranges[ind.code]!.per;
      return per === undefined || !pending.some((x) => x.code === per);
    });
    if (index < 0) throw new Error(`figure-ranges: vòng lặp "per" trong bảng ${table.id}`);
    const [ind] = pending.splice(index, 1) as [FiguresTable['indicators'][number]];
    const row = ranges[ind.code]!;
    const { range, per } = row;
    const pick = () => range[0] + position() * (range[1] - range[0]);
    let stock: number | undefined;
    for (const period of periods) {
      let value: number;
      if (per !== undefined) value = pick() * values[period]![per]!;
      else if (ind.aggregate === 'stock')
        value = stock = stock === undefined ? pick() : Math.min(range[1], stock * (1 + rng() * 0.03));
      else value = pick() * periodFactor(row, ind.aggregate, model.period(period));
      values[period]![ind.code] = round(ind.type, value);
    }
  }
  for (const ind of table.indicators) {
    if (ranged.includes(ind)) continue;
    const [low, high] = magnitude(ind.unit);
    let stock = (low + rng() * (high - low)) * size;
    for (const period of periods) {
      let value: number;
      if (ind.aggregate === 'stock') {
        stock *= 1 + rng() * 0.08;
        value = stock;
      } else value = (low + rng() * (high - low)) * size * periodWeight(period);
      values[period]![ind.code] =
        ind.type === 'integer' ? Math.max(0, Math.round(value)) : Math.round(value * 100) / 100;
    }
  }
  // The schema's consistency rules, satisfied the way a careful clerk would.
  for (let pass = 0; pass < 3; pass++) {
    for (const rule of model.rulesOfKind('lte')) {
      if (rule.table !== table.id) continue;
      for (const period of periods) {
        const periodValues = values[period]!;
        if ((periodValues[rule.left] ?? 0) > (periodValues[rule.right] ?? 0))
          periodValues[rule.left] = Math.floor((periodValues[rule.right] ?? 0) * (0.3 + rng() * 0.5));
      }
    }
    for (const rule of model.rulesOfKind('zero-implies-zero')) {
      if (rule.table !== table.id) continue;
      for (const period of periods) if (values[period]![rule.ifZero] === 0) values[period]![rule.thenZero] = 0;
    }
  }
  return values;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quang', 'Thanh', 'Ngọc'];
const GIVEN = [
  'An',
  'Bình',
  'Hà',
  'Hùng',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Phương',
  'Sơn',
  'Thảo',
  'Tuấn',
  'Hương',
  'Dũng',
];
const COLLECTIVES = [
  'Tổ dân phố số 5',
  'Trường THCS Lê Lợi',
  'Công an phường',
  'Đội Xây dựng phong trào',
  'Ban bảo vệ dân phố số 3',
  'Hội Cựu chiến binh phường',
  'Công ty cổ phần Thăng Long',
  'Bệnh viện đa khoa',
  'Tổ an ninh nhân dân thôn Đoài',
];

export const personName = (rng: Rng) =>
  `${FAMILY[Math.floor(rng() * FAMILY.length)]} ${MIDDLE[Math.floor(rng() * MIDDLE.length)]} ${GIVEN[Math.floor(rng() * GIVEN.length)]}`;
const collectiveName = (rng: Rng, unitName: string) =>
  `${COLLECTIVES[Math.floor(rng() * COLLECTIVES.length)]}, ${unitName.replace(/^(UBND|Công an) /, '')}`;

export function figureEntries(model: CampaignModel, unitId: string, roundId: string, size: number, rng: Rng): Entry[] {
  const out: Entry[] = [];
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'figures') continue;
    const periods = model.round(roundId).periods;
    const values = generateFigures(model, table, periods, size, rng, model.kindOf(unitId).id);
    for (const period of periods)
      for (const ind of table.indicators)
        out.push({
          kind: 'figure',
          table: table.id,
          period: period,
          code: ind.code,
          value: viTyped(values[period]![ind.code]!, rng),
        });
  }
  return out;
}

export function outlineEntries(model: CampaignModel, unitId: string, roundId: string, rng: Rng): Entry[] {
  const out: Entry[] = [];
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'checklist') continue;
    let page = 2;
    for (const section of table.sections) {
      for (const item of section.items) {
        page += 1 + Math.floor(rng() * 2);
        if (rng() < 0.6)
          out.push({
            kind: 'checklist',
            table: table.id,
            item: item.code,
            column: 'tham_chieu',
            value: `tr. ${page}–${page + 1}`,
          });
        else
          out.push({
            kind: 'checklist',
            table: table.id,
            item: item.code,
            column: 'noi_dung',
            value: `Đã thực hiện đầy đủ; số liệu cụ thể tại mục ${item.code} báo cáo đính kèm.`,
          });
      }
    }
  }
  return out;
}

function listFieldValue(
  model: CampaignModel,
  table: ListTable,
  field: ListTable['fields'][number],
  rng: Rng,
  unitName: string,
): Typed {
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
      return field.required
        ? `${collectiveName(rng, unitName)}: cách làm hay trong tổ chức Ngày hội, huy động đông đảo nhân dân tham gia.`
        : null;
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
    const count = activities ? 1 + Math.floor(rng() * 3) : table.minEntries + Math.floor(rng() * 2);
    for (let i = 0; i < count; i++) {
      for (const field of table.fields) {
        const value =
          activities && field.code === table.activityFields?.participants
            ? 50 + Math.floor(rng() * 400)
            : field.type === 'text' && field.maxLength <= 300
              ? i % 2
                ? personName(rng)
                : collectiveName(rng, unitName)
              : listFieldValue(model, table, field, rng, unitName);
        out.push({ kind: 'list', table: table.id, index: i, field: field.code, value });
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
export function nominationEntries(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  plan: NomineePlan[],
  rng: Rng,
): Entry[] {
  const out: Entry[] = [];
  const unitName = model.unit(unitId).name;
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'list' || table.role !== 'nominations' || !table.nominationFields) continue;
    const fields = table.nominationFields;
    const label = (fieldCode: string, value: string) => {
      const field = table.fields.find((x) => x.code === fieldCode);
      return field?.type === 'choice' ? model.optionLabel(field.options, value) : value;
    };
    plan.forEach((nominee, index) => {
      const cat = model.campaign.eligibility.categories.find(
        (c) => c.scope === nominee.scope && c.type === nominee.type,
      )!;
      const put = (field: string, value: Typed) =>
        out.push({ kind: 'list', table: table.id, index: index, field, value });
      put(fields.award, label(fields.award, nominee.award));
      put(fields.type, label(fields.type, nominee.type));
      put(fields.scope, label(fields.scope, nominee.scope));
      put(fields.name, nominee.type === 'individual' ? personName(rng) : collectiveName(rng, unitName));
      put(fields.position, nominee.type === 'individual' ? `Cán bộ, ${unitName}` : unitName);
      const years = Object.entries(fields.titles);
      years.forEach(([_, code], y) => {
        const title =
          nominee.ineligible && y === 2
            ? (model.options(optionsOf(table, code)).find((o) => !cat.ladder.includes(o.value))?.value ??
              cat.minimumEveryYear)
            : y < cat.extra.minYears + 1
              ? cat.extra.title
              : cat.minimumEveryYear;
        put(code, label(code, title));
      });
      put(fields.giayKhen, 1 + Math.floor(rng() * 3));
      put(fields.bangKhen, 1 + Math.floor(rng() * 2));
      put(
        fields.summary,
        'Tích cực tham mưu, tổ chức Ngày hội toàn dân bảo vệ ANTQ; phát hiện, cung cấp nhiều tin có giá trị.',
      );
      put(fields.reportConfirmed, true);
      put(fields.originalSets, model.award(nominee.award).originalSets);
    });
    for (const field of table.formBlock?.fields ?? [])
      out.push({ kind: 'form', table: table.id, field: field.code, value: plan.length > 0 });
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
    for (const quota of model.campaign.quotas) {
      if (quota.award === model.campaign.cityShortlist.award) continue; // the highest award is added below, at most one
      if (!(quota.kinds === '*' || quota.kinds.includes(kind.id)) || quota.scope !== scope) continue;
      if ((quota.limits.collective ?? 0) > 0 && rng() < 0.7)
        plan.push({ award: quota.award, type: 'collective', scope });
      if ((quota.limits.individual ?? 0) > 0) plan.push({ award: quota.award, type: 'individual', scope });
    }
  }
  if (kind.nominates.length && rng() < 0.5)
    plan.push({
      award: model.campaign.cityShortlist.award,
      type: rng() < 0.5 ? 'collective' : 'individual',
      scope: kind.nominates[0]!,
    });
  return plan;
}

export function confirmationEntries(model: CampaignModel, rng: Rng, submit: boolean): Entry[] {
  return model.campaign.confirmation.fields.map((field) => {
    const value: Typed =
      field.type === 'submit-checkbox'
        ? submit
        : field.type === 'phone'
          ? `09${Math.floor(10 + rng() * 89)} ${Math.floor(100 + rng() * 899)} ${Math.floor(100 + rng() * 899)}`
          : field.type === 'url'
            ? `https://drive.google.com/file/d/${seedOf(String(rng())).toString(36)}/view`
            : personName(rng);
    return { kind: 'form', table: 'xac_nhan', field: field.code, value } as Entry;
  });
}
