/**
 * Drive's sharing rules and shared drives, as the emulator enforces them, through the real
 * @googleapis/drive client: writersCanShare, addresses without a Google account, a shared
 * drive's restrictions, the shared-drive parameters, https-only push addresses with the
 * expiration cap, and Drive's 403 rate limits from the fault mechanism.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import {
  CLERK,
  FUNCTIONS,
  OTHER,
  type Clients,
  clientsFor,
  createSpreadsheet,
  failure,
  startEmulator,
} from './helpers.js';

/** An address the emulator treats as having no Google account (see shared-drives.ts). */
const NO_ACCOUNT = 'van-thu@no-google.example';
const ADMIN = 'admin@hanoi.example';
const SERVICE = 'functions@hanoi.example';
const INSIDE = 'ubnd-ba-dinh@hanoi.example';

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let admin: Clients;
let service: Clients;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  admin = clientsFor(emulator, ADMIN);
  service = clientsFor(emulator, SERVICE);
});
afterAll(() => emulator.stop());

async function newSpreadsheet(client: Clients, title: string): Promise<string> {
  return (await createSpreadsheet(client, { properties: { title } })).spreadsheetId as string;
}

const reasonOf = (body: unknown): string | undefined =>
  (body as { error?: { errors?: { reason?: string }[] } })?.error?.errors?.[0]?.reason;

describe('writersCanShare', () => {
  it('a writer may share while writersCanShare is true (the default), not once the owner turns it off; the owner still may', async () => {
    const id = await newSpreadsheet(functions, 'Writers share');
    await functions.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    expect((await functions.drive.files.get({ fileId: id, fields: 'writersCanShare' })).data.writersCanShare).toBe(
      true,
    );
    await clerk.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: 'reader', type: 'user', emailAddress: 'first@elsewhere.example' },
    });

    await functions.drive.files.update({ fileId: id, requestBody: { writersCanShare: false } });
    const seen = (await clerk.drive.files.get({ fileId: id, fields: 'writersCanShare,capabilities(canShare)' })).data;
    expect(seen).toEqual({ writersCanShare: false, capabilities: { canShare: false } });
    const refused = await failure(
      clerk.drive.permissions.create({
        fileId: id,
        sendNotificationEmail: false,
        requestBody: { role: 'reader', type: 'user', emailAddress: OTHER },
      }),
    );
    expect(refused.status).toBe(403);
    expect(reasonOf(refused.body)).toBe('insufficientFilePermissions');
    const link = await failure(
      clerk.drive.permissions.create({ fileId: id, requestBody: { role: 'reader', type: 'anyone' } }),
    );
    expect(link.status).toBe(403);
    // A writer cannot switch it back on either.
    expect(
      (await failure(clerk.drive.files.update({ fileId: id, requestBody: { writersCanShare: true } }))).status,
    ).toBe(403);
    await functions.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: 'reader', type: 'user', emailAddress: OTHER },
    });
    const emails = (
      await functions.drive.permissions.list({ fileId: id, fields: 'permissions(emailAddress)' })
    ).data.permissions?.map((p) => p.emailAddress);
    expect(emails).toEqual([FUNCTIONS, CLERK, 'first@elsewhere.example', OTHER]);
  });

  it('files.create takes writersCanShare: false', async () => {
    const created = await functions.drive.files.create({
      requestBody: { name: 'Locked', mimeType: 'application/vnd.google-apps.spreadsheet', writersCanShare: false },
      fields: 'id,writersCanShare',
    });
    expect(created.data.writersCanShare).toBe(false);
  });
});

describe('addresses without a Google account', () => {
  it('are refused with 400 invalidSharingRequest when the notification is not sent, and invited when it is', async () => {
    const id = await newSpreadsheet(functions, 'No account');
    const refused = await failure(
      functions.drive.permissions.create({
        fileId: id,
        sendNotificationEmail: false,
        requestBody: { role: 'writer', type: 'user', emailAddress: NO_ACCOUNT },
      }),
    );
    expect(refused.status).toBe(400);
    expect(reasonOf(refused.body)).toBe('invalidSharingRequest');
    expect(refused.message).toContain('Since there is no Google account associated with this email address');
    expect(refused.message).toContain(NO_ACCOUNT);

    await functions.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: true,
      emailMessage: 'Kính gửi đơn vị',
      requestBody: { role: 'writer', type: 'user', emailAddress: NO_ACCOUNT },
    });
    const stored = emulator.getDriveFileState(id)?.permissions.find((p) => p.emailAddress === NO_ACCOUNT);
    expect(stored).toMatchObject({ role: 'writer', notified: { message: 'Kính gửi đơn vị' } });
    // Drive's default is to notify: no parameter is no refusal.
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'reader', type: 'user', emailAddress: 'other@no-google.example' },
    });
  });
});

