/** The narrative-report checklist (each outline item needs content or a page reference) and the confirmation block. */
import type { Campaign, ChecklistTable } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel } from './campaign-model.js';
import { isBlankCell, type GridCell, type SheetGrid } from './grid.js';
import type { IssueCollector } from './issues.js';
import type { LocatedChecklist } from './locate.js';
import { a1 } from './a1.js';
import { quoteTyped } from './messages.js';
import { typedText } from './numbers.js';

export interface OutlineEntry {
  content: string | null;
  reference: string | null;
}

function textOf(cell: GridCell | null | undefined): string | null {
  if (isBlankCell(cell)) return null;
  return (typeof cell!.v === 'string' ? cell!.v : typedText(cell!)).trim() || null;
}

export function evaluateOutline(
  model: CampaignModel,
  table: ChecklistTable,
  located: LocatedChecklist | undefined,
  issues: IssueCollector,
): Record<string, OutlineEntry> {
  const out: Record<string, OutlineEntry> = {};
  const contentCol = located?.columns.get('noi_dung');
  const refCol = located?.columns.get('tham_chieu');
  for (const section of table.sections) {
    for (const item of section.items) {
      const row = located?.itemRows.get(item.code);
      if (!located || row === undefined) {
        out[item.code] = { content: null, reference: null };
        continue;
      }
      const cells = located.sheet.rows[row] ?? [];
      const read = (col: number | undefined, label: string) => {
        if (col === undefined) return null;
        const cell = cells[col];
        if (cell?.kind === 'error') {
          issues.add('value.error_value', { sheet: located.sheet.title, row, col }, { label, typed: String(cell.v) });
          return null;
        }
        const text = textOf(cell);
        if (text && text.length > table.maxLength) {
          issues.add(
            'value.text_too_long',
            { sheet: located.sheet.title, row, col },
            { label, length: text.length, max: table.maxLength },
          );
          return null;
        }
        if (text && /^[=+\-@]/.test(text))
          issues.add('value.formula_like_text', { sheet: located.sheet.title, row, col }, { label, first: text[0] });
        return text;
      };
      const entry = {
        content: read(contentCol, `mục ${item.code}`),
        reference: read(refCol, `mục ${item.code}, trang tham chiếu`),
      };
      out[item.code] = entry;
      if (item.required && entry.content === null && entry.reference === null && contentCol !== undefined) {
        issues.addPending(
          'bao_cao.item_missing',
          { sheet: located.sheet.title, row, col: contentCol },
          { item: item.code, refCell: refCol !== undefined ? a1(row, refCol) : '' },
        );
      }
    }
  }
  return out;
}

export interface ConfirmationResult {
  submitted: boolean;
  fields: Record<string, string | null>;
}

const PHONE = /^0\d{9,10}$/;
const URL = /^https?:\/\/[^\s]+\.[^\s]+$/i;

/** Normalises a Vietnamese phone number: spaces, dots, dashes, brackets dropped; +84 → 0. */
export function normalisePhone(typed: string): string {
  const digits = typed.replace(/[\s.\-()\u00A0]/g, '');
  return digits.startsWith('+84')
    ? `0${digits.slice(3)}`
    : digits.startsWith('84') && digits.length === 11
      ? `0${digits.slice(2)}`
      : digits;
}

/** A unit whose workbook for the round holds nominations only (district police, CATP departments): it writes no report. */
export function nominatesOnly(model: CampaignModel, unitId: string, roundId: string): boolean {
  const tables = model.tablesFor(unitId, roundId);
  return tables.length > 0 && tables.every(({ table }) => table.kind === 'list' && table.role === 'nominations');
}

type ConfirmationField = Campaign['confirmation']['fields'][number];

/**
 * A confirmation field in the words of the unit's workbook: a unit that only nominates links
 * its signed submission letter (tờ trình), not a report PDF it does not write.
 */
export function confirmationWording(
  field: ConfirmationField,
  onlyNominates: boolean,
): { label: string; document: string } {
  const label = (onlyNominates && field.labelWhenNominatesOnly) || field.label;
  const document = (onlyNominates && field.documentWhenNominatesOnly) || field.document || label;
  return { label, document };
}

export function evaluateConfirmation(
  model: CampaignModel,
  located: { sheet: SheetGrid; rows: Map<string, number>; valueCol: number } | null,
  issues: IssueCollector,
  onlyNominates = false,
): ConfirmationResult {
  const conf = model.campaign.confirmation;
  const fields: Record<string, string | null> = {};
  let submitted = false;
  for (const field of conf.fields) {
    const row = located?.rows.get(field.code);
    const { label, document } = confirmationWording(field, onlyNominates);
    if (!located || row === undefined || located.valueCol < 0) {
      fields[field.code] = null;
      if (located)
        issues.add(
          'structure.row_missing',
          { sheet: located.sheet.title, row: null, col: null },
          { code: field.code, label },
        );
      continue;
    }
    const at = { sheet: located.sheet.title, row, col: located.valueCol };
    const cell = located.sheet.rows[row]?.[located.valueCol];
    if (field.type === 'submit-checkbox') {
      const value = cell?.v;
      if (value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')) submitted = true;
      else if (!(
        value === false ||
        value === null ||
        value === undefined ||
        (typeof value === 'string' && /^(false|)$/i.test(value.trim()))
      )) {
        issues.add('value.invalid_checkbox', at, { label: field.label, typed: quoteTyped(typedText(cell!)) });
      }
      fields[field.code] = submitted ? 'TRUE' : null;
      continue;
    }
    const text = textOf(cell);
    fields[field.code] = text;
    if (text === null) {
      if (field.required) issues.addPending('xac_nhan.field_missing', at, { label });
      continue;
    }
    if (field.type === 'phone' && !PHONE.test(normalisePhone(text)))
      issues.add('xac_nhan.phone_invalid', at, { typed: quoteTyped(text) });
    if (field.type === 'url' && !URL.test(text))
      issues.add('xac_nhan.link_invalid', at, { typed: quoteTyped(text), document });
    if (text.length > field.maxLength)
      issues.add('value.text_too_long', at, { label, length: text.length, max: field.maxLength });
  }
  return { submitted, fields };
}
