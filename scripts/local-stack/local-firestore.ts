/**
 * The Firestore the local stack, the tests and the benchmarks run on: Google's own emulator
 * (the Cloud SDK component, on Java) where it is installed, the in-process
 * `@firestore-emulator/server` where Java or the component is missing. One interface for both,
 * and one line saying which runs, so nobody mistakes the stand-in's results for Google's.
 *
 * Choosing: FIRESTORE_EMULATOR=official | inprocess forces one (official then fails instead of
 * falling back); unset, the official one runs wherever it can.
 *
 * Sharing: a test run starts one official emulator (test/setup/firestore.ts) and names it in
 * LOCAL_FIRESTORE_SHARED_HOST; every stack that keeps no state then works in a project of its
 * own there (Firestore keeps projects apart) instead of starting a JVM, and clears it at stop.
 *
 * State across restarts (official): the emulator's own export, written through its HTTP export
 * endpoint into a fresh directory and moved into place by renames (`firestore-export/` in the
 * state directory), at stop and every `exportEveryMs`; at start `--import-data` loads it. A
 * stack killed outright restarts on its last complete export. The in-process emulator keeps
 * its JSON file (`firestore.json`); a state directory that has only that file is carried over
 * into the official emulator once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exportMetadataFile,
  findOfficialFirestoreEmulator,
  startOfficialFirestoreEmulator,
  type OfficialFirestoreEmulator,
} from './official-firestore-emulator.js';

export type FirestoreEmulatorKind = 'official' | 'inprocess';

export interface LocalFirestore {
  kind: FirestoreEmulatorKind;
  /** `HOST:PORT` for the client's `host` (or FIRESTORE_EMULATOR_HOST). */
  host: string;
  /** The project the stack's clients must use (unique per stack on a shared emulator). */
  projectId: string;
  /** True when this stack borrowed a test run's emulator rather than starting one. */
  shared: boolean;
  /** One line for people: which emulator runs, and why the stand-in if it is the stand-in. */
  description: string;
  /** Why the stand-in runs (only for kind 'inprocess'). */
  fallbackReason?: string;
  /** The process group of an emulator this stack started (official, not shared). */
  processGroup?: number;
  /** Writes the state to the state directory now (no-op without one). */
  save(): Promise<void>;
  /** Saves (with a state directory), then ends the emulator or clears this stack's project. */
  stop(): Promise<void>;
}

export interface StartLocalFirestoreOptions {
  /** Default 'demo-local'; on a shared emulator a unique suffix is added. */
  projectId?: string;
  /** Where state is kept between runs; without it nothing is kept. */
  stateDir?: string;
  /** Official emulator with a state directory: export this often while running (default 5 s; 0 = only at stop). */
  exportEveryMs?: number;
  /** Default: FIRESTORE_EMULATOR from the environment, else whichever can run. */
  kind?: FirestoreEmulatorKind;
  /** Default: LOCAL_FIRESTORE_SHARED_HOST from the environment. */
  sharedHost?: string;
  /** Warnings (a periodic export that failed). */
  warn?: (message: string) => void;
}

/** The in-process emulator (firestore-emulator.ts) is loaded only when it runs: it is not needed otherwise, and vitest's global setup cannot load it. */
const inProcess = () => import('./firestore-emulator.js');

export const DEFAULT_PROJECT_ID = 'demo-local';
export const STATE_FILE = 'firestore.json';
export const EXPORT_DIR = 'firestore-export';
const EXPORT_NAME = 'firestore_export';
const PREVIOUS_EXPORT_DIR = `${EXPORT_DIR}.previous`;
const EXPORT_IN_PROGRESS = `${EXPORT_DIR}.tmp-`;

export const OFFICIAL_DESCRIPTION = "Google's Cloud Firestore emulator (Cloud SDK component cloud-firestore-emulator)";
export const INPROCESS_DESCRIPTION = 'in-process stand-in @firestore-emulator/server';

/** Which emulator FIRESTORE_EMULATOR asks for, if any; anything else is refused by name. */
export function requestedKind(env: NodeJS.ProcessEnv = process.env): FirestoreEmulatorKind | undefined {
  const value = env.FIRESTORE_EMULATOR;
  if (value === undefined || value === '') return undefined;
  if (value === 'official' || value === 'inprocess') return value;
  throw new Error(`FIRESTORE_EMULATOR must be "official" or "inprocess", not ${JSON.stringify(value)}`);
}

/** The kind that will run here, and the reason when it is the stand-in. */
export function chooseFirestoreEmulator(kind = requestedKind()): { kind: FirestoreEmulatorKind; reason?: string } {
  if (kind === 'inprocess') return { kind, reason: 'FIRESTORE_EMULATOR=inprocess' };
  const install = findOfficialFirestoreEmulator();
  if ('missing' in install) {
    if (kind === 'official')
      throw new Error(
        `FIRESTORE_EMULATOR=official, but Google's Firestore emulator cannot run here: ${install.missing}`,
      );
    return { kind: 'inprocess', reason: install.missing };
  }
  return { kind: 'official' };
}

/** True when the state directory holds Firestore state of either emulator (a later start resumes). */
export function hasSavedFirestoreState(stateDir: string): boolean {
  return (
    [EXPORT_DIR, PREVIOUS_EXPORT_DIR].some((dir) => existsSync(exportMetadataFile(join(stateDir, dir), EXPORT_NAME))) ||
    existsSync(join(stateDir, STATE_FILE))
  );
}

