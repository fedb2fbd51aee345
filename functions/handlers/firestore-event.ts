/**
 * Turns the data of a Firestore `google.cloud.firestore.document.v1.written` CloudEvent into
 * plain JavaScript values, so handlers never touch protobuf types.
 *
 * Accepted input: what functions-framework hands a `cloudEvent` function in binary mode
 * (`ce.data` as a Buffer of protobuf `DocumentEventData`), an already decoded message, or a
 * JSON-mode object (`{ value: { name, fields }, oldValue, updateMask }`).
 *
 * Value conventions (the same whichever input form):
 * - integerValue → number when it is a safe integer (|n| ≤ 2^53 − 1), otherwise the exact
 *   decimal string, never a rounded number;
 * - doubleValue → number (NaN and ±Infinity included);
 * - timestampValue → Date (millisecond precision: sub-millisecond nanos are dropped);
 * - nullValue → null; booleanValue, stringValue → as is;
 * - mapValue → object, arrayValue → array, recursively;
 * - referenceValue → the document path relative to the database ('collection/id');
 * - bytesValue → Buffer; geoPointValue → { latitude, longitude }.
 */
import { createRequire } from 'node:module';

type EventMessages = typeof import('@skunkteam/google-cloudevents-firestore');
/**
 * The generated message classes and protobufjs, loaded on the first protobuf event (the package's
 * CommonJS build, so decoding stays synchronous): ~20 ms of a cold start that the HTTP functions
 * never need.
 */
let eventMessages: EventMessages | undefined;

export interface DecodedDocumentWrittenEvent {
  /** Path relative to the database, e.g. 'submissions/abc'. */
  documentPath: string;
  /** 'projects/P/databases/D/documents/submissions/abc'. */
  fullName: string;
  /** The document after the write; null when it was deleted. */
  value: Record<string, unknown> | null;
  /** The document before the write; null when it was created. */
  oldValue: Record<string, unknown> | null;
  /** Changed field paths, only given for updates (empty otherwise). */
  updateMask: string[];
  /** updateTime of the new version (null for a delete): lets a handler drop stale, reordered events. */
  updateTime: Date | null;
}

export type FirestoreFieldValue =
  | null
  | boolean
  | number
  | string
  | Date
  | Buffer
  | { latitude: number; longitude: number }
  | FirestoreFieldValue[]
  | { [field: string]: FirestoreFieldValue };

const VALUE_KINDS = [
  'nullValue',
  'booleanValue',
  'integerValue',
  'doubleValue',
  'timestampValue',
  'stringValue',
  'bytesValue',
  'referenceValue',
  'geoPointValue',
  'arrayValue',
  'mapValue',
] as const;
type ValueKind = (typeof VALUE_KINDS)[number];

interface DocumentLike {
  name?: unknown;
  fields?: unknown;
  updateTime?: unknown;
}

/**
 * The event's data cannot be read as a Firestore document event (garbage bytes, a protobuf of
 * another message, unparsable JSON, no document named). Decoding is deterministic, so a
 * redelivery fails the same way: handlers acknowledge such a poison event instead of having
 * Eventarc retry it for a day.
 */
export class UndecodableEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UndecodableEventError';
  }
}

