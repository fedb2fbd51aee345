/**
 * Award nominations: who may propose what (scope, award), per-unit quotas, eligibility
 * from the title history, the dossier, and the same nominee proposed twice. The quota and
 * eligibility functions take plain nominations so the sweep and master sheet reuse them.
 */
import type {
  EligibilityCategory,
  ListTable,
  NomineeScope,
  NomineeType,
  Quota,
} from '../../sheets-schema/campaign-schema.js';
import { a1 } from './a1.js';
import type { CampaignModel } from './campaign-model.js';
import { isBlankCell } from './grid.js';
import type { Issue, IssueCollector } from './issues.js';
import { fillTemplate, formatViNumber } from './messages.js';
import type { LocatedList } from './locate.js';
import { nameKey, readListEntries, type ListEntry } from './lists.js';

/**
 * A nominee's own verdict, apart from the unit's report. When several apply the first of
 * ineligible > incomplete > over_quota wins: an ineligible nominee stays so whatever papers are
 * added, and a row beyond the quota is only worth trimming once the others are in order. Every
 * reason stays listed in the nominee's `issues`.
 */
export type NomineeVerdict = 'ok' | 'incomplete' | 'ineligible' | 'over_quota';

/** One problem of a nominee, as the unit and the coordinators read it. */
export interface NomineeIssue {
  cell: string | null;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface Nomination {
  rowNo: number;
  /** A1 of the nominee's name cell. */
  cell: string;
  award: string | null;
  type: NomineeType | null;
  scope: NomineeScope | null;
  name: string | null;
  position: string | null;
  titles: Record<string, string | null>;
  giayKhen: number | null;
  bangKhen: number | null;
  summary: string | null;
  reportConfirmed: boolean;
  originalSets: number | null;
  /** "Thuộc diện xét danh hiệu thi đua: Không": criteria limited to assessed nominees are not applied. */
  exempt: boolean;
  /** Loose key of the name for duplicate detection. */
  key: string | null;
  /** false: fails a criterion; null: cannot tell yet (titles not all entered); true: meets the checkable criteria. */
  eligible: boolean | null;
  ineligibleReasons: string[];
  verdict: NomineeVerdict;
  /** Every problem found on the nominee's row (and the unit's missing dossier), errors and warnings. */
  issues: NomineeIssue[];
}

export interface OtherNomination {
  unitId: string;
  unitName: string;
  key: string;
  award: string | null;
}

export type QuotaLimitKind = 'total' | 'collective' | 'individual';

export interface QuotaOverrun {
  award: string;
  scope: Quota['scope'];
  kind: QuotaLimitKind;
  limit: number;
  count: number;
  description: string;
  /** Indexes (into the list given) of the entries beyond the limit, in order. */
  excess: number[];
}

type Nominee = Pick<Nomination, 'award' | 'type' | 'scope'>;

function overrunsFor(
  rows: { award: string; scope: Quota['scope']; limits: Quota['limits']; description: string }[],
  noms: Nominee[],
): QuotaOverrun[] {
  const out: QuotaOverrun[] = [];
  for (const quota of rows) {
    const matching = noms
      .map((n, i) => ({ n, i }))
      .filter(
        ({ n }) => n.award === quota.award && n.type !== null && (quota.scope === 'any' || n.scope === quota.scope),
      );
    const check = (kind: QuotaLimitKind, limit: number | undefined, pick: (n: Nominee) => boolean) => {
      if (limit === undefined) return;
      const hits = matching.filter(({ n }) => pick(n));
      if (hits.length > limit)
        out.push({
          award: quota.award,
          scope: quota.scope,
          kind,
          limit,
          count: hits.length,
          description: quota.description,
          excess: hits.slice(limit).map((h) => h.i),
        });
    };
    check('total', quota.limits.total, () => true);
    check('collective', quota.limits.collective, (n) => n.type === 'collective');
    check('individual', quota.limits.individual, (n) => n.type === 'individual');
  }
  return out;
}

export function quotasFor(model: CampaignModel, unitKind: string): Quota[] {
  return model.campaign.quotas.filter((q) => q.kinds === '*' || q.kinds.includes(unitKind));
}

/** Per-unit quota check (section IV.4). */
export function unitQuotaOverruns(model: CampaignModel, unitKind: string, noms: Nominee[]): QuotaOverrun[] {
  return overrunsFor(quotasFor(model, unitKind), noms);
}

/** City-level shortlist for the Ministry, checked against its own quota. */
export function shortlistOverruns(model: CampaignModel, shortlisted: Nominee[]): QuotaOverrun[] {
  const shortlist = model.campaign.cityShortlist;
  return overrunsFor(
    shortlist.limits.map((l) => ({
      award: shortlist.award,
      scope: l.scope,
      limits: l.limits,
      description: l.description,
    })),
    shortlisted,
  );
}

export function eligibilityCategory(
  model: CampaignModel,
  scope: NomineeScope | null,
  type: NomineeType | null,
): EligibilityCategory | undefined {
  return model.campaign.eligibility.categories.find((c) => c.scope === scope && c.type === type);
}

export interface EligibilityProblem {
  code: string;
  /** Which title year or field the problem is about (for locating the cell). */
  field: { kind: 'title'; year: string } | { kind: 'commendations' } | { kind: 'extra-title' };
  params: Record<string, string | number>;
  definite: boolean;
}

/** Section IV.3, the checkable parts: every year at least the base title; more for the higher awards. */
/** Which of a category's title criteria apply to a nominee (an exempt one skips those the plan limits to assessed nominees). */
export function applicableCriteria(
  cat: EligibilityCategory,
  exempt: boolean,
  award: string | null,
): { minimumEveryYear: boolean; extraTitle: boolean; commendations: boolean } {
  const extra = award !== null && cat.extra.awards.includes(award);
  const applies = (c: 'minimumEveryYear' | 'extraTitle') => !exempt || !cat.onlyWhenAssessed.includes(c);
  return {
    minimumEveryYear: applies('minimumEveryYear'),
    extraTitle: extra && applies('extraTitle'),
    commendations: extra,
  };
}

export function assessEligibility(
  model: CampaignModel,
  nom: Pick<Nomination, 'award' | 'type' | 'scope' | 'name' | 'titles' | 'giayKhen' | 'bangKhen'> & {
    exempt?: boolean;
  },
): { eligible: boolean | null; problems: EligibilityProblem[] } {
  const cat = eligibilityCategory(model, nom.scope, nom.type);
  if (!cat) return { eligible: null, problems: [] };
  const criteria = applicableCriteria(cat, nom.exempt ?? false, nom.award);
  const titlesNeeded = criteria.minimumEveryYear || criteria.extraTitle;
  const problems: EligibilityProblem[] = [];
  const rank = (title: string) => cat.ladder.indexOf(title);
  const minRank = rank(cat.minimumEveryYear);
  const name = nom.name ?? '(chưa ghi tên)';
  const label = (v: string) => model.optionLabel(titleOptionsOf(model), v);
  let unknown = false;
  for (const y of model.campaign.eligibility.years.map(String)) {
    const title = nom.titles[y] ?? null;
    if (title === null) {
      if (!titlesNeeded) continue;
      unknown = true;
      problems.push({
        code: 'khen_thuong.title_missing',
        field: { kind: 'title', year: y },
        params: { year: y, name, minimum: label(cat.minimumEveryYear) },
        definite: false,
      });
      continue;
    }
    const titleRank = rank(title);
    // A title of another category's ladder is a wrong choice; an option in no ladder at all
    // ("Không đạt danh hiệu") is simply below every minimum.
    if (titleRank === -1 && inSomeLadder(model, title)) {
      problems.push({
        code: 'khen_thuong.title_not_in_ladder',
        field: { kind: 'title', year: y },
        params: { typed: label(title), category: cat.label, ladder: cat.ladder.map(label).join(', ') },
        definite: true,
      });
    } else if (criteria.minimumEveryYear && titleRank < minRank) {
      problems.push({
        code: 'khen_thuong.ineligible_title',
        field: { kind: 'title', year: y },
        params: { year: y, name, title: label(title), minimum: label(cat.minimumEveryYear) },
        definite: true,
      });
    }
  }
  if (nom.award && criteria.commendations) {
    const awardName = model.award(nom.award).name;
    const years = Object.values(nom.titles).filter((t) => t !== null && rank(t) >= rank(cat.extra.title)).length;
    if (criteria.extraTitle && years < cat.extra.minYears) {
      problems.push({
        code: 'khen_thuong.ineligible_extra_title',
        field: { kind: 'extra-title' },
        params: {
          award: awardName,
          category: cat.label,
          minYears: cat.extra.minYears,
          title: label(cat.extra.title),
          name,
          years,
        },
        definite: !unknown,
      });
    }
    const commendations = cat.extra.commendations;
    const actual = commendations.of.reduce(
      (sum, k) => sum + ((k === 'giay_khen' ? nom.giayKhen : nom.bangKhen) ?? 0),
      0,
    );
    if (actual < commendations.count) {
      problems.push({
        code: 'khen_thuong.ineligible_commendations',
        field: { kind: 'commendations' },
        params: {
          award: awardName,
          category: cat.label,
          count: commendations.count,
          what: commendations.label,
          name,
          actual: formatViNumber(actual),
        },
        definite: true,
      });
    }
  }
  const definite = problems.some((p) => p.definite);
  return { eligible: definite ? false : unknown ? null : true, problems };
}

/** The option list the title fields use (the first title field's options). */
function titleOptionsOf(model: CampaignModel): string {
  const table = model.campaign.tables.find((t): t is ListTable => t.kind === 'list' && t.role === 'nominations');
  const field = table?.fields.find((f) => f.code === Object.values(table.nominationFields?.titles ?? {})[0]);
  return field?.type === 'choice' ? field.options : '';
}

/** Whether a title belongs to any category's ladder (options in none, like "did not achieve a title", rank below all). */
function inSomeLadder(model: CampaignModel, title: string): boolean {
  return model.campaign.eligibility.categories.some((c) => c.ladder.includes(title));
}

function toNomination(table: ListTable, entry: ListEntry): Nomination {
  const fields = table.nominationFields!;
  const str = (code: string) => (entry.values[code] as string | null | undefined) ?? null;
  const num = (code: string) => (entry.values[code] as number | null | undefined) ?? null;
  const nameCell = entry.cells[fields.name] ?? Object.values(entry.cells)[0]!;
  const name = str(fields.name);
  return {
    rowNo: entry.rowNo,
    cell: a1(nameCell.row, nameCell.col),
    award: str(fields.award),
    type: str(fields.type) as NomineeType | null,
    scope: str(fields.scope) as NomineeScope | null,
    name,
    position: str(fields.position),
    titles: Object.fromEntries(Object.entries(fields.titles).map(([y, code]) => [y, str(code)])),
    giayKhen: num(fields.giayKhen),
    bangKhen: num(fields.bangKhen),
    summary: str(fields.summary),
    reportConfirmed: entry.values[fields.reportConfirmed] === true,
    originalSets: num(fields.originalSets),
    exempt: fields.assessed !== undefined && entry.values[fields.assessed] === 'khong',
    key: name ? nameKey(name) : null,
    eligible: null,
    ineligibleReasons: [],
    verdict: 'ok',
    issues: [],
  };
}

export interface NominationsResult {
  nominations: Nomination[];
  /** The tab and the 0-based sheet row of each nomination (same order), to tell its issues apart. */
  sheetTitle: string;
  sheetRows: number[];
  /** Sheet rows of the unit-level dossier block. */
  dossierRows: number[];
  dossier: Record<string, boolean>;
  overruns: QuotaOverrun[];
  /** Dossier items still missing, in words (for reminders). */
  dossierMissing: string[];
}

export function evaluateNominations(
  model: CampaignModel,
  unitId: string,
  table: ListTable,
  located: LocatedList | undefined,
  issues: IssueCollector,
  others: OtherNomination[] = [],
): NominationsResult {
  const fields = table.nominationFields!;
  // An exempt nominee whose category needs no titles of it may leave the title columns blank.
  const titleCodes = new Set(Object.values(fields.titles));
  const entries = readListEntries(model, table, located, issues, (entry) => {
    if (!fields.assessed || entry.values[fields.assessed] !== 'khong') return new Set();
    const cat = eligibilityCategory(
      model,
      entry.values[fields.scope] as NomineeScope | null,
      entry.values[fields.type] as NomineeType | null,
    );
    if (!cat) return new Set();
    const criteria = applicableCriteria(cat, true, (entry.values[fields.award] as string | null) ?? null);
    return criteria.minimumEveryYear || criteria.extraTitle ? new Set() : titleCodes;
  });
  const unit = model.unit(unitId);
  const kind = model.kindOf(unitId);
  const sheetTitle = located?.sheet.title ?? table.sheetTitle;
  const at = (pos: { row: number; col: number } | undefined) =>
    pos ? { sheet: sheetTitle, row: pos.row, col: pos.col } : { sheet: sheetTitle, row: null, col: null };
  const nominations = entries.map((e) => toNomination(table, e));
  const scopeLabel = (s: string) => model.optionLabel(fieldOptions(table, fields.scope), s);

  // Who may propose what.
  const allowedQuotas = quotasFor(model, kind.id);
  nominations.forEach((nomination, nominationIndex) => {
    const entry = entries[nominationIndex]!;
    if (nomination.scope && !kind.nominates.includes(nomination.scope)) {
      issues.add('khen_thuong.scope_not_allowed', at(entry.cells[fields.scope]), {
        unit: unit.name,
        scope: scopeLabel(nomination.scope),
        allowed: kind.nominates.map(scopeLabel).join(', ') || 'không đề nghị khen thưởng',
      });
    } else if (
      nomination.award &&
      nomination.scope &&
      !allowedQuotas.some((q) => q.award === nomination.award && (q.scope === 'any' || q.scope === nomination.scope))
    ) {
      issues.add('khen_thuong.award_not_allowed', at(entry.cells[fields.award]), {
        unit: unit.name,
        award: model.award(nomination.award).name,
        scope: scopeLabel(nomination.scope),
      });
    }
  });

  const overruns = unitQuotaOverruns(model, kind.id, nominations);
  for (const overrun of overruns) {
    for (const idx of overrun.excess) {
      issues.add('khen_thuong.quota_exceeded', at(entries[idx]!.cells[fields.award]), {
        award: model.award(overrun.award).name,
        quota: overrun.description,
        count: overrun.count,
        excess: overrun.count - overrun.limit,
      });
    }
  }

  // Eligibility.
  nominations.forEach((nomination, nominationIndex) => {
    const entry = entries[nominationIndex]!;
    const { eligible, problems } = assessEligibility(model, nomination);
    nomination.eligible = eligible;
    for (const problem of problems) {
      const pos =
        problem.field.kind === 'title'
          ? entry.cells[fields.titles[problem.field.year]!]
          : problem.field.kind === 'commendations'
            ? entry.cells[fields.giayKhen]
            : entry.cells[fields.titles[String(model.campaign.eligibility.years[0])]!];
      if (problem.definite) {
        issues.add(problem.code, at(pos), problem.params);
        nomination.ineligibleReasons.push(
          fillTemplate(model.rule(problem.code).message, { ...problem.params, cell: pos ? a1(pos.row, pos.col) : '' }),
        );
      } else if (!entry.invalid.has(problem.field.kind === 'title' ? fields.titles[problem.field.year]! : '')) {
        issues.addPending(problem.code, at(pos), problem.params);
      }
    }
  });

  // Dossier (section IV.5): only asked for once something is nominated.
  const dossier: Record<string, boolean> = {};
  const dossierMissing: string[] = [];
  const form = located?.form;
  for (const field of table.formBlock?.fields ?? []) {
    const row = form?.rows.get(field.code);
    const cell =
      row !== undefined && form && form.valueCol >= 0 ? located!.sheet.rows[row]?.[form.valueCol] : undefined;
    const ticked = cell?.v === true || (typeof cell?.v === 'string' && cell.v.trim().toLowerCase() === 'true');
    if (cell && !isBlankCell(cell) && typeof cell.v !== 'boolean' && !/^(true|false)$/i.test(String(cell.v).trim())) {
      issues.add('value.invalid_checkbox', at(row !== undefined ? { row, col: form!.valueCol } : undefined), {
        label: field.label,
        typed: String(cell.v),
      });
    }
    dossier[field.code] = ticked;
    if (nominations.length > 0 && field.requiredWhenEntries && !ticked) {
      dossierMissing.push(field.label);
      issues.addPending(
        'khen_thuong.dossier_unit_missing',
        at(row !== undefined && form!.valueCol >= 0 ? { row, col: form!.valueCol } : undefined),
        { label: field.label },
      );
    }
  }
  nominations.forEach((nomination, nominationIndex) => {
    const entry = entries[nominationIndex]!;
    const who = nomination.name ?? `dòng ${nomination.rowNo}`;
    if (!nomination.reportConfirmed && !entry.invalid.has(fields.reportConfirmed)) {
      dossierMissing.push(`báo cáo thành tích của ${who}`);
      issues.addPending('khen_thuong.dossier_report_missing', at(entry.cells[fields.reportConfirmed]), { name: who });
    }
    if (nomination.award && !entry.invalid.has(fields.originalSets)) {
      const required = model.award(nomination.award).originalSets;
      if (nomination.originalSets === null || nomination.originalSets < required) {
        dossierMissing.push(`số bộ hồ sơ bản chính của ${who}`);
        issues.addPending('khen_thuong.original_sets', at(entry.cells[fields.originalSets]), {
          award: model.award(nomination.award).name,
          required,
          actual: nomination.originalSets === null ? 'chưa ghi' : formatViNumber(nomination.originalSets),
        });
      }
    }
  });

  // The same nominee twice: within the unit, then across units.
  const firstByKey = new Map<string, Nomination>();
  nominations.forEach((nomination, nominationIndex) => {
    if (!nomination.key) return;
    const prev = firstByKey.get(nomination.key);
    if (prev) {
      issues.add('khen_thuong.duplicate_in_unit', at(entries[nominationIndex]!.cells[fields.name]), {
        name: nomination.name!,
        otherRow: prev.rowNo,
        otherAward: prev.award ? model.award(prev.award).name : 'chưa chọn hình thức',
      });
    } else firstByKey.set(nomination.key, nomination);
    for (const other of others) {
      if (other.unitId === unitId || other.key !== nomination.key) continue;
      issues.add('khen_thuong.duplicate_across_units', at(entries[nominationIndex]!.cells[fields.name]), {
        name: nomination.name!,
        otherUnit: other.unitName,
        otherAward: other.award ? model.award(other.award).name : 'chưa chọn hình thức',
      });
    }
  });

  const dossierRows = form ? [...form.rows.values()] : [];
  return {
    nominations,
    dossier,
    overruns,
    dossierMissing,
    sheetTitle,
    sheetRows: entries.map((e) => e.row),
    dossierRows,
  };
}

const INELIGIBLE_CODES = new Set([
  'khen_thuong.scope_not_allowed',
  'khen_thuong.award_not_allowed',
  'khen_thuong.ineligible_title',
  'khen_thuong.title_not_in_ladder',
  'khen_thuong.ineligible_extra_title',
  'khen_thuong.ineligible_commendations',
]);
const OVER_QUOTA_CODES = new Set(['khen_thuong.quota_exceeded']);

/**
 * Each nominee's verdict from the issues on its row: `definite` are the issues found (errors
 * whatever the state of the workbook), `pending` the completeness problems (a nominee missing
 * a field or a paper is incomplete whether or not the unit has sent). `dossierIssues` are the
 * unit-level papers still missing: without them no nominee of the unit can be processed.
 */
export function judgeNominees(
  nominations: Nomination[],
  sheetTitle: string,
  sheetRows: number[],
  definite: Issue[],
  pending: Issue[],
  dossierIssues: Issue[],
): void {
  const brief = (i: Issue): NomineeIssue => ({ cell: i.cell, code: i.code, severity: i.severity, message: i.message });
  nominations.forEach((nomination, idx) => {
    const row = sheetRows[idx];
    const onRow = (i: Issue) => i.sheet === sheetTitle && i.row === row;
    const found = definite.filter(onRow);
    const missing = pending.filter(onRow);
    const errors = found.filter((i) => i.severity === 'error');
    const ineligible = errors.some((i) => INELIGIBLE_CODES.has(i.code));
    const incomplete =
      missing.length > 0 ||
      dossierIssues.length > 0 ||
      errors.some((i) => !INELIGIBLE_CODES.has(i.code) && !OVER_QUOTA_CODES.has(i.code));
    const over = errors.some((i) => OVER_QUOTA_CODES.has(i.code));
    nomination.verdict = ineligible ? 'ineligible' : incomplete ? 'incomplete' : over ? 'over_quota' : 'ok';
    const byCell = (a: Issue, b: Issue) => (a.col ?? -1) - (b.col ?? -1) || a.code.localeCompare(b.code);
    nomination.issues = [...found, ...missing].sort(byCell).concat(dossierIssues).map(brief);
  });
}

/** The campaign's nominations list, if it has one. */
export function nominationsTable(model: CampaignModel): ListTable | undefined {
  return model.campaign.tables.find((t): t is ListTable => t.kind === 'list' && t.role === 'nominations');
}

/** The verdict in the campaign's words ("Hợp lệ", "Vượt định mức"…). */
export function verdictLabel(model: CampaignModel, table: ListTable | undefined, verdict: NomineeVerdict): string {
  const options = table?.verdictColumn?.options;
  return options ? model.optionLabel(options, verdict) : verdict;
}

/** Units of one locality that both nominate for the award the plan allows once per locality. */
export interface LocalityOverlap {
  locality: string;
  award: string;
  unitIds: string[];
  message: string;
}

/**
 * "Các đơn vị, địa phương lựa chọn tối đa 01": a district's UBND and its police are separate
 * nominating units with a quota each; when both nominate for the per-locality award (the quota
 * row with kinds "*" and a total limit), the coordinators must see it for that locality.
 */
export function localityOverlaps(
  model: CampaignModel,
  nominationsByUnit: Map<string, { award: string | null }[]>,
): LocalityOverlap[] {
  const perLocality = model.campaign.quotas.filter((q) => q.kinds === '*' && q.limits.total !== undefined);
  const out: LocalityOverlap[] = [];
  const localities = new Map<string, string[]>();
  for (const unit of model.campaign.units)
    if (unit.locality) localities.set(unit.locality, [...(localities.get(unit.locality) ?? []), unit.id]);
  for (const quota of perLocality) {
    for (const [locality, unitIds] of localities) {
      const nominating = unitIds.filter((id) => (nominationsByUnit.get(id) ?? []).some((n) => n.award === quota.award));
      const count = nominating.reduce(
        (sum, id) => sum + nominationsByUnit.get(id)!.filter((n) => n.award === quota.award).length,
        0,
      );
      if (nominating.length < 2 || count <= quota.limits.total!) continue;
      const message = fillTemplate(model.rule('khen_thuong.bkbca_same_locality').message, {
        locality: localityName(model, unitIds),
        units: nominating.map((id) => model.unit(id).name).join(' và '),
        award: model.award(quota.award).name,
      });
      out.push({ locality, award: quota.award, unitIds: nominating, message });
    }
  }
  return out;
}

/** "Ba Đình" from the units of the locality ("UBND quận Ba Đình", "Công an quận Ba Đình"): the longest common ending. */
function localityName(model: CampaignModel, unitIds: string[]): string {
  const names = unitIds.map((id) => model.unit(id).name.split(' '));
  let sharedWords = 0;
  while (
    names.every(
      (n) => sharedWords < n.length && n[n.length - 1 - sharedWords] === names[0]![names[0]!.length - 1 - sharedWords],
    )
  )
    sharedWords++;
  return sharedWords > 0 ? `Địa bàn ${names[0]!.slice(-sharedWords).join(' ')}` : `Địa bàn ${unitIds.join(', ')}`;
}

function fieldOptions(table: ListTable, code: string): string {
  const field = table.fields.find((x) => x.code === code);
  return field?.type === 'choice' ? field.options : '';
}
