/**
 * The Sheets quota shared across function instances. Google counts 60 requests per minute
 * per user, and every instance of every function is the same user (the service account). The
 * shared pace keeps the next free slot in a Firestore document reserved by a transaction; these
 * tests run it on Google's own Firestore emulator, which isolates transactions as production does.
 *
 * - Reservations racing from two clients get distinct slots, one interval apart.
 * - A slot beyond the invocation's budget is not reserved: QuotaDeferredError, nothing consumed.
 * - Three processes, each wired as a function instance is (production wiring, local stack's
 *   config), write to the Sheets emulator with its per-user quota on: with the shared pace no
 *   429 and at most the paced rate in any emulated minute; with each process pacing itself
 *   only, the same run collects 429s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSheetsClient } from '../../functions/adapters/google-apis.js';
import { createRateLimiter } from '../../functions/adapters/rate-limiter.js';
import { pacedRequest } from '../../functions/adapters/sheets-pace.js';
import { DEFAULT_RETRY } from '../../functions/adapters/retry.js';
import {
  createSharedRateLimiter,
  QUOTA_PACE_COLLECTION,
  QuotaDeferredError,
  withTimeBudget,
} from '../../functions/adapters/shared-pace.js';
import { startSheetsEmulator, type SheetsEmulator } from '../../scripts/emulators/sheets/index.js';
import { startFirestoreEmulator } from '../../scripts/local-stack/firestore-emulator.js';
import {
  startOfficialFirestoreEmulator,
  type OfficialFirestoreEmulator,
} from '../../scripts/local-stack/official-firestore-emulator.js';
import { LOCAL_SERVICE_ACCOUNT } from '../../scripts/local-stack/stack.js';

let firestore: OfficialFirestoreEmulator;
const clients: Firestore[] = [];

/** A client of its own, as each instance has. */
function client(projectId: string): Firestore {
  const db = new Firestore({
    projectId,
    host: firestore.host,
    ssl: false,
    credentials: { client_email: 'emulator@local', private_key: 'unused' },
  });
  clients.push(db);
  return db;
}

beforeAll(async () => {
  firestore = await startOfficialFirestoreEmulator();
}, 90_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.terminate()));
  await firestore?.stop();
});

