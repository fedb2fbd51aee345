/**
 * No aggregate document grows with the number of children. Each child's
 * contribution is a part document of its own and the node keeps an exact ledger its child's
 * change is applied to as a delta (functions/core/aggregate.ts TotalsLedger). Against the
 * local Firestore emulator:
 *  - seeded pseudo-random sequences of new versions at several units under one district,
 *    each event delivered once or several times, shuffled, some concurrently, with stale offers
 *    replayed at the store: after every step each stored node equals computeAllNodes from the
 *    submissions, nulls and absent indicators included;
 *  - a district with 30, 366 and 900 communes, built by the reconcile (900 parts: several
 *    repair transactions): the largest aggregate document stays the same size;
 *  - a node stored before parts existed (a `children` map) is rewritten by the reconcile.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { memoryLogger } from '../helpers/memory-logger.js';
import { reconcileRound } from '../../functions/app/reconcile.js';
import type { AggregateRecord, SubmissionRecord } from '../../functions/app/records.js';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { computeAllNodes, totalsFromSubmission, type NodeTotals } from '../../functions/core/aggregate.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { canonicalJson } from '../../functions/core/canonical-json.js';
import type { FigureTotals } from '../../functions/core/figures.js';
import { roundFigure } from '../../functions/core/figures.js';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';
import { modifiedModel } from '../helpers/campaign.js';
import { commitInputFor } from '../helpers/integration.js';
import { seededRandom as generator, type SeededRandom as Gen } from '../helpers/seeded-random.js';

const SO_KET = 'so-ket-2020';
const DISTRICT = 'ubnd-ba-dinh';
const NOW = Date.parse('2020-07-10T09:00:00+07:00');
let emulator: LocalFirestore | null = null;
let db: Firestore;
const stores: FirestoreStore[] = [];

beforeAll(async () => {
  emulator = await startLocalFirestore({ projectId: 'demo-aggregate-parts' });
  db = createEmulatorClient(emulator.host, emulator.projectId);
}, 60_000);
afterAll(async () => {
  for (const store of stores) await store.deleteAll();
  await db?.terminate();
  await emulator?.stop();
});

function storeFor(name: string): FirestoreStore {
  const store = new FirestoreStore(db, `${name}-${randomUUID().slice(0, 8)}`);
  stores.push(store);
  return store;
}

/** The real campaign with `n` communes under one district. */
function modelWithCommunes(communeCount: number): { model: CampaignModel; communes: string[] } {
  const communes = Array.from({ length: communeCount }, (_, i) => `xa-${String(i + 1).padStart(3, '0')}-ba-dinh`);
  const model = modifiedModel((raw) => {
    for (const id of communes)
      raw.units.push({ id, name: `UBND xã ${id}`, kind: 'commune', parent: DISTRICT, emails: [`${id}@hanoi.example`] });
  });
  return { model, communes };
}

/** A submission's period totals: indicators absent, blank (null) or numbers on roundFigure's grid. */
function randomTotals(random: Gen): Record<string, FigureTotals> {
  const out: Record<string, FigureTotals> = {};
  for (const table of ['bang1', 'bang2']) {
    if (random.next() < 0.2) continue;
    const byCode: FigureTotals = (out[table] = {});
    for (const code of ['a', 'b', 'c', 'd']) {
      const roll = random.next();
      if (roll < 0.25) continue;
      byCode[code] = roll < 0.45 ? null : random.next() < 0.5 ? random.int(5000) : roundFigure(random.next() * 1000);
    }
  }
  return out;
}

/** A submission as the aggregation and the reconcile read it (the fields they use). */
function submission(
  model: CampaignModel,
  unitId: string,
  versionCount: number,
  totals: Record<string, FigureTotals>,
): SubmissionRecord {
  const unit = model.unit(unitId);
  return {
    unitId,
    roundId: SO_KET,
    kind: unit.kind,
    parentId: unit.parent,
    versionCount,
    totals,
    values: {},
  } as unknown as SubmissionRecord;
}

/** Every stored node against computeAllNodes from the stored submissions; every counted part against its child. */
async function expectNodesMatchSources(model: CampaignModel, store: FirestoreStore, label: string) {
  const subs = await store.submissionsOfRound(SO_KET);
  const expected = computeAllNodes(model, new Map(subs.map((s) => [s.unitId, totalsFromSubmission(s.totals)])));
  const stored = new Map((await store.aggregatesOfRound(SO_KET)).map((a) => [a.nodeId, a]));
  const parts = await store.aggregatePartsOfRound(SO_KET);
  for (const node of expected.values()) {
    const storedNode = stored.get(node.nodeId);
    if (node.contributors === 0) {
      expect(storedNode?.contributors ?? 0, `${label}: ${node.nodeId}`).toBe(0);
      continue;
    }
    expect(
      canonicalJson({ totals: storedNode?.totals, contributors: storedNode?.contributors, own: storedNode?.own }),
      `${label}: ${node.nodeId}`,
    ).toBe(canonicalJson({ totals: node.totals, contributors: node.contributors, own: node.own }));
    const counted = parts.filter(
      (p) => p.nodeId === node.nodeId && p.epoch === storedNode!.epoch && p.contributors > 0,
    );
    const wanted = Object.entries(node.children).filter(([, c]) => c.contributors > 0);
    expect(
      canonicalJson(Object.fromEntries(counted.map((p) => [p.childId, p.totals]))),
      `${label}: parts of ${node.nodeId}`,
    ).toBe(canonicalJson(Object.fromEntries(wanted.map(([id, c]) => [id, c.totals]))));
  }
}

