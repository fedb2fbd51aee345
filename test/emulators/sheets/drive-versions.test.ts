/**
 * Drive's bookkeeping of who changed a spreadsheet and when, as the system relies on it:
 * - `version` is documented only as monotonically increasing (every server-side change, even
 *   invisible ones): one write may move it by more than one;
 * - `modifiedTime` and `lastModifyingUser` move with every writer's edits, the service
 *   account's included, and `lastModifyingUser.me` tells the caller whether the change was its own;
 * - `revisions.list` / `revisions.get` (editors only) give each edit's time and author;
 * - metadata read right after a write may still show the state before it (an option here).
 * All through the real @googleapis/drive client.
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

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let other: Clients;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  other = clientsFor(emulator, OTHER);
});
afterAll(() => emulator.stop());

async function sharedSheet(title: string): Promise<string> {
  const created = await createSpreadsheet(functions, {
    properties: { title },
    sheets: [{ properties: { title: 'S' } }],
  });
  const id = created.spreadsheetId as string;
  await functions.drive.permissions.create({
    fileId: id,
    requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
  });
  await functions.drive.permissions.create({
    fileId: id,
    requestBody: { role: 'reader', type: 'user', emailAddress: OTHER },
  });
  return id;
}

const writeCell = (client: Clients, spreadsheetId: string, value: unknown) =>
  client.sheets.spreadsheets.values.update({
    spreadsheetId,
    range: 'S!A1',
    valueInputOption: 'RAW',
    requestBody: { values: [[value]] },
  });

const META = 'version,modifiedTime,lastModifyingUser(emailAddress,me)';
const meta = async (client: Clients, fileId: string) => (await client.drive.files.get({ fileId, fields: META })).data;

describe('version', () => {
  it('moves by more than one for some writes (default steps of 1–3), and never backwards', async () => {
    const id = await sharedSheet('Bước');
    const steps: number[] = [];
    let before = Number((await meta(functions, id)).version);
    for (let i = 0; i < 12; i++) {
      await writeCell(clerk, id, i);
      const now = Number((await meta(functions, id)).version);
      steps.push(now - before);
      before = now;
    }
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...steps)).toBeGreaterThan(1);
    expect(Math.max(...steps)).toBeLessThanOrEqual(3);
  });

  it('takes a fixed step when configured (e.g. Google moving by 5 for one Sheets write)', async () => {
    const id = await sharedSheet('Bước cố định');
    emulator.drive.set({ versionStep: { min: 5, max: 5 } });
    try {
      const initialVersion = Number((await meta(functions, id)).version);
      await writeCell(clerk, id, 'x');
      expect(Number((await meta(functions, id)).version)).toBe(initialVersion + 5);
    } finally {
      emulator.drive.set({ versionStep: { min: 1, max: 3 } });
    }
    expect(() => emulator.drive.set({ versionStep: { min: 0, max: 2 } })).toThrow(/versionStep/);
  });
});

describe('modifiedTime and lastModifyingUser', () => {
  it('move with every writer, the service account included; lastModifyingUser.me is true for the caller', async () => {
    const id = await sharedSheet('Ai sửa');
    emulator.clock.advance(60_000);
    await writeCell(clerk, id, 'clerk');
    const byClerk = await meta(functions, id);
    expect(byClerk.lastModifyingUser).toEqual({ emailAddress: CLERK, me: false });
    expect((await meta(clerk, id)).lastModifyingUser).toEqual({ emailAddress: CLERK, me: true });

    emulator.clock.advance(60_000);
    await writeCell(functions, id, 'feedback');
    const byUs = await meta(functions, id);
    expect(byUs.lastModifyingUser).toEqual({ emailAddress: FUNCTIONS, me: true });
    expect(Date.parse(byUs.modifiedTime!)).toBeGreaterThanOrEqual(Date.parse(byClerk.modifiedTime!) + 60_000);
    expect(Number(byUs.version)).toBeGreaterThan(Number(byClerk.version));
  });

  it('sharing moves the version but not modifiedTime, lastModifyingUser or the revisions', async () => {
    const id = await sharedSheet('Chia sẻ');
    const before = await meta(functions, id);
    const revisionsBefore = (await functions.drive.revisions.list({ fileId: id, fields: 'revisions(id)' })).data
      .revisions;
    emulator.clock.advance(1_000);
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'reader', type: 'user', emailAddress: 'nguoi-moi@hanoi.example' },
    });
    const after = await meta(functions, id);
    expect(Number(after.version)).toBeGreaterThan(Number(before.version));
    expect(after.modifiedTime).toBe(before.modifiedTime);
    expect(after.lastModifyingUser).toEqual(before.lastModifyingUser);
    expect((await functions.drive.revisions.list({ fileId: id, fields: 'revisions(id)' })).data.revisions).toEqual(
      revisionsBefore,
    );
  });
});

describe('revisions', () => {
  it('lists one revision per write, oldest first, with its time and author; default fields omit the author', async () => {
    const id = await sharedSheet('Phiên bản');
    emulator.clock.advance(1_000);
    await writeCell(clerk, id, 1);
    emulator.clock.advance(1_000);
    await writeCell(functions, id, 2);
    const plain = (await functions.drive.revisions.list({ fileId: id })).data;
    expect(plain.kind).toBe('drive#revisionList');
    expect(Object.keys(plain.revisions![0]!).sort()).toEqual(['id', 'kind', 'mimeType', 'modifiedTime']);

    const listed = (
      await functions.drive.revisions.list({
        fileId: id,
        fields: 'revisions(id,modifiedTime,lastModifyingUser(emailAddress,me))',
      })
    ).data.revisions!;
    // Creation, the clerk's write, ours.
    expect(listed.map((r) => r.lastModifyingUser)).toEqual([
      { emailAddress: FUNCTIONS, me: true },
      { emailAddress: CLERK, me: false },
      { emailAddress: FUNCTIONS, me: true },
    ]);
    const times = listed.map((r) => Date.parse(r.modifiedTime!));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1_000);
    // The head revision is the file's latest change.
    expect(listed[2]!.modifiedTime).toBe((await meta(functions, id)).modifiedTime);

    const one = (
      await functions.drive.revisions.get({
        fileId: id,
        revisionId: listed[1]!.id!,
        fields: 'id,modifiedTime,lastModifyingUser(emailAddress)',
      })
    ).data;
    expect(one).toEqual({
      id: listed[1]!.id,
      modifiedTime: listed[1]!.modifiedTime,
      lastModifyingUser: { emailAddress: CLERK },
    });
    expect((await failure(functions.drive.revisions.get({ fileId: id, revisionId: '999' }))).status).toBe(404);
  });

  it('pages with pageSize and nextPageToken (at most 1000 a page)', async () => {
    const id = await sharedSheet('Trang');
    for (let i = 0; i < 4; i++) await writeCell(clerk, id, i);
    const first = (
      await functions.drive.revisions.list({ fileId: id, pageSize: 3, fields: 'nextPageToken,revisions(id)' })
    ).data;
    expect(first.revisions).toHaveLength(3);
    const second = (
      await functions.drive.revisions.list({
        fileId: id,
        pageSize: 3,
        pageToken: first.nextPageToken!,
        fields: 'nextPageToken,revisions(id)',
      })
    ).data;
    expect(second.revisions).toHaveLength(2);
    expect(second.nextPageToken).toBeUndefined();
    expect((await failure(functions.drive.revisions.list({ fileId: id, pageSize: 1001 }))).status).toBe(400);
  });

  it('are refused to a reader (canReadRevisions is an editor capability) and cannot be downloaded for a Sheets file', async () => {
    const id = await sharedSheet('Quyền');
    const refused = await failure(other.drive.revisions.list({ fileId: id }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { errors: [{ reason: 'insufficientFilePermissions' }] } });
    const download = await failure(functions.drive.revisions.get({ fileId: id, revisionId: 'head', alt: 'media' }));
    expect(download.status).toBe(403);
  });
});

describe('metadata lagging a write', () => {
  it('files.get and revisions.list show the state before a write for a while, then catch up; the change feed names the file at once', async () => {
    const id = await sharedSheet('Trễ');
    const token = (await functions.drive.changes.getStartPageToken({})).data.startPageToken!;
    const before = await meta(functions, id);
    const revisionsBefore = (await functions.drive.revisions.list({ fileId: id, fields: 'revisions(id)' })).data
      .revisions!.length;
    emulator.drive.set({ metadataLagMs: 60_000 });
    try {
      await writeCell(clerk, id, 'mới');
      await writeCell(clerk, id, 'mới hơn');
      const lagging = await meta(functions, id);
      expect(lagging).toEqual(before);
      expect((await functions.drive.files.list({ q: `name = 'Trễ'`, fields: 'files(version)' })).data.files).toEqual([
        { version: before.version },
      ]);
      expect(
        (await functions.drive.revisions.list({ fileId: id, fields: 'revisions(id)' })).data.revisions,
      ).toHaveLength(revisionsBefore);
      const feed = (await functions.drive.changes.list({ pageToken: token, fields: 'changes(fileId,file(version))' }))
        .data.changes!;
      expect(feed.map((c) => c.fileId)).toEqual([id]);
      expect(Number(feed[0]!.file!.version)).toBeGreaterThan(Number(before.version));

      emulator.clock.advance(60_001);
      const current = await meta(functions, id);
      expect(current.version).toBe(feed[0]!.file!.version);
      expect(current.lastModifyingUser).toEqual({ emailAddress: CLERK, me: false });
      expect(
        (await functions.drive.revisions.list({ fileId: id, fields: 'revisions(id)' })).data.revisions,
      ).toHaveLength(revisionsBefore + 2);
    } finally {
      emulator.drive.set({ metadataLagMs: 0 });
    }
  });
});