describe('the shared limiter on Firestore', () => {
  const START = Date.parse('2026-12-05T08:00:00Z');
  /** A clock that stands still; sleeps are recorded (the wait each reservation implies). */
  const stillClock = () => {
    const waits: number[] = [];
    return { waits, clock: { now: () => START, sleep: async (ms: number) => void waits.push(ms) } };
  };

  it('reservations racing from two instances get distinct slots, one interval apart', async () => {
    const { waits, clock } = stillClock();
    const first = createSharedRateLimiter({ db: client('demo-race'), quota: 'race', perMinute: 6, clock });
    const second = createSharedRateLimiter({ db: client('demo-race'), quota: 'race', perMinute: 6, clock });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).take()));
    // The first slot is now (no wait); the nine others each 10 s after the previous one.
    expect([...waits].sort((x, y) => x - y)).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 10_000));
    const doc = await client('demo-race').collection(QUOTA_PACE_COLLECTION).doc('race').get();
    expect(doc.get('nextSlotMs')).toBe(START + 10 * 10_000);
  }, 30_000);

  it('a slot beyond the invocation’s budget is not reserved: QuotaDeferredError, nothing consumed', async () => {
    const { waits, clock } = stillClock();
    const db = client('demo-budget');
    const first = createSharedRateLimiter({ db, quota: 'budget', perMinute: 6, clock });
    const second = createSharedRateLimiter({ db: client('demo-budget'), quota: 'budget', perMinute: 6, clock });
    await first.take(); // slot: now; next: now + 10 s
    const deferred = await withTimeBudget(START + 4_000, () => second.take()).catch((e: unknown) => e);
    expect(deferred).toBeInstanceOf(QuotaDeferredError);
    expect(deferred).toMatchObject({ transient: true, waitMs: 10_000, budgetMs: 4_000 });
    expect((await db.collection(QUOTA_PACE_COLLECTION).doc('budget').get()).get('nextSlotMs')).toBe(START + 10_000);
    // Within a budget that reaches the slot, and outside any budget (CLI), it waits for it.
    await withTimeBudget(START + 10_000, () => second.take());
    await second.take();
    expect(waits).toEqual([10_000, 20_000]);
  }, 30_000);

  it('on the in-process Firestore stand-in (no transaction isolation) one process still gets distinct slots: its reservations are made one at a time', async () => {
    const standIn = await startFirestoreEmulator({ projectId: 'demo-stand-in' });
    const db = new Firestore({
      projectId: 'demo-stand-in',
      host: standIn.host,
      ssl: false,
      credentials: { client_email: 'emulator@local', private_key: 'unused' },
    });
    try {
      const { waits, clock } = stillClock();
      const limiter = createSharedRateLimiter({ db, quota: 'local', perMinute: 6, clock });
      await Promise.all(Array.from({ length: 10 }, () => limiter.take()));
      expect(waits).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 10_000));
    } finally {
      await db.terminate();
      await standIn.stop();
    }
  }, 30_000);

  it('the in-process pacer defers past the budget the same way', async () => {
    const { clock } = stillClock();
    const pacer = createRateLimiter(6, clock);
    await pacer.take();
    await expect(withTimeBudget(START + 9_999, () => pacer.take())).rejects.toBeInstanceOf(QuotaDeferredError);
    await expect(withTimeBudget(START + 10_000, () => pacer.take())).resolves.toBeUndefined();
  });

  it('a deferred request is neither sent nor retried in place: the caller gets the deferral at once', async () => {
    const { clock } = stillClock();
    const pacer = createRateLimiter(6, clock);
    await pacer.take();
    let sent = 0;
    let retries = 0;
    const request = withTimeBudget(START + 1_000, () =>
      pacedRequest(
        { reads: pacer, writes: pacer },
        'reads',
        { ...DEFAULT_RETRY, sleep: async () => void retries++ },
        async () => void sent++,
      ),
    );
    await expect(request).rejects.toBeInstanceOf(QuotaDeferredError);
    expect({ sent, retries }).toEqual({ sent: 0, retries: 0 });
  });

  it('an unlimited pace never waits and never touches Firestore', async () => {
    const { waits, clock } = stillClock();
    const db = client('demo-unlimited');
    const unlimited = createSharedRateLimiter({ db, quota: 'none', perMinute: Number.POSITIVE_INFINITY, clock });
    for (let i = 0; i < 5; i++) await unlimited.take();
    expect(waits).toEqual([]);
    expect((await db.collection(QUOTA_PACE_COLLECTION).doc('none').get()).exists).toBe(false);
  });
});

