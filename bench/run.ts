/**
 * `npm run bench [-- --only import,validation] [-- --quick]`: runs every benchmark (or those named),
 * prints one table (figure, value, baseline, ratio, target, met?) and writes
 * bench/results/latest.json with the machine description. Not part of `npm test`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { burstBench } from './burst.js';
import { e2e30Bench, e2e600Bench } from './e2e.js';
import { firestoreBench } from './firestore.js';
import { importBench } from './import-cost.js';
import { masterBench } from './master.js';
import { describeMachine, loadAverage, machine } from './lib/machine.js';
import { markdownTable, textTable } from './lib/report.js';
import { resultsBlock, writeBetweenMarkers } from './lib/readme-results.js';
import type { BenchContext, BenchResult, Benchmark, Figure } from './lib/types.js';
import { sheetsBench } from './sheets-requests.js';
import { sweepBench } from './sweep.js';
import { validationBench } from './validation.js';

/** In the order of the issue (and of the printed table). */
const ALL: Benchmark[] = [
  sheetsBench,
  firestoreBench,
  masterBench,
  validationBench,
  importBench,
  sweepBench,
  e2e30Bench,
  e2e600Bench,
  burstBench,
];
/**
 * The order they run in. First what measures time or memory of a quiet process, and what needs
 * a local stack of its own (one stack at a time: the functions' runtime is one per process).
 * Then the 600-unit stack of e2e-600 and burst provisions in the background while the
 * Firestore benchmark, whose figures are counts and which starts no stack, runs; then e2e-600
 * and burst, alone.
 */
const BEFORE_PREPARE = ['import', 'validation', 'sweep', 'sheets', 'e2e-30'];
const RUN_ORDER = [...BEFORE_PREPARE, 'firestore', 'master', 'e2e-600', 'burst'];

function parseArgs(argv: string[]) {
  let only: string[] | null = null;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (argument.startsWith('--only=')) only = argument.slice(7).split(',').filter(Boolean);
    else if (argument === '--quick') quick = true;
    else if (argument === '--help' || argument === '-h') {
      console.log(`usage: npm run bench [-- --only ${ALL.map((b) => b.id).join(',')}|e2e] [-- --quick]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${argument}`);
  }
  const unknown = (only ?? []).filter((id) => !ALL.some((b) => b.id === id || b.group === id));
  if (unknown.length)
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${ALL.map((b) => b.id).join(', ')}, e2e`);
  return { only, quick };
}

async function main() {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const { only, quick } = args;
  const selected = RUN_ORDER.map((id) => ALL.find((b) => b.id === id)!).filter(
    (b) => !only || only.includes(b.id) || (b.group !== undefined && only.includes(b.group)),
  );
  const machineInfo = machine();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
  console.error(
    `bench: ${selected.map((b) => b.id).join(', ')} on ${describeMachine(machineInfo)}${quick ? ' (quick)' : ''}`,
  );
  const shared = new Map<string, Promise<unknown>>();
  const cleanups: (() => Promise<void>)[] = [];
  const results: Record<string, BenchResult & { title: string; ms: number; error?: string }> = {};
  const context = (id: string): BenchContext => ({
    log: (msg) => console.error(`[${elapsed()}] ${id}: ${msg}`),
    shared,
    cleanups,
    quick,
  });
  let prepared = false;
  try {
    for (const benchmark of selected) {
      if (!prepared && !BEFORE_PREPARE.includes(benchmark.id)) {
        prepared = true;
        for (const toPrepare of selected) toPrepare.prepare?.(context(toPrepare.id));
      }
      const ctx = context(benchmark.id);
      const startedAt = performance.now();
      ctx.log('start');
      try {
        const result = await benchmark.run(ctx);
        results[benchmark.id] = { ...result, title: benchmark.title, ms: Math.round(performance.now() - startedAt) };
        ctx.log(`done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
      } catch (error) {
        const message = (error as Error).stack ?? String(error);
        results[benchmark.id] = {
          figures: [],
          details: {},
          title: benchmark.title,
          ms: Math.round(performance.now() - startedAt),
          error: message,
        };
        ctx.log(`FAILED: ${message}`);
      }
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error('cleanup failed', e));
  }
  const figures: Figure[] = ALL.flatMap((b) => results[b.id]?.figures ?? []);
  const durationMs = Math.round(performance.now() - started);
  const loadAtEnd = loadAverage();
  console.log(`\nMachine: ${describeMachine(machineInfo)}, ${loadAtEnd.join(' / ')} at the end`);
  console.log(`Run: ${startedAt}, ${(durationMs / 1000).toFixed(0)} s${quick ? ' (quick)' : ''}\n`);
  console.log(textTable(figures));
  const failed = Object.entries(results).filter(([, r]) => r.error);
  for (const [id, result] of failed) console.log(`\n${id} FAILED: ${result.error?.split('\n')[0]}`);
  const notes = figures.filter((f) => f.note);
  if (notes.length) console.log(`\nNotes:\n${notes.map((f) => `- ${f.label}: ${f.note}`).join('\n')}`);

  const out = join(
    dirname(fileURLToPath(import.meta.url)),
    'results',
    only || quick ? `partial-${selected.map((b) => b.id).join('+')}${quick ? '-quick' : ''}.json` : 'latest.json',
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        machine: { ...machineInfo, loadAverageAtEnd: loadAtEnd },
        startedAt,
        durationMs,
        quick,
        only,
        figures,
        markdown: markdownTable(figures),
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwritten: ${out}`);
  if (!only && !quick && !failed.length) {
    const block = resultsBlock({
      machine: { ...machineInfo, loadAverageAtEnd: loadAtEnd },
      startedAt,
      durationMs,
      figures,
    });
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    for (const [file, marker] of [
      [join(root, 'README.md'), 'bench'],
      [join(root, 'bench', 'README.md'), 'results'],
    ] as const) {
      if (await writeBetweenMarkers(file, marker, block)) console.log(`written: ${file} (results table)`);
    }
  }
  // Emulators and clients may hold sockets open; everything is stopped above.
  process.exit(failed.length ? 1 : 0);
}

await main();
