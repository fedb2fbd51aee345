/**
 * Poison events and bad bodies, through the Functions Framework's own server
 * (getTestServer, as the local stack serves the functions):
 * - an undecodable CloudEvent is logged with its context and acknowledged (2xx), since Eventarc
 *   with retries on would redeliver it for a day; a failure a retry can get past is still
 *   answered 500 (redelivered), one that fails the same way every time is acknowledged;
 * - a body the framework cannot parse gets a short 400 JSON answer, not Express's HTML page
 *   with a stack trace; Express apps that are not the framework's keep their own behaviour.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { google } from '@skunkteam/google-cloudevents-firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memory-logger.js';
import { currentDeadline, QuotaDeferredError } from '../../functions/adapters/shared-pace.js';
import { BODY_NOT_JSON, BODY_UNREADABLE } from '../../functions/handlers/framework-errors.js';
import { isTransientFailure } from '../../functions/handlers/events.js';
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { createFunctions } from '../../functions/handlers/functions.js';
import type { Runtime } from '../../functions/handlers/runtime.js';

const CAMPAIGN = 'c-test';
const DocumentEventData = google.events.cloud.firestore.v1.DocumentEventData;
const documentName = (path: string) => `projects/demo-p/databases/(default)/documents/${path}`;

/** What the failing step throws, per test. */
let failure: unknown = null;
let log = memoryLogger();
let workStarted = 0;
/** The invocation deadline the work saw (withinBudget in the handlers). */
let deadlineSeen: number | null = null;

/** Just enough of a runtime for the handlers: the aggregation and the poll fail with `failure` on their first use of the store. */
function fakeRuntime(extra: Record<string, unknown> = {}): Runtime {
  return {
    log,
    model: { id: CAMPAIGN },
    get store(): never {
      workStarted++;
      deadlineSeen = currentDeadline();
      throw failure;
    },
    ...extra,
  } as unknown as Runtime;
}

const servers: Server[] = [];
const urls: Record<string, string> = {};

async function serve(name: string): Promise<string> {
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const server = getTestServer(name);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A binary-mode CloudEvent, as Eventarc (and the local bridge) posts it. */
function postEvent(url: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/protobuf',
      'ce-id': 'evt-42',
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.firestore.document.v1.written',
      'ce-source': '//firestore.googleapis.com/projects/demo-p/databases/(default)',
      'ce-subject': `documents/campaigns/${CAMPAIGN}/submissions/r1__u1`,
      ...headers,
    },
    body,
  });
}

const encodedWrite = (path: string) =>
  DocumentEventData.encode({ value: { name: documentName(path), fields: { n: { integerValue: 1 } } } }).finish();

/** The runtime the functions of this file answer with (each test installs its own fake). */
let current: Runtime | null = null;
const useRuntime = (runtime: Runtime | null) => {
  current = runtime;
};

beforeAll(async () => {
  // The deployed entry module, for what it installs at load (bad bodies answered in JSON).
  await import('../../functions/index.js');
  const functions = createFunctions(async () => {
    if (!current) throw new Error('no runtime installed');
    return current;
  });
  for (const name of [
    'onSubmissionWritten',
    'onPollRequested',
    'sheetAction',
    'maintenance',
    'driveWebhook',
  ] as const) {
    const action = functions[name];
    if (action.signature === 'http') http(`${name}-poison`, action.handler);
    else cloudEvent(`${name}-poison`, action.handler);
    urls[name] = await serve(`${name}-poison`);
  }
});
afterAll(async () => {
  useRuntime(null);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});
beforeEach(() => {
  log = memoryLogger();
  failure = null;
  workStarted = 0;
  deadlineSeen = null;
  useRuntime(fakeRuntime());
});

