/**
 * In-process Firestore emulator (`@firestore-emulator/server`) bound to 127.0.0.1, with
 * optional persistence to a JSON file.
 *
 * The emulator can export its state (`state.toJSON()`) but not import it, so a saved state
 * is replayed at start as raw `Commit` writes through a `@google-cloud/firestore` client.
 * Raw protobuf writes (rather than `set(data)`) keep every value's exact type: the client
 * library turns any whole JS number into an integer, which would silently change a double
 * such as 3.0 (the result of `increment(1.5)` twice) into an integer, and this emulator
 * compares integers and doubles as different types in queries.
 *
 * Limits: document createTime/updateTime are not restorable (the emulator rejects writes
 * that set them), so restored documents carry the import time; integers outside ±2^53
 * are already rounded by the emulator itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { FirestoreServer } from '@firestore-emulator/server';
import { useIncrementalCollectionListeners } from './firestore-incremental-listen.js';
import { Firestore } from '@google-cloud/firestore';

export interface StartFirestoreEmulatorOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** Only loopback addresses make sense here; defaults to 127.0.0.1. */
  host?: string;
  /** JSON file the state is loaded from at start and written to by save() and stop(). */
  stateFile?: string;
  /** Project the caller's clients will use; the emulator itself accepts any. */
  projectId?: string;
}

export interface FirestoreEmulator {
  /** `HOST:PORT`, the value for FIRESTORE_EMULATOR_HOST or the client's `host` setting. */
  host: string;
  port: number;
  projectId: string;
  /** Writes the current state to stateFile (no-op without one). */
  save(): Promise<void>;
  /** Saves (when a stateFile is set) and shuts the server down. */
  stop(): Promise<void>;
}

export const DEFAULT_EMULATOR_PROJECT_ID = 'demo-local';

const STATE_FILE_FORMAT = 'firestore-emulator-state';
const STATE_FILE_VERSION = 1;
/** Firestore's own limit on writes per commit. */
const WRITES_PER_COMMIT = 500;

/** One field as `FirestoreState#toJSON()` exports it (snake_case protobuf type names). */
export interface ExportedField {
  type: string;
  value: unknown;
}

export interface ExportedDocument {
  path: string;
  fields: Record<string, ExportedField>;
  collections: Record<string, ExportedCollection>;
  /**
   * Added by save(): the raw export cannot tell an empty existing document from a
   * missing parent that only holds subcollections.
   */
  exists?: boolean;
  createTime?: string;
  updateTime?: string;
}

export interface ExportedCollection {
  path: string;
  documents: Record<string, ExportedDocument>;
}

export interface ExportedDatabase {
  path: string;
  collections: Record<string, ExportedCollection>;
}

export interface ExportedState {
  format?: string;
  version?: number;
  savedAt?: string;
  projects: Record<string, { path: string; databases: Record<string, ExportedDatabase> }>;
}

/** Emulator credentials: any value works; giving one stops the client probing for GCE metadata. */
const EMULATOR_CREDENTIALS = { client_email: 'emulator@localhost', private_key: 'unused-by-the-emulator' };

/**
 * A client pointed at `host` whatever FIRESTORE_EMULATOR_HOST says: the library lets that
 * variable override the `host` setting, and a caller may have aimed it at another emulator.
 * The constructor reads it synchronously, so hiding it for that one call is invisible to others.
 */
export function createEmulatorClient(host: string, projectId: string, databaseId?: string): Firestore {
  const inheritedHost = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  try {
    return new Firestore({
      projectId,
      ...(databaseId === undefined ? {} : { databaseId }),
      host,
      ssl: false,
      credentials: EMULATOR_CREDENTIALS,
    });
  } finally {
    if (inheritedHost !== undefined) process.env.FIRESTORE_EMULATOR_HOST = inheritedHost;
  }
}

