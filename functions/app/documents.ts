/**
 * The layout of the campaign's documents that reaches beyond the store: the id of a round's
 * document for a unit (`{round}__{unit}`, deterministic so a retried or duplicated event lands on
 * the same documents) and the paths the Firestore triggers watch, which the event handlers read
 * back. Defined once here; the store (adapters/firestore-store.ts) builds every id with it.
 */

/** The id of a round's document for a unit (or a node, or a table kind). */
export const docId = (roundId: string, unitId: string) => `${roundId}__${unitId}`;

const SUBMISSION_PATH = /^campaigns\/([^/]+)\/submissions\/([^/]+)__([^/]+)$/;
const POLL_REQUEST_PATH = /^campaigns\/([^/]+)\/pollRequests\/[^/]+$/;

/** Which submission a document path names (`campaigns/{campaign}/submissions/{round}__{unit}`), or null when it names none. */
export function submissionOfPath(documentPath: string): { campaignId: string; roundId: string; unitId: string } | null {
  const match = SUBMISSION_PATH.exec(documentPath);
  return match ? { campaignId: match[1]!, roundId: match[2]!, unitId: match[3]! } : null;
}

/** The campaign whose Drive poll request a document path names (`campaigns/{campaign}/pollRequests/…`), or null. */
export function pollRequestCampaignOfPath(documentPath: string): string | null {
  return POLL_REQUEST_PATH.exec(documentPath)?.[1] ?? null;
}