export async function startLocalFirestore(opts: StartLocalFirestoreOptions = {}): Promise<LocalFirestore> {
  const chosen = chooseFirestoreEmulator(opts.kind ?? requestedKind());
  const baseProjectId = opts.projectId ?? DEFAULT_PROJECT_ID;
  if (chosen.kind === 'inprocess') {
    const emulator = await (
      await inProcess()
    ).startFirestoreEmulator({
      projectId: baseProjectId,
      ...(opts.stateDir ? { stateFile: join(opts.stateDir, STATE_FILE) } : {}),
    });
    return {
      kind: 'inprocess',
      host: emulator.host,
      projectId: emulator.projectId,
      shared: false,
      description: `${INPROCESS_DESCRIPTION} (${chosen.reason})`,
      fallbackReason: chosen.reason!,
      save: () => emulator.save(),
      stop: () => emulator.stop(),
    };
  }
  const sharedHost = opts.sharedHost ?? process.env.LOCAL_FIRESTORE_SHARED_HOST;
  if (sharedHost && !opts.stateDir) return borrowProject(sharedHost, baseProjectId);
  return startOwnOfficial(baseProjectId, opts);
}

/** A fresh project on a running official emulator; stop() deletes its documents. */
function borrowProject(host: string, baseProjectId: string): LocalFirestore {
  // Project ids are at most 30 characters: lowercase letters, digits and hyphens.
  const projectId = `${baseProjectId.slice(0, 17)}-${randomBytes(6).toString('hex')}`;
  return {
    kind: 'official',
    host,
    projectId,
    shared: true,
    description: `${OFFICIAL_DESCRIPTION}, shared by this run, project ${projectId}`,
    save: async () => {},
    stop: async () => {
      // The emulator's endpoint for clearing one project's database.
      await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, {
        method: 'DELETE',
      }).catch(() => undefined);
    },
  };
}

async function startOwnOfficial(projectId: string, opts: StartLocalFirestoreOptions): Promise<LocalFirestore> {
  const stateDir = opts.stateDir;
  const importData = stateDir ? await lastCompleteExport(stateDir) : null;
  const emulator = await startOfficialFirestoreEmulator(importData ? { importData } : {});
  let exports: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  try {
    if (
      stateDir &&
      !importData &&
      (await (await inProcess()).importStateFile(join(stateDir, STATE_FILE), emulator.host, projectId))
    ) {
      // Carried over from the in-process emulator's file; from now on the export is the state.
      await exportInto(emulator, projectId, stateDir);
    }
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  const save = (): Promise<void> => {
    if (!stateDir) return Promise.resolve();
    // One export at a time, in order: a save waits for the one running, then exports what is there now.
    const run = () => exportInto(emulator, projectId, stateDir);
    exports = exports.then(run, run);
    return exports;
  };
  const every = opts.exportEveryMs ?? 5_000;
  if (stateDir && every > 0) {
    let busy = false;
    timer = setInterval(() => {
      if (busy) return;
      busy = true;
      save()
        .catch((e) => opts.warn?.(`Firestore export failed: ${(e as Error).message}`))
        .finally(() => (busy = false));
    }, every);
    timer.unref();
  }
  let stopped: Promise<void> | null = null;
  return {
    kind: 'official',
    host: emulator.host,
    projectId,
    shared: false,
    processGroup: emulator.processGroup,
    description: `${OFFICIAL_DESCRIPTION}${stateDir ? `, state exported to ${join(stateDir, EXPORT_DIR)}` : ''}`,
    save,
    stop() {
      stopped ??= (async () => {
        if (timer) clearInterval(timer);
        try {
          await save();
        } finally {
          await emulator.stop();
        }
      })();
      return stopped;
    },
  };
}

/**
 * Exports into a fresh directory, then moves it into place: the current export becomes the
 * previous one, the new one the current one, the previous one is removed. A kill between the
 * two renames leaves only the previous export, which the next start then uses.
 */
async function exportInto(emulator: OfficialFirestoreEmulator, projectId: string, stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const fresh = join(stateDir, `${EXPORT_IN_PROGRESS}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(fresh);
  try {
    await emulator.exportTo(projectId, fresh, EXPORT_NAME);
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  const current = join(stateDir, EXPORT_DIR);
  const previous = join(stateDir, PREVIOUS_EXPORT_DIR);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(current)) await rename(current, previous);
  await rename(fresh, current);
  await rm(previous, { recursive: true, force: true });
}

/** The export a start imports: the current one, else the previous one (a kill mid-swap); half-written ones are removed. */
async function lastCompleteExport(stateDir: string): Promise<string | null> {
  if (!existsSync(stateDir)) return null;
  for (const entry of await readdir(stateDir)) {
    if (entry.startsWith(EXPORT_IN_PROGRESS)) await rm(join(stateDir, entry), { recursive: true, force: true });
  }
  const current = join(stateDir, EXPORT_DIR);
  const previous = join(stateDir, PREVIOUS_EXPORT_DIR);
  if (existsSync(exportMetadataFile(current, EXPORT_NAME))) return exportMetadataFile(current, EXPORT_NAME);
  if (existsSync(exportMetadataFile(previous, EXPORT_NAME))) {
    await rm(current, { recursive: true, force: true });
    await rename(previous, current);
    return exportMetadataFile(current, EXPORT_NAME);
  }
  return null;
}
