/** The plain records the application stores (Firestore documents, JSON-safe, times as epoch ms). */
import type { FigureTotals, FigureValues } from '../core/figures.js';
import type { WorkbookStatus } from '../core/evaluate.js';
import type { Issue } from '../core/issues.js';
import type { Nomination, QuotaOverrun } from '../core/nominations.js';
import type { NodeTotals, TotalsLedger } from '../core/aggregate.js';
import type { ActivityRecord } from '../core/lists.js';

export type { NodeTotals };

export type IssueRecord = Pick<Issue, 'sheet' | 'cell' | 'code' | 'severity' | 'message'>;

/** Which unit and round a spreadsheet belongs to. The only source of a sheet's identity. */
export interface SheetRegistration {
  spreadsheetId: string;
  unitId: string;
  roundId: string;
  url: string;
  createdAt: number;
}

/** Latest parsed state of a unit's workbook for a round, accepted or not. */
export interface UnitRoundState {
  unitId: string;
  roundId: string;
  status: WorkbookStatus;
  submitted: boolean;
  errors: number;
  warnings: number;
  pendingCount: number;
  issues: IssueRecord[];
  issuesTruncated: boolean;
  contentHash: string;
  /** Drive file version the evaluated content was read at (or the version our own feedback write produced). */
  seenVersion: number;
  evaluatedAt: number;
  feedbackHash: string | null;
  /**
   * Set with the state by the run that stored this version, cleared once its feedback is in the
   * sheet: a run that died in between (after storing, before writing back) left it set, and the
   * next delivery of the same version finishes that work instead of skipping it as seen.
   * (Absent in states written before this field existed: nothing pending.)
   */
  feedbackPending?: boolean;
  /** The last ready content arrived after the lock time and was not taken in. */
  lockedOut: boolean;
  nominations: NominationRecord[];
  quotaOverruns: QuotaOverrunRecord[];
  dossierMissing: string[];
  /** The spreadsheet the state was read from: Drive versions only compare within one file. */
  spreadsheetId?: string;
  /**
   * When someone other than the service account last saved the sheet, as Drive showed it just
   * before the content was read (epoch ms on Google's clock; 0: no such save visible): the
   * submission time, and what tells our feedback write from a clerk's edit made after our
   * read (see isOwnWrite). (Absent in older states.)
   */
  clerkSavedAt?: number;
}

export type NominationRecord = Omit<Nomination, 'titles'> & { titles: Record<string, string | null> };
export type QuotaOverrunRecord = Omit<QuotaOverrun, 'excess'>;

/** The accepted submission that counts (the latest accepted version). */
export interface SubmissionRecord {
  unitId: string;
  roundId: string;
  kind: string;
  parentId: string | null;
  versionCount: number;
  versionId: string;
  sourceVersion: number;
  contentHash: string;
  acceptedAt: number;
  firstAcceptedAt: number;
  late: boolean;
  /** The confirmation block as entered (preparer, phone, head of unit, link to the signed PDF…), by field code. */
  confirmation: Record<string, string | null>;
  values: Record<string, FigureValues>;
  totals: Record<string, FigureTotals>;
  /** Rows of the round's activities tables by table id (absent in submissions stored before activities existed). */
  activities?: Record<string, ActivityRecord[]>;
  nominations: NominationRecord[];
  quotaOverruns: QuotaOverrunRecord[];
  warnings: IssueRecord[];
  /**
   * The narrative-report outline as entered (item code → summary / page reference) and the
   * typical examples (list table id → complete rows), for the draft city report.
   * (Absent in submissions accepted before these fields existed.)
   */
  outline?: Record<string, { content: string | null; reference: string | null }>;
  examples?: Record<string, Record<string, string | number | boolean | null>[]>;
}

export type SubmissionVersionRecord = SubmissionRecord & { versionNo: number };

/**
 * One hierarchy node's totals in a round: `aggregates/{round}__{node}`. Its size is bounded by
 * the campaign's indicators, not by its children: each direct child's contribution is a
 * document of its own (AggregatePartRecord), and the node keeps only the exact running sums
 * (`ledger`) a child's change is applied to. The bound: own totals, totals and ledger, each
 * one entry per indicator (about 120 bytes per indicator in all, as canonical JSON); at the 2020
 * campaign's 37 indicators the largest node is 4.2 KB and the largest part 1.5 KB, the same at
 * 30, 366 or 900 children (test/integration/aggregate-parts.test.ts).
 */
