/**
 * Pure validation of one full unit workbook: `evaluateWorkbook` on a district's complete, valid
 * so-ket-2020 workbook (Bảng 1, Bảng 2, the report outline, typical examples, nominations and
 * the confirmation page), with the context the pipeline gives it (peer statistics of the 30
 * districts, the other districts' nominations). Timed over many iterations after a warm-up.
 *
 * Measured beside it, in the same run: what the pipeline pays just before validating, i.e.
 * reading that same workbook from the local Sheets emulator in one `spreadsheets.get` and
 * turning it into a grid (SheetsWorkbooks.read).
 */
import { createDriveClient, createSheetsClient } from '../functions/adapters/google-apis.js';
import { DriveFiles } from '../functions/adapters/drive-files.js';
import { SheetsWorkbooks } from '../functions/adapters/sheets-workbooks.js';
import { evaluateWorkbook } from '../functions/core/evaluate.js';
import type { OtherNomination } from '../functions/core/nominations.js';
import { computePeerStats } from '../functions/core/statistics.js';
import { buildUnitWorkbook } from '../functions/layout/unit-workbook.js';
import { gridOfWorkbookModel } from '../functions/layout/model-grid.js';
import { writesFor } from '../scripts/local-stack/clerk.js';
import { startSheetsEmulator } from '../scripts/emulators/sheets/index.js';
import { model, unitsOfKind } from '../test/helpers/campaign.js';
import { defaultNominees, filledGrid, peerFigures, validSubmission } from '../test/helpers/fill-workbook.js';
import { submissionEntries } from '../test/helpers/stack.js';
import { ROUND } from './lib/campaign.js';
import { stats } from './lib/report.js';
import { percentile } from './lib/stats.js';
import { figure, type Benchmark } from './lib/types.js';

const UNIT = 'ubnd-ba-dinh';
const SERVICE_ACCOUNT = 'functions@demo-local.iam.gserviceaccount.com';

function time(work: () => unknown, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    work();
    out.push(performance.now() - startedAt);
  }
  return out;
}

async function readBaseline(runs: number): Promise<{ ms: number[]; cells: number }> {
  const emulator = await startSheetsEmulator({ quotas: { enabled: false }, pushDelayMs: 60_000 });
  try {
    const access = {
      mode: 'emulator' as const,
      sheetsRootUrl: emulator.url,
      driveRootUrl: emulator.url,
      identity: SERVICE_ACCOUNT,
      timeoutMs: 15_000,
    };
    const [sheets, drive] = await Promise.all([createSheetsClient(access), createDriveClient(access)]);
    const workbooks = new SheetsWorkbooks(sheets);
    const file = await new DriveFiles(drive).createSpreadsheet('bench validation', {});
    const layout = buildUnitWorkbook(model, UNIT, ROUND, { editors: [SERVICE_ACCOUNT] });
    await workbooks.render(file.id, layout);
    const { writes, unplaced } = writesFor(
      model,
      UNIT,
      ROUND,
      gridOfWorkbookModel(layout),
      submissionEntries(validSubmission(model, UNIT, ROUND)),
    );
    if (unplaced.length) throw new Error('validation bench: entries without a cell');
    await workbooks.writeValues(file.id, writes, 'USER_ENTERED');
    for (let i = 0; i < 5; i++) await workbooks.read(file.id);
    const durations: number[] = [];
    let cells = 0;
    for (let i = 0; i < runs; i++) {
      const startedAt = performance.now();
      const read = await workbooks.read(file.id);
      durations.push(performance.now() - startedAt);
      cells = read.grid.sheets.reduce((s, sh) => s + sh.rows.reduce((a, row) => a + row.filter(Boolean).length, 0), 0);
    }
    return { ms: durations, cells };
  } finally {
    await emulator.stop();
  }
}

export const validationBench: Benchmark = {
  id: 'validation',
  title: 'Pure validation of one full unit workbook',
  async run(ctx) {
    const grid = await filledGrid(model, UNIT, ROUND);
    const districts = unitsOfKind(model, 'district');
    const peerStats = computePeerStats(peerFigures(model, districts, ROUND));
    const otherNominations: OtherNomination[] = districts
      .filter((d) => d !== UNIT)
      .flatMap((d) =>
        defaultNominees(model, d).map((n, i) => ({
          unitId: d,
          unitName: model.unit(d).name,
          key: `${d}-${i}`,
          award: n.award,
        })),
      );
    const context = { peerStats, otherNominations };
    const first = evaluateWorkbook(model, UNIT, ROUND, grid, context);
    if (first.status !== 'ready' || first.errors > 0)
      throw new Error(
        `validation bench: the workbook should be valid, got ${first.status} with ${first.errors} errors`,
      );
    const cells = grid.sheets.reduce((s, sh) => s + sh.rows.reduce((a, row) => a + row.filter(Boolean).length, 0), 0);

    time(() => evaluateWorkbook(model, UNIT, ROUND, grid, context), 100); // warm-up (JIT)
    const runs = ctx.quick ? 200 : 1000;
    const durations = time(() => evaluateWorkbook(model, UNIT, ROUND, grid, context), runs);
    const p50 = percentile(durations, 50);
    const read = await readBaseline(ctx.quick ? 20 : 60);
    const readP50 = percentile(read.ms, 50);
    ctx.log(
      `evaluateWorkbook p50 ${p50.toFixed(3)} ms, p95 ${percentile(durations, 95).toFixed(3)} ms over ${runs}; Sheets read p50 ${readP50.toFixed(1)} ms`,
    );
    return {
      figures: [
        figure({
          id: 'validation.p50Ms',
          label: 'Pure validation of a full district workbook, p50',
          value: p50,
          unit: 'ms',
          baseline: { label: 'reading it: spreadsheets.get from the emulator + grid', value: readP50 },
          target: 'p50 < 2 ms',
          met: p50 < 2,
          note: `${cells} non-empty cells in ${grid.sheets.length} tabs; p95 ${percentile(durations, 95).toFixed(2)} ms over ${runs} runs after 100 warm-up`,
        }),
      ],
      details: {
        unit: UNIT,
        round: ROUND,
        tabs: grid.sheets.length,
        cells,
        validateMs: stats(durations),
        sheetsReadMs: stats(read.ms),
        readCells: read.cells,
      },
    };
  },
};
