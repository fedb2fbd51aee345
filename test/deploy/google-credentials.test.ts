/**
 * Who the production code acts as, and the secrets it accepts.
 * - Domain-wide delegation is gone: on Cloud Functions the metadata server ignores `subject`, so
 *   GOOGLE_IMPERSONATE_SUBJECT would silently run as the service account. The configuration
 *   refuses it and names the supported way, a shared drive (required on Google).
 * - An operator's `--target google` command acts AS the functions' service account: its Sheets
 *   and Drive clients carry `Impersonated` credentials whose source is the operator's ADC. A
 *   local stand-in of IAM Credentials' `generateAccessToken` shows the exchange: the operator's
 *   token goes in, the service account's token comes out and is what the clients send.
 * - The webhook secret being retired during a rotation is parsed, accepted and never logged.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Impersonated, OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, acceptedWebhookSecrets, parseConfig, redactedConfig } from '../../functions/config.js';
import {
  GOOGLE_SCOPES,
  createDriveClient,
  createSheetsClient,
  googleAuthFor,
} from '../../functions/adapters/google-apis.js';
import { googleSessionConfig } from '../../scripts/cli/session.js';

const SERVICE_ACCOUNT = 'bao-cao-functions@bao-cao-hanoi.iam.gserviceaccount.com';
/** The environment the deployment plan gives a function (secrets mounted). */
const PRODUCTION_ENV = {
  GOOGLE_CLOUD_PROJECT: 'bao-cao-hanoi',
  SERVICE_ACCOUNT_EMAIL: SERVICE_ACCOUNT,
  SHARED_DRIVE_ID: '0AbCdEf',
  WEBHOOK_URL: 'https://asia-southeast1-bao-cao-hanoi.cloudfunctions.net/driveWebhook',
  WEBHOOK_SECRET: 'w'.repeat(64),
  SCHEDULER_AUDIENCE: 'https://asia-southeast1-bao-cao-hanoi.cloudfunctions.net/maintenance',
  SCHEDULER_SERVICE_ACCOUNT: 'bao-cao-scheduler@bao-cao-hanoi.iam.gserviceaccount.com',
};
const problemsOf = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('the configuration on Google', () => {
  it('refuses domain-wide delegation, saying to use a shared drive', () => {
    const problems = problemsOf({ ...PRODUCTION_ENV, GOOGLE_IMPERSONATE_SUBJECT: 'bao-cao@hanoi.gov.vn' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^GOOGLE_IMPERSONATE_SUBJECT: .*đã bị bỏ.*máy chủ metadata.*SHARED_DRIVE_ID/);
  });

  it('requires the shared drive on Google, not in emulator mode', () => {
    expect(problemsOf({ ...PRODUCTION_ENV, SHARED_DRIVE_ID: undefined })).toEqual([
      expect.stringMatching(/^SHARED_DRIVE_ID: thiếu SHARED_DRIVE_ID \(ổ dùng chung/),
    ]);
    expect(problemsOf({ ...PRODUCTION_ENV })).toEqual([]);
    const local = parseConfig({
      SHEETS_ROOT_URL: 'http://127.0.0.1:9/',
      DRIVE_ROOT_URL: 'http://127.0.0.1:9/',
      LOCAL_IDENTITY: 'sa@local.test',
      SCHEDULER_AUTH: 'shared-secret',
      SCHEDULER_SHARED_SECRET: 'x'.repeat(32),
      WEBHOOK_SECRET: 'w'.repeat(32),
    });
    expect(local.sharedDriveId).toBeNull();
  });

  it('the functions themselves use their own credentials: no subject, no impersonation', async () => {
    const config = parseConfig(PRODUCTION_ENV);
    expect(config.google).toEqual({ mode: 'google', timeoutMs: 30_000 });
    const auth = await googleAuthFor(config.google);
    expect(auth).not.toBeInstanceOf(Impersonated);
    expect((auth as { clientOptions?: unknown }).clientOptions ?? {}).not.toHaveProperty('subject');
  });

  it('parses the previous webhook secret of a rotation, accepts both, and never logs it', () => {
    const previous = 'p'.repeat(64);
    const rotating = parseConfig({ ...PRODUCTION_ENV, WEBHOOK_SECRET_PREVIOUS: previous });
    expect(acceptedWebhookSecrets(rotating.webhook)).toEqual([PRODUCTION_ENV.WEBHOOK_SECRET, previous]);
    expect(JSON.stringify(redactedConfig(rotating))).not.toContain(previous);
    expect(redactedConfig(rotating)).toMatchObject({ webhook: { previousSecret: '[redacted 64 chars]' } });
    expect(acceptedWebhookSecrets(parseConfig(PRODUCTION_ENV).webhook)).toEqual([PRODUCTION_ENV.WEBHOOK_SECRET]);
    expect(problemsOf({ ...PRODUCTION_ENV, WEBHOOK_SECRET_PREVIOUS: 'ngan' })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET_PREVIOUS: /),
    ]);
  });
});

describe('an operator command on Google acts as the functions service account', () => {
  let server: Server;
  let endpoint: string;
  const exchanges: { path: string; authorization: string | undefined; body: { scope: string[]; lifetime: string } }[] =
    [];

  beforeAll(async () => {
    // Stand-in for https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/SA:generateAccessToken
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        exchanges.push({
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body: JSON.parse(raw) as { scope: string[]; lifetime: string },
        });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            accessToken: 'token-of-the-service-account',
            expireTime: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('the session impersonates SERVICE_ACCOUNT_EMAIL, and refuses to run without it', () => {
    const config = googleSessionConfig(parseConfig(PRODUCTION_ENV));
    expect(config.google).toEqual({ mode: 'google', timeoutMs: 30_000, actAs: SERVICE_ACCOUNT });
    expect(() => googleSessionConfig(parseConfig({ ...PRODUCTION_ENV, SERVICE_ACCOUNT_EMAIL: undefined }))).toThrow(
      /SERVICE_ACCOUNT_EMAIL/,
    );
  });

  it('Sheets and Drive clients send the service account token obtained with the operator credentials', async () => {
    const operator = new OAuth2Client();
    operator.setCredentials({ access_token: 'token-of-the-operator', expiry_date: Date.now() + 3_600_000 });
    const access = {
      ...googleSessionConfig(parseConfig(PRODUCTION_ENV)).google,
      actAsSource: operator,
      iamCredentialsEndpoint: endpoint,
    };
    const sheets = await createSheetsClient(access);
    const drive = await createDriveClient(access);
    for (const client of [sheets, drive]) {
      const auth = client.context._options.auth as unknown as Impersonated;
      expect(auth).toBeInstanceOf(Impersonated);
      expect(auth.getTargetPrincipal()).toBe(SERVICE_ACCOUNT);
      const headers = await auth.getRequestHeaders();
      expect(headers.get('authorization')).toBe('Bearer token-of-the-service-account');
    }
    expect(exchanges[0]).toEqual({
      path: `/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}:generateAccessToken`,
      authorization: 'Bearer token-of-the-operator',
      body: expect.objectContaining({ scope: GOOGLE_SCOPES, lifetime: '3600s' }),
    });
  });
});
