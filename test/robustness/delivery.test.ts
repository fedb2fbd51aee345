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
import {
  aggregateMeaning,
  districtIds,
  everyCell,
  expectSameOutcome,
  pressSheetButton,
  provisionMaster,
  pushAndPoll,
  registerUnitSheets,
  withSheetUrlsByOwner,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const UNITS = [...districtIds().slice(0, 8), 'mttq-tp'];
const [ERRING_FIRST, ERRING_SECOND, ERRING_THIRD, CHANGED, LATE_CHANGE] = UNITS as [
  string,
  string,
  string,
  string,
  string,
];

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ at: '2020-07-10T09:00:00+07:00' });
}, 60_000);
afterAll(async () => {
  await stack?.triggersIdle();
  await stack?.dispose();
});

function typing(unitId: string, day: 1 | 2 | 3): Submission {
  const sub = validSubmission(stack.runtime.model, unitId, SO_KET);
  const bang1 = sub.figures.bang1;
  if (day === 1 && [ERRING_FIRST, ERRING_SECOND, ERRING_THIRD].includes(unitId))
    bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = '12 buổi';
  if (day >= 2 && unitId === CHANGED) bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 321;
  if (day === 3 && unitId === LATE_CHANGE) bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 77;
  return sub;
}

/** Who types what, on which day. */
const STORY: { at: string; typing: [string, 1 | 2 | 3][] }[] = [
  { at: '2020-07-10T09:00:00+07:00', typing: UNITS.map((u) => [u, 1]) },
  { at: '2020-07-13T10:00:00+07:00', typing: [ERRING_FIRST, ERRING_SECOND, ERRING_THIRD, CHANGED].map((u) => [u, 2]) },
  { at: '2020-07-16T09:00:00+07:00', typing: [[LATE_CHANGE, 3]] },
];

