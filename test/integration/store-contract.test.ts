/**
 * Contract of FirestoreStore: what the pipeline relies on, checked against the run's Firestore
 * emulator: Google's where it is installed (test/setup/firestore.ts), the in-process stand-in
 * otherwise or with FIRESTORE_EMULATOR=inprocess. The suite works in a project and a campaign
 * namespace of its own.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreStore, versionId, type CommitInput } from '../../functions/adapters/firestore-store.js';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';
import { model, MAIN_PERIOD } from '../helpers/campaign.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import { commitInputFor } from '../helpers/integration.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';
const UNIT = 'ubnd-ba-dinh';
let emulator: LocalFirestore | null = null;
let db: Firestore;
let store: FirestoreStore;
const time = (iso: string) => Date.parse(iso);
const ON_TIME = time('2020-07-10T09:00:00+07:00');
const LATE = time('2020-07-16T09:00:00+07:00');
const LOCKED = time('2020-07-23T09:00:00+07:00');

beforeAll(async () => {
  emulator = await startLocalFirestore({ projectId: 'demo-contract' });
  db = createEmulatorClient(emulator.host, emulator.projectId);
  store = new FirestoreStore(db, `hop-dong-${randomUUID().slice(0, 8)}`);
});
afterAll(async () => {
  await store?.deleteAll();
  await db?.terminate();
  await emulator?.stop();
});

/** The same unit's evaluation with the 2020-h1 flow figure shifted by `delta`. */
function input(
  sourceVersion: number,
  now: number,
  delta = 0,
  opts: { unitId?: string; status?: 'ready' | 'draft' } = {},
): CommitInput {
  const unitId = opts.unitId ?? UNIT;
  const bang1 = figuresFor(model, unitId, SO_KET, 'bang1');
  bang1[MAIN_PERIOD]!['tuyen_truyen.dai_chung']! += delta;
  return commitInputFor(model, unitId, SO_KET, {
    sourceVersion,
    now,
    figures: { bang1, bang2: figuresFor(model, unitId, SO_KET, 'bang2') },
    ...(opts.status ? { status: opts.status } : {}),
  });
}

describe('commitEvaluation', () => {
  it('accepts ready content as version 1, on time, and records the state at the read version', async () => {
    const result = await store.commitEvaluation(input(10, ON_TIME));
    expect(result).toMatchObject({
      outcome: 'committed',
      accepted: true,
      lockedOut: false,
      previousFeedbackHash: null,
    });
    expect(result.outcome === 'committed' && result.submission).toMatchObject({
      versionCount: 1,
      versionId: versionId(1),
      sourceVersion: 10,
      acceptedAt: ON_TIME,
      firstAcceptedAt: ON_TIME,
      late: false,
    });
    expect(await store.state(SO_KET, UNIT)).toMatchObject({
      seenVersion: 10,
      status: 'ready',
      feedbackHash: null,
      lockedOut: false,
    });
  });

  it('refuses a read at the same or an older version, whatever it says', async () => {
    expect(await store.commitEvaluation(input(10, ON_TIME, 50))).toEqual({ outcome: 'stale', seenVersion: 10 });
    expect(await store.commitEvaluation(input(7, ON_TIME, 50))).toEqual({ outcome: 'stale', seenVersion: 10 });
    expect((await store.submission(SO_KET, UNIT))?.versionCount).toBe(1);
    expect((await store.submission(SO_KET, UNIT))?.values.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung']).toBe(
      figuresFor(model, UNIT, SO_KET, 'bang1')[MAIN_PERIOD]!['tuyen_truyen.dai_chung'],
    );
  });

  it('a newer read with the same content moves the state on and makes no version', async () => {
    const result = await store.commitEvaluation(input(12, LATE));
    expect(result).toMatchObject({ outcome: 'committed', accepted: false, lockedOut: false });
    expect(result.outcome === 'committed' && result.submission?.versionCount).toBe(1);
    expect((await store.state(SO_KET, UNIT))?.seenVersion).toBe(12);
  });

  it('a draft (not ready) changes the state only; the accepted version stays in force', async () => {
    const result = await store.commitEvaluation(input(13, LATE, 3, { status: 'draft' }));
    expect(result).toMatchObject({ outcome: 'committed', accepted: false });
    expect(result.outcome === 'committed' && result.submission?.versionCount).toBe(1);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ status: 'draft', seenVersion: 13 });
  });

  it('new ready content is version 2; lateness is decided by the first acceptance', async () => {
    const result = await store.commitEvaluation(input(15, LATE, 1));
    expect(result.outcome === 'committed' && result.submission).toMatchObject({
      versionCount: 2,
      versionId: versionId(2),
      sourceVersion: 15,
      acceptedAt: LATE,
      firstAcceptedAt: ON_TIME,
      late: false,
    });
    const versions = await store.versions(SO_KET, UNIT);
    expect(versions.map((v) => [v.versionNo, v.sourceVersion, v.acceptedAt])).toEqual([
      [1, 10, ON_TIME],
      [2, 15, LATE],
    ]);
  });

  it('a first acceptance after the due time is late', async () => {
    const result = await store.commitEvaluation(input(4, LATE, 0, { unitId: 'ubnd-tay-ho' }));
    expect(result.outcome === 'committed' && result.submission).toMatchObject({
      versionCount: 1,
      late: true,
      firstAcceptedAt: LATE,
    });
  });

  it('after the lock, new ready content is refused and flagged; the version in force stays', async () => {
    const result = await store.commitEvaluation(input(20, LOCKED, 2));
    expect(result).toMatchObject({ outcome: 'committed', accepted: false, lockedOut: true });
    expect(result.outcome === 'committed' && result.submission).toMatchObject({ versionCount: 2, sourceVersion: 15 });
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ seenVersion: 20, lockedOut: true });
    expect(await store.versions(SO_KET, UNIT)).toHaveLength(2);
  });
});

