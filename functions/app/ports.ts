/**
 * The ports: what the use cases need from the outside world, owned by the application and
 * implemented by the adapters (FirestoreStore, DriveFiles, SheetsMaster, SheetsWorkbooks, the
 * SMTP mailer, the pacers). Dependencies point inward: adapters import these types, app never
 * imports an adapter; the composition root (wiring.ts) hands the implementations in.
 */
import type { NodeTotals } from '../core/aggregate.js';
import type { FeedbackPlan } from '../core/feedback.js';
import type { WorkbookGrid } from '../core/grid.js';
import type { PeerStats } from '../core/statistics.js';
import type { NominationRowsOnSheet } from '../layout/master-workbook.js';
import type { WorkbookModel } from '../layout/model.js';
import type { ExistingSheet } from '../layout/sheets-render.js';
import type {
  AggregatePartRecord,
  AggregateRecord,
  FlagOwner,
  MasterChangeRecord,
  MasterChangeScope,
  MessageClaim,
  NominationRecord,
  NomineeIndexEntry,
  SheetFailureRecord,
  SheetRegistration,
  SubmissionRecord,
  SubmissionVersionRecord,
  UnitFlagsRecord,
  UnitRoundState,
} from './records.js';

// Drive (adapters/drive-files.ts)

export interface FileMeta {
  id: string;
  name: string;
  version: number;
  modifiedTime: string | null;
  lastModifyingUser: string | null;
  /**
   * Whether the latest change was made by the caller (the service account): Drive's
   * `lastModifyingUser.me`. Null when Drive names no user (the field is filled only when a
   * signed-in user made the change).
   */
  lastModifiedByMe: boolean | null;
  webViewLink: string | null;
  appProperties: Record<string, string>;
}

/** One edit of a file, as Drive's revisions list describes it. */
export interface RevisionMeta {
  id: string;
  /** Epoch ms. */
  modifiedTime: number;
  /** The revision's author is the caller (the service account); null when Drive names no user. */
  byMe: boolean | null;
}

export interface ChangedFile {
  fileId: string;
  version: number | null;
  removed: boolean;
}

/** What became of one grant: already there, made, made by inviting (no Google account), or refused by Drive. */
export type ShareOutcome =
  | { status: 'present' }
  | { status: 'granted' }
  | { status: 'invited' }
  | { status: 'refused'; reason: string; message: string };

/** A permission as Drive lists it; `inherited` for a shared drive's members, which no file-level change removes. */
export interface FilePermission {
  id: string;
  role: string;
  emailAddress: string | null;
  type: string;
  domain: string | null;
  inherited: boolean;
}

/** Drive's roles from weakest to strongest: a grant is covered by one of equal or higher rank. */
export const DRIVE_ROLE_RANK: Readonly<Record<string, number>> = {
  reader: 1,
  commenter: 2,
  writer: 3,
  fileOrganizer: 4,
  organizer: 5,
  owner: 6,
};

/** The restrictions of a shared drive (drives.get), as Drive names them. */
export interface SharedDriveRestrictions {
  domainUsersOnly?: boolean;
  driveMembersOnly?: boolean;
  sharingFoldersRequiresOrganizerPermission?: boolean;
  copyRequiresWriterPermission?: boolean;
}

// Mail (adapters/smtp-mailer.ts)

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** Deterministic per reminder, so a receiving server can drop a rare duplicate after a crash. */
  messageId: string;
  /**
   * The Date header (ms): the instant of the sweep that wrote the mail. In production that is
   * now; in the demo and in a replay (`sweep --at`) it is the business clock's time, so a mail
   * about 14/07/2020 is dated 14/07/2020, not the day the demo ran.
   */
  date?: number;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

// Pacing (adapters/rate-limiter.ts, adapters/shared-pace.ts)

/**
 * Spacing requests under a per-minute quota (Sheets: 60 writes per minute per user). A caller
 * waits for its slot instead of collecting a 429; `etaMs` gives provisioning its estimate.
 * A slot after the invocation's deadline (withTimeBudget) is not taken: QuotaDeferredError.
 */
export interface RateLimiter {
  take(): Promise<void>;
  etaMs(requests: number): number;
}

// Unit workbooks (adapters/sheets-workbooks.ts)

export interface UnitWorkbookRead {
  grid: WorkbookGrid;
  /** Tab title → sheetId, from the same read, for addressing feedback. */
  sheetIds: Map<string, number>;
}

// The store (adapters/firestore-store.ts)

/**
 * The stored state also names the spreadsheet its `seenVersion` belongs to: Drive versions
 * only compare within one file. (States written before this field existed have none.)
 */

