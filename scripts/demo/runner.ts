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

const DAY = 86_400_000;

/** Simulated time: `speed` simulated ms per real ms, and it may jump over quiet stretches. */
export class SimClock {
  private baseSim: number;
  private baseReal = Date.now();
  private frozen = false;
  constructor(
    start: number,
    readonly speed: number,
  ) {
    this.baseSim = start;
  }
  now = (): number => (this.frozen ? this.baseSim : this.baseSim + (Date.now() - this.baseReal) * this.speed);
  jumpTo(t: number): void {
    this.baseSim = t;
    this.baseReal = Date.now();
  }
  freeze(): void {
    this.baseSim = this.now();
    this.frozen = true;
  }
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
  for (const r of model.campaign.rounds) {
    const due = model.dueAt(r.id);
    for (const d of model.campaign.reminders.daysBefore) out.push(due - (d + 1) * DAY);
    for (let t = due; t < model.lockAt(r.id); t += model.campaign.reminders.overdueEveryDays * DAY) out.push(t);
    out.push(model.lockAt(r.id));
  }
  return out.sort((a, b) => a - b);
}

export interface DemoHandle {
  clock: SimClock;
  progress(): { simNow: number; done: number; total: number; finished: boolean };
  stop(): Promise<void>;
}

export async function runDemo(stack: LocalStack, clock: SimClock, opts: { stateFile: string; seed?: number; log: Logger; onEdit?: (e: DemoEdit) => void }): Promise<DemoHandle> {
  const rt = stack.runtime;
  const model = rt.model;
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

  const persist = () => writeFile(opts.stateFile, JSON.stringify({ simNow: clock.now(), done: [...done], finished } satisfies DemoState));

  const apply = async (e: DemoEdit) => {
    const reg = await rt.store.unitSheet(e.roundId, e.unitId);
    if (!reg) {
      opts.log.warn('demo: unit has no sheet yet', { unitId: e.unitId, roundId: e.roundId });
      return;
    }
    const template = gridOfWorkbookModel(buildUnitWorkbook(model, e.unitId, e.roundId));
    const { writes } = writesFor(model, e.unitId, e.roundId, template, e.entries);
    const clerk = sheetsAs(stack.urls.sheets, model.unit(e.unitId).emails[0] ?? 'clerk@hanoi.example');
    await withRetry(() => typeInto(clerk, reg.spreadsheetId, writes), { attempts: 8, baseDelayMs: 500, maxDelayMs: 8000 });
  };

  const tick = async () => {
    const now = clock.now();
    for (const e of edits) {
      if (stopped || e.at > now) break;
      if (done.has(e.id)) continue;
      try {
        await apply(e);
        done.add(e.id);
        opts.onEdit?.(e);
        await persist();
      } catch (error) {
        opts.log.warn('demo edit failed; retrying on the next tick', { edit: e.id, error: (error as Error).message });
        return;
      }
    }
    const next = interesting.find((t) => t > now + 1000);
    if (next === undefined || now >= end) {
      if (!finished) {
        finished = true;
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
      if (!stopped) timer = setTimeout(loop, 250);
    });
  };
  if (saved && !finished) clock.jumpTo(saved.simNow);
  loop();
  return {
    clock,
    progress: () => ({ simNow: clock.now(), done: done.size, total: edits.length, finished }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await persist();
    },
  };
}
