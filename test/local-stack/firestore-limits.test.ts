/**
 * Firestore's documented limits and refusals that the code relies on, shown on Google's own
 * emulator with the real client: update preconditions, no 500-write limit per commit any more,
 * 1 MiB per document, create() refusing an existing document. (A commit over 10 MiB is not
 * refused by the emulator 1.19.9: the call hangs; the code never sends one.) The in-process stand-in ignores
 * preconditions and the size limits, so this suite runs only where Google's emulator does.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';

const official = inject('firestoreKind') === 'official';
/** gRPC status codes the client surfaces as `code`. */
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const INVALID_ARGUMENT = 3;

let firestore: LocalFirestore;
let db: Firestore;

beforeAll(async () => {
  if (!official) return;
  firestore = await startLocalFirestore({ projectId: 'demo-limits' });
  db = createEmulatorClient(firestore.host, firestore.projectId);
});
afterAll(async () => {
  await db?.terminate();
  await firestore?.stop();
});

const doc = () => db.collection('limits').doc(randomUUID());

describe.runIf(official)("Google's Firestore emulator refuses what Firestore refuses", () => {
  it('an update whose lastUpdateTime precondition is stale fails with FAILED_PRECONDITION', async () => {
    const ref = doc();
    const first = await ref.set({ n: 1 });
    await ref.update({ n: 2 });
    await expect(ref.update({ n: 3 }, { lastUpdateTime: first.writeTime })).rejects.toMatchObject({
      code: FAILED_PRECONDITION,
    });
    expect((await ref.get()).get('n')).toBe(2);
  });

  it('a commit of more than 500 writes is accepted: Firestore dropped that limit', async () => {
    const many = db.batch();
    for (const ref of Array.from({ length: 600 }, doc)) many.set(ref, { n: 1 });
    await expect(many.commit()).resolves.toHaveLength(600);
  });

  it('a document over 1 MiB is refused with INVALID_ARGUMENT', async () => {
    const ref = doc();
    await expect(ref.set({ text: 'x'.repeat(1_048_577) })).rejects.toMatchObject({ code: INVALID_ARGUMENT });
    expect((await ref.get()).exists).toBe(false);
    await expect(ref.set({ text: 'x'.repeat(1_000_000) })).resolves.toBeDefined();
  });

  it('create() of an existing document fails with ALREADY_EXISTS and leaves it unchanged', async () => {
    const ref = doc();
    await ref.create({ claimedBy: 'first' });
    await expect(ref.create({ claimedBy: 'second' })).rejects.toMatchObject({ code: ALREADY_EXISTS });
    expect((await ref.get()).get('claimedBy')).toBe('first');
  });
});
