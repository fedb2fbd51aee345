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
import { durationSeconds, type ExpectedBinding, type ExpectedFunction, type ExpectedJob, type ExpectedSecret, type PlanExpectations } from './expectations.js';
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

const withProject = (argv: string[], project: string) => (argv.some((a) => a.startsWith('--project=')) ? argv : [...argv, `--project=${project}`]);

export const gcloudCommands = {
  /** The IAM policy holding a binding the plan adds, with the plan's own locating flags. */
  policy(b: ExpectedBinding, project: string, runService?: string): string[] {
    if (b.group.join(' ') === 'functions') {
      // A 2nd-gen function's invoker binding lives on its Cloud Run service.
      const region = b.locators.find((l) => l.startsWith('--region='));
      return withProject(['gcloud', 'run', 'services', 'get-iam-policy', runService ?? b.resource.toLowerCase(), ...(region ? [region] : []), '--format=json'], project);
    }
    if (b.group.join(' ') === 'projects') return ['gcloud', 'projects', 'get-iam-policy', b.resource, '--format=json'];
    return withProject(['gcloud', ...b.group, 'get-iam-policy', b.resource, ...b.locators.filter((l) => !l.startsWith('--project=')), '--format=json'], project);
  },
  secretVersions: (secret: string, project: string) => ['gcloud', 'secrets', 'versions', 'list', secret, `--project=${project}`, '--format=json'],
  describeFunction: (name: string, region: string, project: string) => ['gcloud', 'functions', 'describe', name, `--region=${region}`, '--gen2', `--project=${project}`, '--format=json'],
  schedulerJobs: (region: string, project: string) => ['gcloud', 'scheduler', 'jobs', 'list', `--location=${region}`, `--project=${project}`, '--format=json'],
};

// ---- judgements of gcloud's answers (pure) ----

interface Policy {
  bindings?: { role?: string; members?: string[] }[];
}

export function judgeBinding(policy: Policy | null, b: ExpectedBinding): Verdict {
  const holds = (policy?.bindings ?? []).some((x) => x.role === b.role && (x.members ?? []).some((m) => m.toLowerCase() === b.member.toLowerCase()));
  const on = b.group.join(' ') === 'projects' ? `dự án ${b.resource}` : `${b.group.join(' ')} ${b.resource}`;
  return holds ? pass(`${b.member} có ${b.role} trên ${on}`) : fail(`Chưa cấp quyền ${b.role} cho ${b.member} trên ${on}`, `chạy: ${b.fix}`);
}

interface SecretVersion {
  name?: string;
  state?: string;
}

export function judgeSecret(versions: SecretVersion[] | null, s: ExpectedSecret, project: string): Verdict {
  const enabled = (versions ?? []).filter((v) => v.state === 'ENABLED');
  if (enabled.length > 0) return pass(`bí mật ${s.name} có ${enabled.length} phiên bản đang bật`);
  const add = s.addVersion ?? `printf '%s' '<giá trị>' | gcloud secrets versions add ${s.name} --data-file=- --project=${project}`;
  return fail(`Bí mật ${s.name} chưa có phiên bản nào đang bật: các hàm dùng nó sẽ không khởi động được`, `thêm giá trị: ${add}`);
}

interface FunctionDescription {
  state?: string;
  buildConfig?: { runtime?: string };
  serviceConfig?: { service?: string; uri?: string };
}

export function judgeRuntimes(described: Map<string, FunctionDescription | Error>, fns: ExpectedFunction[], project: string): Verdict {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const f of fns) {
    if (f.runtime && isDecommissioned(f.runtime)) problems.push(`kế hoạch triển khai ${f.name} trên ${f.runtime}, runtime Google đã ngừng (không triển khai hay cập nhật được nữa)`);
    const d = described.get(f.name);
    if (!d || d instanceof Error) continue; // reported by functionsUp
    const actual = d.buildConfig?.runtime ?? null;
    seen.push(`${f.name}: ${actual ?? '?'}`);
    if (actual !== f.runtime) problems.push(`${f.name} chạy ${actual ?? '(không rõ)'}, kế hoạch là ${f.runtime ?? '(không ghi)'}`);
  }
  return problems.length === 0
    ? pass(`mọi hàm chạy đúng runtime của kế hoạch (${[...new Set(fns.map((f) => f.runtime))].join(', ')})`)
    : fail(problems.join('; '), `cập nhật runtime trong scripts/deploy/plan.ts nếu cần, rồi triển khai lại: npm run deploy -- --project ${project} …${seen.length ? ` (hiện tại: ${seen.join(', ')})` : ''}`);
}

