/**
 * Emulator state, its persistence and the Drive bookkeeping every mutation shares.
 *
 * Persistence keeps one JSON file per spreadsheet plus a small Drive index (files, change
 * log, channels), each written atomically (temp file, then rename). Only spreadsheets that
 * changed are rewritten, debounced so a burst of API calls costs one write, and everything is
 * flushed on stop. (One file for everything meant serialising a whole provisioned campaign,
 * tens of megabytes, after every edit.)
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorClock } from './clock.js';
import { mulberry32 } from './faults.js';
import type { ChangeRecord, DriveBehaviour, DriveFileState, EmulatorState, SpreadsheetState } from './types.js';

/** Google-like by default: a write may move `version` by more than one; metadata is current (tests turn the lag on). */
export const DEFAULT_DRIVE_BEHAVIOUR: DriveBehaviour = { versionStep: { min: 1, max: 3 }, metadataLagMs: 0, seed: 1 };

/** The single-file format of earlier versions, still read. */
const LEGACY_STATE_FILE = 'state.json';
const DRIVE_FILE = 'drive.json';
const SPREADSHEETS_DIR = 'spreadsheets';
const SAVE_DEBOUNCE_MS = 200;

type DriveIndex = Omit<EmulatorState, 'spreadsheets'>;

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function writeAtomically(target: string, text: string): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, target);
}

export function emptyState(clockMs: number): EmulatorState {
  return { formatVersion: 1, clockMs, spreadsheets: {}, files: {}, changes: [], nextChangeId: 1, channels: {} };
}

