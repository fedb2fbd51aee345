import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
let id: string;

beforeAll(async () => {
  emulator = await startEmulator({ projectNumber: '555000111' });
  functions = clientsFor(emulator, FUNCTIONS);
  clerk = clientsFor(emulator, CLERK);
  const created = await createSpreadsheet(functions, {
    properties: { title: 'Quota' },
    sheets: [{ properties: { title: 'S' } }],
  });
  id = created.spreadsheetId as string;
  await functions.drive.permissions.create({
    fileId: id,
    requestBody: { role: 'writer', type: 'user', emailAddress: CLERK },
  });
  await functions.drive.permissions.create({
    fileId: id,
    requestBody: { role: 'writer', type: 'user', emailAddress: OTHER },
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

const readOnce = (client: Clients) => client.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1' });
const writeOnce = (client: Clients, value: unknown = 1) =>
  client.sheets.spreadsheets.values.update({
    spreadsheetId: id,
    range: 'S!A1',
    valueInputOption: 'RAW',
    requestBody: { values: [[value]] },
  });

async function repeat(times: number, call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < times; i += 1) await call();
}

describe('quotas', () => {
  it('refuses the 61st read in a minute for one user, while another user still reads', async () => {
    await repeat(60, () => readOnce(functions));
    const refused = await failure(readOnce(functions));
    expect(refused.status).toBe(429);
    expect(refused.message).toBe(
      "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:555000111'.",
    );
    expect(refused.body).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' }, {}],
      },
    });
    await readOnce(clerk);
    // Reads and writes are counted apart, and Drive calls are not subject to Sheets quotas.
    await writeOnce(functions);
    await functions.drive.files.get({ fileId: id });
    expect(emulator.countRequests({ op: 'spreadsheets.values.get', user: FUNCTIONS, status: 429 })).toBe(1);
  });

  it('opens the window again after an emulated minute', async () => {
    await repeat(60, () => readOnce(functions));
    expect((await failure(readOnce(functions))).status).toBe(429);
    emulator.clock.advance(30_000);
    expect((await failure(readOnce(functions))).status).toBe(429);
    emulator.clock.advance(30_001);
    await readOnce(functions);
  });

  it('enforces the per-project limit across users', async () => {
    emulator.quotas.set({ writePerMinutePerProject: 5 });
    await repeat(2, () => writeOnce(functions));
    await repeat(3, () => writeOnce(clerk));
    const refused = await failure(writeOnce(clientsFor(emulator, OTHER)));
    expect(refused.status).toBe(429);
    expect(refused.message).toBe(
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute' of service 'sheets.googleapis.com' for consumer 'project_number:555000111'.",
    );
  });

  it('can be switched off and adjusted at run time', async () => {
    emulator.quotas.set({ readPerMinutePerUser: 3 });
    await repeat(3, () => readOnce(functions));
    expect((await failure(readOnce(functions))).status).toBe(429);
    emulator.quotas.set({ enabled: false });
    await repeat(70, () => readOnce(functions));
    expect(emulator.quotas.current().enabled).toBe(false);
  });

  it('runs windows on the scaled clock', async () => {
    emulator.quotas.set({ readPerMinutePerUser: 2 });
    emulator.clock.setScale(120); // one emulated minute per half a real second
    try {
      await repeat(2, () => readOnce(functions));
      expect((await failure(readOnce(functions))).status, 'the third read in the same emulated minute').toBe(429);
      // 0.6 real seconds are more than an emulated minute: the window has passed, two more reads go through.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expect(repeat(2, () => readOnce(functions))).resolves.toBeUndefined();
    } finally {
      emulator.clock.setScale(1);
    }
  });
});

describe('fault injection', () => {
  async function outcomes(count: number, call: () => Promise<unknown>): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) {
      try {
        await call();
        statuses.push(200);
      } catch (error) {
        statuses.push((error as { status?: number }).status ?? 0);
      }
    }
    return statuses;
  }

  it('gives the same seeded pattern every time', async () => {
    emulator.quotas.set({ enabled: false });
    emulator.faults.set({ rate429: 0.2, rate500: 0.2, seed: 42 });
    const first = await outcomes(30, () => readOnce(functions));
    emulator.faults.set({ rate429: 0.2, rate500: 0.2, seed: 42 });
    const second = await outcomes(30, () => readOnce(functions));
    expect(second).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(emulator.countRequests({ fault: 'rate500' })).toBe(second.filter((s) => s === 500).length * 2);
  });

  it('applies nothing on an injected failure of a write', async () => {
    emulator.quotas.set({ enabled: false });
    const before = emulator.getDriveFileState(id)?.version ?? 0;
    emulator.faults.set({ rate500: 0.5, rate503: 0.5, seed: 7 });
    const statuses = await outcomes(10, () => writeOnce(functions, 'never'));
    expect(new Set(statuses)).toEqual(new Set([500, 503]));
    const error = await failure(writeOnce(functions, 'never'));
    expect(error.body).toMatchObject({ error: { status: expect.stringMatching(/^(INTERNAL|UNAVAILABLE)$/) } });
    emulator.faults.clear();
    expect(emulator.getDriveFileState(id)?.version).toBe(before);
    const cell = await functions.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'S!A1' });
    expect(cell.data.values?.[0]?.[0]).not.toBe('never');
  });

  it('loses the response of a timed-out request, having applied it or not', async () => {
    emulator.quotas.set({ enabled: false });
    emulator.faults.set({ timeoutRate: 1, timeoutHoldMs: 2000, seed: 3 });
    const impatient = clientsFor(emulator, FUNCTIONS, { timeout: 100 });
    const versions: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const before = emulator.getDriveFileState(id)?.version ?? 0;
      const started = Date.now();
      await expect(writeOnce(impatient, `t${i}`)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1500);
      versions.push((emulator.getDriveFileState(id)?.version ?? 0) - before);
    }
    // Applied or not, as the version moved (by a step of one or more) or not.
    const applied = versions.map((v) => (v > 0 ? 1 : 0));
    expect(applied).toContain(0);
    expect(applied).toContain(1);
    expect(emulator.countRequests({ fault: 'timeout', status: 0 })).toBe(6);
    expect(emulator.log.filter((e) => e.fault === 'timeout').map((e) => (e.applied ? 1 : 0))).toEqual(applied);
  });

  it('limits faults to the chosen APIs and adds latency', async () => {
    emulator.quotas.set({ enabled: false });
    emulator.faults.set({ rate503: 1, apis: ['drive'], latencyMs: { min: 20, max: 30 } });
    await readOnce(functions);
    const drive = await failure(functions.drive.files.get({ fileId: id }));
    expect(drive.status).toBe(503);
    emulator.faults.set({ latencyMs: 40 });
    const started = Date.now();
    await readOnce(functions);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});
