/**
 * Shared test plumbing: real googleapis clients pointed at an in-process emulator, with the
 * caller's email as the bearer token and client retries off (so injected faults are visible).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth as driveAuth, drive } from '@googleapis/drive';
import type { drive_v3 } from '@googleapis/drive';
import { sheets } from '@googleapis/sheets';
import type { sheets_v4 } from '@googleapis/sheets';
import { startSheetsEmulator } from '../../../scripts/emulators/sheets/index.js';
import type { SheetsEmulator, SheetsEmulatorOptions } from '../../../scripts/emulators/sheets/index.js';

export const FUNCTIONS = 'functions@demo-project.iam.gserviceaccount.com';
export const CLERK = 'clerk@ubnd-ba-dinh.example';
export const OTHER = 'someone@elsewhere.example';

export interface Clients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
}

export function clientsFor(emulator: SheetsEmulator, email: string, extra: { timeout?: number } = {}): Clients {
  const oauth = new driveAuth.OAuth2();
  oauth.setCredentials({ access_token: email });
  const common = { rootUrl: emulator.url, auth: oauth, retry: false, ...extra };
  return { sheets: sheets({ version: 'v4', ...common }), drive: drive({ version: 'v3', ...common }) };
}

export async function startEmulator(options: SheetsEmulatorOptions = {}): Promise<SheetsEmulator> {
  return startSheetsEmulator({ pushDelayMs: 30, ...options });
}

export interface ApiFailure {
  status: number;
  message: string;
  body: unknown;
}

/** Runs a call expected to fail and returns what the client surfaced. */
export async function failure(call: Promise<unknown>): Promise<ApiFailure> {
  try {
    await call;
  } catch (error) {
    const details = error as { status?: number; message: string; response?: { data?: unknown } };
    return { status: details.status ?? 0, message: details.message, body: details.response?.data };
  }
  throw new Error('expected the call to fail');
}

export async function createSpreadsheet(
  client: Clients,
  requestBody: sheets_v4.Schema$Spreadsheet,
): Promise<sheets_v4.Schema$Spreadsheet> {
  const response = await client.sheets.spreadsheets.create({ requestBody });
  return response.data;
}

export interface ReceivedPush {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver; `respondWith` sets the status it answers with. */
export class PushReceiver {
  readonly pushes: ReceivedPush[] = [];
  respondWith = 200;
  private server: Server | undefined;
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.pushes.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(this.respondWith);
        res.end();
        for (const waiter of this.waiters.splice(0)) waiter();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notifications`;
  }

  async waitFor(count: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pushes.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} pushes, got ${this.pushes.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
