/**
 * What one master refresh costs after one unit changed, at 30, 600 and 11,000 generated
 * communes: Firestore documents read and master-sheet cells written by the incremental refresh,
 * against a full rebuild (every document of the campaign read, every cell rewritten) measured in
 * the same run on the same data.
 *
 * Set-up per size: the test stack (Sheets/Drive emulator, every function) with the generated
 * campaign and its master sheet provisioned; Firestore seeded directly with every commune's
 * registration, state, accepted submission and the aggregate tree (bench/lib/seed.ts). A first
 * forced refresh renders the whole master and warms the refresh's cache, as the first run on a
 * fresh instance does. Then, per sample, one commune's submission is replaced by a new version
 * with other figures and aggregated as the trigger does (which marks that unit for the master),
 * and one refresh runs. After the samples, a forced full rebuild is the baseline; it also
 * compares what the incremental refreshes left with what a full rebuild writes (any difference
 * is logged as an error, and the run is then marked inconsistent).
 *
 * Backends: the in-memory Firestore double at every size, with a master that computes the
 * requests the Sheets adapter would send (the same pure functions) without sending them: at
 * 11,000 units a whole master is about 165 MB of requests per round, which the first forced
 * render would push through the Sheets emulator for minutes; and the test stack (Google's
 * Firestore emulator, the Sheets emulator, the real adapters) at 30 and 600, whose read and
 * cell counts must agree with the double's.
 *
 * Cells written are classified by the row they land on: a row that names the changed commune
 * or one of its ancestors, or a total/subtotal row, is what the change moves; any other row
 * written is counted against the target.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from '@googleapis/sheets';
import { aggregateSubmission } from '../functions/app/aggregate.js';
import { createMasterCache, refreshMaster, type MasterCache, type MasterDeps } from '../functions/app/master.js';
import type { Logger } from '../functions/app/log.js';
import { silentLogger } from '../test/helpers/memory-logger.js';
import type { MasterSheets } from '../functions/app/ports.js';
import type { FirestoreStore } from '../functions/adapters/firestore-store.js';
import type { CampaignModel } from '../functions/core/campaign-model.js';
import type { WorkbookModel } from '../functions/layout/model.js';
import {
  cellsIn,
  toChangedContentRequests,
  toReplaceContentRequests,
  type ExistingSheet,
} from '../functions/layout/sheets-render.js';
import { provisionMaster } from '../test/helpers/integration.js';
import { startTestStack, type TestStack } from '../test/helpers/stack.js';
import { unitScale } from '../test/helpers/fill-workbook.js';
import { communesOf, generatedCampaignFile, generatedModel, ROUND } from './lib/campaign.js';
import { submissionFor } from './lib/docs.js';
import { MemoryFirestore } from './lib/memory-firestore.js';
import { stats } from './lib/report.js';
import { communeEvaluation, seedCommunes } from './lib/seed.js';
import { mean } from './lib/stats.js';
import { figure, type Benchmark, type BenchContext, type Figure } from './lib/types.js';

const START_AT = Date.parse('2020-07-10T09:00:00+07:00');
const SIZES = [30, 600, 11_000] as const;

interface SizeRun {
  units: number;
  backend: 'memory' | 'emulator';
  seedMs: number;
  incremental: {
    reads: number[];
    cells: number[];
    requests: number[];
    ms: number[];
    modes: string[];
    otherRows: number[];
  };
  full: { reads: number; cells: number; requests: number; ms: number };
  /** No "incremental view differs" error was logged when the full rebuild compared. */
  consistent: boolean;
}

/** A logger that remembers errors (the full rebuild reports a difference from the incremental master as one). */
function errorRecorder(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { ...silentLogger, errors, error: (message: string) => void errors.push(message) };
}

/**
 * The master port without Google: structure and nominations as a fresh sheet has them, and the
 * requests the Sheets adapter would send computed by the same pure functions, counted, not sent.
 */
class ComputedMaster implements MasterSheets {
  private sheets: ExistingSheet[] = [];
  async structure(): Promise<ExistingSheet[]> {
    return this.sheets;
  }
  async readNominations() {
    return { shortlist: new Set<string>(), onSheet: { rows: [] } };
  }
  async readShortlist() {
    return new Set<string>();
  }
  async replaceContent(_spreadsheetId: string, model: WorkbookModel, existing: ExistingSheet[]) {
    // Counted as the adapter counts them: the cells of the replacement built against the sheet as it was.
    const cellsWritten = cellsIn(toReplaceContentRequests(model, existing, { firstSheetId: 1 }));
    this.sheets = model.sheets.map((sheet, index) => ({
      sheetId: index + 1,
      title: sheet.title,
      rowCount: sheet.rowCount,
      columnCount: sheet.colCount,
      protectedRangeIds: [],
    }));
    return { requests: model.sheets.length, cellsWritten };
  }
  async writeChanges(_spreadsheetId: string, previous: WorkbookModel, next: WorkbookModel, existing: ExistingSheet[]) {
    const changes = toChangedContentRequests(previous, next, existing);
    return { requests: changes.requests.length, cellsWritten: changes.cellsWritten };
  }
}

