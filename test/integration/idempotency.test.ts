/**
 * At-least-once, unordered delivery changes nothing. The same business story is
 * played twice at the same business times, on fresh sheets and an emptied Firestore each
 * time: once delivering every change once, cleanly; once delivering each change three times
 * (a Drive push through the webhook, a direct call, the sheet's "Kiểm tra ngay" button),
 * letting an older read of a sheet commit after a newer one, and delivering the aggregation
 * events again. Firestore (states, submissions and their versions, aggregates, nominee index)
 * and every cell of the unit sheets must come out the same. Then the Eventarc bridge replays
 * the aggregation events duplicated and shuffled.
 *
 * (One stack per file: the local stack installs the functions' runtime process-wide, so two
 * stacks in one process would serve each other's function calls.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { processUnitSheet, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { startFirestoreTriggerBridge } from '../../scripts/local-stack/firestore-trigger-bridge.js';
import { memoryLogger } from '../helpers/memory-logger.js';
import { validSubmission, type Submission } from '../helpers/fill-workbook.js';
import {
  aggregateMeaning,
  commitInputFor,
  everyCell,
  expectSameOutcome,
  pressSheetButton,
  pushAndPoll,
  registerUnitSheets,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const UNITS = ['ubnd-ba-dinh', 'mttq-tp', 'ca-ba-dinh'];
const START_AT = '2020-07-10T09:00:00+07:00';

let stack: TestStack;
let sheetIds: Record<string, string> = {};
type Everything = Awaited<ReturnType<typeof everything>>;
let cleanResult: Everything;

/** ubnd-ba-dinh's first typing has an error; the second fixes it. */
function firstTyping(unitId: string): Submission {
  const sub = validSubmission(stack.runtime.model, unitId, SO_KET);
  if (unitId === 'ubnd-ba-dinh') sub.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = '12 buổi';
  return sub;
}
const fixedTyping = () => validSubmission(stack.runtime.model, 'ubnd-ba-dinh', SO_KET);

/** Empties the campaign's Firestore documents and gives every unit a fresh sheet. */
async function freshStart() {
  await stack.triggersIdle();
  await stack.runtime.store.deleteAll();
  await stack.triggersIdle(); // the deletions are events too; they find no submission and do nothing
  stack.clock.set(START_AT);
  sheetIds = await registerUnitSheets(stack, SO_KET, UNITS);
}

