/**
 * When a unit's content becomes an accepted version, and whether its submission was late. The
 * store applies these inside its transaction and the coordinators' view reads the same rule,
 * so "late" and "accepted" mean one thing wherever they are shown. Pure: times are passed in.
 */

/** A submission is late when its first accepted version came at or after the round's due time. */
export function isLate(firstAcceptedAt: number, dueAt: number): boolean {
  return firstAcceptedAt >= dueAt;
}

/** What the store already holds for the unit and round (null: nothing accepted yet). */
export interface AcceptedSoFar {
  contentHash: string;
  versionCount: number;
  firstAcceptedAt: number;
}

export type VersionDecision =
  /** No ready content, or the same content as the accepted version: nothing new to accept. */
  | { decision: 'unchanged' }
  /** New ready content after the round's lock: refused, the accepted version stays in force. */
  | { decision: 'locked-out' }
  /** A new accepted version: its number in the unit's history, and the submission's (first) timing. */
  | { decision: 'accept'; versionNo: number; firstAcceptedAt: number; late: boolean };

/**
 * Whether ready content (its hash; null when the content is not ready) becomes a new accepted
 * version at `now`: only when it differs from the accepted one and the round is not locked. The
 * first acceptance fixes the submission's time, and with it lateness: corrections made after the
 * due date do not make an on-time submission late.
 */
export function acceptVersion(
  accepted: AcceptedSoFar | null,
  candidateHash: string | null,
  now: number,
  deadlines: { dueAt: number; lockAt: number },
): VersionDecision {
  if (candidateHash === null || candidateHash === accepted?.contentHash) return { decision: 'unchanged' };
  if (now >= deadlines.lockAt) return { decision: 'locked-out' };
  const firstAcceptedAt = accepted?.firstAcceptedAt ?? now;
  return {
    decision: 'accept',
    versionNo: (accepted?.versionCount ?? 0) + 1,
    firstAcceptedAt,
    late: isLate(firstAcceptedAt, deadlines.dueAt),
  };
}