describe('a unit whose sheet was replaced by another file', () => {
  it('reads of the new file are compared with each other, not with the old file’s versions', async () => {
    const unit = 'ubnd-gia-lam';
    const at = (v: number, file: string, delta: number) => ({
      ...input(v, ON_TIME, delta, { unitId: unit }),
      spreadsheetId: file,
    });
    expect(await store.commitEvaluation(at(60, 'tep-cu', 0))).toMatchObject({ outcome: 'committed', accepted: true });
    expect(await store.commitEvaluation(at(59, 'tep-cu', 1))).toMatchObject({ outcome: 'stale', seenVersion: 60 });
    const moved = await store.commitEvaluation(at(4, 'tep-moi', 1));
    expect(moved).toMatchObject({ outcome: 'committed', accepted: true });
    expect(moved.outcome === 'committed' && moved.submission).toMatchObject({
      versionCount: 2,
      versionId: versionId(2),
      sourceVersion: 4,
    });
    expect(await store.state(SO_KET, unit)).toMatchObject({ spreadsheetId: 'tep-moi', seenVersion: 4 });
    expect(await store.commitEvaluation(at(3, 'tep-moi', 2))).toMatchObject({ outcome: 'stale', seenVersion: 4 });
    // History keeps both versions, whatever the Drive versions they were read at.
    expect((await store.versions(SO_KET, unit)).map((v) => [v.versionNo, v.sourceVersion])).toEqual([
      [1, 60],
      [2, 4],
    ]);
  });

  it('registering the replacement unregisters the old file', async () => {
    const reg = (id: string) => ({
      spreadsheetId: id,
      unitId: 'ubnd-gia-lam',
      roundId: SO_KET,
      url: `https://docs.google.com/spreadsheets/d/${id}/edit`,
      createdAt: 1,
    });
    await store.register(reg('tep-cu'));
    await store.register(reg('tep-moi'));
    expect(await store.registration('tep-cu')).toBeNull();
    expect(await store.registration('tep-moi')).toEqual(reg('tep-moi'));
    expect(await store.unitSheet(SO_KET, 'ubnd-gia-lam')).toEqual(reg('tep-moi'));
    await store.register(reg('tep-moi')); // again: nothing to unregister
    expect(await store.registration('tep-moi')).toEqual(reg('tep-moi'));
  });
});

