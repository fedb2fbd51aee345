/**
 * Local stand-in for Eventarc's Firestore `document.written` trigger: watches one collection
 * with `onSnapshot` and POSTs each change to a function as a binary-mode CloudEvent whose
 * body is a protobuf `DocumentEventData`, as production delivers it.
 *
 * What it cannot reproduce: a listener sees snapshots, not writes, so several writes landing
 * between two snapshots arrive as one event, and a rewrite that keeps the emulator's
 * millisecond updateTime is not seen at all. Integral doubles (e.g. 3.0) are sent as
 * integerValue because they are rebuilt from `data()`, where 3.0 and 3 are the same number.
 * Switches (`duplicateRate`, `shuffleWindowMs`) add the duplicates and reordering that
 * Eventarc's at-least-once, unordered delivery produces, so handlers can be tested for them.
 */
import { randomUUID } from 'node:crypto';

import { DocumentReference, GeoPoint, Timestamp, VectorValue } from '@google-cloud/firestore';
import type { DocumentData, DocumentSnapshot, Firestore, QuerySnapshot } from '@google-cloud/firestore';
import { google } from '@skunkteam/google-cloudevents-firestore';
import { seededRandom } from './seeded-random.js';

const eventsV1 = google.events.cloud.firestore.v1;
type EventValue = google.events.cloud.firestore.v1.IValue;
type EventDocument = google.events.cloud.firestore.v1.IDocument;

export const DOCUMENT_WRITTEN_EVENT_TYPE = 'google.cloud.firestore.document.v1.written';
const DATA_SCHEMA =
  'https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto';
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_RETRY_DELAY_MS = 10_000;
const FIRST_SNAPSHOT_TIMEOUT_MS = 15_000;
const CATCH_UP_POLL_MS = 20;

export interface FirestoreTriggerBridgeOptions {
  firestore: Firestore;
  /** Collection path watched, e.g. 'submissions' (a subcollection path works too). */
  collection: string;
  /** URL of the function, e.g. a functions-framework server. */
  targetUrl: string;
  projectId: string;
  /** Defaults to '(default)'. */
  database?: string;
  /** Documents already present when the bridge starts produce no events (default true). */
  skipInitial?: boolean;
  onDelivered?(delivery: BridgeDelivery): void;
  onError?(failure: BridgeFailure): void;
  /** Deliveries in flight at once; 1 (default) delivers one after another. */
  concurrency?: number;
  /** attempts = total tries per event, first one included; delay doubles from baseDelayMs. */
  retry?: { attempts: number; baseDelayMs: number };
  /** Probability (0..1) that an event is delivered a second time with the same ce-id. */
  duplicateRate?: number;
  /** Each delivery is held back a random 0..shuffleWindowMs, which reorders close events. */
  shuffleWindowMs?: number;
  /** Makes duplicate and shuffle choices repeatable. */
  seed?: number;
}

export type BridgeChangeKind = 'create' | 'update' | 'delete';

export interface BridgeEvent {
  /** ce-id; a simulated duplicate carries the same id as its original, as Eventarc's do. */
  id: string;
  kind: BridgeChangeKind;
  /** Relative document path, e.g. 'submissions/abc'. */
  documentPath: string;
  subject: string;
  time: string;
  /** 1 for the original delivery, 2 for a simulated duplicate. */
  copy: number;
}

export interface BridgeDelivery extends BridgeEvent {
  attempts: number;
  status: number;
}

export type BridgeFailure =
  | { stage: 'deliver'; event: BridgeEvent; attempts: number; status?: number; error: Error }
  | { stage: 'listen'; error: Error };

export interface FirestoreTriggerBridge {
  stop(): Promise<void>;
  /**
   * Resolves once the listener has seen every committed write to the collection and nothing
   * is held, queued, in flight or waiting for a retry. Rejects if the listener failed.
   */
  idle(): Promise<void>;
  /** Successful deliveries, duplicates included. */
  readonly delivered: number;
  /** Events given up on after the last retry. */
  readonly failed: number;
}

interface PendingDelivery {
  event: BridgeEvent;
  headers: Record<string, string>;
  body: Uint8Array;
}

