import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWorkbookModel } from '../../../scripts/emulators/sheets/index.js';
import { CLERK, FUNCTIONS, clientsFor, createSpreadsheet, sleep, startEmulator } from './helpers.js';

let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sheets-emulator-'));
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps spreadsheets, Drive files, changes and channels across stop/start with the same stateDir', async () => {
    const first = await startEmulator({ stateDir, quotas: { enabled: false } });
    const client = clientsFor(first, FUNCTIONS);
    const created = await createSpreadsheet(client, {
      properties: { title: 'Bền vững', locale: 'vi_VN' },
      sheets: [{ properties: { title: 'Bảng 1' } }],
    });
    const id = created.spreadsheetId as string;
    await client.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Bảng 1'!A1",
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['1.234,5', '=A1*2']] },
    });
    await client.drive.files.update({ fileId: id, requestBody: { appProperties: { campaign: 'dot-1' } } });
    await client.drive.permissions.create({
      fileId: id,
      requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
    });
    const token = (await client.drive.changes.getStartPageToken({})).data.startPageToken as string;
    const versionBefore = (await client.drive.files.get({ fileId: id, fields: 'version' })).data.version;
    const clockBefore = first.clock.now();
    await first.stop();
    // Atomic saves: only the final files remain, no temp file; one file per spreadsheet.
    expect((await readdir(stateDir)).sort()).toEqual(['drive.json', 'spreadsheets']);
    expect(await readdir(join(stateDir, 'spreadsheets'))).toEqual([`${id}.json`]);
    expect(JSON.parse(await readFile(join(stateDir, 'drive.json'), 'utf8'))).toMatchObject({ formatVersion: 1 });

    const second = await startEmulator({ stateDir, quotas: { enabled: false } });
    try {
      expect(second.clock.now()).toBeGreaterThanOrEqual(clockBefore);
      const clerk = clientsFor(second, CLERK);
      const values = await clerk.sheets.spreadsheets.values.get({
        spreadsheetId: id,
        range: "'Bảng 1'!A1:B1",
        valueRenderOption: 'UNFORMATTED_VALUE',
      });
      expect(values.data.values).toEqual([[1234.5, 2469]]);
      const file = await clerk.drive.files.get({ fileId: id, fields: 'version,appProperties,owners(emailAddress)' });
      expect(file.data).toEqual({
        version: versionBefore,
        appProperties: { campaign: 'dot-1' },
        owners: [{ emailAddress: FUNCTIONS }],
      });
      await clerk.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Bảng 1'!C1",
        valueInputOption: 'RAW',
        requestBody: { values: [['after restart']] },
      });
      const changes = await clerk.drive.changes.list({ pageToken: token, fields: 'changes(fileId),newStartPageToken' });
      expect(changes.data.changes?.map((c) => c.fileId)).toEqual([id]);
      const listed = second.listSpreadsheets();
      expect(listed).toEqual([expect.objectContaining({ id, title: 'Bền vững' })]);
      expect(Number(listed[0]?.version)).toBeGreaterThan(Number(versionBefore)); // a step of one or more
    } finally {
      await second.stop();
    }
  });

  it('saves after mutations without waiting for stop (debounced)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sheets-emulator-debounce-'));
    const emulator = await startEmulator({ stateDir: dir, quotas: { enabled: false } });
    try {
      const created = await createSpreadsheet(clientsFor(emulator, FUNCTIONS), { properties: { title: 'Debounced' } });
      await sleep(400);
      expect(await readdir(join(dir, 'spreadsheets'))).toEqual([`${created.spreadsheetId}.json`]);
    } finally {
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('toWorkbookModel and debug routes', () => {
  it('maps a spreadsheet onto the shared workbook model', async () => {
    const emulator = await startEmulator({ quotas: { enabled: false } });
    try {
      const client = clientsFor(emulator, FUNCTIONS);
      const created = await createSpreadsheet(client, {
        properties: { title: 'Mô hình', locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
        sheets: [
          {
            properties: {
              title: 'Bảng 1',
              gridProperties: { rowCount: 12, columnCount: 4, frozenRowCount: 2 },
              tabColor: { red: 1, green: 0.5, blue: 0 },
            },
            data: [
              {
                rowData: [
                  {
                    values: [
                      {
                        userEnteredValue: { stringValue: 'Tiêu đề' },
                        userEnteredFormat: {
                          textFormat: { bold: true, fontSize: 12, foregroundColor: { red: 1, green: 1, blue: 1 } },
                          backgroundColor: { red: 0, green: 0.4, blue: 0.8 },
                          horizontalAlignment: 'CENTER',
                          verticalAlignment: 'MIDDLE',
                          wrapStrategy: 'WRAP',
                        },
                        note: 'ghi chú',
                      },
                    ],
                  },
                  {
                    values: [
                      {
                        userEnteredValue: { numberValue: 5 },
                        userEnteredFormat: { numberFormat: { type: 'NUMBER', pattern: '#,##0' } },
                        dataValidation: {
                          condition: { type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: '0' }] },
                          strict: true,
                          inputMessage: 'Số không âm',
                        },
                      },
                      { userEnteredValue: { formulaValue: '=A2*3' } },
                      { userEnteredValue: { boolValue: true }, dataValidation: { condition: { type: 'BOOLEAN' } } },
                      {
                        userEnteredValue: { stringValue: 'Có' },
                        dataValidation: {
                          condition: {
                            type: 'ONE_OF_LIST',
                            values: [{ userEnteredValue: 'Có' }, { userEnteredValue: 'Không' }],
                          },
                          strict: false,
                        },
                      },
                    ],
                  },
                ],
                columnMetadata: [{ pixelSize: 220 }],
              },
            ],
            merges: [{ startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 4 }],
            protectedRanges: [
              {
                range: {},
                description: 'Khoá',
                unprotectedRanges: [{ startRowIndex: 1, endRowIndex: 12, startColumnIndex: 0, endColumnIndex: 1 }],
                editors: { users: ['lead@example.vn'] },
              },
            ],
          },
          { properties: { title: 'Đối chiếu', hidden: true } },
        ],
      });
      const id = created.spreadsheetId as string;
      await client.sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              updateBorders: {
                range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 },
                top: { style: 'SOLID' },
                bottom: { style: 'SOLID' },
                left: { style: 'SOLID' },
                right: { style: 'SOLID' },
              },
            },
          ],
        },
      });
      const model = emulator.toWorkbookModel(id);
      expect(model).toMatchObject({ title: 'Mô hình', locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' });
      const [first, second] = model.sheets;
      expect(first).toMatchObject({
        title: 'Bảng 1',
        key: 'bang1',
        rowCount: 12,
        colCount: 4,
        frozenRows: 2,
        tabColor: '#FF8000',
        columns: [{ index: 0, width: 220 }],
        merges: [{ startRow: 0, endRow: 1, startCol: 0, endCol: 4 }],
      });
      expect(first?.protection).toEqual({
        description: 'Khoá',
        unprotected: [{ startRow: 1, endRow: 12, startCol: 0, endCol: 1 }],
        editors: ['lead@example.vn', FUNCTIONS],
      });
      expect(first?.cells).toEqual([
        {
          row: 0,
          col: 0,
          value: 'Tiêu đề',
          note: 'ghi chú',
          style: {
            bold: true,
            fontSize: 12,
            fontColor: '#FFFFFF',
            fill: '#0066CC',
            hAlign: 'center',
            vAlign: 'middle',
            wrap: true,
          },
        },
        {
          row: 1,
          col: 0,
          value: 5,
          style: { numberFormat: '#,##0', border: true },
          validation: { kind: 'number', min: 0, strict: true, message: 'Số không âm' },
        },
        { row: 1, col: 1, formula: 'A2*3', value: 15 },
        { row: 1, col: 2, value: true, validation: { kind: 'checkbox' } },
        { row: 1, col: 3, value: 'Có', validation: { kind: 'list', values: ['Có', 'Không'], strict: false } },
      ]);
      expect(second).toMatchObject({ title: 'Đối chiếu', key: 'doichieu', hidden: true, cells: [] });
      expect(toWorkbookModel(emulator.getSpreadsheetState(id)!)).toEqual(model);

      const list = (await (await fetch(`${emulator.url}emulator/spreadsheets`)).json()) as {
        id: string;
        title: string;
        version: string;
        url: string;
      }[];
      expect(list).toEqual([
        expect.objectContaining({ id, title: 'Mô hình', url: `https://docs.google.com/spreadsheets/d/${id}/edit` }),
      ]);
      const log = (await (await fetch(`${emulator.url}emulator/log`)).json()) as { op: string }[];
      expect(log.map((entry) => entry.op)).toEqual(['spreadsheets.create', 'spreadsheets.batchUpdate']);
      expect((await fetch(`${emulator.url}emulator/spreadsheets/nope.xlsx`)).status).toBe(404);
    } finally {
      await emulator.stop();
    }
  });
});

