import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import {
  CLERK,
  FUNCTIONS,
  OTHER,
  type Clients,
  PushReceiver,
  clientsFor,
  createSpreadsheet,
  failure,
  sleep,
  startEmulator,
} from './helpers.js';

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let other: Clients;

beforeAll(async () => {
  // Wide enough that three back-to-back writes land inside one coalescing window even on a busy CI box.
  emulator = await startEmulator({ quotas: { enabled: false }, pushDelayMs: 150 });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  other = clientsFor(emulator, OTHER);
});

afterAll(async () => {
  await emulator.stop();
});

async function newSpreadsheet(title: string): Promise<string> {
  const created = await createSpreadsheet(functions, {
    properties: { title },
    sheets: [{ properties: { title: 'S' } }],
  });
  return created.spreadsheetId as string;
}

async function writeCell(client: Clients, spreadsheetId: string, value: unknown): Promise<void> {
  await client.sheets.spreadsheets.values.update({
    spreadsheetId,
    range: 'S!A1',
    valueInputOption: 'RAW',
    requestBody: { values: [[value]] },
  });
}

describe('files', () => {
  it('moves version forward, modifiedTime and lastModifyingUser with each Sheets write', async () => {
    const id = await newSpreadsheet('Version');
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    const fields = 'version,modifiedTime,lastModifyingUser(emailAddress,displayName)';
    const before = (await functions.drive.files.get({ fileId: id, fields })).data;
    expect(typeof before.version).toBe('string');
    emulator.clock.advance(5_000);
    await writeCell(clerk, id, 1);
    const afterWrite = (await functions.drive.files.get({ fileId: id, fields })).data;
    // Drive promises only that version increases (steps of more than one: drive-versions.test.ts).
    expect(Number(afterWrite.version)).toBeGreaterThan(Number(before.version));
    expect(Date.parse(afterWrite.modifiedTime as string)).toBeGreaterThanOrEqual(
      Date.parse(before.modifiedTime as string) + 5_000,
    );
    expect(afterWrite.lastModifyingUser).toEqual({ emailAddress: CLERK, displayName: 'clerk' });
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ addSheet: {} }, { addSheet: {} }] },
    });
    await functions.sheets.spreadsheets.values.clear({ spreadsheetId: id, range: 'S!A1' });
    const afterStructure = (await functions.drive.files.get({ fileId: id, fields })).data;
    expect(Number(afterStructure.version)).toBeGreaterThanOrEqual(Number(afterWrite.version) + 2);
    // Reads change nothing.
    await functions.sheets.spreadsheets.get({ spreadsheetId: id });
    expect((await functions.drive.files.get({ fileId: id, fields: 'version' })).data.version).toBe(
      afterStructure.version,
    );
  });

  it('returns only the default fields without a fields mask, and everything with *', async () => {
    const id = await newSpreadsheet('Fields');
    const plain = await functions.drive.files.get({ fileId: id });
    expect(plain.data).toEqual({
      kind: 'drive#file',
      id,
      name: 'Fields',
      mimeType: 'application/vnd.google-apps.spreadsheet',
    });
    const all = await functions.drive.files.get({ fileId: id, fields: '*' });
    expect(all.data).toMatchObject({
      trashed: false,
      webViewLink: `https://docs.google.com/spreadsheets/d/${id}/edit?usp=drivesdk`,
      capabilities: { canEdit: true },
    });
  });

  it('grants and denies through permissions', async () => {
    const id = await newSpreadsheet('Sharing');
    expect((await failure(clerk.sheets.spreadsheets.get({ spreadsheetId: id }))).status).toBe(403);
    const reader = await functions.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: 'reader', type: 'user', emailAddress: CLERK },
    });
    expect(reader.data).toMatchObject({ kind: 'drive#permission', type: 'user', role: 'reader' });
    await clerk.sheets.spreadsheets.get({ spreadsheetId: id });
    expect((await failure(writeCell(clerk, id, 'x'))).status).toBe(403);
    expect(await failure(clerk.drive.files.update({ fileId: id, requestBody: { name: 'nope' } }))).toMatchObject({
      status: 403,
      message: 'The user does not have sufficient permissions for this file.',
    });
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    await writeCell(clerk, id, 'ok');
    const list = await functions.drive.permissions.list({ fileId: id, fields: 'permissions(id,role,emailAddress)' });
    expect(list.data.permissions?.map((p) => [p.role, p.emailAddress])).toEqual([
      ['owner', FUNCTIONS],
      ['writer', CLERK],
    ]);
    const clerkPermission = list.data.permissions?.find((p) => p.emailAddress === CLERK)?.id as string;
    await functions.drive.permissions.delete({ fileId: id, permissionId: clerkPermission });
    expect((await failure(clerk.sheets.spreadsheets.get({ spreadsheetId: id }))).status).toBe(403);
    // Domain and anyone permissions.
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'reader', type: 'domain', domain: 'ubnd-ba-dinh.example' },
    });
    await clerk.sheets.spreadsheets.get({ spreadsheetId: id });
    expect((await failure(other.sheets.spreadsheets.get({ spreadsheetId: id }))).status).toBe(403);
    await functions.drive.permissions.create({ fileId: id, requestBody: { role: 'reader', type: 'anyone' } });
    await other.sheets.spreadsheets.get({ spreadsheetId: id });
  });

  it('lists files by appProperties, name, mimeType and trashed, only those the caller can see', async () => {
    const first = await newSpreadsheet('Đợt 1 — Ba Đình');
    const second = await newSpreadsheet('Đợt 1 — Hoàn Kiếm');
    await functions.drive.files.update({
      fileId: first,
      requestBody: { appProperties: { campaign: 'dot-1', unit: 'ba-dinh' } },
    });
    await functions.drive.files.update({
      fileId: second,
      requestBody: { appProperties: { campaign: 'dot-1', unit: 'hoan-kiem' } },
    });
    const query =
      "appProperties has { key='campaign' and value='dot-1' } and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false";
    const both = await functions.drive.files.list({
      q: query,
      fields: 'files(id,name,appProperties),nextPageToken',
      orderBy: 'name',
    });
    expect(both.data.files?.map((f) => f.id)).toEqual([first, second]);
    expect(both.data.files?.[0]?.appProperties).toEqual({ campaign: 'dot-1', unit: 'ba-dinh' });
    const one = await functions.drive.files.list({
      q: "appProperties has { key='unit' and value='hoan-kiem' } and name = 'Đợt 1 — Hoàn Kiếm'",
    });
    expect(one.data.files).toEqual([
      {
        kind: 'drive#file',
        id: second,
        name: 'Đợt 1 — Hoàn Kiếm',
        mimeType: 'application/vnd.google-apps.spreadsheet',
      },
    ]);
    const paged = await functions.drive.files.list({
      q: query,
      pageSize: 1,
      orderBy: 'name',
      fields: 'files(id),nextPageToken',
    });
    expect(paged.data.files?.map((f) => f.id)).toEqual([first]);
    const next = await functions.drive.files.list({
      q: query,
      pageSize: 1,
      orderBy: 'name',
      pageToken: paged.data.nextPageToken as string,
      fields: 'files(id),nextPageToken',
    });
    expect(next.data.files?.map((f) => f.id)).toEqual([second]);
    expect(next.data.nextPageToken).toBeUndefined();
    expect((await other.drive.files.list({ q: query })).data.files).toEqual([]);
    // An appProperty set to null is removed.
    await functions.drive.files.update({
      fileId: second,
      requestBody: { appProperties: { campaign: null } as unknown as Record<string, string> },
    });
    expect((await functions.drive.files.list({ q: query })).data.files?.map((f) => f.id)).toEqual([first]);
    await functions.drive.files.update({ fileId: first, requestBody: { trashed: true } });
    expect((await functions.drive.files.list({ q: query })).data.files).toEqual([]);
    const bad = await failure(functions.drive.files.list({ q: "name === 'x'" }));
    expect(bad).toMatchObject({ status: 400, message: 'Invalid Value' });
  });

  it('copies a spreadsheet into a new file the caller owns', async () => {
    const id = await newSpreadsheet('Mẫu');
    await writeCell(functions, id, 'template value');
    await functions.drive.files.update({ fileId: id, requestBody: { appProperties: { kind: 'template' } } });
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'reader', type: 'user', emailAddress: CLERK },
    });
    const copy = await clerk.drive.files.copy({
      fileId: id,
      requestBody: { name: 'Bản của tôi', appProperties: { kind: 'copy' } },
      fields: 'id,name,owners(emailAddress),appProperties,version',
    });
    expect(copy.data.id).not.toBe(id);
    expect(copy.data).toMatchObject({
      name: 'Bản của tôi',
      owners: [{ emailAddress: CLERK }],
      appProperties: { kind: 'copy' },
    });
    const values = await clerk.sheets.spreadsheets.values.get({ spreadsheetId: copy.data.id as string, range: 'S!A1' });
    expect(values.data.values).toEqual([['template value']]);
    const title = await clerk.sheets.spreadsheets.get({
      spreadsheetId: copy.data.id as string,
      fields: 'properties.title',
    });
    expect(title.data.properties?.title).toBe('Bản của tôi');
    // Sharing is not copied: the source owner cannot see the copy.
    expect((await failure(functions.sheets.spreadsheets.get({ spreadsheetId: copy.data.id as string }))).status).toBe(
      403,
    );
  });

  it('creates folders and blank spreadsheets through files.create, as the application provisions them', async () => {
    const folder = await functions.drive.files.create({
      requestBody: { name: 'Đợt 1', mimeType: 'application/vnd.google-apps.folder' },
      fields: 'id,mimeType',
    });
    const file = await functions.drive.files.create({
      requestBody: {
        name: 'Ba Đình — Đợt 1',
        mimeType: 'application/vnd.google-apps.spreadsheet',
        parents: [folder.data.id as string],
        appProperties: { unit: 'ba-dinh' },
      },
      fields: 'id,name,version,modifiedTime,lastModifyingUser(emailAddress),webViewLink,appProperties,trashed,parents',
      supportsAllDrives: true,
    });
    expect(file.data).toMatchObject({
      name: 'Ba Đình — Đợt 1',
      appProperties: { unit: 'ba-dinh' },
      trashed: false,
      parents: [folder.data.id],
      lastModifyingUser: { emailAddress: FUNCTIONS },
    });
    const spreadsheet = await functions.sheets.spreadsheets.get({ spreadsheetId: file.data.id as string });
    expect(spreadsheet.data.properties?.title).toBe('Ba Đình — Đợt 1');
    expect(spreadsheet.data.sheets?.map((s) => s.properties?.title)).toEqual(['Sheet1']);
    const inFolder = await functions.drive.files.list({ q: `'${folder.data.id}' in parents`, fields: 'files(id)' });
    expect(inFolder.data.files).toEqual([{ id: file.data.id }]);
    const missingParent = await failure(
      functions.drive.files.create({ requestBody: { name: 'x', parents: ['nope'] } }),
    );
    expect(missingParent).toMatchObject({ status: 404, message: 'File not found: nope.' });
  });

  it('deletes files: owner only, then 404', async () => {
    const id = await newSpreadsheet('Xoá');
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    expect((await failure(clerk.drive.files.delete({ fileId: id }))).status).toBe(403);
    await functions.drive.files.delete({ fileId: id });
    expect((await failure(functions.drive.files.get({ fileId: id }))).message).toBe(`File not found: ${id}.`);
    expect((await failure(functions.sheets.spreadsheets.get({ spreadsheetId: id }))).status).toBe(404);
  });
});

