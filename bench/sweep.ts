/**
 * The compliance sweep over 11,000 generated communes: `gatherSweepInput` (every registration,
 * state and submission of the round read through FirestoreStore's projected sweep reads, i.e.
 * field masks: only the fields the sweep uses) followed by the pure `sweep`
 * (findings, flags, one reminder per unit with something to do, the digest), at 09:00 two days
 * before the so-ket-2020 deadline, with 60 % of units submitted, 20 % typing, 10 % with errors
 * and 10 % not started.
 *
 * What is measured: a fresh child process (compiled with esbuild, plain node, so its memory is
 * the sweep's own) reading from the in-memory Firestore double, whose collections are generated
 * on each read (every document parsed fresh, nothing stored); time of the read phase and of the
 * pure sweep, and the process's peak RSS. The time's baseline is the same at 600 units; the peak
 * RSS's is the same 11,000 units read as whole documents (the reads before field masks), in the
 * same run. The double applies a mask as the server does, one document at a time. Not measured:
 * Firestore's network time for ~25,000 documents, which the local emulator cannot stand for (it
 * needs minutes to hold 11,000 units); its read phase is measured at 600 units instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gatherSweepInput } from '../functions/app/sweep.js';
import { sweep } from '../functions/core/sweep.js';
import { createEmulatorClient } from '../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore } from '../scripts/local-stack/local-firestore.js';
import { DEFAULT_CAMPAIGN_FILE } from '../sheets-schema/index.js';
import { generatedModel } from './lib/campaign.js';
import { countFirestore } from './lib/firestore-counter.js';
import { stats } from './lib/report.js';
import { communeEvaluation, seedCommunes } from './lib/seed.js';
import { runMarkedChild } from './lib/child.js';
import type { SweepChildMode } from './sweep-child.js';
import { median } from './lib/stats.js';
import { figure, type Benchmark, type BenchContext } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, '.build', 'sweep');
const SWEEP_AT = '2020-07-13T09:00:00+07:00';
const MARK = '@@bench-sweep@@';

interface ChildResult {
  units: number;
  modelMs: number;
  gatherMs: number;
  sweepMs: number;
  totalMs: number;
  rssStartMB: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  maxRssMB: number;
  reads: number;
  findings: number;
  emails: number;
  missing: number;
  dueSoon: number;
  invalid: number;
}

function runChild(script: string, units: number, template: string, mode: SweepChildMode): Promise<ChildResult> {
  return runMarkedChild<ChildResult>('sweep', MARK, [script, String(units), template, SWEEP_AT, mode], {
    cwd: resolve(here, '..'),
    env: { ...process.env, BENCH_CAMPAIGN_FILE: DEFAULT_CAMPAIGN_FILE },
  });
}

/** The read phase against the local Firestore emulator (Google's where installed; real client, real deserialisation) at 600 units. */
async function emulatorReadPhase(ctx: BenchContext, units: number) {
  const emulator = await startLocalFirestore({ projectId: 'demo-local' });
  const db = createEmulatorClient(emulator.host, emulator.projectId);
  try {
    const model = generatedModel(units);
    const seedStartedAt = performance.now();
    const { store, documents } = await seedCommunes(db, model, { at: Date.parse(SWEEP_AT) - 3 * 86_400_000 });
    const seedMs = performance.now() - seedStartedAt;
    const counter = countFirestore(db);
    const gatherStartedAt = performance.now();
    const input = await gatherSweepInput(model, store, Date.parse(SWEEP_AT));
    const gatherMs = performance.now() - gatherStartedAt;
    const sweepStartedAt = performance.now();
    sweep(model, input);
    const sweepMs = performance.now() - sweepStartedAt;
    ctx.log(
      `${emulator.kind} emulator ${units} units: seeded ${documents} docs in ${(seedMs / 1000).toFixed(1)} s; read phase ${gatherMs.toFixed(0)} ms for ${counter.counts.reads} reads, sweep ${sweepMs.toFixed(0)} ms`,
    );
    return {
      emulator: emulator.kind,
      units,
      seededDocuments: documents,
      seedMs,
      gatherMs,
      sweepMs,
      reads: counter.counts.reads,
      docsPerSecond: counter.counts.reads / (gatherMs / 1000),
    };
  } finally {
    await db.terminate();
    await emulator.stop();
  }
}

