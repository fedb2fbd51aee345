/**
 * Tests that look at what the store left in Firestore (flag and reminder documents, claims)
 * read the collections here, beside the store: production code goes through its named
 * operations (claimMessage, replaceFlags, …) and never holds a collection.
 */
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import type { FirestoreStore } from '../../functions/adapters/firestore-store.js';

/** The field of a stored flag document (one per unit and round) that holds the findings. */
export const FLAGS_FIELD = 'flags';

export function storedCollection(
  deps: { db: Firestore; store: FirestoreStore },
  name: 'flags' | 'reminders',
): CollectionReference {
  return deps.db.collection('campaigns').doc(deps.store.campaignId).collection(name);
}
