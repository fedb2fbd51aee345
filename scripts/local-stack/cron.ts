/**
 * Cloud Scheduler's unix-cron format (minute hour day-of-month month day-of-week), stepped in a
 * time zone: the local scheduler computes when each job of functions/schedule.ts is due on the
 * business clock, so a simulated clock gets the same firings as production, just sooner.
 * Supported: `*`, numbers, lists `a,b`, ranges `a-b`, steps `*\/n` and `a-b/n`; day-of-week 0–7
 * (0 and 7 are Sunday). As in cron, when both day fields are restricted, either one matching
 * is enough. Month and day names (JAN, MON) are not used by this project and are refused.
 */

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const MINUTE = 60_000;
const cache = new Map<string, CronFields>();

function parseField(text: string, min: number, max: number, what: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron: cannot read ${what} "${part}"`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`cron: ${what} "${part}" is outside ${min}–${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronFields {
  const hit = cache.get(expression);
  if (hit) return hit;
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron: "${expression}" needs 5 fields (minute hour day month weekday)`);
  const [mi, h, d, mo, w] = parts as [string, string, string, string, string];
  const weekdays = parseField(w, 0, 7, 'day of week');
  if (weekdays.has(7)) weekdays.add(0);
  const fields: CronFields = {
    minutes: parseField(mi, 0, 59, 'minute'),
    hours: parseField(h, 0, 23, 'hour'),
    days: parseField(d, 1, 31, 'day of month'),
    months: parseField(mo, 1, 12, 'month'),
    weekdays,
    daysRestricted: d !== '*',
    weekdaysRestricted: w !== '*',
  };
  cache.set(expression, fields);
  return fields;
}

/** Offset of `timeZone` from UTC at `instant`, in ms. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

function dayMatches(f: CronFields, wall: Date): boolean {
  const dom = f.days.has(wall.getUTCDate());
  const dow = f.weekdays.has(wall.getUTCDay());
  if (f.daysRestricted && f.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first instant strictly after `after` at which `expression` is due in `timeZone`.
 * Works on the zone's wall clock ("wall" ms: local time written as if it were UTC) and
 * converts back with the zone's offset; skips whole days and hours that cannot match.
 */
export function nextCronTime(expression: string, after: number, timeZone: string): number {
  const f = parseCron(expression);
  const offset = offsetMs(after, timeZone);
  // The next whole minute after `after`, on the wall clock.
  let wall = Math.floor((after + offset) / MINUTE) * MINUTE + MINUTE;
  const limit = wall + 5 * 366 * 86_400_000; // e.g. 30 February never comes
  while (wall < limit) {
    const d = new Date(wall);
    if (!f.months.has(d.getUTCMonth() + 1) || !dayMatches(f, d)) {
      wall = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!f.hours.has(d.getUTCHours())) {
      wall = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!f.minutes.has(d.getUTCMinutes())) {
      wall += MINUTE;
      continue;
    }
    // Back to an instant with the offset in force then (equal to `offset` in a zone without
    // summer time, such as Asia/Ho_Chi_Minh).
    const instant = wall - offsetMs(wall - offset, timeZone);
    if (instant > after) return instant;
    wall += MINUTE;
  }
  throw new Error(`cron: "${expression}" is never due`);
}

/** Every instant in (after, until] at which `expression` is due, in order. */
export function cronTimesBetween(expression: string, after: number, until: number, timeZone: string): number[] {
  const out: number[] = [];
  for (let t = nextCronTime(expression, after, timeZone); t <= until; t = nextCronTime(expression, t, timeZone)) out.push(t);
  return out;
}
