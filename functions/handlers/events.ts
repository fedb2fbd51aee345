/**
 * Firestore `document.written` events (Eventarc): submissions are aggregated; poll requests run the Drive poll.
 *
 * Eventarc delivers at least once and, with retries on, redelivers an event whose function
 * failed for up to a day (https://cloud.google.com/functions/docs/bestpractices/retries). So a handler throws only for a failure that a later attempt can get
 * past (Firestore or Google unavailable, a timeout, a quota): an event that can never succeed
 * (undecodable data, a bug that fails the same way every time) is logged with its context and
 * acknowledged. Work it should have done is caught up by the scheduled jobs (poll-changes,
 * reconcile, refresh-master).
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import {
  decodeDocumentWrittenEvent,
  UndecodableEventError,
  type DecodedDocumentWrittenEvent,
} from './firestore-event.js';
import { isTransientError } from '../app/failures.js';
import { aggregateSubmission } from '../app/aggregate.js';
import { pollChanges } from '../app/change-detection.js';
import { pollRequestCampaignOfPath, submissionOfPath } from '../app/documents.js';
import type { Logger } from '../app/log.js';
import type { RuntimeSource } from './runtime.js';
import { withinBudget } from './time-budget.js';

/** True for failures worth a redelivery; an undecodable event, or any other failure, would fail the same way again. */
export function isTransientFailure(error: unknown): boolean {
  return !(error instanceof UndecodableEventError) && isTransientError(error);
}

/** What Eventarc told us about the event: enough to find it again in the logs. */
function eventContext(event: CloudEvent<unknown>): Record<string, unknown> {
  const data = event.data;
  return {
    eventId: event.id,
    eventType: event.type,
    subject: event.subject,
    source: event.source,
    dataBytes: data instanceof Uint8Array ? data.byteLength : typeof data === 'string' ? data.length : undefined,
  };
}

/** The decoded event, or null after logging a poison event (acknowledged: never retried). */
function decodeOrAcknowledge(
  log: Logger,
  functionName: string,
  event: CloudEvent<unknown>,
): DecodedDocumentWrittenEvent | null {
  try {
    return decodeDocumentWrittenEvent(event.data);
  } catch (error) {
    log.error(`${functionName}: undecodable event acknowledged without processing`, {
      ...eventContext(event),
      error: error as Error,
    });
    return null;
  }
}

/** Rethrows a transient failure (Eventarc redelivers); logs and acknowledges a permanent one. */
function settle(
  log: Logger,
  functionName: string,
  event: CloudEvent<unknown>,
  context: Record<string, unknown>,
  error: unknown,
): void {
  if (isTransientFailure(error)) {
    log.error(`${functionName} failed; the event will be retried`, {
      ...eventContext(event),
      ...context,
      error: error as Error,
    });
    throw error;
  }
  log.error(`${functionName} failed permanently; event acknowledged, the scheduled jobs catch up`, {
    ...eventContext(event),
    ...context,
    error: error as Error,
  });
}

async function submissionWritten(runtime: RuntimeSource, event: CloudEvent<unknown>): Promise<void> {
  const resolved = await runtime();
  const decoded = decodeOrAcknowledge(resolved.log, 'onSubmissionWritten', event);
  if (!decoded) return;
  const { documentPath } = decoded;
  const submission = submissionOfPath(documentPath);
  if (!submission) {
    resolved.log.warn('event for a document that is not a submission; ignored', { documentPath, eventId: event.id });
    return;
  }
  const { campaignId, roundId, unitId } = submission;
  if (campaignId !== resolved.model.id) {
    resolved.log.warn('submission of another campaign; ignored', { documentPath });
    return;
  }
  try {
    await aggregateSubmission(resolved, roundId, unitId);
  } catch (error) {
    settle(resolved.log, 'aggregation', event, { roundId, unitId }, error);
  }
}

/** Firestore `document.written` on a poll request (left by driveWebhook): read the Drive change feed. */
async function pollRequested(runtime: RuntimeSource, event: CloudEvent<unknown>): Promise<void> {
  const resolved = await runtime();
  const decoded = decodeOrAcknowledge(resolved.log, 'onPollRequested', event);
  if (!decoded) return;
  const { documentPath, value } = decoded;
  if (pollRequestCampaignOfPath(documentPath) !== resolved.model.id || value === null) {
    resolved.log.warn('poll trigger for an unexpected document; ignored', { documentPath, eventId: event.id });
    return;
  }
  try {
    const result = await pollChanges(resolved);
    resolved.log.info('drive changes polled', { eventId: event.id, ...result });
  } catch (error) {
    settle(resolved.log, 'drive poll', event, {}, error);
  }
}

export interface EventHandlers {
  onSubmissionWritten(event: CloudEvent<unknown>): Promise<void>;
  onPollRequested(event: CloudEvent<unknown>): Promise<void>;
}

/** The Firestore-triggered functions, answering with the runtime `runtime` gives. */
export function createEventHandlers(runtime: RuntimeSource): EventHandlers {
  return {
    onSubmissionWritten: (event) => withinBudget('onSubmissionWritten', () => submissionWritten(runtime, event)),
    onPollRequested: (event) => withinBudget('onPollRequested', () => pollRequested(runtime, event)),
  };
}