export async function loadState(stateDir: string): Promise<EmulatorState | null> {
  const index = await readJson<DriveIndex>(join(stateDir, DRIVE_FILE));
  if (!index) {
    const legacy = await readJson<EmulatorState>(join(stateDir, LEGACY_STATE_FILE));
    if (legacy && legacy.formatVersion !== 1)
      throw new Error(`Unsupported emulator state format ${String(legacy.formatVersion)} in ${stateDir}`);
    return legacy;
  }
  if (index.formatVersion !== 1)
    throw new Error(`Unsupported emulator state format ${String(index.formatVersion)} in ${stateDir}`);
  const spreadsheets: Record<string, SpreadsheetState> = {};
  let names: string[] = [];
  try {
    names = await readdir(join(stateDir, SPREADSHEETS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const sheet = await readJson<SpreadsheetState>(join(stateDir, SPREADSHEETS_DIR, name));
    if (sheet) spreadsheets[sheet.spreadsheetId] = sheet;
  }
  return { ...index, spreadsheets };
}

/** Google file ids: 44 URL-safe characters, starting with "1" for files created in My Drive. */
export function newFileId(): string {
  return `1${randomBytes(33).toString('base64url').slice(0, 43)}`;
}

export function newSheetId(taken: Set<number>): number {
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    if (!taken.has(id)) return id;
  }
}

export type ChangeListener = (change: ChangeRecord) => void;

export class EmulatorStore {
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** Spreadsheets written or deleted since the last save; on the first save, all of them. */
  private readonly dirty = new Set<string>();
  private firstSave = true;
  private readonly changeListeners: ChangeListener[] = [];
  private behaviour: DriveBehaviour = DEFAULT_DRIVE_BEHAVIOUR;
  private random: () => number = mulberry32(DEFAULT_DRIVE_BEHAVIOUR.seed);

  constructor(
    public state: EmulatorState,
    private readonly clock: EmulatorClock,
    private readonly stateDir?: string,
  ) {}

  spreadsheet(id: string): SpreadsheetState | undefined {
    return this.state.spreadsheets[id];
  }

  file(id: string): DriveFileState | undefined {
    return this.state.files[id];
  }

  onChange(listener: ChangeListener): void {
    this.changeListeners.push(listener);
  }

  /** Changes how versions move and whether metadata lags (unset fields keep their current value). */
  setDriveBehaviour(settings: Partial<DriveBehaviour>): void {
    const next = { ...this.behaviour, ...settings };
    const { min, max } = next.versionStep;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min)
      throw new Error('versionStep must be integers with 1 <= min <= max');
    if (!(next.metadataLagMs >= 0)) throw new Error('metadataLagMs must be >= 0');
    this.behaviour = next;
    if (settings.seed !== undefined) this.random = mulberry32(settings.seed);
  }

  get driveBehaviour(): DriveBehaviour {
    return this.behaviour;
  }

  /** How far `version` moves for one change: Drive promises only that it increases. */
  private versionStep(): number {
    const { min, max } = this.behaviour.versionStep;
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /**
   * Before a change, remember what readers keep seeing while metadata lags. During a lag,
   * further writes keep the older snapshot (readers catch up when it ends, not before).
   */
  private beginLag(file: DriveFileState): void {
    const lag = this.behaviour.metadataLagMs;
    const now = this.clock.now();
    if (lag <= 0) {
      delete file.lagging;
      return;
    }
    if (file.lagging && file.lagging.until > now) return;
    file.lagging = {
      version: file.version,
      modifiedTime: file.modifiedTime,
      lastModifyingUserEmail: file.lastModifyingUserEmail,
      revisionCount: file.revisions?.length ?? 0,
      until: now + lag,
    };
  }

  /**
   * A file was edited (by any writer, the service account included): `version` moves by a step
   * (it counts every server-side change, visible or not), modifiedTime and lastModifyingUser
   * become this write's, a revision is added, and the change log gets an entry.
   * One revision per write: Google may merge a burst of one user's edits into one revision,
   * which readers of the latest revision cannot tell apart from one write.
   */
  touchFile(fileId: string, user: string): void {
    const file = this.state.files[fileId];
    if (!file) return;
    this.beginLag(file);
    file.version += this.versionStep();
    file.modifiedTime = Math.max(this.clock.now(), file.modifiedTime);
    file.lastModifyingUserEmail = user;
    const revisions = (file.revisions ??= []);
    const lastId = Number(revisions[revisions.length - 1]?.id ?? 0);
    revisions.push({ id: String(lastId + 1), modifiedTime: file.modifiedTime, lastModifyingUserEmail: user });
    this.recordChange(fileId, false);
  }

  /**
   * A change that is not an edit (sharing): the version still grows, but modifiedTime,
   * lastModifyingUser and revisions describe edits and stay as they were.
   */
  bumpVersion(fileId: string, formerViewers?: string[]): void {
    const file = this.state.files[fileId];
    if (!file) return;
    this.beginLag(file);
    file.version += this.versionStep();
    this.recordChange(fileId, false, formerViewers);
  }

  recordChange(fileId: string, removed: boolean, formerViewers?: string[]): ChangeRecord {
    const change: ChangeRecord = { changeId: this.state.nextChangeId, fileId, time: this.clock.now(), removed };
    if (formerViewers && formerViewers.length > 0) change.formerViewers = formerViewers;
    this.state.nextChangeId += 1;
    this.state.changes.push(change);
    this.dirty.add(fileId);
    this.markDirty();
    for (const listener of this.changeListeners) listener(change);
    return change;
  }

  markDirty(): void {
    if (!this.stateDir || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save().catch((error: unknown) => console.error('[sheets-emulator] could not save state', error));
    }, SAVE_DEBOUNCE_MS);
  }

  /** Writes now (cancelling a pending debounced write) and waits for it. */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    await this.save();
  }

  private save(): Promise<void> {
    const stateDir = this.stateDir;
    if (!stateDir) return Promise.resolve();
    // Serialise now so the files reflect the state at this instant, then queue the writes
    // behind any still in flight.
    this.state.clockMs = this.clock.now();
    const { spreadsheets, ...index } = this.state;
    const indexText = JSON.stringify(index);
    const ids = this.firstSave ? new Set([...Object.keys(spreadsheets), ...this.dirty]) : new Set(this.dirty);
    this.dirty.clear();
    this.firstSave = false;
    const sheetTexts = [...ids].map((id) => [id, spreadsheets[id] ? JSON.stringify(spreadsheets[id]) : null] as const);
    // A failed earlier write must not block later ones.
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        await mkdir(join(stateDir, SPREADSHEETS_DIR), { recursive: true });
        for (const [id, text] of sheetTexts) {
          const target = join(stateDir, SPREADSHEETS_DIR, `${id}.json`);
          if (text === null) await rm(target, { force: true });
          else await writeAtomically(target, text);
        }
        await writeAtomically(join(stateDir, DRIVE_FILE), indexText);
        await rm(join(stateDir, LEGACY_STATE_FILE), { force: true });
      });
    return this.saving;
  }
}
