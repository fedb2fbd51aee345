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

const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let other: Clients;
let id: string;

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { enabled: false } });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  other = clientsFor(emulator, OTHER);
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Bảo vệ', locale: 'vi_VN' },
    sheets: [
      {
        properties: { title: 'Bảng 1', gridProperties: { rowCount: 10, columnCount: 5 } },
        protectedRanges: [
          {
            range: {},
            description: 'Chỉ nhập cột C:D từ hàng 3',
            unprotectedRanges: [{ startRowIndex: 2, endRowIndex: 10, startColumnIndex: 2, endColumnIndex: 4 }],
          },
        ],
      },
      {
        properties: { title: 'Ghi chú', gridProperties: { rowCount: 5, columnCount: 3 } },
        protectedRanges: [
          { range: { startRowIndex: 0, endRowIndex: 1 }, description: 'header', editors: { users: [CLERK] } },
          { range: { startRowIndex: 4, endRowIndex: 5 }, description: 'warn', warningOnly: true },
        ],
      },
    ],
  });
  id = created.spreadsheetId as string;
});

afterAll(async () => {
  await emulator.stop();
});

describe('authentication and errors as surfaced by the client', () => {
  it('answers 401 UNAUTHENTICATED without an Authorization header (Sheets and Drive shapes)', async () => {
    const sheetsResponse = await fetch(`${emulator.url}v4/spreadsheets/${id}`);
    expect(sheetsResponse.status).toBe(401);
    const sheetsBody = (await sheetsResponse.json()) as { error: Record<string, unknown> };
    expect(sheetsBody.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(sheetsBody.error['message']).toMatch(/^Request is missing required authentication credential/);
    const driveResponse = await fetch(`${emulator.url}drive/v3/files/${id}`);
    expect(driveResponse.status).toBe(401);
    const driveBody = (await driveResponse.json()) as { error: { errors: unknown[] } };
    expect(driveBody.error.errors[0]).toMatchObject({
      reason: 'required',
      location: 'Authorization',
      locationType: 'header',
    });
  });

  it('answers 404 NOT_FOUND for an unknown spreadsheet', async () => {
    const result = await failure(functions.sheets.spreadsheets.get({ spreadsheetId: 'does-not-exist' }));
    expect(result.status).toBe(404);
    expect(result.message).toBe('Requested entity was not found.');
    expect(result.body).toEqual({
      error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
    });
  });

  it('answers 403 PERMISSION_DENIED to a caller without access', async () => {
    const result = await failure(other.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Bảng 1'!A1" }));
    expect(result.status).toBe(403);
    expect(result.message).toBe('The caller does not have permission');
    expect(result.body).toEqual({
      error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
    });
    const drive = await failure(other.drive.files.get({ fileId: id }));
    expect(drive).toMatchObject({ status: 404, message: `File not found: ${id}.` });
  });

  it('lets a reader read but not write', async () => {
    await functions.drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: 'reader', type: 'user', emailAddress: OTHER },
    });
    const read = await other.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Bảng 1'!A1:B2" });
    expect(read.data.range).toBe("'Bảng 1'!A1:B2");
    const write = await failure(
      other.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Bảng 1'!C3",
        valueInputOption: 'RAW',
        requestBody: { values: [[1]] },
      }),
    );
    expect(write).toMatchObject({ status: 403, message: 'The caller does not have permission' });
  });

  it('answers 400 for a malformed JSON body and 404 for an unknown method', async () => {
    const response = await fetch(`${emulator.url}v4/spreadsheets/${id}:batchUpdate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${FUNCTIONS}`, 'Content-Type': 'application/json' },
      body: '{"requests": [',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    const unknown = await fetch(`${emulator.url}v4/spreadsheets/${id}:frobnicate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${FUNCTIONS}` },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('protected ranges', () => {
  beforeAll(async () => {
    await functions.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
  });

  it('lets a writer edit the unprotected cells of a protected sheet', async () => {
    const response = await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Bảng 1'!C3:D4",
      valueInputOption: 'USER_ENTERED',
      requestBody: {
        values: [
          ['1', '2'],
          ['3', '4'],
        ],
      },
    });
    expect(response.data.updatedCells).toBe(4);
  });

  it('refuses a writer who is not an editor, with 400 and the real message, and applies nothing', async () => {
    const before = emulator.getDriveFileState(id)?.version;
    const values = await failure(
      clerk.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Bảng 1'!B3:C3",
        valueInputOption: 'RAW',
        requestBody: { values: [['x', 'y']] },
      }),
    );
    expect(values.status).toBe(400);
    expect(values.message).toBe(PROTECTED_MESSAGE);
    expect(values.body).toEqual({ error: { code: 400, message: PROTECTED_MESSAGE, status: 'INVALID_ARGUMENT' } });
    const batch = await failure(
      clerk.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              repeatCell: {
                range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 },
                cell: { note: 'x' },
                fields: 'note',
              },
            },
          ],
        },
      }),
    );
    expect(batch).toMatchObject({ status: 400, message: PROTECTED_MESSAGE });
    const structure = await failure(
      clerk.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [{ insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } }],
        },
      }),
    );
    expect(structure.message).toBe(PROTECTED_MESSAGE);
    const removeProtection = await failure(
      clerk.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              deleteProtectedRange: {
                protectedRangeId: emulator.getSpreadsheetState(id)?.sheets[0]?.protectedRanges[0]
                  ?.protectedRangeId as number,
              },
            },
          ],
        },
      }),
    );
    expect(removeProtection.message).toBe(PROTECTED_MESSAGE);
    expect(emulator.getDriveFileState(id)?.version).toBe(before);
    const cell = await clerk.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Bảng 1'!B3" });
    expect(cell.data.values).toBeUndefined();
  });

  it('lets listed editors, the owner, and anyone in a warning-only range write', async () => {
    await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Ghi chú'!A1",
      valueInputOption: 'RAW',
      requestBody: { values: [['editor ok']] },
    });
    await clerk.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Ghi chú'!A5",
      valueInputOption: 'RAW',
      requestBody: { values: [['warning only']] },
    });
    await functions.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Bảng 1'!A1",
      valueInputOption: 'RAW',
      requestBody: { values: [['owner ok']] },
    });
    const values = await functions.sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Ghi chú'!A1", "'Ghi chú'!A5", "'Bảng 1'!A1"],
    });
    expect(values.data.valueRanges?.map((r) => r.values?.[0]?.[0])).toEqual(['editor ok', 'warning only', 'owner ok']);
  });

  it('reports requestingUserCanEdit per caller', async () => {
    const asClerk = await clerk.sheets.spreadsheets.get({
      spreadsheetId: id,
      fields: 'sheets(protectedRanges(description,requestingUserCanEdit))',
    });
    expect(asClerk.data.sheets?.map((s) => s.protectedRanges?.map((p) => p.requestingUserCanEdit))).toEqual([
      [false],
      [true, true],
    ]);
  });
});