export function judgeFunctionsUp(described: Map<string, FunctionDescription | Error>, fns: ExpectedFunction[], project: string): Verdict {
  const problems: string[] = [];
  for (const f of fns) {
    const d = described.get(f.name);
    if (!d) problems.push(`${f.name}: chưa đọc được`);
    else if (d instanceof Error) problems.push(/NOT_FOUND|not found|404/i.test(d.message) ? `${f.name}: chưa được triển khai` : `${f.name}: ${d.message}`);
    else if (d.state !== 'ACTIVE') problems.push(`${f.name}: trạng thái ${d.state ?? '(không rõ)'}`);
  }
  return problems.length === 0
    ? pass(`${fns.length} hàm đã triển khai và đang chạy (ACTIVE)`)
    : fail(problems.join('; '), `triển khai lại: npm run deploy -- --project ${project} … (xem nhật ký: gcloud functions logs read <tên hàm> --project=${project})`);
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
  for (const e of expected) {
    const j = byName.get(e.name);
    if (!j) {
      problems.push(`thiếu lịch ${e.name}`);
      fixes.push(e.fix);
      continue;
    }
    const diffs: string[] = [];
    const compare = (what: string, want: unknown, got: unknown) => want !== null && want !== undefined && want !== got && diffs.push(`${what} là ${String(got)} thay vì ${String(want)}`);
    compare('lịch chạy', e.schedule, j.schedule);
    compare('múi giờ', e.timeZone, j.timeZone);
    compare('địa chỉ gọi', e.uri, j.httpTarget?.uri);
    compare('tài khoản OIDC', e.oidcServiceAccount, j.httpTarget?.oidcToken?.serviceAccountEmail);
    compare('audience OIDC', e.oidcAudience, j.httpTarget?.oidcToken?.audience ?? e.uri);
    if (e.attemptDeadlineSeconds !== null) compare('hạn mỗi lần gọi (giây)', e.attemptDeadlineSeconds, durationSeconds(j.attemptDeadline));
    if (!sameBody(e.body, bodyOf(j))) diffs.push(`nội dung gửi là ${JSON.stringify(bodyOf(j))} thay vì ${JSON.stringify(e.body)}`);
    if (j.state && j.state !== 'ENABLED') diffs.push(`đang ở trạng thái ${j.state}`);
    if (diffs.length) {
      problems.push(`lịch ${e.name}: ${diffs.join(', ')}`);
      fixes.push(`gcloud scheduler jobs delete ${e.name} --location=… rồi: ${e.fix}`);
    }
  }
  return problems.length === 0 ? pass(`${expected.length} lịch Cloud Scheduler khớp kế hoạch`) : fail(problems.join('; '), fixes.join(' ; '));
}

// ---- the platform ----

export function googlePlatform(x: PlanExpectations, run: GcloudRunner = spawnGcloud): Platform {
  const described = new Map<string, FunctionDescription | Error>();
  const describe = async (name: string) => {
    if (!described.has(name)) {
      try {
        described.set(name, ((await run(gcloudCommands.describeFunction(name, x.region, x.project))) ?? {}) as FunctionDescription);
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
    async binding(b) {
      let service: string | undefined;
      if (b.group.join(' ') === 'functions') {
        const d = await describe(b.resource);
        service = d instanceof Error ? undefined : d.serviceConfig?.service?.split('/').pop();
      }
      return judgeBinding(await policy(gcloudCommands.policy(b, x.project, service)), b);
    },
    async secret(s) {
      return judgeSecret((await run(gcloudCommands.secretVersions(s.name, x.project))) as SecretVersion[] | null, s, x.project);
    },
    async runtimes(fns) {
      for (const f of fns) await describe(f.name);
      return judgeRuntimes(described, fns, x.project);
    },
    async functionsUp(fns) {
      for (const f of fns) await describe(f.name);
      return judgeFunctionsUp(described, fns, x.project);
    },
    async jobs(expected) {
      return judgeJobs(((await run(gcloudCommands.schedulerJobs(x.region, x.project))) ?? []) as SchedulerJob[], expected);
    },
  };
}
