/**
 * Look-ups derived from a validated campaign: the only way the core reads the schema,
 * so no campaign fact is spelled out in code.
 */
import type {
  Campaign,
  ChecklistTable,
  FiguresTable,
  Indicator,
  ListTable,
  Period,
  Round,
  Rule,
  Table,
  Unit,
  UnitKind,
} from '../../sheets-schema/campaign-schema.js';
import { addCivilDays, startOfCivilDate } from './time.js';

export type TableRequirement = 'required' | 'optional';

export class UnknownReferenceError extends Error {
  constructor(
    readonly what: 'unit' | 'round' | 'table' | 'rule' | 'period' | 'award' | 'kind' | 'options',
    readonly id: string,
  ) {
    super(`unknown ${what} "${id}"`);
    this.name = 'UnknownReferenceError';
  }
}

export class CampaignModel {
  private readonly unitsById: Map<string, Unit>;
  private readonly kindsById: Map<string, UnitKind>;
  private readonly roundsById: Map<string, Round>;
  private readonly periodsById: Map<string, Period>;
  private readonly tablesById: Map<string, Table>;
  private readonly rulesByCode: Map<string, Rule>;
  private readonly childrenById = new Map<string, Unit[]>();
  private readonly dueAtByRound = new Map<string, number>();

  constructor(readonly campaign: Campaign) {
    this.unitsById = new Map(campaign.units.map((u) => [u.id, u]));
    this.kindsById = new Map(campaign.unitKinds.map((k) => [k.id, k]));
    this.roundsById = new Map(campaign.rounds.map((r) => [r.id, r]));
    this.periodsById = new Map(campaign.periods.map((p) => [p.id, p]));
    this.tablesById = new Map(campaign.tables.map((t) => [t.id, t]));
    this.rulesByCode = new Map(campaign.rules.map((r) => [r.code, r]));
    for (const unit of campaign.units) {
      if (!unit.parent) continue;
      const list = this.childrenById.get(unit.parent) ?? [];
      list.push(unit);
      this.childrenById.set(unit.parent, list);
    }
  }

  get id(): string {
    return this.campaign.id;
  }
  get timeZone(): string {
    return this.campaign.timeZone;
  }

  findUnit(id: string): Unit | undefined {
    return this.unitsById.get(id);
  }
  unit(id: string): Unit {
    const unit = this.unitsById.get(id);
    if (!unit) throw new UnknownReferenceError('unit', id);
    return unit;
  }
  kindOf(unitId: string): UnitKind {
    const kindId = this.unit(unitId).kind;
    const kind = this.kindsById.get(kindId);
    if (!kind) throw new UnknownReferenceError('kind', kindId);
    return kind;
  }
  findRound(id: string): Round | undefined {
    return this.roundsById.get(id);
  }
  round(id: string): Round {
    const round = this.roundsById.get(id);
    if (!round) throw new UnknownReferenceError('round', id);
    return round;
  }
  period(id: string): Period {
    const period = this.periodsById.get(id);
    if (!period) throw new UnknownReferenceError('period', id);
    return period;
  }
  table(id: string): Table {
    const table = this.tablesById.get(id);
    if (!table) throw new UnknownReferenceError('table', id);
    return table;
  }
  figuresTables(): FiguresTable[] {
    return this.campaign.tables.filter((t): t is FiguresTable => t.kind === 'figures');
  }
  figuresTable(id: string): FiguresTable {
    const table = this.table(id);
    if (table.kind !== 'figures') throw new UnknownReferenceError('table', id);
    return table;
  }
  listTable(id: string): ListTable {
    const table = this.table(id);
    if (table.kind !== 'list') throw new UnknownReferenceError('table', id);
    return table;
  }
  checklistTable(id: string): ChecklistTable {
    const table = this.table(id);
    if (table.kind !== 'checklist') throw new UnknownReferenceError('table', id);
    return table;
  }
  indicator(tableId: string, code: string): Indicator | undefined {
    return this.figuresTable(tableId).indicators.find((i) => i.code === code);
  }

