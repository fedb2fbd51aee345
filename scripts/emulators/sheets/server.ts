/**
 * HTTP front of the emulator: routes the paths the googleapis clients send
 * (`/v4/spreadsheets/…`, `/drive/v3/…`), authenticates, injects faults, enforces quotas, runs
 * the handler, logs, and answers with Google-shaped JSON. Debug routes live under `/emulator/`.
 *
 * Order of a request: route → auth (401) → request checks Google makes before any API logic
 * (body size, JSON syntax, unknown names in the body, `fields` masks: 400) → injected latency →
 * injected 429/403/5xx (nothing applied) → quota (Sheets 429, Drive 403) → handler → injected
 * timeout (the response is lost) → response.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { batchUpdateSpreadsheet } from './batch-update.js';
import type { ChannelService } from './channels.js';
import type { EmulatorClock } from './clock.js';
import { isoAt } from './clock.js';
import type { ApiResponse, RequestContext } from './context.js';
import {
  copyFile,
  createFile,
  createPermission,
  deleteFile,
  deletePermission,
  getFile,
  getPermission,
  getRevision,
  getStartPageToken,
  listChanges,
  listFiles,
  listPermissions,
  listRevisions,
  addSpreadsheet,
  updateFile,
} from './drive-api.js';
import { apiSchema, unknownBodyNames, unknownMaskPath } from './api-schema.js';
import type { SchemaApi } from './api-schema.js';
import {
  ApiError,
  DriveApiError,
  MAX_REQUEST_BYTES,
  driveInvalidFieldSelection,
  driveUnauthenticated,
  driveRateLimit403,
  internalError,
  invalidArgument,
  notImplemented,
  payloadTooLarge,
  unauthenticated,
  unavailable,
  unknownFieldsPath,
  unknownJsonNames,
} from './errors.js';
import { FieldMaskError } from './field-mask.js';
import type { FaultDecision, FaultInjector, InjectedFault } from './faults.js';
import { sharedDriveRoute } from './shared-drives.js';
import type { QuotaTracker } from './quotas.js';
import { createSpreadsheet, getSpreadsheet } from './sheets-api.js';
import type { EmulatorStore } from './store.js';
import type { ApiName, LogEntry, RequestKind, SpreadsheetState } from './types.js';
import { handleViewerRequest, isViewerPath } from './viewer/viewer.js';
import {
  appendValues,
  batchClearValues,
  batchGetValues,
  batchUpdateValues,
  clearValues,
  getValues,
  updateValues,
} from './values-api.js';

const MAX_LOG_ENTRIES = 10_000;

interface Route {
  api: ApiName;
  op: string;
  kind: RequestKind;
  spreadsheetId?: string;
  run: (context: RequestContext) => ApiResponse;
  /** A Drive upload endpoint: the body is the file's content (and metadata), not JSON. */
  upload?: boolean;
}

export interface DebugRoutes {
  handle(method: string, path: string, res: ServerResponse): Promise<boolean>;
}

export interface ServerDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  quotas: QuotaTracker;
  faults: FaultInjector;
  channels: ChannelService;
  projectNumber: string;
  log: LogEntry[];
  debug: DebugRoutes;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidArgument(`Invalid URL encoding: ${segment}`);
  }
}

function syncTitleToFile(context: RequestContext, spreadsheet: SpreadsheetState): void {
  const file = context.store.file(spreadsheet.spreadsheetId);
  if (file) file.name = spreadsheet.properties.title;
}

