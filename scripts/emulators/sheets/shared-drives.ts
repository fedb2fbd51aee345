/**
 * Shared drives (drives.create/get/list/update, members through permissions on the drive id)
 * and the sharing rules Drive applies to `permissions.create`, as Google documents them:
 *
 * - Items in a shared drive are visible only to callers that say they support shared drives:
 *   `supportsAllDrives=true` on files.get/update/delete/copy and permissions.*, otherwise
 *   404 "File not found" (https://developers.google.com/workspace/drive/api/guides/enable-shareddrives).
 *   files.list and changes.list show them only with `includeItemsFromAllDrives=true`;
 *   `corpora=drive` needs `driveId`, and `driveId` needs `corpora=drive`.
 * - `writersCanShare: false` on a My Drive file: only the owner may change its permissions;
 *   a writer's permissions.create is 403 insufficientFilePermissions. Not used for shared-drive
 *   items, where the drive's restrictions decide
 *   (https://developers.google.com/workspace/drive/api/guides/manage-sharing).
 * - A shared drive's `restrictions.domainUsersOnly`: nobody outside the drive's organisation
 *   (and no "anyone" link) may be granted access to its items: 403
 *   teamDriveDomainUsersOnlyRestriction. `driveMembersOnly`: only members: 403
 *   teamDriveTeamMembersOnlyRestriction (reason names as GAM handles them: GAM-team/GAM).
 * - An address without a Google account can only be invited with the notification e-mail:
 *   `sendNotificationEmail=false` answers 400 invalidSharingRequest
 *   (https://developers.google.com/workspace/drive/api/guides/handle-errors#invalidsharingrequest).
 *
 * How the emulator knows an address has no Google account: every address at the domain
 * `no-google.example` (or a subdomain of it) has none. Everything else has one.
 *
 * Simplification: a file created in a shared drive keeps its creator as its internal owner
 * (full access); other drive members get no inherited access to items. The organisation of a
 * drive is its creator's e-mail domain.
 */
import { randomBytes } from 'node:crypto';
import { domainOf } from './access.js';
import { isoAt } from './clock.js';
import { type ApiResponse, type RequestContext, bodyObject, queryFlag } from './context.js';
import { DriveApiError, driveBadRequest, driveInsufficientPermissions, driveInvalidValue } from './errors.js';
import { projectDriveFields } from './field-mask.js';
import { permissionIdFor } from './drive-resources.js';
import type { DriveFileState, JsonObject, PermissionRole, SharedDriveRestrictions, SharedDriveState } from './types.js';

/** Addresses at this domain (or below it) have no Google account in the emulator. */
export const NO_GOOGLE_ACCOUNT_DOMAIN = 'no-google.example';

export function hasGoogleAccount(email: string): boolean {
  const domain = domainOf(email);
  return domain !== NO_GOOGLE_ACCOUNT_DOMAIN && !domain.endsWith(`.${NO_GOOGLE_ACCOUNT_DOMAIN}`);
}

const DEFAULT_RESTRICTIONS: SharedDriveRestrictions = {
  domainUsersOnly: false,
  driveMembersOnly: false,
  sharingFoldersRequiresOrganizerPermission: false,
  copyRequiresWriterPermission: false,
  adminManagedRestrictions: false,
};

export function drivesOf(context: RequestContext): Record<string, SharedDriveState> {
  context.store.state.drives ??= {};
  return context.store.state.drives;
}

export function sharedDriveNotFound(driveId: string): DriveApiError {
  return new DriveApiError(404, `Shared drive not found: ${driveId}`, 'notFound', {
    location: 'driveId',
    locationType: 'parameter',
  });
}

function memberRole(drive: SharedDriveState, user: string): PermissionRole | undefined {
  return drive.members[user.toLowerCase()];
}

/** The drive the caller is a member of, or Drive's 404 (it does not reveal drives to others). */
export function driveForMember(context: RequestContext, driveId: string): SharedDriveState {
  const drive = drivesOf(context)[driveId];
  if (!drive || !memberRole(drive, context.user)) throw sharedDriveNotFound(driveId);
  return drive;
}

export function isSharedDriveId(context: RequestContext, id: string): boolean {
  return drivesOf(context)[id] !== undefined;
}

/** Items in shared drives exist only for callers that pass supportsAllDrives=true. */
export function visibleToCaller(context: RequestContext, file: DriveFileState): boolean {
  return file.driveId === undefined || queryFlag(context.query, 'supportsAllDrives');
}

/**
 * files.list / changes.list scoping: which shared-drive items the request may return.
 * `corpora=drive` and `driveId` go together; shared-drive items appear only with
 * includeItemsFromAllDrives=true.
 */
