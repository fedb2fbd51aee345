/**
 * The preflight's pure parts: what it expects is read off the deployment plan (so it cannot
 * drift from `npm run deploy`), the gcloud commands of the google platform are exact, gcloud's
 * answers are judged with a Vietnamese fix that is the plan's own command, and a failing or
 * throwing check makes the run fail (exit 1) without stopping the cleanup.
 */
import { describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS } from '../../functions/schedule.js';
import {
  FUNCTION_SPECS,
  SECRETS,
  deployOptionsSchema,
  deploymentPlan,
  shellLine,
  type PlannedCommand,
} from '../../scripts/deploy/plan.js';
import { durationSeconds, expectationsOf, planFor } from '../../scripts/preflight/expectations.js';
import {
  gcloudCommands,
  googlePlatform,
  judgeBinding,
  judgeJobs,
  judgeRuntimes,
  judgeSecret,
} from '../../scripts/preflight/google-platform.js';
import { localPlatform } from '../../scripts/preflight/local-platform.js';
import { platformChecks } from '../../scripts/preflight/platform-checks.js';
import {
  exitCodeOf,
  fail,
  formatResult,
  pass,
  runChecks,
  type Check,
  type CheckResult,
} from '../../scripts/preflight/report.js';

const PROJECT = 'bao-cao-hanoi';
const REGION = 'asia-southeast1';
const options = deployOptionsSchema.parse({
  project: PROJECT,
  smtpHost: 'smtp.hanoi.gov.vn',
  mailFrom: 'X <x@hanoi.gov.vn>',
  sharedDriveId: '0AbCdEf',
  operator: 'ops@hanoi.gov.vn',
});
const plan = deploymentPlan(options);
const { expectations: x } = planFor({ project: PROJECT, sharedDriveId: '0AbCdEf', operator: 'ops@hanoi.gov.vn' });
const FN_SA = `serviceAccount:bao-cao-functions@${PROJECT}.iam.gserviceaccount.com`;
const SCHED_SA = `bao-cao-scheduler@${PROJECT}.iam.gserviceaccount.com`;

describe('expectations read off the deployment plan', () => {
  it('has one binding per IAM step of the plan, each fixed by that very step', () => {
    const iamSteps = plan.filter(
      (c) => c.argv.includes('add-iam-policy-binding') || c.argv.includes('add-invoker-policy-binding'),
    );
    expect(iamSteps.length).toBeGreaterThan(0);
    expect(x.bindings.map((b) => b.fix).sort()).toEqual(iamSteps.map(shellLine).sort());
    const invokers = x.bindings.filter((b) => b.group.join(' ') === 'functions');
    expect(invokers.map((b) => [b.resource, b.role, b.member])).toEqual(
      expect.arrayContaining(
        FUNCTION_SPECS.filter((f) => f.trigger === 'http-private').map((f) => [
          f.name,
          'roles/run.invoker',
          `serviceAccount:${SCHED_SA}`,
        ]),
      ),
    );
    expect(x.bindings).toContainEqual(
      expect.objectContaining({ group: ['projects'], resource: PROJECT, role: 'roles/datastore.user', member: FN_SA }),
    );
  });

  it('expects every secret, function runtime and scheduler job the plan creates', () => {
    expect(x.secrets.map((s) => s.name).sort()).toEqual(Object.values(SECRETS).sort());
    // The webhook secret's value comes from the plan; the SMTP password is the operator's to add.
    expect(x.secrets.find((s) => s.name === SECRETS.webhook)?.addVersion).toMatch(
      /gcloud secrets versions add bao-cao-webhook-secret/,
    );
    expect(x.functions.map((f) => f.name)).toEqual(FUNCTION_SPECS.map((f) => f.name));
    const runtimes = plan
      .filter((c) => c.argv.slice(0, 3).join(' ') === 'gcloud functions deploy')
      .map((c) => c.argv.find((a) => a.startsWith('--runtime='))!.slice(10));
    expect(x.functions.map((f) => f.runtime)).toEqual(runtimes);
    expect(x.jobs.map((j) => [j.targetFunction, j.body, j.schedule])).toEqual(
      SCHEDULED_JOBS.map((j) => [j.target, j.body, j.cron]),
    );
    expect(x.jobs[0]).toMatchObject({
      timeZone: 'Asia/Ho_Chi_Minh',
      oidcServiceAccount: SCHED_SA,
      uri: `https://${REGION}-${PROJECT}.cloudfunctions.net/${SCHEDULED_JOBS[0]!.target}`,
    });
  });

  it('follows steps the plan may grow: Cloud Run bindings, attempt deadlines', () => {
    const grown: PlannedCommand[] = [
      {
        title: 'Eventarc gọi hàm',
        argv: [
          'gcloud',
          'run',
          'services',
          'add-iam-policy-binding',
          'onpollrequested',
          `--region=${REGION}`,
          `--member=${FN_SA}`,
          '--role=roles/run.invoker',
          '--project',
          PROJECT,
        ],
      },
      {
        title: 'Lịch',
        argv: [
          'gcloud',
          'scheduler',
          'jobs',
          'create',
          'http',
          'bao-cao-x',
          `--location=${REGION}`,
          '--schedule=* * * * *',
          '--uri=https://r-p.cloudfunctions.net/maintenance',
          '--message-body={"job":"x"}',
          '--attempt-deadline=9m',
        ],
      },
    ];
    const grownExpectations = expectationsOf(grown, options);
    expect(grownExpectations.bindings).toEqual([
      expect.objectContaining({
        group: ['run', 'services'],
        resource: 'onpollrequested',
        role: 'roles/run.invoker',
        locators: [`--region=${REGION}`],
      }),
    ]);
    expect(grownExpectations.jobs[0]).toMatchObject({
      name: 'bao-cao-x',
      targetFunction: 'maintenance',
      body: { job: 'x' },
      attemptDeadlineSeconds: 540,
    });
    expect([durationSeconds('540s'), durationSeconds('1h'), durationSeconds('abc')]).toEqual([540, 3600, null]);
  });
});

