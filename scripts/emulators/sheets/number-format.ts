/**
 * Locale conventions and number-format rendering, enough to produce Sheets' `formattedValue`
 * for the formats a reporting workbook uses: automatic, `0`, `#,##0`, `#,##0.00`, `0%`,
 * `0.00%`, `dd/MM/yyyy`, `dd/MM/yyyy HH:mm:ss`, `@`. Separators come from the spreadsheet locale
 * (vi_VN: '.' groups thousands, ',' is the decimal mark).
 */
import type { NumberFormat } from './types.js';

export interface LocaleSpec {
  decimal: string;
  group: string;
  dateOrder: 'DMY' | 'MDY';
  datePattern: string;
  timePattern: string;
  dateTimePattern: string;
  monthNames: string[];
  dayNames: string[];
  /** Default title of new sheets ("Sheet1" in English, "Trang tính1" in Vietnamese). */
  sheetTitlePrefix: string;
}

const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const ENGLISH_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const VIETNAMESE_MONTHS = Array.from({ length: 12 }, (_, i) => `tháng ${i + 1}`);
const VIETNAMESE_DAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

const LOCALES: Record<string, LocaleSpec> = {
  vi_VN: {
    decimal: ',',
    group: '.',
    dateOrder: 'DMY',
    datePattern: 'dd/MM/yyyy',
    timePattern: 'HH:mm:ss',
    dateTimePattern: 'dd/MM/yyyy HH:mm:ss',
    monthNames: VIETNAMESE_MONTHS,
    dayNames: VIETNAMESE_DAYS,
    sheetTitlePrefix: 'Trang tính',
  },
  en_US: {
    decimal: '.',
    group: ',',
    dateOrder: 'MDY',
    datePattern: 'M/d/yyyy',
    timePattern: 'h:mm:ss am/pm',
    dateTimePattern: 'M/d/yyyy H:mm:ss',
    monthNames: ENGLISH_MONTHS,
    dayNames: ENGLISH_DAYS,
    sheetTitlePrefix: 'Sheet',
  },
  en_GB: {
    decimal: '.',
    group: ',',
    dateOrder: 'DMY',
    datePattern: 'dd/MM/yyyy',
    timePattern: 'HH:mm:ss',
    dateTimePattern: 'dd/MM/yyyy HH:mm:ss',
    monthNames: ENGLISH_MONTHS,
    dayNames: ENGLISH_DAYS,
    sheetTitlePrefix: 'Sheet',
  },
};

export function localeSpec(locale: string | undefined): LocaleSpec {
  return LOCALES[locale ?? ''] ?? (LOCALES['en_US'] as LocaleSpec);
}

const DAY_MS = 86_400_000;
/** Sheets counts days from 1899-12-30, like Lotus and Excel (without Excel's 1900 leap-year bug). */
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function serialFromParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const dayMs = Date.UTC(year, month - 1, day) - SERIAL_EPOCH_MS;
  return dayMs / DAY_MS + (hour * 3600 + minute * 60 + second) / 86_400;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function partsFromSerial(serial: number): DateParts {
  const milliseconds = Math.round((serial * DAY_MS) / 1000) * 1000 + SERIAL_EPOCH_MS;
  const date = new Date(milliseconds);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: date.getUTCDay(),
  };
}

export function isDateTimeFormat(format: NumberFormat | undefined): boolean {
  if (!format) return false;
  return format.type === 'DATE' || format.type === 'TIME' || format.type === 'DATE_TIME';
}

export function defaultPattern(type: string | undefined, locale: string): string | undefined {
  const spec = localeSpec(locale);
  switch (type) {
    case 'NUMBER':
      return '#,##0.00';
    case 'PERCENT':
      return '0.00%';
    case 'CURRENCY':
      return locale === 'vi_VN' ? '#,##0 [$₫]' : '"$"#,##0.00';
    case 'DATE':
      return spec.datePattern;
    case 'TIME':
      return spec.timePattern;
    case 'DATE_TIME':
      return spec.dateTimePattern;
    case 'SCIENTIFIC':
      return '0.00E+00';
    case 'TEXT':
      return '@';
    default:
      return undefined;
  }
}

function groupDigits(digits: string, separator: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i += 1) {
    const fromEnd = digits.length - i;
    out += digits[i];
    if (fromEnd > 1 && fromEnd % 3 === 1) out += separator;
  }
  return out;
}

