/**
 * The local scheduler on a simulated clock: every job of functions/schedule.ts at its cron
 * times on the business clock, in order; the sweep once per due time and at exactly its
 * instant (the clock is held there until it answers), the maintenance jobs once per catch-up.
 * Then the same on the whole stack: the compliance sweep function itself runs at 08:00 and
 * 16:00 of every simulated day the clock jumps over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memory-logger.js';
import { SCHEDULED_JOBS, SCHEDULE_TIME_ZONE, type ScheduledJob } from '../../functions/schedule.js';
import { SimClock } from '../../scripts/demo/runner.js';
import { startCronScheduler } from '../../scripts/local-stack/scheduler.js';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack/stack.js';
import { FAST_RETRY } from '../helpers/stack.js';

const ict = (s: string) => Date.parse(`${s}+07:00`);
const iso = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const job = (name: string) => SCHEDULED_JOBS.find((j) => j.name === name)!;

/** Passes until the clock has reached its jump target (each pass may release a hold). */
async function runUntilCaughtUp(clock: SimClock, runDue: () => Promise<unknown>, target: number): Promise<void> {
  for (let i = 0; i < 200 && clock.now() < target; i++) await runDue();
  await runDue();
  expect(clock.now()).toBe(target);
}

describe('the cron scheduler on a simulated clock', () => {
  it('fires the sweep at 08:00 and 16:00 of every day a jump passes over, each seeing its own instant', async () => {
    const clock = new SimClock(ict('2020-07-12T20:00:00'), 0);
    clock.freeze();
    const seen: { job: string; at: number }[] = [];
    const scheduler = startCronScheduler({
      jobs: [job('compliance-sweep')],
      timeZone: SCHEDULE_TIME_ZONE,
      clock,
      fire: async (job: ScheduledJob) => {
        seen.push({ job: job.name, at: clock.now() });
      },
      log: memoryLogger(),
      tickMs: false,
    });
    // The clock is sent three days ahead at once: it stops at each sweep until it has run.
    clock.jumpTo(ict('2020-07-15T20:00:00'));
    expect(iso(clock.now())).toBe('2020-07-13 08:00');
    await runUntilCaughtUp(clock, scheduler.runDue, ict('2020-07-15T20:00:00'));
    expect(seen.map((s) => iso(s.at))).toEqual([
      '2020-07-13 08:00',
      '2020-07-13 16:00',
      '2020-07-14 08:00',
      '2020-07-14 16:00',
      '2020-07-15 08:00',
      '2020-07-15 16:00',
    ]);
    expect(iso(scheduler.nextDue('compliance-sweep'))).toBe('2020-07-16 08:00');
    await scheduler.stop();
    // Stopped, it holds nothing: the clock may go anywhere.
    clock.jumpTo(ict('2020-07-20T20:00:00'));
    expect(iso(clock.now())).toBe('2020-07-20 20:00');
  });

  it('keeps a running clock at the sweep until the sweep has answered, then lets it run on from there', async () => {
    const clock = new SimClock(ict('2020-07-14T07:59:00'), 3_600_000); // an hour per real millisecond
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    const during: number[] = [];
    const scheduler = startCronScheduler({
      jobs: [job('compliance-sweep')],
      timeZone: SCHEDULE_TIME_ZONE,
      clock,
      fire: async () => {
        during.push(clock.now());
        await answered; // a sweep that takes a while
        during.push(clock.now());
      },
      log: memoryLogger(),
      tickMs: false,
    });
    await new Promise((r) => setTimeout(r, 5)); // five simulated hours, were it not held
    expect(iso(clock.now())).toBe('2020-07-14 08:00');
    const pass = scheduler.runDue();
    await new Promise((r) => setTimeout(r, 5));
    expect(iso(clock.now())).toBe('2020-07-14 08:00');
    release();
    await pass;
    expect(during.map(iso)).toEqual(['2020-07-14 08:00', '2020-07-14 08:00']);
    // Released, it runs on from 08:00, up to the next sweep at 16:00 at most.
    await new Promise((r) => setTimeout(r, 2));
    expect(clock.now()).toBeGreaterThan(ict('2020-07-14T08:00:00'));
    expect(clock.now()).toBeLessThanOrEqual(ict('2020-07-14T16:00:00'));
    await scheduler.stop();
  });

  it('fires every job due in order of due time, the maintenance jobs once for all their missed due times', async () => {
    const clock = new SimClock(ict('2020-07-14T07:58:30'), 0);
    clock.freeze();
    const fired: string[] = [];
    const scheduler = startCronScheduler({
      jobs: SCHEDULED_JOBS,
      timeZone: SCHEDULE_TIME_ZONE,
      clock,
      fire: async (job) => {
        fired.push(`${job.name}@${iso(clock.now())}`);
      },
      log: memoryLogger(),
      realNow: () => 0, // no real time passes: the maintenance floors hold after a first run
      tickMs: false,
    });
    clock.jumpTo(ict('2020-07-14T08:30:00'));
    await scheduler.runDue();
    // Due: refresh-master 07:59, poll-changes 08:00, renew-watch not before 12:00, reconcile not before 08:17 … and the sweep at 08:00, where the clock stands.
    expect(fired).toEqual([
      'refresh-master@2020-07-14 08:00',
      'poll-changes@2020-07-14 08:00',
      'compliance-sweep@2020-07-14 08:00',
    ]);
    fired.length = 0;
    await scheduler.runDue();
    // The clock ran on to 08:30; the maintenance jobs are due again but inside their real-time floor.
    expect(iso(clock.now())).toBe('2020-07-14 08:30');
    expect(fired).toEqual(['reconcile@2020-07-14 08:30']);
    expect(iso(scheduler.nextDue('refresh-master'))).toBe('2020-07-14 08:01'); // from the pass that fired it
    await scheduler.stop();
  });

  it('starts on the clock it is given: nothing is due before its start', async () => {
    const clock = new SimClock(ict('2020-07-14T08:00:00'), 0);
    clock.freeze();
    const fired: string[] = [];
    const scheduler = startCronScheduler({
      jobs: [job('compliance-sweep')],
      timeZone: SCHEDULE_TIME_ZONE,
      clock,
      fire: async (j) => void fired.push(`${j.name}@${iso(clock.now())}`),
      log: memoryLogger(),
      tickMs: false,
    });
    await scheduler.runDue();
    expect(fired).toEqual(['compliance-sweep@2020-07-14 08:00']); // the starting instant itself is due
    await scheduler.runDue();
    expect(fired).toHaveLength(1);
    await scheduler.stop();
  });
});

