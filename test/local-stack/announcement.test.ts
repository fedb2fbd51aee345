/**
 * The announcement file (stateDir/stack.json) tells CLI commands and a second `npm start`
 * that a stack runs (one stop in four once left a stale one). A stale file (its
 * process gone, or naming the reader's own pid after a container restart, or its services
 * silent) is ignored and removed; a live one is found; stopping a stack removes it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announcementFile,
  findRunningStack,
  startLocalStack,
  type StackAnnouncement,
} from '../../scripts/local-stack/stack.js';

const announcement = (pid: number, sheetsUrl: string): StackAnnouncement => ({
  pid,
  sheetsUrl,
  firestoreHost: '127.0.0.1:1',
  firestoreProjectId: 'demo-local',
  firestoreKind: 'inprocess',
  functions: {},
  mailInbox: 'http://127.0.0.1:1/',
  smtpPort: 1,
  sheetsClockScale: 1,
  sheetsQuotas: true,
  startedAt: new Date(0).toISOString(),
});

/** A process that exits at once: its pid is then (almost surely) no one's. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('stack.json', () => {
  let dir: string;
  let server: Server;
  let liveUrl: string;
  let sleeper: ReturnType<typeof spawn>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'announce-'));
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    liveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  });
  afterAll(async () => {
    sleeper.kill();
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  const write = (a: StackAnnouncement | string) =>
    writeFile(announcementFile(dir), typeof a === 'string' ? a : JSON.stringify(a));

  it('a live process whose services answer: found', async () => {
    await write(announcement(sleeper.pid!, liveUrl));
    expect(await findRunningStack(dir)).toMatchObject({ pid: sleeper.pid, sheetsUrl: liveUrl });
    expect(existsSync(announcementFile(dir))).toBe(true);
  });

  it('its process gone: ignored and removed', async () => {
    await write(announcement(await deadPid(), liveUrl));
    expect(await findRunningStack(dir)).toBeNull();
    expect(existsSync(announcementFile(dir))).toBe(false);
  });

  it('naming the reader’s own pid (left by an earlier process that had the same id): ignored and removed', async () => {
    await write(announcement(process.pid, liveUrl));
    expect(await findRunningStack(dir)).toBeNull();
    expect(existsSync(announcementFile(dir))).toBe(false);
  });

  it('a live pid (reused by another program) whose services are silent: ignored and removed', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await write(announcement(sleeper.pid!, `http://127.0.0.1:${port}/`));
    expect(await findRunningStack(dir)).toBeNull();
    expect(existsSync(announcementFile(dir))).toBe(false);
  });

  it('half written (not JSON): ignored and removed', async () => {
    await write('{"pid": 12');
    expect(await findRunningStack(dir)).toBeNull();
    expect(existsSync(announcementFile(dir))).toBe(false);
  });

  it('a stack started over a stale file replaces it, and removes it when it stops', async () => {
    const stateDir = join(dir, 'state');
    await mkdir(stateDir, { recursive: true });
    await writeFile(announcementFile(stateDir), JSON.stringify(announcement(await deadPid(), liveUrl)));
    const stack = await startLocalStack({ stateDir, persist: false, scheduler: false, announce: true });
    try {
      const found = await findRunningStack(stateDir);
      // Announced by this very process: its own pid here is not mistaken for a stale file.
      expect(found?.pid).toBe(process.pid);
      expect(found?.sheetsUrl).toBe(stack.urls.sheets);
    } finally {
      await stack.stop();
    }
    expect(existsSync(announcementFile(stateDir))).toBe(false);
  }, 60_000);
});