export interface CommitInput {
  state: Omit<UnitRoundState, 'seenVersion' | 'feedbackHash' | 'lockedOut'>;
  /** The spreadsheet the evaluated content was read from (absent: compare versions as if one file). */
  spreadsheetId?: string;
  /** Present when the evaluated content is ready to be accepted. */
  candidate: Omit<
    SubmissionRecord,
    'versionCount' | 'versionId' | 'sourceVersion' | 'acceptedAt' | 'firstAcceptedAt' | 'late'
  > | null;
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
  master: {
    spreadsheetId?: string;
    url?: string;
    requestedAt?: number;
    /** Changes with every request for a refresh (see requestMasterRefresh). */
    requestId?: string;
    refreshedAt?: number;
    /** The request id the last refresh started from. */
    refreshedRequestId?: string | null;
    shortlist?: string[];
    seenVersion?: number;
    /**
     * Names the content the last refresh wrote (app/master.ts): an instance whose cache holds
     * the same id knows the sheet's content and may write only what changed since.
     */
    renderId?: string;
    /** Until when one instance's refresh holds the master (wall-clock ms): refreshes never overlap across instances. */
    refreshLeaseUntil?: number;
  };
  /** The round documents written to Drive (app/report-documents.ts publishRoundDocuments), by round id. */
  reports: Record<string, { publishedAt: number; files: { name: string; fileId: string; url: string | null }[] }>;
  driveWatch: {
    pageToken?: string;
    channel?: { id: string; resourceId: string; expiration: number; address: string };
    pollLeaseUntil?: number;
    pollRequestedAt?: number;
    /** Changes with every request to poll; a running poll goes round again when it changed meanwhile. */
    pollRequestId?: string;
    lastPollAt?: number;
  };
}

// The compliance sweep's reads (app/sweep.ts gatherSweepInput) --------------------------------

/**
 * What the sweep reads of a unit sheet's registration: a projection (Firestore `select`) of
 * SheetRegistration, so that 11,000 units' documents are not held whole. Billed the same (one
 * read per document); only the transfer and the reader's memory shrink.
 */
export type SweepSheetView = Pick<SheetRegistration, 'unitId' | 'roundId' | 'url' | 'createdAt'>;
/** What the sweep reads of a unit's latest state (core/sweep.ts SweepUnitInput['state'], and the time it was evaluated for `--at`). */
export type SweepStateView = Pick<
  UnitRoundState,
  | 'unitId'
  | 'status'
  | 'errors'
  | 'warnings'
  | 'pendingCount'
  | 'quotaOverruns'
  | 'nominations'
  | 'dossierMissing'
  | 'evaluatedAt'
>;
/**
 * What the sweep reads of an accepted submission: lateness, the times that decide which
 * version stood at an instant (`--at`), and the nominees only when the coordinators shortlisted
 * some (the city quota check needs them; otherwise they are not fetched).
 */
export type SweepSubmissionView = Pick<
  SubmissionRecord,
  'unitId' | 'roundId' | 'versionCount' | 'acceptedAt' | 'firstAcceptedAt' | 'late'
> & { nominations?: NominationRecord[] };
/** One accepted version, as the sweep reads it (its number orders the history). */
export type SweepVersionView = SweepSubmissionView & { versionNo: number };

/** A node as the reconcile recomputed it from the sources, and which of its part documents to rewrite. */
export interface NodeRepair {
  roundId: string;
  nodeId: string;
  parentId: string | null;
  own: NodeTotals | null;
  ownSeq: number;
  /** Every child with contributors, as its part should read (the node's totals are summed from these and `own`). */
  parts: { childId: string; totals: NodeTotals; contributors: number; seq: number }[];
  /** Children whose part document is written (the others already read as `parts` says, in this node's epoch). */
  write: string[];
  /** Children whose part document is deleted (no contribution any more, or no such child). */
  remove: string[];
}

