/**
 * Assembles the emulator: state (loaded from stateDir), clock, quotas, faults, push channels and
 * the HTTP server, and exposes the handles tests use to drive and inspect it.
 */
import type { ServerResponse } from 'node:http';
import type { WorkbookModel } from '../../../functions/layout/model.js';
import { ChannelService } from './channels.js';
import { FollowingClock, ScaledClock } from './clock.js';
import { renderXlsxBuffer, toWorkbookModel, writeXlsx } from './export.js';
import { FaultInjector } from './faults.js';
import type { FaultSettings } from './faults.js';
import { DEFAULT_QUOTAS, QuotaTracker } from './quotas.js';
import type { QuotaSettings } from './quotas.js';
import { spreadsheetUrl } from './render.js';
import { EmulatorHttpServer, sendJson } from './server.js';
import { EmulatorStore, emptyState, loadState } from './store.js';
import type { DriveBehaviour, DriveFileState, LogEntry, PushRecord, SpreadsheetState } from './types.js';

export interface SheetsEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Load state from here at start; save it (atomically, debounced ~200 ms) after mutations and on stop. */
  stateDir?: string;
  /**
   * Default: enabled; Sheets 60 reads and 60 writes per minute per user, 300 and 300 per project;
   * Drive 12,000 requests per minute per user and per project.
   */
  quotas?: Partial<QuotaSettings>;
  /** Emulated time runs this many times faster than real time. Default 1. */
  clockScale?: number;
  /** Real ms before a Drive push is sent; changes within the delay coalesce. Default 1000. */
  pushDelayMs?: number;
  /** Appears in quota messages and channel errors. Default '123456789012'. */
  projectNumber?: string;
  /** Emulated time at start (default: now, or the saved clock if later). Lets a test live on a campaign's dates. */
  clockStartAt?: number;
  /**
   * Where Google's time of day comes from, when not from the emulator's own scaled clock:
   * the local demo hands its simulated business clock, so the times stamped on files,
   * revisions and changes are simulated ones (a clerk's save time is theirs). The scaled clock
   * (clockScale, clockStartAt; `clock` below) still measures durations: quota minutes, push
   * channel lifetimes (compared with the functions' googleNow), and it is what `clock` returns.
   */
  timeSource?: () => number;
  /** How Drive versions move and whether metadata lags (see DriveBehaviour; default steps of 1–3, no lag). */
  drive?: Partial<DriveBehaviour>;
}

export type RequestFilter = Partial<Omit<LogEntry, 'seq' | 'at'>> | ((entry: LogEntry) => boolean);

export interface SpreadsheetSummary {
  id: string;
  title: string;
  url: string;
  version: string;
  owner: string;
  modifiedTime: string;
}

export interface SheetsEmulator {
  /** Root URL with a trailing slash, for `sheets({ rootUrl })` and `drive({ rootUrl })`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  readonly clock: { now(): number; advance(ms: number): void; setScale(scale: number): void };
  readonly quotas: {
    set(settings: Partial<QuotaSettings>): void;
    /** Forgets consumed quota and restores the limits the emulator started with. */
    reset(): void;
    current(): QuotaSettings;
  };
  readonly faults: { set(settings: FaultSettings): void; clear(): void };
  /** Drive's version steps and metadata lag, changeable while running. */
  readonly drive: { set(settings: Partial<DriveBehaviour>): void; current(): DriveBehaviour };
  /** Every API request, oldest first (capped at the last 10 000). */
  readonly log: LogEntry[];
  /** Every push notification attempt. */
  readonly pushes: PushRecord[];
  clearLog(): void;
  countRequests(filter?: RequestFilter): number;
  listSpreadsheets(): SpreadsheetSummary[];
  /** The stored state itself (do not mutate), for assertions. */
  getSpreadsheetState(spreadsheetId: string): SpreadsheetState | undefined;
  getDriveFileState(fileId: string): DriveFileState | undefined;
  toWorkbookModel(spreadsheetId: string): WorkbookModel;
  exportXlsx(spreadsheetId: string, filePath: string): Promise<void>;
  /** Writes the state file now (normally debounced). */
  flush(): Promise<void>;
}

function matches(entry: LogEntry, filter: RequestFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(entry);
  return Object.entries(filter).every(([key, value]) => value === undefined || entry[key as keyof LogEntry] === value);
}

