/**
 * Deadlines in the campaign's time zone (Asia/Ho_Chi_Minh, UTC+7): "gửi trước ngày 15/7/2020"
 * read strictly means on time until 14/07/2020 23:59:59 ICT, i.e. 16:59:59 UTC; the
 * 'by-date' reading, a schema setting, moves it a day. Dates are written the Vietnamese way.
 */
import { describe, expect, it } from 'vitest';
import {
  addCivilDays,
  civilDateOf,
  civilDaysBetween,
  formatCivilDate,
  formatViDateTime,
  formatViDateWithWeekday,
  startOfCivilDate,
} from '../../functions/core/time.js';
import { model, modifiedModel } from '../helpers/campaign.js';

const timeZone = 'Asia/Ho_Chi_Minh';
const utc = (iso: string) => Date.parse(iso);
const onTime = (m: typeof model, roundId: string, at: number) => at < m.dueAt(roundId);

describe('strict reading ("before-date", the campaign setting)', () => {
  it('so-ket-2020: due 15/07/2020 means on time through 14/07/2020 23:59:59 ICT', () => {
    expect(model.campaign.deadlineReading).toBe('before-date');
    expect(model.dueAt('so-ket-2020')).toBe(utc('2020-07-14T17:00:00Z'));
    expect(model.lastOnTimeDate('so-ket-2020')).toBe('2020-07-14');
    expect(onTime(model, 'so-ket-2020', utc('2020-07-14T23:59:59+07:00'))).toBe(true);
    expect(onTime(model, 'so-ket-2020', utc('2020-07-14T16:59:59Z'))).toBe(true);
    // One second later is late, and that second is 17:00:00 UTC on the 14th.
    expect(onTime(model, 'so-ket-2020', utc('2020-07-15T00:00:00+07:00'))).toBe(false);
    expect(onTime(model, 'so-ket-2020', utc('2020-07-14T17:00:00Z'))).toBe(false);
  });

  it('across UTC midnight: the civil date in Hà Nội decides, not the UTC date', () => {
    // 06:30 on the 14th in Hà Nội is still the 13th in UTC: on time.
    const early = utc('2020-07-13T23:30:00Z');
    expect(civilDateOf(early, timeZone)).toBe('2020-07-14');
    expect(onTime(model, 'so-ket-2020', early)).toBe(true);
    // 18:00 UTC on the 14th is already 01:00 on the 15th in Hà Nội: late, although UTC still says the 14th.
    const lateNight = utc('2020-07-14T18:00:00Z');
    expect(new Date(lateNight).toISOString().slice(0, 10)).toBe('2020-07-14');
    expect(civilDateOf(lateNight, timeZone)).toBe('2020-07-15');
    expect(onTime(model, 'so-ket-2020', lateNight)).toBe(false);
    // 23:59 UTC on the 14th is 06:59 on the 15th in Hà Nội.
    expect(formatViDateTime(utc('2020-07-14T23:59:00Z'), timeZone)).toBe('06:59 15/07/2020');
  });

  it('bo-sung-2020: due 04/09/2020 means on time through 03/09/2020 23:59:59 ICT', () => {
    expect(model.dueAt('bo-sung-2020')).toBe(utc('2020-09-03T17:00:00Z'));
    expect(model.lastOnTimeDate('bo-sung-2020')).toBe('2020-09-03');
    expect(onTime(model, 'bo-sung-2020', utc('2020-09-03T23:59:59+07:00'))).toBe(true);
    expect(onTime(model, 'bo-sung-2020', utc('2020-09-04T00:00:00+07:00'))).toBe(false);
  });

  it('lock times are instants with their offset', () => {
    expect(model.lockAt('so-ket-2020')).toBe(utc('2020-07-21T17:00:00Z'));
    expect(model.lockAt('bo-sung-2020')).toBe(utc('2020-09-10T17:00:00Z'));
    expect(formatViDateTime(model.lockAt('so-ket-2020'), timeZone)).toBe('00:00 22/07/2020');
    expect(model.lockAt('so-ket-2020')).toBeGreaterThan(model.dueAt('so-ket-2020'));
  });
});