describe('recordFeedback', () => {
  it('keeps the feedback hash, and moves the seen version forward to what our own write produced, never back', async () => {
    const read = (await store.state(SO_KET, UNIT))!.seenVersion;
    await store.recordFeedback(SO_KET, UNIT, 'h1', 21, read);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ feedbackHash: 'h1', seenVersion: 21 });
    await store.recordFeedback(SO_KET, UNIT, 'h2', 18, read);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ feedbackHash: 'h2', seenVersion: 21 });
    await store.recordFeedback(SO_KET, UNIT, 'h3', null, read);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ feedbackHash: 'h3', seenVersion: 21 });
    const next = await store.commitEvaluation(input(22, LOCKED, 2));
    expect(next).toMatchObject({ outcome: 'committed', previousFeedbackHash: 'h3' });
    expect((await store.state(SO_KET, UNIT))?.feedbackHash).toBe('h3');
  });

  it('leaves a stored version’s feedback pending until the run that read that version records it', async () => {
    const seen = (await store.state(SO_KET, UNIT))!.seenVersion;
    await store.commitEvaluation(input(seen + 1, LOCKED, 2));
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ seenVersion: seen + 1, feedbackPending: true });
    // A run that read an older version finishes late: the newer version's feedback is still owed.
    await store.recordFeedback(SO_KET, UNIT, 'h4', null, seen);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({ feedbackHash: 'h4', feedbackPending: true });
    await store.recordFeedback(SO_KET, UNIT, 'h5', seen + 2, seen + 1);
    expect(await store.state(SO_KET, UNIT)).toMatchObject({
      feedbackHash: 'h5',
      feedbackPending: false,
      seenVersion: seen + 2,
    });
  });

  it('does nothing for a unit without a state', async () => {
    await store.recordFeedback(SO_KET, 'ubnd-soc-son', 'h', 5, 5);
    expect(await store.state(SO_KET, 'ubnd-soc-son')).toBeNull();
  });
});

describe('updateNode', () => {
  const own = (n: number) => ({ bang1: { 'tuyen_truyen.dai_chung': n, 'mo_hinh.hien_co': null } });

  it('stores a node’s own totals: an older sequence number loses, the same one changes nothing unless the totals differ', async () => {
    const first = await store.updateNode(BO_SUNG, 'ubnd-long-bien', 'ha-noi', { own: own(5), ownSeq: 3 }, 100);
    expect(first).toMatchObject({
      changed: true,
      node: {
        nodeId: 'ubnd-long-bien',
        parentId: 'ha-noi',
        ownSeq: 3,
        seq: 1,
        contributors: 1,
        totals: own(5),
        updatedAt: 100,
      },
    });
    expect(await store.updateNode(BO_SUNG, 'ubnd-long-bien', 'ha-noi', { own: own(5), ownSeq: 3 }, 200)).toMatchObject({
      changed: false,
      node: { seq: 1, totals: own(5), updatedAt: 100 },
    });
    expect(await store.updateNode(BO_SUNG, 'ubnd-long-bien', 'ha-noi', { own: own(9), ownSeq: 2 }, 200)).toMatchObject({
      changed: false,
      node: { seq: 1, totals: own(5) },
    });
    expect(await store.updateNode(BO_SUNG, 'ubnd-long-bien', 'ha-noi', { own: own(7), ownSeq: 3 }, 250)).toMatchObject({
      changed: true,
      node: { seq: 2, ownSeq: 3, totals: own(7) },
    });
    expect(await store.updateNode(BO_SUNG, 'ubnd-long-bien', 'ha-noi', { own: own(9), ownSeq: 4 }, 300)).toMatchObject({
      changed: true,
      node: { seq: 3, totals: own(9), updatedAt: 300 },
    });
  });

  it('keeps one part per child, the newer by sequence number winning, and sums own and parts exactly', async () => {
    await store.updateNode(BO_SUNG, 'ha-noi', 'bca', { own: own(1), ownSeq: 1 }, 1);
    await store.updateNode(
      BO_SUNG,
      'ha-noi',
      'bca',
      { childId: 'ubnd-long-bien', totals: own(9), seq: 2, contributors: 1 },
      2,
    );
    await store.updateNode(BO_SUNG, 'ha-noi', 'bca', { childId: 'catp', totals: own(20), seq: 5, contributors: 3 }, 3);
    expect(
      await store.updateNode(
        BO_SUNG,
        'ha-noi',
        'bca',
        { childId: 'ubnd-long-bien', totals: own(5), seq: 1, contributors: 1 },
        4,
      ),
    ).toMatchObject({ changed: false });
    expect(
      await store.updateNode(
        BO_SUNG,
        'ha-noi',
        'bca',
        { childId: 'catp', totals: own(20), seq: 5, contributors: 3 },
        4,
      ),
    ).toMatchObject({ changed: false });
    const node = (await store.aggregate(BO_SUNG, 'ha-noi'))!;
    expect(node).toMatchObject({
      seq: 3,
      contributors: 1 + 1 + 3,
      totals: { bang1: { 'tuyen_truyen.dai_chung': 30, 'mo_hinh.hien_co': null } },
    });
    const parts = await store.aggregatePartsOf(BO_SUNG, 'ha-noi');
    expect(parts.map((p) => p.childId).sort()).toEqual(['catp', 'ubnd-long-bien']);
    expect(parts.find((p) => p.childId === 'ubnd-long-bien')).toMatchObject({
      nodeId: 'ha-noi',
      totals: own(9),
      seq: 2,
      contributors: 1,
      epoch: node.epoch,
    });
    // The node holds no per-child entry: its size does not depend on its children.
    expect(Object.keys(node).sort()).toEqual([
      'contributors',
      'epoch',
      'ledger',
      'nodeId',
      'own',
      'ownSeq',
      'parentId',
      'roundId',
      'seq',
      'totals',
      'updatedAt',
    ]);
    expect((await store.aggregatesOfRound(BO_SUNG)).map((a) => a.nodeId).sort()).toEqual(['ha-noi', 'ubnd-long-bien']);
  });
});