describe('shared drives', () => {
  let driveId: string;
  let fileId: string;

  beforeAll(async () => {
    const drive = await admin.drive.drives.create({
      requestId: 'campaign-drive',
      requestBody: { name: 'Báo cáo 521' },
    });
    driveId = drive.data.id as string;
    await admin.drive.permissions.create({
      fileId: driveId,
      supportsAllDrives: true,
      sendNotificationEmail: false,
      requestBody: { role: 'organizer', type: 'user', emailAddress: SERVICE },
    });
    const created = await service.drive.files.create({
      supportsAllDrives: true,
      requestBody: {
        name: 'Unit sheet',
        mimeType: 'application/vnd.google-apps.spreadsheet',
        parents: [driveId],
        appProperties: { unit: 'x' },
      },
      fields: 'id,driveId',
    });
    fileId = created.data.id as string;
    expect(created.data.driveId).toBe(driveId);
  });

  it('drives.create is idempotent per requestId; drives.get and drives.list show restrictions to members only', async () => {
    const again = await admin.drive.drives.create({
      requestId: 'campaign-drive',
      requestBody: { name: 'Báo cáo 521' },
    });
    expect(again.data.id).toBe(driveId);
    const got = (await service.drive.drives.get({ driveId, fields: 'id,name,restrictions' })).data;
    expect(got).toEqual({
      id: driveId,
      name: 'Báo cáo 521',
      restrictions: {
        domainUsersOnly: false,
        driveMembersOnly: false,
        sharingFoldersRequiresOrganizerPermission: false,
        copyRequiresWriterPermission: false,
        adminManagedRestrictions: false,
      },
    });
    expect((await service.drive.drives.list({ fields: 'drives(id)' })).data.drives).toEqual([{ id: driveId }]);
    const outsider = await failure(clerk.drive.drives.get({ driveId }));
    expect(outsider.status).toBe(404);
    expect(outsider.message).toBe(`Shared drive not found: ${driveId}`);
  });

  it('items answer 404 without supportsAllDrives=true, as Google does', async () => {
    const missing = await failure(service.drive.files.get({ fileId }));
    expect(missing.status).toBe(404);
    expect(missing.message).toBe(`File not found: ${fileId}.`);
    expect((await failure(service.drive.permissions.list({ fileId }))).status).toBe(404);
    expect((await service.drive.files.get({ fileId, supportsAllDrives: true, fields: 'id,driveId' })).data).toEqual({
      id: fileId,
      driveId,
    });
    const intoDrive = await failure(service.drive.files.create({ requestBody: { name: 'x', parents: [driveId] } }));
    expect(intoDrive.status).toBe(404);
  });

  it('files.list returns shared-drive items only with includeItemsFromAllDrives, and corpora=drive needs driveId', async () => {
    const query = "appProperties has { key='unit' and value='x' }";
    expect((await service.drive.files.list({ q: query })).data.files).toEqual([]);
    const all = await service.drive.files.list({
      q: query,
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
      fields: 'files(id)',
    });
    expect(all.data.files).toEqual([{ id: fileId }]);
    const inDrive = await service.drive.files.list({
      q: query,
      corpora: 'drive',
      driveId,
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
      fields: 'files(id)',
    });
    expect(inDrive.data.files).toEqual([{ id: fileId }]);
    const noDriveId = await failure(
      service.drive.files.list({
        q: query,
        corpora: 'drive',
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      }),
    );
    expect(noDriveId.status).toBe(400);
    expect(noDriveId.message).toBe('The driveId parameter must be specified if and only if corpora is set to drive.');
    expect(
      (
        await failure(
          service.drive.files.list({ q: query, driveId, supportsAllDrives: true, includeItemsFromAllDrives: true }),
        )
      ).status,
    ).toBe(400);
  });

  it('changes on a drive are listed with driveId + includeItemsFromAllDrives + supportsAllDrives', async () => {
    const start = (await service.drive.changes.getStartPageToken({ driveId, supportsAllDrives: true })).data
      .startPageToken as string;
    await service.drive.files.update({ fileId, supportsAllDrives: true, requestBody: { description: 'changed' } });
    const withParams = await service.drive.changes.list({
      pageToken: start,
      driveId,
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
      fields: 'changes(fileId)',
    });
    expect(withParams.data.changes).toEqual([{ fileId }]);
    const without = await service.drive.changes.list({ pageToken: start, fields: 'changes(fileId)' });
    expect(without.data.changes).toEqual([]);
    expect((await failure(clerk.drive.changes.getStartPageToken({ driveId, supportsAllDrives: true }))).status).toBe(
      404,
    );
  });

  it('domainUsersOnly refuses grants outside the drive organisation and link sharing; inside the domain is fine', async () => {
    await admin.drive.drives.update({ driveId, requestBody: { restrictions: { domainUsersOnly: true } } });
    expect(
      (await service.drive.drives.get({ driveId, fields: 'restrictions(domainUsersOnly)' })).data.restrictions,
    ).toEqual({ domainUsersOnly: true });
    await service.drive.permissions.create({
      fileId,
      supportsAllDrives: true,
      sendNotificationEmail: false,
      requestBody: { role: 'writer', type: 'user', emailAddress: INSIDE },
    });
    const outside = await failure(
      service.drive.permissions.create({
        fileId,
        supportsAllDrives: true,
        sendNotificationEmail: false,
        requestBody: { role: 'writer', type: 'user', emailAddress: OTHER },
      }),
    );
    expect(outside.status).toBe(403);
    expect(reasonOf(outside.body)).toBe('teamDriveDomainUsersOnlyRestriction');
    const link = await failure(
      service.drive.permissions.create({
        fileId,
        supportsAllDrives: true,
        requestBody: { role: 'reader', type: 'anyone' },
      }),
    );
    expect(reasonOf(link.body)).toBe('teamDriveDomainUsersOnlyRestriction');
    // A member who is not an organizer cannot change the drive's restrictions.
    expect(
      (await failure(clerk.drive.drives.update({ driveId, requestBody: { restrictions: { domainUsersOnly: false } } })))
        .status,
    ).toBe(404);
    await admin.drive.drives.update({
      driveId,
      requestBody: { restrictions: { domainUsersOnly: false, driveMembersOnly: true } },
    });
    const nonMember = await failure(
      service.drive.permissions.create({
        fileId,
        supportsAllDrives: true,
        sendNotificationEmail: false,
        requestBody: { role: 'writer', type: 'user', emailAddress: INSIDE },
      }),
    );
    expect(reasonOf(nonMember.body)).toBe('teamDriveTeamMembersOnlyRestriction');
    await admin.drive.drives.update({ driveId, requestBody: { restrictions: { driveMembersOnly: false } } });
  });

  it('shared-drive items do not carry writersCanShare', async () => {
    const file = (await service.drive.files.get({ fileId, supportsAllDrives: true, fields: '*' })).data;
    expect(file.writersCanShare).toBeUndefined();
    expect(file.driveId).toBe(driveId);
  });
});

