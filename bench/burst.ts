/**
 * A burst with quotas on: 600 communes × 5 edits each in the local stack (the same path as
 * npm start: Drive push → driveWebhook → poll → process → feedback; Firestore trigger →
 * aggregation; refresh-master and poll-changes fired by a scheduler at their production
 * cadence in emulated time). Edit 1 types a whole valid workbook; edits 2–5 correct two
 * figures. Clerks type concurrently, one wave of edits after another.
 *
 * Quotas: Google's per-user limits (60 read and 60 write requests per minute) on the emulator's
 * clock, which runs SCALE× faster than real time; back-off sleeps of the production retry
 * policy are scaled alike, so everything happens as against Google, SCALE× faster. Drain time
 * is reported in real and in emulated (Google) time.
 *
 * Drained when: every unit's state has read its last edit (seenVersion ≥ the file version after
 * the clerk's last write), no poll is running, the change feed from the stored page token holds
 * nothing unprocessed, every trigger is delivered, and a final master refresh has run. Then the
 * city total (stored aggregate and the master sheet's "Tổng cộng" rows of Bảng 1 and Bảng 2) is
 * compared with totals computed independently from the sheets' final contents; and the logs must
 * show no failed processing, every 429 must have been absorbed by retries, no push refused.
 */
import type { DocumentSnapshot } from '@google-cloud/firestore';
import { totalsFromSubmission, computeAllNodes, type NodeTotals } from '../functions/core/aggregate.js';
import { evaluateWorkbook } from '../functions/core/evaluate.js';
import { consolidationNode } from '../functions/core/master-view.js';
import { gridOfWorkbookModel } from '../functions/layout/model-grid.js';
import type { UnitRoundState } from '../functions/app/records.js';
import { SCHEDULED_JOBS } from '../functions/schedule.js';
import type { LogEntry } from '../scripts/emulators/sheets/types.js';
import { validSubmission } from '../test/helpers/fill-workbook.js';
import { submissionEntries } from '../test/helpers/stack.js';
import { communesOf, ROUND } from './lib/campaign.js';
import type { Entry } from '../scripts/local-stack/clerk.js';
import { counterFor } from './lib/firestore-counter.js';
import { sleep, waitFor } from './lib/stats.js';
import { SA, sharedStack, type BenchStack } from './lib/stack.js';
import { figure, type Benchmark, type BenchContext } from './lib/types.js';
import { MAIN_PERIOD } from '../test/helpers/campaign.js';

export const SCALE = 4;
const EDITS = 5;
const CLERKS_AT_ONCE = 4;

/** The two corrections of edit k (2…5): figures of 2019 in Bảng 1, always valid. */
function correction(base: Record<string, number>, wave: number): Entry[] {
  return [
    {
      kind: 'figure',
      table: 'bang1',
      period: MAIN_PERIOD,
      code: 'tuyen_truyen.dai_chung',
      value: (base['tuyen_truyen.dai_chung'] ?? 0) + wave,
    },
    {
      kind: 'figure',
      table: 'bang1',
      period: MAIN_PERIOD,
      code: 'tuyen_truyen.pano_khau_hieu',
      value: (base['tuyen_truyen.pano_khau_hieu'] ?? 0) + 2 * wave,
    },
  ];
}

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Totals each unit's final sheet yields, evaluated straight from the emulator's stored cells. */
function expectedCity(stack: BenchStack, units: string[]): { city: NodeTotals; notReady: string[] } {
  const model = stack.runtime.model;
  const own = new Map<string, NodeTotals>();
  const notReady: string[] = [];
  for (const unitId of units) {
    const grid = gridOfWorkbookModel(stack.sheets.toWorkbookModel(stack.spreadsheetIds.get(unitId)!));
    const evaluation = evaluateWorkbook(model, unitId, ROUND, grid);
    if (evaluation.status !== 'ready') notReady.push(unitId);
    else own.set(unitId, totalsFromSubmission(evaluation.totals));
  }
  return { city: computeAllNodes(model, own).get(consolidationNode(model))?.totals ?? {}, notReady };
}

