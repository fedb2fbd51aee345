/**
 * Rotating the webhook secret: while a rotation is under way the functions
 * accept both the current and the previous secret, for Drive channel tokens (a live channel
 * was opened with the previous one) and for the Apps Script button (copies not yet updated
 * still sign with it). Outside a rotation only the current secret passes, and a secret that is
 * neither is refused. The real handlers run on a stub runtime that records what they touched.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../functions/config.js';
import { channelToken, hmac } from '../../functions/handlers/auth.js';
import { createHttpHandlers } from '../../functions/handlers/http.js';
import type { Runtime } from '../../functions/handlers/runtime.js';

const CURRENT = 'c'.repeat(64);
const PREVIOUS = 'p'.repeat(64);
const STRANGER = 's'.repeat(64);
const NOW = Date.parse('2026-12-05T10:00:00Z');

function configWith(env: Record<string, string>): Config {
  return parseConfig({
    SHEETS_ROOT_URL: 'http://127.0.0.1:9/',
    DRIVE_ROOT_URL: 'http://127.0.0.1:9/',
    LOCAL_IDENTITY: 'sa@local.test',
    SCHEDULER_AUTH: 'shared-secret',
    SCHEDULER_SHARED_SECRET: 'x'.repeat(32),
    WEBHOOK_SECRET: CURRENT,
    ...env,
  });
}

/** The runtime the handlers of this file answer with, installed by each test. */
let current: Runtime | null = null;
const { driveWebhook, sheetAction } = createHttpHandlers(async () => {
  if (!current) throw new Error('no runtime installed');
  return current;
});

/** The handlers' view of the world: config, a clock, and a store that records poll requests. */
function stubRuntime(config: Config) {
  const pollRequests: string[] = [];
  const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };
  const runtime = {
    config,
    now: () => NOW,
    log: silent,
    model: {},
    store: {
      requestPoll: async (_at: number, reason: string) => {
        pollRequests.push(reason);
        return `poll-${pollRequests.length}`;
      },
      registration: async () => null,
      // No master registered: a press is a unit sheet's, not the master's "publish the documents".
      meta: async () => ({}),
    },
  } as unknown as Runtime;
  current = runtime;
  return { pollRequests };
}

async function call(
  handler: (req: Request, res: Response) => Promise<void>,
  req: { headers?: Record<string, string>; body?: unknown },
) {
  const answer: { status: number; body: unknown } = { status: 0, body: undefined };
  const res = {
    headersSent: false,
    status(code: number) {
      answer.status = code;
      return this;
    },
    json(body: unknown) {
      answer.body = body;
      if (!answer.status) answer.status = 200;
      this.headersSent = true;
      return this;
    },
  };
  await handler({ headers: req.headers ?? {}, body: req.body } as unknown as Request, res as unknown as Response);
  return answer;
}

const push = (secret: string) =>
  call(driveWebhook, {
    headers: {
      'x-goog-channel-id': 'kenh-1',
      'x-goog-channel-token': channelToken(secret, 'kenh-1'),
      'x-goog-resource-state': 'change',
      'x-goog-message-number': '7',
    },
  });
const press = (secret: string) => {
  const body = { spreadsheetId: 'sheet-1', timestamp: NOW - 1_000 };
  return call(sheetAction, { body: { ...body, signature: hmac(secret, `${body.spreadsheetId}.${body.timestamp}`) } });
};

afterEach(() => {
  current = null;
});

describe('the webhook secret during a rotation', () => {
  it('accepts Drive pushes and button presses signed with the current or the previous secret, and nothing else', async () => {
    const { pollRequests } = stubRuntime(configWith({ WEBHOOK_SECRET_PREVIOUS: PREVIOUS }));
    expect(await push(CURRENT)).toEqual({ status: 202, body: { status: 'poll-requested', requestId: 'poll-1' } });
    expect(await push(PREVIOUS)).toEqual({ status: 202, body: { status: 'poll-requested', requestId: 'poll-2' } });
    expect((await push(STRANGER)).status).toBe(401);
    expect(pollRequests).toEqual(['drive push 7', 'drive push 7']);
    // Accepted presses reach the pipeline (the stub sheet is unregistered, so it is ignored).
    expect(await press(CURRENT)).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await press(PREVIOUS)).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await press(STRANGER)).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });

  it('outside a rotation refuses the previous secret', async () => {
    const { pollRequests } = stubRuntime(configWith({}));
    expect((await push(CURRENT)).status).toBe(202);
    expect((await push(PREVIOUS)).status).toBe(401);
    expect((await press(PREVIOUS)).status).toBe(401);
    expect((await press(CURRENT)).status).toBe(200);
    expect(pollRequests).toHaveLength(1);
  });
});