describe('the google platform', () => {
  const invoker = x.bindings.find((b) => b.group.join(' ') === 'functions' && b.resource === 'maintenance')!;
  const secretAccess = x.bindings.find((b) => b.group.join(' ') === 'secrets' && b.resource === SECRETS.webhook)!;
  const projectRole = x.bindings.find((b) => b.group.join(' ') === 'projects')!;

  it('builds the exact gcloud commands, JSON output, in the project and region of the plan', () => {
    expect(gcloudCommands.policy(projectRole, PROJECT)).toEqual([
      'gcloud',
      'projects',
      'get-iam-policy',
      PROJECT,
      '--format=json',
    ]);
    expect(gcloudCommands.policy(secretAccess, PROJECT)).toEqual([
      'gcloud',
      'secrets',
      'get-iam-policy',
      SECRETS.webhook,
      '--format=json',
      `--project=${PROJECT}`,
    ]);
    // A 2nd-gen function's invoker binding is on its Cloud Run service.
    expect(gcloudCommands.policy(invoker, PROJECT, 'maintenance')).toEqual([
      'gcloud',
      'run',
      'services',
      'get-iam-policy',
      'maintenance',
      `--region=${REGION}`,
      '--format=json',
      `--project=${PROJECT}`,
    ]);
    expect(gcloudCommands.secretVersions(SECRETS.smtpPassword, PROJECT)).toEqual([
      'gcloud',
      'secrets',
      'versions',
      'list',
      SECRETS.smtpPassword,
      `--project=${PROJECT}`,
      '--format=json',
    ]);
    expect(gcloudCommands.describeFunction('maintenance', REGION, PROJECT)).toEqual([
      'gcloud',
      'functions',
      'describe',
      'maintenance',
      `--region=${REGION}`,
      '--gen2',
      `--project=${PROJECT}`,
      '--format=json',
    ]);
    expect(gcloudCommands.schedulerJobs(REGION, PROJECT)).toEqual([
      'gcloud',
      'scheduler',
      'jobs',
      'list',
      `--location=${REGION}`,
      `--project=${PROJECT}`,
      '--format=json',
    ]);
  });

  it("says which role is missing for whom, and gives the plan's own command as the fix", () => {
    const missing = judgeBinding(
      { bindings: [{ role: 'roles/run.invoker', members: ['serviceAccount:someone-else@x.iam.gserviceaccount.com'] }] },
      invoker,
    );
    expect(missing.ok).toBe(false);
    expect(missing.detail).toBe(
      `Chưa cấp quyền roles/run.invoker cho serviceAccount:${SCHED_SA} trên functions maintenance`,
    );
    expect(missing.fix).toBe(
      `chạy: ${shellLine(plan.find((c) => c.argv.includes('add-invoker-policy-binding') && c.argv.includes('maintenance'))!)}`,
    );
    expect(
      judgeBinding({ bindings: [{ role: 'roles/run.invoker', members: [`serviceAccount:${SCHED_SA}`] }] }, invoker).ok,
    ).toBe(true);
  });

  it("fails a secret without an enabled version, a runtime other than the plan's, a job that differs", () => {
    const smtp = x.secrets.find((s) => s.name === SECRETS.smtpPassword)!;
    expect(judgeSecret([{ state: 'DISABLED' }], smtp, PROJECT)).toMatchObject({
      ok: false,
      fix: expect.stringContaining(`gcloud secrets versions add ${SECRETS.smtpPassword} --data-file=-`),
    });
    expect(judgeSecret([{ state: 'ENABLED' }], smtp, PROJECT).ok).toBe(true);

    const fns = [{ name: 'maintenance', runtime: 'nodejs22', fix: '' }];
    expect(
      judgeRuntimes(new Map([['maintenance', { state: 'ACTIVE', buildConfig: { runtime: 'nodejs22' } }]]), fns, PROJECT)
        .ok,
    ).toBe(true);
    expect(
      judgeRuntimes(
        new Map([['maintenance', { state: 'ACTIVE', buildConfig: { runtime: 'nodejs20' } }]]),
        fns,
        PROJECT,
      ),
    ).toMatchObject({ ok: false, detail: 'maintenance chạy nodejs20, kế hoạch là nodejs22' });
    // A plan still on a decommissioned runtime fails even when the deployment matches it.
    expect(
      judgeRuntimes(
        new Map([['maintenance', { buildConfig: { runtime: 'nodejs20' } }]]),
        [{ name: 'maintenance', runtime: 'nodejs20', fix: '' }],
        PROJECT,
      ).ok,
    ).toBe(false);

    const job = x.jobs[0]!;
    // The plan sets an attempt deadline on every job; Cloud Scheduler lists it as a duration.
    expect(job.attemptDeadlineSeconds).toBe(540);
    const asListed = (body: unknown, deadline = `${job.attemptDeadlineSeconds}s`) => ({
      name: `projects/${PROJECT}/locations/${REGION}/jobs/${job.name}`,
      schedule: job.schedule!,
      timeZone: job.timeZone!,
      state: 'ENABLED',
      attemptDeadline: deadline,
      httpTarget: {
        uri: job.uri!,
        body: Buffer.from(JSON.stringify(body)).toString('base64'),
        oidcToken: { serviceAccountEmail: SCHED_SA, audience: job.uri! },
      },
    });
    expect(judgeJobs([asListed(job.body)], [job]).ok).toBe(true);
    expect(judgeJobs([asListed({ job: 'other' })], [job])).toMatchObject({
      ok: false,
      detail: expect.stringContaining('nội dung gửi là {"job":"other"}'),
    });
    expect(judgeJobs([], [job])).toMatchObject({ ok: false, detail: `thiếu lịch ${job.name}`, fix: job.fix });
    expect(judgeJobs([asListed(job.body, '180s')], [{ ...job, attemptDeadlineSeconds: 540 }])).toMatchObject({
      ok: false,
      detail: expect.stringContaining('hạn mỗi lần gọi (giây) là 180 thay vì 540'),
    });
  });

  it('reads the invoker policy of the Cloud Run service the function describes', async () => {
    const calls: string[][] = [];
    const platform = googlePlatform(x, async (argv) => {
      calls.push(argv);
      if (argv[2] === 'describe')
        return {
          state: 'ACTIVE',
          buildConfig: { runtime: 'nodejs22' },
          serviceConfig: { service: `projects/${PROJECT}/locations/${REGION}/services/maintenance-svc` },
        };
      if (argv[3] === 'get-iam-policy')
        return { bindings: [{ role: 'roles/run.invoker', members: [`serviceAccount:${SCHED_SA}`] }] };
      throw new Error(`unexpected ${argv.join(' ')}`);
    });
    expect((await platform.binding(invoker)).ok).toBe(true);
    expect(calls).toEqual([
      gcloudCommands.describeFunction('maintenance', REGION, PROJECT),
      gcloudCommands.policy(invoker, PROJECT, 'maintenance-svc'),
    ]);
  });
});

