/**
 * The application's state in Firestore, under `campaigns/{campaignId}/…`, with deterministic
 * document ids (`{round}__{unit}`) so a retried or duplicated event lands on the same
 * documents. Transactions are written for real Firestore; locally the emulator does not
 * isolate them, which is why every write here is also safe to repeat, and why a scheduled
 * reconciliation recomputes aggregates from source documents.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DocumentReference, DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import type { NodeTotals } from '../core/aggregate.js';
import { applyToLedger, ledgerOf, totalsOfLedger } from '../core/aggregate.js';
import { canonicalJson } from '../core/canonical-json.js';
import { acceptVersion } from '../core/submission-rules.js';
import type { PeerStats } from '../core/statistics.js';
import type {
  AggregatePartRecord,
  AggregateRecord,
  FlagOwner,
  MasterChangeRecord,
  MasterChangeScope,
  MessageClaim,
  NomineeIndexEntry,
  SheetFailureRecord,
  SheetRegistration,
  SubmissionRecord,
  SubmissionVersionRecord,
  UnitFlagsRecord,
  UnitRoundState,
} from '../app/records.js';
import { docId } from '../app/documents.js';

/**
 * Flag documents: the sweep's under `{round}__{unit}`, the reconcile's sharing findings under
 * `sharing__{round}__{unit}`, in one collection so the master reads them with one query.
 */
const SHARING_FLAG_PREFIX = 'sharing__';
export const flagDocId = (owner: FlagOwner, roundId: string, unitId: string) =>
  owner === 'sharing' ? `${SHARING_FLAG_PREFIX}${docId(roundId, unitId)}` : docId(roundId, unitId);
const flagOwnerOf = (id: string): FlagOwner => (id.startsWith(SHARING_FLAG_PREFIX) ? 'sharing' : 'sweep');

/**
 * A reminder message's claim lives beside the reminder keys it carries, under `msg__` and a hash
 * of those keys: two sweeps that plan the same message compute the same claim.
 */
const MESSAGE_PREFIX = 'msg__';
export const messageKeyOf = (keys: readonly string[]) =>
  `${MESSAGE_PREFIX}${createHash('sha256')
    .update([...keys].sort().join('\n'))
    .digest('hex')
    .slice(0, 32)}`;
type Claim = { status: 'claimed' | 'sent'; claimedAt: number; leaseUntil: number; keys: string[] };
/** gRPC ALREADY_EXISTS: create() found the document there. */
const ALREADY_EXISTS = 6;
/**
 * Id of an accepted version: its number in the unit's history (1, 2, …). Not the Drive file
 * version it was read at: a unit's sheet can be replaced (deleted in Drive, provisioned
 * again), and the new file's versions start again from 1.
 */
export const versionId = (versionNo: number) => `v${String(versionNo).padStart(12, '0')}`;

import type {
  CommitInput,
  CommitResult,
  MetaDocs,
  NodeRepair,
  Store,
  SweepSheetView,
  SweepStateView,
  SweepSubmissionView,
  SweepVersionView,
} from '../app/ports.js';

// The port's types are the application's (app/ports.ts); re-exported for callers of this adapter.
export type { CommitInput, CommitResult, MetaDocs };

export class FirestoreStore implements Store {
  /**
   * Document reads made through this store since it was created (or last reset), counted as
   * Firestore bills them: one per document a get or a transaction read fetches (a missing
   * document still costs one), and one per document a query returns (at least one per query).
   * Tests use it to show that a change costs the same whatever the number of units.
   */
  reads = 0;

  constructor(
    private readonly db: Firestore,
    readonly campaignId: string,
  ) {}

  private counted<T extends { exists: boolean }>(snap: T): T {
    this.reads += 1;
    return snap;
  }
  private countedQuery<T extends { size: number }>(snap: T): T {
    this.reads += Math.max(1, snap.size);
    return snap;
  }

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
  aggregatePartRef(roundId: string, nodeId: string, childId: string) {
    return this.col('aggregateParts').doc(`${docId(roundId, nodeId)}__${childId}`);
  }
  metaRef<K extends keyof MetaDocs>(name: K): DocumentReference {
    return this.col('meta').doc(name);
  }
  /** Collection path of submissions: what the Firestore trigger watches. */
  /** Collection path of Drive poll requests: what the poll trigger watches. */
  get pollRequestsPath(): string {
    return this.col('pollRequests').path;
  }
  /**
   * Asks for the Drive change feed to be read. The write fires the poll trigger; the request
   * id also tells a poll that is already running to go round once more.
   */
  async requestPoll(now: number, reason: string): Promise<string> {
    const requestId = randomUUID();
    await this.col('pollRequests').doc('drive').set({ requestId, requestedAt: now, reason });
    await this.patchMeta('driveWatch', { pollRequestedAt: now, pollRequestId: requestId });
    return requestId;
  }