/** Throws UndecodableEventError (and nothing else) when `data` is not a readable document event. */
export function decodeDocumentWrittenEvent(data: Buffer | Uint8Array | unknown): DecodedDocumentWrittenEvent {
  try {
    return decodeEvent(data);
  } catch (error) {
    if (error instanceof UndecodableEventError) throw error;
    throw new UndecodableEventError(`undecodable Firestore event data: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
}

function decodeEvent(data: unknown): DecodedDocumentWrittenEvent {
  const event = toEventObject(data);
  const value = documentOrNull(event.value);
  const oldValue = documentOrNull(event.oldValue);
  const fullName = nameOf(value) ?? nameOf(oldValue);
  if (fullName === undefined) {
    throw new UndecodableEventError('Firestore event data names no document: neither value nor oldValue is set');
  }
  const maskPaths = isRecord(event.updateMask) ? event.updateMask.fieldPaths : undefined;
  return {
    documentPath: relativeDocumentPath(fullName),
    fullName,
    value: value ? decodeFields(value.fields) : null,
    oldValue: oldValue ? decodeFields(oldValue.fields) : null,
    updateMask: Array.isArray(maskPaths) ? maskPaths.map(String) : [],
    updateTime: value && value.updateTime != null ? timestampToDate(value.updateTime) : null,
  };
}

/** 'projects/P/databases/D/documents/a/b' → 'a/b'; a path without that prefix is returned as is. */
export function relativeDocumentPath(fullName: string): string {
  const marker = '/documents/';
  const at = fullName.indexOf(marker);
  return at === -1 ? fullName : fullName.slice(at + marker.length);
}

export function decodeFields(fields: unknown): Record<string, FirestoreFieldValue> {
  if (!isRecord(fields)) return {};
  const decoded: Record<string, FirestoreFieldValue> = {};
  for (const [key, value] of Object.entries(fields)) decoded[key] = decodeFirestoreValue(value);
  return decoded;
}

/** One google.firestore.v1.Value (protobuf message or its JSON form) to plain JS. */
export function decodeFirestoreValue(value: unknown): FirestoreFieldValue {
  if (!isRecord(value)) return null;
  const kind = valueKindOf(value);
  const raw = kind === undefined ? undefined : value[kind];
  switch (kind) {
    case undefined:
    case 'nullValue':
      return null;
    case 'booleanValue':
      return raw === true;
    case 'integerValue':
      return integerFrom(raw);
    case 'doubleValue':
      // JSON mode spells the special doubles as "NaN", "Infinity", "-Infinity".
      return typeof raw === 'number' ? raw : Number(raw);
    case 'timestampValue':
      return timestampToDate(raw);
    case 'stringValue':
      return String(raw);
    case 'bytesValue':
      return bytesFrom(raw);
    case 'referenceValue':
      return relativeDocumentPath(String(raw));
    case 'geoPointValue': {
      const point = isRecord(raw) ? raw : {};
      return { latitude: Number(point.latitude ?? 0), longitude: Number(point.longitude ?? 0) };
    }
    case 'arrayValue': {
      const values = isRecord(raw) ? raw.values : undefined;
      return Array.isArray(values) ? values.map(decodeFirestoreValue) : [];
    }
    case 'mapValue':
      return decodeFields(isRecord(raw) ? raw.fields : undefined);
  }
}

/**
 * Decoded protobufjs messages keep unset oneof members as `null` defaults on the prototype
 * and name the set one in `valueType`; JSON objects only carry the set key (and JSON
 * spells a null value `"nullValue": null`), hence own keys as the fallback.
 */
function valueKindOf(value: Record<string, unknown>): ValueKind | undefined {
  const declared = value.valueType;
  if (typeof declared === 'string' && (VALUE_KINDS as readonly string[]).includes(declared)) {
    return declared as ValueKind;
  }
  return VALUE_KINDS.find(
    (kind) =>
      Object.hasOwn(value, kind) && (kind === 'nullValue' || (value[kind] !== null && value[kind] !== undefined)),
  );
}

function toEventObject(data: unknown): Record<string, unknown> {
  if (data instanceof Uint8Array) return decodeProtobuf(data);
  if (data instanceof ArrayBuffer) return decodeProtobuf(new Uint8Array(data));
  if (typeof data === 'string') return toEventObject(JSON.parse(data) as unknown);
  if (isRecord(data)) {
    // A Buffer that went through JSON.stringify on its way here.
    if (data.type === 'Buffer' && Array.isArray(data.data))
      return decodeProtobuf(Uint8Array.from(data.data as number[]));
    return data;
  }
  throw new TypeError(`unsupported Firestore event data: ${data === null ? 'null' : typeof data}`);
}

function decodeProtobuf(bytes: Uint8Array): Record<string, unknown> {
  eventMessages ??= createRequire(import.meta.url)('@skunkteam/google-cloudevents-firestore') as EventMessages;
  const { DocumentEventData } = eventMessages.google.events.cloud.firestore.v1;
  return DocumentEventData.decode(bytes) as unknown as Record<string, unknown>;
}

function documentOrNull(document: unknown): DocumentLike | null {
  return isRecord(document) ? document : null;
}

function nameOf(document: DocumentLike | null): string | undefined {
  return document && typeof document.name === 'string' && document.name !== '' ? document.name : undefined;
}

/** int64 arrives as a Long (protobuf), a decimal string (JSON), a number or a bigint. */
function integerFrom(raw: unknown): number | string {
  const text = String(raw);
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : text;
}

/** A protobuf Timestamp ({ seconds, nanos }) or the RFC 3339 string of JSON mode. */
function timestampToDate(raw: unknown): Date {
  if (typeof raw === 'string') return new Date(raw);
  if (raw instanceof Date) return raw;
  if (isRecord(raw)) {
    const seconds = Number(String(raw.seconds ?? 0));
    const nanos = Number(raw.nanos ?? 0);
    return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
  }
  throw new TypeError(`unreadable Firestore timestamp: ${JSON.stringify(raw)}`);
}

/** Protobuf gives bytes as a Uint8Array, JSON mode as base64 text. */
function bytesFrom(raw: unknown): Buffer {
  if (raw instanceof Uint8Array) return Buffer.from(raw);
  if (typeof raw === 'string') return Buffer.from(raw, 'base64');
  return Buffer.alloc(0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
