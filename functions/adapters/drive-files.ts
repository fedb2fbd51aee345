/** The Drive v3 calls the system needs: file versions, creating and sharing sheets, change feeds. */
import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import { DEFAULT_RETRY, reasonOf, statusOf, withRetry, type RetryPolicy } from './retry.js';

export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';
const FOLDER_MIME = 'application/vnd.google-apps.folder';

import {
  DRIVE_ROLE_RANK,
  type FileMeta,
  type RevisionMeta,
  type ChangedFile,
  type ShareOutcome,
  type FilePermission,
  type SharedDriveRestrictions,
  type Files,
} from '../app/ports.js';

// The port's types are the application's (app/ports.ts); re-exported for callers of this adapter.
export type { FileMeta, RevisionMeta, ChangedFile, ShareOutcome, FilePermission, SharedDriveRestrictions };

const FILE_FIELDS = 'id,name,version,modifiedTime,lastModifyingUser(emailAddress,me),webViewLink,appProperties,trashed';

function toMeta(file: drive_v3.Schema$File): FileMeta {
  return {
    id: file.id!,
    name: file.name ?? '',
    version: Number(file.version ?? 0),
    modifiedTime: file.modifiedTime ?? null,
    lastModifyingUser: file.lastModifyingUser?.emailAddress ?? null,
    lastModifiedByMe: file.lastModifyingUser ? Boolean(file.lastModifyingUser.me) : null,
    webViewLink: file.webViewLink ?? null,
    appProperties: (file.appProperties as Record<string, string> | undefined) ?? {},
  };
}

/** Drive refuses an address without a Google account unless the invitation mail is sent. */
function needsInvitation(error: unknown): boolean {
  return (
    statusOf(error) === 400 &&
    reasonOf(error) === 'invalidSharingRequest' &&
    /no Google account/i.test(String((error as Error)?.message ?? ''))
  );
}

