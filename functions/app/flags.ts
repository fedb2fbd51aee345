import type { UnitFlagsRecord } from './records.js';

/**
 * Sharing findings (grants on a unit's sheet the system did not make) are flags too, so the
 * master's status tab shows them; the reconcile owns them, and the sweep, which replaces its own
 * flags, leaves them alone (the store keeps the two owners' records apart).
 */
export const SHARING_RULE = 'sharing';

/** A sharing flag as the reconcile writes it: the extra grants, one line each ("anyone:reader"), sorted (a new set is news for the digest). */
export type SharingFlagDoc = UnitFlagsRecord & { grants: string[] };