/** Rows written that neither name the changed unit or one of its ancestors nor carry a total. */
function rowsBeyondTheChange(
  model: CampaignModel,
  unitId: string,
  previous: WorkbookModel,
  next: WorkbookModel,
  existing: ExistingSheet[],
): number {
  const names = [unitId, ...model.ancestors(unitId).map((a) => a.id)].map((id) => model.unit(id).name);
  const titleOf = new Map(existing.map((sheet) => [sheet.sheetId, sheet.title]));
  const written = new Set<string>();
  for (const request of toChangedContentRequests(previous, next, existing).requests as sheets_v4.Schema$Request[]) {
    const update = request.updateCells;
    if (!update?.start) continue;
    const title = titleOf.get(update.start.sheetId ?? -1) ?? '';
    (update.rows ?? []).forEach((_, offset) => written.add(`${title}\u0000${(update.start!.rowIndex ?? 0) + offset}`));
  }
  let beyond = 0;
  for (const key of written) {
    const [title, row] = key.split('\u0000') as [string, string];
    const sheet = next.sheets.find((candidate) => candidate.title === title);
    const text = (sheet?.cells ?? [])
      .filter((cell) => cell.row === Number(row) && typeof cell.value === 'string')
      .map((cell) => cell.value as string)
      .join(' ');
    if (names.some((name) => text.includes(name)) || /^(Tổng cộng|Cộng|Toàn)/.test(text.trim())) continue;
    beyond += 1;
  }
  return beyond;
}

async function runSize(
  ctx: BenchContext,
  units: number,
  backend: 'memory' | 'emulator',
  samples: number,
): Promise<SizeRun> {
  const model = generatedModel(units);
  let stack: TestStack | null = null;
  try {
    let db: Firestore;
    let master: MasterSheets;
    let spreadsheetId = 'bench-master';
    if (backend === 'emulator') {
      stack = await startTestStack({ campaignSchema: await generatedCampaignFile(units) });
      await provisionMaster(stack);
      spreadsheetId = (await stack.runtime.store.meta('master')).spreadsheetId!;
      db = stack.runtime.db;
      master = stack.runtime.master!;
    } else {
      db = new MemoryFirestore().asFirestore;
      master = new ComputedMaster();
    }
    const started = performance.now();
    const seeded = await seedCommunes(db, model, { at: START_AT, status: () => 'submitted' });
    const seedMs = performance.now() - started;
    const store: FirestoreStore = seeded.store;
    await store.patchMeta('master', { spreadsheetId });
    const log = errorRecorder();
    const cache: MasterCache = createMasterCache();
    const deps: MasterDeps = {
      model,
      store,
      master,
      masterCache: cache,
      log,
      now: () => START_AT,
      // As deployed: the refresh takes the cross-instance lease (two more reads and a write).
      googleNow: Date.now,
      ...(stack ? { files: stack.runtime.files } : {}),
    };
    await refreshMaster(deps, { force: true });

    const evaluation = await communeEvaluation(model);
    const ids = communesOf(model);
    const run: SizeRun = {
      units,
      backend,
      seedMs,
      incremental: { reads: [], cells: [], requests: [], ms: [], modes: [], otherRows: [] },
      full: { reads: 0, cells: 0, requests: 0, ms: 0 },
      consistent: true,
    };
    for (let sample = 0; sample < samples; sample++) {
      const unitId = ids[(sample * 7919) % ids.length]!;
      await db
        .doc(store.submissionRef(ROUND, unitId).path)
        .set(submissionFor(model, evaluation, unitId, sample + 2, START_AT, unitScale(unitId) * (1.05 + sample / 100)));
      await aggregateSubmission({ model, store, now: () => START_AT, log: silentLogger }, ROUND, unitId);
      const before = cache.current?.workbook;
      store.reads = 0;
      const clock = performance.now();
      const result = await refreshMaster(deps);
      run.incremental.ms.push(performance.now() - clock);
      run.incremental.reads.push(store.reads);
      run.incremental.cells.push(result.cellsWritten);
      run.incremental.requests.push(result.requests);
      run.incremental.modes.push(result.mode ?? 'none');
      const after = cache.current?.workbook;
      if (before && after)
        run.incremental.otherRows.push(
          rowsBeyondTheChange(model, unitId, before, after, await master.structure(spreadsheetId)),
        );
    }
    store.reads = 0;
    const clock = performance.now();
    const full = await refreshMaster(deps, { force: true });
    run.full = { reads: store.reads, cells: full.cellsWritten, requests: full.requests, ms: performance.now() - clock };
    run.consistent = !log.errors.some((message) => /differs/.test(message));
    ctx.log(
      `${backend} ${units} units: seeded ${seeded.documents} docs in ${(seedMs / 1000).toFixed(1)} s; per refresh ${mean(run.incremental.reads)} reads, ${mean(run.incremental.cells)} cells (${[...new Set(run.incremental.modes)].join('/')}, rows beyond the change ${Math.max(0, ...run.incremental.otherRows)}); full rebuild ${run.full.reads} reads${run.consistent ? '' : '; INCREMENTAL MASTER DIFFERS FROM A FULL REBUILD'}`,
    );
    return run;
  } finally {
    await stack?.dispose();
  }
}

