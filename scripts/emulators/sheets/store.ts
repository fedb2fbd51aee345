/**
 * Emulator state, its persistence and the Drive bookkeeping every mutation shares.
 *
 * Persistence writes the whole state as one JSON file, atomically (write a temp file, then
 * rename), debounced so a burst of API calls costs one write, and flushed on stop.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorClock } from './clock.js';
import type { ChangeRecord, DriveFileState, EmulatorState, SpreadsheetState } from './types.js';

const STATE_FILE = 'state.json';
const SAVE_DEBOUNCE_MS = 200;

export function emptyState(clockMs: number): EmulatorState {
  return { formatVersion: 1, clockMs, spreadsheets: {}, files: {}, changes: [], nextChangeId: 1, channels: {} };
}

export async function loadState(stateDir: string): Promise<EmulatorState | null> {
  let text: string;
  try {
    text = await readFile(join(stateDir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as EmulatorState;
  if (parsed.formatVersion !== 1) throw new Error(`Unsupported emulator state format ${String(parsed.formatVersion)} in ${stateDir}`);
  return parsed;
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
  private readonly changeListeners: ChangeListener[] = [];

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

  /**
   * A file changed: Drive bumps `version` by one (it counts every server-side change, visible
   * or not), sets modifiedTime and lastModifyingUser, and appends an entry to the change log.
   */
  touchFile(fileId: string, user: string): void {
    const file = this.state.files[fileId];
    if (!file) return;
    file.version += 1;
    file.modifiedTime = Math.max(this.clock.now(), file.modifiedTime);
    file.lastModifyingUserEmail = user;
    this.recordChange(fileId, false);
  }

  /**
   * A change that is not an edit (sharing): the version still grows, but modifiedTime and
   * lastModifyingUser describe edits and stay as they were.
   */
  bumpVersion(fileId: string, formerViewers?: string[]): void {
    const file = this.state.files[fileId];
    if (!file) return;
    file.version += 1;
    this.recordChange(fileId, false, formerViewers);
  }

  recordChange(fileId: string, removed: boolean, formerViewers?: string[]): ChangeRecord {
    const change: ChangeRecord = { changeId: this.state.nextChangeId, fileId, time: this.clock.now(), removed };
    if (formerViewers && formerViewers.length > 0) change.formerViewers = formerViewers;
    this.state.nextChangeId += 1;
    this.state.changes.push(change);
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
    // Serialise now so the file reflects the state at this instant, then queue the write
    // behind any write still in flight.
    this.state.clockMs = this.clock.now();
    const text = JSON.stringify(this.state);
    // A failed earlier write must not block later ones.
    this.saving = this.saving.catch(() => undefined).then(async () => {
      await mkdir(stateDir, { recursive: true });
      const target = join(stateDir, STATE_FILE);
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, text, 'utf8');
      await rename(temp, target);
    });
    return this.saving;
  }
}
