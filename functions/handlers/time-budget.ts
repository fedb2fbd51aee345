/**
 * Each function's time budget: its deployed timeout (scripts/deploy/plan.ts deploys with these
 * very numbers) less a margin for the work after the last Sheets request (writing
 * Firestore, answering). Shared-quota slots past the deadline are not reserved; the work is
 * deferred to a retry instead of the function being killed mid-way.
 */
import { withTimeBudget } from '../app/time-budget.js';

export const FUNCTION_TIMEOUT_SECONDS = {
  driveWebhook: 30,
  sheetAction: 60,
  complianceSweep: 540,
  maintenance: 540,
  onSubmissionWritten: 120,
  onPollRequested: 540,
} as const;

export type FunctionName = keyof typeof FUNCTION_TIMEOUT_SECONDS;

/** A tenth of the timeout, at least 5 s. */
export function invocationDeadline(functionName: FunctionName, startedAt: number = Date.now()): number {
  const timeoutMs = FUNCTION_TIMEOUT_SECONDS[functionName] * 1000;
  return startedAt + timeoutMs - Math.max(5_000, timeoutMs / 10);
}

/** Runs one invocation of `fn` within its budget. */
export function withinBudget<T>(functionName: FunctionName, body: () => Promise<T>): Promise<T> {
  return withTimeBudget(invocationDeadline(functionName), body);
}
