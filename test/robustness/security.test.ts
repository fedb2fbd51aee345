/**
 * The system's guards in one place (those with suites of their own are named here
 * so the whole picture is visible):
 *  - the Drive webhook's channel token: test/integration/change-detection.test.ts;
 *  - the scheduler's OIDC token (audience, issuer, signature, expiry) and the local shared
 *    secret: test/handlers/scheduler-auth.test.ts;
 *  - unregistered spreadsheets and a sheet claiming another unit: test/integration/security.test.ts.
 * Here: the sheet button's signature (missing, forged, for another sheet, replayed) refused with
 * nothing read, stored or requested; text a unit types that looks like a formula reaches the
 * master sheet and the exported .xlsx as text; and on the production path (configuration from
 * the environment, the JSON logger on stdout) no secret is ever logged, while refusals,
 * and accepted calls are.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { refreshMaster } from '../../functions/app/master.js';
import { hmac } from '../../functions/handlers/auth.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { quoteSheetName } from '../../functions/core/a1.js';
import {
  postSheetAction,
  provisionMaster,
  registerUnitSheets,
  requestsSince,
  tabValues,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SO_KET = 'so-ket-2020';
const UNIT = 'ubnd-tay-ho';
const OTHER = 'ubnd-long-bien';
const START_AT = '2020-07-10T09:00:00+07:00';

let stack: TestStack;
let sheetIds: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack({ at: START_AT });
  sheetIds = await registerUnitSheets(stack, SO_KET, [UNIT, OTHER]);
  await provisionMaster(stack);
}, 60_000);
afterAll(async () => {
  stack?.useRuntime(stack.runtime);
  await stack?.dispose();
});

const press = (body: unknown) => postSheetAction(stack, body);

describe('the sheet button (sheetAction)', () => {
  it('refuses unsigned, forged, misdirected and replayed requests with 401, and reads, stores and requests nothing', async () => {
    // A complete, ticked submission is waiting: any request let through would store it.
    await stack.typeSubmission(UNIT, SO_KET);
    const id = sheetIds[UNIT]!;
    const now = stack.clock.now;
    const sign = (secret: string, sheet: string, ts: number) => hmac(secret, `${sheet}.${ts}`);
    const good = sign(stack.secrets.webhook, id, now);
    const attempts: [string, unknown][] = [
      ['no body', {}],
      ['no signature', { spreadsheetId: id, timestamp: now }],
      [
        'signed with another secret',
        { spreadsheetId: id, timestamp: now, signature: sign('mot-bi-mat-khac-dai-hon-16', id, now) },
      ],
      [
        'the signature of another unit’s sheet',
        { spreadsheetId: id, timestamp: now, signature: sign(stack.secrets.webhook, sheetIds[OTHER]!, now) },
      ],
      [
        'a signature replayed ten minutes later',
        {
          spreadsheetId: id,
          timestamp: now - 10 * 60_000,
          signature: sign(stack.secrets.webhook, id, now - 10 * 60_000),
        },
      ],
      [
        'a timestamp in the future',
        {
          spreadsheetId: id,
          timestamp: now + 10 * 60_000,
          signature: sign(stack.secrets.webhook, id, now + 10 * 60_000),
        },
      ],
      ['the timestamp as text', { spreadsheetId: id, timestamp: String(now), signature: good }],
      ['a truncated signature', { spreadsheetId: id, timestamp: now, signature: good.slice(0, -2) }],
      ['the secret itself as the signature', { spreadsheetId: id, timestamp: now, signature: stack.secrets.webhook }],
    ];
    const since = requestsSince(stack);
    const logged = stack.log.lines.length;
    for (const [what, body] of attempts)
      expect(await press(body), what).toEqual({ status: 401, body: { error: 'unauthorized' } });
    await stack.triggersIdle();
    expect(since()).toEqual([]);
    expect(await stack.runtime.store.state(SO_KET, UNIT)).toBeNull();
    expect(await stack.runtime.store.submission(SO_KET, UNIT)).toBeNull();
    expect((await stack.runtime.store.meta('driveWatch')).pollRequestedAt ?? null).toBeNull();
    const refusals = stack.log.lines.slice(logged).filter((l) => l.message === 'sheet action refused: bad signature');
    expect(refusals).toHaveLength(attempts.length);

    // The same request, correctly signed, is what stores the submission.
    expect(await press({ spreadsheetId: id, timestamp: now, signature: good })).toMatchObject({
      status: 200,
      body: { outcome: 'processed', status: 'ready' },
    });
    expect((await stack.runtime.store.submission(SO_KET, UNIT))?.versionCount).toBe(1);
  });
});

describe('text that looks like a formula', () => {
  // What a clerk can put in a text cell (typed with a leading apostrophe, or pasted as text).
  const PAYLOAD = '=HYPERLINK("http://lua-dao.example","Bấm vào đây")';

  it('reaches the master sheet and its exported .xlsx as text, never as a formula', async () => {
    const id = sheetIds[OTHER]!;
    await stack.typeSubmission(OTHER, SO_KET);
    // The first nominee's name, replaced as text (RAW) by the clerk.
    const state = stack.sheets.getSpreadsheetState(id)!;
    const tab = 'Khen thưởng';
    const rows = tabValues(state, tab);
    const firstName = rows
      .flatMap((r, row) => r.map((v, col) => ({ v, row, col })))
      .find((c) => typeof c.v === 'string' && /^Nguyễn|^Tổ |^Trường /.test(c.v))!;
    expect(firstName, 'a nominee name in the unit sheet').toBeDefined();
    const nameCell = `${quoteSheetName(tab)}!${String.fromCharCode(65 + firstName.col)}${firstName.row + 1}`;
    await sheetsAs(stack.urls.sheets, stack.runtime.model.unit(OTHER).emails[0]!).spreadsheets.values.update({
      spreadsheetId: id,
      range: nameCell,
      valueInputOption: 'RAW',
      requestBody: { values: [[PAYLOAD]] },
    });

    const outcome = await stack.process(OTHER, SO_KET);
    if (outcome.outcome !== 'processed') throw new Error(outcome.outcome);
    expect(outcome.accepted).toBe(true);
    await stack.triggersIdle();
    await refreshMaster(stack.runtime, { force: true });

    const master = stack.sheets.getSpreadsheetState((await stack.runtime.store.meta('master')).spreadsheetId!)!;
    const carrying = master.sheets.flatMap((t) =>
      t.rows.flatMap((row, r) =>
        (row ?? [])
          .map((c, col) => ({ tab: t.properties.title, r, col, v: c?.userEnteredValue }))
          .filter((c) => JSON.stringify(c.v ?? null).includes('lua-dao')),
      ),
    );
    expect(carrying.length, 'the name is in the master').toBeGreaterThan(0);
    for (const cell of carrying) {
      expect(cell.v, `${cell.tab} row ${cell.r + 1}`).not.toHaveProperty('formulaValue');
      // The name itself, or the hidden shortlist key built from it: text either way.
      expect(typeof cell.v?.stringValue).toBe('string');
    }
    expect(carrying.some((c) => c.v?.stringValue === PAYLOAD && c.tab === 'Khen thưởng')).toBe(true);

    const dir = await mkdtemp(join(tmpdir(), 'xlsx-text-'));
    try {
      const file = join(dir, 'master.xlsx');
      await stack.sheets.exportXlsx(master.spreadsheetId, file);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const found: unknown[] = [];
      workbook.eachSheet((ws) =>
        ws.eachRow((row) =>
          row.eachCell((cell) => JSON.stringify(cell.value).includes('lua-dao') && found.push(cell.value)),
        ),
      );
      expect(found.length).toBe(carrying.length);
      for (const value of found) expect(typeof value, JSON.stringify(value)).toBe('string');
      expect(found).toContain(PAYLOAD);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets and the logs, on the production path', () => {
  const SECRETS = {
    WEBHOOK_SECRET: 'bi-mat-webhook-0123456789abcdef',
    SCHEDULER_SHARED_SECRET: 'bi-mat-lich-0123456789abcdef',
    SMTP_PASSWORD: 'mat-khau-smtp-0123456789',
  };

  it('configuration is logged redacted; refusals and accepted calls are logged; no secret appears', async () => {
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const env = { ...process.env };
    Object.assign(process.env, {
      SHEETS_ROOT_URL: stack.urls.sheets,
      DRIVE_ROOT_URL: stack.urls.sheets,
      LOCAL_IDENTITY: stack.runtime.config.serviceAccount ?? 'bao-cao@local.iam.gserviceaccount.com',
      FIRESTORE_EMULATOR_HOST: stack.runtime.config.firestore.emulatorHost ?? '',
      GOOGLE_CLOUD_PROJECT: stack.runtime.config.projectId,
      WEBHOOK_URL: stack.urls.functions.driveWebhook,
      SCHEDULER_AUTH: 'shared-secret',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1',
      SMTP_USER: 'bao-cao',
      ...SECRETS,
    });
    stack.useRuntime(null); // the next request builds the runtime from the environment, as in production
    try {
      const id = sheetIds[UNIT]!;
      // A forged button press, a push with a wrong token, a scheduler call with a wrong secret.
      expect((await press({ spreadsheetId: id, timestamp: stack.clock.now, signature: 'gia-mao' })).status).toBe(401);
      const push = await fetch(stack.urls.functions.driveWebhook!, {
        method: 'POST',
        headers: { 'x-goog-channel-id': 'kenh', 'x-goog-channel-token': `${SECRETS.WEBHOOK_SECRET}x` },
      });
      expect(push.status).toBe(401);
      const wrong = await fetch(stack.urls.functions.complianceSweep!, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRETS.SCHEDULER_SHARED_SECRET}-sai`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(wrong.status).toBe(401);
      // Accepted calls: a dry-run sweep, and a correctly signed press.
      const sweep = await fetch(stack.urls.functions.complianceSweep!, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRETS.SCHEDULER_SHARED_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ at: START_AT, dryRun: true }),
      });
      expect(sweep.status).toBe(200);
      const startedAt = Date.now();
      expect(
        (
          await press({
            spreadsheetId: id,
            timestamp: startedAt,
            signature: hmac(SECRETS.WEBHOOK_SECRET, `${id}.${startedAt}`),
          })
        ).status,
      ).toBe(200);
    } finally {
      write.mockRestore();
      process.env = env;
      stack.useRuntime(stack.runtime);
    }

    const lines = out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const messages = lines.map((l) => l.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'functions configured',
        'sheet action refused: bad signature',
        'drive push refused: bad channel token',
        'scheduled call refused',
      ]),
    );
    const configured = lines.find((l) => l.message === 'functions configured') as {
      config: { webhook: { secret: string }; scheduler: { secret: string }; smtp: { pass: string; user: string } };
    };
    expect(configured.config.webhook.secret).toMatch(/^\[redacted \d+ chars\]$/);
    expect(configured.config.scheduler.secret).toMatch(/^\[redacted \d+ chars\]$/);
    expect(configured.config.smtp.pass).toMatch(/^\[redacted \d+ chars\]$/);
    expect(configured.config.smtp.user).toBe('bao-cao');
    const all = out.join('');
    for (const [name, secret] of Object.entries(SECRETS))
      expect(all.includes(secret), `${name} in the logs`).toBe(false);
  });
});
