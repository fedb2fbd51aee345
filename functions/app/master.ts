/**
 * Refreshing the coordinators' master sheet. Changes mark what they touched (a unit of a round,
 * the flags, everything) and ask for a refresh; a short scheduled job then refreshes once for
 * everything since the last refresh.
 *
 * Incremental by default: an instance keeps in memory (MasterCache) what it last showed (the
 * documents, indexed by round and unit, and the workbook written). With that cache still naming
 * the sheet's content (meta 'master' renderId), a refresh reads only the marked units'
 * documents and the aggregates on their paths, rebuilds the view and workbook in memory, and
 * writes only the cells that changed, in one batchUpdate. A cold instance, a marker 'all', a
 * rebuild ("làm mới toàn bộ": the coordinators' button, marker 'rebuild', or the job with
 * `full`) or the nightly check ('verify') read everything; a rebuild or a cold instance then
 * replaces the whole content, the others write what differs from the sheet's known content.
 * With a cache in hand, rebuilds and nightly refreshes also compare the full result with the
 * incremental one and log any difference.
 */
import { randomUUID } from 'node:crypto';
import type { NodeFigures } from '../core/aggregate.js';
import type { CampaignModel } from '../core/campaign-model.js';
import {
  buildMasterView,
  type MasterInput,
  type MasterView,
  type RoundInput,
  type ViewFlag,
  type ViewState,
  type ViewSubmission,
} from '../core/master-view.js';
import { buildMasterWorkbook, NOMINATIONS_TAB_TITLE } from '../layout/master-workbook.js';
import type { WorkbookModel } from '../layout/model.js';
import { workbookDifferences } from '../layout/sheets-render.js';
import type { Logger } from './log.js';
import { quarantineFlags } from './quarantine.js';
import type { Files, MasterSheets, MetaDocs, Store } from './ports.js';
import type {
  MasterChangeRecord,
  MasterChangeScope,
  SubmissionRecord,
  UnitFlagsRecord,
  UnitRoundState,
} from './records.js';

export interface MasterDeps {
  model: CampaignModel;
  store: Store;
  master: MasterSheets | null;
  /** To remember the file version our own write produced, so its change notification is ignored. */
  files?: Pick<Files, 'meta'>;
  /** This instance's memory of the master (wiring.ts creates one per runtime); absent: every refresh is full. */
  masterCache?: MasterCache;
  /**
   * Wall-clock time, for the lease that keeps two instances from refreshing at once (business
   * time may stand still). Absent (a single-process tool or benchmark): no lease is taken.
   */
  googleNow?: () => number;
  now: () => number;
  log: Logger;
}

/** A round's documents as the master shows them, by unit (or node) id. */
interface RoundIndex {
  submissions: Map<string, ViewSubmission>;
  states: Map<string, ViewState>;
  nodes: Map<string, NodeFigures>;
  sheetUrls: Map<string, string>;
  /** The sweep's and the sharing reconcile's flags of each unit, together. */
  flags: Map<string, ViewFlag[]>;
}
type MasterIndex = Map<string, RoundIndex>;

interface CachedMaster {
  /** The id written to meta 'master' with this content: another instance's refresh changes it. */
  renderId: string;
  spreadsheetId: string;
  index: MasterIndex;
  workbook: WorkbookModel;
}

/**
 * What one runtime instance remembers of the master between invocations (Cloud Functions keeps
 * an instance's global state between the requests it serves; a new instance starts empty and
 * rebuilds in full). Refreshes in one instance run one after the other: each starts from what
 * the previous one wrote.
 */
export interface MasterCache {
  current: CachedMaster | null;
  queue: Promise<unknown>;
}

export function createMasterCache(): MasterCache {
  return { current: null, queue: Promise.resolve() };
}

export interface MasterRefreshResult {
  refreshed: boolean;
  /** Requests in the batchUpdate (0: nothing written). */
  requests: number;
  mode: 'full' | 'incremental' | null;
  /** Cells the batchUpdate wrote. */
  cellsWritten: number;
}

/**
 * What marks the master as requested. The id, not the time, decides whether a refresh is due:
 * business time may stand still or be replayed (`--at`), so a request can carry a time no later
 * than the last refresh and must still be seen.
 */
export const masterRefreshRequest = (now: number) => ({ requestedAt: now, requestId: randomUUID() });

/**
 * Marks what changed (see MasterChangeScope) and asks for a refresh. Without a scope, everything
 * is read again: right for any change, at the cost of a full rebuild.
 */
export async function requestMasterRefresh(store: Store, now: number, scope: MasterChangeScope = 'all'): Promise<void> {
  // The marker first: a refresh that sees the request also sees what it is about.
  await store.markMasterChange(scope, now);
  await store.patchMeta('master', masterRefreshRequest(now));
}