/** Every stored submission delivered again to the aggregation function, twice each, shuffled. */
async function replayAggregationEvents(seed: number): Promise<number> {
  const bridge = await startFirestoreTriggerBridge({
    firestore: stack.runtime.db,
    collection: stack.runtime.store.submissionsPath,
    targetUrl: stack.urls.functions.onSubmissionWritten!,
    projectId: stack.runtime.config.projectId,
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
  await stack.triggersIdle();
  await stack.runtime.store.deleteAll();
  await stack.triggersIdle();
  stack.clock.set(STORY[0]!.at);
  const ids = await registerUnitSheets(stack, SO_KET, UNITS);
  await provisionMaster(stack);
  const random = seededRandom(521);
  const stats = { deliveries: 0, staleRefused: 0, replayedEvents: 0 };

  for (const [day, step] of STORY.entries()) {
    // A slow run that read yesterday's content of two sheets, held until today's is processed.
    const held: Promise<unknown>[] = [];
    let release = () => {};
    if (messy && day > 0) {
      const gate = new Promise<void>((r) => (release = r));
      for (const unit of [CHANGED, LATE_CHANGE]) {
        let readDone!: () => void;
        const hasRead = new Promise<void>((r) => (readDone = r));
        const slow: PipelineDeps = {
          ...stack.runtime,
          workbooks: Object.assign(Object.create(stack.runtime.workbooks), {
            read: async (id: string) => {
              const read = await stack.runtime.workbooks.read(id);
              readDone();
              await gate;
              return read;
            },
          }),
        };
        held.push(
          processUnitSheet(slow, ids[unit]!, { force: true }).then(
            (r) => r.outcome === 'unchanged' && stats.staleRefused++,
          ),
        );
        await hasRead;
      }
    }

    stack.clock.set(step.at);
    for (const [unit, day] of step.typing) await stack.typeSubmission(unit, SO_KET, typing(unit, day));

    if (!messy) {
      const response = await pushAndPoll(stack, 'kenh');
      expect(response.polled?.outcomes.processed).toBe(step.typing.length);
    } else {
      const changed = step.typing.map(([u]) => u);
      const notifications: (() => Promise<unknown>)[] = [
        () => pushAndPoll(stack, 'kenh'),
        () => pushAndPoll(stack, 'kenh'),
        () => stack.fire('poll-changes'),
        ...changed.flatMap((u) => [
          () => pressSheetButton(stack, ids[u]!),
          () => pressSheetButton(stack, ids[u]!),
          () => stack.process(u, SO_KET),
        ]),
      ];
      // Fisher–Yates with the seeded generator: the same shuffle every run.
      for (let i = notifications.length - 1; i > 0; i--) {
        const index = Math.floor(random() * (i + 1));
        [notifications[i], notifications[index]] = [notifications[index]!, notifications[i]!];
      }
      for (const deliver of notifications) {
        await deliver();
        stats.deliveries++;
      }
      release();
      await Promise.all(held);
      await stack.triggersIdle();
      stats.replayedEvents += await replayAggregationEvents(day + 7);
    }
    await stack.triggersIdle();
  }
  await refreshMaster(stack.runtime, { force: true });
  return { result: await everything(ids), stats };
}

async function everything(ids: Record<string, string>) {
  const { store } = stack.runtime;
  const perUnit = async <T>(f: (u: string) => Promise<T>) =>
    Object.fromEntries(await Promise.all(UNITS.map(async (u) => [u, await f(u)] as const)));
  const urlToUnit = new Map<string, string>((await store.allUnitSheets()).map((r) => [r.url, r.unitId]));
  const master = await store.meta('master');
  urlToUnit.set(master.url ?? '', 'master');
  const masterView = withSheetUrlsByOwner(await currentMasterView(stack.runtime, stack.clock.now), urlToUnit);
  return {
    states: await perUnit(async (unit) => {
      // clerkSavedAt is Google's clock when this run's clerk typed: it differs between runs.
      const {
        spreadsheetId: _file,
        seenVersion: _seen,
        clerkSavedAt: _saved,
        ...rest
      } = (await store.state(SO_KET, unit))!;
      return rest;
    }),
    submissions: await perUnit(async (unit) => {
      const { sourceVersion: _version, ...rest } = (await store.submission(SO_KET, unit))!;
      return rest;
    }),
    versions: await perUnit(async (u) =>
      (await store.versions(SO_KET, u)).map(({ sourceVersion: _v, ...rest }) => rest),
    ),
    aggregates: aggregateMeaning(await store.aggregatesOfRound(SO_KET)),
    nominees: await store.nomineeIndex(SO_KET),
    masterView,
    sheets: await perUnit(async (u) => everyCell(stack.sheets.getSpreadsheetState(ids[u]!)!)),
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
    const result = inOrder.result;
    expect(result.submissions[ERRING_FIRST]).toMatchObject({ versionCount: 1, late: false });
    expect(result.submissions[CHANGED]).toMatchObject({ versionCount: 2, late: false });
    expect(result.submissions[LATE_CHANGE]).toMatchObject({ versionCount: 2, late: false });
    expect(result.versions[LATE_CHANGE]).toHaveLength(2);
    expect(result.aggregates.find((a) => a.nodeId === 'ha-noi')?.contributors).toBe(UNITS.length);
  });

  it('duplicated, shuffled, with stale reads and replayed aggregation events', () => {
    // It really was messy.
    expect(messy.stats.deliveries).toBeGreaterThan(3 * (UNITS.length + 4 + 1));
    expect(messy.stats.staleRefused).toBe(4);
    // Each stored submission twice, each day: six on the first (three had errors), all nine after.
    expect(messy.stats.replayedEvents).toBe(2 * (UNITS.length - 3) + 2 * 2 * UNITS.length);
  });

  it('ends in the same state as in-order delivery', () => {
    const first = inOrder.result;
    const second = messy.result;
    expectSameOutcome(
      second,
      first,
      ['states', 'submissions', 'versions', 'aggregates', 'nominees', 'masterView'],
      ['sheets'],
    );
  });
});