/** The campaign's state (Firestore): registrations, evaluations, accepted versions, aggregates, flags, reminders. */
export interface Store {
  /**
   * Asks for the Drive change feed to be read. The write fires the poll trigger; the request
   * id also tells a poll that is already running to go round once more.
   */
  requestPoll(now: number, reason: string): Promise<string>;
  registration(spreadsheetId: string): Promise<SheetRegistration | null>;
  unitSheet(roundId: string, unitId: string): Promise<SheetRegistration | null>;
  /**
   * Registers a unit's sheet. A sheet that replaces another (the first was deleted in Drive and
   * provisioned again) takes its place: the old file is no longer registered, so if it is ever
   * restored, its edits are ignored rather than taken as the unit's.
   */
  register(reg: SheetRegistration): Promise<void>;
  allUnitSheets(): Promise<SheetRegistration[]>;
  state(roundId: string, unitId: string): Promise<UnitRoundState | null>;
  submission(roundId: string, unitId: string): Promise<SubmissionRecord | null>;
  versions(roundId: string, unitId: string): Promise<SubmissionVersionRecord[]>;
  statesOfRound(roundId: string): Promise<UnitRoundState[]>;
  submissionsOfRound(roundId: string): Promise<SubmissionRecord[]>;
  // The sweep's projected reads: only the fields its Sweep*View types name (a Firestore field mask).
  sweepUnitSheets(): Promise<SweepSheetView[]>;
  sweepStatesOfRound(roundId: string): Promise<SweepStateView[]>;
  sweepSubmissionsOfRound(roundId: string, opts: { nominations: boolean }): Promise<SweepSubmissionView[]>;
  sweepVersions(roundId: string, unitId: string, opts: { nominations: boolean }): Promise<SweepVersionView[]>;
  /**
   * Stores one evaluation: the latest state, and a new accepted version when the content is
   * ready, changed and the round is not locked. A read older than one already stored
   * (a lower Drive version of the same file) changes nothing: an older read never overwrites
   * a newer one. A read of another file (the unit's replacement sheet) is not compared.
   */
  commitEvaluation(input: CommitInput): Promise<CommitResult>;
  /**
   * After writing feedback (or finding none to write): remember its hash, and the file version
   * our own write produced (never moving backwards). The feedback of the version read at
   * `readVersion` is then done: unless a newer read was stored meanwhile, nothing is pending.
   */
  recordFeedback(
    roundId: string,
    unitId: string,
    feedbackHash: string,
    producedVersion: number | null,
    readVersion: number,
  ): Promise<void>;
  /** Every sheet with a failure on record; few, and one query per poll. */
  sheetFailures(): Promise<SheetFailureRecord[]>;
  putSheetFailure(record: SheetFailureRecord): Promise<void>;
  clearSheetFailure(spreadsheetId: string): Promise<void>;
  aggregate(roundId: string, nodeId: string): Promise<AggregateRecord | null>;
  aggregatesOfRound(roundId: string): Promise<AggregateRecord[]>;
  /** Every child's part of every node of a round (the reconcile compares them with the sources). */
  aggregatePartsOfRound(roundId: string): Promise<AggregatePartRecord[]>;
  /**
   * Applies one change to one node in a transaction: its own totals (an older sequence number
   * loses; the same number changes nothing unless the totals differ), or one child's part
   * (kept only when newer by the child's sequence number), as a delta on the node's exact
   * ledger. Reads the node, plus the child's part for a child's change: at most 2 documents.
   * Returns the node as stored, and whether anything changed.
   */
  updateNode(
    roundId: string,
    nodeId: string,
    parentId: string | null,
    change:
      | {
          own: NodeTotals | null;
          ownSeq: number;
        }
      | {
          childId: string;
          totals: NodeTotals;
          seq: number;
          contributors: number;
        },
    now: number,
  ): Promise<{
    node: AggregateRecord;
    changed: boolean;
  }>;
  /** Writes a node document as given (tests and tools; the event path uses updateNode). */
  putAggregate(record: AggregateRecord): Promise<void>;
  /**
   * Rewrites a node and the parts `repair` names, only if the node's sequence number is still
   * `expectedSeq` (null: the node must not exist). Every counted part's change also changes its
   * node's sequence number, so the guard covers the parts read with the node. Null when the
   * node changed meanwhile (a live aggregation won); otherwise the node as stored.
   */
  repairNode(repair: NodeRepair, expectedSeq: number | null, now: number): Promise<AggregateRecord | null>;
  peerStats(roundId: string, kind: string): Promise<PeerStats | undefined>;
  putPeerStats(roundId: string, kind: string, stats: PeerStats, now: number): Promise<void>;
  nomineeIndex(roundId: string): Promise<Record<string, NomineeIndexEntry[]>>;
  /**
   * Only this unit's slot is written, by a merge on the field path `units.<slot>`, without
   * reading the document: units never overwrite each other's nominees, however many write at
   * once, on any Firestore (the local emulator does not isolate read-modify-write
   * transactions). The slot name is the unit id escaped to a plain identifier, because the
   * local emulator silently drops merges on quoted field paths (ids hold hyphens and dots).
   */
  putNominees(roundId: string, unitId: string, entries: NomineeIndexEntry[]): Promise<void>;
  meta<K extends keyof MetaDocs>(name: K): Promise<MetaDocs[K]>;
  patchMeta<K extends keyof MetaDocs>(name: K, patch: Partial<MetaDocs[K]>): Promise<void>;
  /**
   * A short lease so bursts coalesce: the first caller takes the lease and does the work;
   * later callers only record that more work was requested, which the holder picks up.
   */
  tryLease(name: 'driveWatch', field: 'pollLeaseUntil', now: number, durationMs: number): Promise<boolean>;
  tryLease(name: 'master', field: 'refreshLeaseUntil', now: number, durationMs: number): Promise<boolean>;
  /** Every flag record of a round, whoever wrote it (the master's status tab). */
  flagsOfRound(roundId: string): Promise<UnitFlagsRecord[]>;
  /** One unit's flag records in a round, whoever wrote them (the master's incremental refresh). */
  unitFlags(roundId: string, unitId: string): Promise<UnitFlagsRecord[]>;
  /** The flag records one owner wrote, in every round. */
  flagsOf(owner: FlagOwner): Promise<UnitFlagsRecord[]>;
  /**
   * Makes `wanted` the owner's whole set of flag records: records no longer wanted are deleted,
   * changed ones written; one whose flags and grants are unchanged keeps its time. The other
   * owner's records are left alone. Returns whether anything changed.
   */
  replaceFlags(owner: FlagOwner, wanted: readonly UnitFlagsRecord[]): Promise<boolean>;
  /** Reminder keys marked sent at or before `at` (records without a time count as sent: older data). */
  sentReminderKeys(at: number): Promise<string[]>;
  /**
   * Claims the message carrying the still-unsent `keys` (create-if-absent); a claim whose sender
   * died before confirming (its lease is over) is taken over. Null when nothing is left to send
   * or someone else holds the claim.
   */
  claimMessage(keys: readonly string[], now: number, leaseMs: number): Promise<MessageClaim | null>;
  /** Gives a claim up (the send failed or could not be tried): the next sweep sends the message. */
  releaseMessage(claim: MessageClaim): Promise<void>;
  /** The message went out: its keys are sent (never sent again) and its claim is closed, in one batch. */
  markMessageSent(claim: MessageClaim, unitId: string | null, now: number): Promise<void>;