  get submissionsPath(): string {
    return this.col('submissions').path;
  }

  // Registry --------------------------------------------------------------

  async registration(spreadsheetId: string): Promise<SheetRegistration | null> {
    const snap = this.counted(await this.sheetRef(spreadsheetId).get());
    return snap.exists ? (snap.data() as SheetRegistration) : null;
  }
  async unitSheet(roundId: string, unitId: string): Promise<SheetRegistration | null> {
    const snap = this.counted(await this.unitSheetRef(roundId, unitId).get());
    return snap.exists ? (snap.data() as SheetRegistration) : null;
  }
  /**
   * Registers a unit's sheet. A sheet that replaces another (the first was deleted in Drive and
   * provisioned again) takes its place: the old file is no longer registered, so if it is ever
   * restored, its edits are ignored rather than taken as the unit's.
   */
  async register(reg: SheetRegistration): Promise<void> {
    const unitRef = this.unitSheetRef(reg.roundId, reg.unitId);
    await this.db.runTransaction(async (tx) => {
      const current = this.counted(await tx.get(unitRef));
      const previousId = current.exists ? (current.data() as SheetRegistration).spreadsheetId : null;
      if (previousId && previousId !== reg.spreadsheetId) tx.delete(this.sheetRef(previousId));
      tx.set(this.sheetRef(reg.spreadsheetId), reg);
      tx.set(unitRef, reg);
    });
  }
  async allUnitSheets(): Promise<SheetRegistration[]> {
    const snap = this.countedQuery(await this.col('unitSheets').get());
    return snap.docs.map((d) => d.data() as SheetRegistration);
  }

  // Unit state and submissions --------------------------------------------

  async state(roundId: string, unitId: string): Promise<UnitRoundState | null> {
    const snap = this.counted(await this.stateRef(roundId, unitId).get());
    return snap.exists ? (snap.data() as UnitRoundState) : null;
  }
  async submission(roundId: string, unitId: string): Promise<SubmissionRecord | null> {
    const snap = this.counted(await this.submissionRef(roundId, unitId).get());
    return snap.exists ? (snap.data() as SubmissionRecord) : null;
  }
  async versions(roundId: string, unitId: string): Promise<SubmissionVersionRecord[]> {
    const snap = this.countedQuery(
      await this.submissionRef(roundId, unitId).collection('versions').orderBy('versionNo').get(),
    );
    return snap.docs.map((d) => d.data() as SubmissionVersionRecord);
  }
  async statesOfRound(roundId: string): Promise<UnitRoundState[]> {
    const snap = this.countedQuery(await this.col('states').where('roundId', '==', roundId).get());
    return snap.docs.map((d) => d.data() as UnitRoundState);
  }
  async submissionsOfRound(roundId: string): Promise<SubmissionRecord[]> {
    const snap = this.countedQuery(await this.col('submissions').where('roundId', '==', roundId).get());
    return snap.docs.map((d) => d.data() as SubmissionRecord);
  }

  // The compliance sweep's reads ---------------------------------------------
  //
  // Projection queries (`select(...)`): Firestore returns only the named fields of each document
  // and still bills one read per document returned, so the sweep reads as many documents as
  // before but holds a fraction of their bytes (11,000 units' figures and issues stay on the
  // server). https://cloud.google.com/firestore/docs/reference/rest/v1/StructuredQuery#projection,
  // https://cloud.google.com/firestore/pricing. Array fields (nominations) come whole: a field
  // path cannot reach into an array's elements.

  async sweepUnitSheets(): Promise<SweepSheetView[]> {
    const snap = this.countedQuery(
      await this.col('unitSheets')
        .select(...SWEEP_SHEET_FIELDS)
        .get(),
    );
    return snap.docs.map((d) => d.data() as SweepSheetView);
  }
  async sweepStatesOfRound(roundId: string): Promise<SweepStateView[]> {
    const snap = this.countedQuery(
      await this.col('states')
        .where('roundId', '==', roundId)
        .select(...SWEEP_STATE_FIELDS)
        .get(),
    );
    return snap.docs.map((d) => d.data() as SweepStateView);
  }
  async sweepSubmissionsOfRound(roundId: string, opts: { nominations: boolean }): Promise<SweepSubmissionView[]> {
    const snap = this.countedQuery(
      await this.col('submissions')
        .where('roundId', '==', roundId)
        .select(...sweepSubmissionFields(opts))
        .get(),
    );
    return snap.docs.map((d) => d.data() as SweepSubmissionView);
  }
  async sweepVersions(roundId: string, unitId: string, opts: { nominations: boolean }): Promise<SweepVersionView[]> {
    const query = this.submissionRef(roundId, unitId)
      .collection('versions')
      .orderBy('versionNo')
      .select(...sweepSubmissionFields(opts), 'versionNo');
    const snap = this.countedQuery(await query.get());
    return snap.docs.map((d) => d.data() as SweepVersionView);
  }

