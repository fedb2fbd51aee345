import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { cloudEvent } from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { Timestamp } from '@google-cloud/firestore';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { decodeDocumentWrittenEvent } from '../../functions/handlers/firestore-event.js';
import type { DecodedDocumentWrittenEvent } from '../../functions/handlers/firestore-event.js';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { startLocalFirestore, type LocalFirestore } from '../../scripts/local-stack/local-firestore.js';
import { startFirestoreTriggerBridge } from '../../scripts/local-stack/firestore-trigger-bridge.js';
import type {
  BridgeDelivery,
  BridgeFailure,
  FirestoreTriggerBridge,
  FirestoreTriggerBridgeOptions,
} from '../../scripts/local-stack/firestore-trigger-bridge.js';

const PROJECT_ID = 'demo-bridge';

interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Recorder {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** An HTTP endpoint that records every request and answers with `statusFor(requestIndex)`. */
async function startRecorder(statusFor: (index: number) => number = () => 204): Promise<Recorder> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ method: request.method ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.statusCode = statusFor(index);
      response.end(response.statusCode >= 400 ? 'simulated failure' : '');
    });
  });
  return { url: await listen(server), received, close: () => close(server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

let emulator: LocalFirestore;
let db: Firestore;
let collectionCounter = 0;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  // The run's emulator (Google's where installed), in a project of this suite's own.
  emulator = await startLocalFirestore({ projectId: PROJECT_ID });
  db = createEmulatorClient(emulator.host, emulator.projectId);
});

