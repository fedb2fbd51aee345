/**
 * Google's own Cloud Firestore emulator (the Cloud SDK component `cloud-firestore-emulator`),
 * started offline on the machine's Java. Unlike the in-process stand-in it isolates
 * transactions, enforces update preconditions and answers collection-group queries,
 * `bulkWriter`, `listDocuments` and `recursiveDelete`, so the code is tested against the
 * semantics it meets in production.
 *
 * The component's launcher script is skipped: the JVM is started directly (as the script
 * would) in its own process group, so that stopping it ends every process it started. Stopping
 * `gcloud emulators firestore start` instead leaves the Java process running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { freePort } from './free-port.js';

export interface OfficialFirestoreEmulatorInstall {
  /** The component's jar. */
  jar: string;
  /** The `java` the emulator runs on. */
  java: string;
}

/** Where to look for the Cloud SDK, besides the `gcloud` found on PATH. */
const SDK_ROOT_CANDIDATES = ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'];
const JAR_IN_SDK = join('platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * The installed emulator, or why there is none (for the message the caller prints). Looks at
 * CLOUDSDK_ROOT_DIR, the SDK holding the `gcloud` on PATH, then the usual install places.
 */
export function findOfficialFirestoreEmulator(): OfficialFirestoreEmulatorInstall | { missing: string } {
  const java = process.env.JAVA ?? onPath('java');
  if (!java) return { missing: 'no Java runtime on PATH (the emulator needs Java 17 or later)' };
  const gcloud = onPath('gcloud');
  const roots = [process.env.CLOUDSDK_ROOT_DIR, gcloud ? dirname(dirname(realpathSync(gcloud))) : undefined, ...SDK_ROOT_CANDIDATES];
  for (const root of roots) {
    if (root && existsSync(join(root, JAR_IN_SDK))) return { jar: join(root, JAR_IN_SDK), java };
  }
  return { missing: 'the Cloud SDK component cloud-firestore-emulator is not installed (gcloud components install cloud-firestore-emulator, or the google-cloud-cli-firestore-emulator package)' };
}

export interface StartOfficialFirestoreEmulatorOptions {
  /** Loopback only; defaults to 127.0.0.1. */
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Rules file to enforce on client (not admin) requests. */
  rules?: string;
  /** An export's `.overall_export_metadata` file to start from. */
  importData?: string;
  /** Directory the emulator exports to when it is stopped gracefully. */
  exportOnExit?: string;
  /** How long to wait for the emulator to answer (default 60 s: a busy 2-core machine starts the JVM slowly). */
  startTimeoutMs?: number;
}

export interface OfficialFirestoreEmulator {
  kind: 'official';
  /** `HOST:PORT` for FIRESTORE_EMULATOR_HOST or the client's `host`. */
  host: string;
  port: number;
  /** Ends the emulator's whole process group (gracefully first, so --export-on-exit runs). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A test run or a stack that dies must not leave JVMs behind. */
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function answers(host: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startOfficialFirestoreEmulator(opts: StartOfficialFirestoreEmulatorOptions = {}): Promise<OfficialFirestoreEmulator> {
  const install = findOfficialFirestoreEmulator();
  if ('missing' in install) throw new Error(`Google's Firestore emulator is not available: ${install.missing}`);
  const bindHost = opts.host ?? '127.0.0.1';
  const port = opts.port || (await freePort(bindHost));
  const args = ['-Duser.language=en', '-cp', install.jar, 'com.google.cloud.datastore.emulator.firestore.CloudFirestore', 'start', `--host=${bindHost}`, `--port=${port}`];
  if (opts.rules) args.push(`--rules=${opts.rules}`);
  if (opts.importData) args.push(`--import-data=${opts.importData}`);
  if (opts.exportOnExit) args.push(`--export-on-exit=${opts.exportOnExit}`);

  const child = spawn(install.java, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  killAllOnExit();
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));

  const host = `${bindHost}:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!(await answers(host))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Google's Firestore emulator exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`Google's Firestore emulator did not answer on ${host} within ${opts.startTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let stopping: Promise<void> | null = null;
  return {
    kind: 'official',
    host,
    port,
    stop() {
      stopping ??= (async () => {
        killGroup(child, 'SIGTERM');
        const killer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      })();
      return stopping;
    },
  };
}
