/**
 * A master refresh costs what changed. Generated registries put 30 and then
 * 150 communes under the districts (each in a Firestore namespace of its own, seeded in batches
 * and aggregated by the reconciliation job, as in flat-reads.test.ts), each with its own master
 * spreadsheet on the Sheets emulator. After one commune's new version (stored, marked, aggregated
 * by the production functions):
 * - the refresh reads the same number of Firestore documents at both sizes, and writes only
 *   rows that name that commune, its district or the totals, the same number of cells at both;
 * - a change made while the refresh runs keeps its marker and reaches the master on the next one;
 * - the nightly full rebuild finds and logs a cache that no longer matches the documents, and
 *   puts the full master on the sheet, writing only the cells that differ from what it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sheets_v4 } from '@googleapis/sheets';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { memoryLogger } from '../helpers/memory-logger.js';
import {
  createMasterCache,
  MASTER_LEASE_MS,
  MAX_UNIT_CHANGES,
  refreshMaster,
  requestMasterRefresh,
  type MasterCache,
  type MasterDeps,
} from '../../functions/app/master.js';
import { reconcileRound } from '../../functions/app/reconcile.js';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import type { SheetsMaster } from '../../functions/adapters/sheets-master.js';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { buildMasterView } from '../../functions/core/master-view.js';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import { toChangedContentRequests } from '../../functions/layout/sheets-render.js';
import { loadCampaign } from '../../sheets-schema/index.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import {
  campaignWithCommunes,
  commitInputFor,
  LOCAL_SERVICE_ACCOUNT,
  storeAcceptedSubmissions,
  tabValues,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const START_AT = '2020-07-10T09:00:00+07:00';
const FLOW = 'tuyen_truyen.dai_chung';

interface Campaign {
  model: CampaignModel;
  store: FirestoreStore;
  communeIds: string[];
  spreadsheetId: string;
  cache: MasterCache;
  log: ReturnType<typeof memoryLogger>;
  /** The requests of the last batchUpdate writing changes. */
  written: sheets_v4.Schema$Request[];
  deps(master?: SheetsMaster): MasterDeps;
}

let stack: TestStack;
const campaigns: Record<number, Campaign> = {};

/** A namespace with `communes` communes, all submitted and aggregated, and its master refreshed once in full. */
async function campaignOf(communes: number): Promise<Campaign> {
  const { file, communeIds } = await campaignWithCommunes(communes);
  const model = modelOf(loadCampaign(file));
  const store = new FirestoreStore(stack.runtime.db, `${model.id}-master-${communes}`);
  const now = stack.clock.now;
  await storeAcceptedSubmissions(stack.runtime.db, store, model, SO_KET, communeIds, now);
  await reconcileRound({ model, store, now: () => now, log: memoryLogger() }, SO_KET);
  // Its master, made as provisioning makes one.
  const spreadsheetId = (
    await stack.runtime.files.createSpreadsheet(`Master ${communes}`, { test: `master-${communes}` })
  ).id;
  await stack.runtime.workbooks.render(
    spreadsheetId,
    buildMasterWorkbook(model, buildMasterView(model, { now, rounds: [], shortlist: new Set() }), now, {
      editors: [LOCAL_SERVICE_ACCOUNT],
    }),
  );
  await store.patchMeta('master', { spreadsheetId });
  const campaign: Campaign = {
    model,
    store,
    communeIds,
    spreadsheetId,
    cache: createMasterCache(),
    log: memoryLogger(),
    written: [],
    deps(master = recording(campaign)) {
      return {
        ...stack.runtime,
        model,
        store,
        master,
        masterCache: campaign.cache,
        files: undefined,
        now: () => stack.clock.now,
        log: campaign.log,
      };
    },
  };
  await requestMasterRefresh(store, now, 'all');
  expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'full' });
  return campaign;
}

/** The adapter, keeping the requests of each incremental write for the test to look at. */
function recording(campaign: Campaign): SheetsMaster {
  const master = stack.runtime.master;
  return Object.assign(Object.create(master) as SheetsMaster, {
    async writeChanges(...args: Parameters<SheetsMaster['writeChanges']>) {
      campaign.written = toChangedContentRequests(args[1], args[2], args[3]).requests;
      return master.writeChanges(...args);
    },
  });
}

/** A commune's new accepted version with `flow` in its main period, stored, marked and aggregated as the pipeline does. */
async function changeCommune(campaign: Campaign, unitId: string, flow: number, version: number) {
  const figures = {
    bang1: structuredClone(figuresFor(campaign.model, unitId, SO_KET, 'bang1')),
    bang2: figuresFor(campaign.model, unitId, SO_KET, 'bang2'),
  };
  figures.bang1[MAIN_PERIOD]![FLOW] = flow;
  const commit = await campaign.store.commitEvaluation(
    commitInputFor(campaign.model, unitId, SO_KET, { sourceVersion: version, now: stack.clock.now, figures }),
  );
  expect(commit).toMatchObject({ outcome: 'committed', accepted: true });
  await requestMasterRefresh(campaign.store, stack.clock.now, { roundId: SO_KET, unitId });
  await aggregateSubmission(
    { model: campaign.model, store: campaign.store, now: () => stack.clock.now, log: memoryLogger() },
    SO_KET,
    unitId,
  );
}

