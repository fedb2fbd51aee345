/**
 * The platform of a real Google Cloud project, read with gcloud's `--format=json` output.
 * The commands are built by pure functions (unit-tested argv) and run by a GcloudRunner, so
 * everything but the process spawn is tested here; the judgement of each answer is pure too.
 *
 * Sources of the shapes read: IAM policies (`bindings[{role, members}]`,
 * https://cloud.google.com/iam/docs/reference/rest/v1/Policy), Secret Manager versions
 * (`state: ENABLED`, https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions),
 * Cloud Functions v2 (`state`, `buildConfig.runtime`, `serviceConfig.service`,
 * https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions),
 * Cloud Scheduler jobs (`httpTarget{uri, body (base64), oidcToken}`, `attemptDeadline`, `state`,
 * https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs).
 */
import { spawn } from 'node:child_process';
import {
  durationSeconds,
  type ExpectedBinding,
  type ExpectedFunction,
  type ExpectedJob,
  type ExpectedSecret,
  type PlanExpectations,
} from './expectations.js';
import { isDecommissioned, sameBody, type Platform } from './platform.js';
import { fail, pass, type Verdict } from './report.js';

export type GcloudRunner = (argv: string[]) => Promise<unknown>;

export class GcloudError extends Error {
  constructor(
    readonly argv: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${argv.join(' ')} → ${stderr.trim().split('\n').pop() ?? `exit ${exitCode}`}`);
    this.name = 'GcloudError';
  }
}

/** Runs gcloud and parses its JSON output. */
export const spawnGcloud: GcloudRunner = (argv) =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new GcloudError(argv, `${e.message} (gcloud có được cài chưa?)`, null)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GcloudError(argv, err, code));
      try {
        resolve(out.trim() ? JSON.parse(out) : null);
      } catch {
        reject(new GcloudError(argv, `không đọc được JSON: ${out.slice(0, 200)}`, code));
      }
    });
  });

// ---- commands (pure) ----

const withProject = (argv: string[], project: string) =>
  argv.some((a) => a.startsWith('--project=')) ? argv : [...argv, `--project=${project}`];

export const gcloudCommands = {
  /** The IAM policy holding a binding the plan adds, with the plan's own locating flags. */
  policy(binding: ExpectedBinding, project: string, runService?: string): string[] {
    if (binding.group.join(' ') === 'functions') {
      // A 2nd-gen function's invoker binding lives on its Cloud Run service.
      const region = binding.locators.find((l) => l.startsWith('--region='));
      return withProject(
        [
          'gcloud',
          'run',
          'services',
          'get-iam-policy',
          runService ?? binding.resource.toLowerCase(),
          ...(region ? [region] : []),
          '--format=json',
        ],
        project,
      );
    }
    if (binding.group.join(' ') === 'projects')
      return ['gcloud', 'projects', 'get-iam-policy', binding.resource, '--format=json'];
    return withProject(
      [
        'gcloud',
        ...binding.group,
        'get-iam-policy',
        binding.resource,
        ...binding.locators.filter((l) => !l.startsWith('--project=')),
        '--format=json',
      ],
      project,
    );
  },
  secretVersions: (secret: string, project: string) => [
    'gcloud',
    'secrets',
    'versions',
    'list',
    secret,
    `--project=${project}`,
    '--format=json',
  ],
  describeFunction: (name: string, region: string, project: string) => [
    'gcloud',
    'functions',
    'describe',
    name,
    `--region=${region}`,
    '--gen2',
    `--project=${project}`,
    '--format=json',
  ],
  schedulerJobs: (region: string, project: string) => [
    'gcloud',
    'scheduler',
    'jobs',
    'list',
    `--location=${region}`,
    `--project=${project}`,
    '--format=json',
  ],
};

// ---- judgements of gcloud's answers (pure) ----

interface Policy {
  bindings?: { role?: string; members?: string[] }[];
}

export function judgeBinding(policy: Policy | null, binding: ExpectedBinding): Verdict {
  const holds = (policy?.bindings ?? []).some(
    (x) => x.role === binding.role && (x.members ?? []).some((m) => m.toLowerCase() === binding.member.toLowerCase()),
  );
  const on =
    binding.group.join(' ') === 'projects'
      ? `dự án ${binding.resource}`
      : `${binding.group.join(' ')} ${binding.resource}`;
  return holds
    ? pass(`${binding.member} có ${binding.role} trên ${on}`)
    : fail(`Chưa cấp quyền ${binding.role} cho ${binding.member} trên ${on}`, `chạy: ${binding.fix}`);
}

interface SecretVersion {
  name?: string;
  state?: string;
}

export function judgeSecret(versions: SecretVersion[] | null, secret: ExpectedSecret, project: string): Verdict {
  const enabled = (versions ?? []).filter((v) => v.state === 'ENABLED');
  if (enabled.length > 0) return pass(`bí mật ${secret.name} có ${enabled.length} phiên bản đang bật`);
  const add =
    secret.addVersion ??
    `printf '%s' '<giá trị>' | gcloud secrets versions add ${secret.name} --data-file=- --project=${project}`;
  return fail(
    `Bí mật ${secret.name} chưa có phiên bản nào đang bật: các hàm dùng nó sẽ không khởi động được`,
    `thêm giá trị: ${add}`,
  );
}

interface FunctionDescription {
  state?: string;
  buildConfig?: { runtime?: string };
  serviceConfig?: { service?: string; uri?: string };
}

export function judgeRuntimes(
  described: Map<string, FunctionDescription | Error>,
  fns: ExpectedFunction[],
  project: string,
): Verdict {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const expected of fns) {
    if (expected.runtime && isDecommissioned(expected.runtime))
      problems.push(
        `kế hoạch triển khai ${expected.name} trên ${expected.runtime}, runtime Google đã ngừng (không triển khai hay cập nhật được nữa)`,
      );
    const description = described.get(expected.name);
    if (!description || description instanceof Error) continue; // reported by functionsUp
    const actual = description.buildConfig?.runtime ?? null;
    seen.push(`${expected.name}: ${actual ?? '?'}`);
    if (actual !== expected.runtime)
      problems.push(
        `${expected.name} chạy ${actual ?? '(không rõ)'}, kế hoạch là ${expected.runtime ?? '(không ghi)'}`,
      );
  }
  return problems.length === 0
    ? pass(`mọi hàm chạy đúng runtime của kế hoạch (${[...new Set(fns.map((f) => f.runtime))].join(', ')})`)
    : fail(
        problems.join('; '),
        `cập nhật runtime trong scripts/deploy/plan.ts nếu cần, rồi triển khai lại: npm run deploy -- --project ${project} …${seen.length ? ` (hiện tại: ${seen.join(', ')})` : ''}`,
      );
}

export function judgeFunctionsUp(
  described: Map<string, FunctionDescription | Error>,
  fns: ExpectedFunction[],
  project: string,
): Verdict {
  const problems: string[] = [];
  for (const expected of fns) {
    const description = described.get(expected.name);
    if (!description) problems.push(`${expected.name}: chưa đọc được`);
    else if (description instanceof Error)
      problems.push(
        /NOT_FOUND|not found|404/i.test(description.message)
          ? `${expected.name}: chưa được triển khai`
          : `${expected.name}: ${description.message}`,
      );
    else if (description.state !== 'ACTIVE')
      problems.push(`${expected.name}: trạng thái ${description.state ?? '(không rõ)'}`);
  }
  return problems.length === 0
    ? pass(`${fns.length} hàm đã triển khai và đang chạy (ACTIVE)`)
    : fail(
        problems.join('; '),
        `triển khai lại: npm run deploy -- --project ${project} … (xem nhật ký: gcloud functions logs read <tên hàm> --project=${project})`,
      );
}

interface SchedulerJob {
  name?: string;
  schedule?: string;
  timeZone?: string;
  state?: string;
  attemptDeadline?: string;
  httpTarget?: { uri?: string; body?: string; oidcToken?: { serviceAccountEmail?: string; audience?: string } };
}

/** The job body as sent: JSON output carries HTTP bodies as base64 bytes. */
function bodyOf(job: SchedulerJob): unknown {
  const raw = job.httpTarget?.body;
  if (raw === undefined) return null;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function judgeJobs(observed: SchedulerJob[], expected: ExpectedJob[]): Verdict {
  const byName = new Map(observed.map((j) => [(j.name ?? '').split('/').pop()!, j]));
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const expectedJob of expected) {
    const job = byName.get(expectedJob.name);
    if (!job) {
      problems.push(`thiếu lịch ${expectedJob.name}`);
      fixes.push(expectedJob.fix);
      continue;
    }
    const diffs: string[] = [];
    const compare = (what: string, want: unknown, got: unknown) =>
      want !== null &&
      want !== undefined &&
      want !== got &&
      diffs.push(`${what} là ${String(got)} thay vì ${String(want)}`);
    compare('lịch chạy', expectedJob.schedule, job.schedule);
    compare('múi giờ', expectedJob.timeZone, job.timeZone);
    compare('địa chỉ gọi', expectedJob.uri, job.httpTarget?.uri);
    compare('tài khoản OIDC', expectedJob.oidcServiceAccount, job.httpTarget?.oidcToken?.serviceAccountEmail);
    compare('audience OIDC', expectedJob.oidcAudience, job.httpTarget?.oidcToken?.audience ?? expectedJob.uri);
    if (expectedJob.attemptDeadlineSeconds !== null)
      compare('hạn mỗi lần gọi (giây)', expectedJob.attemptDeadlineSeconds, durationSeconds(job.attemptDeadline));
    if (!sameBody(expectedJob.body, bodyOf(job)))
      diffs.push(`nội dung gửi là ${JSON.stringify(bodyOf(job))} thay vì ${JSON.stringify(expectedJob.body)}`);
    if (job.state && job.state !== 'ENABLED') diffs.push(`đang ở trạng thái ${job.state}`);
    if (diffs.length) {
      problems.push(`lịch ${expectedJob.name}: ${diffs.join(', ')}`);
      fixes.push(`gcloud scheduler jobs delete ${expectedJob.name} --location=… rồi: ${expectedJob.fix}`);
    }
  }
  return problems.length === 0
    ? pass(`${expected.length} lịch Cloud Scheduler khớp kế hoạch`)
    : fail(problems.join('; '), fixes.join(' ; '));
}

// ---- the platform ----

export function googlePlatform(x: PlanExpectations, run: GcloudRunner = spawnGcloud): Platform {
  const described = new Map<string, FunctionDescription | Error>();
  const describe = async (name: string) => {
    if (!described.has(name)) {
      try {
        described.set(
          name,
          ((await run(gcloudCommands.describeFunction(name, x.region, x.project))) ?? {}) as FunctionDescription,
        );
      } catch (e) {
        described.set(name, e as Error);
      }
    }
    return described.get(name)!;
  };
  const policies = new Map<string, Promise<Policy | null>>();
  const policy = (argv: string[]) => {
    const key = argv.join(' ');
    if (!policies.has(key)) policies.set(key, run(argv) as Promise<Policy | null>);
    return policies.get(key)!;
  };
  return {
    target: 'google',
    async binding(binding) {
      let service: string | undefined;
      if (binding.group.join(' ') === 'functions') {
        const description = await describe(binding.resource);
        service = description instanceof Error ? undefined : description.serviceConfig?.service?.split('/').pop();
      }
      return judgeBinding(await policy(gcloudCommands.policy(binding, x.project, service)), binding);
    },
    async secret(secret) {
      return judgeSecret(
        (await run(gcloudCommands.secretVersions(secret.name, x.project))) as SecretVersion[] | null,
        secret,
        x.project,
      );
    },
    async runtimes(fns) {
      for (const expected of fns) await describe(expected.name);
      return judgeRuntimes(described, fns, x.project);
    },
    async functionsUp(fns) {
      for (const expected of fns) await describe(expected.name);
      return judgeFunctionsUp(described, fns, x.project);
    },
    async jobs(expected) {
      return judgeJobs(
        ((await run(gcloudCommands.schedulerJobs(x.region, x.project))) ?? []) as SchedulerJob[],
        expected,
      );
    },
  };
}
