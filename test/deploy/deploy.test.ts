/**
 * Issue 6, "the road to Google Cloud", checked as far as this machine allows: the build
 * packages functions that load and register, importing no development-only package; the
 * deployment plan deploys every registered function with the right trigger and access,
 * schedules every job with OIDC and the very body the local scheduler sends, and gives each
 * function an environment the real configuration parser accepts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';
import { FUNCTIONS } from '../../functions/index.js';
import { SCHEDULED_JOBS } from '../../functions/schedule.js';
import { build, registeredFunctions } from '../../scripts/build.js';
import { FUNCTION_SPECS, SECRETS, deployOptionsSchema, deploymentPlan, functionUrl, shellLine } from '../../scripts/deploy/plan.js';

const options = deployOptionsSchema.parse({ project: 'bao-cao-hanoi', smtpHost: 'smtp.hanoi.gov.vn', mailFrom: 'Phong XDPT <xdpt@hanoi.gov.vn>', sharedDriveId: '0AbCdEf' });
const plan = deploymentPlan(options);
const flag = (argv: string[], name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const deployOf = (name: string) => plan.find((c) => c.argv.slice(0, 4).join(' ') === `gcloud functions deploy ${name}`)!.argv;

describe('the deployment plan', () => {
  it('deploys exactly the functions the entry module registers, 2nd gen on Node 20', () => {
    expect(FUNCTION_SPECS.map((f) => f.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const name of Object.keys(FUNCTIONS)) {
      const argv = deployOf(name);
      expect(argv).toContain('--gen2');
      expect(flag(argv, 'runtime')).toBe('nodejs20');
      expect(flag(argv, 'entry-point')).toBe(name);
      expect(flag(argv, 'service-account')).toBe('bao-cao-functions@bao-cao-hanoi.iam.gserviceaccount.com');
      expect(flag(argv, 'source')).toBe('dist/deploy');
    }
  });

  it('opens to the internet only what authenticates itself, and triggers the event functions from Firestore', () => {
    for (const name of ['driveWebhook', 'sheetAction']) expect(deployOf(name)).toContain('--allow-unauthenticated');
    for (const name of ['complianceSweep', 'maintenance']) expect(deployOf(name)).toContain('--no-allow-unauthenticated');
    for (const [name, collection] of [['onSubmissionWritten', 'submissions'], ['onPollRequested', 'pollRequests']] as const) {
      const argv = deployOf(name);
      expect(argv).toContain('--trigger-event-filters=type=google.cloud.firestore.document.v1.written');
      expect(flag(argv, 'trigger-event-filters-path-pattern')).toBe(`document=campaigns/{campaignId}/${collection}/${collection === 'submissions' ? '{submissionId}' : '{requestId}'}`);
      expect(argv).toContain('--retry');
      expect(FUNCTIONS[name].signature).toBe('cloudevent');
    }
  });

  it('deploys the Firestore rules and indexes of firebase.json with the firebase CLI, a dev dependency', async () => {
    const step = plan.find((c) => c.argv.includes('firestore:rules,firestore:indexes'))!;
    expect(step.argv.slice(0, 3)).toEqual(['npx', 'firebase', 'deploy']);
    expect(flag(step.argv, 'project') ?? step.argv[step.argv.indexOf('--project') + 1]).toBe('bao-cao-hanoi');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.devDependencies['firebase-tools']).toBeDefined();
    expect(pkg.dependencies['firebase-tools']).toBeUndefined();
    // Not run here: firebase-tools stays off every path npm test needs.
  });

  it('schedules every job with OIDC, calling the same function with the same body as the local scheduler', () => {
    for (const job of SCHEDULED_JOBS) {
      const argv = plan.find((c) => c.argv.includes(`bao-cao-${job.name}`))!.argv;
      const uri = functionUrl(options, job.target);
      expect(flag(argv, 'uri')).toBe(uri);
      expect(flag(argv, 'oidc-token-audience')).toBe(uri);
      expect(flag(argv, 'oidc-service-account-email')).toBe('bao-cao-scheduler@bao-cao-hanoi.iam.gserviceaccount.com');
      expect(JSON.parse(flag(argv, 'message-body')!)).toEqual(job.body);
      expect(flag(argv, 'schedule')).toBe(job.cron);
      expect(flag(argv, 'time-zone')).toBe('Asia/Ho_Chi_Minh');
    }
    for (const target of new Set(SCHEDULED_JOBS.map((j) => j.target))) {
      expect(plan.some((c) => c.argv.join(' ').startsWith(`gcloud functions add-invoker-policy-binding ${target} `))).toBe(true);
    }
  });

  it('gives every function an environment the configuration parser accepts, secrets from Secret Manager only', () => {
    for (const fn of FUNCTION_SPECS) {
      const argv = deployOf(fn.name);
      const envFlag = flag(argv, 'set-env-vars')!;
      expect(envFlag.startsWith('^;^')).toBe(true);
      const env = Object.fromEntries(envFlag.slice(3).split(';').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      expect(env).not.toHaveProperty('WEBHOOK_SECRET');
      expect(env).not.toHaveProperty('SMTP_PASSWORD');
      expect(flag(argv, 'set-secrets')).toBe(`WEBHOOK_SECRET=${SECRETS.webhook}:latest,SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`);
      // What the function sees at run time: the env plus the mounted secrets.
      const config = parseConfig({ ...env, WEBHOOK_SECRET: 'x'.repeat(64), SMTP_PASSWORD: 'mat-khau' });
      expect(config.google).toEqual({ mode: 'google', timeoutMs: 30_000 });
      expect(config.scheduler).toEqual({ mode: 'oidc', audience: functionUrl(options, fn.name), serviceAccount: 'bao-cao-scheduler@bao-cao-hanoi.iam.gserviceaccount.com' });
      expect(config.webhook.url).toBe(functionUrl(options, 'driveWebhook'));
      expect(config.sharedDriveId).toBe('0AbCdEf');
      expect(config.smtp).toMatchObject({ host: 'smtp.hanoi.gov.vn', port: 587, pass: 'mat-khau' });
    }
  });

  it('refuses incomplete options with the missing names', () => {
    const bad = deployOptionsSchema.safeParse({ project: 'bao-cao-hanoi', mailFrom: 'x <x@y.vn>' });
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['smtpHost']);
    const noDrive = deployOptionsSchema.safeParse({ project: 'bao-cao-hanoi', smtpHost: 'h', mailFrom: 'x <x@y.vn>' });
    expect(noDrive.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['sharedDriveId', expect.stringMatching(/chọn đúng một cách sở hữu tệp/)]]);
    const both = deployOptionsSchema.safeParse({ project: 'bao-cao-hanoi', smtpHost: 'h', mailFrom: 'x <x@y.vn>', sharedDriveId: 'a', impersonate: 'bao-cao@hanoi.gov.vn' });
    expect(both.error!.issues[0]!.message).toMatch(/chọn đúng một cách sở hữu tệp/);
  });

  it('prints the exact commands on --dry-run, through the real entry point', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/deploy.ts', '--project', 'bao-cao-hanoi', '--smtp-host', 'smtp.hanoi.gov.vn', '--mail-from', 'X <x@hanoi.gov.vn>', '--impersonate', 'bao-cao@hanoi.gov.vn', '--dry-run'], { timeout: 60_000 });
    const lines = stdout.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toHaveLength(plan.length);
    expect(stdout).toContain('gcloud functions deploy driveWebhook --gen2 --runtime=nodejs20');
    expect(stdout).toContain('GOOGLE_IMPERSONATE_SUBJECT=bao-cao@hanoi.gov.vn');
    expect(shellLine(plan.find((c) => c.stdin === 'random-secret')!)).toMatch(/^openssl rand -hex 32 \| tr -d '\\n' \| gcloud secrets versions add /);
  }, 60_000);
});

describe('the build', () => {
  let out: string | undefined;
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('packages functions that load and register, with the campaign file and no development-only import', async () => {
    out = await build({ outDir: await mkdtemp(join(tmpdir(), 'bao-cao-build-')), lock: false });
    expect(await registeredFunctions(out)).toEqual(Object.keys(FUNCTIONS));
    const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies?: unknown };
    expect(pkg.main).toBe('functions/index.js');
    expect(pkg.devDependencies).toBeUndefined();
    await expect(readFile(join(out, 'sheets-schema/hanoi-521-2020.json'), 'utf8')).resolves.toContain('"ubnd-ba-dinh"');
    const root = JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const dev = Object.keys(root.devDependencies).filter((d) => !d.startsWith('@types/'));
    const files = (await readdir(out, { recursive: true })).filter((f) => String(f).endsWith('.js'));
    for (const f of files) {
      const js = await readFile(join(out, String(f)), 'utf8');
      for (const d of dev) expect(js, `${f} imports ${d}`).not.toMatch(new RegExp(`from ['"]${d}(/|['"])|import\\(['"]${d}(/|['"])`));
    }
  }, 120_000);
});
