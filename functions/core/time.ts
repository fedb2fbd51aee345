/**
 * Instants and the campaign's civil time (Asia/Ho_Chi_Minh for the 2020 campaign, any IANA zone
 * for another). Everything takes the instant as a parameter; nothing here reads the clock.
 * Civil-date arithmetic and zone offsets are date-fns with @date-fns/tz; what stays here is the
 * campaign's vocabulary ("YYYY-MM-DD" civil dates, the Vietnamese formats of the sheets and mails).
 * Per-function imports keep the cold start from loading all of date-fns.
 */
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { startOfDay } from 'date-fns/startOfDay';

/** A civil date ('2020-07-15') as midnight in `timeZone` (TZDate moves past a midnight that does not exist). */
function civilDate(date: string, timeZone: string): TZDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(year, month - 1, day, timeZone);
}

/**
 * The instant a civil date ('2020-07-15') begins in `timeZone`. Where clocks jump over midnight
 * (summer time starting at 00:00), local midnight does not exist and the day begins at the jump.
 */
export function startOfCivilDate(date: string, timeZone: string): number {
  return startOfDay(civilDate(date, timeZone)).getTime();
}

export function addCivilDays(date: string, days: number): string {
  return format(addDays(civilDate(date, 'UTC'), days), 'yyyy-MM-dd');
}

/** The civil date ('YYYY-MM-DD') of `instant` in `timeZone`. */
export function civilDateOf(instant: number, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'yyyy-MM-dd');
}

export function civilDaysBetween(fromDate: string, toDate: string): number {
  return differenceInCalendarDays(civilDate(toDate, 'UTC'), civilDate(fromDate, 'UTC'));
}

/** "09:12 14/07/2020", the way the status cell writes a time. */
export function formatViDateTime(instant: number, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'HH:mm dd/MM/yyyy');
}

/** The house's weekday words (date-fns' vi locale capitalises "Thứ", which reads wrong mid-sentence). */
const WEEKDAYS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

/** "thứ Ba, 14/07/2020" */
export function formatViDateWithWeekday(instant: number, timeZone: string): string {
  const civil = new TZDate(instant, timeZone);
  return `${WEEKDAYS[civil.getDay()]}, ${format(civil, 'dd/MM/yyyy')}`;
}

/** "15/07/2020" from '2020-07-15' without going through instants. */
export function formatCivilDate(date: string): string {
  return format(civilDate(date, 'UTC'), 'dd/MM/yyyy');
}