describe('changes', () => {
  it('lists each changed file once, in its latest state, with newStartPageToken at the end', async () => {
    const start = (await functions.drive.changes.getStartPageToken({})).data.startPageToken as string;
    expect(start).toMatch(/^\d+$/);
    const changeA = await newSpreadsheet('Change A');
    const changeB = await newSpreadsheet('Change B');
    await writeCell(functions, changeA, 1);
    await writeCell(functions, changeA, 2);
    await writeCell(functions, changeB, 3);
    await writeCell(functions, changeA, 4);
    const page = await functions.drive.changes.list({
      pageToken: start,
      fields: 'changes(fileId,removed,file(name,version)),nextPageToken,newStartPageToken',
    });
    expect(page.data.changes?.map((c) => c.fileId)).toEqual([changeB, changeA]);
    const latestA = page.data.changes?.find((c) => c.fileId === changeA);
    expect(latestA?.file?.version).toBe(emulator.getDriveFileState(changeA)?.version.toString());
    expect(page.data.nextPageToken).toBeUndefined();
    const end = page.data.newStartPageToken as string;
    expect(Number(end)).toBeGreaterThan(Number(start));
    const none = await functions.drive.changes.list({ pageToken: end });
    expect(none.data).toEqual({ kind: 'drive#changeList', changes: [], newStartPageToken: end });
    // Paging: one file per page.
    const first = await functions.drive.changes.list({
      pageToken: start,
      pageSize: 1,
      fields: 'changes(fileId),nextPageToken,newStartPageToken',
    });
    expect(first.data.changes?.map((c) => c.fileId)).toEqual([changeA]);
    expect(first.data.nextPageToken).toBeDefined();
    const second = await functions.drive.changes.list({
      pageToken: first.data.nextPageToken as string,
      pageSize: 1,
      fields: 'changes(fileId),nextPageToken,newStartPageToken',
    });
    expect(second.data.changes?.map((c) => c.fileId)).toEqual([changeB]);
  });

  it('shows only files the caller can see, and removals to those who lost them', async () => {
    const start = (await clerk.drive.changes.getStartPageToken({})).data.startPageToken as string;
    const hidden = await newSpreadsheet('Hidden from clerk');
    const shared = await newSpreadsheet('Shared with clerk');
    await writeCell(functions, hidden, 1);
    await functions.drive.permissions.create({
      fileId: shared,
      requestBody: { role: 'reader', type: 'user', emailAddress: CLERK },
    });
    let page = await clerk.drive.changes.list({ pageToken: start, fields: 'changes(fileId,removed)' });
    expect(page.data.changes).toEqual([{ fileId: shared, removed: false }]);
    await functions.drive.files.delete({ fileId: shared });
    page = await clerk.drive.changes.list({ pageToken: start, fields: 'changes(fileId,removed,file)' });
    expect(page.data.changes).toEqual([{ fileId: shared, removed: true }]);
    // Losing access shows as a removal too.
    const unshared = await newSpreadsheet('Unshared from clerk');
    const permission = await functions.drive.permissions.create({
      fileId: unshared,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    const mid = (await clerk.drive.changes.getStartPageToken({})).data.startPageToken as string;
    await functions.drive.permissions.delete({ fileId: unshared, permissionId: permission.data.id as string });
    page = await clerk.drive.changes.list({ pageToken: mid, fields: 'changes(fileId,removed)' });
    expect(page.data.changes).toEqual([{ fileId: unshared, removed: true }]);
    const bad = await failure(clerk.drive.changes.list({ pageToken: 'abc' }));
    expect(bad.status).toBe(400);
  });
});

describe('changes.watch push notifications', () => {
  let receiver: PushReceiver;
  let address: string;

  beforeAll(async () => {
    receiver = new PushReceiver();
    address = await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
  });

  it('sends a sync push, then one coalesced change push with the right headers', async () => {
    receiver.pushes.length = 0;
    const id = await newSpreadsheet('Watched');
    const token = (await functions.drive.changes.getStartPageToken({})).data.startPageToken as string;
    const channel = await functions.drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'channel-1', type: 'web_hook', address, token: 'secret-token' },
    });
    expect(channel.data).toMatchObject({
      kind: 'api#channel',
      id: 'channel-1',
      token: 'secret-token',
      resourceId: expect.any(String),
      resourceUri: expect.stringContaining('changes'),
    });
    const now = emulator.clock.now();
    expect(Number(channel.data.expiration)).toBeGreaterThanOrEqual(now + 3_600_000 - 1_000);
    expect(Number(channel.data.expiration)).toBeLessThanOrEqual(now + 3_600_000);
    await receiver.waitFor(1);
    const sync = receiver.pushes[0];
    expect(sync?.headers).toMatchObject({
      'x-goog-channel-id': 'channel-1',
      'x-goog-channel-token': 'secret-token',
      'x-goog-resource-id': channel.data.resourceId,
      'x-goog-resource-uri': channel.data.resourceUri,
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
    });
    expect(Date.parse(sync?.headers['x-goog-channel-expiration'] as string)).toBe(
      Math.floor(Number(channel.data.expiration) / 1000) * 1000,
    );
    expect(sync?.body).toBe('');
    // Three quick edits coalesce into one push.
    await writeCell(functions, id, 1);
    await writeCell(functions, id, 2);
    await writeCell(functions, id, 3);
    await receiver.waitFor(2);
    await sleep(250);
    expect(receiver.pushes).toHaveLength(2);
    expect(receiver.pushes[1]?.headers).toMatchObject({
      'x-goog-resource-state': 'change',
      'x-goog-message-number': '2',
      'x-goog-channel-id': 'channel-1',
    });
    // A later edit gets its own push.
    await writeCell(functions, id, 4);
    await receiver.waitFor(3);
    expect(receiver.pushes[2]?.headers['x-goog-message-number']).toBe('3');
    // After channels.stop: no pushes.
    await functions.drive.channels.stop({ requestBody: { id: 'channel-1', resourceId: channel.data.resourceId } });
    await writeCell(functions, id, 5);
    await sleep(300);
    expect(receiver.pushes).toHaveLength(3);
    const again = await failure(
      functions.drive.channels.stop({ requestBody: { id: 'channel-1', resourceId: channel.data.resourceId } }),
    );
    expect(again.status).toBe(404);
  });

  it('caps expiration at one week, and sends nothing after expiry', async () => {
    receiver.pushes.length = 0;
    const id = await newSpreadsheet('Expiring');
    const token = (await functions.drive.changes.getStartPageToken({})).data.startPageToken as string;
    const now = emulator.clock.now();
    const long = await functions.drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'channel-long', type: 'web_hook', address, expiration: String(now + 30 * 86_400_000) },
    });
    expect(Number(long.data.expiration)).toBeLessThanOrEqual(emulator.clock.now() + 604_800_000);
    expect(Number(long.data.expiration)).toBeGreaterThan(now + 604_000_000);
    await functions.drive.channels.stop({ requestBody: { id: 'channel-long', resourceId: long.data.resourceId } });
    const short = await functions.drive.changes.watch({
      pageToken: token,
      requestBody: {
        id: 'channel-short',
        type: 'web_hook',
        address,
        expiration: String(emulator.clock.now() + 60_000),
      },
    });
    expect(short.data.id).toBe('channel-short');
    await receiver.waitFor(2); // the two sync messages
    emulator.clock.advance(61_000);
    await writeCell(functions, id, 'after expiry');
    await sleep(200);
    expect(receiver.pushes.map((p) => p.headers['x-goog-resource-state'])).toEqual(['sync', 'sync']);
  });

  it('logs a failed push and does not retry it', async () => {
    receiver.pushes.length = 0;
    receiver.respondWith = 500;
    const id = await newSpreadsheet('Failing receiver');
    const token = (await functions.drive.changes.getStartPageToken({})).data.startPageToken as string;
    await functions.drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'channel-failing', type: 'web_hook', address },
    });
    await receiver.waitFor(1);
    await writeCell(functions, id, 1);
    await receiver.waitFor(2);
    await sleep(250);
    expect(receiver.pushes).toHaveLength(2);
    const failed = emulator.pushes.filter((p) => p.channelId === 'channel-failing');
    expect(failed.map((p) => [p.state, p.status, p.error])).toEqual([
      ['sync', 500, 'HTTP 500'],
      ['change', 500, 'HTTP 500'],
    ]);
    receiver.respondWith = 200;
    // Connection refused is recorded too.
    await functions.drive.changes.watch({
      pageToken: token,
      requestBody: { id: 'channel-refused', type: 'web_hook', address: 'http://127.0.0.1:1/nothing' },
    });
    await sleep(200);
    expect(emulator.pushes.find((p) => p.channelId === 'channel-refused')?.error).toMatch(/ECONNREFUSED/);
    await functions.drive.channels.stop({ requestBody: { id: 'channel-failing' } });
    await functions.drive.channels.stop({ requestBody: { id: 'channel-refused' } });
  });
});
