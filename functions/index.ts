/**
 * The Cloud Functions entry module: registers every function with the Functions Framework.
 * Importing it is cheap; the runtime (client libraries, configuration) is built from the
 * environment on the first request (handlers/runtime.ts runtimeFromEnvironment, wiring.ts).
 */
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { answerFrameworkErrorsInJson } from './handlers/framework-errors.js';
import { createFunctions } from './handlers/functions.js';
import { runtimeFromEnvironment } from './handlers/runtime.js';

// Bodies the framework cannot parse are answered 400 in JSON, not with an HTML stack trace.
// Installed at load: the framework builds its Express app after loading this module.
answerFrameworkErrorsInJson();

export const FUNCTIONS = createFunctions(runtimeFromEnvironment());

for (const [name, definition] of Object.entries(FUNCTIONS)) {
  if (definition.signature === 'http') http(name, definition.handler);
  else cloudEvent(name, definition.handler);
}
