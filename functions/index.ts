/**
 * The Cloud Functions entry module: registers every function with the Functions Framework.
 * Importing it is cheap; client libraries load on the first request (see wiring.ts).
 */
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { onPollRequested, onSubmissionWritten } from './handlers/events.js';
import { answerFrameworkErrorsInJson } from './handlers/framework-errors.js';
import { complianceSweep, driveWebhook, maintenance, sheetAction } from './handlers/http.js';

// Bodies the framework cannot parse are answered 400 in JSON, not with an HTML stack trace.
// Installed at load: the framework builds its Express app after loading this module.
answerFrameworkErrorsInJson();

export const FUNCTIONS = {
  driveWebhook: { signature: 'http', handler: driveWebhook },
  sheetAction: { signature: 'http', handler: sheetAction },
  complianceSweep: { signature: 'http', handler: complianceSweep },
  maintenance: { signature: 'http', handler: maintenance },
  onSubmissionWritten: { signature: 'cloudevent', handler: onSubmissionWritten },
  onPollRequested: { signature: 'cloudevent', handler: onPollRequested },
} as const;

http('driveWebhook', driveWebhook);
http('sheetAction', sheetAction);
http('complianceSweep', complianceSweep);
http('maintenance', maintenance);
cloudEvent('onSubmissionWritten', onSubmissionWritten);
cloudEvent('onPollRequested', onPollRequested);
