/** The Drive v3 calls the system needs: file versions, creating and sharing sheets, change feeds. */
import type { drive_v3 } from '@googleapis/drive';
import { DEFAULT_RETRY, statusOf, withRetry, type RetryPolicy } from './retry.js';

export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';

export interface FileMeta {
  id: string;
  name: string;
  version: number;
  modifiedTime: string | null;
  lastModifyingUser: string | null;
  /**
   * Whether the latest change was made by the caller (the service account): Drive's
   * `lastModifyingUser.me`. Null when Drive names no user (the field is filled only when a
   * signed-in user made the change).
   */
  lastModifiedByMe: boolean | null;
  webViewLink: string | null;
  appProperties: Record<string, string>;
}

const FILE_FIELDS = 'id,name,version,modifiedTime,lastModifyingUser(emailAddress,me),webViewLink,appProperties,trashed';

/** One edit of a file, as Drive's revisions list describes it. */
export interface RevisionMeta {
  id: string;
  /** Epoch ms. */
  modifiedTime: number;
  /** The revision's author is the caller (the service account); null when Drive names no user. */
  byMe: boolean | null;
}

function toMeta(f: drive_v3.Schema$File): FileMeta {
  return {
    id: f.id!,
    name: f.name ?? '',
    version: Number(f.version ?? 0),
    modifiedTime: f.modifiedTime ?? null,
    lastModifyingUser: f.lastModifyingUser?.emailAddress ?? null,
    lastModifiedByMe: f.lastModifyingUser ? Boolean(f.lastModifyingUser.me) : null,
    webViewLink: f.webViewLink ?? null,
    appProperties: (f.appProperties as Record<string, string> | undefined) ?? {},
  };
}

export interface ChangedFile {
  fileId: string;
  version: number | null;
  removed: boolean;
}

/** Quotes a value inside a Drive query string. */
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class DriveFiles {
  constructor(
    private readonly drive: drive_v3.Drive,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** Shared drive holding the files, when the service account works in one. */
    private readonly sharedDriveId: string | null = null,
  ) {}

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.retry);
  }

  async meta(fileId: string): Promise<FileMeta | null> {
    try {
      const res = await this.call(() => this.drive.files.get({ fileId, fields: FILE_FIELDS, supportsAllDrives: true }, { retry: false }));
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
          { fileId, pageSize: 1000, fields: 'nextPageToken,revisions(id,modifiedTime,lastModifyingUser(me))', ...(pageToken ? { pageToken } : {}) },
          { retry: false },
        ),
      );
      for (const r of res.data.revisions ?? []) {
        const time = Date.parse(r.modifiedTime ?? '');
        if (!r.id || !Number.isFinite(time)) continue;
        out.push({ id: r.id, modifiedTime: time, byMe: r.lastModifyingUser ? Boolean(r.lastModifyingUser.me) : null });
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async findByAppProperties(props: Record<string, string>): Promise<FileMeta[]> {
    const clauses = Object.entries(props).map(([k, v]) => `appProperties has { key=${q(k)} and value=${q(v)} }`);
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
        requestBody: { name, mimeType: SPREADSHEET_MIME, appProperties, ...(parentId ? { parents: [parentId] } : this.sharedDriveId ? { parents: [this.sharedDriveId] } : {}) },
        fields: FILE_FIELDS,
        supportsAllDrives: true,
      },
      { retry: false },
    );
    return toMeta(res.data);
  }

  async permissions(fileId: string): Promise<{ id: string; role: string; emailAddress: string | null; type: string }[]> {
    const res = await this.call(() =>
      this.drive.permissions.list({ fileId, fields: 'permissions(id,role,emailAddress,type)', supportsAllDrives: true }, { retry: false }),
    );
    return (res.data.permissions ?? []).map((p) => ({ id: p.id!, role: p.role!, emailAddress: p.emailAddress ?? null, type: p.type ?? 'user' }));
  }

  /** Grants `role` to `email` unless an equal or stronger grant exists. Returns whether a grant was created. */
  async share(fileId: string, email: string, role: 'reader' | 'writer', existing?: { role: string; emailAddress: string | null }[]): Promise<boolean> {
    const current = existing ?? (await this.permissions(fileId));
    const rank = { reader: 1, commenter: 2, writer: 3, fileOrganizer: 4, organizer: 5, owner: 6 } as Record<string, number>;
    const have = current.find((p) => p.emailAddress?.toLowerCase() === email.toLowerCase());
    if (have && (rank[have.role] ?? 0) >= rank[role]!) return false;
    await this.call(() =>
      this.drive.permissions.create(
        { fileId, sendNotificationEmail: false, supportsAllDrives: true, requestBody: { role, type: 'user', emailAddress: email } },
        { retry: false },
      ),
    );
    return true;
  }

  async startPageToken(): Promise<string> {
    const res = await this.call(() =>
      this.drive.changes.getStartPageToken({ supportsAllDrives: true, ...(this.sharedDriveId ? { driveId: this.sharedDriveId } : {}) }, { retry: false }),
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
      for (const c of res.data.changes ?? []) {
        if (!c.fileId) continue;
        if (c.file?.mimeType && c.file.mimeType !== SPREADSHEET_MIME) continue;
        changes.push({ fileId: c.fileId, version: c.file?.version ? Number(c.file.version) : null, removed: Boolean(c.removed || c.file?.trashed) });
      }
      if (res.data.newStartPageToken) return { changes, newStartPageToken: res.data.newStartPageToken };
      token = res.data.nextPageToken ?? undefined;
      if (!token) return { changes, newStartPageToken: current };
    }
  }

  async watchChanges(pageToken: string, channel: { id: string; address: string; token: string; expiration: number }): Promise<{ id: string; resourceId: string; expiration: number }> {
    const res = await this.call(() =>
      this.drive.changes.watch(
        {
          pageToken,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          ...(this.sharedDriveId ? { driveId: this.sharedDriveId } : {}),
          requestBody: { id: channel.id, type: 'web_hook', address: channel.address, token: channel.token, expiration: String(channel.expiration) },
        },
        { retry: false },
      ),
    );
    return { id: res.data.id!, resourceId: res.data.resourceId!, expiration: Number(res.data.expiration ?? channel.expiration) };
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
