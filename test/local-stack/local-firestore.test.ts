/**
 * The local Firestore on Google's emulator: which one runs, state kept with the emulator's
 * own export and import across a clean stop and across a SIGKILL of the process that runs it,
 * no JVM left behind, and the in-process stand-in still working as the fallback.
 * The official-emulator cases need Java and the Cloud SDK component; where they are missing
 * the suite says so and checks the fallback only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import {
  EXPORT_DIR,
  STATE_FILE,
  chooseFirestoreEmulator,
  hasSavedFirestoreState,
  startLocalFirestore,
  type LocalFirestore,
} from '../../scripts/local-stack/local-firestore.js';
import { processGroupAlive } from '../../scripts/local-stack/official-firestore-emulator.js';
import { eventually } from '../helpers/integration.js';

const official = inject('firestoreKind') === 'official';
const dirs: string[] = [];
const running: LocalFirestore[] = [];

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bao-cao-firestore-'));
  dirs.push(dir);
  return dir;
}

async function start(opts: Parameters<typeof startLocalFirestore>[0]): Promise<LocalFirestore> {
  const firestore = await startLocalFirestore(opts);
  running.push(firestore);
  return firestore;
}

async function documentIds(firestore: LocalFirestore): Promise<string[]> {
  const db = createEmulatorClient(firestore.host, firestore.projectId);
  try {
    return (await db.collection('units').get()).docs.map((d) => d.id).sort();
  } finally {
    await db.terminate();
  }
}

async function write(firestore: LocalFirestore, id: string): Promise<void> {
  const db = createEmulatorClient(firestore.host, firestore.projectId);
  try {
    await db.doc(`units/${id}`).set({ name: id, score: 1.5 });
  } finally {
    await db.terminate();
  }
}

/** Runs local-firestore-child.ts on `dir`, waits for its report, SIGKILLs it. */
async function killedChild(dir: string, mode: 'save' | 'periodic'): Promise<{ processGroup: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'local-firestore-child.ts'), dir, mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => Promise.reject(new Error(`child exited early: ${stderr}`))),
  ])) as [string];
  child.kill('SIGKILL');
  await once(child, 'exit');
  return JSON.parse(line) as { processGroup: number };
}

afterEach(async () => {
  for (const firestore of running.splice(0)) await firestore.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe.runIf(official)("Google's emulator", () => {
  it('runs by default, and a stack without state borrows the run’s emulator in a project of its own', async () => {
    const first = await start({});
    const second = await start({});
    expect([first.kind, first.shared, second.kind, second.shared]).toEqual(['official', true, 'official', true]);
    expect(first.host).toBe(second.host);
    expect(first.projectId).not.toBe(second.projectId);
    await write(first, 'only-in-a');
    expect(await documentIds(first)).toEqual(['only-in-a']);
    expect(await documentIds(second)).toEqual([]);
    await first.stop();
    expect(await documentIds(first)).toEqual([]); // a's project was cleared at stop
  });

  it('keeps state across a clean stop with its own export and import', async () => {
    const dir = await stateDir();
    expect(hasSavedFirestoreState(dir)).toBe(false);
    const first = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(first.shared).toBe(false);
    await write(first, 'hoan-kiem');
    await first.stop();
    expect(hasSavedFirestoreState(dir)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual([EXPORT_DIR]);

    const second = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(await documentIds(second)).toEqual(['hoan-kiem']);
    const db = createEmulatorClient(second.host, second.projectId);
    expect((await db.doc('units/hoan-kiem').get()).data()).toEqual({ name: 'hoan-kiem', score: 1.5 });
    await db.terminate();
  });

  it('after a SIGKILL of the process running it, leaves no JVM and restarts on the last export', async () => {
    const dir = await stateDir();
    const { processGroup } = await killedChild(dir, 'save');
    // The watchdog ends the JVM once the pipe from the killed process closes.
    await eventually(() => !processGroupAlive(processGroup), 15_000, 'the emulator of the killed process to end');
    const restarted = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(await documentIds(restarted)).toEqual(['kept']); // `lost` was written after the last export
  });

  it('exports periodically, so a SIGKILL loses at most the last moments', async () => {
    const dir = await stateDir();
    const { processGroup } = await killedChild(dir, 'periodic');
    await eventually(() => !processGroupAlive(processGroup), 15_000, 'the emulator of the killed process to end');
    const restarted = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(await documentIds(restarted)).toEqual(['kept']);
  });

  it('carries a state directory saved by the in-process emulator over, once', async () => {
    const dir = await stateDir();
    const old = await start({ kind: 'inprocess', stateDir: dir });
    await write(old, 'from-the-stand-in');
    await old.stop();
    expect((await readdir(dir)).sort()).toEqual([STATE_FILE]);

    const moved = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(await documentIds(moved)).toEqual(['from-the-stand-in']);
    expect((await readdir(dir)).sort()).toEqual([EXPORT_DIR, STATE_FILE]);
    await write(moved, 'later');
    await moved.stop();
    const again = await start({ stateDir: dir, exportEveryMs: 0 });
    expect(await documentIds(again)).toEqual(['from-the-stand-in', 'later']); // the export wins over the old file
  });
});

describe('the in-process fallback', () => {
  it('runs when asked for, says why, and keeps its JSON state', async () => {
    const dir = await stateDir();
    const first = await start({ kind: 'inprocess', stateDir: dir });
    expect(first.kind).toBe('inprocess');
    expect(first.fallbackReason).toBe('FIRESTORE_EMULATOR=inprocess');
    await write(first, 'dong-da');
    await first.stop();
    expect(hasSavedFirestoreState(dir)).toBe(true);
    const second = await start({ kind: 'inprocess', stateDir: dir });
    expect(await documentIds(second)).toEqual(['dong-da']);
  });

  it('is chosen, saying why, where Java is missing; FIRESTORE_EMULATOR=official then fails instead', () => {
    const saved = {
      PATH: process.env.PATH,
      JAVA: process.env.JAVA,
      FIRESTORE_EMULATOR: process.env.FIRESTORE_EMULATOR,
    };
    process.env.PATH = '/nonexistent';
    delete process.env.JAVA;
    delete process.env.FIRESTORE_EMULATOR;
    try {
      expect(chooseFirestoreEmulator()).toEqual({
        kind: 'inprocess',
        reason: expect.stringMatching(/no Java runtime/),
      });
      expect(() => chooseFirestoreEmulator('official')).toThrow(
        /FIRESTORE_EMULATOR=official, but Google's Firestore emulator cannot run here: no Java runtime/,
      );
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('FIRESTORE_EMULATOR accepts only the two names', async () => {
    const saved = process.env.FIRESTORE_EMULATOR;
    process.env.FIRESTORE_EMULATOR = 'google';
    try {
      await expect(startLocalFirestore({})).rejects.toThrow(/FIRESTORE_EMULATOR must be "official" or "inprocess"/);
    } finally {
      if (saved === undefined) delete process.env.FIRESTORE_EMULATOR;
      else process.env.FIRESTORE_EMULATOR = saved;
    }
  });
});