describe('nominee index, peer statistics, registry', () => {
  it('merges one unit’s nominees without touching another’s', async () => {
    await store.putNominees(SO_KET, 'ubnd-ba-dinh', [
      { key: 'nguyen thi lan', award: 'bkubnd', name: 'Nguyễn Thị Lan' },
    ]);
    await store.putNominees(SO_KET, 'ca-ba-dinh', [{ key: 'tran van minh', award: 'bkbca', name: 'Trần Văn Minh' }]);
    await store.putNominees(SO_KET, 'ubnd-ba-dinh', [
      { key: 'to dan pho so 7', award: 'bkubnd', name: 'Tổ dân phố số 7' },
    ]);
    expect(await store.nomineeIndex(SO_KET)).toEqual({
      'ubnd-ba-dinh': [{ key: 'to dan pho so 7', award: 'bkubnd', name: 'Tổ dân phố số 7' }],
      'ca-ba-dinh': [{ key: 'tran van minh', award: 'bkbca', name: 'Trần Văn Minh' }],
    });
    expect(await store.nomineeIndex(BO_SUNG)).toEqual({});
  });

  it('keeps every unit’s nominees when many units write at the same moment', async () => {
    // Ids with hyphens, dots and underscores: each gets its own slot, none collides.
    const units = [
      'ubnd-tay-ho',
      'ubnd.tay.ho',
      'ubnd_tay_ho',
      ...Array.from({ length: 27 }, (_, i) => `ubnd-quan-${i}`),
    ];
    await Promise.all(
      units.map((u) =>
        store.putNominees(BO_SUNG, u, [{ key: `nguoi cua ${u}`, award: 'gkcatp', name: `Người của ${u}` }]),
      ),
    );
    const index = await store.nomineeIndex(BO_SUNG);
    expect(Object.keys(index).sort()).toEqual([...units].sort());
    for (const unit of units)
      expect(index[unit]).toEqual([{ key: `nguoi cua ${unit}`, award: 'gkcatp', name: `Người của ${unit}` }]);
    await store.putNominees(BO_SUNG, 'ubnd-tay-ho', []);
    expect((await store.nomineeIndex(BO_SUNG))['ubnd-tay-ho']).toEqual([]);
    expect((await store.nomineeIndex(BO_SUNG))['ubnd.tay.ho']).toHaveLength(1);
  });

  it('stores peer statistics per round and kind', async () => {
    expect(await store.peerStats(SO_KET, 'district')).toBeUndefined();
    await store.putPeerStats(SO_KET, 'district', { bang1: {} } as never, 5);
    expect(await store.peerStats(SO_KET, 'district')).toEqual({ bang1: {} });
  });

  it('registers a sheet under both its id and its unit and round', async () => {
    const reg = {
      spreadsheetId: 'sheet-1',
      unitId: UNIT,
      roundId: SO_KET,
      url: 'https://docs.google.com/spreadsheets/d/sheet-1/edit',
      createdAt: 1,
    };
    await store.register(reg);
    expect(await store.registration('sheet-1')).toEqual(reg);
    expect(await store.unitSheet(SO_KET, UNIT)).toEqual(reg);
    expect(await store.registration('sheet-2')).toBeNull();
    expect((await store.allUnitSheets()).map((r) => r.spreadsheetId).sort()).toEqual(['sheet-1', 'tep-moi']);
  });

  it('lists states and submissions of one round only', async () => {
    expect((await store.statesOfRound(SO_KET)).map((s) => s.unitId).sort()).toEqual([
      'ubnd-ba-dinh',
      'ubnd-gia-lam',
      'ubnd-tay-ho',
    ]);
    expect((await store.submissionsOfRound(SO_KET)).map((s) => s.unitId).sort()).toEqual([
      'ubnd-ba-dinh',
      'ubnd-gia-lam',
      'ubnd-tay-ho',
    ]);
    expect(await store.submissionsOfRound(BO_SUNG)).toEqual([]);
  });
});

