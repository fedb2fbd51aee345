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
export type Exec = (argv: string[], opts: { capture: boolean; input?: string; env?: Record<string, string> }) => ExecResult;

export interface RunOutput {
  out(text: string): void;
  err(text: string): void;
}

export function runPlan(plan: PlannedCommand[], exec: Exec, io: RunOutput, randomSecret: () => string): number {
  const captured: Record<string, string> = {};
  const read = (argv: string[], step: number): string | null => {
    const r = exec(fillPlaceholders(argv, captured), { capture: true });
    if (r.status === 0) return r.stdout.trim();
    io.err(r.stderr);
    io.err(`Bước ${step}: không đọc được (${argv.slice(0, 4).join(' ')} …); kiểm tra đăng nhập gcloud và quyền, rồi chạy lại.\n`);
    return null;
  };
  for (const [i, c] of plan.entries()) {
    const step = i + 1;
    io.out(`\n[${step}/${plan.length}] ${c.title}\n$ ${shellLine(c)}\n`);
    if (c.onlyIf) {
      const printed = read(c.onlyIf.argv, step);
      if (printed === null) return 1;
      const holds = c.onlyIf.when === 'absent' ? printed === '' : printed !== '';
      if (!holds) {
        io.out(`Bỏ qua: điều kiện "${c.onlyIf.meaning}" không đúng.\n`);
        continue;
      }
    }
    if (c.check || c.capture) {
      const printed = read(c.argv, step);
      if (printed === null) return 1;
      if (c.check && printed === '') {
        io.err(`${c.check.failure}\n`);
        return 1;
      }
      if (c.capture) {
        if (printed === '') {
          io.err(`Bước ${step}: không lấy được giá trị ${c.capture}.\n`);
          return 1;
        }
        captured[c.capture] = printed;
        io.out(`${c.capture}=${printed}\n`);
      }
      continue;
    }
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.env ?? {})) {
      if (typeof value === 'string') env[name] = value;
      else {
        const printed = read(value.fromCommand, step);
        if (printed === null) return 1;
        env[name] = printed;
      }
    }
    const r = exec(fillPlaceholders(c.argv, captured), { capture: false, ...(c.stdin === 'random-secret' ? { input: randomSecret() } : {}), ...(c.env ? { env } : {}) });
    if (r.status !== 0) {
      if (c.okIfExists && /already exists|ALREADY_EXISTS|đã tồn tại/i.test(r.stderr)) {
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
