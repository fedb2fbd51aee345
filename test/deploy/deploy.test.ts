/**
 * The deployment to Google Cloud, checked as far as this machine
 * allows: the build packages functions that load and register, importing no development-only
 * package; the deployment plan deploys every registered function on Node 22 with the right
 * trigger and access (Eventarc's account may invoke the event functions), schedules every job
 * with OIDC, the very body the local scheduler sends and an attempt deadline as long as its
 * function's timeout, gives each function an environment the real configuration parser
 * accepts, lets the operator act as the functions' account for provisioning, and re-runs
 * without adding a webhook secret version. The runner is played against a fake gcloud.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';
import { googleSessionConfig } from '../../scripts/cli/session.js';
import { runPlan, type Exec } from '../../scripts/deploy/run.js';
import { FUNCTIONS } from '../../functions/index.js';
import { SCHEDULED_JOBS } from '../../functions/schedule.js';
import { build, registeredFunctions } from '../../scripts/build.js';
import {
  FUNCTIONS_RUNTIME,
  FUNCTION_SPECS,
  SECRETS,
  deployOptionsSchema,
  deploymentPlan,
  finishWebhookRotationPlan,
  functionUrl,
  rotateWebhookSecretPlan,
  shellLine,
  type PlannedCommand,
} from '../../scripts/deploy/plan.js';

const options = deployOptionsSchema.parse({
  project: 'bao-cao-hanoi',
  smtpHost: 'smtp.hanoi.gov.vn',
  mailFrom: 'Phong XDPT <xdpt@hanoi.gov.vn>',
  sharedDriveId: '0AbCdEf',
  operator: 'van-hanh@hanoi.gov.vn',
});
const FN_SA = 'bao-cao-functions@bao-cao-hanoi.iam.gserviceaccount.com';
const plan = deploymentPlan(options);
const flag = (argv: string[], name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const deployOf = (name: string) =>
  plan.find((c) => c.argv.slice(0, 4).join(' ') === `gcloud functions deploy ${name}`)!.argv;

describe('the deployment plan', () => {
  it('deploys exactly the functions the entry module registers, 2nd gen on Node 22 (nodejs20 is decommissioned)', () => {
    expect(FUNCTION_SPECS.map((f) => f.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const name of Object.keys(FUNCTIONS)) {
      const argv = deployOf(name);
      expect(argv).toContain('--gen2');
      expect(flag(argv, 'runtime')).toBe('nodejs22');
      expect(flag(argv, 'entry-point')).toBe(name);
      expect(flag(argv, 'service-account')).toBe('bao-cao-functions@bao-cao-hanoi.iam.gserviceaccount.com');
      expect(flag(argv, 'source')).toBe('dist/deploy');
    }
  });

  it('opens to the internet only what authenticates itself, triggers the event functions from Firestore, and lets Eventarc invoke them', () => {
    for (const name of ['driveWebhook', 'sheetAction']) expect(deployOf(name)).toContain('--allow-unauthenticated');
    for (const name of ['complianceSweep', 'maintenance'])
      expect(deployOf(name)).toContain('--no-allow-unauthenticated');
    for (const [name, collection] of [
      ['onSubmissionWritten', 'submissions'],
      ['onPollRequested', 'pollRequests'],
    ] as const) {
      const argv = deployOf(name);
      expect(argv).toContain('--trigger-event-filters=type=google.cloud.firestore.document.v1.written');
      expect(flag(argv, 'trigger-event-filters-path-pattern')).toBe(
        `document=campaigns/{campaignId}/${collection}/${collection === 'submissions' ? '{submissionId}' : '{requestId}'}`,
      );
      expect(argv).toContain('--retry');
      expect(FUNCTIONS[name].signature).toBe('cloudevent');
      // The trigger's account must hold roles/run.invoker on the function's Cloud Run service, granted after the deploy.
      const trigger = flag(argv, 'trigger-service-account')!;
      const grant = plan.findIndex(
        (c) =>
          c.argv.join(' ') ===
          `gcloud functions add-invoker-policy-binding ${name} --region=asia-southeast1 --member=serviceAccount:${trigger} --project bao-cao-hanoi`,
      );
      expect(grant).toBeGreaterThan(plan.findIndex((c) => c.argv === argv));
    }
  });

  it('deploys the Firestore rules and indexes of firebase.json with the firebase CLI, a dev dependency', async () => {
    const step = plan.find((c) => c.argv.includes('firestore:rules,firestore:indexes'))!;
    expect(step.argv.slice(0, 3)).toEqual(['npx', 'firebase', 'deploy']);
    expect(flag(step.argv, 'project') ?? step.argv[step.argv.indexOf('--project') + 1]).toBe('bao-cao-hanoi');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
      devDependencies: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.devDependencies['firebase-tools']).toBeDefined();
    expect(pkg.dependencies['firebase-tools']).toBeUndefined();
    // Not run here: firebase-tools stays off every path npm test needs.
  });

  it('schedules every job with OIDC, the local scheduler body and an attempt deadline as long as its function may run; created when absent, updated when present', () => {
    for (const job of SCHEDULED_JOBS) {
      const steps = plan.filter((c) => c.argv.includes(`bao-cao-${job.name}`));
      expect(steps.map((c) => [c.argv.slice(0, 5).join(' '), c.onlyIf?.when])).toEqual([
        ['gcloud scheduler jobs create http', 'absent'],
        ['gcloud scheduler jobs update http', 'present'],
      ]);
      // Both read the same existence check, so exactly one of them runs.
      expect(steps[0]!.onlyIf!.argv).toEqual(steps[1]!.onlyIf!.argv);
      expect(flag(steps[0]!.onlyIf!.argv, 'filter')).toBe(`name~/jobs/bao-cao-${job.name}$`);
      const timeout = FUNCTION_SPECS.find((f) => f.name === job.target)!.timeoutSeconds;
      for (const { argv } of steps) {
        const uri = functionUrl(options, job.target);
        expect(flag(argv, 'uri')).toBe(uri);
        expect(flag(argv, 'oidc-token-audience')).toBe(uri);
        expect(flag(argv, 'oidc-service-account-email')).toBe(
          'bao-cao-scheduler@bao-cao-hanoi.iam.gserviceaccount.com',
        );
        expect(JSON.parse(flag(argv, 'message-body')!)).toEqual(job.body);
        expect(flag(argv, 'schedule')).toBe(job.cron);
        expect(flag(argv, 'time-zone')).toBe('Asia/Ho_Chi_Minh');
        // Default 180 s is shorter than a 540 s function; HTTP targets allow 15 s to 30 min.
        expect(flag(argv, 'attempt-deadline')).toBe(`${timeout}s`);
        expect(flag(deployOf(job.target), 'timeout')).toBe(`${timeout}s`);
        expect(timeout).toBeGreaterThanOrEqual(15);
        expect(timeout).toBeLessThanOrEqual(1800);
      }
      expect(steps[0]!.argv).toContain('--headers=Content-Type=application/json');
      expect(steps[1]!.argv).toContain('--update-headers=Content-Type=application/json');
    }
    for (const target of new Set(SCHEDULED_JOBS.map((j) => j.target))) {
      expect(
        plan.some((c) =>
          c.argv
            .join(' ')
            .startsWith(
              `gcloud functions add-invoker-policy-binding ${target} --region=asia-southeast1 --member=serviceAccount:bao-cao-scheduler@`,
            ),
        ),
      ).toBe(true);
    }
  });

  it('gives every function an environment the configuration parser accepts, secrets from Secret Manager only', () => {
    for (const functionSpec of FUNCTION_SPECS) {
      const argv = deployOf(functionSpec.name);
      const envFlag = flag(argv, 'set-env-vars')!;
      expect(envFlag.startsWith('^;^')).toBe(true);
      const env = Object.fromEntries(
        envFlag
          .slice(3)
          .split(';')
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      expect(env).not.toHaveProperty('WEBHOOK_SECRET');
      expect(env).not.toHaveProperty('SMTP_PASSWORD');
      expect(env).not.toHaveProperty('GOOGLE_IMPERSONATE_SUBJECT');
      // The webhook secret pinned to the version read just before (a new version changes nothing until a redeploy).
      expect(flag(argv, 'set-secrets')).toBe(
        `WEBHOOK_SECRET=${SECRETS.webhook}:\${WEBHOOK_VERSION},SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`,
      );
      // What the function sees at run time: the env plus the mounted secrets.
      const config = parseConfig({ ...env, WEBHOOK_SECRET: 'x'.repeat(64), SMTP_PASSWORD: 'mat-khau' });
      expect(config.google).toEqual({ mode: 'google', timeoutMs: 30_000 });
      expect(config.scheduler).toEqual({
        mode: 'oidc',
        audience: functionUrl(options, functionSpec.name),
        serviceAccount: 'bao-cao-scheduler@bao-cao-hanoi.iam.gserviceaccount.com',
      });
      expect(config.webhook.url).toBe(functionUrl(options, 'driveWebhook'));
      expect(config.sharedDriveId).toBe('0AbCdEf');
      expect(config.smtp).toMatchObject({ host: 'smtp.hanoi.gov.vn', port: 587, pass: 'mat-khau' });
    }
  });

  it('provisions as the functions service account: the operator may act as it, and the provision step gets a configuration the CLI accepts', () => {
    const grant = plan.find(
      (c) =>
        c.argv.includes('roles/iam.serviceAccountTokenCreator') ||
        c.argv.includes('--role=roles/iam.serviceAccountTokenCreator'),
    )!;
    expect(grant.argv.slice(0, 5)).toEqual(['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', FN_SA]);
    expect(flag(grant.argv, 'member')).toBe('user:van-hanh@hanoi.gov.vn');
    expect(plan[0]!.argv).toContain('iamcredentials.googleapis.com');
    const provision = plan.at(-1)!;
    expect(provision.argv).toEqual(['npm', 'run', 'provision', '--', '--target', 'google']);
    expect(plan.indexOf(grant)).toBeLessThan(plan.indexOf(provision));
    const { WEBHOOK_SECRET, ...literal } = provision.env!;
    expect(WEBHOOK_SECRET).toEqual({
      fromCommand: [
        'gcloud',
        'secrets',
        'versions',
        'access',
        '${WEBHOOK_VERSION}',
        `--secret=${SECRETS.webhook}`,
        '--project',
        'bao-cao-hanoi',
      ],
    });
    const config = googleSessionConfig(
      parseConfig({ ...(literal as Record<string, string>), WEBHOOK_SECRET: 'x'.repeat(64) }),
    );
    expect(config.google).toEqual({ mode: 'google', timeoutMs: 30_000, actAs: FN_SA });
    expect(config.sharedDriveId).toBe('0AbCdEf');
    // A group or another principal is passed through as the IAM member.
    const viaGroup = deploymentPlan({ ...options, operator: 'group:van-hanh@hanoi.gov.vn' });
    expect(viaGroup.some((c) => c.argv.includes('--member=group:van-hanh@hanoi.gov.vn'))).toBe(true);
  });

  it('adds a webhook secret value only while the secret has none, and refuses to deploy functions while the SMTP password has none', () => {
    const adds = plan.filter((c) => c.argv.slice(0, 5).join(' ') === `gcloud secrets versions add ${SECRETS.webhook}`);
    expect(adds).toHaveLength(1);
    expect(adds[0]!.onlyIf).toEqual({
      argv: [
        'gcloud',
        'secrets',
        'versions',
        'list',
        SECRETS.webhook,
        '--filter=state:ENABLED',
        '--limit=1',
        '--format=value(name)',
        '--project',
        'bao-cao-hanoi',
      ],
      when: 'absent',
      meaning: expect.stringContaining('chưa có phiên bản nào đang bật'),
    });
    const check = plan.findIndex((c) => c.check);
    expect(plan[check]!.argv.slice(0, 5)).toEqual(['gcloud', 'secrets', 'versions', 'list', SECRETS.smtpPassword]);
    expect(plan[check]!.check!.failure).toMatch(
      /chưa có giá trị.*gcloud secrets versions add bao-cao-smtp-password --data-file=-/,
    );
    const firstDeploy = plan.findIndex((c) => c.argv.slice(0, 3).join(' ') === 'gcloud functions deploy');
    expect(check).toBeGreaterThan(
      plan.findIndex(
        (c) => c.argv.slice(0, 3).join(' ') === `gcloud secrets create` && c.argv[3] === SECRETS.smtpPassword,
      ),
    );
    expect(check).toBeLessThan(firstDeploy);
    // The version the functions mount is read after the conditional add, before any deploy.
    const pin = plan.findIndex((c) => c.capture === 'WEBHOOK_VERSION');
    expect(plan[pin]!.argv.slice(0, 5)).toEqual(['gcloud', 'secrets', 'versions', 'describe', 'latest']);
    expect(pin).toBeGreaterThan(plan.indexOf(adds[0]!));
    expect(pin).toBeLessThan(firstDeploy);
  });

  it('refuses incomplete options with the missing names, and the retired domain-wide delegation', async () => {
    const bad = deployOptionsSchema.safeParse({
      project: 'bao-cao-hanoi',
      mailFrom: 'x <x@y.vn>',
      sharedDriveId: 'a',
      operator: 'a@b.vn',
    });
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['smtpHost']);
    const noDrive = deployOptionsSchema.safeParse({ project: 'bao-cao-hanoi', smtpHost: 'h', mailFrom: 'x <x@y.vn>' });
    expect(noDrive.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['sharedDriveId', expect.stringMatching(/^cần --shared-drive-id/)],
      ['operator', expect.stringMatching(/^cần --operator <email>/)],
    ]);
    const badOperator = deployOptionsSchema.safeParse({ ...options, operator: 'khong-phai-email' });
    expect(badOperator.error!.issues.map((i) => i.path.join('.'))).toEqual(['operator']);
    const run = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'scripts/deploy.ts',
        '--project',
        'bao-cao-hanoi',
        '--smtp-host',
        'h',
        '--mail-from',
        'x@y.vn',
        '--operator',
        'a@b.vn',
        '--impersonate',
        'bao-cao@hanoi.gov.vn',
        '--dry-run',
      ],
      { timeout: 60_000 },
    ).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(run?.code).toBe(2);
    expect(run?.stderr).toMatch(/--impersonate \(ủy quyền toàn miền\) đã bị bỏ.*--shared-drive-id/);
  }, 60_000);

  it('prints the exact commands on --dry-run, through the real entry point: nodejs22, run.invoker for the trigger account, attempt deadlines, the conditional secret step', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'scripts/deploy.ts',
        '--project',
        'bao-cao-hanoi',
        '--smtp-host',
        'smtp.hanoi.gov.vn',
        '--mail-from',
        'Phong XDPT <xdpt@hanoi.gov.vn>',
        '--shared-drive-id',
        '0AbCdEf',
        '--operator',
        'van-hanh@hanoi.gov.vn',
        '--dry-run',
      ],
      { timeout: 60_000 },
    );
    const lines = stdout.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(plan.map(shellLine));
    expect(stdout).toContain('gcloud functions deploy driveWebhook --gen2 --runtime=nodejs22');
    expect(stdout).toContain(
      `gcloud functions add-invoker-policy-binding onPollRequested --region=asia-southeast1 --member=serviceAccount:${FN_SA}`,
    );
    expect(stdout.match(/--attempt-deadline=540s/g)).toHaveLength(SCHEDULED_JOBS.length * 2);
    expect(stdout).toContain(
      `if [ -z "$(gcloud secrets versions list ${SECRETS.webhook} --filter=state:ENABLED --limit=1 '--format=value(name)' --project bao-cao-hanoi)" ]; then openssl rand -hex 32 | tr -d '\\n' | gcloud secrets versions add ${SECRETS.webhook} --data-file=- --project bao-cao-hanoi; fi`,
    );
    expect(stdout).toContain(`#    chỉ khi bí mật ${SECRETS.webhook} chưa có phiên bản nào đang bật`);
    expect(stdout).toContain(
      `WEBHOOK_VERSION="$(gcloud secrets versions describe latest --secret=${SECRETS.webhook} '--format=value(name.basename())' --project bao-cao-hanoi)"`,
    );
    expect(stdout).toContain(
      `"--set-secrets=WEBHOOK_SECRET=${SECRETS.webhook}:\${WEBHOOK_VERSION},SMTP_PASSWORD=${SECRETS.smtpPassword}:latest"`,
    );
    expect(stdout).toContain(
      `WEBHOOK_SECRET="$(gcloud secrets versions access "\${WEBHOOK_VERSION}" --secret=${SECRETS.webhook} --project bao-cao-hanoi)" npm run provision -- --target google`,
    );
  }, 60_000);
});

/**
 * The runner against a fake gcloud that answers reads from a table of what exists, and records
 * what ran: the re-run is the case that matters (a second webhook secret version would break the
 * live Drive channel and every Apps Script copy).
 */
