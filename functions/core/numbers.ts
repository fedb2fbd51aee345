/**
 * Reading a number cell the way a Vietnamese clerk writes numbers: "1.234" and "12.345.678"
 * group thousands, "1,5" and "1.234,5" use a decimal comma, spaces are ignored. Anything else
 * is refused with the rule code that explains it; nothing is guessed.
 */
import type { GridCell } from './grid.js';
import { formatViNumber, quoteTyped } from './messages.js';

export type NumberType = 'integer' | 'decimal';

export type ParsedNumber =
  { ok: true; value: number | null } | { ok: false; code: string; params: Record<string, string | number> };

// Regular, non-breaking, narrow and thin spaces, and the invisible zero-width characters
// that come along when figures are pasted from Word or a web page. The zero-width joiner
// (U+200D) stands outside the class: inside it, it would read as joining its neighbours.
const IGNORED_CHARACTERS = /[\s\u00A0\u202F\u2007\u2009\u200A\u200B\u200C\u2060\uFEFF]|\u200D/g;

const PLAIN_DIGITS = /^\d+$/;
const THOUSANDS_GROUPS = /^\d{1,3}(\.\d{3})+$/;
const DECIMAL_COMMA = /^\d+,\d+$/;
const GROUPED_DECIMAL_COMMA = /^\d{1,3}(\.\d{3})+,\d+$/;
const DOT_DECIMAL = /^\d+\.\d+$/;
const COMMA_THOUSANDS = /^\d{1,3}(,\d{3})+$/;
const SINGLE_COMMA_THOUSAND = /^\d{1,3},\d{3}$/;

const isWhole = (n: number) => Math.abs(n - Math.round(n)) < 1e-9;

/** An example the message can offer: the digits in what was typed ("12 buổi" → 12), else 15. */
function exampleFrom(text: string): string {
  const match = text.match(/\d+(?:[.,]\d+)*/);
  return match ? match[0] : '15';
}

export function typedText(cell: GridCell): string {
  if (cell.text !== undefined && cell.text !== '') return cell.text;
  if (typeof cell.v === 'boolean') return cell.v ? 'TRUE' : 'FALSE';
  if (typeof cell.v === 'number') return formatViNumber(cell.v);
  return String(cell.v ?? '');
}

function checkRange(value: number, type: NumberType, typed: string): ParsedNumber {
  // Hundreds of digits pasted in one cell overflow to Infinity: not a figure anyone meant.
  if (!Number.isFinite(value)) return { ok: false, code: 'value.not_number', params: { typed, example: '15' } };
  if (value < 0) return { ok: false, code: 'value.negative', params: { typed } };
  if (type === 'integer' && !isWhole(value)) {
    return {
      ok: false,
      code: 'value.fraction_in_integer',
      params: { typed, example: formatViNumber(Math.round(value)) },
    };
  }
  return { ok: true, value: type === 'integer' ? Math.round(value) : value };
}

/** "1,234" in an integer column: a decimal comma or a foreign thousands separator? Not guessed. */
function commaInInteger(digits: string, typed: string): ParsedNumber {
  const plain = digits.replace(',', '');
  return {
    ok: false,
    code: 'value.comma_in_integer',
    params: { typed, plain, suggestion: formatViNumber(Number(plain)) },
  };
}

function parseText(raw: string, type: NumberType): ParsedNumber {
  // Messages quote what was typed, cut short: a 50,000-character paste must not become the message.
  const typed = quoteTyped(raw);
  const text = raw.replace(IGNORED_CHARACTERS, '');
  if (text === '') return { ok: true, value: null };
  const negative = text.startsWith('-') && text.length > 1;
  const body = negative ? text.slice(1) : text;
  const sign = negative ? -1 : 1;

  if (PLAIN_DIGITS.test(body)) return checkRange(sign * Number(body), type, typed);
  if (THOUSANDS_GROUPS.test(body)) return checkRange(sign * Number(body.replace(/\./g, '')), type, typed);
  if (DECIMAL_COMMA.test(body) || GROUPED_DECIMAL_COMMA.test(body)) {
    const value = sign * Number(body.replace(/\./g, '').replace(',', '.'));
    if (type === 'integer' && SINGLE_COMMA_THOUSAND.test(body)) return commaInInteger(body, typed);
    return checkRange(value, type, typed);
  }
  if (COMMA_THOUSANDS.test(body)) {
    // Several comma groups ("12,345,678") can only be foreign thousands separators.
    return {
      ok: false,
      code: 'value.comma_thousands',
      params: { typed, suggestion: formatViNumber(Number(body.replace(/,/g, ''))) },
    };
  }
  if (DOT_DECIMAL.test(body)) {
    return { ok: false, code: 'value.dot_decimal', params: { typed, suggestion: body.replace('.', ',') } };
  }
  return { ok: false, code: 'value.not_number', params: { typed, example: exampleFrom(raw) } };
}

/** Parses one figure cell. `null` value = blank ("not reported"), distinct from 0. */
export function parseNumberCell(cell: GridCell | null | undefined, type: NumberType): ParsedNumber {
  if (!cell || cell.v === null) return { ok: true, value: null };
  const typed = quoteTyped(typedText(cell));
  if (cell.kind === 'error') return { ok: false, code: 'value.error_value', params: { typed: String(cell.v) } };
  if (cell.kind === 'date') return { ok: false, code: 'value.date', params: { typed } };
  if (typeof cell.v === 'boolean') return { ok: false, code: 'value.boolean', params: { typed } };
  if (typeof cell.v === 'number') {
    if (!Number.isFinite(cell.v)) return { ok: false, code: 'value.not_number', params: { typed, example: '15' } };
    // Quote the number itself, not the cell's display: a '#,##0' input cell shows 1,5 as "2",
    // and "không có phần thập phân ("2")" would make no sense to the clerk who typed 1,5.
    const value = formatViNumber(cell.v);
    // A live sheet (vi_VN) turns "1,234" typed into an integer column into 1,234: the same
    // ambiguity as the text "1,234", so the same message (0,234 is only a fraction).
    if (type === 'integer' && cell.v >= 1 && SINGLE_COMMA_THOUSAND.test(value)) return commaInInteger(value, value);
    return checkRange(cell.v, type, quoteTyped(value));
  }
  return parseText(cell.v, type);
}