export async function startFirestoreTriggerBridge(
  opts: FirestoreTriggerBridgeOptions,
): Promise<FirestoreTriggerBridge> {
  const database = opts.database ?? '(default)';
  const skipInitial = opts.skipInitial ?? true;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const maxAttempts = Math.max(1, Math.floor(opts.retry?.attempts ?? 5));
  const baseDelayMs = Math.max(0, opts.retry?.baseDelayMs ?? 200);
  const duplicateRate = Math.min(1, Math.max(0, opts.duplicateRate ?? 0));
  const shuffleWindowMs = Math.max(0, opts.shuffleWindowMs ?? 0);
  const random = opts.seed === undefined ? Math.random : seededRandom(opts.seed);
  const databaseName = `projects/${opts.projectId}/databases/${database}`;
  const source = `//firestore.googleapis.com/${databaseName}`;
  const collectionRef = opts.firestore.collection(opts.collection);

  const lastSeen = new Map<string, DocumentSnapshot>();
  const heldBack = new Set<NodeJS.Timeout>();
  const queue: PendingDelivery[] = [];
  const stopController = new AbortController();
  let inFlight = 0;
  let delivered = 0;
  let failed = 0;
  let stopped = false;
  let listenerError: Error | null = null;
  let drainWaiters: Array<() => void> = [];

  const report = (failure: BridgeFailure): void => {
    callSafely(() => opts.onError?.(failure));
  };

  const isDrained = (): boolean => queue.length === 0 && inFlight === 0 && heldBack.size === 0;

  const notifyIfDrained = (): void => {
    if (!isDrained() && !stopped) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pump = (): void => {
    while (!stopped && inFlight < concurrency && queue.length > 0) {
      const next = queue.shift();
      if (!next) break;
      inFlight += 1;
      void deliver(next).finally(() => {
        inFlight -= 1;
        pump();
        notifyIfDrained();
      });
    }
    notifyIfDrained();
  };

  const deliver = async (pending: PendingDelivery): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      let status: number | undefined;
      let error: Error;
      try {
        const response = await fetch(opts.targetUrl, {
          method: 'POST',
          headers: pending.headers,
          body: pending.body,
          signal: AbortSignal.any([stopController.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        status = response.status;
        const answer = await response.text();
        if (response.ok) {
          delivered += 1;
          callSafely(() => opts.onDelivered?.({ ...pending.event, attempts: attempt, status: response.status }));
          return;
        }
        error = new Error(`${opts.targetUrl} answered ${response.status}: ${answer.slice(0, 300)}`);
      } catch (caught) {
        if (stopped) return;
        error = caught instanceof Error ? caught : new Error(String(caught));
      }
      if (attempt >= maxAttempts) {
        failed += 1;
        report({
          stage: 'deliver',
          event: pending.event,
          attempts: attempt,
          ...(status === undefined ? {} : { status }),
          error,
        });
        return;
      }
      await sleep(Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** (attempt - 1)), stopController.signal);
      if (stopped) return;
    }
  };

  const schedule = (pending: PendingDelivery): void => {
    const copies = random() < duplicateRate ? 2 : 1;
    for (let copy = 1; copy <= copies; copy += 1) {
      const delivery = copy === 1 ? pending : { ...pending, event: { ...pending.event, copy } };
      if (shuffleWindowMs === 0) {
        queue.push(delivery);
        continue;
      }
      const timer = setTimeout(
        () => {
          heldBack.delete(timer);
          if (stopped) return;
          queue.push(delivery);
          pump();
        },
        Math.floor(random() * shuffleWindowMs),
      );
      heldBack.add(timer);
    }
    pump();
  };

  const buildDelivery = (
    before: DocumentSnapshot | undefined,
    after: DocumentSnapshot | undefined,
    eventTime: Timestamp,
  ): PendingDelivery => {
    const snapshot = after ?? before;
    if (!snapshot) throw new Error('a change needs a document before or after it');
    const documentPath = snapshot.ref.path;
    const kind: BridgeChangeKind = before && after ? 'update' : after ? 'create' : 'delete';
    const id = randomUUID();
    const subject = `documents/${documentPath}`;
    const time = eventTime.toDate().toISOString();
    const data = {
      ...(after ? { value: toEventDocument(after, databaseName) } : {}),
      ...(before ? { oldValue: toEventDocument(before, databaseName) } : {}),
      ...(before && after
        ? { updateMask: { fieldPaths: changedFieldPaths(before.data() ?? {}, after.data() ?? {}) } }
        : {}),
    };
    return {
      event: { id, kind, documentPath, subject, time, copy: 1 },
      headers: {
        'content-type': 'application/protobuf',
        'ce-id': id,
        'ce-specversion': '1.0',
        'ce-type': DOCUMENT_WRITTEN_EVENT_TYPE,
        'ce-source': source,
        'ce-subject': subject,
        'ce-time': time,
        'ce-dataschema': DATA_SCHEMA,
        // Firestore's extension attributes, so handlers may read them as in production.
        'ce-project': opts.projectId,
        'ce-database': database,
        'ce-namespace': '(default)',
        'ce-document': documentPath,
        'ce-location': 'local',
      },
      body: eventsV1.DocumentEventData.encode(data).finish(),
    };
  };

  let firstSnapshotSeen = false;
  let resolveFirstSnapshot: () => void = () => undefined;
  let rejectFirstSnapshot: (error: Error) => void = () => undefined;
  const firstSnapshot = new Promise<void>((resolve, reject) => {
    resolveFirstSnapshot = resolve;
    rejectFirstSnapshot = reject;
  });

  const onSnapshot = (snapshot: QuerySnapshot): void => {
    if (stopped) return;
    const initial = !firstSnapshotSeen;
    firstSnapshotSeen = true;
    for (const change of snapshot.docChanges()) {
      const id = change.doc.id;
      if (change.type === 'removed') {
        const before = lastSeen.get(id) ?? change.doc;
        lastSeen.delete(id);
        schedule(buildDelivery(before, undefined, snapshot.readTime));
        continue;
      }
      const before = change.type === 'modified' ? lastSeen.get(id) : undefined;
      lastSeen.set(id, change.doc);
      if (initial && skipInitial) continue;
      schedule(buildDelivery(before, change.doc, change.doc.updateTime));
    }
    if (initial) resolveFirstSnapshot();
  };

  const onListenError = (error: Error): void => {
    listenerError = error;
    rejectFirstSnapshot(error);
    report({ stage: 'listen', error });
  };

  const unsubscribe = collectionRef.onSnapshot(onSnapshot, onListenError);
  try {
    await withTimeout(firstSnapshot, FIRST_SNAPSHOT_TIMEOUT_MS, `no snapshot of ${opts.collection} arrived`);
  } catch (error) {
    unsubscribe();
    throw error;
  }

  /** Waits until the listener's view matches what a fresh read of the collection returns. */
  const catchUp = async (): Promise<void> => {
    for (;;) {
      if (listenerError) throw listenerError;
      if (stopped) return;
      const current = await collectionRef.get();
      const matches =
        current.size === lastSeen.size &&
        current.docs.every((doc) => lastSeen.get(doc.id)?.updateTime?.isEqual(doc.updateTime) === true);
      if (matches) return;
      await sleep(CATCH_UP_POLL_MS, stopController.signal);
    }
  };

  const drained = (): Promise<void> =>
    isDrained() || stopped ? Promise.resolve() : new Promise((resolve) => drainWaiters.push(resolve));

  return {
    get delivered() {
      return delivered;
    },
    get failed() {
      return failed;
    },
    async idle() {
      await catchUp();
      await drained();
      if (listenerError) throw listenerError;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      for (const timer of heldBack) clearTimeout(timer);
      heldBack.clear();
      queue.length = 0;
      stopController.abort();
      await new Promise<void>((resolve) => {
        const check = (): void => (inFlight === 0 ? resolve() : void setTimeout(check, 5));
        check();
      });
      notifyIfDrained();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Encoding documents as google.events.cloud.firestore.v1 messages

function toEventDocument(snapshot: DocumentSnapshot, databaseName: string): EventDocument {
  return {
    name: `${databaseName}/documents/${snapshot.ref.path}`,
    fields: toEventFields(snapshot.data() ?? {}, databaseName),
    ...(snapshot.createTime ? { createTime: toEventTimestamp(snapshot.createTime) } : {}),
    ...(snapshot.updateTime ? { updateTime: toEventTimestamp(snapshot.updateTime) } : {}),
  };
}

function toEventFields(data: DocumentData, databaseName: string): Record<string, EventValue> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, toEventValue(value, databaseName)]));
}

function toEventTimestamp(timestamp: Timestamp): { seconds: number; nanos: number } {
  return { seconds: timestamp.seconds, nanos: timestamp.nanoseconds };
}

/** The same mapping the Firestore client uses when writing a JS value. */
export function toEventValue(value: unknown, databaseName: string): EventValue {
  if (value === null || value === undefined) return { nullValue: google.protobuf.NullValue.NULL_VALUE };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? { integerValue: value } : { doubleValue: value };
  }
  // protobufjs turns a decimal string into an int64 exactly; its typings only mention number | Long.
  if (typeof value === 'bigint') return { integerValue: value.toString() as unknown as number };
  if (value instanceof Timestamp) return { timestampValue: toEventTimestamp(value) };
  if (value instanceof Date) return { timestampValue: toEventTimestamp(Timestamp.fromDate(value)) };
  if (value instanceof GeoPoint) return { geoPointValue: { latitude: value.latitude, longitude: value.longitude } };
  if (value instanceof DocumentReference) return { referenceValue: `${databaseName}/documents/${value.path}` };
  if (value instanceof Uint8Array) return { bytesValue: value };
  if (value instanceof VectorValue) {
    return {
      mapValue: {
        fields: {
          __type__: { stringValue: '__vector__' },
          value: { arrayValue: { values: value.toArray().map((item) => ({ doubleValue: item })) } },
        },
      },
    };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => toEventValue(item, databaseName)) } };
  if (typeof value === 'object') return { mapValue: { fields: toEventFields(value as DocumentData, databaseName) } };
  throw new Error(`cannot encode a ${typeof value} as a Firestore value`);
}

