/**
 * Runs a deployment plan step by step, with the process runner injected so a test can play
 * Google's part: a condition is read first and decides whether its step runs, a check stops
 * the plan with its message, a capture feeds later steps' placeholders, an environment read
 * feeds its step's environment. The first failure stops everything (re-running is safe).
 */
import { commandsOf, fillPlaceholders, shellLine, type PlannedCommand } from './plan.js';

export interface ExecResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `capture`: read its output (reads); otherwise the command talks to the terminal. */
export type Exec = (
  argv: string[],
  opts: { capture: boolean; input?: string; env?: Record<string, string> },
) => ExecResult;

export interface RunOutput {
  out(text: string): void;
  err(text: string): void;
}

export function runPlan(plan: PlannedCommand[], exec: Exec, io: RunOutput, randomSecret: () => string): number {
  const captured: Record<string, string> = {};
  const read = (argv: string[], step: number): string | null => {
    const result = exec(fillPlaceholders(argv, captured), { capture: true });
    if (result.status === 0) return result.stdout.trim();
    io.err(result.stderr);
    io.err(
      `Bước ${step}: không đọc được (${argv.slice(0, 4).join(' ')} …); kiểm tra đăng nhập gcloud và quyền, rồi chạy lại.\n`,
    );
    return null;
  };
  for (const [index, command] of plan.entries()) {
    const step = index + 1;
    io.out(`\n[${step}/${plan.length}] ${command.title}\n$ ${shellLine(command)}\n`);
    if (command.onlyIf) {
      const printed = read(command.onlyIf.argv, step);
      if (printed === null) return 1;
      const holds = command.onlyIf.when === 'absent' ? printed === '' : printed !== '';
      if (!holds) {
        io.out(`Bỏ qua: điều kiện "${command.onlyIf.meaning}" không đúng.\n`);
        continue;
      }
    }
    if (command.check || command.capture) {
      const printed = read(command.argv, step);
      if (printed === null) return 1;
      if (command.check && printed === '') {
        io.err(`${command.check.failure}\n`);
        return 1;
      }
      if (command.capture) {
        if (printed === '') {
          io.err(`Bước ${step}: không lấy được giá trị ${command.capture}.\n`);
          return 1;
        }
        captured[command.capture] = printed;
        io.out(`${command.capture}=${printed}\n`);
      }
      continue;
    }
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(command.env ?? {})) {
      if (typeof value === 'string') env[name] = value;
      else {
        const printed = read(value.fromCommand, step);
        if (printed === null) return 1;
        env[name] = printed;
      }
    }
    const result = exec(fillPlaceholders(command.argv, captured), {
      capture: false,
      ...(command.stdin === 'random-secret' ? { input: randomSecret() } : {}),
      ...(command.env ? { env } : {}),
    });
    if (result.status !== 0) {
      if (command.okIfExists && /already exists|ALREADY_EXISTS|đã tồn tại/i.test(result.stderr)) {
        io.out('Đã có sẵn: bỏ qua.\n');
        continue;
      }
      io.err(`Bước ${step} thất bại; sửa lỗi rồi chạy lại (các bước đã xong sẽ được bỏ qua hoặc lặp lại vô hại).\n`);
      return 1;
    }
  }
  return 0;
}

/** Every command a plan may run, placeholders filled with samples: what the gcloud parse check runs. */
export function everyCommand(plan: PlannedCommand[], samples: Record<string, string>): string[][] {
  return plan.flatMap((c) => commandsOf(c).map((argv) => fillPlaceholders(argv, samples)));
}