  // Master change markers (app/master.ts): what a refresh must read again.
  /** Marks what changed, under a deterministic id with a fresh token (a burst coalesces). */
  markMasterChange(scope: MasterChangeScope, now: number): Promise<void>;
  /** Every pending marker (one query). */
  masterChanges(): Promise<MasterChangeRecord[]>;
  /**
   * Deletes the markers a refresh has seen and shown, each only if its token is still the one
   * read: a marker written again meanwhile (a change during the refresh) survives.
   */
  clearMasterChanges(seen: readonly MasterChangeRecord[]): Promise<void>;
}

/** Drive: file versions, creating and sharing sheets, the change feed. */
export interface Files {
  /** The shared drive new files go to, or null (My Drive). */
  readonly sharedDriveIdInUse: string | null;
  meta(fileId: string): Promise<FileMeta | null>;
  /**
   * Every revision Drive still lists for the file, oldest first (all pages). Drive prunes old
   * revisions and may merge a burst of edits into one, so callers rely only on the latest ones.
   */
  revisions(fileId: string): Promise<RevisionMeta[]>;
  findByAppProperties(props: Record<string, string>): Promise<FileMeta[]>;
  /**
   * Creates a blank spreadsheet carrying appProperties. Not idempotent by itself: callers look
   * the file up by those appProperties first, and again after a failure whose outcome is unknown.
   */
  createSpreadsheet(name: string, appProperties: Record<string, string>, parentId?: string): Promise<FileMeta>;
  /**
   * The folder carrying `appProperties`, created (in the campaign's shared drive) when there is
   * none. Like createSpreadsheet, a creation whose outcome is unknown is not retried: the next
   * run finds it.
   */
  ensureFolder(name: string, appProperties: Record<string, string>): Promise<FileMeta>;
  /**
   * Writes a binary file (a report the coordinators download), replacing the content of the
   * one found by `appProperties` if there is one: re-running never makes a second copy.
   * Drive's files.update with media replaces the content in place (same id, same link);
   * https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update.
   * A creation is not retried blindly (its outcome may be unknown): the next run finds it.
   */
  upsertFile(
    name: string,
    mimeType: string,
    content: Buffer,
    appProperties: Record<string, string>,
    parentId?: string,
  ): Promise<{
    file: FileMeta;
    created: boolean;
    duplicates: number;
  }>;
  permissions(fileId: string): Promise<FilePermission[]>;
  /**
   * Grants `role` to `email` unless an equal or stronger grant exists. An address without a
   * Google account is invited instead (Drive sends the notification mail, carrying
   * `invitation`); any other refusal of this contact (outside the shared drive's
   * organisation, a sharing policy, a rate limit that outlived the retries) is returned, not
   * thrown, so that one bad contact does not stop the rest. Only failures that are not about
   * the contact (the file is gone, the service is down) are thrown.
   */
  share(
    fileId: string,
    email: string,
    role: 'reader' | 'writer',
    existing?: {
      role: string;
      emailAddress: string | null;
    }[],
    invitation?: string,
  ): Promise<ShareOutcome>;
  /** Whether writers may re-share the file, and the shared drive holding it (if any). */
  sharingSettings(fileId: string): Promise<{
    writersCanShare: boolean | null;
    driveId: string | null;
  }>;
  /** Only the owner (the system) may change the file's sharing from now on. My Drive only. */
  forbidWritersSharing(fileId: string): Promise<void>;
  /** A shared drive's name and restrictions (drives.get). */
  sharedDrive(driveId: string): Promise<{
    id: string;
    name: string;
    restrictions: SharedDriveRestrictions;
  }>;
  startPageToken(): Promise<string>;
  /** Follows every page from `pageToken`; returns the changed files and the token to resume from. */
  listChanges(pageToken: string): Promise<{
    changes: ChangedFile[];
    newStartPageToken: string;
  }>;
  watchChanges(
    pageToken: string,
    channel: {
      id: string;
      address: string;
      token: string;
      expiration: number;
    },
  ): Promise<{
    id: string;
    resourceId: string;
    expiration: number;
  }>;
  stopChannel(id: string, resourceId: string): Promise<void>;
}

