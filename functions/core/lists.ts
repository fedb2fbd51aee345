/** List tables (typical examples, activities, nominations): one entry per non-empty row, each field typed by the schema. */
import type { ListField, ListTable } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel } from './campaign-model.js';
import { isBlankCell, type GridCell } from './grid.js';
import type { IssueCollector } from './issues.js';
import type { LocatedList } from './locate.js';
import { quoteTyped } from './messages.js';
import { parseNumberCell, typedText } from './numbers.js';
import { formatCivilDate } from './time.js';

export type FieldValue = string | number | boolean | null;

export interface ListEntry {
  /** 0-based sheet row, for feedback. */
  row: number;
  /** Position in the list as a person counts it (1 = first row of the table). */
  rowNo: number;
  values: Record<string, FieldValue>;
  /** Fields whose cells hold something that could not be read (already reported). */
  invalid: Set<string>;
  /** A1 of each field's cell, for messages and feedback. */
  cells: Record<string, { row: number; col: number }>;
}

const FORMULA_LIKE = /^[=+\-@]/;

export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

/** Loose key for recognising the same nominee typed twice ("Nguyễn Văn  An" vs "nguyen van an"). */
export function nameKey(text: string): string {
  return normaliseText(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

function readCheckbox(cell: GridCell | null | undefined): boolean | 'invalid' {
  if (!cell || cell.v === null || cell.v === '') return false;
  if (typeof cell.v === 'boolean') return cell.v;
  if (typeof cell.v === 'string' && /^(true|false)$/i.test(cell.v.trim()))
    return cell.v.trim().toLowerCase() === 'true';
  return 'invalid';
}

const SERIAL_EPOCH = Date.UTC(1899, 11, 30); // Sheets' and Excel's day 0
const DAY_MS = 86_400_000;

/** YYYY-MM-DD when a real calendar date (not 31/02). */
function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A date cell as YYYY-MM-DD: a real date (a serial the reader marked as a date) or text typed
 * day first as Vietnamese staff write it (19/8/2020, 19-08-2020, 19.08.2020). A bare number
 * or anything else is refused rather than guessed.
 */
export function readDate(cell: GridCell): string | null {
  if (cell.kind === 'date' && typeof cell.v === 'number') {
    const date = new Date(SERIAL_EPOCH + Math.floor(cell.v) * DAY_MS);
    return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  }
  if (typeof cell.v !== 'string') return null;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(normaliseText(cell.v));
  return match ? isoDate(Number(match[3]), Number(match[2]), Number(match[1])) : null;
}

export function fieldLabel(field: ListField): string {
  return field.header.join(' – ');
}

function readField(
  model: CampaignModel,
  field: ListField,
  cell: GridCell | null | undefined,
  at: { sheet: string; row: number; col: number },
  rowNo: number,
  issues: IssueCollector,
): { value: FieldValue; invalid: boolean } {
  const label = `${fieldLabel(field)}, dòng ${rowNo}`;
  switch (field.type) {
    case 'checkbox': {
      const value = readCheckbox(cell);
      if (value === 'invalid') {
        issues.add('value.invalid_checkbox', at, { label, typed: quoteTyped(typedText(cell!)) });
        return { value: null, invalid: true };
      }
      return { value: value, invalid: false };
    }
    case 'integer': {
      const parsed = parseNumberCell(cell, 'integer');
      if (!parsed.ok) {
        issues.add(parsed.code, at, { ...parsed.params, label });
        return { value: null, invalid: true };
      }
      return { value: parsed.value, invalid: false };
    }
    case 'choice': {
      if (isBlankCell(cell)) return { value: null, invalid: false };
      const typed = normaliseText(typedText(cell!));
      const options = model.options(field.options);
      const match = options.find((o) => o.label.toLowerCase() === typed.toLowerCase() || o.value === typed);
      if (!match) {
        issues.add('value.invalid_choice', at, {
          label,
          typed: quoteTyped(typed),
          choices: options.map((o) => o.label).join('; '),
        });
        return { value: null, invalid: true };
      }
      return { value: match.value, invalid: false };
    }
    case 'date': {
      if (isBlankCell(cell)) return { value: null, invalid: false };
      const date = readDate(cell!);
      if (date === null) {
        issues.add('value.date_invalid', at, { label, typed: quoteTyped(typedText(cell!)) });
        return { value: null, invalid: true };
      }
      return { value: date, invalid: false };
    }
    case 'text': {
      if (isBlankCell(cell)) return { value: null, invalid: false };
      if (cell!.kind === 'error') {
        issues.add('value.error_value', at, { label, typed: String(cell!.v) });
        return { value: null, invalid: true };
      }
      const text = typeof cell!.v === 'string' ? cell!.v : typedText(cell!);
      const trimmed = text.trim();
      if (trimmed.length > field.maxLength) {
        issues.add('value.text_too_long', at, { label, length: trimmed.length, max: field.maxLength });
        return { value: null, invalid: true };
      }
      if (FORMULA_LIKE.test(trimmed)) issues.add('value.formula_like_text', at, { label, first: trimmed[0] });
      return { value: normaliseText(trimmed), invalid: false };
    }
  }
}

/** Reads every non-empty row; reports unreadable cells and, as pending, missing required fields. */
export function readListEntries(
  model: CampaignModel,
  table: ListTable,
  located: LocatedList | undefined,
  issues: IssueCollector,
  /** Required fields an entry may leave blank (a nominee exempt from title criteria needs no titles). */
  notRequired: (entry: ListEntry) => ReadonlySet<string> = () => new Set(),
): ListEntry[] {
  if (!located) return [];
  const sheet = located.sheet;
  const entries: ListEntry[] = [];
  located.rows.forEach((row, index) => {
    const cells = sheet.rows[row] ?? [];
    const anything = table.fields.some((field) => {
      const col = located.columns.get(field.code);
      if (col === undefined) return false;
      const cell = cells[col];
      return !isBlankCell(cell) && cell?.v !== false;
    });
    if (!anything) return;
    const entry: ListEntry = { row, rowNo: index + 1, values: {}, invalid: new Set(), cells: {} };
    for (const field of table.fields) {
      const col = located.columns.get(field.code);
      if (col === undefined) {
        entry.values[field.code] = null;
        continue;
      }
      entry.cells[field.code] = { row, col };
      const { value, invalid } = readField(
        model,
        field,
        cells[col],
        { sheet: sheet.title, row, col },
        entry.rowNo,
        issues,
      );
      entry.values[field.code] = value;
      if (invalid) entry.invalid.add(field.code);
    }
    const waived = notRequired(entry);
    for (const field of table.fields) {
      const pos = entry.cells[field.code];
      if (waived.has(field.code)) continue;
      if (!field.required || !pos || entry.invalid.has(field.code) || entry.values[field.code] !== null) continue;
      issues.addPending(
        'required.field',
        { sheet: sheet.title, ...pos },
        { rowNo: entry.rowNo, label: fieldLabel(field) },
      );
    }
    entries.push(entry);
  });
  return entries;
}

export function isComplete(table: ListTable, entry: ListEntry): boolean {
  return table.fields.every((f) => !f.required || (entry.values[f.code] !== null && !entry.invalid.has(f.code)));
}

export interface ListRecord {
  values: Record<string, FieldValue>;
  complete: boolean;
}

/** Typical examples (section III.2.e): at least `minEntries` complete rows at submission. Activities tables are read by evaluateActivities. */
export function evaluateExamples(
  model: CampaignModel,
  table: ListTable,
  located: LocatedList | undefined,
  issues: IssueCollector,
  roundId?: string,
): ListRecord[] {
  if (table.role === 'activities') return evaluateActivities(model, table, located, issues, roundId);
  const entries = readListEntries(model, table, located, issues);
  const complete = entries.filter((e) => isComplete(table, e));
  if (located && complete.length < table.minEntries) {
    const used = new Set(entries.map((e) => e.row));
    const freeRow = located.rows.find((r) => !used.has(r)) ?? located.rows[located.rows.length - 1];
    const firstField = located.columns.get(table.fields[0]!.code);
    const at =
      freeRow !== undefined && firstField !== undefined ? { row: freeRow, col: firstField } : { row: null, col: null };
    issues.addPending(
      'dien_hinh.too_few',
      { sheet: located.sheet.title, ...at },
      { min: table.minEntries, count: complete.length, ...(at.row === null ? { cell: table.sheetTitle } : {}) },
    );
  }
  return entries.map((e) => ({ values: e.values, complete: isComplete(table, e) }));
}

/** The form block's checkbox `code` on the sheet: ticked, and where it is. */
function formBox(
  located: LocatedList | undefined,
  code: string,
  label: string,
  issues: IssueCollector,
): { ticked: boolean; at: { row: number; col: number } | null } {
  const form = located?.form;
  const row = form?.rows.get(code);
  if (!located || !form || row === undefined || form.valueCol < 0) return { ticked: false, at: null };
  const cell = located.sheet.rows[row]?.[form.valueCol];
  const read = readCheckbox(cell);
  if (read === 'invalid')
    issues.add(
      'value.invalid_checkbox',
      { sheet: located.sheet.title, row, col: form.valueCol },
      { label, typed: quoteTyped(typedText(cell!)) },
    );
  return { ticked: read === true, at: { row, col: form.valueCol } };
}

/**
 * The supplementary round's activities: one row per activity, or the "no activity" box ticked.
 * Neither is an error at submission (at the list's first free row); both is a warning at the
 * box, since the rows are what the coordinators compile. A date outside the round's data
 * window is a warning (an activity of the previous round typed here, or a typing slip).
 */
export function evaluateActivities(
  model: CampaignModel,
  table: ListTable,
  located: LocatedList | undefined,
  issues: IssueCollector,
  roundId?: string,
): ListRecord[] {
  const entries = readListEntries(model, table, located, issues);
  if (!located) return [];
  const sheet = located.sheet.title;
  const boxField = table.formBlock?.fields.find((f) => f.code === table.noneBox);
  const box = boxField ? formBox(located, boxField.code, boxField.label, issues) : { ticked: false, at: null };
  const boxLabel = boxField?.label ?? '';
  if (entries.length === 0 && !box.ticked) {
    const firstField = located.columns.get(table.fields[0]!.code);
    const at =
      located.rows[0] !== undefined && firstField !== undefined
        ? { row: located.rows[0], col: firstField }
        : { row: null, col: null };
    issues.addPending(
      'hoat_dong.none',
      { sheet, ...at },
      { box: boxLabel, ...(at.row === null ? { cell: table.sheetTitle } : {}) },
    );
  }
  if (entries.length > 0 && box.ticked && box.at)
    issues.add('hoat_dong.none_and_rows', { sheet, ...box.at }, { box: boxLabel, count: entries.length });
  const window = roundId ? model.round(roundId).dataWindow : null;
  const dateCode = table.activityFields?.date;
  const dateField = table.fields.find((f) => f.code === dateCode);
  if (window && dateCode && dateField) {
    for (const entry of entries) {
      const date = entry.values[dateCode];
      const pos = entry.cells[dateCode];
      if (typeof date !== 'string' || !pos || (date >= window.from && date <= window.to)) continue;
      issues.add(
        'hoat_dong.date_outside_window',
        { sheet, ...pos },
        {
          label: `${fieldLabel(dateField)}, dòng ${entry.rowNo}`,
          date: formatCivilDate(date),
          from: formatCivilDate(window.from),
          to: formatCivilDate(window.to),
        },
      );
    }
  }
  return entries.map((e) => ({ values: e.values, complete: isComplete(table, e) }));
}

/** One activity as stored with a submission: the row's values by field code. */
export type ActivityRecord = Record<string, FieldValue>;

/** What a submission stores of the round's activities tables (only complete rows count). */
export function activityRecordsOf(
  model: CampaignModel,
  lists: Record<string, ListRecord[]>,
): Record<string, ActivityRecord[]> {
  const out: Record<string, ActivityRecord[]> = {};
  for (const [tableId, records] of Object.entries(lists)) {
    const table = model.campaign.tables.find((t) => t.id === tableId);
    if (table?.kind === 'list' && table.role === 'activities')
      out[tableId] = records.filter((r) => r.complete).map((r) => ({ ...r.values }));
  }
  return out;
}

export interface CompiledActivity {
  unitId: string;
  date: string | null;
  name: string | null;
  kind: string | null;
  level: string | null;
  participants: number | null;
  summary: string | null;
}

export interface ActivitiesCompiled {
  tableId: string;
  /** kind option value → level option value → number of activities and of participants. */
  byKindLevel: Record<string, Record<string, { activities: number; participants: number }>>;
  /** Every activity with its unit, by unit in registry order then as listed. */
  list: CompiledActivity[];
}

/** The round's activities compiled by kind and level; null when the round has no activities table. */
export function compileActivities(
  model: CampaignModel,
  roundId: string,
  submissions: { unitId: string; activities: Record<string, ActivityRecord[]> }[],
): ActivitiesCompiled | null {
  const round = model.round(roundId);
  const table = model.campaign.tables.find(
    (t): t is ListTable =>
      t.kind === 'list' && t.role === 'activities' && round.tables.includes(t.id) && t.activityFields !== undefined,
  );
  if (!table) return null;
  const fields = table.activityFields!;
  const order = new Map(model.campaign.units.map((u, i) => [u.id, i]));
  const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v : null);
  const list: CompiledActivity[] = [...submissions]
    .sort((a, b) => (order.get(a.unitId) ?? 0) - (order.get(b.unitId) ?? 0))
    .flatMap((s) =>
      (s.activities[table.id] ?? []).map((a) => ({
        unitId: s.unitId,
        date: text(a[fields.date]),
        name: text(a[fields.name]),
        kind: text(a[fields.kind]),
        level: text(a[fields.level]),
        participants: typeof a[fields.participants] === 'number' ? (a[fields.participants] as number) : null,
        summary: text(a[fields.summary]),
      })),
    );
  const byKindLevel: ActivitiesCompiled['byKindLevel'] = {};
  for (const activity of list) {
    if (activity.kind === null || activity.level === null) continue;
    const cell = ((byKindLevel[activity.kind] ??= {})[activity.level] ??= { activities: 0, participants: 0 });
    cell.activities += 1;
    cell.participants += activity.participants ?? 0;
  }
  return { tableId: table.id, byKindLevel, list };
}
