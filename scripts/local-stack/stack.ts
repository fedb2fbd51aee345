/**
 * The whole system on one machine, with nothing installed by hand: the Firestore emulator
 * (Google's where Java and the Cloud SDK component are installed, the in-process stand-in
 * otherwise: local-firestore.ts), the Sheets/Drive emulator, maildev, every Cloud Function served by the
 * Functions Framework on its own port (the deployed code, not a copy), the Eventarc bridge
 * for Firestore triggers, Drive push notifications to the webhook, and a scheduler firing
 * the same jobs with the same payloads as Cloud Scheduler, at their cron times on the business
 * clock (scheduler.ts). Everything binds 127.0.0.1 and
 * keeps its state under one directory, so a second start resumes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Config } from '../../functions/config.js';
import { createDependencies } from '../../functions/wiring.js';
import type { RetryPolicy } from '../../functions/adapters/retry.js';
import { createLogger, type Logger } from '../../functions/app/log.js';
import {
  runtimeFromEnvironment,
  runtimeOf,
  schedulerVerifierFor,
  type Runtime,
  type RuntimeSource,
} from '../../functions/handlers/runtime.js';
import { createFunctions } from '../../functions/handlers/functions.js';
import { answerFrameworkErrorsInJson } from '../../functions/handlers/framework-errors.js';
import { SCHEDULED_JOBS, SCHEDULE_TIME_ZONE } from '../../functions/schedule.js';
import { startCronScheduler, type SchedulerClock } from './scheduler.js';
import { startSheetsEmulator, type SheetsEmulator } from '../emulators/sheets/index.js';
import { startLocalFirestore, type FirestoreEmulatorKind } from './local-firestore.js';
import { startFirestoreTriggerBridge } from './firestore-trigger-bridge.js';
import { startMailServer } from './mail-server.js';

export const DEFAULT_STATE_DIR = resolve('.local/state');
export const LOCAL_SERVICE_ACCOUNT = 'functions@demo-local.iam.gserviceaccount.com';

export interface LocalStackOptions {
  stateDir?: string;
  /** Fixed ports for people (npm start); 0 everywhere for tests. */
  ports?: { sheets?: number; smtp?: number; mailWeb?: number; functions?: number };
  /** Emulated Sheets time runs this much faster: quotas are per emulated minute. */
  sheetsClockScale?: number;
  /** Where Google's (the emulator's) clock starts, e.g. on a campaign's last day (default: now). */
  sheetsClockStartAt?: number;
  /**
   * Google's time of day in the emulator follows this clock (the demo's simulated business
   * clock): Drive's modifiedTime and revision times, hence the clerk's save time the pipeline
   * records. Quota minutes and channel lifetimes stay on the scaled clock above.
   */
  sheetsTimeSource?: () => number;
  sheetsQuotas?: boolean;
  pushDelayMs?: number;
  /** The clock the functions read (the demo runs simulated time). */
  now?: () => number;
  /**
   * Local scheduler (scheduler.ts: each job at its cron times on the business clock `now`):
   * false fires jobs only on demand (`fire`, or a scheduler started later with startCronScheduler);
   * `hold` lets the scheduler hold a simulated clock at the next sweep.
   */
  scheduler?: false | { only?: string[]; hold?: SchedulerClock['hold'] };
  log?: Logger;
  retry?: RetryPolicy;
  /** The functions' Google API client timeout (default 15 s); fault-injection tests shorten it. */
  googleTimeoutMs?: number;
  campaignSchema?: string;
  /** Persist state in stateDir (default true). */
  persist?: boolean;
  /** Write stateDir/stack.json so CLI commands can find this running stack (npm start). */
  announce?: boolean;
}

/**
 * The functions' configuration on the local stack (what production reads from its
 * environment). Sheets requests are paced at 50 a minute on the emulator's quota clock, or not
 * at all when its quotas are off.
 */
export function localConfig(params: {
  projectId: string;
  campaignSchema?: string;
  sheetsUrl: string;
  firestoreHost: string;
  webhookUrl: string | null;
  secrets: { webhook: string; scheduler: string };
  smtpPort: number;
  /** null: the emulator enforces no quota. */
  quotaClockScale: number | null;
  timeoutMs?: number;
}): Config {
  const perMinute = params.quotaClockScale === null ? Number.POSITIVE_INFINITY : 50 * params.quotaClockScale;
  return {
    projectId: params.projectId,
    campaignSchema: params.campaignSchema,
    google: {
      mode: 'emulator',
      sheetsRootUrl: params.sheetsUrl,
      driveRootUrl: params.sheetsUrl,
      identity: LOCAL_SERVICE_ACCOUNT,
      timeoutMs: params.timeoutMs ?? 15_000,
    },
    sharedDriveId: null,
    serviceAccount: LOCAL_SERVICE_ACCOUNT,
    firestore: { emulatorHost: params.firestoreHost, databaseId: '(default)' },
    webhook: { url: params.webhookUrl, secret: params.secrets.webhook },
    scheduler: { mode: 'shared-secret', secret: params.secrets.scheduler },
    smtp: {
      host: '127.0.0.1',
      port: params.smtpPort,
      secure: false,
      from: 'He thong bao cao 521 <bao-cao@hanoi.example>',
    },
    sheetsReadsPerMinute: perMinute,
    sheetsWritesPerMinute: perMinute,
    watchTtlMs: 24 * 3_600_000,
    logLevel: 'info',
  };
}

