/**
 * Drive v3: files (get, list, create, update, copy, delete), permissions (create, list, get,
 * delete) and changes (getStartPageToken, list). Metadata only: no content upload or download.
 *
 * Errors follow Drive: a file the caller cannot see is 404 "File not found: ID." (Drive does not
 * reveal that it exists); a reader trying to write is 403 "The user does not have sufficient
 * permissions for this file.".
 */
import { accessOf, atLeast, sameEmail } from './access.js';
import { isoAt } from './clock.js';
import { type ApiResponse, type RequestContext, bodyObject, queryFlag } from './context.js';
import {
  DriveApiError,
  driveBadRequest,
  driveFileNotFound,
  driveInsufficientPermissions,
  driveInvalidValue,
  notImplemented,
} from './errors.js';
import { projectDriveFields } from './field-mask.js';
import { parseDriveQuery } from './drive-query.js';
import {
  FOLDER_MIME_TYPE,
  SPREADSHEET_MIME,
  changeVisibility,
  ownerPermission,
  permissionIdFor,
  renderFile,
  renderPermission,
  renderRevision,
  viewersOf,
  visibleMetadata,
} from './drive-resources.js';
import { buildSpreadsheet } from './sheets-api.js';
import {
  addDriveMember,
  checkSharing,
  drivesOf,
  isSharedDriveId,
  listScope,
  notificationOf,
  visibleToCaller,
} from './shared-drives.js';
import { newFileId } from './store.js';
import type {
  DriveFileState,
  JsonObject,
  PermissionRole,
  PermissionState,
  PermissionType,
  SpreadsheetState,
} from './types.js';

const ROOT_FOLDER_ID = '0AEmulatorRootFolder';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function project(context: RequestContext, value: unknown, defaultFields: string): unknown {
  return projectDriveFields(context.query.get('fields'), value, defaultFields);
}

function stringMap(value: unknown, name: string): Record<string, string | null> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw driveInvalidValue(name);
  const out: Record<string, string | null> = {};
  for (const [key, entryValue] of Object.entries(value)) {
    if (entryValue === null) out[key] = null;
    else if (typeof entryValue === 'string' || typeof entryValue === 'number' || typeof entryValue === 'boolean')
      out[key] = String(entryValue);
    else throw driveInvalidValue(name);
  }
  return out;
}

/** Patch semantics for appProperties/properties: a null value removes the key. */
function mergeProperties(target: Record<string, string>, patch: Record<string, string | null>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}

function fileFor(context: RequestContext, fileId: string): DriveFileState {
  const file = context.store.file(fileId);
  if (!file || accessOf(file, context.user) === 'none' || !visibleToCaller(context, file))
    throw driveFileNotFound(fileId);
  return file;
}

function newFile(
  context: RequestContext,
  fields: { id?: string; name: string; mimeType: string; parents?: string[] },
): DriveFileState {
  const now = context.clock.now();
  return {
    id: fields.id ?? newFileId(),
    name: fields.name,
    mimeType: fields.mimeType,
    parents: fields.parents && fields.parents.length > 0 ? fields.parents : [ROOT_FOLDER_ID],
    createdTime: now,
    modifiedTime: now,
    version: 1,
    trashed: false,
    starred: false,
    ownerEmail: context.user,
    lastModifyingUserEmail: context.user,
    appProperties: {},
    properties: {},
    permissions: [],
    // Creating the file is its first revision.
    revisions: [{ id: '1', modifiedTime: now, lastModifyingUserEmail: context.user }],
  };
}

/** Registers a new spreadsheet with its Drive file (owned by the caller) and records the change. */
export function addSpreadsheet(
  context: RequestContext,
  spreadsheet: SpreadsheetState,
  extra: Partial<DriveFileState> = {},
): DriveFileState {
  const file = {
    ...newFile(context, {
      id: spreadsheet.spreadsheetId,
      name: spreadsheet.properties.title,
      mimeType: SPREADSHEET_MIME,
    }),
    ...extra,
  };
  context.store.state.spreadsheets[spreadsheet.spreadsheetId] = spreadsheet;
  context.store.state.files[file.id] = file;
  context.store.recordChange(file.id, false);
  return file;
}