function sheetsRoute(method: string, path: string): Route | null {
  const kind: RequestKind = method === 'GET' ? 'read' : 'write';
  const sheets = (op: string, run: Route['run'], spreadsheetId?: string): Route => ({
    api: 'sheets',
    op: `spreadsheets.${op}`,
    kind,
    run,
    ...(spreadsheetId !== undefined ? { spreadsheetId } : {}),
  });
  if (path === '/v4/spreadsheets') {
    return method === 'POST'
      ? sheets('create', (context) =>
          createSpreadsheet(context, (spreadsheet) => void addSpreadsheet(context, spreadsheet)),
        )
      : null;
  }
  if (!path.startsWith('/v4/spreadsheets/')) return null;
  const rest = path.slice('/v4/spreadsheets/'.length);
  const idMatch = /^[^/:]+/.exec(rest);
  if (!idMatch) return null;
  const id = decodeSegment(idMatch[0]);
  const tail = rest.slice(idMatch[0].length);
  if (tail === '') return method === 'GET' ? sheets('get', (context) => getSpreadsheet(context, id), id) : null;
  if (tail === ':batchUpdate' && method === 'POST') {
    return sheets(
      'batchUpdate',
      (context) => batchUpdateSpreadsheet(context, id, (s) => syncTitleToFile(context, s)),
      id,
    );
  }
  if (tail === ':getByDataFilter' && method === 'POST') {
    return {
      ...sheets(
        'getByDataFilter',
        () => {
          throw notImplemented('spreadsheets.getByDataFilter');
        },
        id,
      ),
      kind: 'read',
    };
  }
  if (tail.startsWith('/values:')) {
    const verb = tail.slice('/values:'.length);
    if (verb === 'batchGet' && method === 'GET')
      return sheets('values.batchGet', (context) => batchGetValues(context, id), id);
    if (verb === 'batchUpdate' && method === 'POST')
      return sheets('values.batchUpdate', (context) => batchUpdateValues(context, id), id);
    if (verb === 'batchClear' && method === 'POST')
      return sheets('values.batchClear', (context) => batchClearValues(context, id), id);
    if (method === 'POST' && /^(batchGetByDataFilter|batchUpdateByDataFilter|batchClearByDataFilter)$/.test(verb)) {
      return sheets(
        `values.${verb}`,
        () => {
          throw notImplemented(`spreadsheets.values.${verb}`);
        },
        id,
      );
    }
    return null;
  }
  if (tail.startsWith('/values/')) {
    const rawRange = tail.slice('/values/'.length);
    if (rawRange.endsWith(':append') && method === 'POST') {
      const range = decodeSegment(rawRange.slice(0, -':append'.length));
      return sheets('values.append', (context) => appendValues(context, id, range), id);
    }
    if (rawRange.endsWith(':clear') && method === 'POST') {
      const range = decodeSegment(rawRange.slice(0, -':clear'.length));
      return sheets('values.clear', (context) => clearValues(context, id, range), id);
    }
    const range = decodeSegment(rawRange);
    if (method === 'GET') return sheets('values.get', (context) => getValues(context, id, range), id);
    if (method === 'PUT') return sheets('values.update', (context) => updateValues(context, id, range), id);
  }
  return null;
}

function driveRoute(method: string, path: string, deps: ServerDependencies): Route | null {
  const kind: RequestKind = method === 'GET' ? 'read' : 'write';
  const drive = (op: string, run: Route['run'], fileId?: string): Route => ({
    api: 'drive',
    op: `drive.${op}`,
    kind,
    run,
    // Drive calls on a spreadsheet's file are logged against the spreadsheet too.
    ...(fileId !== undefined ? { spreadsheetId: fileId } : {}),
  });
  if (path.startsWith('/upload/drive/v3/')) {
    // Simple and multipart uploads (https://developers.google.com/workspace/drive/api/guides/manage-uploads):
    // the same methods as the metadata endpoint, with the content in the body.
    const upload = path.slice('/upload/drive/v3/'.length).split('/').map(decodeSegment);
    if (upload[0] !== 'files') return null;
    if (upload.length === 1 && method === 'POST') return { ...drive('files.create', createFile), upload: true };
    if (upload.length === 2 && method === 'PATCH')
      return { ...drive('files.update', (context) => updateFile(context, upload[1]!), upload[1]!), upload: true };
    return drive('files.upload', () => {
      throw notImplemented('this Drive upload method');
    });
  }
  if (!path.startsWith('/drive/v3/')) return null;
  const segments = path.slice('/drive/v3/'.length).split('/').map(decodeSegment);
  const [first, second, third, fourth] = segments;
  if (first === 'files') {
    if (segments.length === 1) {
      if (method === 'GET') return drive('files.list', listFiles);
      if (method === 'POST') return drive('files.create', createFile);
      return null;
    }
    const fileId = second as string;
    if (segments.length === 2) {
      if (method === 'GET') return drive('files.get', (context) => getFile(context, fileId), fileId);
      if (method === 'PATCH') return drive('files.update', (context) => updateFile(context, fileId), fileId);
      if (method === 'DELETE') return drive('files.delete', (context) => deleteFile(context, fileId), fileId);
      return null;
    }
    if (third === 'copy' && segments.length === 3 && method === 'POST')
      return drive('files.copy', (context) => copyFile(context, fileId), fileId);
    if (third === 'revisions' && method === 'GET') {
      if (segments.length === 3) return drive('revisions.list', (context) => listRevisions(context, fileId), fileId);
      if (segments.length === 4)
        return drive('revisions.get', (context) => getRevision(context, fileId, fourth as string), fileId);
    }
    if (third === 'permissions') {
      if (segments.length === 3 && method === 'GET')
        return drive('permissions.list', (context) => listPermissions(context, fileId), fileId);
      if (segments.length === 3 && method === 'POST')
        return drive('permissions.create', (context) => createPermission(context, fileId), fileId);
      const permissionId = fourth as string;
      if (segments.length === 4 && method === 'GET')
        return drive('permissions.get', (context) => getPermission(context, fileId, permissionId), fileId);
      if (segments.length === 4 && method === 'DELETE')
        return drive('permissions.delete', (context) => deletePermission(context, fileId, permissionId), fileId);
    }
    return null;
  }
  if (first === 'changes') {
    if (segments.length === 1 && method === 'GET') return drive('changes.list', listChanges);
    if (second === 'startPageToken' && method === 'GET') return drive('changes.getStartPageToken', getStartPageToken);
    if (second === 'watch' && method === 'POST')
      return drive('changes.watch', (context) => ({ body: deps.channels.watch(context) }));
    return null;
  }
  if (first === 'drives') return sharedDriveRoute(method, segments, drive);
  if (first === 'channels' && second === 'stop' && method === 'POST') {
    return drive('channels.stop', (context) => {
      deps.channels.stop(context, deps.projectNumber);
      return { status: 204 };
    });
  }
  return null;
}

