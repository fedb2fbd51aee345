/**
 * Cold start of the functions: in a fresh Node process, the time and memory to import the entry
 * module (functions/index.ts, which registers every function) and then to serve what a first
 * request needs: `runtimeFromEnvironment()` (handlers/runtime.ts), i.e. parseConfig + createDependencies, which
 * loads @google-cloud/firestore, @googleapis/sheets, @googleapis/drive and google-auth-library
 * and builds every client (no network: clients connect on first call; nodemailer loads with the
 * first message, protobufjs with the first Firestore event).
 *
 * The code runs as deployed: compiled by tsc with tsconfig.build.json, exactly what
 * `npm run build` ships (one .js per module, packages from node_modules). The baseline is a copy
 * of that build whose two dynamic imports of `@googleapis/sheets` and `@googleapis/drive`
 * (functions/adapters/google-apis.js) load two-line shims over the `googleapis` monolith
 * (`google.sheets(…)`, `google.drive(…)`) instead: what importing googleapis costs. Runs
 * alternate between the two; medians are reported.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runMarkedChild } from './lib/child.js';
import { median } from './lib/stats.js';
import { stats } from './lib/report.js';
import { figure, type Benchmark } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const buildDir = join(here, '.build');
const MARK = '@@bench-import@@';

interface Sample {
  importMs: number;
  firstRequestMs: number;
  totalMs: number;
  /** From process start (Node's own bootstrap included) to dependencies ready. */
  sinceStartMs: number;
  rssMB: number;
  maxRssMB: number;
  heapMB: number;
}

const CHILD = `
const t0 = performance.now();
await import(process.env.BENCH_ENTRY);
const t1 = performance.now();
const { runtimeFromEnvironment } = await import(process.env.BENCH_RUNTIME);
const deps = await runtimeFromEnvironment()();
const t2 = performance.now();
const mem = process.memoryUsage();
const out = { importMs: t1 - t0, firstRequestMs: t2 - t1, totalMs: t2 - t0, sinceStartMs: t2, rssMB: mem.rss / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024, heapMB: mem.heapUsed / 2 ** 20 };
process.stdout.write('\\n${MARK}' + JSON.stringify(out) + '\\n');
await deps.close();
process.exit(0);
`;

/** Where the per-API cold start goes: the entry, then each package the first request loads, then building the clients. */
const BREAKDOWN = `
const steps = [];
let t = performance.now();
const step = (name) => { const n = performance.now(); steps.push([name, n - t]); t = n; };
await import(process.env.BENCH_ENTRY); step('entry module (functions-framework, zod, handlers)');
await import('@google-cloud/firestore'); step('@google-cloud/firestore');
await import('@googleapis/sheets'); step('@googleapis/sheets');
await import('@googleapis/drive'); step('@googleapis/drive');
await import('google-auth-library'); step('google-auth-library');
const { runtimeFromEnvironment } = await import(process.env.BENCH_RUNTIME);
const deps = await runtimeFromEnvironment()(); step('campaign schema + building the clients');
process.stdout.write('\\n${MARK}' + JSON.stringify(steps) + '\\n');
await deps.close();
process.exit(0);
`;

/** The deploy build (as `npm run build` compiles it), and a copy loading googleapis instead. */
async function builds(): Promise<{
  perApi: { entry: string; runtime: string };
  monolith: { entry: string; runtime: string };
}> {
  const perApiDir = join(buildDir, 'deploy-per-api');
  const monolithDir = join(buildDir, 'deploy-googleapis');
  await rm(perApiDir, { recursive: true, force: true });
  await rm(monolithDir, { recursive: true, force: true });
  await promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      perApiDir,
      '--sourceMap',
      'false',
    ],
    { cwd: root },
  );
  // Campaign files are data shipped beside the compiled loader, as `npm run build` does.
  for (const file of await readdir(join(root, 'sheets-schema')))
    if (file.endsWith('.json')) await cp(join(root, 'sheets-schema', file), join(perApiDir, 'sheets-schema', file));
  await cp(perApiDir, monolithDir, { recursive: true });
  const shimDir = join(buildDir, 'shims');
  await mkdir(shimDir, { recursive: true });
  await writeFile(
    join(shimDir, 'sheets.mjs'),
    "import { google } from 'googleapis';\nexport const sheets = (options) => google.sheets(options);\n",
  );
  await writeFile(
    join(shimDir, 'drive.mjs'),
    "import { google } from 'googleapis';\nexport const drive = (options) => google.drive(options);\n",
  );
  const adapter = join(monolithDir, 'functions/adapters/google-apis.js');
  const code = await readFile(adapter, 'utf8');
  const patched = code
    .replace(
      "import('@googleapis/sheets')",
      `import(${JSON.stringify(pathToFileURL(join(shimDir, 'sheets.mjs')).href)})`,
    )
    .replace(
      "import('@googleapis/drive')",
      `import(${JSON.stringify(pathToFileURL(join(shimDir, 'drive.mjs')).href)})`,
    );
  if (patched.split('/shims/').length !== 3)
    throw new Error(
      'import bench: google-apis.js no longer imports @googleapis/sheets and @googleapis/drive as expected',
    );
  await writeFile(adapter, patched);
  const files = (dir: string) => ({
    entry: join(dir, 'functions/index.js'),
    runtime: join(dir, 'functions/handlers/runtime.js'),
  });
  return { perApi: files(perApiDir), monolith: files(monolithDir) };
}