afterAll(async () => {
  await db.terminate();
  await emulator.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Each test watches its own collection, so events from other tests never leak in. */
function freshCollection(): string {
  collectionCounter += 1;
  return `submissions_${collectionCounter}`;
}

async function bridgeTo(
  targetUrl: string,
  collection: string,
  extra: Partial<FirestoreTriggerBridgeOptions> = {},
): Promise<FirestoreTriggerBridge> {
  const bridge = await startFirestoreTriggerBridge({
    firestore: db,
    collection,
    targetUrl,
    projectId: emulator.projectId,
    retry: { attempts: 3, baseDelayMs: 10 },
    ...extra,
  });
  cleanups.push(() => bridge.stop());
  return bridge;
}

async function recorder(statusFor?: (index: number) => number): Promise<Recorder> {
  const started = await startRecorder(statusFor);
  cleanups.push(() => started.close());
  return started;
}

describe('startFirestoreTriggerBridge', () => {
  it('posts create, update and delete as binary-mode CloudEvents carrying DocumentEventData', async () => {
    const target = await recorder();
    const collection = freshCollection();
    const bridge = await bridgeTo(target.url, collection);
    const ref = db.collection(collection).doc('hoan-kiem');

    await ref.set({ unit: 'Hoàn Kiếm', rows: 12, submittedAt: Timestamp.fromMillis(1_700_000_000_000) });
    await bridge.idle();
    await ref.update({ rows: 13, 'counts.late': 2 });
    await bridge.idle();
    await ref.delete();
    await bridge.idle();

    expect(target.received).toHaveLength(3);
    const [created, updated, deleted] = target.received.map((request) => decodeDocumentWrittenEvent(request.body));

    for (const request of target.received) {
      expect(request.method).toBe('POST');
      expect(request.headers).toMatchObject({
        'content-type': 'application/protobuf',
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.firestore.document.v1.written',
        'ce-source': `//firestore.googleapis.com/projects/${emulator.projectId}/databases/(default)`,
        'ce-subject': `documents/${collection}/hoan-kiem`,
        'ce-document': `${collection}/hoan-kiem`,
        'ce-database': '(default)',
        'ce-project': emulator.projectId,
      });
      expect(request.headers['ce-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(String(request.headers['ce-time'])))).toBe(false);
    }
    expect(new Set(target.received.map((request) => request.headers['ce-id'])).size).toBe(3);

    expect(created).toMatchObject({
      documentPath: `${collection}/hoan-kiem`,
      fullName: `projects/${emulator.projectId}/databases/(default)/documents/${collection}/hoan-kiem`,
      value: { unit: 'Hoàn Kiếm', rows: 12, submittedAt: new Date(1_700_000_000_000) },
      oldValue: null,
      updateMask: [],
    });
    expect(created?.updateTime).toBeInstanceOf(Date);

    expect(updated?.value).toEqual({
      unit: 'Hoàn Kiếm',
      rows: 13,
      counts: { late: 2 },
      submittedAt: new Date(1_700_000_000_000),
    });
    expect(updated?.oldValue).toEqual({ unit: 'Hoàn Kiếm', rows: 12, submittedAt: new Date(1_700_000_000_000) });
    expect(updated?.updateMask).toEqual(['counts', 'rows']);

    expect(deleted).toMatchObject({
      documentPath: `${collection}/hoan-kiem`,
      value: null,
      oldValue: { unit: 'Hoàn Kiếm', rows: 13, counts: { late: 2 } },
    });
    expect(bridge.delivered).toBe(3);
  });

  it('feeds a functions-framework cloudEvent function that decodes the event', async () => {
    const seen: Array<{ event: CloudEvent<unknown>; decoded: DecodedDocumentWrittenEvent }> = [];
    let calls = 0;
    cloudEvent('bridgeTargetForTest', (event: CloudEvent<unknown>) => {
      calls += 1;
      // The first call fails as a crashing function would; Eventarc (and the bridge) retry it.
      if (calls === 1) throw new Error('simulated crash on first delivery');
      seen.push({ event, decoded: decodeDocumentWrittenEvent(event.data) });
    });
    const server = getTestServer('bridgeTargetForTest');
    const url = await listen(server);
    cleanups.push(() => close(server));

    const collection = freshCollection();
    const deliveries: BridgeDelivery[] = [];
    const bridge = await bridgeTo(url, collection, { onDelivered: (delivery) => deliveries.push(delivery) });
    const ref = db.collection(collection).doc('dong-da');
    await ref.set({ unit: 'Đống Đa', status: 'nháp', lines: [1, 2] });
    await bridge.idle();
    await ref.set({ unit: 'Đống Đa', status: 'đã nộp', lines: [1, 2, 3] });
    await bridge.idle();

    expect(calls).toBe(3);
    expect(deliveries.map((delivery) => [delivery.kind, delivery.attempts, delivery.status])).toEqual([
      ['create', 2, 204],
      ['update', 1, 204],
    ]);
    expect(seen).toHaveLength(2);
    const [created, updated] = seen;
    expect(created?.event.type).toBe('google.cloud.firestore.document.v1.written');
    expect(created?.event.subject).toBe(`documents/${collection}/dong-da`);
    expect(Buffer.isBuffer(created?.event.data)).toBe(true);
    expect(created?.decoded).toMatchObject({
      documentPath: `${collection}/dong-da`,
      value: { unit: 'Đống Đa', status: 'nháp', lines: [1, 2] },
      oldValue: null,
    });
    expect(updated?.decoded).toMatchObject({
      value: { unit: 'Đống Đa', status: 'đã nộp', lines: [1, 2, 3] },
      oldValue: { unit: 'Đống Đa', status: 'nháp', lines: [1, 2] },
      updateMask: ['lines', 'status'],
    });
  });

  it('retries a 500 with the same ce-id, then succeeds', async () => {
    const target = await recorder((index) => (index < 2 ? 500 : 200));
    const collection = freshCollection();
    const deliveries: BridgeDelivery[] = [];
    const bridge = await bridgeTo(target.url, collection, { onDelivered: (delivery) => deliveries.push(delivery) });
    await db.collection(collection).doc('tay-ho').set({ unit: 'Tây Hồ' });
    await bridge.idle();

    expect(target.received).toHaveLength(3);
    expect(new Set(target.received.map((request) => request.headers['ce-id'])).size).toBe(1);
    expect(target.received.map((request) => decodeDocumentWrittenEvent(request.body).value)).toEqual([
      { unit: 'Tây Hồ' },
      { unit: 'Tây Hồ' },
      { unit: 'Tây Hồ' },
    ]);
    expect(deliveries).toMatchObject([
      { kind: 'create', attempts: 3, status: 200, documentPath: `${collection}/tay-ho` },
    ]);
    expect(bridge.delivered).toBe(1);
    expect(bridge.failed).toBe(0);
  });

  it('reports an event through onError once the retries are spent, and goes on with the next', async () => {
    const target = await recorder((index) => (index < 3 ? 503 : 204));
    const collection = freshCollection();
    const failures: BridgeFailure[] = [];
    const bridge = await bridgeTo(target.url, collection, { onError: (failure) => failures.push(failure) });
    await db.collection(collection).doc('first').set({ n: 1 });
    await bridge.idle();
    await db.collection(collection).doc('second').set({ n: 2 });
    await bridge.idle();

    expect(failures).toHaveLength(1);
    const failure = failures[0];
    expect(failure?.stage).toBe('deliver');
    if (failure?.stage !== 'deliver') throw new Error('expected a delivery failure');
    expect(failure.event.documentPath).toBe(`${collection}/first`);
    expect(failure.attempts).toBe(3);
    expect(failure.status).toBe(503);
    expect(failure.error.message).toMatch(/answered 503: simulated failure/);
    expect(target.received.map((request) => decodeDocumentWrittenEvent(request.body).documentPath)).toEqual([
      `${collection}/first`,
      `${collection}/first`,
      `${collection}/first`,
      `${collection}/second`,
    ]);
    expect(bridge.failed).toBe(1);
    expect(bridge.delivered).toBe(1);
  });

  it('retries when nothing listens at the target', async () => {
    const unreachable = await startRecorder();
    await unreachable.close();
    const collection = freshCollection();
    const failures: BridgeFailure[] = [];
    const bridge = await bridgeTo(unreachable.url, collection, {
      retry: { attempts: 2, baseDelayMs: 5 },
      onError: (failure) => failures.push(failure),
    });
    await db.collection(collection).doc('x').set({ n: 1 });
    await bridge.idle();
    expect(failures).toMatchObject([{ stage: 'deliver', attempts: 2, event: { kind: 'create' } }]);
    expect(failures[0]?.error).toBeInstanceOf(Error);
  });

  it('skips documents that existed before it started unless skipInitial is false', async () => {
    const collection = freshCollection();
    await db.collection(collection).doc('existing').set({ v: 1 });

    const skipping = await recorder();
    const skippingBridge = await bridgeTo(skipping.url, collection);
    const replaying = await recorder();
    const replayingBridge = await bridgeTo(replaying.url, collection, { skipInitial: false });
    await replayingBridge.idle();
    expect(skipping.received).toHaveLength(0);
    expect(replaying.received.map((request) => decodeDocumentWrittenEvent(request.body))).toMatchObject([
      { documentPath: `${collection}/existing`, value: { v: 1 }, oldValue: null },
    ]);

    await db.collection(collection).doc('existing').update({ v: 2 });
    await skippingBridge.idle();
    await replayingBridge.idle();
    // The pre-existing version is still known, so the first update carries it as oldValue.
    expect(skipping.received.map((request) => decodeDocumentWrittenEvent(request.body))).toMatchObject([
      { value: { v: 2 }, oldValue: { v: 1 } },
    ]);
    expect(replaying.received).toHaveLength(2);
  });

  it('duplicateRate 1 delivers every event twice with the same id and body', async () => {
    const target = await recorder();
    const collection = freshCollection();
    const bridge = await bridgeTo(target.url, collection, { duplicateRate: 1, seed: 7 });
    await db.collection(collection).doc('a').set({ n: 1 });
    await db.collection(collection).doc('b').set({ n: 2 });
    await bridge.idle();

    expect(target.received).toHaveLength(4);
    const byId = new Map<string, Buffer[]>();
    for (const request of target.received) {
      const id = String(request.headers['ce-id']);
      byId.set(id, [...(byId.get(id) ?? []), request.body]);
    }
    expect(byId.size).toBe(2);
    for (const bodies of byId.values()) {
      expect(bodies).toHaveLength(2);
      expect(bodies[0]?.equals(bodies[1] ?? Buffer.alloc(0))).toBe(true);
    }
    const values = target.received.map((request) => decodeDocumentWrittenEvent(request.body).value);
    expect(values).toEqual(expect.arrayContaining([{ n: 1 }, { n: 1 }, { n: 2 }, { n: 2 }]));
    expect(bridge.delivered).toBe(4);
  });

  it('shuffleWindowMs delivers close events out of order, and idle() waits for held ones', async () => {
    const target = await recorder();
    const collection = freshCollection();
    const bridge = await bridgeTo(target.url, collection, { shuffleWindowMs: 300, seed: 42 });
    const ids = Array.from({ length: 8 }, (_, index) => `doc-${index}`);
    for (const [index, id] of ids.entries()) await db.collection(collection).doc(id).set({ index });
    await bridge.idle();

    const receivedIds = target.received.map(
      (request) => decodeDocumentWrittenEvent(request.body).documentPath.split('/')[1],
    );
    expect([...receivedIds].sort()).toEqual(ids);
    expect(receivedIds).not.toEqual(ids);
  });

  it('idle() waits for writes the listener has not reported yet', async () => {
    const target = await recorder();
    const collection = freshCollection();
    const bridge = await bridgeTo(target.url, collection);
    const batch = db.batch();
    for (let index = 0; index < 5; index += 1) batch.set(db.collection(collection).doc(`d${index}`), { index });
    await batch.commit();
    await bridge.idle();
    expect(
      target.received
        .map((request) => decodeDocumentWrittenEvent(request.body).value)
        .sort((a, b) => Number(a?.index) - Number(b?.index)),
    ).toEqual([0, 1, 2, 3, 4].map((index) => ({ index })));
  });

  it('keeps at most `concurrency` deliveries in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const paths: string[] = [];
    const server = createServer((request, response) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        paths.push(decodeDocumentWrittenEvent(Buffer.concat(chunks)).documentPath);
        setTimeout(() => {
          inFlight -= 1;
          response.end();
        }, 40);
      });
    });
    const url = await listen(server);
    cleanups.push(() => close(server));

    const collection = freshCollection();
    const sequential = await bridgeTo(url, collection);
    const batch = db.batch();
    for (let index = 0; index < 6; index += 1) batch.set(db.collection(collection).doc(`d${index}`), { index });
    await batch.commit();
    await sequential.idle();
    expect(mostInFlight).toBe(1);
    await sequential.stop();

    mostInFlight = 0;
    paths.length = 0;
    const parallel = await bridgeTo(url, collection, { concurrency: 3 });
    const more = db.batch();
    for (let index = 6; index < 12; index += 1) more.set(db.collection(collection).doc(`d${index}`), { index });
    await more.commit();
    await parallel.idle();
    expect(mostInFlight).toBe(3);
    expect([...paths].sort()).toEqual([6, 7, 8, 9, 10, 11].map((index) => `${collection}/d${index}`).sort());
  });

  it('delivers nothing after stop()', async () => {
    const target = await recorder();
    const collection = freshCollection();
    const bridge = await bridgeTo(target.url, collection);
    await bridge.stop();
    await db.collection(collection).doc('late').set({ n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await bridge.idle();
    expect(target.received).toHaveLength(0);
  });
});