beforeAll(async () => {
  stack = await startTestStack({ at: START_AT });
  // Drive versions here count the writes each run made, so each write moves them by one (Drive
  // itself promises no step: the pipeline never relies on one, see own-writes.test.ts).
  stack.sheets.drive.set({ versionStep: { min: 1, max: 1 } });
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** Everything a delivery can change, for one stack. */
async function everything(ids: Record<string, string>) {
  const { store } = stack.runtime;
  const perUnit = async <T>(f: (u: string) => Promise<T>) =>
    Object.fromEntries(await Promise.all(UNITS.map(async (u) => [u, await f(u)] as const)));
  const sheet = (u: string) => everyCell(stack.sheets.getSpreadsheetState(ids[u]!)!);
  return {
    // Each run has sheets of its own: the file a state was read from, and the time Google's
    // clock showed when its clerk saved it, differ by construction.
    states: await perUnit(async (unit) => {
      const state = await store.state(SO_KET, unit);
      expect(state?.spreadsheetId).toBe(ids[unit]);
      expect(state?.clerkSavedAt).toBeGreaterThan(0);
      const { spreadsheetId: _file, clerkSavedAt: _saved, ...rest } = state!;
      return rest;
    }),
    submissions: await perUnit((u) => store.submission(SO_KET, u)),
    versions: await perUnit((u) => store.versions(SO_KET, u)),
    // A node's epoch names its incarnation, random by construction: each run creates its own.
    aggregates: (await store.aggregatesOfRound(SO_KET))
      .map(({ epoch: _epoch, ...rest }) => rest)
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    nominees: await store.nomineeIndex(SO_KET),
    driveVersions: await perUnit(async (u) => stack.sheets.getDriveFileState(ids[u]!)!.version),
    sheets: await perUnit(async (u) => sheet(u)),
  };
}

async function webhookPush(testStack: TestStack) {
  const response = await pushAndPoll(testStack, 'kenh');
  expect(response.status).toBe(202);
  return response.polled;
}

describe('the same story, delivered cleanly and delivered messily', () => {
  it('clean: every change processed once', async () => {
    await freshStart();
    for (const unit of UNITS) await stack.typeSubmission(unit, SO_KET, firstTyping(unit));
    await stack.typeSubmission('ubnd-ba-dinh', SO_KET, fixedTyping());
    for (const unit of UNITS) expect((await stack.process(unit, SO_KET)).outcome).toBe('processed');
    await stack.triggersIdle();
    expect((await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))?.contributors).toBe(3);
    cleanResult = await everything(sheetIds);
  });

  it('messy: an older read commits after a newer one, then every change arrives three times', async () => {
    await freshStart();
    const runtime = stack.runtime;
    for (const unit of UNITS) await stack.typeSubmission(unit, SO_KET, firstTyping(unit));

    // A slow processing reads ubnd-ba-dinh with its error, and is held before committing…
    let readDone!: () => void;
    let release!: () => void;
    const hasRead = new Promise<void>((r) => (readDone = r));
    const gate = new Promise<void>((r) => (release = r));
    const slow: PipelineDeps = {
      ...runtime,
      workbooks: Object.assign(Object.create(runtime.workbooks), {
        read: async (id: string) => {
          const read = await runtime.workbooks.read(id);
          readDone();
          await gate;
          return read;
        },
      }),
    };
    const older = processUnitSheet(slow, sheetIds['ubnd-ba-dinh']!);
    await hasRead;
    // …while the clerk fixes it and the push for the newer version is processed.
    await stack.typeSubmission('ubnd-ba-dinh', SO_KET, fixedTyping());
    expect(await webhookPush(stack)).toEqual({ status: 'polled', changedFiles: 3, outcomes: { processed: 3 } });
    release();
    expect(await older).toEqual({ outcome: 'unchanged', unitId: 'ubnd-ba-dinh', roundId: SO_KET });
    expect(
      stack.log.lines.some(
        (l) => l.message === 'older or duplicate read; newer state already stored' && l.unitId === 'ubnd-ba-dinh',
      ),
    ).toBe(true);

    // The same changes, twice more: the direct call and the button.
    for (const unit of UNITS) {
      expect((await stack.process(unit, SO_KET)).outcome).toBe('unchanged');
      expect((await pressSheetButton(stack, sheetIds[unit]!)).body).toEqual({ outcome: 'unchanged' });
    }
    // A stale evaluation handed straight to the store is refused too.
    const stale = await runtime.store.commitEvaluation(
      commitInputFor(runtime.model, 'ubnd-ba-dinh', SO_KET, { sourceVersion: 2, now: stack.clock.now }),
    );
    expect(stale.outcome).toBe('stale');
    // The aggregation events, delivered again.
    await stack.triggersIdle();
    for (const unit of UNITS) expect(await aggregateSubmission(runtime, SO_KET, unit)).toEqual({ updated: [] });
  });

  it('both runs leave exactly the same Firestore documents and sheet cells', async () => {
    await stack.triggersIdle();
    const first = cleanResult;
    const second = await everything(sheetIds);
    expect(first.states['ubnd-ba-dinh']).toMatchObject({ status: 'ready', errors: 0 });
    expect(first.submissions['ubnd-ba-dinh']).toMatchObject({ versionCount: 1 });
    expectSameOutcome(
      second,
      first,
      ['states', 'submissions', 'versions', 'aggregates', 'nominees', 'driveVersions'],
      ['sheets'],
    );
  });
});

describe('the Eventarc bridge delivering duplicated and shuffled events', () => {
  const replay = async (testStack: TestStack, seed: number, duplicateRate: number) => {
    const bridge = await startFirestoreTriggerBridge({
      firestore: testStack.runtime.db,
      collection: testStack.runtime.store.submissionsPath,
      targetUrl: testStack.urls.functions.onSubmissionWritten!,
      projectId: testStack.runtime.config.projectId,
      skipInitial: false, // every stored submission is an event again
      duplicateRate,
      shuffleWindowMs: 250,
      seed,
    });
    await bridge.idle();
    await bridge.stop();
    return bridge;
  };

  it('replaying every aggregation event, each twice, in shuffled order, leaves the aggregates exactly as they were', async () => {
    const before = await stack.runtime.store.aggregatesOfRound(SO_KET);
    const bridge = await replay(stack, 11, 1);
    expect([bridge.delivered, bridge.failed]).toEqual([2 * UNITS.length, 0]);
    expect(
      (await stack.runtime.store.aggregatesOfRound(SO_KET)).sort((x, y) => x.nodeId.localeCompare(y.nodeId)),
    ).toEqual(before.sort((x, y) => x.nodeId.localeCompare(y.nodeId)));
  });

  it('aggregates rebuilt from nothing by duplicated, shuffled events equal the clean ones', async () => {
    const { store } = stack.runtime;
    for (const aggregateRecord of await store.aggregatesOfRound(SO_KET))
      await store.aggregateRef(SO_KET, aggregateRecord.nodeId).delete();
    expect(await store.aggregatesOfRound(SO_KET)).toEqual([]);
    const bridge = await replay(stack, 5, 0.5);
    expect(bridge.failed).toBe(0);
    expect(bridge.delivered).toBeGreaterThan(UNITS.length);
    expect(aggregateMeaning(await store.aggregatesOfRound(SO_KET))).toEqual(aggregateMeaning(cleanResult.aggregates));
  });
});

describe('a delivery that failed half-way up the hierarchy', () => {
  it('is retried, and the retry finishes the path even though the unit node is already up to date', async () => {
    // A campaign namespace of its own, which no bridge watches: nothing aggregates behind the test.
    const runtime = stack.runtime;
    const store = new FirestoreStore(runtime.db, `${runtime.model.id}-thu-loi`);
    const log = memoryLogger();
    await store.commitEvaluation(
      commitInputFor(runtime.model, 'ubnd-tay-ho', SO_KET, { sourceVersion: 5, now: stack.clock.now }),
    );
    const failing = Object.assign(Object.create(store), {
      updateNode: (roundId: string, nodeId: string, ...rest: unknown[]) => {
        if (nodeId === 'ha-noi') return Promise.reject(Object.assign(new Error('deadline exceeded'), { code: 4 }));
        return (store.updateNode as (...a: unknown[]) => unknown)(roundId, nodeId, ...rest);
      },
    }) as FirestoreStore;
    const deps = { model: runtime.model, now: () => stack.clock.now, log };
    await expect(aggregateSubmission({ ...deps, store: failing }, SO_KET, 'ubnd-tay-ho')).rejects.toThrow(
      'deadline exceeded',
    );
    expect((await store.aggregate(SO_KET, 'ubnd-tay-ho'))?.contributors).toBe(1);
    expect(await store.aggregate(SO_KET, 'ha-noi')).toBeNull();

    const retried = await aggregateSubmission({ ...deps, store }, SO_KET, 'ubnd-tay-ho');
    expect(retried).toEqual({ updated: ['ha-noi', 'bca'] });
    const city = (await store.aggregate(SO_KET, 'ha-noi'))!;
    expect(city.contributors).toBe(1);
    expect(city.totals).toEqual((await store.aggregate(SO_KET, 'ubnd-tay-ho'))!.totals);
    expect((await store.aggregate(SO_KET, 'bca'))?.totals).toEqual(city.totals);
    // Delivered once more: nothing left to do.
    expect(await aggregateSubmission({ ...deps, store }, SO_KET, 'ubnd-tay-ho')).toEqual({ updated: [] });
    await store.deleteAll();
  });
});