export const masterBench: Benchmark = {
  id: 'master',
  title: 'Master refresh after one change: reads and cells vs full rebuild',
  async run(ctx) {
    const samples = ctx.quick ? 3 : 8;
    const runs: SizeRun[] = [];
    for (const units of SIZES) runs.push(await runSize(ctx, units, 'memory', samples));
    for (const units of [30, 600]) runs.push(await runSize(ctx, units, 'emulator', ctx.quick ? 2 : 4));
    const memory = runs.filter((r) => r.backend === 'memory');
    const at = (units: number) => memory.find((r) => r.units === units)!;
    const consistent = runs.every((r) => r.consistent && r.incremental.modes.every((m) => m === 'incremental'));
    const agree = runs
      .filter((r) => r.backend === 'emulator')
      .every((e) => mean(e.incremental.reads) === mean(at(e.units).incremental.reads));
    const base = mean(at(30).incremental.reads);
    const figures: Figure[] = memory.map((r) =>
      figure({
        id: `master.readsPerRefresh.${r.units}`,
        label: `Firestore reads per master refresh after one change, ${r.units.toLocaleString('en')} units`,
        value: mean(r.incremental.reads),
        unit: 'reads',
        baseline: { label: 'full rebuild', value: r.full.reads },
        target: r.units === 30 ? 'flat in units' : '≤ 1.5× the 30-unit figure',
        met: consistent && mean(r.incremental.reads) <= 1.5 * base,
        note: `${mean(r.incremental.ms).toFixed(0)} ms per refresh vs ${r.full.ms.toFixed(0)} ms full, in memory${
          r.units === 30
            ? `; Google's emulator at 30 and 600 ${agree ? 'agrees' : 'DISAGREES'} (${runs
                .filter((x) => x.backend === 'emulator')
                .map((x) => `${x.units}: ${mean(x.incremental.reads)}`)
                .join(', ')})`
            : ''
        }${consistent ? '' : '; INCONSISTENT (see the log)'}`,
      }),
    );
    const r600 = at(600);
    const emulator600 = runs.find((r) => r.backend === 'emulator' && r.units === 600);
    const beyond = Math.max(0, ...r600.incremental.otherRows);
    figures.push(
      figure({
        id: 'master.cellsWrittenPerRefresh.600',
        label: 'Master cells written per refresh after one change, 600 units',
        value: mean(r600.incremental.cells),
        unit: 'cells',
        baseline: { label: 'full rebuild', value: r600.full.cells },
        target: "one unit's rows plus the totals it moves",
        met: consistent && beyond === 0 && r600.incremental.otherRows.length === r600.incremental.cells.length,
        note: `every row written names the changed commune, one of its ancestors or a total (${beyond} other rows); ${mean(r600.incremental.requests)} updateCells requests in one batchUpdate${emulator600 ? `; on the Sheets emulator through the real adapter ${mean(emulator600.incremental.cells)} cells` : ''}`,
      }),
    );
    return {
      figures,
      details: {
        consistent,
        emulatorAgrees: agree,
        runs: runs.map((r) => ({
          ...r,
          incremental: {
            reads: stats(r.incremental.reads),
            cells: stats(r.incremental.cells),
            requests: stats(r.incremental.requests),
            ms: stats(r.incremental.ms),
            modes: r.incremental.modes,
          },
        })),
      },
    };
  },
};