export async function startSheetsEmulator(options: SheetsEmulatorOptions = {}): Promise<SheetsEmulator> {
  const host = options.host ?? '127.0.0.1';
  const projectNumber = options.projectNumber ?? '123456789012';
  const loaded = options.stateDir ? await loadState(options.stateDir) : null;
  // Never let emulated time run backwards across a restart (clockScale > 1 runs ahead of real time).
  const clock = new ScaledClock(
    options.clockScale ?? 1,
    Math.max(options.clockStartAt ?? Date.now(), loaded?.clockMs ?? 0),
  );
  const source = options.timeSource;
  const stampClock = source ? new FollowingClock(source, (scale) => clock.setScale(scale)) : clock;
  const store = new EmulatorStore(loaded ?? emptyState(stampClock.now()), stampClock, options.stateDir);
  if (options.drive) store.setDriveBehaviour(options.drive);
  const initialQuotas = { ...options.quotas };
  const quotas = new QuotaTracker(clock, projectNumber, initialQuotas);
  const faults = new FaultInjector();
  const log: LogEntry[] = [];
  const pushes: PushRecord[] = [];
  let pushSeq = 0;
  const channels = new ChannelService(store, clock, {
    pushDelayMs: options.pushDelayMs ?? 1000,
    record: (push) => {
      pushSeq += 1;
      pushes.push({ seq: pushSeq, ...push });
      if (push.error)
        console.warn(`[sheets-emulator] push to ${push.address} (${push.channelId}) failed: ${push.error}`);
    },
  });

  const requireSpreadsheet = (id: string): SpreadsheetState => {
    const spreadsheet = store.spreadsheet(id);
    if (!spreadsheet) throw new Error(`No spreadsheet ${id} in the emulator`);
    return spreadsheet;
  };

  let rootUrl = '';
  const listSpreadsheets = (): SpreadsheetSummary[] =>
    Object.values(store.state.spreadsheets).map((spreadsheet) => {
      const file = store.file(spreadsheet.spreadsheetId);
      return {
        id: spreadsheet.spreadsheetId,
        title: spreadsheet.properties.title,
        url: spreadsheetUrl(spreadsheet.spreadsheetId),
        version: String(file?.version ?? 0),
        owner: file?.ownerEmail ?? '',
        modifiedTime: new Date(file?.modifiedTime ?? 0).toISOString(),
      };
    });

  const debug = {
    async handle(method: string, path: string, res: ServerResponse): Promise<boolean> {
      if (method !== 'GET') return false;
      if (path === '/emulator/spreadsheets') {
        sendJson(
          res,
          200,
          listSpreadsheets().map((summary) => ({
            ...summary,
            xlsx: `${rootUrl}emulator/spreadsheets/${summary.id}.xlsx`,
          })),
        );
        return true;
      }
      if (path === '/emulator/log') {
        sendJson(res, 200, log);
        return true;
      }
      if (path === '/emulator/pushes') {
        sendJson(res, 200, pushes);
        return true;
      }
      const match = /^\/emulator\/spreadsheets\/([^/]+)\.(xlsx|json)$/.exec(path);
      if (!match) return false;
      const spreadsheet = store.spreadsheet(decodeURIComponent(match[1] as string));
      if (!spreadsheet) {
        sendJson(res, 404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
        return true;
      }
      if (match[2] === 'json') {
        sendJson(res, 200, spreadsheet);
        return true;
      }
      const buffer = await renderXlsxBuffer(toWorkbookModel(spreadsheet));
      const filename = encodeURIComponent(`${spreadsheet.properties.title}.xlsx`);
      res.writeHead(200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Length': buffer.length,
        'Content-Disposition': `attachment; filename*=UTF-8''${filename}`,
      });
      res.end(buffer);
      return true;
    },
  };

  const server = new EmulatorHttpServer({
    store,
    clock: stampClock,
    quotas,
    faults,
    channels,
    projectNumber,
    log,
    debug,
  });
  const port = await server.listen(options.port ?? 0, host);
  rootUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  server.rootUrl = rootUrl;

  let stopped: Promise<void> | undefined;
  return {
    url: rootUrl,
    port,
    stop() {
      stopped ??= (async () => {
        await server.close();
        await channels.close();
        await store.flush();
      })();
      return stopped;
    },
    clock: {
      now: () => clock.now(),
      advance: (ms) => clock.advance(ms),
      setScale: (scale) => clock.setScale(scale),
    },
    quotas: {
      set: (settings) => quotas.set(settings),
      reset: () => {
        quotas.reset();
        quotas.set({ ...DEFAULT_QUOTAS, ...initialQuotas });
      },
      current: () => quotas.current,
    },
    faults: { set: (settings) => faults.set(settings), clear: () => faults.clear() },
    drive: { set: (settings) => store.setDriveBehaviour(settings), current: () => store.driveBehaviour },
    log,
    pushes,
    clearLog: () => {
      log.length = 0;
    },
    countRequests: (filter) => log.filter((entry) => matches(entry, filter)).length,
    listSpreadsheets,
    getSpreadsheetState: (id) => store.spreadsheet(id),
    getDriveFileState: (id) => store.file(id),
    toWorkbookModel: (id) => toWorkbookModel(requireSpreadsheet(id)),
    exportXlsx: (id, filePath) => writeXlsx(toWorkbookModel(requireSpreadsheet(id)), filePath),
    flush: () => store.flush(),
  };
}