/** The "Tổng cộng" row of a consolidated tab of the master sheet, by indicator code. */
function masterTotalRow(stack: BenchStack, masterId: string, tableId: string): Record<string, number | null> | null {
  const model = stack.runtime.model;
  const table = model.figuresTable(tableId);
  const title = `${table.label} – ${model.round(ROUND).name}`;
  const sheet = stack.sheets.toWorkbookModel(masterId).sheets.find((x) => x.title === title);
  if (!sheet) return null;
  const label = sheet.cells.find((c) => c.col === 1 && typeof c.value === 'string' && c.value.startsWith('Tổng cộng'));
  if (!label) return null;
  const row = new Map(sheet.cells.filter((c) => c.row === label.row).map((c) => [c.col, c.value]));
  return Object.fromEntries(
    table.indicators.map((ind, j) => [
      ind.code,
      typeof row.get(2 + j) === 'number' ? (row.get(2 + j) as number) : null,
    ]),
  );
}

function compareTotals(
  expected: NodeTotals,
  actual: NodeTotals | Record<string, Record<string, number | null> | null>,
  tables: string[],
): string[] {
  const diffs: string[] = [];
  for (const tableId of tables)
    for (const [code, value] of Object.entries(expected[tableId] ?? {})) {
      const got = actual[tableId]?.[code] ?? null;
      if (value === null ? got !== null : got === null || Math.abs(got - value) > 1e-6)
        diffs.push(`${tableId}.${code}: expected ${value}, got ${got}`);
    }
  return diffs;
}

export interface BurstOutcome {
  scale: number;
  units: number;
  edits: number;
  typingMs: number;
  drainAfterLastEditMs: number;
  totalMs: number;
  emulatedDrainAfterLastEditS: number;
  emulatedTotalS: number;
  processedReads: number;
  serviceAccount: { reads: number; writes: number; status429: number; otherErrors: number };
  retries: Record<string, number>;
  quotaFloorS: number;
  failures: string[];
  pushesFailed: number;
  masterRefreshes: number;
  /** The last refresh-master, with every unit submitted: its time and the Firestore documents it read. */
  finalRefresh: { ms: number; firestoreReads: number };
  pageTokenAtEnd: boolean;
  cityMatchesAggregate: boolean;
  cityMatchesMaster: boolean;
  diffs: string[];
  notReady: string[];
}

