/**
 * Instants and the campaign's civil time. Everything takes the instant as a parameter;
 * nothing here reads the clock.
 */

const DAY_MS = 86_400_000;

/** Building an Intl.DateTimeFormat is costly; one per zone is enough. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (ICT: +420). */
export function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant a civil date ('2020-07-15') begins in `timeZone`. */
export function startOfCivilDate(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when the zone changed offset that day.
  const first = utcMidnight - zoneOffsetMinutes(utcMidnight, timeZone) * 60_000;
  const second = utcMidnight - zoneOffsetMinutes(first, timeZone) * 60_000;
  // Where clocks jump over midnight (summer time starting at 00:00), local midnight does not
  // exist and the second pass lands on the previous evening: the day then begins at the jump.
  return civilDateOf(second, timeZone) === date ? second : first;
}

export function addCivilDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The civil date ('YYYY-MM-DD') of `instant` in `timeZone`. */
export function civilDateOf(instant: number, timeZone: string): string {
  return new Date(instant + zoneOffsetMinutes(instant, timeZone) * 60_000).toISOString().slice(0, 10);
}

export function civilDaysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS);
}

const pad = (n: number) => String(n).padStart(2, '0');

function civilParts(instant: number, timeZone: string) {
  const shifted = new Date(instant + zoneOffsetMinutes(instant, timeZone) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

/** "14/07/2020" */
export function formatViDate(instant: number, timeZone: string): string {
  const p = civilParts(instant, timeZone);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** "09:12 14/07/2020", the way the status cell writes a time. */
export function formatViDateTime(instant: number, timeZone: string): string {
  const p = civilParts(instant, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)} ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

const WEEKDAYS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

/** "thứ Ba, 14/07/2020" */
export function formatViDateWithWeekday(instant: number, timeZone: string): string {
  const p = civilParts(instant, timeZone);
  return `${WEEKDAYS[p.weekday]}, ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** "15/07/2020" from '2020-07-15' without going through instants. */
export function formatCivilDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
