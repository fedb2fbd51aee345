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
import { aggregateMeaning, commitInputFor, everyCell, expectSameOutcome, pressSheetButton, pushAndPoll, registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SK = 'so-ket-2020';
const UNITS = ['ubnd-ba-dinh', 'mttq-tp', 'ca-ba-dinh'];
const AT = '2020-07-10T09:00:00+07:00';

let s: TestStack;
let sheetIds: Record<string, string> = {};
type Everything = Awaited<ReturnType<typeof everything>>;
let cleanResult: Everything;

/** ubnd-ba-dinh's first typing has an error; the second fixes it. */
function firstTyping(unitId: string): Submission {
  const sub = validSubmission(s.runtime.model, unitId, SK);
  if (unitId === 'ubnd-ba-dinh') sub.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = '12 buổi';
  return sub;
}
const fixedTyping = () => validSubmission(s.runtime.model, 'ubnd-ba-dinh', SK);

/** Empties the campaign's Firestore documents and gives every unit a fresh sheet. */
async function freshStart() {
  await s.triggersIdle();
  await s.runtime.store.deleteAll();
  await s.triggersIdle(); // the deletions are events too; they find no submission and do nothing
  s.clock.set(AT);
  sheetIds = await registerUnitSheets(s, SK, UNITS);
}

beforeAll(async () => {
  s = await startTestStack({ at: AT });
  // Drive versions here count the writes each run made, so each write moves them by one (Drive
  // itself promises no step: the pipeline never relies on one, see own-writes.test.ts).
  s.sheets.drive.set({ versionStep: { min: 1, max: 1 } });
}, 60_000);
afterAll(async () => {
  await s.triggersIdle();
  await s.dispose();
});

/** Everything a delivery can change, for one stack. */
async function everything(ids: Record<string, string>) {
  const { store } = s.runtime;
  const perUnit = async <T>(f: (u: string) => Promise<T>) => Object.fromEntries(await Promise.all(UNITS.map(async (u) => [u, await f(u)] as const)));
  const sheet = (u: string) => everyCell(s.sheets.getSpreadsheetState(ids[u]!)!);
  return {
    // Each run has sheets of its own: the file a state was read from, and the time Google's
    // clock showed when its clerk saved it, differ by construction.
    states: await perUnit(async (u) => {
      const st = await store.state(SK, u);
      expect(st?.spreadsheetId).toBe(ids[u]);
      expect(st?.clerkSavedAt).toBeGreaterThan(0);
      const { spreadsheetId: _file, clerkSavedAt: _saved, ...rest } = st!;
      return rest;
    }),
    submissions: await perUnit((u) => store.submission(SK, u)),
    versions: await perUnit((u) => store.versions(SK, u)),
    // A node's epoch names its incarnation, random by construction: each run creates its own.
    aggregates: (await store.aggregatesOfRound(SK)).map(({ epoch: _epoch, ...rest }) => rest).sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    nominees: await store.nomineeIndex(SK),
    driveVersions: await perUnit(async (u) => s.sheets.getDriveFileState(ids[u]!)!.version),
    sheets: await perUnit(async (u) => sheet(u)),
  };
}

async function webhookPush(s: TestStack) {
  const r = await pushAndPoll(s, 'kenh');
  expect(r.status).toBe(202);
  return r.polled;
}

describe('the same story, delivered cleanly and delivered messily', () => {
  it('clean: every change processed once', async () => {
    await freshStart();
    for (const u of UNITS) await s.typeSubmission(u, SK, firstTyping(u));
    await s.typeSubmission('ubnd-ba-dinh', SK, fixedTyping());
    for (const u of UNITS) expect((await s.process(u, SK)).outcome).toBe('processed');
    await s.triggersIdle();
    expect((await s.runtime.store.aggregate(SK, 'ha-noi'))?.contributors).toBe(3);
    cleanResult = await everything(sheetIds);
  });

  it('messy: an older read commits after a newer one, then every change arrives three times', async () => {
    await freshStart();
    const rt = s.runtime;
    for (const u of UNITS) await s.typeSubmission(u, SK, firstTyping(u));

    // A slow processing reads ubnd-ba-dinh with its error, and is held before committing…
    let readDone!: () => void;
    let release!: () => void;
    const hasRead = new Promise<void>((r) => (readDone = r));
    const gate = new Promise<void>((r) => (release = r));
    const slow: PipelineDeps = {
      ...rt,
      workbooks: Object.assign(Object.create(rt.workbooks), {
        read: async (id: string) => {
          const r = await rt.workbooks.read(id);
          readDone();
          await gate;
          return r;
        },
      }),
    };
    const older = processUnitSheet(slow, sheetIds['ubnd-ba-dinh']!);
    await hasRead;
    // …while the clerk fixes it and the push for the newer version is processed.
    await s.typeSubmission('ubnd-ba-dinh', SK, fixedTyping());
    expect(await webhookPush(s)).toEqual({ status: 'polled', changedFiles: 3, outcomes: { processed: 3 } });
    release();
    expect(await older).toEqual({ outcome: 'unchanged', unitId: 'ubnd-ba-dinh', roundId: SK });
    expect(s.log.lines.some((l) => l.message === 'older or duplicate read; newer state already stored' && l.unitId === 'ubnd-ba-dinh')).toBe(true);

    // The same changes, twice more: the direct call and the button.
    for (const u of UNITS) {
      expect((await s.process(u, SK)).outcome).toBe('unchanged');
      expect((await pressSheetButton(s, sheetIds[u]!)).body).toEqual({ outcome: 'unchanged' });
    }
    // A stale evaluation handed straight to the store is refused too.
    const stale = await rt.store.commitEvaluation(commitInputFor(rt.model, 'ubnd-ba-dinh', SK, { sourceVersion: 2, now: s.clock.now }));
    expect(stale.outcome).toBe('stale');
    // The aggregation events, delivered again.
    await s.triggersIdle();
    for (const u of UNITS) expect(await aggregateSubmission(rt, SK, u)).toEqual({ updated: [] });
  });

  it('both runs leave exactly the same Firestore documents and sheet cells', async () => {
    await s.triggersIdle();
    const a = cleanResult;
    const b = await everything(sheetIds);
    expect(a.states['ubnd-ba-dinh']).toMatchObject({ status: 'ready', errors: 0 });
    expect(a.submissions['ubnd-ba-dinh']).toMatchObject({ versionCount: 1 });
    expectSameOutcome(b, a, ['states', 'submissions', 'versions', 'aggregates', 'nominees', 'driveVersions'], ['sheets']);
  });
});

describe('the Eventarc bridge delivering duplicated and shuffled events', () => {
  const replay = async (s: TestStack, seed: number, duplicateRate: number) => {
    const bridge = await startFirestoreTriggerBridge({
      firestore: s.runtime.db,
      collection: s.runtime.store.submissionsPath,
      targetUrl: s.urls.functions.onSubmissionWritten!,
      projectId: s.runtime.config.projectId,
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
    const before = await s.runtime.store.aggregatesOfRound(SK);
    const bridge = await replay(s, 11, 1);
    expect([bridge.delivered, bridge.failed]).toEqual([2 * UNITS.length, 0]);
    expect((await s.runtime.store.aggregatesOfRound(SK)).sort((x, y) => x.nodeId.localeCompare(y.nodeId))).toEqual(before.sort((x, y) => x.nodeId.localeCompare(y.nodeId)));
  });

  it('aggregates rebuilt from nothing by duplicated, shuffled events equal the clean ones', async () => {
    const { store } = s.runtime;
    for (const a of await store.aggregatesOfRound(SK)) await store.aggregateRef(SK, a.nodeId).delete();
    expect(await store.aggregatesOfRound(SK)).toEqual([]);
    const bridge = await replay(s, 5, 0.5);
    expect(bridge.failed).toBe(0);
    expect(bridge.delivered).toBeGreaterThan(UNITS.length);
    expect(aggregateMeaning(await store.aggregatesOfRound(SK))).toEqual(aggregateMeaning(cleanResult.aggregates));
  });
});

describe('a delivery that failed half-way up the hierarchy', () => {
  it('is retried, and the retry finishes the path even though the unit node is already up to date', async () => {
    // A campaign namespace of its own, which no bridge watches: nothing aggregates behind the test.
    const rt = s.runtime;
    const store = new FirestoreStore(rt.db, `${rt.model.id}-thu-loi`);
    const log = memoryLogger();
    await store.commitEvaluation(commitInputFor(rt.model, 'ubnd-tay-ho', SK, { sourceVersion: 5, now: s.clock.now }));
    const failing = Object.assign(Object.create(store), {
      updateNode: (roundId: string, nodeId: string, ...rest: unknown[]) => {
        if (nodeId === 'ha-noi') return Promise.reject(Object.assign(new Error('deadline exceeded'), { code: 4 }));
        return (store.updateNode as (...a: unknown[]) => unknown)(roundId, nodeId, ...rest);
      },
    }) as FirestoreStore;
    const deps = { model: rt.model, now: () => s.clock.now, log };
    await expect(aggregateSubmission({ ...deps, store: failing }, SK, 'ubnd-tay-ho')).rejects.toThrow('deadline exceeded');
    expect((await store.aggregate(SK, 'ubnd-tay-ho'))?.contributors).toBe(1);
    expect(await store.aggregate(SK, 'ha-noi')).toBeNull();

    const retried = await aggregateSubmission({ ...deps, store }, SK, 'ubnd-tay-ho');
    expect(retried).toEqual({ updated: ['ha-noi', 'bca'] });
    const city = (await store.aggregate(SK, 'ha-noi'))!;
    expect(city.contributors).toBe(1);
    expect(city.totals).toEqual((await store.aggregate(SK, 'ubnd-tay-ho'))!.totals);
    expect((await store.aggregate(SK, 'bca'))?.totals).toEqual(city.totals);
    // Delivered once more: nothing left to do.
    expect(await aggregateSubmission({ ...deps, store }, SK, 'ubnd-tay-ho')).toEqual({ updated: [] });
    await store.deleteAll();
  });
});