export interface AggregateRecord {
  nodeId: string;
  roundId: string;
  parentId: string | null;
  /** The node's own accepted submission totals (a district is both a unit and a node). */
  own: NodeTotals | null;
  ownSeq: number;
  /** Own totals plus every counted part's, as sumTotals would sum them (what the master reads). */
  totals: NodeTotals;
  /** Units with an accepted submission in this subtree. */
  contributors: number;
  seq: number;
  updatedAt: number;
  /**
   * This incarnation of the node: a part counts in the node only if it carries the same value.
   * A node deleted and created again (by hand, or by a repair) gets a new one, so parts left
   * from before are not subtracted from sums that never held them.
   */
  epoch: string;
  /** Exact sums of own + counted parts' totals, per indicator (core TotalsLedger). */
  ledger: TotalsLedger;
}

/**
 * One direct child's contribution to its parent node: `aggregateParts/{round}__{parent}__{child}`.
 * Replaced only by a newer sequence number of the child's node.
 */
export interface AggregatePartRecord {
  roundId: string;
  /** The parent node. */
  nodeId: string;
  childId: string;
  totals: NodeTotals;
  /** The child node's sequence number these totals were taken at. */
  seq: number;
  contributors: number;
  /** The parent's epoch when this part was counted (see AggregateRecord.epoch). */
  epoch: string;
  updatedAt: number;
}

export interface NomineeIndexEntry {
  key: string;
  award: string | null;
  name: string;
}

/**
 * A changed sheet whose processing failed (see app/quarantine.ts): kept until it is processed
 * again. Quarantined, it no longer holds the Drive page token and is retried at `nextRetryAt`.
 */
export interface SheetFailureRecord {
  spreadsheetId: string;
  /** From the sheet's registration; null for a file no unit owns. */
  unitId: string | null;
  roundId: string | null;
  /** The latest error, short ("500: Internal error"). */
  error: string;
  /** Whether the latest error was transient (429, 5xx, timeouts). */
  transient: boolean;
  /** Failing attempts in a row. */
  attempts: number;
  /** Business clock. */
  firstFailedAt: number;
  lastFailedAt: number;
  quarantined: boolean;
  /** Google's clock; 0 while not quarantined (the next poll retries it with the feed). */
  nextRetryAt: number;
}

/** One compliance finding shown on the master's status tab. */
export interface UnitFlag {
  unitId: string;
  rule: string;
  reason: string;
}

/**
 * A unit's flags in one round, as the sweep (compliance rules) or the reconcile (sharing beyond
 * the system's grants) found them. The two writers own separate records: each replaces its own.
 */
export interface UnitFlagsRecord {
  roundId: string;
  unitId: string;
  flags: UnitFlag[];
  /** Sharing flags only: the extra grants, one line each ("anyone:reader"), sorted. */
  grants?: string[];
  at: number;
}

/** Who wrote a flag record: the compliance sweep or the sharing reconcile. */
export type FlagOwner = 'sweep' | 'sharing';

/** A reminder message claimed for sending: its key (also its Message-ID) and the reminder keys it carries. */
export interface MessageClaim {
  messageKey: string;
  keys: string[];
}

/**
 * What changed since the master was last refreshed (app/master.ts requestMasterRefresh): one unit
 * of a round (its submission, state, registration, flags, the aggregates on its path), the flags
 * of every round (the sweep or the sharing reconcile replaced them), only what every refresh
 * reads anyway ('master': the shortlist on the sheet, the published documents, quarantines),
 * everything ('all': aggregates repaired, a layout change), a full rebuild that also proves
 * the incremental master equal to it ('verify': the nightly reconcile), or every cell written
 * again from a full read ('rebuild': the coordinators' "Làm mới toàn bộ", which also puts back
 * a cell someone overwrote by hand).
 */
export type MasterChangeScope = { roundId: string; unitId: string } | 'flags' | 'master' | 'all' | 'verify' | 'rebuild';

/**
 * One marker. Its id is deterministic (`{round}__{unit}`, `flags`, `master`, `all`, `verify`) so
 * a burst of changes to the same thing coalesces into one document; the token changes with
 * every request, so a refresh deletes only the markers it has seen (one written again during
 * the refresh keeps its new token and survives).
 */
export interface MasterChangeRecord {
  id: string;
  kind: 'unit' | 'flags' | 'master' | 'all' | 'verify' | 'rebuild';
  roundId?: string;
  unitId?: string;
  token: string;
  at: number;
}
