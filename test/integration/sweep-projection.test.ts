/**
 * The compliance sweep reads only the fields it uses: FirestoreStore's sweep
 * reads are projection queries (`select`), so 11,000 units' figures, issues and confirmation
 * blocks stay on the server. Checked against the run's Firestore emulator: on Google's, the
 * records carry exactly the masked fields; the in-process stand-in ignores field masks (it
 * returns whole documents), which the suite says rather than hides. Whatever the emulator, the
 * sweep's input gathered through the projections equals the one gathered from whole documents,
 * now and as of an earlier instant (`sweep --at`), with and without a city shortlist, for the
 * same number of billed reads. The benchmark's in-memory double is held to Firestore's
 * projection rules too (bench/lib/memory-firestore.ts), since the `sweep.peakRss` figure rests on it.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FirestoreStore,
  SWEEP_SHEET_FIELDS,
  SWEEP_STATE_FIELDS,
  sweepSubmissionFields,
} from '../../functions/adapters/firestore-store.js';
import { gatherSweepInput } from '../../functions/app/sweep.js';
import type { Store } from '../../functions/app/ports.js';
import type { NominationRecord } from '../../functions/app/records.js';
import { nominationId } from '../../functions/core/master-view.js';
import { sweep } from '../../functions/core/sweep.js';
import { MemoryFirestore } from '../../bench/lib/memory-firestore.js';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';
import { model } from '../helpers/campaign.js';
import { commitInputFor } from '../helpers/integration.js';

const [SO_KET, BO_SUNG] = model.campaign.rounds.map((r) => r.id) as [string, string];
const instant = (iso: string) => Date.parse(iso);
const FIRST_READ = instant('2020-07-08T09:00:00+07:00');
const REVISED_AT = instant('2020-07-12T09:00:00+07:00');
const SWEEP_AT = instant('2020-07-13T09:00:00+07:00');
/** Submitted on time, then revised with a nominee; one that is typing with errors and an ineligible nominee; one with a sheet only. */
const [REVISED, TYPING, IDLE] = ['ubnd-ba-dinh', 'ubnd-hoan-kiem', 'ubnd-tay-ho'] as const;

function nominee(rowNo: number, name: string, overrides: Partial<NominationRecord> = {}): NominationRecord {
  return {
    rowNo,
    cell: `C${10 + rowNo}`,
    award: model.campaign.cityShortlist.award,
    type: 'individual',
    scope: 'cand',
    name,
    position: 'Cán bộ',
    titles: { '2019': 'CSTĐ' },
    giayKhen: null,
    bangKhen: null,
    summary: 'Tóm tắt thành tích dài: không phải việc của lượt rà soát.',
    reportConfirmed: true,
    originalSets: 3,
    exempt: false,
    key: name.toLowerCase(),
    eligible: true,
    ineligibleReasons: [],
    verdict: 'ok',
    issues: [],
    ...overrides,
  };
}

let emulator: LocalFirestore | null = null;
let db: Firestore;
let store: FirestoreStore;
const shortlisted = nominee(1, 'Nguyễn Văn An');

/**
 * The same store with the sweep's reads served from whole documents (the reads the sweep made
 * before projections): what the projected reads must reproduce.
 */
function wholeDocumentReads(realStore: FirestoreStore): Store {
  return Object.assign(Object.create(realStore) as FirestoreStore, {
    sweepUnitSheets: () => realStore.allUnitSheets(),
    sweepStatesOfRound: (roundId: string) => realStore.statesOfRound(roundId),
    sweepSubmissionsOfRound: (roundId: string) => realStore.submissionsOfRound(roundId),
    sweepVersions: (roundId: string, unitId: string) => realStore.versions(roundId, unitId),
  });
}

