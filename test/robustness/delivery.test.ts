/**
 * Duplicated, reordered and stale deliveries change nothing anyone sees. One story (nine units, three business days: first
 * typing with errors, fixes and new figures before the due date, a late change) is delivered
 * twice on one stack, each time on fresh sheets and an emptied Firestore:
 *  - in order, once: after each day's typing one Drive push, whose poll processes each changed
 *    sheet once;
 *  - messily: every notification of the day duplicated (two pushes, two button presses per
 *    changed sheet, a direct call, an extra scheduled poll) and delivered in a shuffled order;
 *    a read of yesterday's content committed after today's (older after newer); and every
 *    aggregation event delivered again, twice each, shuffled, on top of the normal ones.
 * Afterwards everything a person or the next function could see is the same: each unit's
 * state, accepted submission and history, the aggregates, the nominee index, every cell of
 * every unit sheet, and the master. Only bookkeeping that counts deliveries (Drive file
 * versions, the version a state was read at) may differ.
 * (test/integration/idempotency.test.ts proves the same for a few units step by step.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentMasterView, refreshMaster } from '../../functions/app/master.js';
import { processUnitSheet, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import { startFirestoreTriggerBridge } from '../../scripts/local-stack/firestore-trigger-bridge.js';
import { seededRandom } from '../../scripts/local-stack/seeded-random.js';
import { validSubmission, type Submission } from '../helpers/fill-workbook.js';
import { aggregateMeaning, districtIds, everyCell, expectSameOutcome, pressSheetButton, provisionMaster, pushAndPoll, registerUnitSheets, withSheetUrlsByOwner } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SK = 'so-ket-2020';
const UNITS = [...districtIds().slice(0, 8), 'mttq-tp'];
const [E1, E2, E3, CHANGED, LATE_CHANGE] = UNITS as [string, string, string, string, string];

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack({ at: '2020-07-10T09:00:00+07:00' });
}, 60_000);
afterAll(async () => {
  await s?.triggersIdle();
  await s?.dispose();
});

function typing(unitId: string, day: 1 | 2 | 3): Submission {
  const sub = validSubmission(s.runtime.model, unitId, SK);
  const b1 = sub.figures.bang1;
  if (day === 1 && [E1, E2, E3].includes(unitId)) b1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = '12 buổi';
  if (day >= 2 && unitId === CHANGED) b1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 321;
  if (day === 3 && unitId === LATE_CHANGE) b1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 77;
  return sub;
}

/** Who types what, on which day. */
const STORY: { at: string; typing: [string, 1 | 2 | 3][] }[] = [
  { at: '2020-07-10T09:00:00+07:00', typing: UNITS.map((u) => [u, 1]) },
  { at: '2020-07-13T10:00:00+07:00', typing: [E1, E2, E3, CHANGED].map((u) => [u, 2]) },
  { at: '2020-07-16T09:00:00+07:00', typing: [[LATE_CHANGE, 3]] },
];

/** Every stored submission delivered again to the aggregation function, twice each, shuffled. */
async function replayAggregationEvents(seed: number): Promise<number> {
  const bridge = await startFirestoreTriggerBridge({
    firestore: s.runtime.db,
    collection: s.runtime.store.submissionsPath,
    targetUrl: s.urls.functions.onSubmissionWritten!,
    projectId: s.runtime.config.projectId,
    skipInitial: false,
    duplicateRate: 1,
    shuffleWindowMs: 150,
    seed,
  });
  await bridge.idle();
  await bridge.stop();
  expect(bridge.failed).toBe(0);
  return bridge.delivered;
}