describe('poison events are acknowledged, transient failures retried', () => {
  const GARBAGE = Uint8Array.from([0x0f, 0xff, 0xff, 0xff, 0x07, 0x13, 0x37, 0x00, 0x42]);

  it.each(['onSubmissionWritten', 'onPollRequested'])(
    '%s: a garbage protobuf body is acknowledged, logged with the event’s context',
    async (action) => {
      const res = await postEvent(urls[action]!, GARBAGE);
      expect(res.status).toBe(204);
      const line = log.lines.find((l) => l.severity === 'ERROR')!;
      expect(line.message).toBe(`${action}: undecodable event acknowledged without processing`);
      expect(line).toMatchObject({
        eventId: 'evt-42',
        eventType: 'google.cloud.firestore.document.v1.written',
        subject: `documents/campaigns/${CAMPAIGN}/submissions/r1__u1`,
        dataBytes: GARBAGE.byteLength,
      });
      expect((line.error as { name: string }).name).toBe('UndecodableEventError');
      expect(workStarted).toBe(0);
    },
  );

  it('a well-formed protobuf of a message that names no document is acknowledged too', async () => {
    const res = await postEvent(
      urls.onSubmissionWritten!,
      DocumentEventData.encode({ updateMask: { fieldPaths: ['x'] } }).finish(),
    );
    expect(res.status).toBe(204);
    expect(String(log.lines.find((l) => l.severity === 'ERROR')?.message)).toMatch(/undecodable event acknowledged/);
  });

  it('a structured-mode event whose data is not a document event is acknowledged', async () => {
    const res = await fetch(urls.onSubmissionWritten!, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'evt-7',
        type: 'google.cloud.firestore.document.v1.written',
        source: '//firestore',
        data: 'not json at all',
      }),
    });
    expect(res.status).toBe(204);
    expect(log.lines.find((l) => l.severity === 'ERROR')).toMatchObject({ eventId: 'evt-7' });
  });

  it.each([
    [
      'Firestore UNAVAILABLE (gRPC 14)',
      () =>
        Object.assign(new Error('14 UNAVAILABLE: no connection'), { code: 14, details: 'no connection', metadata: {} }),
    ],
    [
      'Firestore ABORTED (gRPC 10)',
      () => Object.assign(new Error('10 ABORTED: contention'), { code: 10, details: 'contention', metadata: {} }),
    ],
    ['a Google API 503', () => Object.assign(new Error('backend error'), { status: 503 })],
    ['a Sheets quota 429', () => Object.assign(new Error('quota'), { status: 429 })],
    ['a dropped connection', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['work deferred past the time budget', () => Object.assign(new Error('deferred'), { transient: true })],
  ])('%s: answered 500, so Eventarc redelivers', async (_what, error) => {
    failure = error();
    expect(isTransientFailure(failure)).toBe(true);
    const submission = await postEvent(
      urls.onSubmissionWritten!,
      encodedWrite(`campaigns/${CAMPAIGN}/submissions/r1__u1`),
    );
    expect(submission.status).toBe(500);
    expect(workStarted).toBe(1);
    const poll = await postEvent(urls.onPollRequested!, encodedWrite(`campaigns/${CAMPAIGN}/pollRequests/p1`));
    expect(poll.status).toBe(500);
    expect(log.lines.filter((l) => /will be retried/.test(String(l.message)))).toHaveLength(2);
  });

  it.each([
    ['a bug (TypeError)', () => new TypeError("Cannot read properties of undefined (reading 'totals')")],
    [
      'Firestore INVALID_ARGUMENT (gRPC 3)',
      () => Object.assign(new Error('3 INVALID_ARGUMENT: bad field'), { code: 3, details: 'bad field', metadata: {} }),
    ],
    [
      'Firestore PERMISSION_DENIED (gRPC 7)',
      () => Object.assign(new Error('7 PERMISSION_DENIED'), { code: 7, details: '', metadata: {} }),
    ],
    ['a Google API 400', () => Object.assign(new Error('Invalid requests[0]'), { status: 400 })],
  ])('%s: fails the same way every time, so it is logged and acknowledged', async (_what, error) => {
    failure = error();
    expect(isTransientFailure(failure)).toBe(false);
    const submission = await postEvent(
      urls.onSubmissionWritten!,
      encodedWrite(`campaigns/${CAMPAIGN}/submissions/r1__u1`),
    );
    expect(submission.status).toBe(204);
    expect(workStarted).toBe(1);
    const poll = await postEvent(urls.onPollRequested!, encodedWrite(`campaigns/${CAMPAIGN}/pollRequests/p1`));
    expect(poll.status).toBe(204);
    const acknowledged = log.lines.filter((l) => /failed permanently; event acknowledged/.test(String(l.message)));
    expect(acknowledged).toHaveLength(2);
    expect(acknowledged[0]).toMatchObject({ eventId: 'evt-42', roundId: 'r1', unitId: 'u1' });
  });
});