describe('changes.watch addresses and expiration', () => {
  it('refuses a non-https address except on loopback, and caps the expiration at one week', async () => {
    const pageToken = (await functions.drive.changes.getStartPageToken({})).data.startPageToken as string;
    const plain = await failure(
      functions.drive.changes.watch({
        pageToken,
        requestBody: { id: 'http-channel', type: 'web_hook', address: 'http://example.org/hook' },
      }),
    );
    expect(plain.status).toBe(400);
    expect(plain.message).toBe('WebHook callback must be HTTPS: http://example.org/hook');
    expect(reasonOf(plain.body)).toBe('push.webhookUrlNotHttps');
    const now = emulator.clock.now();
    const https = await functions.drive.changes.watch({
      pageToken,
      requestBody: {
        id: 'https-channel',
        type: 'web_hook',
        address: 'https://127.0.0.1:1/hook',
        expiration: String(now + 30 * 86_400_000),
      },
    });
    expect(Number(https.data.expiration)).toBeLessThanOrEqual(emulator.clock.now() + 604_800_000);
    expect(Number(https.data.expiration)).toBeGreaterThan(now + 604_700_000);
    const loopback = await functions.drive.changes.watch({
      pageToken,
      requestBody: { id: 'loopback-channel', type: 'web_hook', address: 'http://127.0.0.1:1/hook' },
    });
    expect(loopback.data.id).toBe('loopback-channel');
    await functions.drive.channels.stop({ requestBody: { id: 'https-channel', resourceId: https.data.resourceId! } });
    await functions.drive.channels.stop({
      requestBody: { id: 'loopback-channel', resourceId: loopback.data.resourceId! },
    });
  });
});

describe("Drive's 403 rate limits", () => {
  it('the fault mechanism answers 403 userRateLimitExceeded / sharingRateLimitExceeded in the usageLimits domain, for the chosen operations only', async () => {
    const id = await newSpreadsheet(functions, 'Rate limited');
    emulator.faults.set({ rate403: 1, ops: ['drive.permissions.create'], reason403: 'sharingRateLimitExceeded' });
    try {
      const refused = await failure(
        functions.drive.permissions.create({
          fileId: id,
          sendNotificationEmail: false,
          requestBody: { role: 'reader', type: 'user', emailAddress: OTHER },
        }),
      );
      expect(refused.status).toBe(403);
      expect(
        (refused.body as { error: { errors: { domain: string; reason: string }[] } }).error.errors[0],
      ).toMatchObject({ domain: 'usageLimits', reason: 'sharingRateLimitExceeded' });
      // Other operations are untouched.
      expect((await functions.drive.files.get({ fileId: id, fields: 'id' })).data.id).toBe(id);
      emulator.faults.set({ rate403: 1, apis: ['drive'] });
      const user = await failure(functions.drive.files.get({ fileId: id }));
      expect([user.status, reasonOf(user.body)]).toEqual([403, 'userRateLimitExceeded']);
      expect(emulator.log.at(-1)).toMatchObject({ status: 403, fault: 'rate403' });
    } finally {
      emulator.faults.clear();
    }
    expect(emulator.getDriveFileState(id)?.permissions).toEqual([]);
  });
});
