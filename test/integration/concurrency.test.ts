/**
 * What the code assumed of Firestore's transactions, shown on Google's emulator, which isolates
 * them as production does (the in-process stand-in does not: racing read-modify-write
 * transactions lose updates there, so this suite runs only on the official emulator).
 * Each race runs between separate clients, as between two instances of a function:
 *   - two deliveries of different versions of one sheet committed at once;
 *   - two sweeps claiming the same reminders at once;
 *   - sibling units aggregated into their parent at once.
 * Run on the stand-in (FIRESTORE_EMULATOR=inprocess with the runIf removed), the first and third
 * fail (a version overwritten, siblings missing from the parent); the claims hold there too,
 * because they rest on create-if-absent, not on transaction isolation.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FirestoreStore, versionId, type CommitInput } from '../../functions/adapters/firestore-store.js';
import type { Mailer, OutgoingMail } from '../../functions/adapters/smtp-mailer.js';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { memoryLogger } from '../helpers/memory-logger.js';
import { runSweep } from '../../functions/app/sweep.js';
import { sumTotals, totalsFromSubmission } from '../../functions/core/aggregate.js';
import { modelOf } from '../../functions/core/campaign-model.js';
import { loadCampaign } from '../../sheets-schema/index.js';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';
import { model, SECOND_CAMPAIGN_FILE, MAIN_PERIOD } from '../helpers/campaign.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import { commitInputFor, districtIds } from '../helpers/integration.js';

const official = inject('firestoreKind') === 'official';
const SO_KET = 'so-ket-2020';
const ON_TIME = Date.parse('2020-07-10T09:00:00+07:00');
/** Separate clients, as separate function instances have. */
const INSTANCES = 4;

let firestore: LocalFirestore;
let clients: Firestore[] = [];

beforeAll(async () => {
  if (!official) return;
  firestore = await startLocalFirestore({ projectId: 'demo-race' });
  clients = Array.from({ length: INSTANCES }, () => createEmulatorClient(firestore.host, firestore.projectId));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.terminate()));
  await firestore?.stop();
});

/** One store per instance over the same campaign namespace. */
function storesOf(namespace = `dua-${randomUUID().slice(0, 8)}`): FirestoreStore[] {
  return clients.map((db) => new FirestoreStore(db, namespace));
}

/** A unit's ready evaluation read at `sourceVersion`, its content made distinct by `marker`. */
function evaluation(unitId: string, sourceVersion: number, marker: number): CommitInput {
  const bang1 = figuresFor(model, unitId, SO_KET, 'bang1');
  bang1[MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 1_000 + marker;
  return commitInputFor(model, unitId, SO_KET, {
    sourceVersion,
    now: ON_TIME + marker,
    figures: { bang1, bang2: figuresFor(model, unitId, SO_KET, 'bang2') },
  });
}

describe.runIf(official)('on Google’s emulator, transactions serialise', () => {
  it('two deliveries of different versions of one sheet at once: the newer wins, every version is kept, none twice', async () => {
    const [firstStore, secondStore] = storesOf();
    const unit = 'ubnd-hoan-kiem';
    let expectedVersions = 0;
    for (let round = 1; round <= 6; round++) {
      const older = evaluation(unit, 2 * round, 2 * round);
      const newer = evaluation(unit, 2 * round + 1, 2 * round + 1);
      // Alternate which instance gets which version, and which is sent first.
      const [firstResult, secondResult] =
        round % 2
          ? await Promise.all([firstStore!.commitEvaluation(older), secondStore!.commitEvaluation(newer)])
          : await Promise.all([secondStore!.commitEvaluation(newer), firstStore!.commitEvaluation(older)]).then(
              ([n, o]) => [o, n] as const,
            );
      // The newer always commits (nothing newer exists); the older commits only if it got there first.
      expect(secondResult.outcome).toBe('committed');
      expectedVersions += firstResult.outcome === 'committed' ? 2 : 1;

      const state = await firstStore!.state(SO_KET, unit);
      expect(state?.seenVersion).toBe(2 * round + 1);
      const submission = await firstStore!.submission(SO_KET, unit);
      expect(submission?.contentHash).toBe(newer.candidate!.contentHash);
      expect(submission?.sourceVersion).toBe(2 * round + 1);
      expect(submission?.versionCount).toBe(expectedVersions);
      const versions = await firstStore!.versions(SO_KET, unit);
      expect(versions.map((v) => v.versionNo)).toEqual(Array.from({ length: expectedVersions }, (_, i) => i + 1));
      expect(versions.map((v) => v.versionId)).toEqual(versions.map((v) => versionId(v.versionNo)));
      // Each committed read is one version, in the order of the reads.
      const sources = versions.map((v) => v.sourceVersion);
      expect(sources).toEqual([...sources].sort((x, y) => x - y));
      expect(new Set(versions.map((v) => v.contentHash)).size).toBe(expectedVersions);
    }
  });

  it('two sweeps at once claim each reminder once: every message goes out exactly once', async () => {
    const second = modelOf(loadCampaign(SECOND_CAMPAIGN_FILE));
    const at = Date.parse('2025-03-30T08:00:00+07:00');
    for (let round = 0; round < 4; round++) {
      const sent: OutgoingMail[] = [];
      const mailer: Mailer = { send: async (m) => void sent.push(m), close: () => {} };
      const [firstStore, secondStore] = storesOf();
      const sweepOn = (store: FirestoreStore) =>
        runSweep({ model: second, store, mailer, now: () => at, log: memoryLogger() });
      const [one, two] = await Promise.all([sweepOn(firstStore!), sweepOn(secondStore!)]);
      const planned = one.emails.length;
      expect(planned).toBeGreaterThan(0);
      expect(one.sent.length + two.sent.length).toBe(planned);
      expect(one.alreadySent + two.alreadySent).toBe(planned);
      expect(sent).toHaveLength(planned);
      expect(new Set(sent.map((m) => m.messageId)).size).toBe(planned);
    }
  });

  it('sibling units aggregated at once: the parent holds every child and its totals are their sum', async () => {
    const stores = storesOf();
    const districts = districtIds().slice(0, 12);
    const log = memoryLogger();
    await Promise.all(
      districts.map((unitId, i) =>
        stores[i % INSTANCES]!.commitEvaluation(
          commitInputFor(model, unitId, SO_KET, { sourceVersion: 1, now: ON_TIME }),
        ),
      ),
    );
    await Promise.all(
      districts.map((unitId, i) =>
        aggregateSubmission({ model, store: stores[i % INSTANCES]!, now: () => ON_TIME, log }, SO_KET, unitId),
      ),
    );

    const store = stores[0]!;
    const owns = await Promise.all(
      districts.map(async (unitId) => totalsFromSubmission((await store.submission(SO_KET, unitId))!.totals)),
    );
    const parentId = model.unit(districts[0]!).parent!;
    const parent = await store.aggregate(SO_KET, parentId);
    expect((await store.aggregatePartsOf(SO_KET, parentId)).map((p) => p.childId).sort()).toEqual(
      [...districts].sort(),
    );
    expect(parent!.contributors).toBe(districts.length);
    expect(parent!.totals).toEqual(sumTotals(owns));
    // And one level up, the parent's entry carries the same sum.
    const grandparentId = model.unit(parentId).parent;
    if (grandparentId) {
      const entry = (await store.aggregatePartsOf(SO_KET, grandparentId)).find((p) => p.childId === parentId);
      expect(entry!.totals).toEqual(sumTotals(owns));
      expect(entry!.seq).toBe(parent!.seq);
    }
  });
});