  /**
   * Stores one evaluation: the latest state, and a new accepted version when the content is
   * ready, changed and the round is not locked. A read older than one already stored
   * (a lower Drive version of the same file) changes nothing: an older read never overwrites
   * a newer one. A read of another file (the unit's replacement sheet) is not compared.
   */
  async commitEvaluation(input: CommitInput): Promise<CommitResult> {
    const { state, candidate, sourceVersion, now, dueAt, lockAt, spreadsheetId } = input;
    const stateRef = this.stateRef(state.roundId, state.unitId);
    const subRef = this.submissionRef(state.roundId, state.unitId);
    return this.db.runTransaction(async (tx) => {
      const [stateSnap, subSnap] = (await tx.getAll(stateRef, subRef)) as [DocumentSnapshot, DocumentSnapshot];
      this.reads += 2;
      const previous = stateSnap.exists ? (stateSnap.data() as UnitRoundState) : null;
      const sameFile = !spreadsheetId || !previous?.spreadsheetId || previous.spreadsheetId === spreadsheetId;
      if (previous && sameFile && previous.seenVersion >= sourceVersion)
        return { outcome: 'stale', seenVersion: previous.seenVersion } as const;
      let submission = subSnap.exists ? (subSnap.data() as SubmissionRecord) : null;
      let accepted = false;
      let lockedOut = false;
      // The rule (changed content, before the lock; lateness fixed by the first acceptance) is core's.
      const verdict = acceptVersion(submission, candidate?.contentHash ?? null, now, { dueAt, lockAt });
      if (verdict.decision === 'locked-out') lockedOut = true;
      if (verdict.decision === 'accept' && candidate) {
        accepted = true;
        const { versionNo, firstAcceptedAt, late } = verdict;
        submission = {
          ...candidate,
          versionCount: versionNo,
          versionId: versionId(versionNo),
          sourceVersion,
          acceptedAt: now,
          firstAcceptedAt,
          late,
        };
        tx.set(subRef.collection('versions').doc(versionId(versionNo)), { ...submission, versionNo });
        tx.set(subRef, submission);
      }
      // A replacement sheet holds none of the feedback written into the old one.
      const feedbackHash = sameFile ? (previous?.feedbackHash ?? null) : null;
      const next: UnitRoundState = {
        ...state,
        seenVersion: sourceVersion,
        feedbackHash,
        feedbackPending: true,
        lockedOut,
        ...(spreadsheetId ? { spreadsheetId } : {}),
      };
      tx.set(stateRef, next);
      return { outcome: 'committed', accepted, lockedOut, submission, previousFeedbackHash: feedbackHash } as const;
    });
  }

  /**
   * After writing feedback (or finding none to write): remember its hash, and the file version
   * our own write produced (never moving backwards). The feedback of the version read at
   * `readVersion` is then done: unless a newer read was stored meanwhile, nothing is pending.
   */
  async recordFeedback(
    roundId: string,
    unitId: string,
    feedbackHash: string,
    producedVersion: number | null,
    readVersion: number,
  ): Promise<void> {
    const ref = this.stateRef(roundId, unitId);
    await this.db.runTransaction(async (tx) => {
      const snap = this.counted(await tx.get(ref));
      if (!snap.exists) return;
      const state = snap.data() as UnitRoundState;
      tx.update(ref, {
        feedbackHash,
        ...(state.seenVersion <= readVersion ? { feedbackPending: false } : {}),
        ...(producedVersion !== null && producedVersion > state.seenVersion ? { seenVersion: producedVersion } : {}),
      });
    });
  }

  // Sheets whose processing failed (quarantine) -------------------------------

  /** Every sheet with a failure on record; few, and one query per poll. */
  async sheetFailures(): Promise<SheetFailureRecord[]> {
    const snap = this.countedQuery(await this.col('sheetFailures').get());
    return snap.docs.map((d) => d.data() as SheetFailureRecord);
  }
  async putSheetFailure(record: SheetFailureRecord): Promise<void> {
    await this.col('sheetFailures').doc(record.spreadsheetId).set(record);
  }
  async clearSheetFailure(spreadsheetId: string): Promise<void> {
    await this.col('sheetFailures').doc(spreadsheetId).delete();
  }