describe('the scheduler on the local stack, the simulated clock jumping over days', () => {
  let stack: LocalStack;
  let dir: string;
  const log = memoryLogger();
  const clock = new SimClock(ict('2020-07-12T21:00:00'), 0);

  beforeAll(async () => {
    clock.freeze();
    dir = await mkdtemp(join(tmpdir(), 'bao-cao-scheduler-'));
    stack = await startLocalStack({
      stateDir: dir,
      persist: false,
      scheduler: false,
      sheetsQuotas: false,
      pushDelayMs: 50,
      retry: FAST_RETRY,
      log,
      now: clock.now,
      sheetsTimeSource: clock.now,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the compliance sweep function at 08:00 and 16:00 of each simulated day, 13/07 and 14/07 included', async () => {
    const scheduler = startCronScheduler({
      jobs: [job('compliance-sweep'), job('refresh-master')],
      timeZone: SCHEDULE_TIME_ZONE,
      clock,
      fire: (j) => stack.fire(j.name),
      log,
      tickMs: false,
    });
    clock.jumpTo(ict('2020-07-15T07:00:00'));
    await runUntilCaughtUp(clock, scheduler.runDue, ict('2020-07-15T07:00:00'));
    await scheduler.stop();
    const sweeps = log.lines
      .filter((l) => l.message === 'compliance sweep done')
      .map((l) => iso(Date.parse(l.at as string)));
    expect(sweeps).toEqual(['2020-07-13 08:00', '2020-07-13 16:00', '2020-07-14 08:00', '2020-07-14 16:00']);
    expect(log.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
  }, 120_000);
});