/**
 * Field paths whose values differ, descending into maps present on both sides, so a change
 * to `counts.late` is reported as `counts.late`. Production's exact granularity is not
 * documented; handlers should not depend on it beyond "this field changed".
 */
export function changedFieldPaths(before: DocumentData, after: DocumentData, prefix: string[] = []): string[] {
  const paths: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const path = [...prefix, key];
    const hadKey = Object.hasOwn(before, key);
    const hasKey = Object.hasOwn(after, key);
    const old = before[key];
    const current = after[key];
    if (hadKey && hasKey && isPlainMap(old) && isPlainMap(current)) {
      paths.push(...changedFieldPaths(old, current, path));
    } else if (!hadKey || !hasKey || !firestoreValuesEqual(old, current)) {
      paths.push(path.map(quoteFieldSegment).join('.'));
    }
  }
  return paths;
}

function quoteFieldSegment(segment: string): string {
  return /^[A-Za-z_][A-Za-z_0-9]*$/.test(segment) ? segment : `\`${segment.replace(/[\\`]/g, (char) => `\\${char}`)}\``;
}

function isPlainMap(value: unknown): value is DocumentData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function firestoreValuesEqual(left: unknown, right: unknown): boolean {
  if (typeof left === 'number' && typeof right === 'number') return Object.is(left, right) || left === right;
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (left instanceof Timestamp) return right instanceof Timestamp && left.isEqual(right);
  if (left instanceof GeoPoint) return right instanceof GeoPoint && left.isEqual(right);
  if (left instanceof DocumentReference) return right instanceof DocumentReference && left.path === right.path;
  if (left instanceof VectorValue) return right instanceof VectorValue && left.isEqual(right);
  if (left instanceof Uint8Array) return right instanceof Uint8Array && Buffer.from(left).equals(Buffer.from(right));
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => firestoreValuesEqual(item, right[index]))
    );
  }
  if (isPlainMap(left) && isPlainMap(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && firestoreValuesEqual(left[key], right[key]))
    );
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Small helpers

function sleep(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function withTimeout<T>(promise: Promise<T>, milliseconds: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${milliseconds} ms`)), milliseconds);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A throwing observer callback must not stop deliveries. */
function callSafely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    console.error('firestore-trigger-bridge: callback threw', error);
  }
}