describe('each invocation runs within its function’s time budget', () => {
  it.each([
    [
      'onSubmissionWritten',
      120,
      () => postEvent(urls.onSubmissionWritten!, encodedWrite(`campaigns/${CAMPAIGN}/submissions/r1__u1`)),
    ],
    [
      'onPollRequested',
      540,
      () => postEvent(urls.onPollRequested!, encodedWrite(`campaigns/${CAMPAIGN}/pollRequests/p1`)),
    ],
  ])('%s: the work sees a deadline of its timeout (%i s) less a tenth', async (_fn, timeoutSeconds, send) => {
    failure = new TypeError('stop here');
    const before = Date.now();
    await send();
    const after = Date.now();
    expect(deadlineSeen).not.toBeNull();
    expect(deadlineSeen!).toBeGreaterThanOrEqual(before + timeoutSeconds * 900);
    expect(deadlineSeen!).toBeLessThanOrEqual(after + timeoutSeconds * 900);
  });

  it('work deferred by the Sheets quota: an HTTP function answers 503 with Retry-After (the scheduler retries), an event function 500 (Eventarc redelivers)', async () => {
    failure = new QuotaDeferredError('sheets-reads', 42_300, 3_000);
    useRuntime(fakeRuntime({ schedulerAuth: async () => ({ ok: true, caller: 'test' }) }));
    const res = await fetch(urls.maintenance!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"job":"poll-changes"}',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('43');
    expect(await res.json()).toEqual({ error: 'quota-deferred', retryAfterSeconds: 43 });
    expect(deadlineSeen).not.toBeNull();
    expect(log.lines.find((l) => l.message === 'maintenance deferred: Sheets quota')).toMatchObject({
      quota: 'sheets-reads',
      waitMs: 42_300,
    });
    expect((await postEvent(urls.onPollRequested!, encodedWrite(`campaigns/${CAMPAIGN}/pollRequests/p1`))).status).toBe(
      500,
    );
  });
});

describe('a body the framework cannot parse gets a 400 JSON answer', () => {
  const expectJson = async (res: Response, status: number, body: unknown) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<pre>|at JSON\.parse|node_modules/i);
    expect(JSON.parse(text)).toEqual(body);
  };

  it.each(['sheetAction', 'maintenance', 'driveWebhook', 'onSubmissionWritten'])(
    '%s: JSON content type, text that is not JSON → 400 with a short message',
    async (action) => {
      const res = await fetch(urls[action]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"spreadsheetId": "abc", ',
      });
      await expectJson(res, 400, BODY_NOT_JSON);
      expect(log.lines).toEqual([]); // the function never ran
    },
  );

  it('a JSON body that is not an object or array (strict parsing) → 400', async () => {
    await expectJson(
      await fetch(urls.sheetAction!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' }),
      400,
      BODY_NOT_JSON,
    );
  });

  it('a charset body-parser cannot read → 415, in JSON', async () => {
    await expectJson(
      await fetch(urls.sheetAction!, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=koi8-r' },
        body: '{}',
      }),
      415,
      BODY_UNREADABLE,
    );
  });

  it('a failure inside the framework (its event middleware reading a GET without a body) → 500 in JSON, no stack trace', async () => {
    await expectJson(await fetch(urls.onSubmissionWritten!), 500, { error: 'internal error' });
  });

  it('a valid JSON body still reaches the function', async () => {
    useRuntime(fakeRuntime({ schedulerAuth: async () => ({ ok: true, caller: 'test' }) }));
    const res = await fetch(urls.maintenance!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"job":"no-such-job"}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/unknown job/);
  });

  it('an Express app that is not the framework’s keeps Express’s own answer', async () => {
    const fromFramework = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
    const express = fromFramework('express') as () => {
      use(...a: unknown[]): void;
      post(p: string, h: (req: unknown, res: { json(b: unknown): void }) => void): void;
      listen(port: number, host: string, cb: () => void): Server;
    };
    const bodyParser = fromFramework('body-parser') as { json(): unknown };
    const app = express();
    app.use(bodyParser.json());
    app.post('/', (_req, res) => res.json({ ok: true }));
    const server = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    servers.push(server);
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
