/** Runs the CLI in-process with captured output, as a person would from a shell in `cwd`. */
import { runCli } from '../../scripts/cli.js';
import type { CliIo } from '../../scripts/cli/io.js';

export async function runCliCaptured(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: opts.env ?? {}, cwd: opts.cwd };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