/** Quotes a value inside a Drive query string. */
const quoteLiteral = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class DriveFiles implements Files {
  constructor(
    private readonly drive: drive_v3.Drive,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** Shared drive holding the files, when the service account works in one. */
    private readonly sharedDriveId: string | null = null,
  ) {}

  private call<T>(request: () => Promise<T>): Promise<T> {
    return withRetry(request, this.retry);
  }

  async meta(fileId: string): Promise<FileMeta | null> {
    try {
      const res = await this.call(() =>
        this.drive.files.get({ fileId, fields: FILE_FIELDS, supportsAllDrives: true }, { retry: false }),
      );
      return toMeta(res.data);
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  /**
   * Every revision Drive still lists for the file, oldest first (all pages). Drive prunes old
   * revisions and may merge a burst of edits into one, so callers rely only on the latest ones.
   */
  async revisions(fileId: string): Promise<RevisionMeta[]> {
    const out: RevisionMeta[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(() =>
        this.drive.revisions.list(
          {
            fileId,
            pageSize: 1000,
            fields: 'nextPageToken,revisions(id,modifiedTime,lastModifyingUser(me))',
            ...(pageToken ? { pageToken } : {}),
          },
          { retry: false },
        ),
      );
      for (const revision of res.data.revisions ?? []) {
        const time = Date.parse(revision.modifiedTime ?? '');
        if (!revision.id || !Number.isFinite(time)) continue;
        out.push({
          id: revision.id,
          modifiedTime: time,
          byMe: revision.lastModifyingUser ? Boolean(revision.lastModifyingUser.me) : null,
        });
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async findByAppProperties(props: Record<string, string>): Promise<FileMeta[]> {
    const clauses = Object.entries(props).map(
      ([k, v]) => `appProperties has { key=${quoteLiteral(k)} and value=${quoteLiteral(v)} }`,
    );
    clauses.push('trashed = false');
    const out: FileMeta[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(() =>
        this.drive.files.list(
          {
            q: clauses.join(' and '),
            fields: `nextPageToken,files(${FILE_FIELDS})`,
            pageSize: 100,
            ...(pageToken ? { pageToken } : {}),
            supportsAllDrives: true,
            includeItemsFromAllDrives: true,
            ...(this.sharedDriveId ? { corpora: 'drive', driveId: this.sharedDriveId } : {}),
          },
          { retry: false },
        ),
      );
      out.push(...(res.data.files ?? []).map(toMeta));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /**
   * Creates a blank spreadsheet carrying appProperties. Not idempotent by itself: callers look
   * the file up by those appProperties first, and again after a failure whose outcome is unknown.
   */
  async createSpreadsheet(name: string, appProperties: Record<string, string>, parentId?: string): Promise<FileMeta> {
    const res = await this.drive.files.create(
      {
        requestBody: {
          name,
          mimeType: SPREADSHEET_MIME,
          appProperties,
          ...(parentId ? { parents: [parentId] } : this.sharedDriveId ? { parents: [this.sharedDriveId] } : {}),
          // Only the system shares a sheet: writers (the units' clerks) may not re-share it.
          // Drive ignores this for shared-drive items, where the drive's restrictions decide.
          ...(this.sharedDriveId ? {} : { writersCanShare: false }),
        },
        fields: FILE_FIELDS,
        supportsAllDrives: true,
      },
      { retry: false },
    );
    return toMeta(res.data);
  }

  async ensureFolder(name: string, appProperties: Record<string, string>): Promise<FileMeta> {
    const [found] = await this.findByAppProperties(appProperties);
    if (found) return found;
    const res = await this.drive.files.create(
      {
        requestBody: {
          name,
          mimeType: FOLDER_MIME,
          appProperties,
          ...(this.sharedDriveId ? { parents: [this.sharedDriveId] } : {}),
        },
        fields: FILE_FIELDS,
        supportsAllDrives: true,
      },
      { retry: false },
    );
    return toMeta(res.data);
  }

  /**
   * Writes a binary file (a report the coordinators download), replacing the content of the
   * one found by `appProperties` if there is one: re-running never makes a second copy.
   * Drive's files.update with media replaces the content in place (same id, same link);
   * https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update.
   * A creation is not retried blindly (its outcome may be unknown): the next run finds it.
   */
  async upsertFile(
    name: string,
    mimeType: string,
    content: Buffer,
    appProperties: Record<string, string>,
    parentId?: string,
  ): Promise<{ file: FileMeta; created: boolean; duplicates: number }> {
    const found = await this.findByAppProperties(appProperties);
    const media = () => ({ mimeType, body: Readable.from([content]) });
    // googleapis-common rewrites a method's URL to the client's rootUrl but builds the upload
    // (media) URL from the per-call options only: without this, an emulator-bound client would
    // upload to www.googleapis.com.
    const rootUrl = (this.drive as unknown as { context?: { _options?: { rootUrl?: string } } }).context?._options
      ?.rootUrl;
    const callOptions = { retry: false, ...(rootUrl ? { rootUrl } : {}) };
    if (found.length > 0) {
      const res = await this.call(() =>
        this.drive.files.update(
          {
            fileId: found[0]!.id,
            requestBody: { name, mimeType },
            media: media(),
            fields: FILE_FIELDS,
            supportsAllDrives: true,
          },
          callOptions,
        ),
      );
      return { file: toMeta(res.data), created: false, duplicates: found.length - 1 };
    }
    const res = await this.drive.files.create(
      {
        requestBody: {
          name,
          mimeType,
          appProperties,
          ...(parentId ? { parents: [parentId] } : this.sharedDriveId ? { parents: [this.sharedDriveId] } : {}),
        },
        media: media(),
        fields: FILE_FIELDS,
        supportsAllDrives: true,
      },
      callOptions,
    );
    return { file: toMeta(res.data), created: true, duplicates: 0 };
  }

  async permissions(fileId: string): Promise<FilePermission[]> {
    const out: FilePermission[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(() =>
        this.drive.permissions.list(
          {
            fileId,
            // Only shared-drive items have permissionDetails (members' access is inherited from the drive).
            fields: `nextPageToken,permissions(id,role,emailAddress,type,domain${this.sharedDriveId ? ',permissionDetails(inherited)' : ''})`,
            supportsAllDrives: true,
            ...(pageToken ? { pageToken } : {}),
          },
          { retry: false },
        ),
      );
      for (const permission of res.data.permissions ?? []) {
        const details = permission.permissionDetails ?? [];
        out.push({
          id: permission.id!,
          role: permission.role!,
          emailAddress: permission.emailAddress ?? null,
          type: permission.type ?? 'user',
          domain: permission.domain ?? null,
          inherited: details.length > 0 && details.every((d) => d.inherited === true),
        });
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /**
   * Grants `role` to `email` unless an equal or stronger grant exists. An address without a
   * Google account is invited instead (Drive sends the notification mail, carrying
   * `invitation`); any other refusal of this contact (outside the shared drive's
   * organisation, a sharing policy, a rate limit that outlived the retries) is returned, not
   * thrown, so that one bad contact does not stop the rest. Only failures that are not about
   * the contact (the file is gone, the service is down) are thrown.
   */
  async share(
    fileId: string,
    email: string,
    role: 'reader' | 'writer',
    existing?: { role: string; emailAddress: string | null }[],
    invitation?: string,
  ): Promise<ShareOutcome> {
    const current = existing ?? (await this.permissions(fileId));
    const have = current.find((p) => p.emailAddress?.toLowerCase() === email.toLowerCase());
    if (have && (DRIVE_ROLE_RANK[have.role] ?? 0) >= DRIVE_ROLE_RANK[role]!) return { status: 'present' };
    const create = (notify: boolean) =>
      this.call(() =>
        this.drive.permissions.create(
          {
            fileId,
            supportsAllDrives: true,
            sendNotificationEmail: notify,
            ...(notify && invitation ? { emailMessage: invitation } : {}),
            requestBody: { role, type: 'user', emailAddress: email },
          },
          { retry: false },
        ),
      );
    try {
      await create(false);
      return { status: 'granted' };
    } catch (error) {
      if (!needsInvitation(error)) return refusalOf(error);
    }
    try {
      await create(true);
      return { status: 'invited' };
    } catch (error) {
      return refusalOf(error);
    }
  }

  /** Whether writers may re-share the file, and the shared drive holding it (if any). */
  async sharingSettings(fileId: string): Promise<{ writersCanShare: boolean | null; driveId: string | null }> {
    const res = await this.call(() =>
      this.drive.files.get({ fileId, fields: 'writersCanShare,driveId', supportsAllDrives: true }, { retry: false }),
    );
    return { writersCanShare: res.data.writersCanShare ?? null, driveId: res.data.driveId ?? null };
  }

  /** Only the owner (the system) may change the file's sharing from now on. My Drive only. */
  async forbidWritersSharing(fileId: string): Promise<void> {
    await this.call(() =>
      this.drive.files.update(
        { fileId, supportsAllDrives: true, requestBody: { writersCanShare: false }, fields: 'id' },
        { retry: false },
      ),
    );
  }

  /** A shared drive's name and restrictions (drives.get). */
  async sharedDrive(driveId: string): Promise<{ id: string; name: string; restrictions: SharedDriveRestrictions }> {
    const res = await this.call(() =>
      this.drive.drives.get({ driveId, fields: 'id,name,restrictions' }, { retry: false }),
    );
    return {
      id: res.data.id ?? driveId,
      name: res.data.name ?? '',
      restrictions: (res.data.restrictions as SharedDriveRestrictions | undefined) ?? {},
    };
  }

  /** The shared drive the service account works in, if any. */
  get sharedDriveIdInUse(): string | null {
    return this.sharedDriveId;
  }

  async startPageToken(): Promise<string> {
    const res = await this.call(() =>
      this.drive.changes.getStartPageToken(
        { supportsAllDrives: true, ...(this.sharedDriveId ? { driveId: this.sharedDriveId } : {}) },
        { retry: false },
      ),
    );
    return res.data.startPageToken!;
  }

  /** Follows every page from `pageToken`; returns the changed files and the token to resume from. */
  async listChanges(pageToken: string): Promise<{ changes: ChangedFile[]; newStartPageToken: string }> {
    const changes: ChangedFile[] = [];
    let token: string | undefined = pageToken;
    for (;;) {
      const current: string = token!;
      const res = await this.call(() =>
        this.drive.changes.list(
          {
            pageToken: current,
            pageSize: 1000,
            includeRemoved: true,
            supportsAllDrives: true,
            includeItemsFromAllDrives: true,
            ...(this.sharedDriveId ? { driveId: this.sharedDriveId } : {}),
            fields: 'nextPageToken,newStartPageToken,changes(fileId,removed,file(id,version,mimeType,trashed))',
          },
          { retry: false },
        ),
      );
      for (const change of res.data.changes ?? []) {
        if (!change.fileId) continue;
        if (change.file?.mimeType && change.file.mimeType !== SPREADSHEET_MIME) continue;
        changes.push({
          fileId: change.fileId,
          version: change.file?.version ? Number(change.file.version) : null,
          removed: Boolean(change.removed || change.file?.trashed),
        });
      }
      if (res.data.newStartPageToken) return { changes, newStartPageToken: res.data.newStartPageToken };
      token = res.data.nextPageToken ?? undefined;
      if (!token) return { changes, newStartPageToken: current };
    }
  }

  async watchChanges(
    pageToken: string,
    channel: { id: string; address: string; token: string; expiration: number },
  ): Promise<{ id: string; resourceId: string; expiration: number }> {
    const res = await this.call(() =>
      this.drive.changes.watch(
        {
          pageToken,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          ...(this.sharedDriveId ? { driveId: this.sharedDriveId } : {}),
          requestBody: {
            id: channel.id,
            type: 'web_hook',
            address: channel.address,
            token: channel.token,
            expiration: String(channel.expiration),
          },
        },
        { retry: false },
      ),
    );
    return {
      id: res.data.id!,
      resourceId: res.data.resourceId!,
      expiration: Number(res.data.expiration ?? channel.expiration),
    };
  }

  async stopChannel(id: string, resourceId: string): Promise<void> {
    try {
      await this.call(() => this.drive.channels.stop({ requestBody: { id, resourceId } }, { retry: false }));
    } catch (e) {
      // A channel that already expired or was stopped is fine to forget.
      if (statusOf(e) !== 404) throw e;
    }
  }
}

/** A refusal that concerns the contact becomes an outcome; anything else is thrown. */
function refusalOf(error: unknown): ShareOutcome {
  const status = statusOf(error);
  if (status === 400 || status === 403) {
    return {
      status: 'refused',
      reason: reasonOf(error) ?? String(status),
      message: String((error as Error)?.message ?? ''),
    };
  }
  throw error;
}