export async function runBurst(ctx: BenchContext, stack: BenchStack, scale: number): Promise<BurstOutcome> {
  const runtime = stack.runtime;
  const model = runtime.model;
  const units = communesOf(model);
  const masterId = (await runtime.store.meta('master')).spreadsheetId!;

  // Every request the emulator logs, tallied as it happens (the log itself keeps 10,000).
  const tally = { saReads: 0, saWrites: 0, sa429: 0, saOther: 0, unitReadsOk: 0 };
  /** Sequence number of the service account's latest successful read of each sheet. */
  const lastRead = new Map<string, number>();
  const log = stack.sheets.log as LogEntry[] & { push: (...e: LogEntry[]) => number };
  const push = log.push.bind(log);
  log.push = (...entries: LogEntry[]) => {
    for (const entry of entries) {
      if (entry.user !== SA || entry.api !== 'sheets') continue;
      if (entry.status === 429) tally.sa429++;
      else if (entry.status >= 400 || entry.status === 0) tally.saOther++;
      else if (entry.kind === 'read') {
        tally.saReads++;
        if (entry.spreadsheetId !== masterId) tally.unitReadsOk++;
        if (entry.spreadsheetId) lastRead.set(entry.spreadsheetId, entry.seq);
      } else tally.saWrites++;
    }
    return push(...entries);
  };
  const retriesBefore = new Map(stack.retries);
  const logLinesBefore = stack.log.lines.length;
  const pushesBefore = stack.sheets.pushes.length;

  // Edits prepared before the clock starts: positions come from the layout, not from requests.
  const plans = new Map<
    string,
    { full: ReturnType<BenchStack['writesOf']>; corrections: ReturnType<BenchStack['writesOf']>[] }
  >();
  for (const unitId of units) {
    const sub = validSubmission(model, unitId, ROUND);
    const base = sub.figures.bang1![MAIN_PERIOD]! as Record<string, number>;
    plans.set(unitId, {
      full: stack.writesOf(unitId, submissionEntries(sub)),
      corrections: [2, 3, 4, 5].map((k) => stack.writesOf(unitId, correction(base, k))),
    });
  }
  // Wave k holds every unit's k-th edit, in a shuffled (seeded) order.
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const waves = Array.from({ length: EDITS }, (_, waveNumber) => {
    const wave = units.map((unitId) => ({ unitId, k: waveNumber + 1 }));
    for (let i = wave.length - 1; i > 0; i--) {
      const swapWith = Math.floor(random() * (i + 1));
      [wave[i], wave[swapWith]] = [wave[swapWith]!, wave[i]!];
    }
    return wave;
  });

  stack.setScale(scale);
  stack.setQuotas(true);
  // The scheduler, in emulated time: refresh-master every minute, poll-changes every 5 minutes.
  let masterRefreshes = 0;
  let stopScheduler = false;
  const running = new Set<string>();
  const every = (job: string, emulatedMs: number) =>
    setInterval(() => {
      if (running.has(job) || stopScheduler) return;
      running.add(job);
      stack
        .fire(job)
        .then((result) => {
          if (job === 'refresh-master' && (result as { refreshed?: boolean })?.refreshed) masterRefreshes++;
        })
        .catch((e) => ctx.log(`scheduled ${job} failed: ${(e as Error).message}`))
        .finally(() => running.delete(job));
    }, emulatedMs / scale);
  const cron = (name: string) => SCHEDULED_JOBS.find((j) => j.name === name)!;
  const timers = [every(cron('refresh-master').name, 60_000), every(cron('poll-changes').name, 300_000)];

  const lastVersion = new Map<string, number>();
  const lastEditSeq = new Map<string, number>();
  const unitSheets = new Set(units.map((u) => stack.spreadsheetIds.get(u)!));
  const startedAt = performance.now();
  const emulatedStart = stack.sheets.clock.now();
  try {
    for (const wave of waves) {
      await runPool(wave, CLERKS_AT_ONCE, async ({ unitId, k: wave }) => {
        const plan = plans.get(unitId)!;
        await stack.typeWrites(unitId, wave === 1 ? plan.full : plan.corrections[wave - 2]!);
        if (wave === EDITS) {
          lastVersion.set(
            unitId,
            Number(stack.sheets.getDriveFileState(stack.spreadsheetIds.get(unitId)!)?.version ?? 0),
          );
          lastEditSeq.set(unitId, stack.sheets.log.at(-1)?.seq ?? 0);
        }
      });
    }
    const tTyped = performance.now();
    const eTyped = stack.sheets.clock.now();
    ctx.log(
      `typed ${units.length * EDITS} edits in ${((tTyped - startedAt) / 1000).toFixed(1)} s; ${tally.unitReadsOk} unit reads so far, ${tally.sa429} × 429`,
    );

    // Drain: the service account has read every sheet after its last edit (from the request
    // log, which costs nothing to watch)…
    let lastReport = performance.now();
    const behind = () => units.filter((u) => (lastRead.get(stack.spreadsheetIds.get(u)!) ?? 0) <= lastEditSeq.get(u)!);
    for (let left = behind(); left.length; left = behind()) {
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        ctx.log(
          `draining: ${left.length} units not yet read since their last edit; ${tally.unitReadsOk} unit reads, ${tally.sa429} × 429, emulated ${((stack.sheets.clock.now() - emulatedStart) / 60_000).toFixed(1)} min`,
        );
      }
      if (performance.now() - startedAt > 480_000)
        throw new Error(`burst did not drain: ${left.length} units never read after their last edit`);
      await sleep(100);
    }
    ctx.log(
      `every sheet read after its last edit, ${((performance.now() - tTyped) / 1000).toFixed(1)} s after the last edit`,
    );
    // …and every unit's stored state has taken that read in (checked in Firestore).
    const pending = new Set(units);
    while (pending.size) {
      const ids = [...pending];
      for (let i = 0; i < ids.length; i += 200) {
        const refs = ids.slice(i, i + 200).map((u) => runtime.store.stateRef(ROUND, u));
        const snaps = (await runtime.db.getAll(...refs)) as DocumentSnapshot[];
        snaps.forEach((snap, snapIndex) => {
          const state = snap.data() as UnitRoundState | undefined;
          const unitId = ids[i + snapIndex]!;
          if (state && state.seenVersion >= lastVersion.get(unitId)!) pending.delete(unitId);
        });
      }
      if (!pending.size) break;
      if (performance.now() - startedAt > 480_000)
        throw new Error(`burst did not drain: ${pending.size} states behind`);
      await sleep(1000);
    }
    // …no poll running, the feed read to its end, every trigger delivered, and a final refresh.
    const pageTokenAtEnd = await waitFor(
      'the change feed to be read to its end',
      async () => {
        const watch = await runtime.store.meta('driveWatch');
        if ((watch.pollLeaseUntil ?? 0) > 0 || !watch.pageToken) return undefined;
        const { changes } = await runtime.files.listChanges(watch.pageToken);
        return changes.some((c) => unitSheets.has(c.fileId)) ? undefined : true;
      },
      120_000,
      200,
    ).catch(() => false);
    await stack.triggersIdle();
    ctx.log(
      `states caught up, feed read to its end (${pageTokenAtEnd}), triggers delivered, ${((performance.now() - tTyped) / 1000).toFixed(1)} s after the last edit`,
    );
    stopScheduler = true;
    await waitFor('scheduled jobs to finish', () => (running.size === 0 ? true : undefined), 120_000, 50);
    const readsBefore = counterFor(runtime.db).counts.reads;
    const refreshStarted = performance.now();
    const refresh = (await stack.fire('refresh-master')) as { refreshed?: boolean };
    if (refresh?.refreshed) masterRefreshes++;
    const finalRefresh = {
      ms: performance.now() - refreshStarted,
      firestoreReads: counterFor(runtime.db).counts.reads - readsBefore,
    };
    const tDrained = performance.now();
    const eDrained = stack.sheets.clock.now();

    const { city: expected, notReady } = expectedCity(stack, units);
    const stored = (await runtime.store.aggregate(ROUND, consolidationNode(model)))?.totals ?? {};
    const tables = ['bang1', 'bang2'];
    const aggDiffs = compareTotals(expected, stored, tables);
    const masterRows = Object.fromEntries(tables.map((t) => [t, masterTotalRow(stack, masterId, t)]));
    const masterDiffs = compareTotals(expected, masterRows, tables);
    const failures = stack.log.lines
      .slice(logLinesBefore)
      .filter((l) => l.severity === 'ERROR')
      .map(
        (l) =>
          `${String(l.message)}${(l.error as { message?: string } | undefined)?.message ? `: ${(l.error as { message: string }).message.slice(0, 160)}` : ''}`,
      );
    const retries: Record<string, number> = {};
    for (const [key, value] of stack.retries)
      if (value - (retriesBefore.get(key) ?? 0) > 0) retries[key] = value - (retriesBefore.get(key) ?? 0);
    const processedReads = tally.unitReadsOk;
    return {
      scale,
      units: units.length,
      edits: units.length * EDITS,
      typingMs: tTyped - startedAt,
      drainAfterLastEditMs: tDrained - tTyped,
      totalMs: tDrained - startedAt,
      emulatedDrainAfterLastEditS: (eDrained - eTyped) / 1000,
      emulatedTotalS: (eDrained - emulatedStart) / 1000,
      processedReads,
      serviceAccount: {
        reads: tally.saReads,
        writes: tally.saWrites,
        status429: tally.sa429,
        otherErrors: tally.saOther,
      },
      retries,
      // The service account's reads and writes each at 60 per minute: the least emulated time they need.
      quotaFloorS: (Math.max(tally.saReads, tally.saWrites) / 60) * 60,
      failures,
      pushesFailed: stack.sheets.pushes.slice(pushesBefore).filter((p) => p.error || (p.status ?? 200) >= 300).length,
      masterRefreshes,
      finalRefresh,
      pageTokenAtEnd,
      cityMatchesAggregate: aggDiffs.length === 0 && notReady.length === 0,
      cityMatchesMaster: masterDiffs.length === 0 && notReady.length === 0,
      diffs: [...aggDiffs.map((d) => `aggregate ${d}`), ...masterDiffs.map((d) => `master ${d}`)].slice(0, 20),
      notReady,
    };
  } finally {
    stopScheduler = true;
    timers.forEach(clearInterval);
    log.push = push;
    stack.setQuotas(false);
    stack.setScale(1);
  }
}