async function play(messy: boolean) {
  await s.triggersIdle();
  await s.runtime.store.deleteAll();
  await s.triggersIdle();
  s.clock.set(STORY[0]!.at);
  const ids = await registerUnitSheets(s, SK, UNITS);
  await provisionMaster(s);
  const random = seededRandom(521);
  const stats = { deliveries: 0, staleRefused: 0, replayedEvents: 0 };

  for (const [day, step] of STORY.entries()) {
    // A slow run that read yesterday's content of two sheets, held until today's is processed.
    const held: Promise<unknown>[] = [];
    let release = () => {};
    if (messy && day > 0) {
      const gate = new Promise<void>((r) => (release = r));
      for (const u of [CHANGED, LATE_CHANGE]) {
        let readDone!: () => void;
        const hasRead = new Promise<void>((r) => (readDone = r));
        const slow: PipelineDeps = {
          ...s.runtime,
          workbooks: Object.assign(Object.create(s.runtime.workbooks), {
            read: async (id: string) => {
              const r = await s.runtime.workbooks.read(id);
              readDone();
              await gate;
              return r;
            },
          }),
        };
        held.push(processUnitSheet(slow, ids[u]!, { force: true }).then((r) => r.outcome === 'unchanged' && stats.staleRefused++));
        await hasRead;
      }
    }

    s.clock.set(step.at);
    for (const [u, d] of step.typing) await s.typeSubmission(u, SK, typing(u, d));

    if (!messy) {
      const r = await pushAndPoll(s, 'kenh');
      expect(r.polled?.outcomes.processed).toBe(step.typing.length);
    } else {
      const changed = step.typing.map(([u]) => u);
      const notifications: (() => Promise<unknown>)[] = [
        () => pushAndPoll(s, 'kenh'),
        () => pushAndPoll(s, 'kenh'),
        () => s.fire('poll-changes'),
        ...changed.flatMap((u) => [() => pressSheetButton(s, ids[u]!), () => pressSheetButton(s, ids[u]!), () => s.process(u, SK)]),
      ];
      // Fisher–Yates with the seeded generator: the same shuffle every run.
      for (let i = notifications.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [notifications[i], notifications[j]] = [notifications[j]!, notifications[i]!];
      }
      for (const deliver of notifications) {
        await deliver();
        stats.deliveries++;
      }
      release();
      await Promise.all(held);
      await s.triggersIdle();
      stats.replayedEvents += await replayAggregationEvents(day + 7);
    }
    await s.triggersIdle();
  }
  await refreshMaster(s.runtime, { force: true });
  return { result: await everything(ids), stats };
}

async function everything(ids: Record<string, string>) {
  const { store } = s.runtime;
  const perUnit = async <T>(f: (u: string) => Promise<T>) => Object.fromEntries(await Promise.all(UNITS.map(async (u) => [u, await f(u)] as const)));
  const urlToUnit = new Map<string, string>((await store.allUnitSheets()).map((r) => [r.url, r.unitId]));
  const master = await store.meta('master');
  urlToUnit.set(master.url ?? '', 'master');
  const masterView = withSheetUrlsByOwner(await currentMasterView(s.runtime, s.clock.now), urlToUnit);
  return {
    states: await perUnit(async (u) => {
      // clerkSavedAt is Google's clock when this run's clerk typed: it differs between runs.
      const { spreadsheetId: _file, seenVersion: _seen, clerkSavedAt: _saved, ...rest } = (await store.state(SK, u))!;
      return rest;
    }),
    submissions: await perUnit(async (u) => {
      const { sourceVersion: _v, ...rest } = (await store.submission(SK, u))!;
      return rest;
    }),
    versions: await perUnit(async (u) => (await store.versions(SK, u)).map(({ sourceVersion: _v, ...rest }) => rest)),
    aggregates: aggregateMeaning(await store.aggregatesOfRound(SK)),
    nominees: await store.nomineeIndex(SK),
    masterView,
    sheets: await perUnit(async (u) => everyCell(s.sheets.getSpreadsheetState(ids[u]!)!)),
  };
}

describe('notifications duplicated and shuffled, older after newer', () => {
  let inOrder: Awaited<ReturnType<typeof play>>;
  let messy: Awaited<ReturnType<typeof play>>;
  // Both deliveries are played before any test, so each test can run alone (-t).
  beforeAll(async () => {
    inOrder = await play(false);
    messy = await play(true);
  }, 300_000);

  it('in order, once each', () => {
    const r = inOrder.result;
    expect(r.submissions[E1]).toMatchObject({ versionCount: 1, late: false });
    expect(r.submissions[CHANGED]).toMatchObject({ versionCount: 2, late: false });
    expect(r.submissions[LATE_CHANGE]).toMatchObject({ versionCount: 2, late: false });
    expect(r.versions[LATE_CHANGE]).toHaveLength(2);
    expect(r.aggregates.find((a) => a.nodeId === 'ha-noi')?.contributors).toBe(UNITS.length);
  });

  it('duplicated, shuffled, with stale reads and replayed aggregation events', () => {
    // It really was messy.
    expect(messy.stats.deliveries).toBeGreaterThan(3 * (UNITS.length + 4 + 1));
    expect(messy.stats.staleRefused).toBe(4);
    // Each stored submission twice, each day: six on the first (three had errors), all nine after.
    expect(messy.stats.replayedEvents).toBe(2 * (UNITS.length - 3) + 2 * 2 * UNITS.length);
  });

  it('ends in the same state as in-order delivery', () => {
    const a = inOrder.result;
    const b = messy.result;
    expectSameOutcome(b, a, ['states', 'submissions', 'versions', 'aggregates', 'nominees', 'masterView'], ['sheets']);
  });
});
