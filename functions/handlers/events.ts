/** Firestore `document.written` events (Eventarc): submissions are aggregated; poll requests run the Drive poll. */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { decodeDocumentWrittenEvent } from '../adapters/firestore-event.js';
import { aggregateSubmission } from '../app/aggregate.js';
import { pollChanges } from '../app/change-detection.js';
import { runtime } from './runtime.js';

const SUBMISSION_PATH = /^campaigns\/([^/]+)\/submissions\/([^/]+)__([^/]+)$/;

export async function onSubmissionWritten(event: CloudEvent<unknown>): Promise<void> {
  const rt = await runtime();
  const { documentPath } = decodeDocumentWrittenEvent(event.data);
  const m = SUBMISSION_PATH.exec(documentPath);
  if (!m) {
    rt.log.warn('event for a document that is not a submission; ignored', { documentPath, eventId: event.id });
    return;
  }
  const [, campaignId, roundId, unitId] = m as unknown as [string, string, string, string];
  if (campaignId !== rt.model.id) {
    rt.log.warn('submission of another campaign; ignored', { documentPath });
    return;
  }
  try {
    await aggregateSubmission(rt, roundId, unitId);
  } catch (error) {
    rt.log.error('aggregation failed; the event will be retried', { roundId, unitId, eventId: event.id, error: error as Error });
    throw error;
  }
}

const POLL_REQUEST_PATH = /^campaigns\/([^/]+)\/pollRequests\/[^/]+$/;

/** Firestore `document.written` on a poll request (left by driveWebhook): read the Drive change feed. */
export async function onPollRequested(event: CloudEvent<unknown>): Promise<void> {
  const rt = await runtime();
  const { documentPath, value } = decodeDocumentWrittenEvent(event.data);
  const m = POLL_REQUEST_PATH.exec(documentPath);
  if (!m || m[1] !== rt.model.id || value === null) {
    rt.log.warn('poll trigger for an unexpected document; ignored', { documentPath, eventId: event.id });
    return;
  }
  try {
    const result = await pollChanges(rt);
    rt.log.info('drive changes polled', { eventId: event.id, ...result });
  } catch (error) {
    rt.log.error('drive poll failed; the event will be retried', { eventId: event.id, error: error as Error });
    throw error;
  }
}