/** Sheets' "automatic" number display: up to 10 significant digits, no grouping. */
export function formatGeneralNumber(value: number, locale: string): string {
  const spec = localeSpec(locale);
  if (!Number.isFinite(value)) return String(value);
  let text: string;
  if (Number.isInteger(value) && Math.abs(value) < 1e15) text = String(value);
  else if (value !== 0 && (Math.abs(value) >= 1e15 || Math.abs(value) < 1e-9)) {
    text = value
      .toExponential(2)
      .toUpperCase()
      .replace(/E([+-])(\d)$/, 'E$10$2');
  } else text = String(Number(value.toPrecision(10)));
  return text.replace('.', spec.decimal);
}

function splitSections(pattern: string): string[] {
  const sections: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const character = pattern[i] as string;
    if (character === '"') quoted = !quoted;
    if (character === '\\' && i + 1 < pattern.length) {
      current += character + pattern[i + 1];
      i += 1;
      continue;
    }
    if (character === ';' && !quoted) {
      sections.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  sections.push(current);
  return sections;
}

interface PatternPiece {
  literal?: string;
  token?: string;
}

/** Splits a pattern into literal text and format tokens (letters, digit placeholders). */
function tokenize(pattern: string, tokenRe: RegExp): PatternPiece[] {
  const pieces: PatternPiece[] = [];
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index] as string;
    if (character === '"') {
      const end = pattern.indexOf('"', index + 1);
      const stop = end < 0 ? pattern.length : end;
      pieces.push({ literal: pattern.slice(index + 1, stop) });
      index = stop + 1;
      continue;
    }
    if (character === '\\') {
      pieces.push({ literal: pattern[index + 1] ?? '' });
      index += 2;
      continue;
    }
    if (character === '[') {
      const end = pattern.indexOf(']', index);
      const inner = end < 0 ? '' : pattern.slice(index + 1, end);
      // [$₫] or [$₫-42A] carries a currency symbol; colour and condition brackets show nothing.
      if (inner.startsWith('$')) pieces.push({ literal: inner.slice(1).split('-')[0] ?? '' });
      index = end < 0 ? pattern.length : end + 1;
      continue;
    }
    tokenRe.lastIndex = index;
    const match = tokenRe.exec(pattern);
    if (match && match.index === index) {
      pieces.push({ token: match[0] });
      index += match[0].length;
      continue;
    }
    pieces.push({ literal: character === '_' || character === '*' ? '' : character });
    if (character === '_' || character === '*') index += 1; // padding directives consume the next char
    index += 1;
  }
  return pieces;
}

