/**
 * The application's state in Firestore, under `campaigns/{campaignId}/…`, with deterministic
 * document ids (`{round}__{unit}`) so a retried or duplicated event lands on the same
 * documents. Transactions are written for real Firestore; locally the emulator does not
 * isolate them, which is why every write here is also safe to repeat, and why a scheduled
 * reconciliation recomputes aggregates from source documents.
 */
import type { DocumentReference, DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import type { NodeTotals } from '../core/aggregate.js';
import { sumTotals } from '../core/aggregate.js';
import type { PeerStats } from '../core/statistics.js';
import type {
  AggregateRecord,
  NomineeIndexEntry,
  SheetRegistration,
  SubmissionRecord,
  SubmissionVersionRecord,
  UnitRoundState,
} from '../app/records.js';

export const docId = (roundId: string, unitId: string) => `${roundId}__${unitId}`;
export const versionId = (sourceVersion: number) => `v${String(sourceVersion).padStart(12, '0')}`;

export interface CommitInput {
  state: Omit<UnitRoundState, 'seenVersion' | 'feedbackHash' | 'lockedOut'>;
  /** Present when the evaluated content is ready to be accepted. */
  candidate: Omit<SubmissionRecord, 'versionCount' | 'versionId' | 'sourceVersion' | 'acceptedAt' | 'firstAcceptedAt' | 'late'> | null;
  sourceVersion: number;
  now: number;
  dueAt: number;
  lockAt: number;
}

export type CommitResult =
  | { outcome: 'stale'; seenVersion: number }
  | {
      outcome: 'committed';
      accepted: boolean;
      lockedOut: boolean;
      submission: SubmissionRecord | null;
      previousFeedbackHash: string | null;
    };

export interface MetaDocs {
  master: { spreadsheetId?: string; url?: string; requestedAt?: number; refreshedAt?: number; shortlist?: string[]; seenVersion?: number };
  driveWatch: {
    pageToken?: string;
    channel?: { id: string; resourceId: string; expiration: number; address: string };
    pollLeaseUntil?: number;
    pollRequestedAt?: number;
    lastPollAt?: number;
  };
}

export class FirestoreStore {
  constructor(
    private readonly db: Firestore,
    readonly campaignId: string,
  ) {}

  private get root() {
    return this.db.collection('campaigns').doc(this.campaignId);
  }
  private col(name: string) {
    return this.root.collection(name);
  }
  sheetRef(spreadsheetId: string) {
    return this.col('sheets').doc(spreadsheetId);
  }
  unitSheetRef(roundId: string, unitId: string) {
    return this.col('unitSheets').doc(docId(roundId, unitId));
  }
  stateRef(roundId: string, unitId: string) {
    return this.col('states').doc(docId(roundId, unitId));
  }
  submissionRef(roundId: string, unitId: string) {
    return this.col('submissions').doc(docId(roundId, unitId));
  }
  aggregateRef(roundId: string, nodeId: string) {
    return this.col('aggregates').doc(docId(roundId, nodeId));
  }
  metaRef<K extends keyof MetaDocs>(name: K): DocumentReference {
    return this.col('meta').doc(name);
  }
  /** Collection path of submissions: what the Firestore trigger watches. */
  get submissionsPath(): string {
    return this.col('submissions').path;
  }

  // Registry --------------------------------------------------------------

  async registration(spreadsheetId: string): Promise<SheetRegistration | null> {
    const snap = await this.sheetRef(spreadsheetId).get();
    return snap.exists ? (snap.data() as SheetRegistration) : null;
  }
  async unitSheet(roundId: string, unitId: string): Promise<SheetRegistration | null> {
    const snap = await this.unitSheetRef(roundId, unitId).get();
    return snap.exists ? (snap.data() as SheetRegistration) : null;
  }
  async register(reg: SheetRegistration): Promise<void> {
    const batch = this.db.batch();
    batch.set(this.sheetRef(reg.spreadsheetId), reg);
    batch.set(this.unitSheetRef(reg.roundId, reg.unitId), reg);
    await batch.commit();
  }
  async allUnitSheets(): Promise<SheetRegistration[]> {
    const snap = await this.col('unitSheets').get();
    return snap.docs.map((d) => d.data() as SheetRegistration);
  }

  // Unit state and submissions --------------------------------------------

  async state(roundId: string, unitId: string): Promise<UnitRoundState | null> {
    const snap = await this.stateRef(roundId, unitId).get();
    return snap.exists ? (snap.data() as UnitRoundState) : null;
  }
  async submission(roundId: string, unitId: string): Promise<SubmissionRecord | null> {
    const snap = await this.submissionRef(roundId, unitId).get();
    return snap.exists ? (snap.data() as SubmissionRecord) : null;
  }
  async versions(roundId: string, unitId: string): Promise<SubmissionVersionRecord[]> {
    const snap = await this.submissionRef(roundId, unitId).collection('versions').orderBy('sourceVersion').get();
    return snap.docs.map((d) => d.data() as SubmissionVersionRecord);
  }
  async statesOfRound(roundId: string): Promise<UnitRoundState[]> {
    const snap = await this.col('states').where('roundId', '==', roundId).get();
    return snap.docs.map((d) => d.data() as UnitRoundState);
  }
  async submissionsOfRound(roundId: string): Promise<SubmissionRecord[]> {
    const snap = await this.col('submissions').where('roundId', '==', roundId).get();
    return snap.docs.map((d) => d.data() as SubmissionRecord);
  }

  /**
   * Stores one evaluation: the latest state, and a new accepted version when the content is
   * ready, changed and the round is not locked. A read older than one already stored
   * (a lower Drive version) changes nothing: an older read never overwrites a newer one.
   */
  async commitEvaluation(input: CommitInput): Promise<CommitResult> {
    const { state, candidate, sourceVersion, now, dueAt, lockAt } = input;
    const stateRef = this.stateRef(state.roundId, state.unitId);
    const subRef = this.submissionRef(state.roundId, state.unitId);
    return this.db.runTransaction(async (tx) => {
      const [stateSnap, subSnap] = (await tx.getAll(stateRef, subRef)) as [DocumentSnapshot, DocumentSnapshot];
      const previous = stateSnap.exists ? (stateSnap.data() as UnitRoundState) : null;
      if (previous && previous.seenVersion >= sourceVersion) return { outcome: 'stale', seenVersion: previous.seenVersion } as const;
      let submission = subSnap.exists ? (subSnap.data() as SubmissionRecord) : null;
      let accepted = false;
      let lockedOut = false;
      if (candidate && candidate.contentHash !== submission?.contentHash) {
        if (now >= lockAt) lockedOut = true;
        else {
          accepted = true;
          const firstAcceptedAt = submission?.firstAcceptedAt ?? now;
          submission = {
            ...candidate,
            versionCount: (submission?.versionCount ?? 0) + 1,
            versionId: versionId(sourceVersion),
            sourceVersion,
            acceptedAt: now,
            firstAcceptedAt,
            late: firstAcceptedAt >= dueAt,
          };
          tx.set(subRef.collection('versions').doc(versionId(sourceVersion)), { ...submission, versionNo: submission.versionCount });
          tx.set(subRef, submission);
        }
      }
      const next: UnitRoundState = { ...state, seenVersion: sourceVersion, feedbackHash: previous?.feedbackHash ?? null, lockedOut };
      tx.set(stateRef, next);
      return { outcome: 'committed', accepted, lockedOut, submission, previousFeedbackHash: previous?.feedbackHash ?? null } as const;
    });
  }

  /** After writing feedback: remember its hash, and the file version our own write produced (never moving backwards). */
  async recordFeedback(roundId: string, unitId: string, feedbackHash: string, producedVersion: number | null): Promise<void> {
    const ref = this.stateRef(roundId, unitId);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return;
      const s = snap.data() as UnitRoundState;
      tx.update(ref, { feedbackHash, ...(producedVersion !== null && producedVersion > s.seenVersion ? { seenVersion: producedVersion } : {}) });
    });
  }

  // Aggregates ---------------------------------------------------------------

  async aggregate(roundId: string, nodeId: string): Promise<AggregateRecord | null> {
    const snap = await this.aggregateRef(roundId, nodeId).get();
    return snap.exists ? (snap.data() as AggregateRecord) : null;
  }
  async aggregatesOfRound(roundId: string): Promise<AggregateRecord[]> {
    const snap = await this.col('aggregates').where('roundId', '==', roundId).get();
    return snap.docs.map((d) => d.data() as AggregateRecord);
  }

  /**
   * Recomputes one node in a transaction: `change` sets its own totals or one child's entry
   * (kept only when newer by sequence number), then totals are summed again from scratch.
   * Returns the node as stored, and whether anything changed.
   */
  async updateNode(
    roundId: string,
    nodeId: string,
    parentId: string | null,
    change: { own: NodeTotals | null; ownSeq: number } | { childId: string; totals: NodeTotals; seq: number; contributors: number },
    now: number,
  ): Promise<{ node: AggregateRecord; changed: boolean }> {
    const ref = this.aggregateRef(roundId, nodeId);
    return this.db.runTransaction(async (tx: Transaction) => {
      const snap = await tx.get(ref);
      const node: AggregateRecord = snap.exists
        ? (snap.data() as AggregateRecord)
        : { nodeId, roundId, parentId, own: null, ownSeq: 0, children: {}, totals: {}, contributors: 0, seq: 0, updatedAt: now };
      if ('childId' in change) {
        const prev = node.children[change.childId];
        if (prev && prev.seq >= change.seq) return { node, changed: false };
        node.children[change.childId] = { totals: change.totals, seq: change.seq, contributors: change.contributors };
      } else {
        if (snap.exists && node.ownSeq >= change.ownSeq) return { node, changed: false };
        node.own = change.own;
        node.ownSeq = change.ownSeq;
      }
      node.totals = sumTotals([node.own, ...Object.values(node.children).map((c) => c.totals)]);
      node.contributors = (node.own ? 1 : 0) + Object.values(node.children).reduce((n, c) => n + c.contributors, 0);
      node.seq += 1;
      node.updatedAt = now;
      node.parentId = parentId;
      tx.set(ref, node);
      return { node, changed: true };
    });
  }

  async putAggregate(record: AggregateRecord): Promise<void> {
    await this.aggregateRef(record.roundId, record.nodeId).set(record);
  }

  // Peers and nominees ------------------------------------------------------

  async peerStats(roundId: string, kind: string): Promise<PeerStats | undefined> {
    const snap = await this.col('peerStats').doc(docId(roundId, kind)).get();
    return snap.exists ? (snap.data()?.stats as PeerStats) : undefined;
  }
  async putPeerStats(roundId: string, kind: string, stats: PeerStats, now: number): Promise<void> {
    await this.col('peerStats').doc(docId(roundId, kind)).set({ roundId, kind, stats, computedAt: now });
  }
  async nomineeIndex(roundId: string): Promise<Record<string, NomineeIndexEntry[]>> {
    const snap = await this.col('nominees').doc(roundId).get();
    return (snap.exists ? (snap.data()?.units as Record<string, NomineeIndexEntry[]>) : undefined) ?? {};
  }
  /** Only this unit's entry is replaced (a merge), so units never overwrite each other's nominees. */
  async putNominees(roundId: string, unitId: string, entries: NomineeIndexEntry[]): Promise<void> {
    await this.col('nominees').doc(roundId).set({ units: { [unitId]: entries } }, { merge: true });
  }

  // Meta (master sheet, Drive watch) -----------------------------------------

  async meta<K extends keyof MetaDocs>(name: K): Promise<MetaDocs[K]> {
    const snap = await this.metaRef(name).get();
    return (snap.exists ? snap.data() : {}) as MetaDocs[K];
  }
  async patchMeta<K extends keyof MetaDocs>(name: K, patch: Partial<MetaDocs[K]>): Promise<void> {
    await this.metaRef(name).set(patch, { merge: true });
  }
  /**
   * A short lease so bursts coalesce: the first caller takes the lease and does the work;
   * later callers only record that more work was requested, which the holder picks up.
   */
  async tryLease(name: 'driveWatch', field: 'pollLeaseUntil', now: number, durationMs: number): Promise<boolean> {
    const ref = this.metaRef(name);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const until = (snap.data()?.[field] as number | undefined) ?? 0;
      if (until > now) return false;
      tx.set(ref, { [field]: now + durationMs }, { merge: true });
      return true;
    });
  }

  // Compliance: flags and reminders -------------------------------------------

  flagsCollection() {
    return this.col('flags');
  }
  remindersCollection() {
    return this.col('reminders');
  }

  /** Deletes everything of this campaign (local `reset`): documents are listed through queries, which every emulator implements. */
  async deleteAll(): Promise<number> {
    let count = 0;
    const names = ['sheets', 'unitSheets', 'states', 'submissions', 'aggregates', 'peerStats', 'nominees', 'meta', 'flags', 'reminders'];
    for (const name of names) {
      const snap = await this.col(name).get();
      for (const doc of snap.docs) {
        if (name === 'submissions') {
          const versions = await doc.ref.collection('versions').get();
          for (const v of versions.docs) {
            await v.ref.delete();
            count++;
          }
        }
        await doc.ref.delete();
        count++;
      }
    }
    return count;
  }
}