  /** Tables a unit fills in a round, in the campaign's table order. */
  tablesFor(unitId: string, roundId: string): { table: Table; requirement: TableRequirement }[] {
    const kind = this.kindOf(unitId);
    const round = this.round(roundId);
    return this.campaign.tables
      .filter((t) => round.tables.includes(t.id) && kind.tables[t.id])
      .map((t) => ({ table: t, requirement: kind.tables[t.id] as TableRequirement }));
  }
  /** A unit is expected in a round when at least one of its tables there is required. */
  isExpected(unitId: string, roundId: string): boolean {
    return this.tablesFor(unitId, roundId).some((t) => t.requirement === 'required');
  }
  /** A unit has a workbook in a round when it fills any table there. */
  hasWorkbook(unitId: string, roundId: string): boolean {
    return this.tablesFor(unitId, roundId).length > 0;
  }
  reportingUnits(): Unit[] {
    return this.campaign.units.filter((u) => Object.keys(this.kindOf(u.id).tables).length > 0);
  }

  rule(code: string): Rule {
    const rule = this.rulesByCode.get(code);
    if (!rule) throw new UnknownReferenceError('rule', code);
    return rule;
  }
  rulesOfKind<K extends Rule['kind']>(kind: K): Extract<Rule, { kind: K }>[] {
    return this.campaign.rules.filter((r): r is Extract<Rule, { kind: K }> => r.kind === kind);
  }

  options(name: string): { value: string; label: string }[] {
    const choices = this.campaign.options[name];
    if (!choices) throw new UnknownReferenceError('options', name);
    return choices;
  }
  optionLabel(name: string, value: string): string {
    return this.options(name).find((o) => o.value === value)?.label ?? value;
  }
  award(id: string) {
    const award = this.campaign.awards.find((x) => x.id === id);
    if (!award) throw new UnknownReferenceError('award', id);
    return award;
  }

  children(unitId: string): Unit[] {
    return this.childrenById.get(unitId) ?? [];
  }
  /** From the unit's parent up to the root. */
  ancestors(unitId: string): Unit[] {
    const out: Unit[] = [];
    for (let ancestorId = this.unit(unitId).parent; ancestorId; ancestorId = this.unit(ancestorId).parent)
      out.push(this.unit(ancestorId));
    return out;
  }
  roots(): Unit[] {
    return this.campaign.units.filter((u) => u.parent === null);
  }

  /**
   * First instant that is late. "Trước ngày 15/7/2020" read strictly ('before-date') means
   * received by 14/07/2020 23:59:59 local time, so the first late instant is 15/07 00:00.
   */
  dueAt(roundId: string): number {
    // Asked once per unit on every master refresh; a time-zone computation each time cost
    // 60 ms of a refresh at 600 units.
    let due = this.dueAtByRound.get(roundId);
    if (due === undefined) {
      const round = this.round(roundId);
      const reading = round.deadlineReading ?? this.campaign.deadlineReading;
      const firstLateDate = reading === 'before-date' ? round.dueDate : addCivilDays(round.dueDate, 1);
      due = startOfCivilDate(firstLateDate, this.timeZone);
      this.dueAtByRound.set(roundId, due);
    }
    return due;
  }
  /** The last civil date that is still on time ('2020-07-14' for "trước ngày 15/7/2020"). */
  lastOnTimeDate(roundId: string): string {
    const round = this.round(roundId);
    const reading = round.deadlineReading ?? this.campaign.deadlineReading;
    return reading === 'before-date' ? addCivilDays(round.dueDate, -1) : round.dueDate;
  }
  lockAt(roundId: string): number {
    return Date.parse(this.round(roundId).lockAt);
  }
}

const models = new WeakMap<Campaign, CampaignModel>();
export function modelOf(campaign: Campaign): CampaignModel {
  let model = models.get(campaign);
  if (!model) models.set(campaign, (model = new CampaignModel(campaign)));
  return model;
}