  // Aggregates ---------------------------------------------------------------

  async aggregate(roundId: string, nodeId: string): Promise<AggregateRecord | null> {
    const snap = this.counted(await this.aggregateRef(roundId, nodeId).get());
    return snap.exists ? (snap.data() as AggregateRecord) : null;
  }
  async aggregatesOfRound(roundId: string): Promise<AggregateRecord[]> {
    const snap = this.countedQuery(await this.col('aggregates').where('roundId', '==', roundId).get());
    return snap.docs.map((d) => d.data() as AggregateRecord);
  }
  async aggregatePartsOfRound(roundId: string): Promise<AggregatePartRecord[]> {
    const snap = this.countedQuery(await this.col('aggregateParts').where('roundId', '==', roundId).get());
    return snap.docs.map((d) => d.data() as AggregatePartRecord);
  }
  /**
   * The parts of one node (tests and tools: the event path reads one part at a time). Queried on
   * the node alone, which a single-field index serves, and narrowed to the round here.
   */
  async aggregatePartsOf(roundId: string, nodeId: string): Promise<AggregatePartRecord[]> {
    const snap = this.countedQuery(await this.col('aggregateParts').where('nodeId', '==', nodeId).get());
    return snap.docs.map((d) => d.data() as AggregatePartRecord).filter((p) => p.roundId === roundId);
  }

  /**
   * Applies one change to one node in a transaction (see the Store port). A child's change
   * reads the node and that child's part (2 reads, whatever the number of children), takes
   * the part's previous totals out of the node's ledger and puts the new ones in; own totals
   * read the node alone. Totals are then read off the ledger: exactly what summing every part
   * afresh gives (core TotalsLedger), while neither document grows with the children.
   */
  async updateNode(
    roundId: string,
    nodeId: string,
    parentId: string | null,
    change:
      | { own: NodeTotals | null; ownSeq: number }
      | { childId: string; totals: NodeTotals; seq: number; contributors: number },
    now: number,
  ): Promise<{ node: AggregateRecord; changed: boolean }> {
    const ref = this.aggregateRef(roundId, nodeId);
    return this.db.runTransaction(async (tx: Transaction) => {
      if ('childId' in change) {
        const partRef = this.aggregatePartRef(roundId, nodeId, change.childId);
        const [snap, partSnap] = (await tx.getAll(ref, partRef)) as [DocumentSnapshot, DocumentSnapshot];
        this.reads += 2;
        const node = nodeFrom(snap, roundId, nodeId, parentId, now);
        const stored = partSnap.exists ? (partSnap.data() as AggregatePartRecord) : null;
        // A part left from another incarnation of the node is not in its sums.
        const counted = stored && stored.epoch === node.epoch ? stored : null;
        if (counted && counted.seq >= change.seq) return { node, changed: false };
        applyToLedger(node.ledger, counted?.totals, -1);
        applyToLedger(node.ledger, change.totals, 1);
        node.contributors += change.contributors - (counted?.contributors ?? 0);
        const part: AggregatePartRecord = {
          roundId,
          nodeId,
          childId: change.childId,
          totals: change.totals,
          seq: change.seq,
          contributors: change.contributors,
          epoch: node.epoch,
          updatedAt: now,
        };
        tx.set(partRef, part);
        return { node: this.setNode(tx, node, parentId, now), changed: true };
      }
      const snap = this.counted(await tx.get(ref));
      const node = nodeFrom(snap, roundId, nodeId, parentId, now);
      // Older loses; the same sequence number changes nothing unless the totals differ (a
      // rewrite of the same version, e.g. by a repair or a seeding tool, still lands).
      const same = node.ownSeq === change.ownSeq && canonicalJson(node.own) === canonicalJson(change.own);
      if (snap.exists && (node.ownSeq > change.ownSeq || same)) return { node, changed: false };
      applyToLedger(node.ledger, node.own, -1);
      applyToLedger(node.ledger, change.own, 1);
      node.contributors += (change.own ? 1 : 0) - (node.own ? 1 : 0);
      node.own = change.own;
      node.ownSeq = change.ownSeq;
      return { node: this.setNode(tx, node, parentId, now), changed: true };
    });
  }

  /** Totals read off the ledger, the sequence number moved on, and the node written in `tx`. */
  private setNode(tx: Transaction, node: AggregateRecord, parentId: string | null, now: number): AggregateRecord {
    node.totals = totalsOfLedger(node.ledger);
    node.seq += 1;
    node.updatedAt = now;
    node.parentId = parentId;
    tx.set(this.aggregateRef(node.roundId, node.nodeId), node);
    return node;
  }

