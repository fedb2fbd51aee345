/**
 * valueInputOption=USER_ENTERED: a string is parsed as if typed into the Sheets UI under the
 * spreadsheet's locale. For vi_VN, '.' groups thousands and ',' marks decimals ("1.234,5"),
 * dates are dd/MM/yyyy, "15%" is a percentage, TRUE/FALSE are booleans, a leading apostrophe
 * forces text and a leading '=' is a formula. A typed number also picks up an automatic number
 * format (PERCENT, DATE, DATE_TIME, TIME) unless the cell already has one.
 */
import { localeSpec, serialFromParts } from './number-format.js';
import type { ExtendedValue, NumberFormat } from './types.js';

export interface ParsedEntry {
  /** null clears the cell's value. */
  value: ExtendedValue | null;
  autoFormat?: NumberFormat;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseLocaleNumber(text: string, locale: string): number | null {
  const { decimal, group } = localeSpec(locale);
  const decimalPattern = escapeRegExp(decimal);
  const groupPattern = escapeRegExp(group);
  const numberPattern = new RegExp(
    `^([+-]?)((?:\\d{1,3}(?:${groupPattern}\\d{3})+|\\d+)(?:${decimalPattern}\\d*)?|${decimalPattern}\\d+)(?:[eE]([+-]?\\d+))?$`,
  );
  const match = numberPattern.exec(text);
  if (!match) return null;
  const [, sign = '', body = '', exponent] = match;
  const normalised = body.split(group).join('').replace(decimal, '.');
  const value = Number(`${sign}${normalised}${exponent !== undefined ? `e${exponent}` : ''}`);
  return Number.isFinite(value) ? value : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function expandYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  // Sheets reads two-digit years 00–29 as 20xx and 30–99 as 19xx.
  return year < 30 ? 2000 + year : 1900 + year;
}

interface TimeParts {
  hour: number;
  minute: number;
  second: number;
  hasSeconds: boolean;
}

function parseTime(text: string): TimeParts | null {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second, hasSeconds: match[3] !== undefined };
}

function parseDateTime(text: string, locale: string): ParsedEntry | null {
  const spec = localeSpec(locale);
  const [datePart = '', timePart, ...rest] = text.split(/\s+/);
  if (rest.length > 0) return null;
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(datePart);
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else {
    const separators = spec.dateOrder === 'DMY' ? '[/.-]' : '[/-]';
    const match = new RegExp(`^(\\d{1,2})(${separators})(\\d{1,2})\\2(\\d{4}|\\d{2})$`).exec(datePart);
    if (!match) {
      // A time alone ("09:12") is a time of day.
      if (timePart !== undefined) return null;
      const time = parseTime(datePart);
      if (!time) return null;
      return {
        value: { numberValue: serialFromParts(1899, 12, 30, time.hour, time.minute, time.second) },
        autoFormat: { type: 'TIME', pattern: time.hasSeconds ? 'HH:mm:ss' : 'HH:mm' },
      };
    }
    const first = Number(match[1]);
    const second = Number(match[3]);
    year = expandYear(match[4] as string);
    [day, month] = spec.dateOrder === 'DMY' ? [first, second] : [second, first];
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (timePart === undefined) {
    return {
      value: { numberValue: serialFromParts(year, month, day) },
      autoFormat: { type: 'DATE', pattern: spec.datePattern },
    };
  }
  const time = parseTime(timePart);
  if (!time) return null;
  return {
    value: { numberValue: serialFromParts(year, month, day, time.hour, time.minute, time.second) },
    autoFormat: { type: 'DATE_TIME', pattern: spec.dateTimePattern },
  };
}

/**
 * Parses one input value. Returns undefined for JSON null, which the values API skips
 * (leaves the cell as it was).
 */
export function parseUserEntered(input: unknown, locale: string, cellIsPlainText = false): ParsedEntry | undefined {
  if (input === null || input === undefined) return undefined;
  if (typeof input === 'number') return { value: { numberValue: input } };
  if (typeof input === 'boolean') return { value: { boolValue: input } };
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  if (text === '') return { value: null };
  if (text.startsWith("'")) return { value: { stringValue: text.slice(1) } };
  // A cell formatted as plain text keeps whatever is typed, as in the Sheets UI.
  if (cellIsPlainText) return { value: { stringValue: text } };
  if (text.startsWith('=') && text.length > 1) return { value: { formulaValue: text } };
  const trimmed = text.trim();
  if (/^true$/i.test(trimmed)) return { value: { boolValue: true } };
  if (/^false$/i.test(trimmed)) return { value: { boolValue: false } };
  const number = parseLocaleNumber(trimmed, locale);
  if (number !== null) return { value: { numberValue: number } };
  const percent = /^(.*?)\s?%$/.exec(trimmed);
  if (percent) {
    const base = parseLocaleNumber(percent[1] as string, locale);
    if (base !== null) {
      const hasDecimals = (percent[1] as string).includes(localeSpec(locale).decimal);
      return {
        value: { numberValue: Number((base / 100).toPrecision(15)) },
        autoFormat: { type: 'PERCENT', pattern: hasDecimals ? '0.00%' : '0%' },
      };
    }
  }
  const date = parseDateTime(trimmed, locale);
  if (date) return date;
  return { value: { stringValue: text } };
}

/** valueInputOption=RAW: stored exactly as given; a string stays a string even if it starts with '='. */
export function parseRaw(input: unknown): ParsedEntry | undefined {
  if (input === null || input === undefined) return undefined;
  if (typeof input === 'number') return { value: { numberValue: input } };
  if (typeof input === 'boolean') return { value: { boolValue: input } };
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  if (text === '') return { value: null };
  return { value: { stringValue: text } };
}
