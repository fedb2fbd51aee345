/**
 * Reads are flat. Generated registries put communes (xã, phường) under the 30
 * districts, 30 of them and then 600, every commune with an accepted submission aggregated up
 * commune → district → city → ministry. One more change costs the same number of Firestore
 * document reads at both sizes: a store change with its aggregation, and a clerk's edit of a
 * real sheet through the whole pipeline. Reads are counted by the store itself
 * (`FirestoreStore.reads`: one per document fetched, transactions included).
 *
 * Speed: the in-process emulator takes ~15 ms per transaction, so aggregating 600 submissions
 * one event at a time would take about a minute. Each size therefore lives in a Firestore
 * namespace of its own (a campaign id no trigger bridge watches): accepted submissions are
 * seeded in batches and the aggregates built once by the reconciliation job; the measured change
 * then runs the production functions (commitEvaluation, processUnitSheet, aggregateSubmission)
 * against that namespace, exactly as the trigger would call them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { memoryLogger } from '../helpers/memory-logger.js';
import { processUnitSheet } from '../../functions/app/process-unit-sheet.js';
import { reconcileRound } from '../../functions/app/reconcile.js';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { loadCampaign } from '../../sheets-schema/index.js';
import {
  campaignWithCommunes,
  commitInputFor,
  registerUnitSheets,
  storeAcceptedSubmissions,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const START_AT = '2020-07-10T09:00:00+07:00';
const FLOW = 'tuyen_truyen.dai_chung';

interface Measured {
  communes: number;
  units: number;
  /** Reads of one more accepted version of a commune's submission and its aggregation. */
  storeChange: number;
  /** Reads of a clerk's edit processed through the pipeline, and its aggregation. */
  sheetChange: number;
  /** Reads of one query over the round's submissions: grows with the units, so the counter can tell. */
  allSubmissions: number;
  cityContributors: number;
}

let stack: TestStack;
let sheetUnit: string;
let sheetId: string;
const measured: Measured[] = [];

async function seed(model: CampaignModel, store: FirestoreStore, communeIds: string[]) {
  const now = stack.clock.now;
  await storeAcceptedSubmissions(stack.runtime.db, store, model, SO_KET, communeIds, now);
  const built = await reconcileRound({ model, store, now: () => now, log: memoryLogger() }, SO_KET);
  expect(built.repaired).toContain('ha-noi');
}

async function measure(communes: number): Promise<Measured> {
  const { file, communeIds } = await campaignWithCommunes(communes);
  const model = modelOf(loadCampaign(file));
  const store = new FirestoreStore(stack.runtime.db, `${model.id}-phang-${communes}`);
  const deps = { ...stack.runtime, model, store };
  await seed(model, store, communeIds);
  const city = (await store.aggregate(SO_KET, 'ha-noi'))!;

  // One more accepted version of the last commune's submission, and the aggregation its trigger runs.
  const target = communeIds.at(-1)!;
  const changed = structuredClone((await store.submission(SO_KET, target))!.values);
  changed.bang1![MAIN_PERIOD]![FLOW]! += 7;
  let mark = store.reads;
  const commit = await store.commitEvaluation(
    commitInputFor(model, target, SO_KET, { sourceVersion: 9, now: stack.clock.now, figures: changed }),
  );
  expect(commit).toMatchObject({ outcome: 'committed', accepted: true });
  expect((await aggregateSubmission(deps, SO_KET, target)).updated).toEqual([
    target,
    model.unit(target).parent,
    'ha-noi',
    'bca',
  ]);
  const storeChange = store.reads - mark;
  // The city's total moved by exactly that commune's change (+7 in one period of a flow).
  expect((await store.aggregate(SO_KET, 'ha-noi'))!.totals.bang1![FLOW]).toBe(city.totals.bang1![FLOW]! + 7);

  // A clerk's edit of the one real sheet (the same commune in both registries), processed through the pipeline.
  const reg = (await stack.runtime.store.unitSheet(SO_KET, sheetUnit))!;
  await store.register(reg);
  await stack.type(sheetUnit, SO_KET, [
    { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: FLOW, value: 100 + communes },
  ]);
  mark = store.reads;
  const outcome = await processUnitSheet(deps, sheetId);
  expect(outcome.outcome === 'processed' && outcome.accepted && outcome.feedbackWritten).toBe(true);
  expect((await aggregateSubmission(deps, SO_KET, sheetUnit)).updated).toHaveLength(4);
  const sheetChange = store.reads - mark;

  mark = store.reads;
  await store.submissionsOfRound(SO_KET);
  const allSubmissions = store.reads - mark;
  return {
    communes,
    units: model.campaign.units.length,
    storeChange,
    sheetChange,
    allSubmissions,
    cityContributors: city.contributors,
  };
}

beforeAll(async () => {
  // The stack runs the larger registry, so the clerk can type into a commune's sheet.
  const large = await campaignWithCommunes(600);
  stack = await startTestStack({ campaignSchema: large.file, at: START_AT });
  expect(stack.runtime.model.campaign.units.filter((u) => u.kind === 'commune')).toHaveLength(600);
  sheetUnit = large.communeIds[1]!;
  sheetId = (await registerUnitSheets(stack, SO_KET, [sheetUnit]))[sheetUnit]!;
  await stack.typeSubmission(sheetUnit, SO_KET);
  measured.push(await measure(30));
  measured.push(await measure(600));
}, 180_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

describe('Firestore reads per processed change', () => {
  it('are counted by the store: a query over the round costs one read per submission', () => {
    const [small, large] = measured as [Measured, Measured];
    expect([small.units, large.units]).toEqual([77 + 30, 77 + 600]);
    expect([small.cityContributors, large.cityContributors]).toEqual([30, 600]);
    // The seeded communes, and the commune with the real sheet (already one of them).
    expect([small.allSubmissions, large.allSubmissions]).toEqual([30, 600]);
  });

  it('do not grow from 30 to 600 units', () => {
    const [small, large] = measured as [Measured, Measured];
    // commitEvaluation reads state + submission (2); the aggregation reads the submission (1),
    // the commune's node (1), then per level above the node and the part its child holds in
    // it: district, city, ministry (3 × 2).
    expect([small.storeChange, large.storeChange]).toEqual([10, 10]);
    // The pipeline adds the registration, the state check, the peer statistics of the kind,
    // and the feedback record (4) to those 10.
    expect([small.sheetChange, large.sheetChange]).toEqual([14, 14]);
  });
});