const sheetOf = (c: Campaign) => stack.sheets.getSpreadsheetState(c.spreadsheetId)!;
const byUnitTitle = (c: Campaign) => `Theo đơn vị – ${c.model.round(SO_KET).name}`;
/** The commune's figure on the by-unit tab. */
function byUnitFigure(campaign: Campaign, unitId: string): unknown {
  const rows = tabValues(sheetOf(campaign), byUnitTitle(campaign));
  // Bảng 1's indicators come first, after the unit and kind columns.
  const col = 2 + campaign.model.figuresTable('bang1').indicators.findIndex((i) => i.code === FLOW);
  return rows.find((r) => r[0] === campaign.model.unit(unitId).name)![col];
}

const measured: Record<number, { reads: number; fullReads: number; cells: number; rows: string[] }> = {};

beforeAll(async () => {
  stack = await startTestStack({ at: START_AT });
  for (const size of [30, 150]) {
    const campaign = (campaigns[size] = await campaignOf(size));
    const target = campaign.communeIds.at(-1)!;
    await changeCommune(campaign, target, 777, 9);
    campaign.store.reads = 0;
    const refresh = await refreshMaster(campaign.deps());
    expect(refresh).toMatchObject({ refreshed: true, mode: 'incremental' });
    const reads = campaign.store.reads;
    // Every written row, as the text of its row on the sheet (tab: cells joined).
    const titleOf = new Map(sheetOf(campaign).sheets.map((t) => [t.properties.sheetId, t.properties.title]));
    const rows = campaign.written.flatMap((request) => {
      const update = request.updateCells!;
      const title = titleOf.get(update.start!.sheetId!)!;
      const values = tabValues(sheetOf(campaign), title);
      return update.rows!.map(
        (_r, i) => `${title}: ${values[update.start!.rowIndex! + i]!.filter((v) => v !== null).join(' | ')}`,
      );
    });
    // The same change refreshed in full, for comparison.
    await requestMasterRefresh(campaign.store, stack.clock.now, 'all');
    campaign.store.reads = 0;
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'full' });
    measured[size] = { reads, fullReads: campaign.store.reads, cells: refresh.cellsWritten, rows };
  }
}, 240_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

