/**
 * Plays the demo scenario against a running local stack: simulated time moves fast, each
 * unit's clerk types into their own sheet when their moment comes, and everything else
 * (Drive pushes, validation, feedback, aggregation, master, reminders) happens by itself.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { withRetry } from '../../functions/adapters/retry.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { gridOfWorkbookModel } from '../../functions/layout/model-grid.js';
import type { Logger } from '../../functions/app/log.js';
import { sheetsAs, typeInto, writesFor } from '../local-stack/clerk.js';
import type { LocalStack } from '../local-stack/stack.js';
import { demoScenario, type DemoEdit } from './scenario.js';
import { SCHEDULED_JOBS, SCHEDULE_TIME_ZONE } from '../../functions/schedule.js';
import { cronTimesBetween } from '../local-stack/cron.js';

const DAY = 86_400_000;
const HOLD_OWNER = 'demo';

/** Types one demo edit into the unit's sheet as its clerk. */
async function applyEdit(stack: LocalStack, edit: DemoEdit): Promise<void> {
  const model = stack.runtime.model;
  const reg = await stack.runtime.store.unitSheet(edit.roundId, edit.unitId);
  if (!reg) throw new Error(`demo: ${edit.roundId}/${edit.unitId} has no sheet`);
  const template = gridOfWorkbookModel(buildUnitWorkbook(model, edit.unitId, edit.roundId));
  const { writes } = writesFor(model, edit.unitId, edit.roundId, template, edit.entries);
  const clerk = sheetsAs(stack.urls.sheets, model.unit(edit.unitId).emails[0] ?? 'clerk@hanoi.example');
  await withRetry(() => typeInto(clerk, reg.spreadsheetId, writes), {
    attempts: 8,
    baseDelayMs: 500,
    maxDelayMs: 8000,
  });
}

/**
 * Simulated time: `speed` simulated ms per real ms; it may jump over quiet stretches, stand
 * still (frozen: provisioning, stepped tests, the end of the demo), and be held: while an
 * owner holds it at an instant (the scheduler at the next sweep, the demo at the next clerk's
 * edit), it does not pass that instant, so what happens there happens at exactly that time
 * however long it takes in real time.
 */
export class SimClock {
  private baseSim: number;
  private baseReal = Date.now();
  private frozen = false;
  private readonly holds = new Map<string, number>();
  constructor(
    start: number,
    readonly speed: number,
  ) {
    this.baseSim = start;
  }
  private raw(): number {
    return this.frozen ? this.baseSim : this.baseSim + (Date.now() - this.baseReal) * this.speed;
  }
  now = (): number => Math.min(this.raw(), ...this.holds.values());
  jumpTo(moment: number): void {
    this.baseSim = moment;
    this.baseReal = Date.now();
  }
  freeze(): void {
    this.baseSim = this.now();
    this.frozen = true;
  }
  /** Lets a frozen clock run again from where it stands. */
  resume(): void {
    if (!this.frozen) return;
    this.baseReal = Date.now();
    this.frozen = false;
  }
  hold = (owner: string, at: number | null): void => {
    // A running clock continues from where the hold kept it, rather than leaping over the
    // time it stood still; a frozen one keeps where it was sent (a jump stops at each hold).
    if (!this.frozen) this.jumpTo(this.now());
    if (at === null) this.holds.delete(owner);
    else this.holds.set(owner, at);
  };
}

interface DemoState {
  simNow: number;
  done: string[];
  finished: boolean;
}

export async function loadDemoState(file: string): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoState;
  } catch {
    return null;
  }
}

/** Instants worth living through at normal speed: edits, reminder days, deadlines, locks. */
function interestingInstants(model: CampaignModel, edits: DemoEdit[]): number[] {
  const out = edits.map((e) => e.at);
  for (const round of model.campaign.rounds) {
    const due = model.dueAt(round.id);
    for (const daysBefore of model.campaign.reminders.daysBefore) out.push(due - (daysBefore + 1) * DAY);
    for (let moment = due; moment < model.lockAt(round.id); moment += model.campaign.reminders.overdueEveryDays * DAY)
      out.push(moment);
    out.push(model.lockAt(round.id));
  }
  return out.sort((a, b) => a - b);
}

export interface DemoHandle {
  clock: SimClock;
  progress(): { simNow: number; done: number; total: number; finished: boolean };
  stop(): Promise<void>;
}

