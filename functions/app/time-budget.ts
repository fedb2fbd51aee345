/**
 * The invocation's time budget: the handlers set a deadline from their function's timeout,
 * and paced adapters (the shared Sheets quota) refuse to wait beyond it, throwing
 * QuotaDeferredError so the work is retried later instead of the function timing out.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const budget = new AsyncLocalStorage<{ deadlineMs: number }>();

/**
 * Runs `fn` with a deadline (wall-clock ms): shared-quota slots after it are not reserved. The
 * handlers set it from their function's timeout; code outside any budget (CLI, provisioning)
 * waits as long as the quota needs.
 */
export function withTimeBudget<T>(deadlineMs: number, operation: () => Promise<T>): Promise<T> {
  return budget.run({ deadlineMs }, operation);
}

/** The deadline of the invocation this code runs in, or null outside one. */
export function currentDeadline(): number | null {
  return budget.getStore()?.deadlineMs ?? null;
}

/**
 * The next free slot of a shared quota lies beyond this invocation's deadline: nothing was
 * reserved, and the work should be retried later. `transient` marks it for the event handlers
 * (rethrow, Eventarc redelivers); it is no HTTP status, so withRetry does not retry it in place.
 */
export class QuotaDeferredError extends Error {
  readonly transient = true;
  readonly code = 'QUOTA_DEFERRED';
  constructor(
    readonly quota: string,
    /** How long from now the next free slot is. */
    readonly waitMs: number,
    /** What was left of the invocation's budget. */
    readonly budgetMs: number,
  ) {
    super(
      `Sheets quota ${quota}: next free slot in ${Math.ceil(waitMs / 1000)} s, after this invocation's remaining ${Math.max(0, Math.floor(budgetMs / 1000))} s; work deferred`,
    );
    this.name = 'QuotaDeferredError';
  }
}