describe('running the plan', () => {
  /** Secret versions are numbered from 1; `latest` is the newest; an add creates the next. */
  function fakeGcloud(existing: { webhookVersions: number; smtpVersion: boolean; jobs: boolean }) {
    let webhookVersions = existing.webhookVersions;
    const ran: { argv: string[]; input?: string; env?: Record<string, string> }[] = [];
    const exec: Exec = (argv, opts) => {
      const text = argv.join(' ');
      const answer = (stdout: string) => ({ status: 0, stdout, stderr: '' });
      if (opts.capture) {
        if (text.startsWith(`gcloud secrets versions list ${SECRETS.webhook} `))
          return answer(webhookVersions ? `projects/1/secrets/x/versions/${webhookVersions}\n` : '');
        if (text.startsWith(`gcloud secrets versions list ${SECRETS.smtpPassword} `))
          return answer(existing.smtpVersion ? 'projects/1/secrets/y/versions/1\n' : '');
        if (text.startsWith('gcloud scheduler jobs list '))
          return answer(existing.jobs ? 'projects/p/locations/l/jobs/j\n' : '');
        if (text.startsWith('gcloud secrets versions access '))
          return answer(`bi-mat-phien-ban-${argv[4]}-0123456789abcdef\n`);
        if (text.startsWith('gcloud secrets versions describe latest '))
          return webhookVersions ? answer(`${webhookVersions}\n`) : { status: 1, stdout: '', stderr: 'NOT_FOUND' };
        return { status: 1, stdout: '', stderr: `unexpected read ${text}` };
      }
      ran.push({
        argv,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
        ...(opts.env ? { env: opts.env } : {}),
      });
      if (text.startsWith(`gcloud secrets versions add ${SECRETS.webhook} `)) webhookVersions += 1;
      if (existing.webhookVersions && /create/.test(text) && !text.includes('scheduler'))
        return { status: 1, stdout: '', stderr: 'ERROR: ALREADY_EXISTS' };
      return answer('');
    };
    const out: string[] = [];
    const err: string[] = [];
    return { exec, ran, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  }
  const startsWith = (argv: string[], prefix: string) => argv.join(' ').startsWith(prefix);

  it('a first run adds the webhook secret value once and creates the scheduler jobs', () => {
    const gcloud = fakeGcloud({ webhookVersions: 0, smtpVersion: true, jobs: false });
    expect(runPlan(plan, gcloud.exec, gcloud.io, () => 'gia-tri-ngau-nhien')).toBe(0);
    const adds = gcloud.ran.filter((r) => startsWith(r.argv, `gcloud secrets versions add ${SECRETS.webhook}`));
    expect(adds).toEqual([{ argv: expect.any(Array), input: 'gia-tri-ngau-nhien' }]);
    for (const command of gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud functions deploy')))
      expect(flag(command.argv, 'set-secrets')).toMatch(new RegExp(`^WEBHOOK_SECRET=${SECRETS.webhook}:1,`));
    expect(gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud scheduler jobs create http'))).toHaveLength(
      SCHEDULED_JOBS.length,
    );
    expect(gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud scheduler jobs update http'))).toHaveLength(0);
    expect(gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud functions deploy'))).toHaveLength(FUNCTION_SPECS.length);
  });

  it('a re-run adds no webhook secret version and updates the scheduler jobs in place', () => {
    const gcloud = fakeGcloud({ webhookVersions: 2, smtpVersion: true, jobs: true });
    expect(runPlan(plan, gcloud.exec, gcloud.io, () => 'gia-tri-ngau-nhien')).toBe(0);
    for (const command of gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud functions deploy')))
      expect(flag(command.argv, 'set-secrets')).toMatch(new RegExp(`^WEBHOOK_SECRET=${SECRETS.webhook}:2,`));
    expect(gcloud.ran.some((r) => startsWith(r.argv, `gcloud secrets versions add`))).toBe(false);
    expect(gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud scheduler jobs create http'))).toHaveLength(0);
    expect(gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud scheduler jobs update http'))).toHaveLength(
      SCHEDULED_JOBS.length,
    );
    expect(gcloud.out.join('')).toContain(
      `Bỏ qua: điều kiện "bí mật ${SECRETS.webhook} chưa có phiên bản nào đang bật" không đúng.`,
    );
    // The provision step got the configuration, the secret read from Secret Manager included.
    const provision = gcloud.ran.at(-1)!;
    expect(provision.argv).toEqual(['npm', 'run', 'provision', '--', '--target', 'google']);
    expect(provision.env).toMatchObject({
      WEBHOOK_SECRET: 'bi-mat-phien-ban-2-0123456789abcdef',
      SERVICE_ACCOUNT_EMAIL: FN_SA,
      SHARED_DRIVE_ID: '0AbCdEf',
    });
  });

  it('stops before building or deploying any function while the SMTP password has no value, saying how to add it', () => {
    const gcloud = fakeGcloud({ webhookVersions: 1, smtpVersion: false, jobs: true });
    expect(runPlan(plan, gcloud.exec, gcloud.io, () => 'x')).toBe(1);
    expect(
      gcloud.ran.some((r) => startsWith(r.argv, 'npm run build') || startsWith(r.argv, 'gcloud functions deploy')),
    ).toBe(false);
    expect(gcloud.err.join('')).toMatch(
      /Bí mật bao-cao-smtp-password chưa có giá trị nên chưa thể triển khai các hàm\. Thêm mật khẩu SMTP rồi chạy lại: printf %s "<mật khẩu SMTP>" \| gcloud secrets versions add bao-cao-smtp-password --data-file=- --project bao-cao-hanoi/,
    );
  });

  it('rotation: remembers the version in use, adds a new one, and redeploys every function accepting both; finishing accepts the new one alone and disables the old', () => {
    const gcloud = fakeGcloud({ webhookVersions: 4, smtpVersion: true, jobs: true });
    expect(runPlan(rotateWebhookSecretPlan(options), gcloud.exec, gcloud.io, () => 'moi')).toBe(0);
    const order = gcloud.ran.map((r) => r.argv.slice(0, 4).join(' '));
    expect(order[0]).toBe('gcloud secrets versions add');
    expect(gcloud.ran[0]!.input).toBe('moi');
    const deploys = gcloud.ran.filter((r) => startsWith(r.argv, 'gcloud functions deploy'));
    expect(deploys).toHaveLength(FUNCTION_SPECS.length);
    for (const deploy of deploys)
      expect(flag(deploy.argv, 'set-secrets')).toBe(
        `WEBHOOK_SECRET=${SECRETS.webhook}:5,WEBHOOK_SECRET_PREVIOUS=${SECRETS.webhook}:4,SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`,
      );
    // What the functions then see: both secrets accepted.
    const env = Object.fromEntries(
      flag(deploys[0]!.argv, 'set-env-vars')!
        .slice(3)
        .split(';')
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    expect(
      parseConfig({ ...env, WEBHOOK_SECRET: 'n'.repeat(64), WEBHOOK_SECRET_PREVIOUS: 'o'.repeat(64) }).webhook
        .previousSecret,
    ).toBe('o'.repeat(64));

    const finished = fakeGcloud({ webhookVersions: 5, smtpVersion: true, jobs: true });
    expect(runPlan(finishWebhookRotationPlan(options, '4'), finished.exec, finished.io, () => 'x')).toBe(0);
    expect(finished.ran.filter((r) => r.argv[2] === 'deploy').map((r) => flag(r.argv, 'set-secrets'))).toEqual(
      FUNCTION_SPECS.map(() => `WEBHOOK_SECRET=${SECRETS.webhook}:5,SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`),
    );
    expect(finished.ran.at(-1)!.argv).toEqual([
      'gcloud',
      'secrets',
      'versions',
      'disable',
      '4',
      `--secret=${SECRETS.webhook}`,
      '--project',
      'bao-cao-hanoi',
    ]);
    // The dry run keeps the version a shell variable.
    const printed = rotateWebhookSecretPlan(options).map(shellLine);
    expect(printed[0]).toBe(
      `PREVIOUS_VERSION="$(gcloud secrets versions describe latest --secret=${SECRETS.webhook} '--format=value(name.basename())' --project bao-cao-hanoi)"`,
    );
    expect(printed.find((l) => l.startsWith('gcloud functions deploy driveWebhook'))).toContain(
      `"--set-secrets=WEBHOOK_SECRET=${SECRETS.webhook}:\${WEBHOOK_VERSION},WEBHOOK_SECRET_PREVIOUS=${SECRETS.webhook}:\${PREVIOUS_VERSION},SMTP_PASSWORD=`,
    );
  });

  it('a read that fails (no login, no permission) stops the plan instead of guessing', () => {
    const exec: Exec = (argv, opts) =>
      opts.capture
        ? { status: 1, stdout: '', stderr: 'ERROR: You do not currently have an active account selected.\n' }
        : { status: 0, stdout: '', stderr: '' };
    const err: string[] = [];
    const ran: string[] = [];
    const plan1: PlannedCommand[] = deploymentPlan(options).filter((c) => c.onlyIf || c.argv[0] === 'npm');
    expect(
      runPlan(
        plan1,
        (a, o) => (o.capture ? exec(a, o) : (ran.push(a.join(' ')), exec(a, o))),
        { out: () => {}, err: (t) => err.push(t) },
        () => 'x',
      ),
    ).toBe(1);
    expect(ran).toEqual([]);
    expect(err.join('')).toMatch(/không đọc được .*kiểm tra đăng nhập gcloud/);
  });
});

describe('the build', () => {
  let out: string | undefined;
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('packages functions that load and register, with the campaign file and no development-only import', async () => {
    out = await build({ outDir: await mkdtemp(join(tmpdir(), 'bao-cao-build-')), lock: false });
    const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8')) as {
      main: string;
      engines: { node: string };
      dependencies: Record<string, string>;
      devDependencies?: unknown;
    };
    expect(pkg.main).toBe('functions/index.js');
    expect(pkg.engines).toEqual({ node: String(FUNCTIONS_RUNTIME.nodeMajor) });
    expect(`nodejs${pkg.engines.node}`).toBe(FUNCTIONS_RUNTIME.id);
    expect(pkg.devDependencies).toBeUndefined();
    await expect(readFile(join(out, 'sheets-schema/hanoi-521-2020.json'), 'utf8')).resolves.toContain('"ubnd-ba-dinh"');
    const root = JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const dev = Object.keys(root.devDependencies).filter((d) => !d.startsWith('@types/'));
    const files = (await readdir(out, { recursive: true })).filter((f) => String(f).endsWith('.js'));
    for (const file of files) {
      const source = await readFile(join(out, String(file)), 'utf8');
      for (const dependency of dev)
        expect(source, `${file} imports ${dependency}`).not.toMatch(
          new RegExp(`from ['"]${dependency}(/|['"])|import\\(['"]${dependency}(/|['"])`),
        );
    }
    // Cloud Build installs the dependencies beside the code (npm ci); the project's own stand in.
    await symlink(resolve('node_modules'), join(out, 'node_modules'), 'dir');
    expect(await registeredFunctions(out)).toEqual(Object.keys(FUNCTIONS));
  }, 120_000);
});
