/** List tables (typical examples, nominations): one entry per non-empty row, each field typed by the schema. */
import type { ListField, ListTable } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel } from './campaign-model.js';
import { isBlankCell, type GridCell } from './grid.js';
import type { IssueCollector } from './issues.js';
import type { LocatedList } from './locate.js';
import { quoteTyped } from './messages.js';
import { parseNumberCell, typedText } from './numbers.js';

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

export function normaliseText(s: string): string {
  return s.normalize('NFC').replace(/[\s\u00A0]+/g, ' ').trim();
}

/** Loose key for recognising the same nominee typed twice ("Nguyễn Văn  An" vs "nguyen van an"). */
export function nameKey(s: string): string {
  return normaliseText(s)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

function readCheckbox(cell: GridCell | null | undefined): boolean | 'invalid' {
  if (!cell || cell.v === null || cell.v === '') return false;
  if (typeof cell.v === 'boolean') return cell.v;
  if (typeof cell.v === 'string' && /^(true|false)$/i.test(cell.v.trim())) return cell.v.trim().toLowerCase() === 'true';
  return 'invalid';
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
      const v = readCheckbox(cell);
      if (v === 'invalid') {
        issues.add('value.invalid_checkbox', at, { label, typed: quoteTyped(typedText(cell!)) });
        return { value: null, invalid: true };
      }
      return { value: v, invalid: false };
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
        issues.add('value.invalid_choice', at, { label, typed: quoteTyped(typed), choices: options.map((o) => o.label).join('; ') });
        return { value: null, invalid: true };
      }
      return { value: match.value, invalid: false };
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
    const anything = table.fields.some((f) => {
      const col = located.columns.get(f.code);
      if (col === undefined) return false;
      const c = cells[col];
      return !isBlankCell(c) && c?.v !== false;
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
      const { value, invalid } = readField(model, field, cells[col], { sheet: sheet.title, row, col }, entry.rowNo, issues);
      entry.values[field.code] = value;
      if (invalid) entry.invalid.add(field.code);
    }
    const waived = notRequired(entry);
    for (const field of table.fields) {
      const pos = entry.cells[field.code];
      if (waived.has(field.code)) continue;
      if (!field.required || !pos || entry.invalid.has(field.code) || entry.values[field.code] !== null) continue;
      issues.addPending('required.field', { sheet: sheet.title, ...pos }, { rowNo: entry.rowNo, label: fieldLabel(field) });
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

/** Typical examples (section III.2.e): at least `minEntries` complete rows at submission. */
export function evaluateExamples(model: CampaignModel, table: ListTable, located: LocatedList | undefined, issues: IssueCollector): ListRecord[] {
  const entries = readListEntries(model, table, located, issues);
  const complete = entries.filter((e) => isComplete(table, e));
  if (located && complete.length < table.minEntries) {
    const used = new Set(entries.map((e) => e.row));
    const freeRow = located.rows.find((r) => !used.has(r)) ?? located.rows[located.rows.length - 1];
    const firstField = located.columns.get(table.fields[0]!.code);
    const at = freeRow !== undefined && firstField !== undefined ? { row: freeRow, col: firstField } : { row: null, col: null };
    issues.addPending('dien_hinh.too_few', { sheet: located.sheet.title, ...at }, { min: table.minEntries, count: complete.length, ...(at.row === null ? { cell: table.sheetTitle } : {}) });
  }
  return entries.map((e) => ({ values: e.values, complete: isComplete(table, e) }));
}