/** `3× "message" (cause)`, grouped by message and cause. */
function failureSummary(failures: string[]): string {
  const counts = new Map<string, number>();
  for (const failure of failures) {
    const separator = failure.indexOf(': ');
    const message = separator < 0 ? failure : failure.slice(0, separator);
    const cause =
      separator < 0
        ? ''
        : /quota exceeded/i.test(failure.slice(separator))
          ? ' ← 429 after the last retry'
          : ` ← ${failure.slice(separator + 2, separator + 60)}`;
    counts.set(`"${message}"${cause}`, (counts.get(`"${message}"${cause}`) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n}× ${k}`).join('; ');
}

export const burstBench: Benchmark = {
  id: 'burst',
  title: 'Burst: 600 units × 5 edits with quotas on',
  prepare(ctx) {
    void sharedStack(ctx, 600).catch(() => {});
  },
  async run(ctx) {
    const stack = await sharedStack(ctx, 600);
    const outcome = await runBurst(ctx, stack, SCALE);
    ctx.log(JSON.stringify({ ...outcome, diffs: outcome.diffs.slice(0, 3), failures: outcome.failures.slice(0, 3) }));
    const ok =
      outcome.failures.length === 0 &&
      outcome.serviceAccount.otherErrors === 0 &&
      outcome.pageTokenAtEnd &&
      outcome.cityMatchesAggregate &&
      outcome.cityMatchesMaster &&
      outcome.notReady.length === 0;
    const surfaced429 = outcome.failures.filter((f) => /429|quota/i.test(f)).length;
    const emulatedMin = outcome.emulatedTotalS / 60;
    return {
      figures: [
        figure({
          id: 'burst.drainSeconds',
          label: `Burst 600 units × 5 edits, quotas on: time to drain (clock ${outcome.scale}×)`,
          value: outcome.totalMs / 1000,
          unit: 's',
          baseline: { label: 'quota floor: SA requests ÷ 60/min', value: outcome.quotaFloorS / outcome.scale },
          target: 'all processed, master correct, no unhandled 429',
          met: ok,
          note:
            `${outcome.edits} edits typed in ${(outcome.typingMs / 1000).toFixed(0)} s, drained ${(outcome.drainAfterLastEditMs / 1000).toFixed(0)} s after the last; ` +
            `${emulatedMin.toFixed(1)} min of Google (emulated) time in all, ${(outcome.emulatedDrainAfterLastEditS / 60).toFixed(1)} min after the last edit; ` +
            `${outcome.processedReads} unit reads for ${outcome.edits} edits; service account ${outcome.serviceAccount.reads} reads + ${outcome.serviceAccount.writes} writes, ${outcome.serviceAccount.status429} × 429, ${outcome.retries['429'] ?? 0} retried${surfaced429 ? `, ${surfaced429} surfaced as a failure (retries exhausted; the change stayed in the feed and a later poll processed it)` : ', none surfaced'}; ` +
            `${outcome.failures.length} errors logged${outcome.failures.length ? ` (${failureSummary(outcome.failures)})` : ''}, ${outcome.pushesFailed} pushes failed or timed out; master refreshed ${outcome.masterRefreshes}× (the last, all 600 submitted: ${(outcome.finalRefresh.ms / 1000).toFixed(1)} s, ${outcome.finalRefresh.firestoreReads.toLocaleString('en')} Firestore reads); city total ${outcome.cityMatchesAggregate ? '=' : '≠'} aggregate, ${outcome.cityMatchesMaster ? '=' : '≠'} master sheet; page token at end: ${outcome.pageTokenAtEnd ? 'yes' : 'NO'}`,
        }),
      ],
      details: outcome as unknown as Record<string, unknown>,
    };
  },
};