function runChild(files: { entry: string; runtime: string }): Promise<Sample>;
function runChild(files: { entry: string; runtime: string }, script: string): Promise<[string, number][]>;
function runChild(files: { entry: string; runtime: string }, script = CHILD): Promise<unknown> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    BENCH_ENTRY: pathToFileURL(files.entry).href,
    BENCH_RUNTIME: pathToFileURL(files.runtime).href,
    GOOGLE_CLOUD_PROJECT: 'demo-local',
    CAMPAIGN_SCHEMA: join(dirname(files.entry), '../sheets-schema/hanoi-521-2020.json'),
    SHEETS_ROOT_URL: 'http://127.0.0.1:9/',
    DRIVE_ROOT_URL: 'http://127.0.0.1:9/',
    LOCAL_IDENTITY: 'functions@demo-local.iam.gserviceaccount.com',
    FIRESTORE_EMULATOR_HOST: '127.0.0.1:9',
    WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
    WEBHOOK_URL: 'http://127.0.0.1:9/driveWebhook',
    SCHEDULER_AUTH: 'shared-secret',
    SCHEDULER_SHARED_SECRET: 'bench-scheduler-secret-0123456789',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '2525',
  };
  return runMarkedChild('import', MARK, ['--input-type=module', '-e', script], { cwd: dirname(files.entry), env });
}

export const importBench: Benchmark = {
  id: 'import',
  title: 'Cold start: entry module import + first-request dependencies, per-API packages vs googleapis',
  async run(ctx) {
    const { perApi, monolith } = await builds();
    ctx.log('compiled the deploy build and its googleapis copy');
    const runs = ctx.quick ? 3 : 5;
    const builtSamples: Sample[] = [];
    const baselineSamples: Sample[] = [];
    await runChild(perApi); // warm the OS file cache for both, unmeasured
    await runChild(monolith);
    for (let i = 0; i < runs; i++) {
      builtSamples.push(await runChild(perApi));
      baselineSamples.push(await runChild(monolith));
    }
    const breakdowns: [string, number][][] = [];
    for (let i = 0; i < 3; i++) breakdowns.push(await runChild(perApi, BREAKDOWN));
    const breakdown = breakdowns[0]!.map(
      ([name], i) => [name, median(breakdowns.map((b) => b[i]![1]))] as [string, number],
    );
    const medianOf = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
    ctx.log(
      `per-API ${medianOf(builtSamples, 'totalMs').toFixed(0)} ms / ${medianOf(builtSamples, 'maxRssMB').toFixed(0)} MB; googleapis ${medianOf(baselineSamples, 'totalMs').toFixed(0)} ms / ${medianOf(baselineSamples, 'maxRssMB').toFixed(0)} MB`,
    );
    const coldMs = medianOf(builtSamples, 'totalMs');
    const coldRss = medianOf(builtSamples, 'maxRssMB');
    return {
      figures: [
        figure({
          id: 'import.entryMs',
          label: 'Import of the functions entry module',
          value: medianOf(builtSamples, 'importMs'),
          unit: 'ms',
          baseline: { label: 'same, googleapis build', value: medianOf(baselineSamples, 'importMs') },
          note: 'clients load lazily, so the entry alone costs the same in both builds',
        }),
        figure({
          id: 'import.coldStartMs',
          label: 'Cold start: entry import + first-request dependencies',
          value: coldMs,
          unit: 'ms',
          baseline: { label: 'same entry importing googleapis', value: medianOf(baselineSamples, 'totalMs') },
          target: '< 500 ms',
          met: coldMs < 500,
          note: `median of ${runs} fresh processes; ${medianOf(builtSamples, 'sinceStartMs').toFixed(0)} ms from process start incl. Node bootstrap (googleapis: ${medianOf(baselineSamples, 'sinceStartMs').toFixed(0)} ms); where it goes: ${breakdown
            .slice()
            .sort((x, y) => y[1] - x[1])
            .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
            .join(', ')}`,
        }),
        figure({
          id: 'import.coldStartRssMB',
          label: 'Cold start peak RSS',
          value: coldRss,
          unit: 'MB',
          baseline: { label: 'same entry importing googleapis', value: medianOf(baselineSamples, 'maxRssMB') },
          target: '< 120 MB',
          met: coldRss < 120,
          note: `peak RSS of the process (MiB); heap used ${medianOf(builtSamples, 'heapMB').toFixed(0)} MB vs ${medianOf(baselineSamples, 'heapMB').toFixed(0)} MB`,
        }),
      ],
      details: {
        runs,
        breakdownMs: Object.fromEntries(breakdown),
        perApi: Object.fromEntries(
          (Object.keys(builtSamples[0]!) as (keyof Sample)[]).map((k) => [k, stats(builtSamples.map((x) => x[k]))]),
        ),
        monolith: Object.fromEntries(
          (Object.keys(baselineSamples[0]!) as (keyof Sample)[]).map((k) => [
            k,
            stats(baselineSamples.map((x) => x[k])),
          ]),
        ),
      },
    };
  },
};