/** The coordinators' master spreadsheet. */
export interface MasterSheets {
  structure(spreadsheetId: string): Promise<ExistingSheet[]>;
  /**
   * The nominations tab as it stands: the ids ticked in the shortlist column, and every data
   * row's nomination id and values (found by the tab's hidden code row), so that a refresh
   * keeps each nominee on its row.
   */
  readNominations(
    spreadsheetId: string,
    tabTitle: string,
  ): Promise<{
    shortlist: Set<string>;
    onSheet: NominationRowsOnSheet;
  }>;
  /** Nomination ids ticked in the shortlist column. */
  readShortlist(spreadsheetId: string, tabTitle: string): Promise<Set<string>>;
  /**
   * One batchUpdate replacing the content. A retry follows a failure whose outcome is unknown (a
   * timeout may come after Google applied the request): resending the same requests would then
   * delete protected ranges and merges that are already gone, and Google refuses the whole batch.
   * So every retry rebuilds the requests against the structure as it is now.
   */
  replaceContent(
    spreadsheetId: string,
    model: WorkbookModel,
    existing: ExistingSheet[],
  ): Promise<{ requests: number; cellsWritten: number }>;
  /**
   * One batchUpdate writing only what differs between `previous` (the content the sheet holds)
   * and `next`: changed cells where a tab kept its structure, a full replacement of a tab whose
   * structure changed. Nothing changed: no request at all.
   */
  writeChanges(
    spreadsheetId: string,
    previous: WorkbookModel,
    next: WorkbookModel,
    existing: ExistingSheet[],
  ): Promise<{ requests: number; cellsWritten: number }>;
}

/** Units' workbooks: render a layout, read what was entered, write feedback. */
export interface UnitWorkbooks {
  /**
   * Renders a workbook into an existing blank spreadsheet: one batchUpdate. A retry follows a
   * failure whose outcome is unknown (a timeout may come after Google applied the batch), and
   * resending would add tabs that now exist, which Google refuses ("Sheet with id 1 already
   * exists"). A batchUpdate is all-or-nothing, so before resending, the tabs are looked up: if
   * the model's tabs are there, the first attempt was applied and the render is done.
   */
  render(
    spreadsheetId: string,
    model: WorkbookModel,
    opts?: {
      defaultSheetId?: number | null;
    },
  ): Promise<void>;
  read(spreadsheetId: string): Promise<UnitWorkbookRead>;
  /** All feedback of one run in one batchUpdate (all-or-nothing on Google's side). */
  writeFeedback(spreadsheetId: string, sheetIds: Map<string, number>, plan: FeedbackPlan): Promise<number>;
  /** Writes values as if typed (USER_ENTERED) or verbatim (RAW): the CLI import and the demo use this. */
  writeValues(
    spreadsheetId: string,
    data: {
      range: string;
      values: unknown[][];
    }[],
    valueInputOption: 'RAW' | 'USER_ENTERED',
  ): Promise<void>;
}