describe('an incremental master refresh after one unit changed', () => {
  it('reads the same number of documents at 30 and at 150 communes; a full rebuild reads them all', () => {
    expect(measured[30]!.reads).toBe(measured[150]!.reads);
    // meta master, the markers, the unit's submission, state, registration, two flag documents,
    // the aggregates of commune, district, city and ministry, meta reports, the failures.
    expect(measured[30]!.reads).toBeLessThanOrEqual(16);
    expect(measured[150]!.fullReads).toBeGreaterThan(150);
  });

  it("writes only the commune's rows, its district's and the totals, the same number of cells at both sizes", () => {
    const campaign = campaigns[150]!;
    const target = campaign.communeIds.at(-1)!;
    const names = [campaign.model.unit(target).name, campaign.model.unit(campaign.model.unit(target).parent!).name];
    expect(measured[30]!.cells).toBe(measured[150]!.cells);
    expect(measured[150]!.rows.length).toBeGreaterThan(0);
    for (const row of measured[150]!.rows)
      expect(names.some((n) => row.includes(n)) || /: (Tổng cộng|Cộng)/.test(row), row).toBe(true);
    // The commune's own row is among them, with its new figure.
    expect(measured[150]!.rows.some((r) => r.includes(names[0]!))).toBe(true);
    expect(byUnitFigure(campaign, target)).toBe(777);
  });

  it('past MAX_UNIT_CHANGES marked units (a burst, a provisioning), one query per collection: a full load, only what differs written', async () => {
    const campaign = campaigns[150]!;
    const units = campaign.model.campaign.units.map((u) => u.id);
    for (const roundId of [SO_KET, 'bo-sung-2020'])
      for (const unitId of units) await campaign.store.markMasterChange({ roundId, unitId }, stack.clock.now);
    expect(2 * units.length).toBeGreaterThan(MAX_UNIT_CHANGES);
    await requestMasterRefresh(campaign.store, stack.clock.now, 'master');
    campaign.store.reads = 0;
    const refresh = await refreshMaster(campaign.deps());
    expect(refresh).toMatchObject({ refreshed: true, mode: 'full', cellsWritten: 0 });
    // The markers (read, then checked as they are cleared) and one query per collection: under
    // three reads per marked unit, where reading each unit's documents would cost about twelve.
    expect(campaign.store.reads).toBeLessThan(2 * units.length * 3);
    expect(await campaign.store.masterChanges()).toEqual([]);
  });

  it('a change made during a refresh keeps its marker and reaches the master on the next refresh', async () => {
    const campaign = campaigns[30]!;
    const [first, second] = [campaign.communeIds[0]!, campaign.communeIds[1]!];
    await changeCommune(campaign, first, 501, 20);
    const master = recording(campaign);
    const racing = Object.assign(Object.create(master) as SheetsMaster, {
      async writeChanges(...args: Parameters<SheetsMaster['writeChanges']>) {
        // The refresh has read its markers and documents; the second commune changes now.
        await changeCommune(campaign, second, 502, 21);
        return master.writeChanges(...args);
      },
    });
    expect(await refreshMaster(campaign.deps(racing))).toMatchObject({ refreshed: true, mode: 'incremental' });
    expect(byUnitFigure(campaign, first)).toBe(501);
    expect(byUnitFigure(campaign, second)).not.toBe(502);
    expect((await campaign.store.masterChanges()).map((m) => m.id)).toEqual([`${SO_KET}__${second}`]);
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'incremental' });
    expect(byUnitFigure(campaign, second)).toBe(502);
    expect(await campaign.store.masterChanges()).toEqual([]);
  });

  it('one refresh at a time across instances: while another holds the lease, a refresh leaves the changes for later', async () => {
    const campaign = campaigns[30]!;
    const unitId = campaign.communeIds[4]!;
    await changeCommune(campaign, unitId, 404, 40);
    // Another instance's refresh is running: it holds the lease (wall-clock time).
    expect(await campaign.store.tryLease('master', 'refreshLeaseUntil', Date.now(), MASTER_LEASE_MS)).toBe(true);
    const otherInstance: MasterDeps = { ...campaign.deps(), masterCache: createMasterCache() };
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: false });
    expect(await refreshMaster(otherInstance)).toMatchObject({ refreshed: false });
    expect(byUnitFigure(campaign, unitId)).not.toBe(404);
    expect((await campaign.store.masterChanges()).map((marker) => marker.id)).toEqual([`${SO_KET}__${unitId}`]);
    // The holder finished (or its lease lapsed): the next refresh takes the lease, shows the change and lets go.
    await campaign.store.patchMeta('master', { refreshLeaseUntil: Date.now() - 1 });
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'incremental' });
    expect(byUnitFigure(campaign, unitId)).toBe(404);
    expect((await campaign.store.meta('master')).refreshLeaseUntil).toBe(0);
  });

  it('the nightly full rebuild logs where a stale cache would have shown other figures, and writes the full master', async () => {
    const campaign = campaigns[30]!;
    const target = campaign.communeIds[2]!;
    // The cache goes wrong without any marker (as a lost marker would leave it): the commune's figures are forgotten.
    campaign.cache.current!.index.get(SO_KET)!.submissions.delete(target);
    // The next incremental refresh (for another commune's change) then shows the commune as having sent nothing.
    await changeCommune(campaign, campaign.communeIds[3]!, 333, 30);
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'incremental' });
    expect(byUnitFigure(campaign, target)).toBeNull();
    await requestMasterRefresh(campaign.store, stack.clock.now, 'verify');
    campaign.log.lines.length = 0;
    const nightly = await refreshMaster(campaign.deps());
    expect(nightly).toMatchObject({ refreshed: true, mode: 'full' });
    // Everything was read again, but the sheet's content was known: only what differs was written.
    expect(nightly.cellsWritten).toBeGreaterThan(0);
    expect(nightly.cellsWritten).toBeLessThan(200);
    const errors = campaign.log.lines.filter((l) => l.severity === 'ERROR');
    expect(errors.map((e) => e.message)).toEqual(['master: incremental view differs from a full rebuild']);
    const differences = errors[0]!.differences as { tab: string; cell: string | null }[];
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.map((d) => d.tab)).toContain(byUnitTitle(campaign));
    expect(differences.every((d) => d.cell === null || /^[A-Z]+\d+$/.test(d.cell))).toBe(true);
    // The full master was written: the commune's row shows its figure.
    expect(byUnitFigure(campaign, target)).toBe(
      figuresFor(campaign.model, campaign.communeIds[0]!, SO_KET, 'bang1')[MAIN_PERIOD]![FLOW],
    );
    // And without a difference, the nightly rebuild logs nothing.
    await requestMasterRefresh(campaign.store, stack.clock.now, 'verify');
    campaign.log.lines.length = 0;
    expect(await refreshMaster(campaign.deps())).toMatchObject({ refreshed: true, mode: 'full' });
    expect(campaign.log.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
  });
});