export async function startFirestoreEmulator(opts: StartFirestoreEmulatorOptions = {}): Promise<FirestoreEmulator> {
  const bindHost = opts.host ?? '127.0.0.1';
  const projectId = opts.projectId ?? DEFAULT_EMULATOR_PROJECT_ID;
  const stateFile = opts.stateFile;

  const server = new FirestoreServer();
  useIncrementalCollectionListeners(server);
  const port = await listenOn(server, bindHost, opts.port ?? 0);
  const host = `${formatHostForAddress(bindHost)}:${port}`;

  try {
    if (stateFile !== undefined) {
      const saved = await readStateFile(stateFile);
      if (saved !== null) await importState(saved, host, projectId);
    }
  } catch (error) {
    server.stop();
    throw error;
  }

  let stopped = false;
  const save = async (): Promise<void> => {
    if (stateFile === undefined) return;
    await writeFileAtomically(stateFile, serializeState(exportState(server)));
  };

  return {
    host,
    port,
    projectId,
    save,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await save();
      } finally {
        server.stop();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// Binding

interface GrpcBindable {
  bindAsync(address: string, credentials: unknown, callback: (error: Error | null, port: number) => void): void;
}

/**
 * `FirestoreServer#start` binds 0.0.0.0 and discards the bound port, so the bind call of its
 * grpc server is redirected to the wanted address and the actual port captured.
 */
async function listenOn(server: FirestoreServer, bindHost: string, requestedPort: number): Promise<number> {
  const grpcServer = (server as unknown as { server?: GrpcBindable }).server;
  if (!grpcServer || typeof grpcServer.bindAsync !== 'function') {
    throw new Error('@firestore-emulator/server changed shape: FirestoreServer#server.bindAsync not found');
  }
  const bindAsync = grpcServer.bindAsync.bind(grpcServer);
  let boundPort: number | undefined;
  grpcServer.bindAsync = (_address, credentials, callback) =>
    bindAsync(`${formatHostForAddress(bindHost)}:${requestedPort}`, credentials, (error, port) => {
      boundPort = port;
      callback(error, port);
    });
  await server.start(requestedPort);
  if (boundPort === undefined || boundPort <= 0) {
    server.stop();
    throw new Error(`Firestore emulator did not report a bound port on ${bindHost}`);
  }
  return boundPort;
}

function formatHostForAddress(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------------------
// Export

function exportState(server: FirestoreServer): ExportedState {
  const state = server.state.toJSON() as unknown as ExportedState;
  for (const project of Object.values(state.projects)) {
    for (const database of Object.values(project.databases)) {
      forEachDocument(database.collections, (document) => {
        const { metadata } = server.state.getDocument(document.path);
        document.exists = metadata.hasExist;
        if (metadata.hasExist) {
          document.createTime = metadata.createdAt.toISOString();
          document.updateTime = metadata.updatedAt.toISOString();
        }
      });
    }
  }
  return { format: STATE_FILE_FORMAT, version: STATE_FILE_VERSION, savedAt: new Date().toISOString(), ...state };
}

function forEachDocument(
  collections: Record<string, ExportedCollection>,
  visit: (document: ExportedDocument) => void,
): void {
  for (const collection of Object.values(collections)) {
    for (const document of Object.values(collection.documents)) {
      visit(document);
      forEachDocument(document.collections, visit);
    }
  }
}

/**
 * JSON has no bytes, NaN, ±Infinity or -0: bytes become base64 text and the special doubles
 * their `Number()`-parsable names, both recognised by the field type on import.
 */
function serializeState(state: ExportedState): string {
  return JSON.stringify(
    state,
    function replacer(this: unknown, key: string, value: unknown) {
      if (key !== 'value' || !isRecord(this)) return value;
      if (this.type === 'bytes_value' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (this.type === 'double_value' && typeof value === 'number') {
        if (!Number.isFinite(value)) return String(value);
        if (Object.is(value, -0)) return '-0';
      }
      return value;
    },
    1,
  );
}

async function writeFileAtomically(file: string, contents: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, contents, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Import

/**
 * Writes a saved state file's documents into any emulator (Google's too, when a state
 * directory saved by the in-process emulator moves to it). False when there is no file.
 */
export async function importStateFile(file: string, host: string, projectId: string): Promise<boolean> {
  const saved = await readStateFile(file);
  if (saved === null) return false;
  await importState(saved, host, projectId);
  return true;
}

async function readStateFile(file: string): Promise<ExportedState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Firestore state file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed) || !isRecord(parsed.projects)) {
    throw new Error(`Firestore state file ${file} has no "projects" object; expected FirestoreState#toJSON() output`);
  }
  if (parsed.format !== undefined && parsed.format !== STATE_FILE_FORMAT) {
    throw new Error(`Firestore state file ${file} has unknown format ${JSON.stringify(parsed.format)}`);
  }
  if (typeof parsed.version === 'number' && parsed.version > STATE_FILE_VERSION) {
    throw new Error(
      `Firestore state file ${file} has version ${parsed.version}; this code reads up to ${STATE_FILE_VERSION}`,
    );
  }
  return parsed as unknown as ExportedState;
}

interface RawWrite {
  update: { name: string; fields: Record<string, RawValue> };
}

type RawCommit = (
  method: 'commit',
  request: { database: string; writes: RawWrite[] },
  requestTag: string,
) => Promise<unknown>;

/**
 * `Firestore#request` is what `WriteBatch#commit` itself calls; it is internal to the
 * library, hence the shape check, but it is the one path that sends Values unconverted.
 */
function rawCommitOf(client: Firestore): RawCommit {
  const request = (client as unknown as { request?: unknown }).request;
  if (typeof request !== 'function') {
    throw new Error('@google-cloud/firestore no longer has Firestore#request; the state import needs a raw commit');
  }
  return request.bind(client) as RawCommit;
}

async function importState(state: ExportedState, host: string, projectId: string): Promise<void> {
  const writesByDatabase = new Map<string, RawWrite[]>();
  for (const project of Object.values(state.projects)) {
    for (const database of Object.values(project.databases)) {
      const databaseName = database.path.replace(/\/documents$/, '');
      const writes = writesByDatabase.get(databaseName) ?? [];
      forEachDocument(database.collections, (document) => {
        if (!documentExisted(document)) return;
        writes.push({ update: { name: document.path, fields: toRawFields(document.fields) } });
      });
      writesByDatabase.set(databaseName, writes);
    }
  }
  if ([...writesByDatabase.values()].every((writes) => writes.length === 0)) return;

  // Every write names its full document path, so one client serves all projects/databases.
  const client = createEmulatorClient(host, projectId);
  try {
    const commit = rawCommitOf(client);
    for (const [database, writes] of writesByDatabase) {
      for (let start = 0; start < writes.length; start += WRITES_PER_COMMIT) {
        await commit('commit', { database, writes: writes.slice(start, start + WRITES_PER_COMMIT) }, 'state-import');
      }
    }
  } finally {
    await client.terminate();
  }
}

/** A bare toJSON() export lists missing parents of subcollections as documents without fields. */
function documentExisted(document: ExportedDocument): boolean {
  if (typeof document.exists === 'boolean') return document.exists;
  return Object.keys(document.fields).length > 0 || Object.keys(document.collections).length === 0;
}

/** google.firestore.v1.Value in the camelCase object form the client's protobuf layer takes. */
type RawValue =
  | { nullValue: 'NULL_VALUE' }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { doubleValue: number }
  | { timestampValue: { seconds: number; nanos: number } }
  | { stringValue: string }
  | { bytesValue: Buffer }
  | { referenceValue: string }
  | { geoPointValue: { latitude: number; longitude: number } }
  | { arrayValue: { values: RawValue[] } }
  | { mapValue: { fields: Record<string, RawValue> } };

function toRawFields(fields: Record<string, ExportedField>): Record<string, RawValue> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, toRawValue(field)]));
}

