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
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`cron: cannot read ${what} "${part}"`);
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < min || to > max || from > to || step < 1)
      throw new Error(`cron: ${what} "${part}" is outside ${min}–${max}`);
    for (let value = from; value <= to; value += step) out.add(value);
  }
  return out;
}

export function parseCron(expression: string): CronFields {
  const hit = cache.get(expression);
  if (hit) return hit;
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron: "${expression}" needs 5 fields (minute hour day month weekday)`);
  const [minutes, hours, daysOfMonth, months, weekdayField] = parts as [string, string, string, string, string];
  const weekdays = parseField(weekdayField, 0, 7, 'day of week');
  if (weekdays.has(7)) weekdays.add(0);
  const fields: CronFields = {
    minutes: parseField(minutes, 0, 59, 'minute'),
    hours: parseField(hours, 0, 23, 'hour'),
    days: parseField(daysOfMonth, 1, 31, 'day of month'),
    months: parseField(months, 1, 12, 'month'),
    weekdays,
    daysRestricted: daysOfMonth !== '*',
    weekdaysRestricted: weekdayField !== '*',
  };
  cache.set(expression, fields);
  return fields;
}

/** Offset of `timeZone` from UTC at `instant`, in ms. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
    Math.floor(instant / 1000) * 1000
  );
}

function dayMatches(fields: CronFields, wall: Date): boolean {
  const dom = fields.days.has(wall.getUTCDate());
  const dow = fields.weekdays.has(wall.getUTCDay());
  if (fields.daysRestricted && fields.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first instant strictly after `after` at which `expression` is due in `timeZone`.
 * Works on the zone's wall clock ("wall" ms: local time written as if it were UTC) and
 * converts back with the zone's offset; skips whole days and hours that cannot match.
 */
export function nextCronTime(expression: string, after: number, timeZone: string): number {
  const fields = parseCron(expression);
  const offset = offsetMs(after, timeZone);
  // The next whole minute after `after`, on the wall clock.
  let wall = Math.floor((after + offset) / MINUTE) * MINUTE + MINUTE;
  const limit = wall + 5 * 366 * 86_400_000; // e.g. 30 February never comes
  while (wall < limit) {
    const candidate = new Date(wall);
    if (!fields.months.has(candidate.getUTCMonth() + 1) || !dayMatches(fields, candidate)) {
      wall = Date.UTC(candidate.getUTCFullYear(), candidate.getUTCMonth(), candidate.getUTCDate() + 1);
      continue;
    }
    if (!fields.hours.has(candidate.getUTCHours())) {
      wall = Date.UTC(
        candidate.getUTCFullYear(),
        candidate.getUTCMonth(),
        candidate.getUTCDate(),
        candidate.getUTCHours() + 1,
      );
      continue;
    }
    if (!fields.minutes.has(candidate.getUTCMinutes())) {
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
  for (
    let moment = nextCronTime(expression, after, timeZone);
    moment <= until;
    moment = nextCronTime(expression, moment, timeZone)
  )
    out.push(moment);
  return out;
}
