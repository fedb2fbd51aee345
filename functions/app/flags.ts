/** Where the compliance sweep leaves its findings per unit and round, for the master's status tab. */
export const FLAGS_FIELD = 'flags';

/**
 * Sharing findings (grants on a unit's sheet the system did not make) live in the same flags
 * collection, so the master's status tab shows them, under their own document ids: the
 * reconcile owns them, and the sweep, which rewrites its own flags, leaves them alone.
 */
export const SHARING_FLAG_PREFIX = 'sharing__';
export const SHARING_RULE = 'sharing';

export const sharingFlagId = (roundId: string, unitId: string): string => `${SHARING_FLAG_PREFIX}${roundId}__${unitId}`;
export const isSharingFlagId = (docId: string): boolean => docId.startsWith(SHARING_FLAG_PREFIX);

/** A sharing flag document as the reconcile writes it. */
export interface SharingFlagDoc {
  roundId: string;
  unitId: string;
  flags: { unitId: string; rule: string; reason: string }[];
  /** The extra grants, one line each ("anyone:reader"), sorted: a new set is news for the digest. */
  grants: string[];
  at: number;
}
