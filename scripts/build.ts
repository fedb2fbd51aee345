/**
 * `npm run build`: compiles the functions and the campaign schema to dist/deploy, with a
 * package.json carrying only runtime dependencies and its own lock file, ready for
 * `gcloud functions deploy --source=dist/deploy`. Then loads the built entry module to
 * prove every function registers.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTIONS_RUNTIME } from './deploy/plan.js';

export const DEPLOY_DIR = resolve('dist/deploy');

function run(cmd: string, args: string[], cwd: string): void {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status})`);
}

export async function build(opts: { outDir?: string; lock?: boolean } = {}): Promise<string> {
  const out = resolve(opts.outDir ?? DEPLOY_DIR);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], process.cwd());
  // Campaign files are data, read at run time (CAMPAIGN_SCHEMA names one): ship them all
  // beside the compiled loader.
  for (const file of await readdir('sheets-schema'))
    if (file.endsWith('.json')) await cp(join('sheets-schema', file), join(out, 'sheets-schema', file));
  const root = JSON.parse(await readFile('package.json', 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    engines: Record<string, string>;
  };
  const pkg = {
    name: `${root.name}-functions`,
    version: root.version,
    private: true,
    type: 'module',
    main: 'functions/index.js',
    engines: { node: String(FUNCTIONS_RUNTIME.nodeMajor) },
    dependencies: root.dependencies,
    allowScripts: { protobufjs: false },
  };
  await writeFile(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  // Cloud Build runs `npm ci` when a lock is present: give the deploy its own, matching lock.
  if (opts.lock !== false)
    run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], out);
  return out;
}

/** Imports the built entry module and returns the names registered with the Functions Framework. */
export async function registeredFunctions(dir: string): Promise<string[]> {
  await import(pathToFileURL(join(dir, 'functions/index.js')).href);
  const { getFunction } = await import('@google-cloud/functions-framework/testing');
  const { FUNCTIONS } = (await import(pathToFileURL(join(dir, 'functions/index.js')).href)) as {
    FUNCTIONS: Record<string, unknown>;
  };
  return Object.keys(FUNCTIONS).filter((name) => getFunction(name) !== undefined);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-lock': { type: 'boolean' } } });
  build({ ...(values.out ? { outDir: values.out } : {}), lock: !values['no-lock'] })
    .then(async (dir) => {
      const names = await registeredFunctions(dir);
      process.stdout.write(`Đã đóng gói ${dir}\nCác hàm: ${names.join(', ')}\n`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