describe('meta and leases', () => {
  it('meta is empty until patched, and patches merge', async () => {
    expect(await store.meta('driveWatch')).toEqual({});
    await store.patchMeta('driveWatch', { pageToken: '7' });
    await store.patchMeta('driveWatch', { lastPollAt: 9 });
    expect(await store.meta('driveWatch')).toEqual({ pageToken: '7', lastPollAt: 9 });
  });

  it('a lease is taken once until it runs out', async () => {
    expect(await store.tryLease('driveWatch', 'pollLeaseUntil', 1_000, 500)).toBe(true);
    expect(await store.tryLease('driveWatch', 'pollLeaseUntil', 1_200, 500)).toBe(false);
    expect(await store.tryLease('driveWatch', 'pollLeaseUntil', 1_500, 500)).toBe(true);
    expect((await store.meta('driveWatch')).pollLeaseUntil).toBe(2_000);
    expect((await store.meta('driveWatch')).pageToken).toBe('7');
  });
});

describe('read counting and namespacing', () => {
  it('counts one read per document fetched, a missing one included, and one per query result (at least one)', async () => {
    let mark = store.reads;
    await store.state(SO_KET, UNIT);
    await store.state(SO_KET, 'ubnd-soc-son');
    expect(store.reads - mark).toBe(2);
    mark = store.reads;
    await store.submissionsOfRound(SO_KET);
    await store.submissionsOfRound(BO_SUNG);
    expect(store.reads - mark).toBe(3 + 1);
    mark = store.reads;
    await store.commitEvaluation(input(1, LOCKED)); // stale, but its transaction still read two documents
    expect(store.reads - mark).toBe(2);
  });

  it('another campaign’s store sees none of these documents, and deleteAll removes only its own', async () => {
    const other = new FirestoreStore(db, `khac-${randomUUID().slice(0, 8)}`);
    await other.commitEvaluation(input(3, ON_TIME));
    expect((await other.submissionsOfRound(SO_KET)).map((s) => s.unitId)).toEqual([UNIT]);
    expect(await other.registration('sheet-1')).toBeNull();
    expect(await other.deleteAll()).toBe(3); // its state, its submission and that submission's version
    expect((await store.submissionsOfRound(SO_KET)).length).toBe(3);
  });
});
