/**
 * Checks deployment commands with the real gcloud, offline: with an empty configuration
 * directory and no credentials, gcloud parses a command completely (refusing unknown flags,
 * malformed values and missing required arguments) before it asks for an account, and then
 * stops with "You do not currently have an active account selected". That stop is the one
 * acceptable outcome; anything else means the command would fail on a real project too.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const NO_ACCOUNT = /You do not currently have an active account selected/;

export interface ParseVerdict {
  argv: string[];
  parsed: boolean;
  /** gcloud's own error line when it refused the command. */
  reason: string;
}

/** The gcloud on PATH, or null when there is none. */
export function findGcloud(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, 'gcloud');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Only what gcloud needs to run; nothing that could hold credentials or a configuration. */
function isolatedEnv(configDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: configDir,
    LANG: 'C.UTF-8',
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
  };
}

function runOne(gcloud: string, argv: string[], configDir: string): Promise<ParseVerdict> {
  if (argv[0] !== 'gcloud') return Promise.reject(new Error(`not a gcloud command: ${argv.join(' ')}`));
  return new Promise((resolve) => {
    const child = execFile(
      gcloud,
      argv.slice(1),
      { env: isolatedEnv(configDir), timeout: 60_000, encoding: 'utf8' },
      (error, _stdout, stderr) => {
        const firstError = stderr.split('\n').find((l) => l.startsWith('ERROR:')) ?? stderr.trim().split('\n')[0] ?? '';
        // Exit 0 cannot happen without an account for these commands, but it would mean "parsed and ran".
        const parsed = !error || NO_ACCOUNT.test(stderr);
        resolve({
          argv,
          parsed,
          reason: parsed
            ? ''
            : firstError || (error?.killed ? 'timed out (waiting for input?)' : String(error?.message)),
        });
      },
    );
    // `--data-file=-` reads the secret from stdin before asking for an account: give it one, then end.
    child.stdin?.end('sample-secret-value');
  });
}

/**
 * Runs every command (duplicates once) through gcloud with at most `parallel` at a time, in a
 * fresh empty configuration directory removed afterwards. Verdicts come back in input order.
 */
export async function checkWithGcloud(
  commands: string[][],
  opts: { gcloud: string; parallel?: number },
): Promise<ParseVerdict[]> {
  const unique = [...new Map(commands.map((c) => [JSON.stringify(c), c])).values()];
  const configDir = await mkdtemp(join(tmpdir(), 'gcloud-parse-'));
  try {
    const verdicts = new Map<string, ParseVerdict>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const argv = unique[next++]!;
        verdicts.set(JSON.stringify(argv), await runOne(opts.gcloud, argv, configDir));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, worker));
    return commands.map((c) => verdicts.get(JSON.stringify(c))!);
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
}
