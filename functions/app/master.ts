/**
 * Refreshing the coordinators' master sheet. Changes only mark the master as requested; a
 * short scheduled job rebuilds it once for everything since the last refresh, so a burst of
 * changes costs one read of the shortlist, one of the layout and one batchUpdate.
 */
import { randomUUID } from 'node:crypto';
import type { CampaignModel } from '../core/campaign-model.js';
import { buildMasterView, type MasterInput, type MasterView, type RoundInput } from '../core/master-view.js';
import { buildMasterWorkbook, NOMINATIONS_TAB_TITLE } from '../layout/master-workbook.js';
import type { Logger } from './log.js';
import { quarantineFlags } from './quarantine.js';
import type { Files, MasterSheets, MetaDocs, Store } from './ports.js';

export interface MasterDeps {
  model: CampaignModel;
  store: Store;
  master: MasterSheets | null;
  /** To remember the file version our own write produced, so its change notification is ignored. */
  files?: Pick<Files, 'meta'>;
  now: () => number;
  log: Logger;
}

/**
 * What marks the master as requested. The id, not the time, decides whether a refresh is due:
 * business time may stand still or be replayed (`--at`), so a request can carry a time no later
 * than the last refresh and must still be seen.
 */
export const masterRefreshRequest = (now: number) => ({ requestedAt: now, requestId: randomUUID() });

export async function requestMasterRefresh(store: Store, now: number): Promise<void> {
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

/** Everything the master shows, read from Firestore (one query per collection and round). */
export async function loadMasterInput(deps: Pick<MasterDeps, 'model' | 'store'>, now: number, shortlist: Set<string>): Promise<MasterInput> {
  const { model, store } = deps;
  const [sheets, reports] = await Promise.all([store.allUnitSheets(), store.meta('reports')]);
  const failures = await store.sheetFailures(); // quarantined sheets show as flags on their units
  const rounds: RoundInput[] = [];
  for (const round of model.campaign.rounds) {
    const [submissions, states, aggregates, flagRecords] = await Promise.all([
      store.submissionsOfRound(round.id),
      store.statesOfRound(round.id),
      store.aggregatesOfRound(round.id),
      store.flagsOfRound(round.id),
    ]);
    rounds.push({
      roundId: round.id,
      submissions,
      states,
      nodes: Object.fromEntries(aggregates.map((a) => [a.nodeId, { totals: a.totals, contributors: a.contributors }])),
      sheetUrls: Object.fromEntries(sheets.filter((s) => s.roundId === round.id).map((s) => [s.unitId, s.url])),
      flags: [...flagRecords.flatMap((r) => r.flags ?? []), ...quarantineFlags(failures, round.id)],
    });
  }
  const documents = Object.fromEntries(Object.entries(reports).map(([roundId, r]) => [roundId, { publishedAt: r.publishedAt, files: r.files.map((f) => ({ name: f.name, url: f.url })) }]));
  return { now, rounds, shortlist, documents };
}

export async function currentMasterView(deps: Pick<MasterDeps, 'model' | 'store'>, now: number): Promise<MasterView> {
  const meta = await deps.store.meta('master');
  const shortlist = new Set<string>(meta.shortlist ?? []);
  return buildMasterView(deps.model, await loadMasterInput(deps, now, shortlist));
}

/** Rebuilds the master sheet when something changed since the last refresh (or when forced). */
export async function refreshMaster(deps: MasterDeps, opts: { force?: boolean } = {}): Promise<{ refreshed: boolean; requests: number }> {
  const { store, master, model } = deps;
  const meta = await store.meta('master');
  if (!meta.spreadsheetId || !master) return { refreshed: false, requests: 0 };
  if (!opts.force && !refreshPending(meta)) return { refreshed: false, requests: 0 };
  const startedAt = deps.now();
  // The nominations tab as read here decides where each nominee's row stays; the shortlist
  // column itself is never written back (a tick typed after this read survives the write).
  const [{ shortlist, onSheet }, structure] = await Promise.all([master.readNominations(meta.spreadsheetId, NOMINATIONS_TAB_TITLE), master.structure(meta.spreadsheetId)]);
  const view = buildMasterView(model, await loadMasterInput(deps, startedAt, shortlist));
  const workbook = buildMasterWorkbook(model, view, startedAt, { nominationsOnSheet: onSheet });
  const requests = await master.replaceContent(meta.spreadsheetId, workbook, structure);
  const produced = deps.files ? (await deps.files.meta(meta.spreadsheetId))?.version : undefined;
  // The request seen at the start: one made during this refresh leaves a different id, so the next run refreshes again.
  await store.patchMeta('master', { refreshedAt: startedAt, refreshedRequestId: meta.requestId ?? null, shortlist: [...shortlist], ...(produced ? { seenVersion: produced } : {}) });
  deps.log.info('master sheet refreshed', { requests, shortlisted: shortlist.size });
  return { refreshed: true, requests };
}
