/**
 * The whole local system as `npm start` runs it: the stack, the campaign provisioned, and
 * optionally the demo playing in simulated time. The end-to-end test runs this very function
 * headless, on random ports and with faster simulated time.
 */
import { provisionCampaign, type ProvisionOptions } from '../../functions/app/provision.js';
import type { Logger } from '../../functions/app/log.js';
import { demoScenario } from '../demo/scenario.js';
import { SimClock, loadDemoState, runDemo, stepDemo, type DemoHandle } from '../demo/runner.js';
import type { DemoEdit } from '../demo/scenario.js';
import { LOCAL_SERVICE_ACCOUNT, startLocalStack, type LocalStack, type LocalStackOptions } from './stack.js';
import { startCronScheduler, type CronScheduler } from './scheduler.js';
import { SCHEDULED_JOBS, SCHEDULE_TIME_ZONE } from '../../functions/schedule.js';
import { modelOf } from '../../functions/core/campaign-model.js';
import { loadCampaign } from '../../sheets-schema/index.js';
import { join } from 'node:path';

export interface SystemOptions {
  stateDir: string;
  log: Logger;
  ports?: LocalStackOptions['ports'];
  persist?: boolean;
  announce?: boolean;
  sheetsClockScale: number;
  /**
   * false: the real clock. { speed }: the demo plays against the wall clock (simulated ms per
   * real ms). { stepped: true }: simulated time stands still until `stepTo` moves it (tests).
   */
  demo: false | { speed: number; seed?: number; onEdit?: (e: DemoEdit) => void } | { stepped: true; seed?: number };
  onProvisionProgress?: ProvisionOptions['onProgress'];
}

export interface LocalSystem {
  stack: LocalStack;
  demo: DemoHandle | null;
  clock: SimClock | null;
  /** Stepped demo only: plays the scenario up to `until`, firing the scheduled jobs at each step. */
  stepTo(until: number): Promise<{ edits: number }>;
  stop(): Promise<void>;
}

export async function startSystem(opts: SystemOptions): Promise<LocalSystem> {
  const demoFile = join(opts.stateDir, 'demo.json');
  // Nothing may run on the real clock while a demo is to be played: the demo's clock exists
  // before anything starts, standing still at the demo's first morning (or where a previous
  // run left it) until the campaign is provisioned, and every reader of business time (the
  // functions, the scheduler, Google's timestamps in the emulator) reads it.
  let clock: SimClock | null = null;
  if (opts.demo) {
    const saved = opts.persist === false ? null : await loadDemoState(demoFile);
    const model = modelOf(loadCampaign()); // the schema the stack loads
    clock = new SimClock(
      saved?.simNow ?? demoScenario(model, opts.demo.seed).startsAt,
      'stepped' in opts.demo ? 0 : opts.demo.speed,
    );
    clock.freeze();
  }
  const businessNow = clock ? clock.now : Date.now;
  const stack = await startLocalStack({
    stateDir: opts.stateDir,
    ...(opts.ports ? { ports: opts.ports } : {}),
    ...(opts.persist !== undefined ? { persist: opts.persist } : {}),
    announce: opts.announce ?? false,
    sheetsClockScale: opts.sheetsClockScale,
    // Google's time of day is the business clock's, so a clerk's save carries the time the clerk saw.
    sheetsTimeSource: businessNow,
    log: opts.log,
    now: businessNow,
    // Started below, once the campaign exists: a sweep before that would find every unit missing.
    scheduler: false,
  });
  let scheduler: CronScheduler | null = null;
  let demo: DemoHandle | null = null;
  try {
    const runtime = stack.runtime;
    await provisionCampaign(
      { ...runtime, writes: runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
      {
        webhook: {
          address: runtime.config.webhook.url,
          secret: runtime.config.webhook.secret,
          ttlMs: runtime.config.watchTtlMs,
        },
        ...(opts.onProvisionProgress ? { onProgress: opts.onProvisionProgress } : {}),
      },
    );
    const stepped = opts.demo && 'stepped' in opts.demo;
    if (!stepped) {
      scheduler = startCronScheduler({
        jobs: SCHEDULED_JOBS,
        timeZone: SCHEDULE_TIME_ZONE,
        clock: clock ? { now: clock.now, hold: clock.hold } : { now: Date.now },
        fire: (job) => stack.fire(job.name),
        log: opts.log,
      });
    }
    if (opts.demo && clock && 'speed' in opts.demo) {
      // The demo's hold on its first edit is in place before the clock runs.
      demo = await runDemo(stack, clock, {
        stateFile: demoFile,
        log: opts.log,
        ...(opts.demo.seed !== undefined ? { seed: opts.demo.seed } : {}),
        ...(opts.demo.onEdit ? { onEdit: opts.demo.onEdit } : {}),
      });
      if (!demo.progress().finished) clock.resume();
    }
    return {
      stack,
      demo,
      clock,
      stepTo: async (until) => {
        if (!clock || !opts.demo || !('stepped' in opts.demo)) throw new Error('stepTo needs a stepped demo');
        return stepDemo(stack, clock, {
          until,
          log: opts.log,
          ...(opts.demo.seed !== undefined ? { seed: opts.demo.seed } : {}),
        });
      },
      async stop() {
        // The stack stops (and takes its announcement file away) even if the demo or the
        // scheduler fails to stop cleanly.
        try {
          await demo?.stop();
          await scheduler?.stop();
        } finally {
          await stack.stop();
        }
      },
    };
  } catch (e) {
    await demo?.stop();
    await scheduler?.stop();
    await stack.stop();
    throw e;
  }
}