describe('standalone process', () => {
  it('prints its URL, serves, and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sheets-emulator-main-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/emulators/sheets/main.ts',
        '--port',
        '0',
        '--state-dir',
        dir,
        '--no-quotas',
        '--clock-scale',
        '10',
      ],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const response = await fetch(`${url}v4/spreadsheets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${FUNCTIONS}` },
        body: '{}',
      });
      expect(response.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await readdir(join(dir, 'spreadsheets'))).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('persistence cost', () => {
  it('rewrites only the spreadsheet that changed, and still reads the earlier single-file format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sheets-emulator-dirty-'));
    try {
      const first = await startEmulator({ stateDir: dir, quotas: { enabled: false } });
      const client = clientsFor(first, FUNCTIONS);
      const firstId = (await createSpreadsheet(client, { properties: { title: 'A' } })).spreadsheetId as string;
      const second = (await createSpreadsheet(client, { properties: { title: 'B' } })).spreadsheetId as string;
      await first.flush();
      const bFile = join(dir, 'spreadsheets', `${second}.json`);
      const { mtimeMs: before } = await import('node:fs/promises').then((fs) => fs.stat(bFile));
      await sleep(30);
      await client.sheets.spreadsheets.values.update({
        spreadsheetId: firstId,
        range: 'A1',
        valueInputOption: 'RAW',
        requestBody: { values: [['chỉ A đổi']] },
      });
      await first.flush();
      const { mtimeMs: after } = await import('node:fs/promises').then((fs) => fs.stat(bFile));
      expect(after).toBe(before);
      await first.stop();

      // A state directory written by the earlier format (one state.json) still loads.
      const legacyDir = await mkdtemp(join(tmpdir(), 'sheets-emulator-legacy-'));
      const index = JSON.parse(await readFile(join(dir, 'drive.json'), 'utf8')) as Record<string, unknown>;
      const sheetA = JSON.parse(await readFile(join(dir, 'spreadsheets', `${firstId}.json`), 'utf8')) as unknown;
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(legacyDir, 'state.json'), JSON.stringify({ ...index, spreadsheets: { [firstId]: sheetA } }));
      const legacy = await startEmulator({ stateDir: legacyDir, quotas: { enabled: false } });
      try {
        const value = await clientsFor(legacy, FUNCTIONS).sheets.spreadsheets.values.get({
          spreadsheetId: firstId,
          range: 'A1',
        });
        expect(value.data.values).toEqual([['chỉ A đổi']]);
      } finally {
        await legacy.stop();
        await rm(legacyDir, { recursive: true, force: true });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