export function listScope(
  context: RequestContext,
  { corporaParameter }: { corporaParameter: boolean },
): (file: DriveFileState) => boolean {
  const driveId = context.query.get('driveId');
  const corpora = context.query.get('corpora');
  if (corporaParameter && (driveId !== null) !== (corpora === 'drive')) {
    throw new DriveApiError(
      400,
      'The driveId parameter must be specified if and only if corpora is set to drive.',
      'invalid',
      {
        location: driveId === null ? 'driveId' : 'corpora',
        locationType: 'parameter',
      },
    );
  }
  const includeAll =
    queryFlag(context.query, 'includeItemsFromAllDrives') && queryFlag(context.query, 'supportsAllDrives');
  if (driveId !== null) {
    driveForMember(context, driveId);
    return (file) => includeAll && file.driveId === driveId;
  }
  return (file) => file.driveId === undefined || includeAll;
}

function renderDrive(drive: SharedDriveState, caller: string): JsonObject {
  const role = memberRole(drive, caller);
  const organizer = role === 'organizer';
  return {
    kind: 'drive#drive',
    id: drive.id,
    name: drive.name,
    createdTime: isoAt(drive.createdTime),
    hidden: false,
    restrictions: { ...drive.restrictions },
    capabilities: {
      canAddChildren: role === 'organizer' || role === 'fileOrganizer' || role === 'writer',
      canManageMembers: organizer,
      canShare: organizer || role === 'fileOrganizer',
      canRename: organizer,
      canDeleteDrive: organizer,
      canChangeDomainUsersOnlyRestriction: organizer,
      canChangeDriveMembersOnlyRestriction: organizer,
      canChangeSharingFoldersRequiresOrganizerPermissionRestriction: organizer,
      canChangeCopyRequiresWriterPermissionRestriction: organizer,
    },
  };
}

function project(context: RequestContext, value: unknown, defaultFields: string): unknown {
  return projectDriveFields(context.query.get('fields'), value, defaultFields);
}

function restrictionsPatch(value: unknown): Partial<SharedDriveRestrictions> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw driveInvalidValue('restrictions');
  const out: Partial<SharedDriveRestrictions> = {};
  for (const [key, entryValue] of Object.entries(value as Record<string, unknown>)) {
    if (!(key in DEFAULT_RESTRICTIONS) || typeof entryValue !== 'boolean')
      throw driveInvalidValue(`restrictions.${key}`);
    out[key as keyof SharedDriveRestrictions] = entryValue;
  }
  return out;
}

export function createDrive(context: RequestContext): ApiResponse {
  const requestId = context.query.get('requestId');
  if (!requestId)
    throw new DriveApiError(400, 'Required parameter: requestId', 'required', {
      location: 'requestId',
      locationType: 'parameter',
    });
  const drives = drivesOf(context);
  const again = Object.values(drives).find((d) => d.requestId === requestId);
  if (again) return { body: project(context, renderDrive(again, context.user), 'kind,id,name') };
  const body = bodyObject(context);
  const name = typeof body['name'] === 'string' && body['name'] !== '' ? body['name'] : 'Untitled';
  const drive: SharedDriveState = {
    // Shared drive ids start with "0A", as Google's do.
    id: `0A${randomBytes(14).toString('base64url').slice(0, 17)}Uk9PVA`,
    name,
    createdTime: context.clock.now(),
    domain: domainOf(context.user),
    restrictions: { ...DEFAULT_RESTRICTIONS, ...restrictionsPatch(body['restrictions']) },
    members: { [context.user.toLowerCase()]: 'organizer' },
    requestId,
  };
  drives[drive.id] = drive;
  context.store.markDirty();
  return { body: project(context, renderDrive(drive, context.user), 'kind,id,name') };
}

export function getDrive(context: RequestContext, driveId: string): ApiResponse {
  return { body: project(context, renderDrive(driveForMember(context, driveId), context.user), 'kind,id,name') };
}

export function listDrives(context: RequestContext): ApiResponse {
  const mine = Object.values(drivesOf(context)).filter((d) => memberRole(d, context.user) !== undefined);
  return {
    body: project(
      context,
      { kind: 'drive#driveList', drives: mine.map((d) => renderDrive(d, context.user)) },
      'kind,nextPageToken,drives(kind,id,name)',
    ),
  };
}

export function updateDrive(context: RequestContext, driveId: string): ApiResponse {
  const drive = driveForMember(context, driveId);
  if (memberRole(drive, context.user) !== 'organizer') throw driveInsufficientPermissions();
  const body = bodyObject(context);
  if (typeof body['name'] === 'string' && body['name'] !== '') drive.name = body['name'];
  Object.assign(drive.restrictions, restrictionsPatch(body['restrictions']));
  context.store.markDirty();
  return { body: project(context, renderDrive(drive, context.user), 'kind,id,name') };
}