/** Whether a spreadsheet is the coordinators' master (its button asks for the round documents). */
export async function isMasterSpreadsheet(deps: Pick<MasterDeps, 'store'>, spreadsheetId: unknown): Promise<boolean> {
  return typeof spreadsheetId === 'string' && (await deps.store.meta('master')).spreadsheetId === spreadsheetId;
}

function refreshPending(meta: MetaDocs['master']): boolean {
  if (meta.requestId !== undefined) return meta.requestId !== meta.refreshedRequestId;
  return (meta.requestedAt ?? 0) > (meta.refreshedAt ?? -1); // state written before request ids existed
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The named fields of a record, in a new object. */
function pick<T, K extends keyof T>(record: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = record[key];
  return out;
}
/** Only what the view reads: the cache holds every unit of the campaign, so it keeps no more. */
const SUBMISSION_VIEW_FIELDS = [
  'unitId',
  'contentHash',
  'versionCount',
  'acceptedAt',
  'firstAcceptedAt',
  'late',
  'totals',
  'nominations',
  'confirmation',
] as const;
const STATE_VIEW_FIELDS = [
  'unitId',
  'status',
  'contentHash',
  'errors',
  'warnings',
  'evaluatedAt',
  'lockedOut',
  'issues',
  'nominations',
  'quotaOverruns',
  'dossierMissing',
] as const;
function viewSubmission(submission: SubmissionRecord): ViewSubmission {
  const { activities } = submission;
  return { ...pick(submission, SUBMISSION_VIEW_FIELDS), ...(activities ? { activities } : {}) };
}
function viewState(state: UnitRoundState): ViewState {
  return pick(state, STATE_VIEW_FIELDS);
}
/** A unit's flags in one order whichever way they were read (one query, or the unit's two documents). */
function flagsOfRecords(records: UnitFlagsRecord[]): ViewFlag[] {
  return records.flatMap((r) => r.flags ?? []).sort((a, b) => byId(a.rule, b.rule) || byId(a.reason, b.reason));
}
/** A round's flag records (one query) as each unit's flags. */
function flagsByUnit(records: UnitFlagsRecord[]): Map<string, ViewFlag[]> {
  const byUnit = new Map<string, UnitFlagsRecord[]>();
  for (const flagRecord of records)
    byUnit.set(flagRecord.unitId, [...(byUnit.get(flagRecord.unitId) ?? []), flagRecord]);
  return new Map([...byUnit].map(([unitId, unitRecords]) => [unitId, flagsOfRecords(unitRecords)]));
}
function setOrDelete<V>(map: Map<string, V>, key: string, value: V | null | undefined) {
  if (value === null || value === undefined) map.delete(key);
  else map.set(key, value);
}

/** Every document the master shows (one query per collection and round). */
async function loadIndex(deps: Pick<MasterDeps, 'model' | 'store'>): Promise<MasterIndex> {
  const { model, store } = deps;
  const sheets = await store.allUnitSheets();
  const index: MasterIndex = new Map();
  for (const round of model.campaign.rounds) {
    const [submissions, states, aggregates, flagRecords] = await Promise.all([
      store.submissionsOfRound(round.id),
      store.statesOfRound(round.id),
      store.aggregatesOfRound(round.id),
      store.flagsOfRound(round.id),
    ]);
    index.set(round.id, {
      submissions: new Map(submissions.map((s) => [s.unitId, viewSubmission(s)])),
      states: new Map(states.map((s) => [s.unitId, viewState(s)])),
      nodes: new Map(aggregates.map((a) => [a.nodeId, { totals: a.totals, contributors: a.contributors }])),
      sheetUrls: new Map(sheets.filter((s) => s.roundId === round.id).map((s) => [s.unitId, s.url])),
      flags: flagsByUnit(flagRecords),
    });
  }
  return index;
}

/**
 * Reads again what the markers name, into `index`: per marked unit its submission, state,
 * registration, flags and the aggregates of the unit and its ancestors (the consolidation's
 * group rows are per-node figures; subtotals and the headline are summed in memory); for a
 * 'flags' marker, every round's flags. A number of reads bounded by the markers, not the units.
 */
async function patchIndex(
  deps: Pick<MasterDeps, 'model' | 'store'>,
  index: MasterIndex,
  changes: MasterChangeRecord[],
): Promise<void> {
  const { model, store } = deps;
  if (changes.some((c) => c.kind === 'flags')) {
    for (const round of model.campaign.rounds) {
      const roundIndex = index.get(round.id);
      if (roundIndex) roundIndex.flags = flagsByUnit(await store.flagsOfRound(round.id));
    }
  }
  const units = changes.filter((c) => c.kind === 'unit' && c.roundId && c.unitId && index.has(c.roundId));
  await mapLimit(units, 8, async ({ roundId, unitId }) => {
    const roundIndex = index.get(roundId!)!;
    const path = model.findUnit(unitId!) ? [unitId!, ...model.ancestors(unitId!).map((a) => a.id)] : [unitId!];
    const [submission, state, registration, flags, nodes] = await Promise.all([
      store.submission(roundId!, unitId!),
      store.state(roundId!, unitId!),
      store.unitSheet(roundId!, unitId!),
      store.unitFlags(roundId!, unitId!),
      Promise.all(path.map((nodeId) => store.aggregate(roundId!, nodeId))),
    ]);
    setOrDelete(roundIndex.submissions, unitId!, submission && viewSubmission(submission));
    setOrDelete(roundIndex.states, unitId!, state && viewState(state));
    setOrDelete(roundIndex.sheetUrls, unitId!, registration?.url);
    setOrDelete(roundIndex.flags, unitId!, flags.length ? flagsOfRecords(flags) : null);
    path.forEach((nodeId, i) =>
      setOrDelete(
        roundIndex.nodes,
        nodeId,
        nodes[i] && { totals: nodes[i].totals, contributors: nodes[i].contributors },
      ),
    );
  });
}

async function mapLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The view's input from an index, units in id order whichever way the index was filled. */
async function inputOf(
  deps: Pick<MasterDeps, 'model' | 'store'>,
  index: MasterIndex,
  now: number,
  shortlist: Set<string>,
): Promise<MasterInput> {
  const [reports, failures] = await Promise.all([deps.store.meta('reports'), deps.store.sheetFailures()]); // quarantined sheets show as flags on their units
  const sorted = <V>(m: Map<string, V>) => [...m].sort(([a], [b]) => byId(a, b));
  const rounds: RoundInput[] = deps.model.campaign.rounds.map((round) => {
    const roundIndex = index.get(round.id)!;
    return {
      roundId: round.id,
      submissions: sorted(roundIndex.submissions).map(([, s]) => s),
      states: sorted(roundIndex.states).map(([, s]) => s),
      nodes: Object.fromEntries(sorted(roundIndex.nodes)),
      sheetUrls: Object.fromEntries(sorted(roundIndex.sheetUrls)),
      flags: [...sorted(roundIndex.flags).flatMap(([, f]) => f), ...quarantineFlags(failures, round.id)],
    };
  });
  const documents = Object.fromEntries(
    Object.entries(reports).map(([roundId, r]) => [
      roundId,
      { publishedAt: r.publishedAt, files: r.files.map((f) => ({ name: f.name, url: f.url })) },
    ]),
  );
  return { now, rounds, shortlist, documents };
}

/** Everything the master shows, read from Firestore (one query per collection and round). */
export async function loadMasterInput(
  deps: Pick<MasterDeps, 'model' | 'store'>,
  now: number,
  shortlist: Set<string>,
): Promise<MasterInput> {
  return inputOf(deps, await loadIndex(deps), now, shortlist);
}

export async function currentMasterView(deps: Pick<MasterDeps, 'model' | 'store'>, now: number): Promise<MasterView> {
  const meta = await deps.store.meta('master');
  const shortlist = new Set<string>(meta.shortlist ?? []);
  return buildMasterView(deps.model, await loadMasterInput(deps, now, shortlist));
}

/**
 * Refreshes the master sheet when something changed since the last refresh (or when forced:
 * `force` reads everything and replaces the whole content, the coordinators' "làm mới toàn bộ").
 */
export async function refreshMaster(deps: MasterDeps, opts: { force?: boolean } = {}): Promise<MasterRefreshResult> {
  const cache = deps.masterCache;
  if (!cache) return refreshOnce(deps, opts, null);
  const run = cache.queue.then(() => refreshOnce(deps, opts, cache));
  cache.queue = run.catch(() => undefined);
  return run;
}

/** Marked units beyond which a refresh reads everything (about ten documents each, against one per unit). */
export const MAX_UNIT_CHANGES = 300;

const NOT_REFRESHED: MasterRefreshResult = { refreshed: false, requests: 0, mode: null, cellsWritten: 0 };

/** Longer than the maintenance function may run (540 s): a lease left by a killed instance lapses. */
export const MASTER_LEASE_MS = 10 * 60_000;

async function refreshOnce(
  deps: MasterDeps,
  opts: { force?: boolean },
  cache: MasterCache | null,
): Promise<MasterRefreshResult> {
  const { store, master } = deps;
  const seen = await store.meta('master');
  if (!seen.spreadsheetId || !master) return NOT_REFRESHED;
  if (!opts.force && !refreshPending(seen)) return NOT_REFRESHED;
  if (!deps.googleNow) return refreshHeld(deps, opts, cache, seen);
  // One refresh at a time across instances: two writing at once could each believe the sheet
  // holds its own content. The other instance's refresh will see these changes' markers.
  if (!(await store.tryLease('master', 'refreshLeaseUntil', deps.googleNow(), MASTER_LEASE_MS))) {
    deps.log.info('master refresh skipped: another instance is refreshing');
    return NOT_REFRESHED;
  }
  try {
    // Read again under the lease: the previous holder may have written since.
    return await refreshHeld(deps, opts, cache, await store.meta('master'));
  } finally {
    await store.patchMeta('master', { refreshLeaseUntil: 0 });
  }
}

async function refreshHeld(
  deps: MasterDeps,
  opts: { force?: boolean },
  cache: MasterCache | null,
  meta: MetaDocs['master'],
): Promise<MasterRefreshResult> {
  const { store, master, model } = deps;
  if (!meta.spreadsheetId || !master) return NOT_REFRESHED;
  if (!opts.force && !refreshPending(meta)) return NOT_REFRESHED;
  const startedAt = deps.now();
  const spreadsheetId = meta.spreadsheetId;
  // The markers are read before any document: a change written after this read leaves its marker for the next refresh.
  const changes = await store.masterChanges();
  const held =
    cache?.current && cache.current.renderId === meta.renderId && cache.current.spreadsheetId === spreadsheetId
      ? cache.current
      : null;
  // Until this refresh's write is recorded, what the sheet holds is not known for sure.
  if (cache) cache.current = null;
  // Past a few hundred units, one query per collection costs less than each unit's documents.
  const everything =
    changes.some((c) => c.kind === 'all') || changes.filter((c) => c.kind === 'unit').length > MAX_UNIT_CHANGES;
  // "Làm mới toàn bộ" (the master's button, or the job with `full`): every cell written again.
  const rebuild = Boolean(opts.force) || changes.some((c) => c.kind === 'rebuild');
  const verify = rebuild || changes.some((c) => c.kind === 'verify');
  const mode = held && !everything && !verify ? 'incremental' : 'full';
  // The nominations tab as read here decides where each nominee's row stays; the shortlist
  // column itself is never written back (a tick typed after this read survives the write).
  const [{ shortlist, onSheet }, structure] = await Promise.all([
    master.readNominations(spreadsheetId, NOMINATIONS_TAB_TITLE),
    master.structure(spreadsheetId),
  ]);
  const workbookOf = async (index: MasterIndex) =>
    buildMasterWorkbook(model, buildMasterView(model, await inputOf(deps, index, startedAt, shortlist)), startedAt, {
      nominationsOnSheet: onSheet,
    });

  let index: MasterIndex;
  let workbook: WorkbookModel;
  let requests: number;
  let cellsWritten: number;
  if (mode === 'incremental') {
    index = held!.index;
    await patchIndex(deps, index, changes);
    workbook = await workbookOf(index);
    ({ requests, cellsWritten } = await master.writeChanges(spreadsheetId, held!.workbook, workbook, structure));
  } else {
    let incremental: WorkbookModel | null = null;
    if (held && verify && !everything) {
      await patchIndex(deps, held.index, changes);
      incremental = await workbookOf(held.index);
    }
    index = await loadIndex(deps);
    workbook = await workbookOf(index);
    if (incremental) {
      const differences = workbookDifferences(workbook, incremental, 10);
      if (differences.length) deps.log.error('master: incremental view differs from a full rebuild', { differences });
    }
    if (held && !rebuild) {
      // The sheet holds the cached workbook (the cache is valid): writing what differs from it
      // leaves the full workbook on the sheet, without resending every cell (a whole master
      // is about 15 KB per unit and round; Google's request cap is 10 MB).
      ({ requests, cellsWritten } = await master.writeChanges(spreadsheetId, held.workbook, workbook, structure));
    } else {
      // "Làm mới toàn bộ" or nothing known of the sheet: every cell is written.
      ({ requests, cellsWritten } = await master.replaceContent(spreadsheetId, workbook, structure));
    }
  }
  const produced = deps.files && requests > 0 ? (await deps.files.meta(spreadsheetId))?.version : undefined;
  const renderId = randomUUID();
  // The request seen at the start: one made during this refresh leaves a different id, so the next run refreshes again.
  await store.patchMeta('master', {
    refreshedAt: startedAt,
    refreshedRequestId: meta.requestId ?? null,
    shortlist: [...shortlist],
    renderId,
    ...(produced ? { seenVersion: produced } : {}),
  });
  await store.clearMasterChanges(changes);
  if (cache) cache.current = { renderId, spreadsheetId, index, workbook };
  deps.log.info('master sheet refreshed', {
    mode,
    requests,
    cellsWritten,
    changes: changes.length,
    shortlisted: shortlist.size,
  });
  return { refreshed: true, requests, mode, cellsWritten };
}
