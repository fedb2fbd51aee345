/**
 * Cron stepping for the local scheduler: each job of functions/schedule.ts is due at the
 * instants Cloud Scheduler would call it, in Asia/Ho_Chi_Minh (UTC+7), whatever instant the
 * search starts from.
 */
import { describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS, SCHEDULE_TIME_ZONE } from '../../functions/schedule.js';
import { cronTimesBetween, nextCronTime, parseCron } from '../../scripts/local-stack/cron.js';

const ict = (s: string) => Date.parse(`${s}+07:00`);
const iso = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const cronOf = (name: string) => SCHEDULED_JOBS.find((j) => j.name === name)!.cron;
const timeZone = SCHEDULE_TIME_ZONE;

describe('nextCronTime', () => {
  it('steps the compliance sweep to 08:00 and 16:00 local time of every day, 13/07 and 14/07 included', () => {
    const times = cronTimesBetween(
      cronOf('compliance-sweep'),
      ict('2020-07-12T23:00:00'),
      ict('2020-07-15T12:00:00'),
      timeZone,
    ).map(iso);
    expect(times).toEqual([
      '2020-07-13 08:00',
      '2020-07-13 16:00',
      '2020-07-14 08:00',
      '2020-07-14 16:00',
      '2020-07-15 08:00',
    ]);
  });

  it('is strictly after its starting instant, so a due time fires once', () => {
    const sweep = cronOf('compliance-sweep');
    expect(iso(nextCronTime(sweep, ict('2020-07-14T08:00:00'), timeZone))).toBe('2020-07-14 16:00');
    expect(iso(nextCronTime(sweep, ict('2020-07-14T07:59:59.999'), timeZone))).toBe('2020-07-14 08:00');
    expect(iso(nextCronTime(sweep, ict('2020-07-14T16:00:30'), timeZone))).toBe('2020-07-15 08:00');
  });

  it('steps every maintenance job at its own cadence', () => {
    const from = ict('2020-07-14T10:02:10');
    expect(iso(nextCronTime(cronOf('refresh-master'), from, timeZone))).toBe('2020-07-14 10:03');
    expect(iso(nextCronTime(cronOf('poll-changes'), from, timeZone))).toBe('2020-07-14 10:05');
    expect(iso(nextCronTime(cronOf('reconcile'), from, timeZone))).toBe('2020-07-14 10:17');
    expect(iso(nextCronTime(cronOf('renew-watch'), from, timeZone))).toBe('2020-07-14 12:00');
    expect(
      cronTimesBetween(cronOf('renew-watch'), ict('2020-07-14T00:00:00'), ict('2020-07-15T00:00:00'), timeZone).map(
        iso,
      ),
    ).toEqual(['2020-07-14 06:00', '2020-07-14 12:00', '2020-07-14 18:00', '2020-07-15 00:00']);
  });

  it('crosses months and years on the local calendar, not UTC', () => {
    // 00:30 on 1 January local time is still 31 December in UTC.
    expect(iso(nextCronTime('30 0 1 1 *', ict('2020-07-14T00:00:00'), timeZone))).toBe('2021-01-01 00:30');
    expect(iso(nextCronTime('0 9 * * 1', ict('2020-07-14T10:00:00'), timeZone))).toBe('2020-07-20 09:00'); // 14/07/2020 is a Tuesday
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 15th, or any Sunday (0 and 7 both name Sunday): from Friday 10/07, Sunday 12/07 comes first.
    expect(iso(nextCronTime('0 8 15 * 0', ict('2020-07-10T12:00:00'), timeZone))).toBe('2020-07-12 08:00');
    expect(iso(nextCronTime('0 8 15 * 7', ict('2020-07-12T12:00:00'), timeZone))).toBe('2020-07-15 08:00');
  });

  it('follows a zone with summer time', () => {
    // Europe/Paris moves from UTC+1 to UTC+2 on 29/03/2020: 08:00 local is 07:00 then 06:00 UTC.
    const times = cronTimesBetween(
      '0 8 * * *',
      Date.parse('2020-03-28T00:00:00Z'),
      Date.parse('2020-03-30T00:00:00Z'),
      'Europe/Paris',
    );
    expect(times.map((t) => new Date(t).toISOString())).toEqual([
      '2020-03-28T07:00:00.000Z',
      '2020-03-29T06:00:00.000Z',
    ]);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseCron('0 8 * *')).toThrow(/5 fields/);
    expect(() => parseCron('0 24 * * *')).toThrow(/hour/);
    expect(() => parseCron('0 8 * JAN *')).toThrow(/month/);
    expect(() => nextCronTime('0 8 30 2 *', 0, timeZone)).toThrow(/never due/);
  });
});