/** permissions.create on a shared drive's id: adds a member (organizers only). */
export function addDriveMember(context: RequestContext, driveId: string): ApiResponse {
  if (!queryFlag(context.query, 'supportsAllDrives'))
    throw new DriveApiError(404, `File not found: ${driveId}.`, 'notFound', {
      location: 'fileId',
      locationType: 'parameter',
    });
  const drive = driveForMember(context, driveId);
  if (memberRole(drive, context.user) !== 'organizer') throw driveInsufficientPermissions();
  const body = bodyObject(context);
  const email = typeof body['emailAddress'] === 'string' ? body['emailAddress'] : '';
  const role = body['role'] as PermissionRole;
  if (body['type'] !== 'user' || !email)
    throw driveBadRequest('The emulator adds shared drive members by user e-mail only.', 'invalidSharingRequest');
  if (!['organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'].includes(role))
    throw driveInvalidValue('permission.role');
  if (drive.restrictions.domainUsersOnly && domainOf(email) !== drive.domain) throw outsideDomain();
  drive.members[email.toLowerCase()] = role;
  context.store.markDirty();
  return {
    body: project(
      context,
      { kind: 'drive#permission', id: permissionIdFor(email), type: 'user', role, emailAddress: email },
      'kind,id,type,role',
    ),
  };
}

function outsideDomain(): DriveApiError {
  return new DriveApiError(
    403,
    "The user does not have permission to share this item outside the shared drive's organization.",
    'teamDriveDomainUsersOnlyRestriction',
  );
}

/**
 * The rules permissions.create applies before a grant on an item: who may share it, and with
 * whom. `access` is the caller's access to the file.
 */
export function checkSharing(
  context: RequestContext,
  file: DriveFileState,
  isOwner: boolean,
  grant: { type: string; emailAddress?: string; domain?: string },
): void {
  if (file.driveId !== undefined) {
    const drive = drivesOf(context)[file.driveId];
    if (drive) {
      const restrictions = drive.restrictions;
      const outside =
        grant.type === 'anyone' ||
        (grant.type === 'domain' && (grant.domain ?? '').toLowerCase() !== drive.domain) ||
        (grant.emailAddress !== undefined && domainOf(grant.emailAddress) !== drive.domain);
      if (restrictions.domainUsersOnly && outside) throw outsideDomain();
      if (restrictions.driveMembersOnly && !(grant.emailAddress && memberRole(drive, grant.emailAddress))) {
        throw new DriveApiError(
          403,
          'Only members of this shared drive can be given access to its items.',
          'teamDriveTeamMembersOnlyRestriction',
        );
      }
    }
  } else if (file.writersCanShare === false && !isOwner) {
    throw driveInsufficientPermissions();
  }
  const email = grant.emailAddress;
  if (
    (grant.type === 'user' || grant.type === 'group') &&
    email &&
    !hasGoogleAccount(email) &&
    context.query.get('sendNotificationEmail') === 'false'
  ) {
    // Google's wording as its Drive UI and API report it (the message is the "User message").
    throw new DriveApiError(
      400,
      `Bad Request. User message: "You are trying to invite ${email}. Since there is no Google account associated with this email address, you must check the "Notify people" box to invite this recipient."`,
      'invalidSharingRequest',
    );
  }
}

/** What Drive records of the invitation mail: sent unless sendNotificationEmail=false (users and groups). */
export function notificationOf(context: RequestContext, type: string): { message: string | null } | undefined {
  if (type !== 'user' && type !== 'group') return undefined;
  if (context.query.get('sendNotificationEmail') === 'false') return undefined;
  return { message: context.query.get('emailMessage') };
}

type RouteRun = (context: RequestContext) => ApiResponse;

/** `/drive/v3/drives[/{driveId}]`: the server passes its route builder so logging stays uniform. */
export function sharedDriveRoute<R>(
  method: string,
  segments: string[],
  route: (op: string, run: RouteRun) => R,
): R | null {
  const driveId = segments[1];
  if (segments.length === 1) {
    if (method === 'GET') return route('drives.list', listDrives);
    if (method === 'POST') return route('drives.create', createDrive);
    return null;
  }
  if (segments.length !== 2 || driveId === undefined) return null;
  if (method === 'GET') return route('drives.get', (context) => getDrive(context, driveId));
  if (method === 'PATCH') return route('drives.update', (context) => updateDrive(context, driveId));
  return null;
}
