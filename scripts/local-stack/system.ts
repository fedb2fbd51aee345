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
import { join } from 'node:path';

const HOUR = 3_600_000;

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

/** Scheduler cadence for a demo speed: a sweep every ~12 simulated hours, the master every ~2 s. */
export function demoIntervals(speed: number): Record<string, number> {
  const simulated = (ms: number) => Math.max(250, Math.round(ms / speed));
  return { 'compliance-sweep': simulated(12 * HOUR), 'refresh-master': Math.min(2_000, simulated(6 * HOUR)), reconcile: 20_000, 'poll-changes': 10_000 };
}

export async function startSystem(opts: SystemOptions): Promise<LocalSystem> {
  const demoFile = join(opts.stateDir, 'demo.json');
  let clock: SimClock | null = null;
  const stack = await startLocalStack({
    stateDir: opts.stateDir,
    ...(opts.ports ? { ports: opts.ports } : {}),
    ...(opts.persist !== undefined ? { persist: opts.persist } : {}),
    announce: opts.announce ?? false,
    sheetsClockScale: opts.sheetsClockScale,
    log: opts.log,
    now: () => (clock ? clock.now() : Date.now()),
    scheduler: opts.demo && 'stepped' in opts.demo ? false : { intervals: opts.demo ? demoIntervals(opts.demo.speed) : {} },
  });
  try {
    const rt = stack.runtime;
    await provisionCampaign(
      { ...rt, writes: rt.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
      {
        webhook: { address: rt.config.webhook.url, secret: rt.config.webhook.secret, ttlMs: rt.config.watchTtlMs },
        ...(opts.onProvisionProgress ? { onProgress: opts.onProvisionProgress } : {}),
      },
    );
    // Simulated time starts once the campaign exists, so provisioning does not eat into it.
    if (opts.demo) {
      const saved = opts.persist === false ? null : await loadDemoState(demoFile);
      clock = new SimClock(saved?.simNow ?? demoScenario(rt.model, opts.demo.seed).startsAt, 'stepped' in opts.demo ? 0 : opts.demo.speed);
      if ('stepped' in opts.demo) clock.freeze();
    }
    const demo =
      opts.demo && clock && 'speed' in opts.demo
        ? await runDemo(stack, clock, { stateFile: demoFile, log: opts.log, ...(opts.demo.seed !== undefined ? { seed: opts.demo.seed } : {}), ...(opts.demo.onEdit ? { onEdit: opts.demo.onEdit } : {}) })
        : null;
    return {
      stack,
      demo,
      clock,
      stepTo: async (until) => {
        if (!clock || !opts.demo || !('stepped' in opts.demo)) throw new Error('stepTo needs a stepped demo');
        return stepDemo(stack, clock, { until, log: opts.log, ...(opts.demo.seed !== undefined ? { seed: opts.demo.seed } : {}) });
      },
      async stop() {
        await demo?.stop();
        await stack.stop();
      },
    };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
