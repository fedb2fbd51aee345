/**
 * Drive v3 resource shapes (File, User, Permission, Change) and change visibility.
 *
 * Drive semantics kept here: `version` is an int64 serialised as a string and grows with every
 * change to the file; a user's permission id is stable across files; a changes page reports
 * each file once, in its latest state, and only files the caller can see (a file the caller
 * lost access to, or that was deleted, is reported as `removed: true`).
 */
import { createHash } from 'node:crypto';
import { accessOf, atLeast, displayNameOf, sameEmail } from './access.js';
import { isoAt } from './clock.js';
import type {
  ChangeRecord,
  DriveFileState,
  EmulatorState,
  JsonObject,
  PermissionState,
  RevisionState,
} from './types.js';

export const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';
export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';

export function permissionIdFor(email: string): string {
  const digest = createHash('sha256').update(email.toLowerCase()).digest();
  let digits = '';
  for (const byte of digest) {
    digits += String(byte % 10);
    if (digits.length === 20) break;
  }
  return digits.replace(/^0/, '1');
}

export function renderUser(email: string, caller: string): JsonObject {
  return {
    kind: 'drive#user',
    displayName: displayNameOf(email),
    me: sameEmail(email, caller),
    permissionId: permissionIdFor(email),
    emailAddress: email,
  };
}

export function ownerPermission(file: DriveFileState): PermissionState {
  return { id: permissionIdFor(file.ownerEmail), type: 'user', role: 'owner', emailAddress: file.ownerEmail };
}

export function renderPermission(permission: PermissionState): JsonObject {
  const out: JsonObject = { kind: 'drive#permission', id: permission.id, type: permission.type, role: permission.role };
  if (permission.emailAddress !== undefined) {
    out['emailAddress'] = permission.emailAddress;
    out['displayName'] = displayNameOf(permission.emailAddress);
  }
  if (permission.domain !== undefined) out['domain'] = permission.domain;
  if (permission.allowFileDiscovery !== undefined) out['allowFileDiscovery'] = permission.allowFileDiscovery;
  out['deleted'] = false;
  out['pendingOwner'] = false;
  return out;
}