export function getFile(context: RequestContext, fileId: string): ApiResponse {
  const file = fileFor(context, fileId);
  if (context.query.get('alt') === 'media') {
    if (file.mimeType.startsWith('application/vnd.google-apps.')) {
      throw new DriveApiError(
        403,
        'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
        'fileNotDownloadable',
        {
          location: 'alt',
          locationType: 'parameter',
        },
      );
    }
    if (file.content === undefined) throw notImplemented('file content download of a file created without content');
    return { body: Buffer.from(file.content, 'base64') };
  }
  return { body: project(context, renderFile(file, context.user, context.clock.now()), 'kind,id,name,mimeType') };
}

interface PageCursor {
  offset: number;
}

function decodePageToken(token: string | null): number {
  if (token === null || token === '') return 0;
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor;
    if (Number.isInteger(cursor.offset) && cursor.offset >= 0) return cursor.offset;
  } catch {
    // fall through
  }
  throw driveInvalidValue('pageToken');
}

function pageSizeOf(context: RequestContext, fallback: number, max: number): number {
  const text = context.query.get('pageSize');
  if (text === null) return fallback;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > max) throw driveInvalidValue('pageSize');
  return size;
}

function sorter(orderBy: string | null): (a: DriveFileState, b: DriveFileState) => number {
  const keys = (orderBy ?? 'modifiedTime desc').split(',').map((part) => {
    const [key = '', direction = 'asc'] = part.trim().split(/\s+/);
    if (
      ![
        'createdTime',
        'modifiedTime',
        'name',
        'name_natural',
        'folder',
        'starred',
        'viewedByMeTime',
        'recency',
        'modifiedByMeTime',
      ].includes(key)
    ) {
      throw driveInvalidValue('orderBy');
    }
    return { key, descending: direction.toLowerCase() === 'desc' };
  });
  return (left, right) => {
    for (const { key, descending } of keys) {
      let order = 0;
      if (key === 'name' || key === 'name_natural') order = left.name.localeCompare(right.name);
      else if (key === 'createdTime') order = left.createdTime - right.createdTime;
      else if (key === 'folder')
        order = Number(right.mimeType === FOLDER_MIME_TYPE) - Number(left.mimeType === FOLDER_MIME_TYPE);
      else if (key === 'starred') order = Number(right.starred) - Number(left.starred);
      else order = left.modifiedTime - right.modifiedTime;
      if (order !== 0) return descending ? -order : order;
    }
    return left.id.localeCompare(right.id);
  };
}