describe('lenient reading ("by-date"), a schema setting', () => {
  const byDate = modifiedModel((raw) => (raw.deadlineReading = 'by-date'));

  it('moves every due time one day: on time through the due date itself', () => {
    expect(byDate.dueAt('so-ket-2020')).toBe(utc('2020-07-15T17:00:00Z'));
    expect(byDate.lastOnTimeDate('so-ket-2020')).toBe('2020-07-15');
    expect(onTime(byDate, 'so-ket-2020', utc('2020-07-15T23:59:59+07:00'))).toBe(true);
    expect(onTime(byDate, 'so-ket-2020', utc('2020-07-16T00:00:00+07:00'))).toBe(false);
    expect(byDate.dueAt('bo-sung-2020')).toBe(utc('2020-09-04T17:00:00Z'));
    expect(byDate.lastOnTimeDate('bo-sung-2020')).toBe('2020-09-04');
  });

  it('can be set per round, overriding the campaign', () => {
    const perRound = modifiedModel((raw) => (raw.rounds[1].deadlineReading = 'by-date'));
    expect(perRound.dueAt('so-ket-2020')).toBe(utc('2020-07-14T17:00:00Z'));
    expect(perRound.dueAt('bo-sung-2020')).toBe(utc('2020-09-04T17:00:00Z'));
    expect(perRound.lastOnTimeDate('bo-sung-2020')).toBe('2020-09-04');
  });
});

describe('Vietnamese dates and times', () => {
  it('formatViDateTime: HH:mm dd/MM/yyyy in the campaign zone', () => {
    expect(formatViDateTime(utc('2020-07-14T02:12:00Z'), timeZone)).toBe('09:12 14/07/2020');
    expect(formatViDateTime(utc('2020-07-14T16:59:59Z'), timeZone)).toBe('23:59 14/07/2020');
    expect(formatViDateTime(utc('2020-07-14T17:00:00Z'), timeZone)).toBe('00:00 15/07/2020');
    expect(formatViDateTime(utc('2019-12-31T17:00:00Z'), timeZone)).toBe('00:00 01/01/2020');
  });

  it('formatViDateWithWeekday: "thứ …" or "Chủ nhật"', () => {
    expect(formatViDateWithWeekday(utc('2020-07-14T10:00:00+07:00'), timeZone)).toBe('thứ Ba, 14/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-14T17:00:00Z'), timeZone)).toBe('thứ Tư, 15/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-13T20:00:00Z'), timeZone)).toBe('thứ Ba, 14/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-16T08:00:00+07:00'), timeZone)).toBe('thứ Năm, 16/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-17T08:00:00+07:00'), timeZone)).toBe('thứ Sáu, 17/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-18T08:00:00+07:00'), timeZone)).toBe('thứ Bảy, 18/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-19T08:00:00+07:00'), timeZone)).toBe('Chủ nhật, 19/07/2020');
    expect(formatViDateWithWeekday(utc('2020-07-20T08:00:00+07:00'), timeZone)).toBe('thứ Hai, 20/07/2020');
    expect(formatViDateWithWeekday(model.dueAt('bo-sung-2020') - 1000, timeZone)).toBe('thứ Năm, 03/09/2020');
  });

  it('civil-date helpers', () => {
    expect(formatCivilDate('2020-07-15')).toBe('15/07/2020');
    expect(addCivilDays('2020-07-15', -1)).toBe('2020-07-14');
    expect(addCivilDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addCivilDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(civilDaysBetween('2020-07-08', '2020-07-15')).toBe(7);
    expect(startOfCivilDate('2020-07-15', timeZone)).toBe(utc('2020-07-14T17:00:00Z'));
    expect(startOfCivilDate('2020-07-15', 'UTC')).toBe(utc('2020-07-15T00:00:00Z'));
  });

  it('startOfCivilDate in zones with summer time (another campaign may live there)', () => {
    expect(startOfCivilDate('2020-03-08', 'America/New_York')).toBe(utc('2020-03-08T05:00:00Z'));
    expect(startOfCivilDate('2020-11-01', 'America/New_York')).toBe(utc('2020-11-01T04:00:00Z'));
    expect(startOfCivilDate('2020-10-25', 'Europe/London')).toBe(utc('2020-10-24T23:00:00Z'));
    // Santiago skips from 23:59:59 on 05/09 to 01:00 on 06/09: that day begins at the jump.
    const start = startOfCivilDate('2020-09-06', 'America/Santiago');
    expect(start).toBe(utc('2020-09-06T04:00:00Z'));
    expect(civilDateOf(start, 'America/Santiago')).toBe('2020-09-06');
    expect(civilDateOf(start - 1, 'America/Santiago')).toBe('2020-09-05');
  });
});
