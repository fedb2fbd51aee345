import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { acceptsConnection } from '../helpers/net.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DocumentReference, FieldValue, GeoPoint, Timestamp } from '@google-cloud/firestore';
import type { Firestore } from '@google-cloud/firestore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createEmulatorClient, startFirestoreEmulator } from '../../scripts/local-stack/firestore-emulator.js';
import type { ExportedState, FirestoreEmulator } from '../../scripts/local-stack/firestore-emulator.js';

const PROJECT_ID = 'demo-persist';

let workDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'firestore-emulator-test-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(workDir, { recursive: true, force: true });
});

async function start(stateFile?: string): Promise<FirestoreEmulator> {
  const emulator = await startFirestoreEmulator({ projectId: PROJECT_ID, ...(stateFile ? { stateFile } : {}) });
  let stopped = false;
  const stop = emulator.stop;
  emulator.stop = async () => {
    stopped = true;
    await stop();
  };
  cleanups.push(async () => {
    if (!stopped) await stop();
  });
  return emulator;
}

function clientOf(emulator: FirestoreEmulator): Firestore {
  const client = createEmulatorClient(emulator.host, emulator.projectId);
  cleanups.push(() => client.terminate());
  return client;
}

/** References compare by path: each one holds its own client. */
function withReferencePaths(value: unknown): unknown {
  if (value instanceof DocumentReference) return { reference: value.path };
  if (Array.isArray(value)) return value.map(withReferencePaths);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withReferencePaths(item)]));
  }
  return value;
}

/** The saved state minus what legitimately changes between two saves. */
function comparableState(text: string): unknown {
  const state = JSON.parse(text) as ExportedState;
  return JSON.parse(
    JSON.stringify(state.projects, (key, value: unknown) =>
      key === 'createTime' || key === 'updateTime' ? undefined : value,
    ),
  ) as unknown;
}