function toRawValue(field: ExportedField): RawValue {
  const { type, value } = field;
  switch (type) {
    case 'null_value':
      return { nullValue: 'NULL_VALUE' };
    case 'boolean_value':
      return { booleanValue: value === true };
    case 'integer_value':
      return { integerValue: String(value) };
    case 'double_value':
      // A plain JSON.stringify of the export writes NaN and ±Infinity as null.
      return { doubleValue: value === null ? Number.NaN : Number(value) };
    case 'timestamp_value': {
      const { seconds, nanos } = value as { seconds: number | string; nanos?: number };
      return { timestampValue: { seconds: Number(seconds), nanos: nanos ?? 0 } };
    }
    case 'string_value':
      return { stringValue: String(value) };
    case 'bytes_value':
      return { bytesValue: bytesFromExport(value) };
    case 'reference_value':
      return { referenceValue: String(value) };
    case 'geo_point_value': {
      const { latitude, longitude } = value as { latitude: number; longitude: number };
      return { geoPointValue: { latitude, longitude } };
    }
    case 'array_value':
      return { arrayValue: { values: (value as ExportedField[]).map(toRawValue) } };
    case 'map_value':
      return { mapValue: { fields: toRawFields(value as Record<string, ExportedField>) } };
    default:
      throw new Error(`Firestore state file holds a field of unknown type ${JSON.stringify(type)}`);
  }
}

/** Base64 from save(); `{"0":1,"1":2}` from JSON.stringify of a raw export's Uint8Array. */
function bytesFromExport(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (Array.isArray(value)) return Buffer.from(value as number[]);
  if (isRecord(value)) {
    const bytes = Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((index) => Number(value[index]));
    return Buffer.from(bytes);
  }
  throw new Error(`Firestore state file holds unreadable bytes: ${JSON.stringify(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
