/**
 * Reconciliation: the scheduled `reconcile` job recomputes every node from the
 * accepted submissions and repairs whatever the event path left wrong: a submission stored
 * while its aggregation never ran (the function was killed, the event lost: Cloud Functions
 * do not retry event triggers unless asked to), and drift written into an aggregate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAllNodes, totalsFromSubmission } from '../../functions/core/aggregate.js';
import type { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { commitInputFor } from '../helpers/integration.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const FLOW = 'tuyen_truyen.dai_chung';
const START_AT = '2020-07-10T09:00:00+07:00';

let stack: TestStack;
let version = 10;

beforeAll(async () => {
  stack = await startTestStack({ at: START_AT });
  for (const unitId of ['ubnd-ba-dinh', 'ubnd-tay-ho', 'mttq-tp', 'ca-ba-dinh']) await accept(unitId);
  await stack.triggersIdle();
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** An accepted submission stored as the pipeline stores it; the trigger aggregates it. */
async function accept(unitId: string, delta = 0) {
  const { model, store } = stack.runtime;
  const figures: Record<string, Record<string, Record<string, number>>> = {};
  for (const { table } of model.tablesFor(unitId, SO_KET))
    if (table.kind === 'figures') figures[table.id] = figuresFor(model, unitId, SO_KET, table.id);
  if (figures.bang1) figures.bang1[MAIN_PERIOD]![FLOW]! += delta;
  const result = await store.commitEvaluation(
    commitInputFor(model, unitId, SO_KET, { sourceVersion: ++version, now: stack.clock.now, figures }),
  );
  expect(result).toMatchObject({ outcome: 'committed', accepted: true });
}

/** What every node should hold, from the source submissions. */
async function expectedNodes() {
  const { model, store } = stack.runtime;
  const subs = await store.submissionsOfRound(SO_KET);
  return computeAllNodes(model, new Map(subs.map((x) => [x.unitId, totalsFromSubmission(x.totals)])));
}

async function storedMatchesSources(): Promise<void> {
  const expected = await expectedNodes();
  const stored = new Map((await stack.runtime.store.aggregatesOfRound(SO_KET)).map((a) => [a.nodeId, a]));
  for (const node of expected.values()) {
    if (node.contributors === 0) continue;
    expect(stored.get(node.nodeId), node.nodeId).toMatchObject({
      totals: node.totals,
      contributors: node.contributors,
      own: node.own,
    });
  }
}

/** Runs `fn` while the trigger's aggregation finds no submission: the event is consumed and nothing is aggregated, as if lost. */
async function withLostEvents(action: () => Promise<void>): Promise<void> {
  const store = stack.runtime.store as FirestoreStore & { submission: FirestoreStore['submission'] };
  const real = store.submission;
  store.submission = async () => null;
  try {
    await action();
    await stack.triggersIdle();
  } finally {
    store.submission = real;
  }
}

const fire = async () =>
  ((await stack.fire('reconcile')) as { results: { roundId: string; repaired: string[]; checked: number }[] }).results;

