/** Firestore `document.written` on a submission (Eventarc): recompute the unit's path up the hierarchy. */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { decodeDocumentWrittenEvent } from '../adapters/firestore-event.js';
import { aggregateSubmission } from '../app/aggregate.js';
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