describe('three processes acting as the service account against the Sheets quota', () => {
  /**
   * A small quota on a 5× clock: an emulated minute lasts 12 real seconds and holds 6 writes
   * per user. The pace keeps Google's proportion (50 for 60): 5 per emulated minute, one every
   * 2.4 real seconds, which leaves 2.4 s of slack for a loaded machine's latency. The numbers
   * are small so that the outcome depends on the pacing, not on how fast this machine is: three
   * processes pacing themselves send 9 writes within 5 s, well over 6.
   */
  const CLOCK_SCALE = 5;
  const QUOTA = 6;
  const PACE = (QUOTA * 5) / 6;
  const PER_PROCESS = 3;
  const WORKER = fileURLToPath(new URL('./fixtures/shared-quota-worker.ts', import.meta.url));
  let sheets: SheetsEmulator;
  let spreadsheetId: string;
  interface WorkerResult {
    pid: number;
    ok: number;
    quotaErrors: number;
    otherErrors: string[];
  }
  interface Worker {
    child: ChildProcess;
    /** Resolves once the worker is wired. */
    ready: Promise<string>;
    /** The worker's next result line. */
    next(): Promise<WorkerResult>;
  }
  let workers: Worker[] = [];

  /** Three instances, each in its own process with its own Firestore clients, wired once. */
  beforeAll(async () => {
    sheets = await startSheetsEmulator({
      clockScale: CLOCK_SCALE,
      quotas: { enabled: true, writePerMinutePerUser: QUOTA },
    });
    const sheetsApi = await createSheetsClient({
      mode: 'emulator',
      sheetsRootUrl: sheets.url,
      driveRootUrl: sheets.url,
      identity: LOCAL_SERVICE_ACCOUNT,
      timeoutMs: 10_000,
    });
    const created = await sheetsApi.spreadsheets.create({ requestBody: { properties: { title: 'quota' } } });
    spreadsheetId = created.data.spreadsheetId!;
    const args = JSON.stringify({
      projectId: 'demo-quota',
      firestoreHost: firestore.host,
      sheetsUrl: sheets.url,
      spreadsheetId,
      clockScale: CLOCK_SCALE,
      writesPerMinute: PACE * CLOCK_SCALE,
      requests: PER_PROCESS,
    });
    workers = Array.from({ length: 3 }, (): Worker => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args], { stdio: ['pipe', 'pipe', 'inherit'] });
      const waiting: ((line: string) => void)[] = [];
      // Only the protocol's lines: anything else a library prints is not an answer.
      createInterface({ input: child.stdout! }).on(
        'line',
        (l) => (l === 'READY' || l.startsWith('RESULT ')) && waiting.shift()?.(l),
      );
      const line = () => new Promise<string>((resolve) => waiting.push(resolve));
      const ready = line();
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`))),
      );
      exited.catch(() => undefined);
      return {
        child,
        ready: Promise.race([ready, exited]),
        next: async () => {
          const nextLine = await Promise.race([line(), exited]);
          if (!nextLine.startsWith('RESULT ')) throw new Error(`unexpected worker output: ${nextLine}`);
          return JSON.parse(nextLine.slice('RESULT '.length)) as WorkerResult;
        },
      };
    });
    await Promise.all(workers.map((w) => w.ready));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(
      workers.map((worker) => {
        if (worker.child.exitCode !== null) return undefined;
        const gone = new Promise((r) => worker.child.once('exit', r));
        worker.child.stdin!.end('exit\n');
        const timer = setTimeout(() => worker.child.kill(), 10_000);
        return gone.finally(() => clearTimeout(timer));
      }),
    );
    await sheets?.stop();
  });

  /** Lets the three instances go together with the given wiring, and collects their results. */
  async function run(pace: 'shared' | 'in-process'): Promise<WorkerResult[]> {
    sheets.quotas.reset();
    sheets.clearLog();
    const results = workers.map((w) => w.next());
    for (const worker of workers) worker.child.stdin!.write(`go ${pace}\n`);
    return Promise.all(results);
  }

  /** The most successful writes the emulator saw in any 60 emulated seconds. */
  function busiestEmulatedMinute(): number {
    const times = sheets.log
      .filter((e) => e.kind === 'write' && e.status === 200 && e.spreadsheetId === spreadsheetId)
      .map((e) => Date.parse(e.at));
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 60_000) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  it('with the shared pace: every write succeeds, no 429, never more than the quota in an emulated minute', async () => {
    const results = await run('shared');
    expect(results.map((r) => r.otherErrors)).toEqual([[], [], []]);
    expect(results.map((r) => r.quotaErrors)).toEqual([0, 0, 0]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(3 * PER_PROCESS);
    expect(sheets.countRequests({ status: 429 })).toBe(0);
    // 9 writes at 5 per emulated minute: a minute holds the pace (one more only if latency bunched two).
    expect(busiestEmulatedMinute()).toBeLessThanOrEqual(QUOTA);
    expect(busiestEmulatedMinute()).toBeGreaterThanOrEqual(PACE - 1);
  }, 120_000);

  it('with each process pacing itself only, the same run exceeds the quota and collects 429s', async () => {
    const results = await run('in-process');
    expect(results.map((r) => r.otherErrors)).toEqual([[], [], []]);
    const refused = results.reduce((n, r) => n + r.quotaErrors, 0);
    expect(refused).toBeGreaterThan(0);
    expect(sheets.countRequests({ status: 429 })).toBe(refused);
  }, 120_000);
});