describe('startFirestoreEmulator', () => {
  it('listens on a random loopback port that a real client reads and writes through', async () => {
    const emulator = await start();
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.host).toBe(`127.0.0.1:${emulator.port}`);
    expect(emulator.projectId).toBe(PROJECT_ID);

    const writer = clientOf(emulator);
    await writer.doc('campaigns/c-2020').set({ title: 'Rà soát Quyết định 521', year: 2020 });

    const reader = clientOf(emulator);
    const snapshot = await reader.doc('campaigns/c-2020').get();
    expect(snapshot.exists).toBe(true);
    expect(snapshot.data()).toEqual({ title: 'Rà soát Quyết định 521', year: 2020 });
  });

  it('binds 127.0.0.1 only, not every interface as FirestoreServer#start does', async () => {
    const emulator = await start();
    expect(await acceptsConnection('127.0.0.1', emulator.port)).toBe(true);
    // Linux routes all of 127/8 to lo: a 0.0.0.0 listener would accept on 127.0.0.2 too.
    expect(await acceptsConnection('127.0.0.2', emulator.port)).toBe(false);
  });

  it('gives two emulators separate state', async () => {
    const first = await start();
    const second = await start();
    expect(second.port).not.toBe(first.port);
    await clientOf(first).doc('units/ba-dinh').set({ name: 'Ba Đình' });
    expect((await clientOf(second).doc('units/ba-dinh').get()).exists).toBe(false);
  });

  it('does not change FIRESTORE_EMULATOR_HOST', async () => {
    const before = process.env.FIRESTORE_EMULATOR_HOST;
    await start();
    expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(before);
  });

  it('restores every field type, subcollections and empty documents from the state file', async () => {
    const stateFile = join(workDir, 'state', 'firestore.json');
    const first = await start(stateFile);
    const db = clientOf(first);

    const submittedAt = new Timestamp(1_700_000_000, 123_456_789);
    await db.doc('submissions/s1').set({
      unit: 'Phường Hàng Bạc – Hoàn Kiếm',
      rowCount: 42,
      negative: -7,
      largestSafe: Number.MAX_SAFE_INTEGER,
      ratio: 0.375,
      notANumber: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      accepted: true,
      reviewer: null,
      submittedAt,
      location: new GeoPoint(21.0285, 105.8542),
      campaign: db.doc('campaigns/c-2020'),
      checksum: Buffer.from([0, 1, 2, 254, 255]),
      counts: { late: 3, onTime: 17, nested: { deeper: ['a', 1, { x: true }] } },
      tags: ['nhắc nhở', 2, 2.5, null, new Timestamp(1_600_000_000, 0)],
      emptyMap: {},
      emptyList: [],
    });
    // increment by a double twice yields the double 3.0, which a plain set() would turn into an integer.
    await db.doc('submissions/s1').update({ score: FieldValue.increment(1.5) });
    await db.doc('submissions/s1').update({ score: FieldValue.increment(1.5) });
    await db.doc('submissions/s1/revisions/r1').set({ note: 'sửa dòng 12', at: submittedAt });
    await db.doc('submissions/empty').set({});
    // A subcollection under a parent that was never written: the parent must stay missing.
    await db.doc('orphans/never-written/children/c1').set({ n: 1 });

    const expectedS1 = (await db.doc('submissions/s1').get()).data();
    expect(await db.collection('submissions').where('score', '==', 3).get()).toHaveProperty('size', 0);

    await first.stop();
    const savedOnce = await readFile(stateFile, 'utf8');
    expect(await readdir(join(workDir, 'state'))).toEqual(['firestore.json']);

    const second = await start(stateFile);
    const restored = clientOf(second);
    const snapshot = await restored.doc('submissions/s1').get();
    expect(withReferencePaths(snapshot.data())).toEqual(withReferencePaths(expectedS1));
    const data = snapshot.data() ?? {};
    expect(data.unit).toBe('Phường Hàng Bạc – Hoàn Kiếm');
    expect(data.largestSafe).toBe(Number.MAX_SAFE_INTEGER);
    expect(data.notANumber).toBeNaN();
    expect(data.infinite).toBe(Number.POSITIVE_INFINITY);
    expect(data.submittedAt).toBeInstanceOf(Timestamp);
    expect((data.submittedAt as Timestamp).isEqual(submittedAt)).toBe(true);
    expect(data.location).toBeInstanceOf(GeoPoint);
    expect((data.campaign as { path: string }).path).toBe('campaigns/c-2020');
    expect(Buffer.from(data.checksum as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 254, 255]));
    expect(data.score).toBe(3);
    // Still a double: an integer query does not match it (the emulator compares types strictly).
    expect((await restored.collection('submissions').where('score', '==', 3).get()).size).toBe(0);
    expect((await restored.collection('submissions').where('rowCount', '==', 42).get()).docs.map((d) => d.id)).toEqual([
      's1',
    ]);

    const revision = await restored.doc('submissions/s1/revisions/r1').get();
    expect(revision.data()?.note).toBe('sửa dòng 12');
    expect((revision.data()?.at as Timestamp).isEqual(submittedAt)).toBe(true);
    const empty = await restored.doc('submissions/empty').get();
    expect(empty.exists).toBe(true);
    expect(empty.data()).toEqual({});
    expect((await restored.doc('orphans/never-written').get()).exists).toBe(false);
    expect((await restored.doc('orphans/never-written/children/c1').get()).data()).toEqual({ n: 1 });

    await second.save();
    expect(comparableState(await readFile(stateFile, 'utf8'))).toEqual(comparableState(savedOnce));
  });

  it('starts empty when the state file does not exist yet, and stop() creates it', async () => {
    const stateFile = join(workDir, 'fresh.json');
    const emulator = await start(stateFile);
    await clientOf(emulator).doc('campaigns/c1').set({ open: true });
    await emulator.stop();
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as ExportedState;
    const document = saved.projects[PROJECT_ID]?.databases['(default)']?.collections.campaigns?.documents.c1;
    expect(document?.fields).toEqual({ open: { type: 'boolean_value', value: true } });
    expect(document?.exists).toBe(true);
  });

  it('also reads a bare FirestoreState#toJSON() export written with JSON.stringify', async () => {
    const stateFile = join(workDir, 'raw-export.json');
    const path = (tail: string): string => `projects/${PROJECT_ID}/databases/(default)/documents/${tail}`;
    const rawExport = {
      projects: {
        [PROJECT_ID]: {
          path: `projects/${PROJECT_ID}`,
          databases: {
            '(default)': {
              path: `projects/${PROJECT_ID}/databases/(default)/documents`,
              collections: {
                files: {
                  path: path('files'),
                  documents: {
                    f1: {
                      path: path('files/f1'),
                      collections: {},
                      fields: {
                        // How JSON.stringify writes a Uint8Array and NaN.
                        bytes: { type: 'bytes_value', value: { '0': 104, '1': 105 } },
                        missing: { type: 'double_value', value: null },
                        when: { type: 'timestamp_value', value: { seconds: 1_700_000_000, nanos: 5_000_000 } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    await writeFile(stateFile, JSON.stringify(rawExport));
    const emulator = await start(stateFile);
    const data = (await clientOf(emulator).doc('files/f1').get()).data() ?? {};
    expect(Buffer.from(data.bytes as Uint8Array).toString()).toBe('hi');
    expect(data.missing).toBeNaN();
    expect((data.when as Timestamp).toMillis()).toBe(1_700_000_000_005);
  });

  it('refuses a state file that is not an export', async () => {
    const stateFile = join(workDir, 'broken.json');
    await writeFile(stateFile, '{"documents": []}');
    await expect(startFirestoreEmulator({ stateFile })).rejects.toThrow(/no "projects" object/);
  });
});
