/**
 * `--json` through a pipe is one whole JSON document. The real entry point runs
 * in a child process with stdout as a pipe, on a campaign of 1,577 units whose `master --json` is
 * about 160 KB, well over a pipe's 64 KiB capacity. The test reads nothing from the pipe (a FIFO)
 * until the child has exited: an entry point that calls process.exit() with output still queued loses it
 * there. An entry point that waits for its output to be handed over cannot exit while nobody
 * reads, so reading also starts once the command has had ample time to finish (a fallback: the
 * assertions never depend on how fast anything is).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_FILE } from '../../sheets-schema/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PIPE_CAPACITY = 64 * 1024;
const EXTRA_UNITS = 1500;

let dir: string;
let schema: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-json-pipe-'));
  const campaign = JSON.parse(await readFile(DEFAULT_CAMPAIGN_FILE, 'utf8')) as {
    units: { id: string; name: string; emails: string[] }[];
  };
  const district = campaign.units.find((u) => u.id === 'ubnd-ba-dinh')!;
  for (let i = 0; i < EXTRA_UNITS; i++)
    campaign.units.push({ ...district, id: `ubnd-them-${i}`, name: `UBND thêm số ${i}`, emails: [] });
  schema = join(dir, 'nhieu-don-vi.json');
  await writeFile(schema, JSON.stringify(campaign));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs the CLI with stdout a pipe (a FIFO) nobody reads until the child exits or the fallback
 * fires. A Node stream would read ahead into its own buffer even when paused, so the pipe is read
 * with plain file descriptors: a non-blocking read end held open, unread, while the child runs.
 */
function runWithUnreadPipe(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fifo = join(dir, `stdout-${Date.now()}.fifo`);
  execFileSync('mkfifo', [fifo]);
  const heldReadEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeEnd = openSync(fifo, constants.O_WRONLY);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', writeEnd, 'pipe'],
    });
    let stderr = '';
    let exitCode: number | null = null;
    let fallback: NodeJS.Timeout | undefined;
    let reading = false;
    let exited = false;
    let stdout: string | undefined;
    const finish = () => {
      if (exited && stdout !== undefined) {
        closeSync(heldReadEnd);
        resolvePromise({ code: exitCode, stdout, stderr });
      }
    };
    const startReading = () => {
      if (reading) return;
      reading = true;
      clearTimeout(fallback);
      // Opening a FIFO to read waits for a writer: our own write end is still open, so it returns.
      const chunks: Buffer[] = [];
      const stream = createReadStream(fifo);
      stream.on('open', () => closeSync(writeEnd));
      stream.on('data', (chunk) => chunks.push(chunk as Buffer));
      stream.on('error', reject);
      stream.on('end', () => {
        stdout = Buffer.concat(chunks).toString('utf8');
        finish();
      });
    };
    // Once the emulators are up (maildev's banner), the command itself takes a few seconds.
    let emulatorsUp = false;
    fallback = setTimeout(startReading, 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (!emulatorsUp && stderr.includes('MailDev API running')) {
        emulatorsUp = true;
        clearTimeout(fallback);
        if (!reading) fallback = setTimeout(startReading, 15_000);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      exitCode = code;
      exited = true;
      startReading();
      finish();
    });
  });
}

describe('--json through a pipe', () => {
  it('master --json, starting its own emulators: stdout is exactly one whole JSON document, logs on stderr', async () => {
    const run = await runWithUnreadPipe(['master', '--json', '--schema', schema], {
      LOCAL_STATE_DIR: join(dir, 'state'),
    });
    expect(run.code).toBe(0);
    expect(Buffer.byteLength(run.stdout)).toBeGreaterThan(PIPE_CAPACITY);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    const master = JSON.parse(run.stdout) as { rounds: Record<string, { state: Record<string, string> }> };
    expect(Object.keys(master.rounds['so-ket-2020']!.state)).toContain(`ubnd-them-${EXTRA_UNITS - 1}`);
    // maildev's banner is a log line: on stderr, not in the document.
    expect(run.stderr).toContain('MailDev API running at http://127.0.0.1:');
  }, 120_000);
});