describe('the local platform', () => {
  const local = (
    secrets: { webhook: string; scheduler: string } | null = { webhook: 'w'.repeat(48), scheduler: 's'.repeat(48) },
  ) =>
    localPlatform({
      functionUrls: {},
      secrets,
      secretsFile: '/tmp/state/secrets.json',
      nodeVersion: 'v20.20.2',
      projectId: 'demo-local',
    });

  it("requires the plan's jobs to be exactly the local scheduler's (functions/schedule.ts)", async () => {
    expect(await local().jobs(x.jobs)).toMatchObject({ ok: true });
    const withoutLast = await local().jobs(x.jobs.slice(0, -1));
    expect(withoutLast).toMatchObject({
      ok: false,
      detail: `bộ lập lịch cục bộ chạy ${SCHEDULED_JOBS.at(-1)!.name} nhưng kế hoạch triển khai không tạo lịch đó`,
    });
    const otherBody = await local().jobs([{ ...x.jobs[0]!, body: { job: 'other' } }, ...x.jobs.slice(1)]);
    expect(otherBody.ok).toBe(false);
    expect(otherBody.detail).toContain(`lịch ${x.jobs[0]!.name} (maintenance {"job":"other"}`);
  });

  it("names the local Node next to the plan's runtime, and fails a webhook secret it cannot read", async () => {
    const result = await local().runtimes([{ name: 'maintenance', runtime: 'nodejs22', fix: '' }]);
    expect(result).toMatchObject({
      ok: true,
      detail: expect.stringContaining('cục bộ các hàm chạy trên Node 20.20.2; bản triển khai dùng nodejs22'),
    });
    expect((await local().runtimes([{ name: 'maintenance', runtime: null, fix: '' }])).ok).toBe(false);
    const webhook = x.secrets.find((s) => s.name === SECRETS.webhook)!;
    expect(await local(null).secret(webhook)).toMatchObject({
      ok: false,
      fix: expect.stringContaining('/tmp/state/secrets.json'),
    });
    expect((await local().secret(webhook)).ok).toBe(true);
  });
});