describe('aggregates kept by parts and deltas', () => {
  it('equal a full recomputation after every step of random changes, duplicated, shuffled, concurrent and stale deliveries', async () => {
    const { model, communes } = modelWithCommunes(5);
    // The communes, their district (a unit with figures of its own and children), a sibling district.
    const units = [...communes, DISTRICT, 'ubnd-tay-ho'];
    for (const seed of [11, 23, 37]) {
      const random = generator(seed);
      const store = storeFor(`parts-${seed}`);
      const deps = { model, store, now: () => NOW, log: memoryLogger() };
      const versions = new Map<string, number>();
      // Offers the store has seen, replayed later: an older one must change nothing.
      const seen: { nodeId: string; parentId: string | null; change: Parameters<FirestoreStore['updateNode']>[3] }[] =
        [];
      for (let step = 0; step < 8; step++) {
        const changed = random.shuffled(units).slice(0, 1 + random.int(3));
        for (const unitId of changed) {
          const version = (versions.get(unitId) ?? 0) + 1;
          versions.set(unitId, version);
          await store.submissionRef(SO_KET, unitId).set(submission(model, unitId, version, randomTotals(random)));
        }
        // Each event one to three times, in a shuffled order, half of the steps concurrently.
        const events = random.shuffled(changed.flatMap((u) => Array.from({ length: 1 + random.int(3) }, () => u)));
        if (random.next() < 0.5) await Promise.all(events.map((u) => aggregateSubmission(deps, SO_KET, u)));
        else for (const unitId of events) await aggregateSubmission(deps, SO_KET, unitId);
        // Stale offers at the store: an older child entry or older own totals lose.
        for (const old of random.shuffled(seen).slice(0, 3)) {
          const before = await store.aggregate(SO_KET, old.nodeId);
          const update = await store.updateNode(SO_KET, old.nodeId, old.parentId, old.change, NOW);
          if (!update.changed)
            expect(await store.aggregate(SO_KET, old.nodeId), `seed ${seed}, step ${step}: stale offer`).toEqual(
              before,
            );
        }
        await expectNodesMatchSources(model, store, `seed ${seed}, step ${step}`);
        for (const storedNode of await store.aggregatesOfRound(SO_KET)) {
          seen.push({
            nodeId: storedNode.nodeId,
            parentId: storedNode.parentId,
            change: { own: storedNode.own, ownSeq: storedNode.ownSeq },
          });
          if (storedNode.parentId)
            seen.push({
              nodeId: storedNode.parentId,
              parentId: model.unit(storedNode.parentId).parent,
              change: {
                childId: storedNode.nodeId,
                totals: storedNode.totals,
                seq: storedNode.seq,
                contributors: storedNode.contributors,
              },
            });
        }
      }
      // The scheduled reconcile, recomputing everything, finds nothing to repair.
      expect((await reconcileRound(deps, SO_KET)).repaired, `seed ${seed}`).toEqual([]);
    }
  }, 240_000);

  it('a node deleted by hand is rebuilt by the next events: parts left from before count in no node', async () => {
    const { model, communes } = modelWithCommunes(3);
    const store = storeFor('epoch');
    const deps = { model, store, now: () => NOW, log: memoryLogger() };
    const random = generator(5);
    for (const unitId of communes) {
      await store.submissionRef(SO_KET, unitId).set(submission(model, unitId, 1, randomTotals(random)));
      await aggregateSubmission(deps, SO_KET, unitId);
    }
    await store.aggregateRef(SO_KET, DISTRICT).delete();
    // The parts are still there, at the sequence numbers the events offer again.
    expect((await store.aggregatePartsOf(SO_KET, DISTRICT)).length).toBe(3);
    for (const unitId of communes) await aggregateSubmission(deps, SO_KET, unitId);
    await expectNodesMatchSources(model, store, 'rebuilt');
    expect((await store.aggregate(SO_KET, DISTRICT))!.contributors).toBe(3);
  });
});