interface ReceivedBody {
  bytes: Buffer;
  /** Longer than Google's front end accepts: the rest was read and dropped. */
  tooLarge: boolean;
}

function readBody(req: IncomingMessage): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve({
        bytes: size <= MAX_REQUEST_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0),
        tooLarge: size > MAX_REQUEST_BYTES,
      }),
    );
    req.on('error', reject);
  });
}

/** The message a method answers with, by operation: what its `fields` parameter selects from. */
const RESPONSE_TYPES: Record<string, string> = {
  'spreadsheets.create': 'Spreadsheet',
  'spreadsheets.get': 'Spreadsheet',
  'spreadsheets.getByDataFilter': 'Spreadsheet',
  'spreadsheets.batchUpdate': 'BatchUpdateSpreadsheetResponse',
  'spreadsheets.values.get': 'ValueRange',
  'spreadsheets.values.batchGet': 'BatchGetValuesResponse',
  'spreadsheets.values.update': 'UpdateValuesResponse',
  'spreadsheets.values.append': 'AppendValuesResponse',
  'spreadsheets.values.batchUpdate': 'BatchUpdateValuesResponse',
  'spreadsheets.values.clear': 'ClearValuesResponse',
  'spreadsheets.values.batchClear': 'BatchClearValuesResponse',
  'drive.files.get': 'File',
  'drive.files.create': 'File',
  'drive.files.update': 'File',
  'drive.files.copy': 'File',
  'drive.files.list': 'FileList',
  'drive.permissions.get': 'Permission',
  'drive.permissions.create': 'Permission',
  'drive.permissions.list': 'PermissionList',
  'drive.changes.list': 'ChangeList',
  'drive.changes.getStartPageToken': 'StartPageToken',
  'drive.changes.watch': 'Channel',
};

/** The message a Sheets method's JSON body is, by operation. */
const SHEETS_BODY_TYPES: Record<string, string> = {
  'spreadsheets.create': 'Spreadsheet',
  'spreadsheets.batchUpdate': 'BatchUpdateSpreadsheetRequest',
  'spreadsheets.values.update': 'ValueRange',
  'spreadsheets.values.append': 'ValueRange',
  'spreadsheets.values.batchUpdate': 'BatchUpdateValuesRequest',
  'spreadsheets.values.clear': 'ClearValuesRequest',
  'spreadsheets.values.batchClear': 'BatchClearValuesRequest',
};

/**
 * What the `fields` update mask of each batchUpdate request type is a mask of. Every request type
 * with a `fields` member must be here (server-rules.test.ts checks it against the schema).
 */
