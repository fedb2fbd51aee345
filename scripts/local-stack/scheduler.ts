/**
 * Cloud Scheduler, locally: every job of functions/schedule.ts fires at the times its cron
 * names, in the campaign's time zone, on the business clock (the demo's simulated clock, or the
 * real one). Each pass fires what fell due since the last one, in order of due time: the
 * compliance sweep once per due time ('every'), the idempotent maintenance jobs once for all
 * their due times ('once', no more often than their real-time floor).
 *
 * A simulated clock runs hours per real second, while a sweep takes seconds: so that the
 * sweep sees its own instant (08:00, not 09:52), the scheduler holds the clock at the next
 * sweep's due time (`clock.hold`) and lets it go once the sweep has answered, as Cloud
 * Scheduler's firing takes no business time.
 */
import type { Logger } from '../../functions/app/log.js';
import type { ScheduledJob } from '../../functions/schedule.js';
import { nextCronTime } from './cron.js';

export interface SchedulerClock {
  now(): number;
  /** Stop the clock from passing `at` (null: no longer), on behalf of `owner`. */
  hold?(owner: string, at: number | null): void;
}

export interface FiredJob {
  job: string;
  dueAt: number;
  /** Business time when it was fired. */
  firedAt: number;
}

export interface CronScheduler {
  /** Fires, in order, every job due up to the clock's present; resolves when all have answered. */
  runDue(): Promise<FiredJob[]>;
  /** When `jobName` is next due (business time). */
  nextDue(jobName: string): number;
  stop(): Promise<void>;
}

export interface CronSchedulerOptions {
  jobs: ScheduledJob[];
  timeZone: string;
  clock: SchedulerClock;
  fire: (job: ScheduledJob) => Promise<unknown>;
  log: Logger;
  /** Real time, for the maintenance jobs' floor (default Date.now). */
  realNow?: () => number;
  /** Real ms between passes; false: only `runDue` calls (tests). Default 100. */
  tickMs?: number | false;
}

const HOLD_OWNER = 'scheduler';

export function startCronScheduler(opts: CronSchedulerOptions): CronScheduler {
  const { jobs, timeZone, clock, log } = opts;
  const realNow = opts.realNow ?? Date.now;
  // Jobs due at the very instant the scheduler starts fire too (the demo's first 08:00).
  const start = clock.now() - 1;
  const next = new Map(jobs.map((j) => [j.name, nextCronTime(j.cron, start, timeZone)] as const));
  const lastRealRun = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const holdAtNextEveryJob = () => {
    if (!clock.hold) return;
    const dues = jobs.filter((j) => j.catchUp === 'every').map((j) => next.get(j.name)!);
    clock.hold(HOLD_OWNER, stopped || dues.length === 0 ? null : Math.min(...dues));
  };
  holdAtNextEveryJob();

  const fireOne = async (job: ScheduledJob, dueAt: number): Promise<FiredJob> => {
    const firedAt = clock.now();
    try {
      await opts.fire(job);
    } catch (e) {
      // Like Cloud Scheduler without retries: the next due time runs it again.
      log.warn('scheduled job failed', {
        job: job.name,
        dueAt: new Date(dueAt).toISOString(),
        error: (e as Error).message,
      });
    }
    return { job: job.name, dueAt, firedAt };
  };

  const pass = async (): Promise<FiredJob[]> => {
    const now = clock.now();
    const events: { job: ScheduledJob; dueAt: number; order: number }[] = [];
    jobs.forEach((job, order) => {
      const due = next.get(job.name)!;
      if (due > now) return;
      if (job.catchUp === 'every') {
        for (let moment = due; moment <= now; moment = nextCronTime(job.cron, moment, timeZone))
          events.push({ job, dueAt: moment, order });
      } else if (realNow() - (lastRealRun.get(job.name) ?? -Infinity) >= job.localMinGapMs) {
        events.push({ job, dueAt: due, order });
      }
    });
    events.sort((a, b) => a.dueAt - b.dueAt || a.order - b.order);
    const fired: FiredJob[] = [];
    for (const event of events) {
      if (stopped) break;
      fired.push(await fireOne(event.job, event.dueAt));
      if (event.job.catchUp === 'every') {
        next.set(event.job.name, nextCronTime(event.job.cron, event.dueAt, timeZone));
        holdAtNextEveryJob(); // the clock may move on to the next sweep
      } else {
        next.set(event.job.name, nextCronTime(event.job.cron, now, timeZone));
        lastRealRun.set(event.job.name, realNow());
      }
    }
    return fired;
  };

  const runDue = (): Promise<FiredJob[]> => {
    const run = chain.then(pass);
    chain = run.catch(() => undefined);
    return run;
  };

  if (opts.tickMs !== false) {
    const tickMs = opts.tickMs ?? 100;
    const loop = () => {
      if (stopped) return;
      void runDue().finally(() => {
        if (!stopped) timer = setTimeout(loop, tickMs);
      });
    };
    timer = setTimeout(loop, 0);
  }

  return {
    runDue,
    nextDue: (name) => {
      const nextAt = next.get(name);
      if (nextAt === undefined) throw new Error(`unknown job ${name}`);
      return nextAt;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
      holdAtNextEveryJob();
    },
  };
}