describe('the reconcile job', () => {
  it('finds nothing to repair when every event was aggregated', async () => {
    await storedMatchesSources();
    const results = await fire();
    expect(results.map((r) => [r.roundId, r.repaired])).toEqual([
      [SO_KET, []],
      ['bo-sung-2020', []],
    ]);
    expect(results[0]!.checked).toBe(stack.runtime.model.campaign.units.length);
    // It also leaves the peer statistics the outlier warnings use.
    expect(await stack.runtime.store.peerStats(SO_KET, 'district')).toBeDefined();
  });

  it('repairs a submission that was stored but never aggregated', async () => {
    const { store } = stack.runtime;
    const cityBefore = (await store.aggregate(SO_KET, 'ha-noi'))!;
    await withLostEvents(() => accept('ubnd-hoan-kiem'));
    expect(await store.submission(SO_KET, 'ubnd-hoan-kiem')).not.toBeNull();
    expect(await store.aggregate(SO_KET, 'ubnd-hoan-kiem')).toBeNull();
    expect((await store.aggregate(SO_KET, 'ha-noi'))?.totals).toEqual(cityBefore.totals);

    const [soKet] = await fire();
    expect(soKet!.repaired).toEqual(['ubnd-hoan-kiem', 'ha-noi', 'bca']);
    expect(
      stack.log.lines.some((l) => l.message === 'aggregates repaired from source submissions' && l.count === 3),
    ).toBe(true);
    await storedMatchesSources();
    const hoanKiem = (await store.submission(SO_KET, 'ubnd-hoan-kiem'))!;
    expect((await store.aggregate(SO_KET, 'ha-noi'))!.totals.bang1![FLOW]).toBe(
      cityBefore.totals.bang1![FLOW]! + hoanKiem.totals.bang1![FLOW]!,
    );
    expect((await store.aggregate(SO_KET, 'ha-noi'))!.contributors).toBe(cityBefore.contributors + 1);
  });

  it('repairs drift written into aggregates, and a second run finds nothing', async () => {
    const { store } = stack.runtime;
    const city = (await store.aggregate(SO_KET, 'ha-noi'))!;
    const drifted = structuredClone(city);
    drifted.totals.bang1![FLOW]! += 1000;
    drifted.contributors += 2;
    await store.putAggregate(drifted);
    // A child's part lost from the city node.
    await store.aggregatePartRef(SO_KET, 'ha-noi', 'mttq-tp').delete();
    const tayHo = (await store.aggregate(SO_KET, 'ubnd-tay-ho'))!;
    await store.putAggregate({ ...tayHo, own: { bang1: { [FLOW]: 1 } }, totals: { bang1: { [FLOW]: 1 } } });

    const [soKet] = await fire();
    // The ministry's node still holds the right numbers (the drift was below it): it is left as it is.
    expect(soKet!.repaired.sort()).toEqual(['ha-noi', 'ubnd-tay-ho']);
    await storedMatchesSources();
    expect((await store.aggregate(SO_KET, 'ha-noi'))!.totals).toEqual(city.totals);
    expect((await fire())[0]!.repaired).toEqual([]);
  });

  it('after a repair, the event path goes on from the repaired nodes', async () => {
    const { store } = stack.runtime;
    const before = (await store.aggregate(SO_KET, 'ha-noi'))!;
    const old = (await store.submission(SO_KET, 'ubnd-ba-dinh'))!;
    await accept('ubnd-ba-dinh', 40);
    await stack.triggersIdle();
    const after = (await store.aggregate(SO_KET, 'ha-noi'))!;
    expect(after.totals.bang1![FLOW]).toBe(before.totals.bang1![FLOW]! + 40);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect((await store.submission(SO_KET, 'ubnd-ba-dinh'))!.totals.bang1![FLOW]).toBe(old.totals.bang1![FLOW]! + 40);
    await storedMatchesSources();
    expect((await fire())[0]!.repaired).toEqual([]);
  });
});

describe('reconciliation racing a live aggregation', () => {
  it('never puts back older numbers: a node that changed after it was read is left for the next run', async () => {
    await stack.triggersIdle();
    const { reconcileRound } = await import('../../functions/app/reconcile.js');
    const { aggregateSubmission } = await import('../../functions/app/aggregate.js');
    const runtime = stack.runtime;
    // Reconcile reads the submissions; before it writes, a new version of Ba Đình is accepted
    // and aggregated live. Its computed repairs are then older than what is stored.
    const racing = {
      ...runtime,
      store: Object.assign(Object.create(runtime.store), {
        submissionsOfRound: async (roundId: string) => {
          const old = await runtime.store.submissionsOfRound(roundId);
          await accept('ubnd-ba-dinh', 777);
          await aggregateSubmission(runtime, SO_KET, 'ubnd-ba-dinh');
          return old;
        },
      }) as FirestoreStore,
    };
    const city = (await runtime.store.aggregate(SO_KET, 'ha-noi'))!;
    const cityBefore = city.totals.bang1![FLOW]!;
    // The city node has drifted, so this run will want to rewrite it.
    await runtime.store.putAggregate({
      ...city,
      totals: { ...city.totals, bang1: { ...city.totals.bang1, [FLOW]: 1 } },
    });
    const result = await reconcileRound(racing, SO_KET);
    expect(result.skipped).toContain('ha-noi');
    expect(result.repaired).not.toContain('ha-noi');
    // The live numbers stand: every node, the city included, matches the submissions as they
    // are now, new version and all (the run's older computation was not written).
    expect((await runtime.store.aggregate(SO_KET, 'ha-noi'))!.totals.bang1![FLOW]).not.toBe(cityBefore);
    await storedMatchesSources();
    // And the next run finds nothing to repair.
    expect((await reconcileRound(runtime, SO_KET)).repaired).toEqual([]);
  });
});