describe('the size of aggregate documents', () => {
  /** Canonical JSON length of the largest aggregate node and part of a district with `n` communes, built by the reconcile. */
  async function largestAt(communeCount: number) {
    const { model, communes } = modelWithCommunes(communeCount);
    const store = storeFor(`size-${communeCount}`);
    // Every commune files the 2020 campaign's real tables: all of their indicators hold a number.
    for (let i = 0; i < communes.length; i += 300) {
      const batch = db.batch();
      for (const [offset, id] of communes.slice(i, i + 300).entries()) {
        const totals = commitInputFor(model, id, SO_KET, { sourceVersion: 1, now: NOW }).candidate!.totals;
        for (const byCode of Object.values(totals))
          for (const code of Object.keys(byCode))
            if (byCode[code] !== null) byCode[code] = byCode[code]! * (1 + ((i + offset) % 7)) + 0.125;
        batch.set(store.submissionRef(SO_KET, id), submission(model, id, 1, totals));
      }
      await batch.commit();
    }
    const built = await reconcileRound({ model, store, now: () => NOW, log: memoryLogger() }, SO_KET);
    expect(built.repaired).toContain(DISTRICT);
    await expectNodesMatchSources(model, store, `${communeCount} communes`);
    const size = (x: unknown) => canonicalJson(x).length;
    const nodes: AggregateRecord[] = await store.aggregatesOfRound(SO_KET);
    const parts = await store.aggregatePartsOfRound(SO_KET);
    expect(parts.filter((p) => p.nodeId === DISTRICT)).toHaveLength(communeCount);
    return { model, store, node: Math.max(...nodes.map(size)), part: Math.max(...parts.map(size)) };
  }

  it('does not grow with the number of children: 30, 366 and 900 communes under one district', async () => {
    const small = await largestAt(30);
    const large = await largestAt(366);
    const huge = await largestAt(900);
    console.info(
      `largest aggregate node: ${small.node} B at 30 children, ${large.node} B at 366, ${huge.node} B at 900; largest part ${small.part} / ${large.part} / ${huge.part} B`,
    );
    // The bound: a node holds own totals, totals and the ledger, per indicator; a part one
    // child's totals. At the 2020 campaign's 37 indicators, a few KB whatever the children.
    expect(huge.node).toBeLessThan(6144);
    expect(huge.part).toBeLessThan(2048);
    // Numbers grow by a digit or two with the children; nothing grows per child.
    expect(large.node - small.node).toBeLessThan(256);
    expect(huge.node - small.node).toBeLessThan(320);
    expect(huge.part - small.part).toBeLessThan(128);

    // And the event path goes on from the nodes the reconcile built in several transactions.
    const { model, store } = huge;
    const target = 'xa-900-ba-dinh';
    const previous = (await store.submission(SO_KET, target))!;
    const bumped = structuredClone(previous.totals);
    bumped.bang1!['tuyen_truyen.dai_chung'] = (bumped.bang1!['tuyen_truyen.dai_chung'] ?? 0) + 7;
    await store.submissionRef(SO_KET, target).set({ ...previous, versionCount: 2, totals: bumped });
    const before = (await store.aggregate(SO_KET, DISTRICT))!.totals.bang1!['tuyen_truyen.dai_chung']!;
    expect(
      (await aggregateSubmission({ model, store, now: () => NOW, log: memoryLogger() }, SO_KET, target)).updated,
    ).toEqual([target, DISTRICT, 'ha-noi', 'bca']);
    expect((await store.aggregate(SO_KET, DISTRICT))!.totals.bang1!['tuyen_truyen.dai_chung']).toBe(
      roundFigure(before + 7),
    );
    await expectNodesMatchSources(model, store, '900 communes, one more version');
  }, 300_000);
});

describe('a node stored before parts existed', () => {
  it('(a children map, no epoch nor ledger) is rewritten by the reconcile, and the event path goes on from it', async () => {
    const { model, communes } = modelWithCommunes(2);
    const store = storeFor('legacy');
    const deps = { model, store, now: () => NOW, log: memoryLogger() };
    const random = generator(9);
    const subs = communes.map((u) => submission(model, u, 1, randomTotals(random)));
    for (const record of subs) await store.submissionRef(SO_KET, record.unitId).set(record);
    const owns = subs.map((s) => totalsFromSubmission(s.totals));
    const legacy = (nodeId: string, parentId: string | null, children: Record<string, NodeTotals>) => ({
      nodeId,
      roundId: SO_KET,
      parentId,
      own: null,
      ownSeq: 0,
      children: Object.fromEntries(
        Object.entries(children).map(([id, totals]) => [id, { totals, seq: 1, contributors: 1 }]),
      ),
      totals: computeAllNodes(model, new Map(subs.map((s, i) => [s.unitId, owns[i]!]))).get(nodeId)!.totals,
      contributors: subs.length,
      seq: 1,
      updatedAt: NOW,
    });
    // The district's old document holds its communes' totals in a `children` map.
    await store
      .aggregateRef(SO_KET, DISTRICT)
      .set(legacy(DISTRICT, 'ha-noi', Object.fromEntries(communes.map((u, i) => [u, owns[i]!]))));
    const result = await reconcileRound(deps, SO_KET);
    expect(result.repaired).toContain(DISTRICT);
    const district = (await store.aggregate(SO_KET, DISTRICT))! as AggregateRecord & { children?: unknown };
    expect(district.children).toBeUndefined();
    expect(district.epoch).toEqual(expect.any(String));
    await expectNodesMatchSources(model, store, 'migrated');
    // A new version of one commune is then applied as a delta to the migrated node.
    await store.submissionRef(SO_KET, communes[0]!).set(submission(model, communes[0]!, 2, randomTotals(random)));
    await aggregateSubmission(deps, SO_KET, communes[0]!);
    await expectNodesMatchSources(model, store, 'after the migration');
  });
});