  async putAggregate(record: AggregateRecord): Promise<void> {
    await this.aggregateRef(record.roundId, record.nodeId).set(record);
  }

  /**
   * See the Store port. A node is repaired in one transaction when its part writes fit in one
   * (Firestore takes at most 500 writes per transaction); a node with more parts to write is
   * repaired in several, each guarded by the sequence number the previous one left, each a
   * complete delta on the ledger (the parts it rewrites are read in it), the last one setting
   * the node from `repair` outright. A run interrupted between them leaves a consistent node
   * (its sums match its counted parts) for the next run to finish.
   */
  async repairNode(repair: NodeRepair, expectedSeq: number | null, now: number): Promise<AggregateRecord | null> {
    const { roundId, nodeId } = repair;
    const ref = this.aggregateRef(roundId, nodeId);
    const wanted = new Map(repair.parts.map((p) => [p.childId, p]));
    // A node without an epoch (created here, or written before parts existed) counts no part:
    // each of its parts is written in the new epoch.
    const current = await this.aggregate(roundId, nodeId);
    const fresh = !current?.epoch;
    const writes = [...new Set([...(fresh ? repair.parts.map((p) => p.childId) : repair.write), ...repair.remove])];
    const chunks: string[][] = [];
    for (let i = 0; i < writes.length; i += MAX_PART_WRITES_PER_TRANSACTION)
      chunks.push(writes.slice(i, i + MAX_PART_WRITES_PER_TRANSACTION));
    if (!chunks.length) chunks.push([]);
    let seq = expectedSeq;
    let epoch = current?.epoch ?? randomUUID();
    let result: AggregateRecord | null = null;
    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1;
      result = await this.db.runTransaction(async (tx) => {
        const partRefs = chunk.map((childId) => this.aggregatePartRef(roundId, nodeId, childId));
        const snaps = (await tx.getAll(ref, ...partRefs)) as DocumentSnapshot[];
        this.reads += snaps.length;
        const [snap, ...partSnaps] = snaps as [DocumentSnapshot, ...DocumentSnapshot[]];
        const stored = snap.exists ? (snap.data() as AggregateRecord) : null;
        if ((stored ? (stored.seq ?? 0) : null) !== seq) return null;
        const node: AggregateRecord =
          stored?.epoch === epoch ? stored : { ...rebased(stored, roundId, nodeId, repair.parentId, now), epoch };
        chunk.forEach((childId, childIndex) => {
          const old = partSnaps[childIndex]!.exists ? (partSnaps[childIndex]!.data() as AggregatePartRecord) : null;
          const counted = old && old.epoch === epoch ? old : null;
          const next = wanted.get(childId);
          applyToLedger(node.ledger, counted?.totals, -1);
          node.contributors -= counted?.contributors ?? 0;
          if (!next || repair.remove.includes(childId)) {
            tx.delete(partRefs[childIndex]!);
            return;
          }
          applyToLedger(node.ledger, next.totals, 1);
          node.contributors += next.contributors;
          tx.set(partRefs[childIndex]!, {
            roundId,
            nodeId,
            childId,
            totals: next.totals,
            seq: next.seq,
            contributors: next.contributors,
            epoch,
            updatedAt: now,
          } satisfies AggregatePartRecord);
        });
        if (last) {
          // Every part now reads as `repair` says: the node's sums are set from them outright,
          // which also clears any drift in the ledger itself.
          node.own = repair.own;
          node.ownSeq = repair.ownSeq;
          node.ledger = ledgerOf([repair.own, ...repair.parts.map((p) => p.totals)]);
          node.contributors = (repair.own ? 1 : 0) + repair.parts.reduce((n, p) => n + p.contributors, 0);
        }
        return this.setNode(tx, node, repair.parentId, now);
      });
      if (!result) return null;
      seq = result.seq;
      epoch = result.epoch;
    }
    return result;
  }

  // Peers and nominees ------------------------------------------------------

  async peerStats(roundId: string, kind: string): Promise<PeerStats | undefined> {
    const snap = this.counted(await this.col('peerStats').doc(docId(roundId, kind)).get());
    return snap.exists ? (snap.data()?.stats as PeerStats) : undefined;
  }
  async putPeerStats(roundId: string, kind: string, stats: PeerStats, now: number): Promise<void> {
    await this.col('peerStats').doc(docId(roundId, kind)).set({ roundId, kind, stats, computedAt: now });
  }
  async nomineeIndex(roundId: string): Promise<Record<string, NomineeIndexEntry[]>> {
    const snap = this.counted(await this.col('nominees').doc(roundId).get());
    const units =
      (snap.exists
        ? (snap.data()?.units as Record<string, NomineeSlot | NomineeIndexEntry[]> | undefined)
        : undefined) ?? {};
    const index: Record<string, NomineeIndexEntry[]> = {};
    // Slots written before the field names were escaped held the entries under the raw unit id.
    for (const [field, slot] of Object.entries(units)) {
      if (Array.isArray(slot)) index[field] = slot;
      else index[slot.unitId] = slot.entries;
    }
    return index;
  }
  /**
   * Only this unit's slot is written, by a merge on the field path `units.<slot>`, without
   * reading the document: units never overwrite each other's nominees, however many write at
   * once, on any Firestore (the local emulator does not isolate read-modify-write
   * transactions). The slot name is the unit id escaped to a plain identifier, because the
   * local emulator silently drops merges on quoted field paths (ids hold hyphens and dots).
   */
  async putNominees(roundId: string, unitId: string, entries: NomineeIndexEntry[]): Promise<void> {
    const slot: NomineeSlot = { unitId, entries };
    await this.col('nominees')
      .doc(roundId)
      .set({ roundId, units: { [nomineeSlotName(unitId)]: slot } }, { merge: true });
  }

  // Meta (master sheet, Drive watch) -----------------------------------------

  async meta<K extends keyof MetaDocs>(name: K): Promise<MetaDocs[K]> {
    const snap = this.counted(await this.metaRef(name).get());
    return (snap.exists ? snap.data() : {}) as MetaDocs[K];
  }
  async patchMeta<K extends keyof MetaDocs>(name: K, patch: Partial<MetaDocs[K]>): Promise<void> {
    await this.metaRef(name).set(patch, { merge: true });
  }
  /**
   * A short lease so bursts coalesce: the first caller takes the lease and does the work;
   * later callers only record that more work was requested, which the holder picks up.
   */
  async tryLease(name: 'driveWatch', field: 'pollLeaseUntil', now: number, durationMs: number): Promise<boolean>;
  async tryLease(name: 'master', field: 'refreshLeaseUntil', now: number, durationMs: number): Promise<boolean>;
  async tryLease(
    name: 'driveWatch' | 'master',
    field: 'pollLeaseUntil' | 'refreshLeaseUntil',
    now: number,
    durationMs: number,
  ): Promise<boolean> {
    const ref = this.metaRef(name);
    return this.db.runTransaction(async (tx) => {
      const snap = this.counted(await tx.get(ref));
      const until = (snap.data()?.[field] as number | undefined) ?? 0;
      if (until > now) return false;
      tx.set(ref, { [field]: now + durationMs }, { merge: true });
      return true;
    });
  }

  // Compliance: flags and reminders -------------------------------------------

  /** Every flag record of a round, whoever wrote it (the master's status tab). */
  async flagsOfRound(roundId: string): Promise<UnitFlagsRecord[]> {
    const snap = this.countedQuery(await this.col('flags').where('roundId', '==', roundId).get());
    return snap.docs.map((d) => d.data() as UnitFlagsRecord);
  }

  /** One unit's flag records in a round, whoever wrote them: its two documents, in one call. */
  async unitFlags(roundId: string, unitId: string): Promise<UnitFlagsRecord[]> {
    const refs = (['sweep', 'sharing'] as const).map((owner) =>
      this.col('flags').doc(flagDocId(owner, roundId, unitId)),
    );
    const snaps = await this.db.getAll(...refs);
    this.reads += snaps.length;
    return snaps.filter((d) => d.exists).map((d) => d.data() as UnitFlagsRecord);
  }

  /** The flag records one owner wrote, in every round. */
  async flagsOf(owner: FlagOwner): Promise<UnitFlagsRecord[]> {
    const snap = this.countedQuery(await this.col('flags').get());
    return snap.docs.filter((d) => flagOwnerOf(d.id) === owner).map((d) => d.data() as UnitFlagsRecord);
  }

  /**
   * Makes `wanted` the owner's whole set of flag records: records no longer wanted are deleted,
   * changed ones written; one whose flags and grants are unchanged keeps its time. The other
   * owner's records are left alone. Returns whether anything changed.
   */
  async replaceFlags(owner: FlagOwner, wanted: readonly UnitFlagsRecord[]): Promise<boolean> {
    const byId = new Map(wanted.map((r) => [flagDocId(owner, r.roundId, r.unitId), r]));
    const existing = this.countedQuery(await this.col('flags').get()).docs.filter((d) => flagOwnerOf(d.id) === owner);
    let changed = false;
    for (const doc of existing) {
      if (byId.has(doc.id)) continue;
      await doc.ref.delete();
      changed = true;
    }
    const sameMeaning = (r: Partial<UnitFlagsRecord> | undefined) => JSON.stringify([r?.flags, r?.grants ?? null]);
    const before = new Map(existing.map((d) => [d.id, sameMeaning(d.data() as UnitFlagsRecord)]));
    for (const [id, record] of byId) {
      if (before.get(id) === sameMeaning(record)) continue;
      await this.col('flags').doc(id).set(record);
      changed = true;
    }
    return changed;
  }

  /** Reminder keys marked sent at or before `at` (records without a time count as sent: older data). */
  async sentReminderKeys(at: number): Promise<string[]> {
    const snap = this.countedQuery(await this.col('reminders').where('status', '==', 'sent').get());
    return snap.docs
      .filter((d) => !d.id.startsWith(MESSAGE_PREFIX))
      .filter((reminder) => {
        const sentAt = (reminder.data() as { sentAt?: unknown }).sentAt;
        return typeof sentAt !== 'number' || sentAt <= at;
      })
      .map((d) => d.id);
  }

  /**
   * Claims the message carrying the still-unsent `keys` (create-if-absent); a claim whose sender
   * died before confirming (its lease is over) is taken over. Null when nothing is left to send
   * or someone else holds the claim.
   */
  async claimMessage(keys: readonly string[], now: number, leaseMs: number): Promise<MessageClaim | null> {
    const reminders = this.col('reminders');
    const snaps = await this.db.getAll(...keys.map((k) => reminders.doc(k)));
    this.reads += snaps.length;
    const unsent = keys.filter((_k, i) => !snaps[i]!.exists);
    if (unsent.length === 0) return null;
    const messageKey = messageKeyOf(unsent);
    const ref = reminders.doc(messageKey);
    const record: Claim = { status: 'claimed', claimedAt: now, leaseUntil: now + leaseMs, keys: unsent };
    try {
      await ref.create(record);
      return { messageKey, keys: unsent };
    } catch (e) {
      if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
    }
    const taken = await this.db.runTransaction(async (tx) => {
      const claim = this.counted(await tx.get(ref)).data() as Claim | undefined;
      if (!claim || claim.status === 'sent' || claim.leaseUntil > now) return false;
      tx.set(ref, record);
      return true;
    });
    return taken ? { messageKey, keys: unsent } : null;
  }

  /** Gives a claim up (the send failed or could not be tried): the next sweep sends the message. */
  async releaseMessage(claim: MessageClaim): Promise<void> {
    await this.col('reminders').doc(claim.messageKey).delete();
  }

  /** The message went out: its keys are sent (never sent again) and its claim is closed, in one batch. */
  async markMessageSent(claim: MessageClaim, unitId: string | null, now: number): Promise<void> {
    const reminders = this.col('reminders');
    const batch = this.db.batch();
    for (const reminderKey of claim.keys)
      batch.set(reminders.doc(reminderKey), { status: 'sent', sentAt: now, messageKey: claim.messageKey, unitId });
    batch.set(reminders.doc(claim.messageKey), { status: 'sent' }, { merge: true });
    await batch.commit();
  }

  // Master change markers ----------------------------------------------------

  /** Marks what changed for the master's next refresh (see MasterChangeRecord). */
  async markMasterChange(scope: MasterChangeScope, now: number): Promise<void> {
    const record: MasterChangeRecord =
      typeof scope === 'string'
        ? { id: scope, kind: scope, token: randomUUID(), at: now }
        : {
            id: docId(scope.roundId, scope.unitId),
            kind: 'unit',
            roundId: scope.roundId,
            unitId: scope.unitId,
            token: randomUUID(),
            at: now,
          };
    await this.col('masterChanges').doc(record.id).set(record);
  }
  async masterChanges(): Promise<MasterChangeRecord[]> {
    const snap = this.countedQuery(await this.col('masterChanges').get());
    return snap.docs.map((d) => d.data() as MasterChangeRecord);
  }
  /**
   * In a transaction: a marker whose token changed since it was read is left (the change it
   * marks came during the refresh and is not in what was written). Chunks keep each
   * transaction small.
   */
  async clearMasterChanges(seen: readonly MasterChangeRecord[]): Promise<void> {
    for (let i = 0; i < seen.length; i += 200) {
      const chunk = seen.slice(i, i + 200);
      await this.db.runTransaction(async (tx) => {
        const snaps = await tx.getAll(...chunk.map((m) => this.col('masterChanges').doc(m.id)));
        this.reads += snaps.length;
        snaps.forEach((snap, changeIndex) => {
          if (snap.exists && (snap.data() as MasterChangeRecord).token === chunk[changeIndex]!.token)
            tx.delete(snap.ref);
        });
      });
    }
  }

  /** Deletes everything of this campaign (local `reset`): documents are listed through queries, which every emulator implements. */
  async deleteAll(): Promise<number> {
    let count = 0;
    const names = [
      'sheets',
      'unitSheets',
      'states',
      'submissions',
      'aggregates',
      'aggregateParts',
      'peerStats',
      'nominees',
      'meta',
      'flags',
      'reminders',
      'sheetFailures',
      'masterChanges',
    ];
    for (const name of names) {
      const snap = this.countedQuery(await this.col(name).get());
      for (const doc of snap.docs) {
        if (name === 'submissions') {
          const versions = this.countedQuery(await doc.ref.collection('versions').get());
          for (const version of versions.docs) {
            await version.ref.delete();
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

/**
 * Part documents one repair transaction writes or deletes, below Firestore's 500 writes per
 * transaction with the node's own write and room to spare
 * (https://firebase.google.com/docs/firestore/quotas#writes_and_transactions).
 */
const MAX_PART_WRITES_PER_TRANSACTION = 400;

/** A node no part has reached yet, in an epoch of its own. */
function newNode(roundId: string, nodeId: string, parentId: string | null, now: number): AggregateRecord {
  return {
    nodeId,
    roundId,
    parentId,
    own: null,
    ownSeq: 0,
    totals: {},
    contributors: 0,
    seq: 0,
    updatedAt: now,
    epoch: randomUUID(),
    ledger: {},
  };
}

/**
 * The node a transaction read. One written before parts existed (a `children` map, no epoch
 * nor ledger) becomes a new incarnation holding only its own totals: its children's totals
 * come back with each child's next change, and the scheduled reconcile rewrites it whole. (The
 * project had not been deployed when parts came in; this only keeps old local data working.)
 */
function nodeFrom(
  snap: DocumentSnapshot,
  roundId: string,
  nodeId: string,
  parentId: string | null,
  now: number,
): AggregateRecord {
  const stored = snap.exists ? (snap.data() as AggregateRecord) : null;
  return stored?.epoch ? stored : rebased(stored, roundId, nodeId, parentId, now);
}

/** A new incarnation of `stored` (or a new node): its own totals and sequence numbers, no part counted. */
function rebased(
  stored: AggregateRecord | null,
  roundId: string,
  nodeId: string,
  parentId: string | null,
  now: number,
): AggregateRecord {
  const node = newNode(roundId, nodeId, parentId, now);
  if (!stored) return node;
  return {
    ...node,
    own: stored.own,
    ownSeq: stored.ownSeq ?? 0,
    seq: stored.seq ?? 0,
    ledger: ledgerOf([stored.own]),
    contributors: stored.own ? 1 : 0,
    totals: totalsOfLedger(ledgerOf([stored.own])),
  };
}

interface NomineeSlot {
  unitId: string;
  entries: NomineeIndexEntry[];
}

/** A unit id as a field name that needs no quoting in a field path: `ubnd-tay-ho` → `u_ubnd_2dtay_2dho`. */
export function nomineeSlotName(unitId: string): string {
  return `u_${unitId.replace(/[^a-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
}

// The field masks of the sweep's reads: one entry per field of its view type, so a field added
// to a view without its mask (or the reverse) does not compile.
const maskOf = <T>(fields: Record<keyof T, true>) => Object.keys(fields) as (keyof T & string)[];
export const SWEEP_SHEET_FIELDS = maskOf<SweepSheetView>({ unitId: true, roundId: true, url: true, createdAt: true });
export const SWEEP_STATE_FIELDS = maskOf<SweepStateView>({
  unitId: true,
  status: true,
  errors: true,
  warnings: true,
  pendingCount: true,
  quotaOverruns: true,
  nominations: true,
  dossierMissing: true,
  evaluatedAt: true,
});
const SWEEP_SUBMISSION_FIELDS = maskOf<SweepSubmissionView>({
  unitId: true,
  roundId: true,
  versionCount: true,
  acceptedAt: true,
  firstAcceptedAt: true,
  late: true,
  nominations: true,
});
/** The submission mask: without the nominees unless the caller needs them (the city shortlist). */
export const sweepSubmissionFields = (opts: { nominations: boolean }) =>
  SWEEP_SUBMISSION_FIELDS.filter((f) => opts.nominations || f !== 'nominations');