function formatNumericSection(value: number, section: string, locale: string): string {
  const spec = localeSpec(locale);
  const pieces = tokenize(section, /[0#?,.]+|E[+-][0#]+|%/gy);
  const numeric = pieces.find((p) => p.token !== undefined && /[0#?]/.test(p.token));
  const percent = pieces.some((p) => p.token === '%');
  const scientific = pieces.find((p) => p.token?.startsWith('E'));
  let scaled = percent ? value * 100 : value;
  if (!numeric) return pieces.map((p) => p.literal ?? (p.token === '%' ? '%' : '')).join('');
  const [intPart = '', fracPart = ''] = (numeric.token as string).split('.');
  const grouping = intPart.includes(',');
  const minInt = (intPart.match(/0/g) ?? []).length;
  const maxFrac = (fracPart.match(/[0#?]/g) ?? []).length;
  const minFrac = (fracPart.match(/0/g) ?? []).length;
  let exponentText = '';
  if (scientific) {
    const exponent = scaled === 0 ? 0 : Math.floor(Math.log10(Math.abs(scaled)));
    scaled = scaled / 10 ** exponent;
    const digits = (scientific.token as string).length - 2;
    const sign = exponent < 0 ? '-' : '+';
    exponentText = `E${sign}${String(Math.abs(exponent)).padStart(digits, '0')}`;
  }
  let [intDigits = '0', fracDigits = ''] = Math.abs(scaled).toFixed(maxFrac).split('.');
  while (fracDigits.length > minFrac && fracDigits.endsWith('0')) fracDigits = fracDigits.slice(0, -1);
  if (intDigits === '0' && minInt === 0) intDigits = '';
  intDigits = intDigits.padStart(minInt, '0');
  if (grouping) intDigits = groupDigits(intDigits, spec.group);
  const numberText = intDigits + (fracDigits ? spec.decimal + fracDigits : '') + exponentText;
  return pieces
    .map((piece) => {
      if (piece.literal !== undefined) return piece.literal;
      if (piece === numeric) return numberText;
      if (piece.token === '%') return '%';
      return '';
    })
    .join('');
}

function formatDateSection(serial: number, section: string, locale: string): string {
  const spec = localeSpec(locale);
  const parts = partsFromSerial(serial);
  const pieces = tokenize(
    section,
    /yyyy|yy|y|mmmm|mmm|mm|m|MMMM|MMM|MM|M|dddd|ddd|dd|d|hh|h|HH|H|ss|s|am\/pm|AM\/PM|a\/p|A\/P/gy,
  );
  const twelveHour = pieces.some((p) => p.token !== undefined && /^(am\/pm|a\/p)$/i.test(p.token));
  const tokenIndexes = pieces.map((p, i) => (p.token ? i : -1)).filter((i) => i >= 0);
  const isMinute = (index: number): boolean => {
    const position = tokenIndexes.indexOf(index);
    const before = position > 0 ? pieces[tokenIndexes[position - 1] as number]?.token : undefined;
    const after = pieces[tokenIndexes[position + 1] as number]?.token;
    return (before !== undefined && /^h/i.test(before)) || (after !== undefined && /^s/i.test(after));
  };
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return pieces
    .map((piece, index) => {
      if (piece.literal !== undefined) return piece.literal;
      const token = piece.token as string;
      const lower = token.toLowerCase();
      if (lower.startsWith('y')) return lower.length <= 2 ? pad(parts.year % 100, 2) : String(parts.year);
      if (lower.startsWith('m') && !/am\/pm/i.test(token)) {
        if (token[0] === 'm' && isMinute(index))
          return lower.length === 1 ? String(parts.minute) : pad(parts.minute, 2);
        if (lower.length === 1) return String(parts.month);
        if (lower.length === 2) return pad(parts.month, 2);
        const name = spec.monthNames[parts.month - 1] ?? '';
        return lower.length === 3 ? name.slice(0, 3) : name;
      }
      if (lower.startsWith('d')) {
        if (lower.length === 1) return String(parts.day);
        if (lower.length === 2) return pad(parts.day, 2);
        const name = spec.dayNames[parts.weekday] ?? '';
        return lower.length === 3 ? name.slice(0, 3) : name;
      }
      if (lower.startsWith('h')) {
        const hour = twelveHour ? ((parts.hour + 11) % 12) + 1 : parts.hour;
        return lower.length === 1 ? String(hour) : pad(hour, 2);
      }
      if (lower.startsWith('s')) return lower.length === 1 ? String(parts.second) : pad(parts.second, 2);
      if (/^am\/pm$/i.test(token))
        return parts.hour < 12 ? (token === 'am/pm' ? 'am' : 'AM') : token === 'am/pm' ? 'pm' : 'PM';
      if (/^a\/p$/i.test(token)) return parts.hour < 12 ? 'A' : 'P';
      return token;
    })
    .join('');
}

function looksLikeDatePattern(pattern: string): boolean {
  const stripped = pattern.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
  return /[dyhs]/i.test(stripped) || (/m/i.test(stripped) && !/[0#?]/.test(stripped));
}

/** The text Sheets shows for a number in a cell with this number format. */
export function formatNumber(value: number, format: NumberFormat | undefined, locale: string): string {
  const pattern = format?.pattern || defaultPattern(format?.type, locale);
  if (!pattern || pattern === 'General') return formatGeneralNumber(value, locale);
  if (pattern === '@' || format?.type === 'TEXT') return formatGeneralNumber(value, locale);
  if (isDateTimeFormat(format) || looksLikeDatePattern(pattern)) {
    return formatDateSection(value, splitSections(pattern)[0] ?? pattern, locale);
  }
  const sections = splitSections(pattern);
  if (value < 0 && sections.length > 1) return formatNumericSection(-value, sections[1] as string, locale);
  if (value === 0 && sections.length > 2) return formatNumericSection(0, sections[2] as string, locale);
  const text = formatNumericSection(Math.abs(value), sections[0] as string, locale);
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}
