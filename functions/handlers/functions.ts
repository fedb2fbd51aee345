/**
 * Every Cloud Function, built from its runtime: `createFunctions(runtime)` returns the deployed
 * set (name → signature and handler). The entry module (functions/index.ts) registers the set
 * built from the environment; the local stack and tests build their own from the dependencies
 * they prepared, so several can live in one process.
 */
import { createEventHandlers } from './events.js';
import { createHttpHandlers } from './http.js';
import { runtimeOf, type Runtime, type RuntimeSource } from './runtime.js';

export function createFunctions(runtime: Runtime | RuntimeSource) {
  const source = typeof runtime === 'function' ? runtime : runtimeOf(runtime);
  const http = createHttpHandlers(source);
  const events = createEventHandlers(source);
  return {
    driveWebhook: { signature: 'http', handler: http.driveWebhook },
    sheetAction: { signature: 'http', handler: http.sheetAction },
    complianceSweep: { signature: 'http', handler: http.complianceSweep },
    maintenance: { signature: 'http', handler: http.maintenance },
    onSubmissionWritten: { signature: 'cloudevent', handler: events.onSubmissionWritten },
    onPollRequested: { signature: 'cloudevent', handler: events.onPollRequested },
  } as const;
}

export type Functions = ReturnType<typeof createFunctions>;
export type FunctionsName = keyof Functions;
