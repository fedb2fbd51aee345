/**
 * The preflight's checks and their report: each check is a named step that passes or fails,
 * and on failure says in Vietnamese what to do. Checks run in order; a check that throws is a
 * failed check (its error is the detail), never the end of the run, and the cleanup runs
 * whatever happened before it.
 */

export interface CheckResult {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  /** What the operator should do, when the check failed. */
  fix?: string;
}

export interface Verdict {
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface Check {
  id: string;
  title: string;
  run(): Promise<Verdict>;
}

export interface PreflightReport {
  target: 'google' | 'local';
  checks: CheckResult[];
  ok: boolean;
}

export const pass = (detail: string): Verdict => ({ ok: true, detail });
export const fail = (detail: string, fix: string): Verdict => ({ ok: false, detail, fix });

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown; code?: unknown }).status ?? (error as { code?: unknown }).code;
    return typeof status === 'number' || typeof status === 'string' ? `${error.message} (${status})` : error.message;
  }
  return String(error);
}

/** Runs one check; an exception is its failure, with a generic fix unless the check gave one. */
export async function runCheck(check: Check, fixOnError: string): Promise<CheckResult> {
  try {
    const verdict = await check.run();
    return {
      id: check.id,
      title: check.title,
      ok: verdict.ok,
      detail: verdict.detail,
      ...(verdict.ok || !verdict.fix ? {} : { fix: verdict.fix }),
    };
  } catch (e) {
    return { id: check.id, title: check.title, ok: false, detail: `Lỗi: ${errorText(e)}`, fix: fixOnError };
  }
}

/**
 * Runs the checks in order, then the cleanup (always, even when a check failed or threw),
 * which reports as one more check. `onResult` lets the caller print progress as it goes.
 */
export async function runChecks(
  target: PreflightReport['target'],
  checks: Check[],
  cleanup: Check,
  onResult: (r: CheckResult) => void = () => {},
  fixOnError = 'Xem chi tiết lỗi ở trên, sửa rồi chạy lại npm run preflight.',
): Promise<PreflightReport> {
  const results: CheckResult[] = [];
  try {
    for (const check of checks) {
      const result = await runCheck(check, fixOnError);
      results.push(result);
      onResult(result);
    }
  } finally {
    const result = await runCheck(cleanup, 'Xóa thủ công các tệp và tài liệu "preflight" còn lại (xem chi tiết).');
    results.push(result);
    onResult(result);
  }
  return { target, checks: results, ok: results.every((r) => r.ok) };
}

/** One line per check for people, and a fix line under each failure. */
export function formatResult(result: CheckResult): string {
  const head = `${result.ok ? '✔ ĐẠT ' : '✘ LỖI '} ${result.title}: ${result.detail}`;
  return result.ok || !result.fix ? `${head}\n` : `${head}\n        → Cách sửa: ${result.fix}\n`;
}

export function formatSummary(report: PreflightReport): string {
  const failed = report.checks.filter((c) => !c.ok);
  return failed.length === 0
    ? `\nTất cả ${report.checks.length} bước kiểm tra đều đạt (${report.target})\n`
    : `\n${failed.length}/${report.checks.length} bước kiểm tra không đạt (${report.target}): ${failed.map((c) => c.id).join(', ')}\n`;
}

export const exitCodeOf = (report: PreflightReport): number => (report.ok ? 0 : 1);
