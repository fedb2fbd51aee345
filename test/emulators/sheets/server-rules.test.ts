/**
 * Rules Google's front end applies to every request before any API logic: body size, unknown
 * names in JSON bodies, `fields` masks (response and update masks), and Drive's per-user rate
 * limit (403, not 429). Real client libraries, as in production.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSchema } from '../../../scripts/emulators/sheets/api-schema.js';
import {
  API_SCHEMA_PATH,
  buildApiSchema,
  renderApiSchema,
} from '../../../scripts/emulators/sheets/generate-api-schema.js';
import type { SheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import { UPDATE_MASK_TARGETS } from '../../../scripts/emulators/sheets/server.js';
import { CLERK, FUNCTIONS, type Clients, clientsFor, createSpreadsheet, failure, startEmulator } from './helpers.js';

let emulator: SheetsEmulator;
let functions: Clients;
let clerk: Clients;
let id: string;
let sheetId: number;

beforeAll(async () => {
  emulator = await startEmulator({ projectNumber: '555000222' });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Rules' },
    sheets: [{ properties: { title: 'S' } }],
  });
  id = created.spreadsheetId as string;
  sheetId = created.sheets?.[0]?.properties?.sheetId as number;
  await functions.drive.permissions.create({
    fileId: id,
    requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
  });
});

afterEach(() => {
  emulator.quotas.reset();
  emulator.faults.clear();
  emulator.clearLog();
});

afterAll(async () => {
  await emulator.stop();
});

const sheetTitles = () => (emulator.getSpreadsheetState(id)?.sheets ?? []).map((sheet) => sheet.properties.title);

describe('request size', () => {
  it('refuses a body over 10,485,760 bytes with 400 INVALID_ARGUMENT and applies nothing', async () => {
    const rows = Array.from({ length: 11 }, () => ['x'.repeat(1_000_000)]);
    const refused = await failure(
      functions.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'S!A1',
        valueInputOption: 'RAW',
        requestBody: { values: rows },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: 'Request payload size exceeds the limit: 10485760 bytes.',
        status: 'INVALID_ARGUMENT',
      },
    });
    const read = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1:A2' });
    expect(read.data.values).toBeUndefined();
  });
});

describe('fields masks on responses', () => {
  it('refuses a Sheets path that names no field, the way client libraries show it', async () => {
    const refused = await failure(
      functions.sheets.spreadsheets.get({ spreadsheetId: id, fields: 'spreadsheetId,sheets.sheetProperties' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: 'Request contains an invalid argument.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              {
                description:
                  "Error expanding 'fields' parameter. Cannot find matching fields for path 'sheets.sheetProperties'.",
              },
            ],
          },
        ],
      },
    });
  });

  it('does not trim spaces in a Sheets mask, but accepts every real path, nested, with * or in snake_case', async () => {
    const spaced = await failure(
      functions.sheets.spreadsheets.get({ spreadsheetId: id, fields: 'properties, sheets.properties' }),
    );
    expect(spaced.status).toBe(400);
    expect(JSON.stringify(spaced.body)).toContain("Cannot find matching fields for path ' sheets.properties'.");
    const ok = await functions.sheets.spreadsheets.get({
      spreadsheetId: id,
      fields:
        'spreadsheetId,properties(title,timeZone),sheets(properties(sheetId,title,gridProperties/frozenRowCount),protectedRanges/*,data/rowData/values(formattedValue,effectiveFormat/numberFormat))',
    });
    expect(ok.data.spreadsheetId).toBe(id);
    // The guide allows separated_by_underscores names as well.
    expect(
      (
        await functions.sheets.spreadsheets.get({
          spreadsheetId: id,
          fields: 'sheets.properties(sheet_id,grid_properties)',
        })
      ).status,
    ).toBe(200);
    const values = await failure(
      functions.sheets.spreadsheets.values.batchGet({
        spreadsheetId: id,
        ranges: ['S!A1'],
        fields: 'valueRanges(range,valuez)',
      }),
    );
    expect(JSON.stringify(values.body)).toContain("Cannot find matching fields for path 'valueRanges.valuez'.");
    const valuesOk = await functions.sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ['S!A1'],
      fields: 'spreadsheetId,valueRanges(range,values)',
    });
    expect(valuesOk.status).toBe(200);
  });

  it("refuses an unknown Drive field with Drive's invalidParameter shape, and trims spaces as Drive does", async () => {
    const refused = await failure(functions.drive.files.get({ fileId: id, fields: 'id,starred2' }));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: 'Invalid field selection starred2',
        errors: [
          {
            message: 'Invalid field selection starred2',
            domain: 'global',
            reason: 'invalidParameter',
            location: 'fields',
            locationType: 'parameter',
          },
        ],
      },
    });
    const listed = await failure(functions.drive.files.list({ fields: 'files(id,name),nextPageTokens' }));
    expect(listed.message).toBe('Invalid field selection nextPageTokens');
    const ok = await functions.drive.files.get({
      fileId: id,
      fields: 'id, name, version, appProperties, capabilities/canEdit, lastModifyingUser(emailAddress,me)',
    });
    expect(ok.data.id).toBe(id);
  });
});

describe('unknown names in JSON bodies', () => {
  it("refuses a name its message does not have, with Google's path in proto names, and applies nothing", async () => {
    const refused = await failure(
      functions.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            { addSheet: { properties: { title: 'Never' } } },
            { updateSheetProperties: { properties: { sheetId, headerValues: ['A'] } as never, fields: 'title' } },
          ],
        },
      }),
    );
    expect(refused.status).toBe(400);
    const line = `Invalid JSON payload received. Unknown name "headerValues" at 'requests[1].update_sheet_properties.properties': Cannot find field.`;
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: line,
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'requests[1].update_sheet_properties.properties', description: line }],
          },
        ],
      },
    });
    expect(sheetTitles()).toEqual(['S']);
  });

  it('names every unknown field, top-level ones without a path', async () => {
    const refused = await failure(
      functions.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'S!A1',
        valueInputOption: 'RAW',
        requestBody: { values: [[1]], majorDimensions: 'ROWS', range: 'S!A1' } as never,
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.message).toBe('Invalid JSON payload received. Unknown name "majorDimensions": Cannot find field.');
    const two = await failure(
      functions.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: 'RAW',
          data: [{ range: 'S!A1', values: [[1]], value: 2 }],
          includeValues: true,
        } as never,
      }),
    );
    expect(two.message).toBe(
      [
        `Invalid JSON payload received. Unknown name "value" at 'data[0]': Cannot find field.`,
        'Invalid JSON payload received. Unknown name "includeValues": Cannot find field.',
      ].join('\n'),
    );
    const read = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1' });
    expect(read.data.values).toBeUndefined();
  });
});

describe('update masks in batchUpdate', () => {
  it('refuses a mask path that names no field of what the request updates, and applies nothing', async () => {
    const refused = await failure(
      functions.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            { addSheet: { properties: { title: 'Never' } } },
            {
              repeatCell: {
                range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
                cell: { userEnteredFormat: { backgroundColor: { red: 1 } } },
                fields: 'userEnteredFormat.backgroundColour',
              },
            },
          ],
        },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect(refused.message).toBe(
      "Invalid requests[1].repeatCell: Invalid field mask: 'userEnteredFormat.backgroundColour' is not a field of CellData.",
    );
    const frozen = await failure(
      functions.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              updateSheetProperties: {
                properties: { sheetId, gridProperties: { frozenRowCount: 1 } },
                fields: 'gridProperties.frozenRowCounts',
              },
            },
          ],
        },
      }),
    );
    expect(frozen.message).toBe(
      "Invalid requests[0].updateSheetProperties: Invalid field mask: 'gridProperties.frozenRowCounts' is not a field of SheetProperties.",
    );
    expect(sheetTitles()).toEqual(['S']);
    expect(emulator.getSpreadsheetState(id)?.sheets[0]?.properties.gridProperties.frozenRowCount ?? 0).toBe(0);
  });

  it("refuses a missing mask with Google's message, and accepts real paths and *", async () => {
    const missing = await failure(
      functions.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [{ repeatCell: { range: { sheetId, startRowIndex: 0, endRowIndex: 1 }, cell: { note: 'x' } } }],
        },
      }),
    );
    expect(missing.status).toBe(400);
    expect(missing.message).toBe(
      "Invalid requests[0].repeatCell: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)",
    );
    await functions.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            updateSheetProperties: {
              properties: { sheetId, gridProperties: { frozenRowCount: 1 } },
              fields: 'gridProperties.frozenRowCount',
            },
          },
          {
            repeatCell: {
              range: { sheetId, startRowIndex: 5, endRowIndex: 6 },
              cell: { userEnteredFormat: { textFormat: { bold: true } } },
              fields: 'userEnteredFormat(textFormat/bold,backgroundColor)',
            },
          },
          {
            updateDimensionProperties: {
              range: { sheetId, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 },
              properties: { pixelSize: 120 },
              fields: 'pixelSize',
            },
          },
          { updateSpreadsheetProperties: { properties: { title: 'Rules' }, fields: '*' } },
        ],
      },
    });
    expect(emulator.getSpreadsheetState(id)?.sheets[0]?.properties.gridProperties.frozenRowCount).toBe(1);
  });

  it('knows what every update mask of the Sheets API is a mask of', () => {
    const messages = apiSchema().sheets;
    const withMask = Object.entries(messages)
      .filter(([name, fields]) => name.endsWith('Request') && Object.hasOwn(fields, 'fields'))
      .map(([name]) => name)
      .sort();
    expect(Object.keys(UPDATE_MASK_TARGETS).sort()).toEqual(withMask);
    for (const target of Object.values(UPDATE_MASK_TARGETS)) expect(messages[target], target).toBeDefined();
  });
});

describe('Drive rate limits', () => {
  it('answers 403 userRateLimitExceeded (domain usageLimits) past the per-user quota, per user, for a minute', async () => {
    emulator.quotas.set({ drivePerMinutePerUser: 3 });
    for (let i = 0; i < 3; i += 1) await functions.drive.files.get({ fileId: id, fields: 'id' });
    const refused = await failure(functions.drive.files.get({ fileId: id, fields: 'id' }));
    expect(refused.status).toBe(403);
    const consoleUrl = 'https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=555000222';
    const message = `User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: ${consoleUrl}`;
    expect(refused.body).toEqual({
      error: {
        code: 403,
        message,
        errors: [{ message, domain: 'usageLimits', reason: 'userRateLimitExceeded', extendedHelp: consoleUrl }],
      },
    });
    // Another user still has quota; Sheets calls are counted apart.
    await clerk.drive.files.get({ fileId: id, fields: 'id' });
    await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1' });
    emulator.clock.advance(60_001);
    await functions.drive.files.get({ fileId: id, fields: 'id' });
    expect(emulator.countRequests({ api: 'drive', user: FUNCTIONS, status: 403 })).toBe(1);
  });

  it('answers 403 rateLimitExceeded past the per-project quota', async () => {
    emulator.quotas.set({ drivePerMinutePerProject: 2 });
    await functions.drive.files.get({ fileId: id, fields: 'id' });
    await clerk.drive.files.get({ fileId: id, fields: 'id' });
    const refused = await failure(clerk.drive.files.get({ fileId: id, fields: 'id' }));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: {
        code: 403,
        message: 'Rate Limit Exceeded',
        errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
      },
    });
  });

  it('injects 403 userRateLimitExceeded on Drive only, with nothing applied', async () => {
    emulator.faults.set({ rate403: 1 });
    const refused = await failure(functions.drive.files.update({ fileId: id, requestBody: { name: 'Renamed' } }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: { code: 403, errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded' }] },
    });
    expect(emulator.getDriveFileState(id)?.name).toBe('Rules');
    const read = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1' });
    expect(read.status).toBe(200);
    expect(emulator.countRequests({ fault: 'rate403' })).toBe(1);
  });
});

describe('the API schema the checks use', () => {
  it('matches the installed client libraries (run generate-api-schema.ts after upgrading them)', () => {
    expect(readFileSync(API_SCHEMA_PATH, 'utf8')).toBe(renderApiSchema(buildApiSchema()));
  });
});