export const sweepBench: Benchmark = {
  id: 'sweep',
  title: 'Compliance sweep over 11,000 units',
  async run(ctx) {
    await mkdir(buildDir, { recursive: true });
    const script = join(buildDir, 'sweep-child.mjs');
    await build({
      entryPoints: [join(here, 'sweep-child.ts')],
      outfile: script,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    const evaluation = await communeEvaluation(generatedModel(30));
    const template = join(buildDir, 'template.json');
    await writeFile(
      template,
      JSON.stringify({ values: evaluation.values, totals: evaluation.totals, confirmation: evaluation.confirmation }),
    );

    const repeat = ctx.quick ? 1 : 2;
    const runs = {
      big: { time: [] as ChildResult[], memory: [] as ChildResult[] },
      small: { time: [] as ChildResult[], memory: [] as ChildResult[] },
    };
    /** The baseline of the peak RSS: the same sweep reading whole documents (as before field masks). */
    const wholeDocuments: ChildResult[] = [];
    for (let i = 0; i < repeat; i++) {
      for (const mode of ['time', 'memory'] as const) {
        runs.small[mode].push(await runChild(script, 600, template, mode));
        runs.big[mode].push(await runChild(script, 11_000, template, mode));
      }
      wholeDocuments.push(await runChild(script, 11_000, template, 'memory-full'));
    }
    const medianOf = (xs: ChildResult[], k: keyof ChildResult) => median(xs.map((x) => x[k]));
    const big = runs.big.time;
    const firstBigRun = big[0]!;
    ctx.log(
      `11,000 units: read ${medianOf(big, 'gatherMs').toFixed(0)} ms + sweep ${medianOf(big, 'sweepMs').toFixed(0)} ms; peak RSS ${medianOf(runs.big.memory, 'maxRssMB').toFixed(0)} MB; ${firstBigRun.emails} e-mails, ${firstBigRun.findings} findings`,
    );
    const emulator = ctx.quick ? null : await emulatorReadPhase(ctx, 600);
    const totalS = medianOf(big, 'totalMs') / 1000;
    const rss = medianOf(runs.big.memory, 'maxRssMB');
    const rssWhole = medianOf(wholeDocuments, 'maxRssMB');
    return {
      figures: [
        figure({
          id: 'sweep.seconds11000',
          label: 'Compliance sweep, 11,000 units: read phase + sweep',
          value: totalS,
          unit: 's',
          baseline: { label: 'same, 600 units', value: medianOf(runs.small.time, 'totalMs') / 1000 },
          target: '< 5 s',
          met: totalS < 5,
          note: `read phase ${(medianOf(big, 'gatherMs') / 1000).toFixed(2)} s (${firstBigRun.reads.toLocaleString('en')} documents parsed from the in-memory double; no network) + pure sweep ${(medianOf(big, 'sweepMs') / 1000).toFixed(2)} s (${firstBigRun.findings.toLocaleString('en')} findings, ${firstBigRun.emails.toLocaleString('en')} e-mails); building the 11,000-unit registry ${(medianOf(big, 'modelMs') / 1000).toFixed(2)} s not included${emulator ? `; local Firestore emulator (${emulator.emulator === 'official' ? "Google's" : 'in-process stand-in'}) read phase at 600 units: ${(emulator.gatherMs / 1000).toFixed(1)} s for ${emulator.reads} documents` : ''}`,
        }),
        figure({
          id: 'sweep.peakRss.11000',
          label: 'Compliance sweep, 11,000 units: peak RSS (reads with field masks)',
          value: rss,
          unit: 'MB',
          baseline: { label: 'same, whole documents read', value: rssWhole },
          target: '< 150 MB',
          met: rss < 150,
          note: `whole child process (Node + registry + documents read + result), MiB; ${medianOf(runs.big.memory, 'rssBeforeMB').toFixed(0)} MB before reading; the store's sweep reads are Firestore projections (select), the same ${firstBigRun.reads.toLocaleString('en')} billed reads as whole documents; 600 units with masks: ${medianOf(runs.small.memory, 'maxRssMB').toFixed(0)} MB`,
        }),
      ],
      details: {
        at: SWEEP_AT,
        runs,
        wholeDocuments11000: wholeDocuments,
        summary: Object.fromEntries(
          (['big', 'small'] as const).flatMap((size) =>
            (['time', 'memory'] as const).map((mode) => [
              `${size === 'big' ? 11_000 : 600}.${mode}`,
              Object.fromEntries(
                (['gatherMs', 'sweepMs', 'totalMs', 'maxRssMB'] as const).map((k) => [
                  k,
                  stats(runs[size][mode].map((x) => x[k])),
                ]),
              ),
            ]),
          ),
        ),
        emulatorReadPhase600: emulator,
      },
    };
  },
};
