/**
 * Measurements that need a fresh process (cold start, peak RSS) run in a child `node`, which
 * prints its result as one JSON line after a marker; everything else it prints is ignored.
 */
import { spawn } from 'node:child_process';

export function runMarkedChild<T>(
  what: string,
  marker: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<T> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(marker));
      if (code !== 0 || !line) return rej(new Error(`${what} child exited ${code}: ${err || out}`));
      res(JSON.parse(line.slice(marker.length)) as T);
    });
  });
}