export function webViewLinkOf(file: DriveFileState): string {
  if (file.mimeType === SPREADSHEET_MIME) return `https://docs.google.com/spreadsheets/d/${file.id}/edit?usp=drivesdk`;
  if (file.mimeType === FOLDER_MIME_TYPE) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`;
}

/** What a reader sees of a file's edit bookkeeping at `now`: the state before recent writes while metadata lags. */
export function visibleMetadata(
  file: DriveFileState,
  now: number | undefined,
): { version: number; modifiedTime: number; lastModifyingUserEmail: string; revisions: RevisionState[] } {
  const revisions = file.revisions ?? [];
  const lag = file.lagging;
  if (now !== undefined && lag && lag.until > now) {
    return {
      version: lag.version,
      modifiedTime: lag.modifiedTime,
      lastModifyingUserEmail: lag.lastModifyingUserEmail,
      revisions: revisions.slice(0, lag.revisionCount),
    };
  }
  return {
    version: file.version,
    modifiedTime: file.modifiedTime,
    lastModifyingUserEmail: file.lastModifyingUserEmail,
    revisions,
  };
}

export function renderRevision(revision: RevisionState, file: DriveFileState, caller: string): JsonObject {
  return {
    kind: 'drive#revision',
    id: revision.id,
    mimeType: file.mimeType,
    modifiedTime: isoAt(revision.modifiedTime),
    lastModifyingUser: renderUser(revision.lastModifyingUserEmail, caller),
    published: false,
    publishAuto: false,
    publishedOutsideDomain: false,
  };
}

/**
 * `now` given (files.get, files.list): the metadata a reader sees then, which may lag a write.
 * Absent (a change entry): the file as the change left it.
 */
export function renderFile(file: DriveFileState, caller: string, now?: number): JsonObject {
  const access = accessOf(file, caller);
  const seen = visibleMetadata(file, now);
  const isOwner = access === 'owner';
  const canEdit = atLeast(access, 'writer');
  const out: JsonObject = {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    starred: file.starred,
    trashed: file.trashed,
    explicitlyTrashed: file.trashed,
    parents: [...file.parents],
    spaces: ['drive'],
    version: String(seen.version),
    webViewLink: webViewLinkOf(file),
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
    hasThumbnail: false,
    viewedByMe: true,
    createdTime: isoAt(file.createdTime),
    modifiedTime: isoAt(seen.modifiedTime),
    // Whether the caller ever modified the file, not whether it made the latest change.
    modifiedByMe:
      sameEmail(seen.lastModifyingUserEmail, caller) ||
      seen.revisions.some((r) => sameEmail(r.lastModifyingUserEmail, caller)),
    owners: [renderUser(file.ownerEmail, caller)],
    lastModifyingUser: renderUser(seen.lastModifyingUserEmail, caller),
    shared: file.permissions.length > 0,
    ownedByMe: isOwner,
    viewersCanCopyContent: true,
    copyRequiresWriterPermission: false,
    // Not populated for items in shared drives; their drive's restrictions decide.
    ...(file.driveId === undefined ? { writersCanShare: file.writersCanShare ?? true } : { driveId: file.driveId }),
    permissionIds: [permissionIdFor(file.ownerEmail), ...file.permissions.map((p) => p.id)],
    quotaBytesUsed: '0',
    isAppAuthorized: true,
    capabilities: {
      canEdit,
      canComment: atLeast(access, 'commenter'),
      canCopy: file.mimeType !== FOLDER_MIME_TYPE,
      canDelete: isOwner,
      canTrash: isOwner,
      canUntrash: isOwner,
      canRename: canEdit,
      canShare: isOwner || (canEdit && (file.driveId !== undefined || file.writersCanShare !== false)),
      canDownload: true,
      canReadRevisions: canEdit,
      canModifyContent: canEdit,
      canChangeCopyRequiresWriterPermission: canEdit,
      canAddChildren: file.mimeType === FOLDER_MIME_TYPE && canEdit,
      canListChildren: file.mimeType === FOLDER_MIME_TYPE,
      canRemoveChildren: file.mimeType === FOLDER_MIME_TYPE && canEdit,
    },
  };
  if (file.description !== undefined) out['description'] = file.description;
  if (canEdit) out['permissions'] = [ownerPermission(file), ...file.permissions].map(renderPermission);
  if (Object.keys(file.appProperties).length > 0) out['appProperties'] = { ...file.appProperties };
  if (Object.keys(file.properties).length > 0) out['properties'] = { ...file.properties };
  return out;
}

export type ChangeVisibility = 'hidden' | 'present' | 'removed';

/** Everyone who could open the file through its owner or a user/group permission. */
export function viewersOf(file: DriveFileState): string[] {
  const emails = [
    file.ownerEmail,
    ...file.permissions.filter((p) => p.emailAddress !== undefined).map((p) => p.emailAddress as string),
  ];
  return [...new Set(emails.map((email) => email.toLowerCase()))];
}

function removalFor(state: EmulatorState, fileId: string): ChangeRecord | undefined {
  for (let i = state.changes.length - 1; i >= 0; i -= 1) {
    const change = state.changes[i] as ChangeRecord;
    if (change.fileId === fileId && change.removed) return change;
  }
  return undefined;
}

/** How a change shows to `user` now, judged on the file's latest state. */
export function changeVisibility(state: EmulatorState, change: ChangeRecord, user: string): ChangeVisibility {
  const file = state.files[change.fileId];
  const formerViewer = (record: ChangeRecord | undefined): boolean =>
    (record?.formerViewers ?? []).some((email) => sameEmail(email, user));
  if (!file) return formerViewer(change.removed ? change : removalFor(state, change.fileId)) ? 'removed' : 'hidden';
  if (atLeast(accessOf(file, user), 'reader')) return 'present';
  return formerViewer(change) ? 'removed' : 'hidden';
}
