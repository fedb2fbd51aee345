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
 *
 * A small `sh` watchdog in that group holds the read end of a pipe from this process: when
 * this process dies, even by SIGKILL (no exit hook runs then), the pipe closes and the watchdog
 * ends the JVM, so a killed stack or test run leaves no emulator behind.
 *
 * The emulator's own `--export-on-exit` flag writes nothing (1.19.9, on SIGTERM, SIGINT or its
 * /shutdown endpoint; firebase-tools implements that option itself through the export
 * endpoint), so state is saved with `exportTo()` instead.
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
  const roots = [
    process.env.CLOUDSDK_ROOT_DIR,
    gcloud ? dirname(dirname(realpathSync(gcloud))) : undefined,
    ...SDK_ROOT_CANDIDATES,
  ];
  for (const root of roots) {
    if (root && existsSync(join(root, JAR_IN_SDK))) return { jar: join(root, JAR_IN_SDK), java };
  }
  return {
    missing:
      'the Cloud SDK component cloud-firestore-emulator is not installed (gcloud components install cloud-firestore-emulator, or the google-cloud-cli-firestore-emulator package)',
  };
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
  /** How a port is chosen when none is given (default: one the OS reports free); tests inject a taken one. */
  choosePort?: (host: string) => Promise<number>;
  /** How long to wait for the emulator to answer (default 60 s: a busy 2-core machine starts the JVM slowly). */
  startTimeoutMs?: number;
}

export interface OfficialFirestoreEmulator {
  kind: 'official';
  /** `HOST:PORT` for FIRESTORE_EMULATOR_HOST or the client's `host`. */
  host: string;
  port: number;
  /** The process group holding the JVM (for tests that check nothing is left behind). */
  processGroup: number;
  /**
   * Writes the project's documents as a Firestore export named `name` under `directory`
   * (which must exist): `directory/name/name.overall_export_metadata` is what `importData`
   * takes. An export holds one project; an emulator started on it shows those documents
   * under whatever project id a client uses.
   */
  exportTo(projectId: string, directory: string, name: string): Promise<string>;
  /** Ends the emulator's whole process group and waits until every process of it is gone. */
  stop(): Promise<void>;
}

/** The export file `importData` takes for an export named `name` in `directory`. */
export function exportMetadataFile(directory: string, name: string): string {
  return join(directory, name, `${name}.overall_export_metadata`);
}

/** True while any process of the group is alive. */
export function processGroupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
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
  // The group, not the shell: the JVM may outlive a shell that was signalled alone.
  if (child.pid === undefined) return;
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

/** The JVM could not bind its port: another process took it between freePort() and the bind. */
class PortTakenError extends Error {}

/**
 * The JVM is given a port found free a moment earlier (it cannot bind port 0 and report it), so
 * another process may take it first: then a new free port is tried, a few times.
 */
export async function startOfficialFirestoreEmulator(
  opts: StartOfficialFirestoreEmulatorOptions = {},
): Promise<OfficialFirestoreEmulator> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (error) {
      if (!(error instanceof PortTakenError) || opts.port || attempt >= 4) throw error;
    }
  }
}

async function startOnce(opts: StartOfficialFirestoreEmulatorOptions): Promise<OfficialFirestoreEmulator> {
  const install = findOfficialFirestoreEmulator();
  if ('missing' in install) throw new Error(`Google's Firestore emulator is not available: ${install.missing}`);
  const bindHost = opts.host ?? '127.0.0.1';
  const port = opts.port || (await (opts.choosePort ?? freePort)(bindHost));
  const args = [
    '-Duser.language=en',
    '-cp',
    install.jar,
    'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
    'start',
    `--host=${bindHost}`,
    `--port=${port}`,
  ];
  if (opts.rules) args.push(`--rules=${opts.rules}`);
  if (opts.importData) args.push(`--import-data=${opts.importData}`);

  // The JVM runs in the background of a shell that waits on fd 3 (the pipe from this process,
  // kept open for the child's lifetime) and ends the JVM when that pipe closes.
  const watchdog = 'exec 3<&0; "$@" & jvm=$!; { read -r _ <&3; kill -TERM "$jvm" 2>/dev/null; } & wait "$jvm"';
  const child = spawn('/bin/sh', ['-c', watchdog, 'firestore-emulator', install.java, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  killAllOnExit();
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const host = `${bindHost}:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!(await answers(host))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const message = `Google's Firestore emulator exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${output}`;
      throw /java\.net\.BindException|Address already in use/.test(output)
        ? new PortTakenError(message)
        : new Error(message);
    }
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(
        `Google's Firestore emulator did not answer on ${host} within ${opts.startTimeoutMs ?? 60_000} ms:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const group = child.pid!;
  let stopping: Promise<void> | null = null;
  return {
    kind: 'official',
    host,
    port,
    processGroup: group,
    async exportTo(projectId, directory, name) {
      // The emulator's own HTTP API, as firebase-tools' `emulators:export` calls it.
      const res = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          database: `projects/${projectId}/databases/(default)`,
          export_directory: directory,
          export_name: name,
        }),
      });
      if (!res.ok) throw new Error(`Firestore emulator export failed: HTTP ${res.status} ${await res.text()}`);
      const metadata = exportMetadataFile(directory, name);
      if (!existsSync(metadata)) throw new Error(`Firestore emulator export wrote no ${metadata}`);
      return metadata;
    },
    stop() {
      stopping ??= (async () => {
        // The JVM ends on SIGTERM within a second; the group signal reaches it and the watchdog.
        try {
          process.kill(-group, 'SIGTERM');
        } catch {
          return;
        }
        const deadline = Date.now() + 10_000;
        while (processGroupAlive(group)) {
          if (Date.now() > deadline) {
            try {
              process.kill(-group, 'SIGKILL');
            } catch {
              /* gone meanwhile */
            }
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        await exited;
        running.delete(child);
      })();
      return stopping;
    },
  };
}