/** What a running stack publishes for CLI commands in other processes. */
export interface StackAnnouncement {
  pid: number;
  sheetsUrl: string;
  firestoreHost: string;
  /** The project the stack's documents live in (CLI clients must use the same). */
  firestoreProjectId: string;
  firestoreKind: FirestoreEmulatorKind;
  functions: Record<string, string>;
  mailInbox: string;
  smtpPort: number;
  /** How much faster the Sheets emulator's quota minutes run than real ones. */
  sheetsClockScale: number;
  sheetsQuotas: boolean;
  startedAt: string;
}

export const announcementFile = (stateDir: string) => join(stateDir, 'stack.json');

/** Whether a process with this id exists (EPERM: it exists, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts connections at the announced Sheets emulator's address. */
function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((res) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return res(false);
    }
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port) || 80 });
    const done = (ok: boolean) => {
      socket.destroy();
      res(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The running stack for this state directory, or null. An announcement is stale when its
 * process is gone, when it names this very process (a container restarts with the same small
 * pids, so a new `npm start` can get the id of the one that left the file), or when its
 * services no longer answer; a stale file is removed so nobody else trips on it.
 */
export async function findRunningStack(stateDir: string): Promise<StackAnnouncement | null> {
  const file = announcementFile(stateDir);
  let announcement: StackAnnouncement;
  try {
    announcement = JSON.parse(await readFile(file, 'utf8')) as StackAnnouncement;
  } catch (e) {
    // Unreadable (half written, or not JSON): not a running stack; an absent one: nothing to do.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') await rm(file, { force: true });
    return null;
  }
  const ours = announcement.pid === process.pid && announcedHere.has(resolve(stateDir));
  const other =
    typeof announcement.pid === 'number' && announcement.pid !== process.pid && processAlive(announcement.pid);
  if ((ours || other) && (await answers(announcement.sheetsUrl))) return announcement;
  await rm(file, { force: true });
  return null;
}

/** State directories this process announced a stack in (its own pid there is not stale). */
const announcedHere = new Set<string>();

/**
 * Removes the announcement at process exit, whatever the way out (a signal handler calling
 * process.exit, an uncaught error): only if it is still this process's own.
 */
function removeAnnouncementAtExit(stateDir: string): () => void {
  const file = announcementFile(stateDir);
  const onExit = () => {
    try {
      const announcement = JSON.parse(readFileSync(file, 'utf8')) as StackAnnouncement;
      if (announcement.pid === process.pid) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

/** Stacks started in this process: each registers its functions under its own names. */
let stacksStarted = 0;

export interface LocalStack {
  runtime: Runtime;
  /** The runtime this stack's functions answer with from now on (null: built from the environment, as deployed). */
  useRuntime(rt: Runtime | null): void;
  sheets: SheetsEmulator;
  urls: { sheets: string; mailInbox: string; functions: Record<string, string>; firestore: string; exports: string };
  /** Which Firestore emulator runs, in one line for people, and the project the stack uses there. */
  firestore: { kind: FirestoreEmulatorKind; description: string; projectId: string; fallbackReason?: string };
  smtpPort: number;
  sheetsClockScale: number;
  stateDir: string;
  secrets: { webhook: string; scheduler: string };
  listEmails: Awaited<ReturnType<typeof startMailServer>>['listEmails'];
  mailDateHeader: Awaited<ReturnType<typeof startMailServer>>['dateHeader'];
  /** Fires one scheduled job now, exactly as the scheduler would. */
  fire(jobName: string, extraBody?: Record<string, unknown>): Promise<unknown>;
  /** Resolves when every Firestore trigger event queued so far has been delivered. */
  triggersIdle(): Promise<void>;
  stop(): Promise<void>;
}

async function loadSecrets(stateDir: string, persist: boolean): Promise<{ webhook: string; scheduler: string }> {
  const file = join(stateDir, 'secrets.json');
  if (persist) {
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch {
      /* first start */
    }
  }
  const secrets = { webhook: randomBytes(24).toString('hex'), scheduler: randomBytes(24).toString('hex') };
  if (persist) await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Lets in-flight requests finish for a moment, then cuts the connections: every step they were in is idempotent. */
function closeServer(server: Server, graceMs = 2_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res((server.address() as { port: number }).port));
  });
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const persist = opts.persist ?? true;
  const stateDir = opts.stateDir ?? DEFAULT_STATE_DIR;
  await mkdir(stateDir, { recursive: true });
  const log = opts.log ?? createLogger({ component: 'local' });
  const stops: (() => Promise<void>)[] = [];
  let drain: () => Promise<void> = async () => {};
  /** Removes the announcement file (set once it is written). */
  let announced: (() => Promise<void>) | null = null;
  const stop = async () => {
    await announced?.().catch((e) => log.warn('stack.json could not be removed', { error: e as Error }));
    // Let trigger deliveries already queued finish (briefly), so handlers do not run into
    // emulators that are shutting down.
    await Promise.race([drain().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000))]);
    for (const stop of stops.reverse())
      await stop().catch((e) => log.warn('stopping a local service failed', { error: e as Error }));
  };
  try {
    const firestore = await startLocalFirestore({
      projectId: 'demo-local',
      ...(persist ? { stateDir } : {}),
      warn: (m) => log.warn(m),
    });
    stops.push(() => firestore.stop());
    const sheets = await startSheetsEmulator({
      port: opts.ports?.sheets ?? 0,
      ...(persist ? { stateDir: join(stateDir, 'sheets') } : {}),
      clockScale: opts.sheetsClockScale ?? 1,
      ...(opts.sheetsClockStartAt !== undefined ? { clockStartAt: opts.sheetsClockStartAt } : {}),
      ...(opts.sheetsTimeSource ? { timeSource: opts.sheetsTimeSource } : {}),
      quotas: { enabled: opts.sheetsQuotas ?? true },
      pushDelayMs: opts.pushDelayMs ?? 500,
    });
    stops.push(() => sheets.stop());
    // The mailbox is local state like the sheets: kept in the state directory, it survives a restart.
    const mail = await startMailServer({
      smtpPort: opts.ports?.smtp ?? 0,
      webPort: opts.ports?.mailWeb ?? 0,
      ...(persist ? { mailDirectory: join(stateDir, 'mail') } : {}),
    });
    stops.push(() => mail.stop());
    const secrets = await loadSecrets(stateDir, persist);

    const functionNames = [
      'driveWebhook',
      'sheetAction',
      'complianceSweep',
      'maintenance',
      'onSubmissionWritten',
      'onPollRequested',
    ] as const;
    // Each function's server is bound before its URL goes into the config (the webhook address is
    // one): a port probed free and bound later can be taken in between by another process.
    // The Functions Framework's app is attached to the bound server once the functions are registered.
    const ports: Record<string, number> = {};
    const functionServers: Record<string, Server> = {};
    let nextPort = opts.ports?.functions ?? 0;
    for (const name of functionNames) {
      const server = createServer();
      ports[name] = await listen(server, nextPort ? nextPort++ : 0);
      functionServers[name] = server;
      stops.push(() => closeServer(server));
    }
    const functionUrl = (name: string) => `http://127.0.0.1:${ports[name]}/`;

    const config = localConfig({
      projectId: firestore.projectId,
      ...(opts.campaignSchema ? { campaignSchema: opts.campaignSchema } : {}),
      sheetsUrl: sheets.url,
      firestoreHost: firestore.host,
      webhookUrl: functionUrl('driveWebhook'),
      secrets,
      smtpPort: mail.smtpPort,
      quotaClockScale: (opts.sheetsQuotas ?? true) ? (opts.sheetsClockScale ?? 1) : null,
      ...(opts.googleTimeoutMs ? { timeoutMs: opts.googleTimeoutMs } : {}),
    });
    const deps = await createDependencies(config, {
      log,
      googleNow: () => sheets.clock.now(),
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
    });
    stops.push(() => deps.close());
    const runtime: Runtime = { ...deps, schedulerAuth: schedulerVerifierFor(deps) };
    // This stack's functions answer with this stack's runtime (another stack in the same process
    // has its own); a test may swap it (useRuntime), null meaning "from the environment".
    let runtimeSource: RuntimeSource = runtimeOf(runtime);
    const functions = createFunctions(() => runtimeSource());

    // Registers the functions with the Functions Framework, as the deployed entry point does,
    // under names of this stack (the framework's registry is per process).
    answerFrameworkErrorsInJson();
    const { cloudEvent, http } = await import('@google-cloud/functions-framework');
    const { getTestServer } = await import('@google-cloud/functions-framework/testing');
    const stackId = ++stacksStarted;
    for (const name of functionNames) {
      const registered = `${name}-stack${stackId}`;
      const definition = functions[name as keyof typeof functions];
      if (definition.signature === 'http') http(registered, definition.handler);
      else cloudEvent(registered, definition.handler);
      // getTestServer builds an http.Server around the function's express app; its request
      // listener is that app, which the pre-bound server now serves.
      const app = getTestServer(registered).listeners('request')[0] as RequestListener;
      functionServers[name]!.on('request', app);
    }

    // Eventarc, locally: each Firestore-triggered function gets the writes of its collection.
    const trigger = async (collection: string, target: string) => {
      const bridge = await startFirestoreTriggerBridge({
        firestore: deps.db,
        collection,
        targetUrl: functionUrl(target),
        projectId: firestore.projectId,
        onError: (e) =>
          log.warn(`${target} trigger delivery gave up`, {
            failure: JSON.parse(JSON.stringify(e, (_k, v) => (v instanceof Error ? v.message : v))),
          }),
      });
      stops.push(() => bridge.stop());
      return bridge;
    };
    const bridge = await trigger(deps.store.submissionsPath, 'onSubmissionWritten');
    const pollBridge = await trigger(deps.store.pollRequestsPath, 'onPollRequested');
    drain = async () => {
      await pollBridge.idle();
      await bridge.idle();
    };

    const fire = async (jobName: string, extraBody: Record<string, unknown> = {}) => {
      const job = SCHEDULED_JOBS.find((j) => j.name === jobName);
      if (!job) throw new Error(`unknown job ${jobName}`);
      const res = await fetch(functionUrl(job.target), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.scheduler}` },
        body: JSON.stringify({ ...job.body, ...extraBody }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${jobName}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };

    if (opts.scheduler !== false) {
      const only = opts.scheduler?.only;
      const hold = opts.scheduler?.hold;
      const scheduler = startCronScheduler({
        jobs: SCHEDULED_JOBS.filter((j) => !only || only.includes(j.name)),
        timeZone: SCHEDULE_TIME_ZONE,
        clock: { now: opts.now ?? Date.now, ...(hold ? { hold } : {}) },
        fire: (job) => fire(job.name),
        log,
      });
      stops.push(() => scheduler.stop());
    }

    if (opts.announce) {
      const announcement: StackAnnouncement = {
        pid: process.pid,
        sheetsUrl: sheets.url,
        firestoreHost: firestore.host,
        firestoreProjectId: firestore.projectId,
        firestoreKind: firestore.kind,
        functions: Object.fromEntries(functionNames.map((n) => [n, functionUrl(n)])),
        mailInbox: mail.webUrl,
        smtpPort: mail.smtpPort,
        sheetsClockScale: opts.sheetsClockScale ?? 1,
        sheetsQuotas: opts.sheetsQuotas ?? true,
        startedAt: new Date().toISOString(),
      };
      // Written whole, then renamed: a reader never sees half a file.
      const file = announcementFile(stateDir);
      await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(announcement, null, 2));
      await rename(`${file}.${process.pid}.tmp`, file);
      const forgetExit = removeAnnouncementAtExit(stateDir);
      announcedHere.add(resolve(stateDir));
      // First thing on stop (before services wind down): no CLI should find a stack that is going.
      announced = async () => {
        forgetExit();
        announcedHere.delete(resolve(stateDir));
        await rm(file, { force: true });
      };
    }
    return {
      runtime,
      useRuntime: (runtime: Runtime | null) => {
        runtimeSource = runtime ? runtimeOf(runtime) : runtimeFromEnvironment();
      },
      sheets,
      urls: {
        sheets: sheets.url,
        mailInbox: mail.webUrl,
        functions: Object.fromEntries(functionNames.map((n) => [n, functionUrl(n)])),
        firestore: firestore.host,
        exports: `${sheets.url}emulator/spreadsheets`,
      },
      firestore: {
        kind: firestore.kind,
        description: firestore.description,
        projectId: firestore.projectId,
        ...(firestore.fallbackReason ? { fallbackReason: firestore.fallbackReason } : {}),
      },
      smtpPort: mail.smtpPort,
      sheetsClockScale: opts.sheetsClockScale ?? 1,
      stateDir,
      secrets,
      listEmails: mail.listEmails,
      mailDateHeader: mail.dateHeader,
      fire,
      triggersIdle: async () => {
        await pollBridge.idle();
        await bridge.idle();
        await pollBridge.idle();
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