beforeAll(async () => {
  emulator = await startLocalFirestore({ projectId: 'demo-sweep-projection' });
  db = createEmulatorClient(emulator.host, emulator.projectId);
  store = new FirestoreStore(db, `ra-soat-${randomUUID().slice(0, 8)}`);
  for (const unitId of [REVISED, TYPING, IDLE]) {
    await store.register({
      spreadsheetId: `sheet-${unitId}`,
      unitId,
      roundId: SO_KET,
      url: `https://docs.google.com/spreadsheets/d/sheet-${unitId}/edit`,
      createdAt: FIRST_READ,
    });
  }
  // A sheet provisioned after the sweep's instant: not seen by it.
  await store.register({
    spreadsheetId: `sheet-${IDLE}-bs`,
    unitId: IDLE,
    roundId: BO_SUNG,
    url: 'https://docs.google.com/spreadsheets/d/later/edit',
    createdAt: SWEEP_AT + 86_400_000,
  });
  expect(
    (await store.commitEvaluation(commitInputFor(model, REVISED, SO_KET, { sourceVersion: 3, now: FIRST_READ })))
      .outcome,
  ).toBe('committed');
  const revised = commitInputFor(model, REVISED, SO_KET, { sourceVersion: 7, now: REVISED_AT });
  revised.candidate!.nominations = [shortlisted];
  revised.candidate!.contentHash = 'h-revised';
  revised.state.contentHash = 'h-revised';
  revised.state.nominations = [shortlisted];
  const committed = await store.commitEvaluation(revised);
  expect(committed.outcome === 'committed' && committed.submission?.versionCount).toBe(2);
  const typing = commitInputFor(model, TYPING, SO_KET, { sourceVersion: 4, now: REVISED_AT, status: 'draft' });
  typing.state = {
    ...typing.state,
    status: 'invalid',
    errors: 2,
    warnings: 1,
    issues: [
      {
        sheet: 'Bảng 1',
        cell: 'C12',
        code: 'figure.not_integer',
        severity: 'error',
        message: 'Ô C12: số liệu phải là số nguyên không âm.',
      },
    ],
    nominations: [
      nominee(1, 'Trần Thị Bình', {
        eligible: false,
        ineligibleReasons: ['Thiếu danh hiệu năm 2019.'],
        verdict: 'ineligible',
      }),
    ],
    quotaOverruns: [
      {
        award: model.campaign.cityShortlist.award,
        scope: 'any',
        kind: 'total',
        limit: 1,
        count: 2,
        description: 'một đơn vị',
      },
    ],
    dossierMissing: ['Biên bản họp'],
  };
  await store.commitEvaluation(typing);
}, 60_000);
afterAll(async () => {
  await store?.deleteAll();
  await db?.terminate();
  await emulator?.stop();
});