export async function runDemo(
  stack: LocalStack,
  clock: SimClock,
  opts: { stateFile: string; seed?: number; log: Logger; onEdit?: (e: DemoEdit) => void },
): Promise<DemoHandle> {
  const runtime = stack.runtime;
  const model = runtime.model;
  const { edits } = demoScenario(model, opts.seed ?? 521);
  const saved = await loadDemoState(opts.stateFile);
  const done = new Set(saved?.done ?? []);
  const interesting = interestingInstants(model, edits);
  const end = Math.max(...model.campaign.rounds.map((r) => model.lockAt(r.id))) + DAY;
  let finished = saved?.finished ?? false;
  if (finished) clock.freeze();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const persist = () =>
    writeFile(opts.stateFile, JSON.stringify({ simNow: clock.now(), done: [...done], finished } satisfies DemoState));

  const apply = (e: DemoEdit) => applyEdit(stack, e);
  // The clock waits at each clerk's moment until the clerk has typed: Google stamps the save
  // with the clock's time (the emulator follows it), so the recorded time is the clerk's own.
  const holdAtNextEdit = () =>
    clock.hold(HOLD_OWNER, finished ? null : (edits.find((e) => !done.has(e.id))?.at ?? null));

  const tick = async () => {
    const now = clock.now();
    for (const edit of edits) {
      if (stopped || edit.at > now) break;
      if (done.has(edit.id)) continue;
      try {
        await apply(edit);
        done.add(edit.id);
        holdAtNextEdit();
        opts.onEdit?.(edit);
        await persist();
      } catch (error) {
        opts.log.warn('demo edit failed; retrying on the next tick', {
          edit: edit.id,
          error: (error as Error).message,
        });
        return;
      }
    }
    const next = interesting.find((t) => t > now + 1000);
    if (next === undefined || now >= end) {
      if (!finished) {
        finished = true;
        holdAtNextEdit();
        clock.freeze();
        await persist();
      }
      return;
    }
    // Nothing to see for days: skip ahead to one simulated hour before it.
    if (next - now > 2 * DAY) clock.jumpTo(next - 3_600_000);
  };

  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      // Often: the clock waits at the next edit until it is typed.
      if (!stopped) timer = setTimeout(loop, 50);
    });
  };
  if (saved && !finished) clock.jumpTo(saved.simNow);
  holdAtNextEdit();
  loop();
  return {
    clock,
    progress: () => ({ simNow: clock.now(), done: done.size, total: edits.length, finished }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await persist();
      clock.hold(HOLD_OWNER, null);
    },
  };
}

/**
 * The demo driven step by step instead of against the wall clock: simulated time jumps to
 * each moment something is due, the due edits are typed, and the same jobs the scheduler
 * fires (poll, sweep, master) are fired through their HTTP functions and awaited. The outcome
 * no longer depends on how fast the machine is, which is what a test needs.
 */
export async function stepDemo(
  stack: LocalStack,
  clock: SimClock,
  opts: { until: number; seed?: number; log: Logger; onEdit?: (e: DemoEdit) => void },
): Promise<{ edits: number }> {
  const model = stack.runtime.model;
  const { edits, startsAt } = demoScenario(model, opts.seed ?? 521);
  // The sweep at the times its cron names (08:00 and 16:00), from the demo's first morning.
  const sweep = SCHEDULED_JOBS.find((j) => j.name === 'compliance-sweep')!;
  const sweepTimes = cronTimesBetween(sweep.cron, startsAt - 1, opts.until, SCHEDULE_TIME_ZONE);
  const moments = [...new Set([...edits.map((e) => e.at).filter((t) => t <= opts.until), ...sweepTimes])].sort(
    (a, b) => a - b,
  );
  let applied = 0;
  for (const moment of moments) {
    clock.jumpTo(moment);
    const due = edits.filter((e) => e.at === moment);
    for (const edit of due) {
      await applyEdit(stack, edit);
      applied++;
      opts.onEdit?.(edit);
    }
    if (due.length) {
      await stack.fire('poll-changes');
      await stack.triggersIdle();
    }
    if (sweepTimes.includes(moment)) {
      await stack.fire('compliance-sweep');
      await stack.fire('refresh-master');
    }
  }
  clock.jumpTo(opts.until);
  return { edits: applied };
}
