/**
 * Counts Firestore document reads and writes made through one client, as Firestore bills
 * them: every document a get/getAll/transactional get returns (found or missing) is one
 * read, every document a query returns is one read and a query returning nothing still costs
 * one, an aggregation query costs one; every write in a commit is one write.
 *
 * It wraps the client's two request funnels (`request` for unary calls such as commit,
 * `requestStream` for batchGetDocuments/runQuery), so it sees every read the application
 * makes through that client, whichever adapter method made it.
 */
import { Transform, type Readable } from 'node:stream';
import type { Firestore } from '@google-cloud/firestore';

export interface FirestoreCounts {
  reads: number;
  writes: number;
  /** Read calls (a getAll of 2 documents is one call, two reads). */
  readCalls: number;
  commits: number;
}

export interface FirestoreCounter {
  readonly counts: FirestoreCounts;
  reset(): void;
  /** Counts since `before` (a copy of `counts` taken earlier). */
  since(before: FirestoreCounts): FirestoreCounts;
}

type Funnels = {
  request(method: string, request: unknown, tag: string, retryCodes?: number[]): Promise<unknown>;
  requestStream(method: string, bidi: boolean, request: unknown, tag: string): Promise<Readable>;
};

export function countFirestore(db: Firestore): FirestoreCounter {
  const counts: FirestoreCounts = { reads: 0, writes: 0, readCalls: 0, commits: 0 };
  const funnels = db as unknown as Funnels;
  const request = funnels.request.bind(db);
  const requestStream = funnels.requestStream.bind(db);
  funnels.request = async (method, req, tag, retryCodes) => {
    if (method === 'commit') {
      counts.commits++;
      counts.writes += ((req as { writes?: unknown[] }).writes ?? []).length;
    }
    return request(method, req, tag, retryCodes);
  };
  funnels.requestStream = async (method, bidi, req, tag) => {
    const stream = await requestStream(method, bidi, req, tag);
    if (method !== 'batchGetDocuments' && method !== 'runQuery' && method !== 'runAggregationQuery') return stream;
    counts.readCalls++;
    let docs = 0;
    const counter = new Transform({
      objectMode: true,
      transform(chunk: { found?: unknown; missing?: unknown; document?: unknown; result?: unknown }, _enc, callback) {
        if (method === 'batchGetDocuments' && (chunk.found || chunk.missing)) docs++;
        else if (method === 'runQuery' && chunk.document) docs++;
        else if (method === 'runAggregationQuery' && chunk.result) docs++;
        callback(null, chunk);
      },
      flush(callback) {
        // A query that returns nothing is still billed one read.
        counts.reads += method === 'batchGetDocuments' ? docs : Math.max(1, docs);
        callback();
      },
    });
    stream.on('error', (e) => counter.destroy(e));
    stream.pipe(counter);
    return counter;
  };
  return {
    counts,
    reset() {
      counts.reads = counts.writes = counts.readCalls = counts.commits = 0;
    },
    since(before) {
      return {
        reads: counts.reads - before.reads,
        writes: counts.writes - before.writes,
        readCalls: counts.readCalls - before.readCalls,
        commits: counts.commits - before.commits,
      };
    },
  };
}

const counters = new WeakMap<Firestore, FirestoreCounter>();
/** One counter per client, however many benchmarks ask for it. */
export function counterFor(db: Firestore): FirestoreCounter {
  let counter = counters.get(db);
  if (!counter) counters.set(db, (counter = countFirestore(db)));
  return counter;
}