describe('a failing check', () => {
  it('prints its Vietnamese fix, makes the exit code 1, and does not stop the rest or the cleanup', async () => {
    const printed: CheckResult[] = [];
    let cleaned = false;
    const checks: Check[] = [
      { id: 'ok', title: 'Bước đạt', run: async () => pass('tốt') },
      {
        id: 'broken',
        title: 'Bước hỏng',
        run: async () =>
          fail(
            'Chưa cấp quyền roles/run.invoker cho serviceAccount:a@b',
            'chạy: gcloud functions add-invoker-policy-binding maintenance …',
          ),
      },
      { id: 'throws', title: 'Bước ném lỗi', run: async () => Promise.reject(new Error('mạng hỏng')) },
      { id: 'after', title: 'Bước sau', run: async () => pass('vẫn chạy') },
    ];
    const report = await runChecks(
      'google',
      checks,
      { id: 'cleanup', title: 'Dọn dẹp', run: async () => ((cleaned = true), pass('xong')) },
      (r) => printed.push(r),
    );
    expect(exitCodeOf(report)).toBe(1);
    expect(report.ok).toBe(false);
    expect(printed.map((r) => [r.id, r.ok])).toEqual([
      ['ok', true],
      ['broken', false],
      ['throws', false],
      ['after', true],
      ['cleanup', true],
    ]);
    expect(cleaned).toBe(true);
    expect(formatResult(printed[1]!)).toBe(
      '✘ LỖI  Bước hỏng: Chưa cấp quyền roles/run.invoker cho serviceAccount:a@b\n        → Cách sửa: chạy: gcloud functions add-invoker-policy-binding maintenance …\n',
    );
    expect(printed[2]).toMatchObject({
      ok: false,
      detail: 'Lỗi: mạng hỏng',
      fix: expect.stringMatching(/chạy lại npm run preflight/),
    });
    expect(formatResult(printed[0]!)).toBe('✔ ĐẠT  Bước đạt: tốt\n');
    expect(exitCodeOf(await runChecks('local', [checks[0]!], checks[3]!))).toBe(0);
  });

  it("a platform that finds a binding missing fails that check with the plan's command", async () => {
    const platform = googlePlatform(x, async (argv) =>
      argv[3] === 'get-iam-policy' || argv[2] === 'get-iam-policy'
        ? { bindings: [] }
        : argv[2] === 'describe'
          ? { state: 'ACTIVE' }
          : [],
    );
    const invokerCheck = platformChecks(x, platform).find((c) =>
      c.id.startsWith('iam:functions:maintenance:roles/run.invoker'),
    )!;
    const report = await runChecks('google', [invokerCheck], {
      id: 'cleanup',
      title: 'Dọn dẹp',
      run: async () => pass('xong'),
    });
    expect(report.checks[0]).toMatchObject({
      ok: false,
      fix: expect.stringMatching(
        /^chạy: gcloud functions add-invoker-policy-binding maintenance --region=asia-southeast1 --member=serviceAccount:bao-cao-scheduler@/,
      ),
    });
    expect(exitCodeOf(report)).toBe(1);
  });
});