export function listFiles(context: RequestContext): ApiResponse {
  const predicate = parseDriveQuery(context.query.get('q') ?? '');
  const inScope = listScope(context, { corporaParameter: true });
  const pageSize = pageSizeOf(context, 100, 1000);
  const offset = decodePageToken(context.query.get('pageToken'));
  const matches = Object.values(context.store.state.files)
    .filter((file) => accessOf(file, context.user) !== 'none' && inScope(file) && predicate(file, context.user))
    .sort(sorter(context.query.get('orderBy')));
  const page = matches.slice(offset, offset + pageSize);
  const body: JsonObject = {
    kind: 'drive#fileList',
    incompleteSearch: false,
    files: page.map((file) => renderFile(file, context.user, context.clock.now())),
  };
  if (offset + pageSize < matches.length)
    body['nextPageToken'] = Buffer.from(JSON.stringify({ offset: offset + pageSize })).toString('base64url');
  return { body: project(context, body, 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)') };
}

export function createFile(context: RequestContext): ApiResponse {
  const body = context.body === undefined && context.upload ? {} : bodyObject(context);
  const mimeType =
    typeof body['mimeType'] === 'string' ? body['mimeType'] : (context.upload?.mimeType ?? 'application/octet-stream');
  // Drive converts an upload into a Docs editors file; that conversion is not emulated.
  if (context.upload && mimeType.startsWith('application/vnd.google-apps.'))
    throw notImplemented('converting an upload to a Google Docs editors file');
  const name =
    typeof body['name'] === 'string' && body['name'] !== ''
      ? body['name']
      : mimeType === SPREADSHEET_MIME
        ? 'Untitled spreadsheet'
        : 'Untitled';
  const parents = Array.isArray(body['parents'])
    ? body['parents'].filter((p): p is string => typeof p === 'string')
    : [];
  const driveId = sharedDriveParent(context, parents);
  for (const parent of parents) {
    if (parent === driveId) continue;
    const folder = context.store.file(parent);
    if (!folder || !atLeast(accessOf(folder, context.user), 'writer')) throw driveFileNotFound(parent);
  }
  let file: DriveFileState;
  if (mimeType === SPREADSHEET_MIME) {
    const spreadsheet = buildSpreadsheet({ properties: { title: name } }, context.user);
    file = addSpreadsheet(context, spreadsheet, parents.length > 0 ? { parents } : {});
  } else {
    file = newFile(context, { name, mimeType, parents });
    if (context.upload) file.content = context.upload.bytes.toString('base64');
    context.store.state.files[file.id] = file;
    context.store.recordChange(file.id, false);
  }
  mergeProperties(file.appProperties, stringMap(body['appProperties'], 'appProperties'));
  mergeProperties(file.properties, stringMap(body['properties'], 'properties'));
  if (typeof body['description'] === 'string') file.description = body['description'];
  if (driveId) file.driveId = driveId;
  else if (typeof body['writersCanShare'] === 'boolean') file.writersCanShare = body['writersCanShare'];
  return { body: project(context, renderFile(file, context.user), 'kind,id,name,mimeType') };
}

/**
 * The shared drive a new file goes into (its parent is the drive's id), if any: Drive answers
 * 404 for it unless the caller supports shared drives and may add items there.
 */
function sharedDriveParent(context: RequestContext, parents: string[]): string | undefined {
  const driveId = parents.find((p) => isSharedDriveId(context, p));
  if (driveId === undefined) return undefined;
  const drive = drivesOf(context)[driveId];
  const role = drive?.members[context.user.toLowerCase()];
  if (!queryFlag(context.query, 'supportsAllDrives') || !role) throw driveFileNotFound(driveId);
  if (!['organizer', 'fileOrganizer', 'writer'].includes(role)) throw driveInsufficientPermissions();
  return driveId;
}

export function updateFile(context: RequestContext, fileId: string): ApiResponse {
  const file = fileFor(context, fileId);
  const access = accessOf(file, context.user);
  if (!atLeast(access, 'writer')) throw driveInsufficientPermissions();
  const body = context.body === undefined && context.upload ? {} : bodyObject(context);
  if (body['trashed'] !== undefined && access !== 'owner') throw driveInsufficientPermissions();
  if (context.upload) {
    // New content for the same file: Docs editors files take no binary content.
    if (file.mimeType.startsWith('application/vnd.google-apps.'))
      throw notImplemented('uploading content into a Google Docs editors file');
    file.content = context.upload.bytes.toString('base64');
  }
  if (typeof body['name'] === 'string' && body['name'] !== '') {
    file.name = body['name'];
    const spreadsheet = context.store.spreadsheet(fileId);
    if (spreadsheet) spreadsheet.properties.title = body['name'];
  }
  if (typeof body['description'] === 'string') file.description = body['description'];
  if (typeof body['starred'] === 'boolean') file.starred = body['starred'];
  if (typeof body['writersCanShare'] === 'boolean' && file.driveId === undefined) {
    // Only the owner decides whether writers may share (writers could otherwise undo it).
    if (access !== 'owner') throw driveInsufficientPermissions();
    file.writersCanShare = body['writersCanShare'];
  }
  if (typeof body['trashed'] === 'boolean') file.trashed = body['trashed'];
  mergeProperties(file.appProperties, stringMap(body['appProperties'], 'appProperties'));
  mergeProperties(file.properties, stringMap(body['properties'], 'properties'));
  const addParents = (context.query.get('addParents') ?? '').split(',').filter(Boolean);
  const removeParents = new Set((context.query.get('removeParents') ?? '').split(',').filter(Boolean));
  if (addParents.length > 0 || removeParents.size > 0) {
    file.parents = [...new Set([...file.parents.filter((p) => !removeParents.has(p)), ...addParents])];
  }
  context.store.touchFile(fileId, context.user);
  return { body: project(context, renderFile(file, context.user), 'kind,id,name,mimeType') };
}

export function copyFile(context: RequestContext, fileId: string): ApiResponse {
  const source = fileFor(context, fileId);
  const spreadsheet = context.store.spreadsheet(fileId);
  if (!spreadsheet) throw new DriveApiError(403, 'This file cannot be copied by the user.', 'cannotCopyFile');
  const body = bodyObject(context);
  const name = typeof body['name'] === 'string' && body['name'] !== '' ? body['name'] : `Copy of ${source.name}`;
  const copy = structuredClone(spreadsheet);
  copy.spreadsheetId = newFileId();
  copy.properties.title = name;
  const parents = Array.isArray(body['parents'])
    ? body['parents'].filter((p): p is string => typeof p === 'string')
    : source.parents;
  // The copy starts from the source's metadata with the request applied as a patch; sharing is not copied.
  const file = addSpreadsheet(context, copy, {
    parents,
    appProperties: { ...source.appProperties },
    properties: { ...source.properties },
    ...(source.description !== undefined ? { description: source.description } : {}),
  });
  mergeProperties(file.appProperties, stringMap(body['appProperties'], 'appProperties'));
  mergeProperties(file.properties, stringMap(body['properties'], 'properties'));
  if (typeof body['description'] === 'string') file.description = body['description'];
  return { body: project(context, renderFile(file, context.user), 'kind,id,name,mimeType') };
}

export function deleteFile(context: RequestContext, fileId: string): ApiResponse {
  const file = fileFor(context, fileId);
  if (accessOf(file, context.user) !== 'owner') throw driveInsufficientPermissions();
  const viewers = viewersOf(file);
  delete context.store.state.files[fileId];
  delete context.store.state.spreadsheets[fileId];
  context.store.recordChange(fileId, true, viewers);
  return { status: 204 };
}

const ROLES: PermissionRole[] = ['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'];
const TYPES: PermissionType[] = ['user', 'group', 'domain', 'anyone'];

function permissionId(permission: Omit<PermissionState, 'id'>): string {
  if (permission.type === 'anyone') return permission.allowFileDiscovery ? 'anyone' : 'anyoneWithLink';
  if (permission.type === 'domain') return `${permissionIdFor(permission.domain ?? '')}k`;
  return permissionIdFor(permission.emailAddress ?? '');
}

export function createPermission(context: RequestContext, fileId: string): ApiResponse {
  if (isSharedDriveId(context, fileId)) return addDriveMember(context, fileId);
  const file = fileFor(context, fileId);
  if (!atLeast(accessOf(file, context.user), 'writer')) throw driveInsufficientPermissions();
  const body = bodyObject(context);
  const role = body['role'] as PermissionRole;
  const type = body['type'] as PermissionType;
  if (!TYPES.includes(type))
    throw new DriveApiError(400, 'The permission type field is required.', 'required', {
      location: 'permission.type',
      locationType: 'other',
    });
  if (!ROLES.includes(role))
    throw new DriveApiError(400, 'The permission role field is required.', 'required', {
      location: 'permission.role',
      locationType: 'other',
    });
  const emailAddress = typeof body['emailAddress'] === 'string' ? body['emailAddress'] : undefined;
  const domain = typeof body['domain'] === 'string' ? body['domain'] : undefined;
  if ((type === 'user' || type === 'group') && !emailAddress) {
    throw new DriveApiError(400, 'The permission emailAddress field is required.', 'required', {
      location: 'permission.emailAddress',
      locationType: 'other',
    });
  }
  if (type === 'domain' && !domain)
    throw new DriveApiError(400, 'The permission domain field is required.', 'required', {
      location: 'permission.domain',
      locationType: 'other',
    });
  if (role === 'owner') {
    if (context.query.get('transferOwnership') !== 'true') {
      throw new DriveApiError(
        403,
        "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
        'forbidden',
        {
          location: 'transferOwnership',
          locationType: 'parameter',
        },
      );
    }
    if (type !== 'user' || !emailAddress)
      throw driveBadRequest('Ownership can only be transferred to a user.', 'invalidSharingRequest');
    if (accessOf(file, context.user) !== 'owner') throw driveInsufficientPermissions();
    const previousOwner = file.ownerEmail;
    file.permissions = file.permissions.filter((p) => !sameEmail(p.emailAddress, emailAddress));
    file.ownerEmail = emailAddress;
    file.permissions.push({
      id: permissionIdFor(previousOwner),
      type: 'user',
      role: 'writer',
      emailAddress: previousOwner,
    });
    context.store.bumpVersion(fileId);
    return { body: project(context, renderPermission(ownerPermission(file)), 'kind,id,type,role') };
  }
  if (emailAddress && sameEmail(emailAddress, file.ownerEmail)) {
    throw driveBadRequest('The owner of a file already has full access.', 'invalidSharingRequest');
  }
  checkSharing(context, file, accessOf(file, context.user) === 'owner', {
    type,
    ...(emailAddress ? { emailAddress } : {}),
    ...(domain ? { domain } : {}),
  });
  const fields: Omit<PermissionState, 'id'> = { type, role };
  if (emailAddress) fields.emailAddress = emailAddress;
  const notified = notificationOf(context, type);
  if (notified) fields.notified = notified;
  if (type === 'domain' && domain) fields.domain = domain.toLowerCase();
  if (type === 'anyone' || type === 'domain') fields.allowFileDiscovery = body['allowFileDiscovery'] === true;
  const permission: PermissionState = { id: permissionId(fields), ...fields };
  // Sharing again with the same grantee replaces the role rather than adding a second entry.
  const existing = file.permissions.findIndex((p) => p.id === permission.id);
  if (existing >= 0) file.permissions[existing] = permission;
  else file.permissions.push(permission);
  context.store.bumpVersion(fileId);
  return { body: project(context, renderPermission(permission), 'kind,id,type,role') };
}

function allPermissions(file: DriveFileState): PermissionState[] {
  return [ownerPermission(file), ...file.permissions];
}

export function listPermissions(context: RequestContext, fileId: string): ApiResponse {
  const file = fileFor(context, fileId);
  const body = { kind: 'drive#permissionList', permissions: allPermissions(file).map(renderPermission) };
  return {
    body: project(
      context,
      body,
      'kind,permissions(kind,id,type,emailAddress,domain,role,allowFileDiscovery,displayName,deleted,pendingOwner)',
    ),
  };
}

export function getPermission(context: RequestContext, fileId: string, permissionIdText: string): ApiResponse {
  const file = fileFor(context, fileId);
  const permission = allPermissions(file).find((p) => p.id === permissionIdText);
  if (!permission)
    throw new DriveApiError(404, `Permission not found: ${permissionIdText}.`, 'notFound', {
      location: 'permissionId',
      locationType: 'parameter',
    });
  return { body: project(context, renderPermission(permission), 'kind,id,type,role') };
}

export function deletePermission(context: RequestContext, fileId: string, permissionIdText: string): ApiResponse {
  const file = fileFor(context, fileId);
  if (!atLeast(accessOf(file, context.user), 'writer')) throw driveInsufficientPermissions();
  if (permissionIdText === permissionIdFor(file.ownerEmail)) {
    throw new DriveApiError(403, 'The owner of a file cannot be removed.', 'cannotRemoveOwner');
  }
  const index = file.permissions.findIndex((p) => p.id === permissionIdText);
  if (index < 0)
    throw new DriveApiError(404, `Permission not found: ${permissionIdText}.`, 'notFound', {
      location: 'permissionId',
      locationType: 'parameter',
    });
  const [removed] = file.permissions.splice(index, 1);
  // Whoever just lost access still hears about the file, as a removal.
  const formerViewers =
    removed?.emailAddress && !atLeast(accessOf(file, removed.emailAddress), 'reader') ? [removed.emailAddress] : [];
  context.store.bumpVersion(fileId, formerViewers);
  return { status: 204 };
}

export function getStartPageToken(context: RequestContext): ApiResponse {
  // A drive's change feed exists only for its members (and callers supporting shared drives).
  listScope(context, { corporaParameter: false });
  return {
    body: project(
      context,
      { kind: 'drive#startPageToken', startPageToken: String(context.store.state.nextChangeId) },
      '*',
    ),
  };
}

export function listChanges(context: RequestContext): ApiResponse {
  const state = context.store.state;
  const tokenText = context.query.get('pageToken');
  const token = Number(tokenText);
  if (tokenText === null || tokenText === '' || !Number.isInteger(token) || token < 1 || token > state.nextChangeId) {
    throw driveInvalidValue('pageToken');
  }
  const pageSize = pageSizeOf(context, 100, 1000);
  const includeRemoved = context.query.get('includeRemoved') !== 'false';
  const inScope = listScope(context, { corporaParameter: false });
  const latest = new Map<string, { changeId: number; time: number; visibility: 'present' | 'removed' }>();
  let nextPageToken: number | undefined;
  const startIndex = state.changes.findIndex((change) => change.changeId >= token);
  if (startIndex >= 0) {
    for (let i = startIndex; i < state.changes.length; i += 1) {
      const change = state.changes[i];
      if (!change) continue;
      const visibility = changeVisibility(state, change, context.user);
      if (visibility === 'hidden' || (visibility === 'removed' && !includeRemoved)) continue;
      const changedFile = state.files[change.fileId];
      if (changedFile && !inScope(changedFile)) continue;
      if (!latest.has(change.fileId) && latest.size >= pageSize) {
        nextPageToken = change.changeId;
        break;
      }
      latest.delete(change.fileId);
      latest.set(change.fileId, { changeId: change.changeId, time: change.time, visibility });
    }
  }
  const changes = [...latest.entries()].map(([fileId, entry]) => {
    const file = state.files[fileId];
    const removed = entry.visibility === 'removed' || !file;
    const out: JsonObject = { kind: 'drive#change', changeType: 'file', time: isoAt(entry.time), removed, fileId };
    if (!removed && file) out['file'] = renderFile(file, context.user);
    return out;
  });
  const body: JsonObject = { kind: 'drive#changeList', changes };
  if (nextPageToken !== undefined) body['nextPageToken'] = String(nextPageToken);
  else body['newStartPageToken'] = String(state.nextChangeId);
  return {
    body: project(
      context,
      body,
      'kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,file(kind,id,name,mimeType))',
    ),
  };
}

/**
 * Revisions (metadata only). Google: revisions.list needs the file's `canReadRevisions`
 * capability (editors), pages at most 1000 (default 200), returns oldest first, and by default
 * only kind, id, mimeType and modifiedTime; `lastModifyingUser` must be asked for in `fields`.
 * While metadata lags a write, the revisions it added are not listed yet either.
 */
function revisionsFor(
  context: RequestContext,
  fileId: string,
): { file: DriveFileState; revisions: ReturnType<typeof visibleMetadata>['revisions'] } {
  const file = fileFor(context, fileId);
  if (!atLeast(accessOf(file, context.user), 'writer')) throw driveInsufficientPermissions();
  return { file, revisions: visibleMetadata(file, context.clock.now()).revisions };
}

export function listRevisions(context: RequestContext, fileId: string): ApiResponse {
  const { file, revisions } = revisionsFor(context, fileId);
  const pageSize = pageSizeOf(context, 200, 1000);
  const offset = decodePageToken(context.query.get('pageToken'));
  const body: JsonObject = {
    kind: 'drive#revisionList',
    revisions: revisions.slice(offset, offset + pageSize).map((r) => renderRevision(r, file, context.user)),
  };
  if (offset + pageSize < revisions.length)
    body['nextPageToken'] = Buffer.from(JSON.stringify({ offset: offset + pageSize })).toString('base64url');
  return { body: project(context, body, 'kind,nextPageToken,revisions(kind,id,mimeType,modifiedTime)') };
}

export function getRevision(context: RequestContext, fileId: string, revisionId: string): ApiResponse {
  const { file, revisions } = revisionsFor(context, fileId);
  if (context.query.get('alt') === 'media') {
    throw new DriveApiError(
      403,
      'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
      'fileNotDownloadable',
      { location: 'alt', locationType: 'parameter' },
    );
  }
  // "head" names the latest revision, as in Drive.
  const revision = revisionId === 'head' ? revisions[revisions.length - 1] : revisions.find((r) => r.id === revisionId);
  if (!revision)
    throw new DriveApiError(404, `Revision not found: ${revisionId}.`, 'notFound', {
      location: 'revisionId',
      locationType: 'parameter',
    });
  return { body: project(context, renderRevision(revision, file, context.user), 'kind,id,mimeType,modifiedTime') };
}