export const UPDATE_MASK_TARGETS: Record<string, string> = {
  AppendCellsRequest: 'CellData',
  RepeatCellRequest: 'CellData',
  UpdateCellsRequest: 'CellData',
  UpdateBandingRequest: 'BandedRange',
  UpdateDataSourceRequest: 'DataSource',
  UpdateDeveloperMetadataRequest: 'DeveloperMetadata',
  UpdateDimensionGroupRequest: 'DimensionGroup',
  UpdateDimensionPropertiesRequest: 'DimensionProperties',
  UpdateEmbeddedObjectBorderRequest: 'EmbeddedObjectBorder',
  UpdateEmbeddedObjectPositionRequest: 'EmbeddedObjectPosition',
  UpdateFilterViewRequest: 'FilterView',
  UpdateNamedRangeRequest: 'NamedRange',
  UpdateProtectedRangeRequest: 'ProtectedRange',
  UpdateSheetPropertiesRequest: 'SheetProperties',
  UpdateSlicerSpecRequest: 'SlicerSpec',
  UpdateSpreadsheetPropertiesRequest: 'SpreadsheetProperties',
  UpdateTableRequest: 'Table',
};

/** An update mask Google documents as optional (used only when the new position is not a new sheet). */
const OPTIONAL_UPDATE_MASKS = new Set(['UpdateEmbeddedObjectPositionRequest']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `fields` query parameter must name existing fields of the response (Sheets keeps whitespace, Drive trims it). */
function checkFieldsParameter(api: SchemaApi, operator: string, query: URLSearchParams): void {
  const fields = query.get('fields');
  const responseType = RESPONSE_TYPES[operator];
  if (fields === null || fields === '' || !responseType) return;
  let unknown: string | null;
  try {
    unknown = unknownMaskPath(api, responseType, fields, { keepWhitespace: api === 'sheets' });
  } catch (error) {
    if (!(error instanceof FieldMaskError)) throw error;
    throw api === 'drive'
      ? driveInvalidFieldSelection(fields)
      : invalidArgument(`Invalid field selection: ${error.message}`);
  }
  if (unknown === null) return;
  throw api === 'drive' ? driveInvalidFieldSelection(unknown.split('.').join('/')) : unknownFieldsPath(unknown);
}

/** Each batchUpdate request's `fields` mask must be present and name fields of what it updates. */
function checkUpdateMasks(body: Record<string, unknown>): void {
  const requests = Array.isArray(body['requests']) ? body['requests'] : [];
  const requestTypes = apiSchemaRequestTypes();
  requests.forEach((request: unknown, requestIndex) => {
    if (!isRecord(request)) return;
    for (const [name, payload] of Object.entries(request)) {
      const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const requestType = requestTypes[camel];
      const target = requestType ? UPDATE_MASK_TARGETS[requestType] : undefined;
      if (!requestType || !target || !isRecord(payload)) continue;
      const where = `Invalid requests[${requestIndex}].${camel}`;
      const mask = payload['fields'];
      if (mask === undefined || mask === null || mask === '') {
        if (OPTIONAL_UPDATE_MASKS.has(requestType)) continue;
        throw invalidArgument(
          `${where}: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)`,
        );
      }
      if (typeof mask !== 'string') continue;
      let unknown: string | null;
      try {
        unknown = unknownMaskPath('sheets', target, mask, { keepWhitespace: false });
      } catch (error) {
        if (!(error instanceof FieldMaskError)) throw error;
        throw invalidArgument(`${where}: ${error.message}`);
      }
      if (unknown !== null) {
        throw invalidArgument(`${where}: Invalid field mask: '${unknown}' is not a field of ${target}.`);
      }
    }
  });
}

let requestTypesCache: Record<string, string> | undefined;
/** batchUpdate request name → its message type (`repeatCell` → `RepeatCellRequest`). */
function apiSchemaRequestTypes(): Record<string, string> {
  if (!requestTypesCache) {
    requestTypesCache = {};
    for (const [name, type] of Object.entries(sheetsRequestSchema()))
      if (typeof type === 'string') requestTypesCache[name] = type;
  }
  return requestTypesCache;
}

function sheetsRequestSchema(): Record<string, string | null> {
  return apiSchema().sheets['Request'] ?? {};
}

/**
 * What Google's front end refuses before any API logic runs: an oversized body, a body that is not
 * JSON, names its message does not have, and `fields` masks naming fields that do not exist.
 * Returns the parsed body.
 */
function checkRequest(route: Route, query: URLSearchParams, received: ReceivedBody): unknown {
  if (received.tooLarge && route.api === 'sheets') throw payloadTooLarge();
  if (route.upload) return undefined; // read by readUpload
  const body = parseJsonBody(received.bytes);
  if (route.api === 'sheets') {
    const bodyType = SHEETS_BODY_TYPES[route.op];
    if (bodyType && body !== undefined) {
      const unknown = unknownBodyNames('sheets', bodyType, body);
      if (unknown.length > 0) throw unknownJsonNames(unknown);
    }
    if (route.op === 'spreadsheets.batchUpdate' && isRecord(body)) checkUpdateMasks(body);
  }
  checkFieldsParameter(route.api, route.op, query);
  return body;
}

/**
 * The metadata and content of a Drive upload. `uploadType=media`: the body is the content;
 * `multipart`: a multipart/related body, the JSON metadata first, then the content
 * (https://developers.google.com/workspace/drive/api/guides/manage-uploads). Resumable
 * uploads are not emulated.
 */
function readUpload(
  query: URLSearchParams,
  contentType: string | undefined,
  bytes: Buffer,
): { metadata: unknown; upload: { bytes: Buffer; mimeType: string } } {
  const uploadType = query.get('uploadType');
  if (uploadType === 'media')
    return { metadata: undefined, upload: { bytes, mimeType: contentType ?? 'application/octet-stream' } };
  if (uploadType !== 'multipart') {
    if (uploadType === 'resumable') throw notImplemented('resumable Drive uploads');
    throw invalidArgument(`Invalid value for uploadType: ${uploadType ?? '(missing)'}`);
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!/^multipart\/related/i.test(contentType ?? '') || !boundary)
    throw invalidArgument('Multipart uploads need a multipart/related body with a boundary.');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: string; body: Buffer }[] = [];
  let at = bytes.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (bytes.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const next = bytes.indexOf(delimiter, start);
    if (next < 0) break;
    const part = bytes.subarray(start, next);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const body = part.subarray(split + 4);
      parts.push({
        headers: part.subarray(0, split).toString('utf8'),
        body: body.subarray(0, body.length - (body.subarray(-2).toString() === '\r\n' ? 2 : 0)),
      });
    }
    at = next;
  }
  if (parts.length !== 2)
    throw invalidArgument('A multipart upload has exactly two parts: the metadata, then the media.');
  const mediaType = /content-type:\s*([^\r\n;]+)/i.exec(parts[1]!.headers)?.[1]?.trim() ?? 'application/octet-stream';
  return { metadata: parseJsonBody(parts[0]!.body), upload: { bytes: parts[1]!.body, mimeType: mediaType } };
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidArgument('Invalid JSON payload received. Unexpected token.');
  }
}