describe('the sweep reads through field masks', () => {
  it('returns the masked fields of each document (exactly on Google’s emulator; the in-process stand-in ignores masks)', async () => {
    const exact = emulator!.kind === 'official';
    const check = (records: object[], mask: readonly string[], whole: object[]) => {
      expect(records.length).toBe(whole.length);
      for (const record of records) {
        const keys = Object.keys(record).sort();
        const wholeKeys = Object.keys(
          whole.find((w) => (w as { unitId: string }).unitId === (record as { unitId: string }).unitId)!,
        ).sort();
        // The stored documents hold more than the mask, so a projection is visible.
        expect(wholeKeys.length).toBeGreaterThan(mask.length);
        for (const field of mask) expect(keys).toContain(field);
        if (exact) expect(keys).toEqual([...mask].sort());
        else expect(keys).toEqual(wholeKeys);
      }
    };
    check(await store.sweepUnitSheets(), SWEEP_SHEET_FIELDS, await store.allUnitSheets());
    check(await store.sweepStatesOfRound(SO_KET), SWEEP_STATE_FIELDS, await store.statesOfRound(SO_KET));
    const withoutNominees = sweepSubmissionFields({ nominations: false });
    expect(withoutNominees).not.toContain('nominations');
    check(
      await store.sweepSubmissionsOfRound(SO_KET, { nominations: false }),
      withoutNominees,
      await store.submissionsOfRound(SO_KET),
    );
    check(
      await store.sweepSubmissionsOfRound(SO_KET, { nominations: true }),
      sweepSubmissionFields({ nominations: true }),
      await store.submissionsOfRound(SO_KET),
    );
    const versions = await store.sweepVersions(SO_KET, REVISED, { nominations: false });
    expect(versions.map((v) => v.versionNo)).toEqual([1, 2]);
    if (exact)
      for (const version of versions)
        expect(Object.keys(version).sort()).toEqual([...withoutNominees, 'versionNo'].sort());
  });

  it('bills one read per document, as the whole-document reads do', async () => {
    const before = store.reads;
    await store.sweepStatesOfRound(SO_KET);
    await store.sweepSubmissionsOfRound(SO_KET, { nominations: false });
    const projected = store.reads - before;
    await store.statesOfRound(SO_KET);
    await store.submissionsOfRound(SO_KET);
    expect(projected).toBe(store.reads - before - projected);
    expect(projected).toBe(2 + 1);
  });

  it('gathers the same sweep input as whole documents would, now and as of an earlier instant, with and without a shortlist', async () => {
    const whole = wholeDocumentReads(store);
    for (const at of [SWEEP_AT, REVISED_AT - 1, FIRST_READ - 1]) {
      const projected = await gatherSweepInput(model, store, at);
      expect(projected).toEqual(await gatherSweepInput(model, whole, at));
      expect(sweep(model, projected)).toEqual(sweep(model, await gatherSweepInput(model, whole, at)));
    }
    // As of before the revision, the first version stands: the state seen then is unknown (evaluated later).
    const early = await gatherSweepInput(model, store, REVISED_AT - 1);
    const revisedUnit = early.rounds.find((r) => r.roundId === SO_KET)!.units.find((u) => u.unitId === REVISED)!;
    expect(revisedUnit.submission).toEqual({ firstAcceptedAt: FIRST_READ, late: false, versionCount: 1 });
    expect(revisedUnit.state).toBeNull();

    await store.patchMeta('master', { shortlist: [nominationId(REVISED, shortlisted)] });
    try {
      const now = await gatherSweepInput(model, store, SWEEP_AT);
      expect(now.shortlisted.map((n) => (n as NominationRecord).name)).toEqual([shortlisted.name]);
      expect(now).toEqual(await gatherSweepInput(model, whole, SWEEP_AT));
      // Before the revision the nominee did not exist: nothing shortlisted then.
      expect((await gatherSweepInput(model, store, REVISED_AT - 1)).shortlisted).toEqual([]);
      expect(await gatherSweepInput(model, store, REVISED_AT - 1)).toEqual(
        await gatherSweepInput(model, whole, REVISED_AT - 1),
      );
    } finally {
      await store.patchMeta('master', { shortlist: [] });
    }
  });
});

describe("the benchmark's in-memory double projects as Firestore does", () => {
  it('keeps only the named fields, reaching into maps by dotted path, leaving out what a document lacks', async () => {
    const mem = new MemoryFirestore();
    const col = mem.collection('c');
    await col.doc('a').set({ roundId: 'r', n: 1, big: { x: 1, y: [1, 2] }, list: [{ k: 1 }], other: 'x' });
    await col.doc('b').set({ roundId: 'r', n: 2 });
    await col.doc('c').set({ roundId: 's', n: 0, other: 'y' });
    const before = mem.counts.reads;
    const snap = await col.where('roundId', '==', 'r').select('n', 'big.y', 'list', 'missing').get();
    expect(snap.docs.map((d) => d.data())).toEqual([{ n: 1, big: { y: [1, 2] }, list: [{ k: 1 }] }, { n: 2 }]);
    expect(mem.counts.reads - before).toBe(2);
    // Ordered by a field the mask leaves out, as the server orders before projecting; no field: the documents without data.
    expect((await col.orderBy('n').select('other').get()).docs.map((d) => [d.id, d.data()])).toEqual([
      ['c', { other: 'y' }],
      ['a', { other: 'x' }],
      ['b', {}],
    ]);
    expect((await col.select().get()).docs.map((d) => d.data())).toEqual([{}, {}, {}]);
  });
});