function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, { 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function injectedError(
  api: ApiName,
  fault: Exclude<InjectedFault, 'timeout'>,
  kind: RequestKind,
  deps: ServerDependencies,
): ApiError {
  if (fault === 'rate403') return driveRateLimit403(deps.faults.reason403(), deps.projectNumber);
  if (api === 'drive') {
    if (fault === 'rate429') return new DriveApiError(429, 'Rate Limit Exceeded', 'rateLimitExceeded');
    if (fault === 'rate500') return new DriveApiError(500, 'Internal Error', 'internalError');
    return new DriveApiError(503, 'Service Unavailable', 'backendError');
  }
  if (fault === 'rate429') {
    const limits = deps.quotas.current;
    return deps.quotas.exceeded(
      kind,
      'user',
      kind === 'read' ? limits.readPerMinutePerUser : limits.writePerMinutePerUser,
    );
  }
  return fault === 'rate500' ? internalError() : unavailable();
}

export class EmulatorHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly heldTimers = new Set<NodeJS.Timeout>();
  private seq = 0;
  rootUrl = '';

  constructor(private readonly deps: ServerDependencies) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('[sheets-emulator] unexpected error', error);
        sendJson(res, 500, internalError().toBody());
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
        else resolve(address.port);
      });
    });
  }

  async close(): Promise<void> {
    for (const timer of this.heldTimers) clearTimeout(timer);
    this.heldTimers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private record(entry: Omit<LogEntry, 'seq'>): void {
    const log = this.deps.log;
    this.seq += 1;
    log.push({ seq: this.seq, ...entry });
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const received = await readBody(req);
    const path = url.pathname;
    // The read-only viewer (`/`, `/view/…`): no Google API path starts so.
    if (isViewerPath(path) && handleViewerRequest(method, url, this.deps.store, res)) return;
    if (path.startsWith('/emulator/')) {
      if (!(await this.deps.debug.handle(method, path, res)))
        sendJson(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
      return;
    }
    let route: Route | null;
    try {
      route = sheetsRoute(method, path) ?? driveRoute(method, path, this.deps);
    } catch (error) {
      sendJson(
        res,
        error instanceof ApiError ? error.code : 500,
        (error instanceof ApiError ? error : internalError()).toBody(),
      );
      return;
    }
    if (!route) {
      sendJson(res, 404, { error: { code: 404, message: 'Method not found.', status: 'NOT_FOUND' } });
      return;
    }
    const at = isoAt(this.deps.clock.now());
    const base = {
      at,
      method,
      api: route.api,
      op: route.op,
      kind: route.kind,
      ...(route.spreadsheetId !== undefined ? { spreadsheetId: route.spreadsheetId } : {}),
    };
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const user = auth?.[1] ?? url.searchParams.get('access_token') ?? '';
    if (!user) {
      const error = route.api === 'drive' ? driveUnauthenticated() : unauthenticated();
      this.record({ ...base, user: '', status: 401 });
      sendJson(res, 401, error.toBody());
      return;
    }
    let body: unknown;
    let upload: RequestContext['upload'];
    try {
      body = checkRequest(route, url.searchParams, received);
      if (route.upload)
        ({ metadata: body, upload } = readUpload(url.searchParams, req.headers['content-type'], received.bytes));
    } catch (error) {
      const refusal = error instanceof ApiError ? error : internalError();
      if (!(error instanceof ApiError)) console.error(`[sheets-emulator] ${route.op} check failed`, error);
      this.record({ ...base, user, status: refusal.code });
      sendJson(res, refusal.code, refusal.toBody());
      return;
    }
    const decision: FaultDecision = this.deps.faults.decide(route.api, {
      op: route.op,
      ...(route.spreadsheetId !== undefined ? { spreadsheetId: route.spreadsheetId } : {}),
    });
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.fault && decision.fault !== 'timeout') {
      const error = injectedError(route.api, decision.fault, route.kind, this.deps);
      this.record({ ...base, user, status: error.code, fault: decision.fault });
      sendJson(res, error.code, error.toBody());
      return;
    }
    let status: number;
    let responseBody: unknown;
    const applies = decision.fault !== 'timeout' || decision.applyBeforeTimeout;
    let quotaError: ApiError | null = null;
    if (applies)
      quotaError =
        route.api === 'sheets' ? this.deps.quotas.consume(user, route.kind) : this.deps.quotas.consumeDrive(user);
    if (quotaError) {
      status = quotaError.code;
      responseBody = quotaError.toBody();
    } else if (!applies) {
      status = 0;
    } else {
      try {
        const context: RequestContext = {
          store: this.deps.store,
          clock: this.deps.clock,
          user,
          query: url.searchParams,
          body,
          ...(upload ? { upload } : {}),
          rootUrl: this.rootUrl,
          projectNumber: this.deps.projectNumber,
        };
        const result = route.run(context);
        status = result.status ?? 200;
        responseBody = result.body;
      } catch (error) {
        if (!(error instanceof ApiError)) {
          console.error(`[sheets-emulator] ${route.op} failed`, error);
        }
        const apiError = error instanceof ApiError ? error : internalError();
        status = apiError.code;
        responseBody = apiError.toBody();
      }
    }
    if (decision.fault === 'timeout') {
      this.record({ ...base, user, status: 0, fault: 'timeout', applied: applies && status >= 200 && status < 300 });
      this.hold(req, decision.holdMs);
      return;
    }
    this.record({ ...base, user, status });
    if (Buffer.isBuffer(responseBody)) {
      // A file's content (files.get with alt=media).
      res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': responseBody.length });
      res.end(responseBody);
      return;
    }
    sendJson(res, status, responseBody);
  }

  /** Keeps the client waiting, then drops the connection: the response is lost. */
  private hold(req: IncomingMessage, holdMs: number): void {
    const socket = req.socket;
    const timer = setTimeout(() => {
      this.heldTimers.delete(timer);
      socket.destroy();
    }, holdMs);
    this.heldTimers.add(timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.heldTimers.delete(timer);
    });
  }
}
