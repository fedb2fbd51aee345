/**
 * The local stack's equivalents of what the deployment plan sets up on Google Cloud:
 * - invoker bindings on private functions → the function refuses a call without the
 *   scheduler's credential and accepts the local scheduler's (the same check Cloud Run's IAM
 *   makes for Cloud Scheduler's token);
 * - secrets → the values the local functions run with (state dir's secrets.json);
 * - runtime → the Node running the local functions, next to the runtime the plan deploys;
 * - functions serving → each answers HTTP on its port;
 * - scheduler jobs → the local scheduler fires functions/schedule.ts's SCHEDULED_JOBS: the
 *   plan's jobs must be exactly those (target, body, cron).
 * Project-level roles (Firestore, Eventarc, logging) have no local counterpart; what they
 * allow is exercised for real by the workload checks.
 */
import { randomUUID } from 'node:crypto';
import { google } from '@skunkteam/google-cloudevents-firestore';
import { FUNCTION_SPECS, SECRETS } from '../deploy/plan.js';
import { DOCUMENT_WRITTEN_EVENT_TYPE } from '../local-stack/firestore-trigger-bridge.js';
import { SCHEDULED_JOBS } from '../../functions/schedule.js';
import type { ExpectedBinding, ExpectedFunction, ExpectedJob } from './expectations.js';
import { isDecommissioned, runtimeMajor, sameBody, type Platform } from './platform.js';
import { fail, pass, type Verdict } from './report.js';

export interface LocalPlatformOptions {
  /** Function name → its local URL. */
  functionUrls: Record<string, string>;
  /** The secrets the local functions run with (null when the state dir has none). */
  secrets: { webhook: string; scheduler: string } | null;
  /** Where those secrets live, for messages. */
  secretsFile: string;
  /** The Node version the local functions run on. */
  nodeVersion: string;
  /** The local Firestore project id (event probes name a document in it). */
  projectId: string;
}

/** Harmless bodies that still pass authentication: an unknown maintenance job (400) and a dry-run sweep. */
const PROBE_BODIES: Record<string, unknown> = {
  maintenance: { job: 'preflight-probe' },
  complianceSweep: { dryRun: true },
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  await res.text();
  return res.status;
}

/**
 * A Firestore-triggered function is probed the way Eventarc calls it: a binary-mode CloudEvent
 * with a protobuf DocumentEventData, here for a document outside the campaign, which the
 * handler decodes, logs and ignores.
 */
async function postDocumentEvent(url: string, projectId: string): Promise<number> {
  const documentPath = `preflight/probe-${randomUUID()}`;
  const name = `projects/${projectId}/databases/(default)/documents/${documentPath}`;
  const body = google.events.cloud.firestore.v1.DocumentEventData.encode({ value: { name, fields: {} } }).finish();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/protobuf',
      'ce-id': randomUUID(),
      'ce-specversion': '1.0',
      'ce-type': DOCUMENT_WRITTEN_EVENT_TYPE,
      'ce-source': `//firestore.googleapis.com/projects/${projectId}/databases/(default)`,
      'ce-subject': `documents/${documentPath}`,
      'ce-time': new Date().toISOString(),
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  await res.text();
  return res.status;
}

const specOf = (name: string) => FUNCTION_SPECS.find((f) => f.name.toLowerCase() === name.toLowerCase());

export function localPlatform(options: LocalPlatformOptions): Platform {
  const urlOf = (name: string) => options.functionUrls[name] ?? null;
  return {
    target: 'local',

    async binding(binding: ExpectedBinding): Promise<Verdict> {
      const group = binding.group.join(' ');
      if (binding.role === 'roles/run.invoker' && (group === 'functions' || group === 'run services')) {
        const spec = specOf(binding.resource);
        const url = spec ? urlOf(spec.name) : null;
        if (!spec || !url)
          return fail(
            `Hàm ${binding.resource} (quyền gọi của ${binding.member}) không có trong ngăn xếp cục bộ`,
            'kiểm tra FUNCTION_SPECS trong scripts/deploy/plan.ts và danh sách hàm của scripts/local-stack/stack.ts',
          );
        if (spec.trigger !== 'http-private')
          return pass(
            `cục bộ, ${spec.name} nhận sự kiện trực tiếp từ cầu nối Eventarc (tương đương ${binding.role} cho ${binding.member})`,
          );
        if (!options.secrets)
          return fail(
            `Không có khóa của bộ lập lịch cục bộ (${options.secretsFile})`,
            'khởi động lại npm start để tạo lại trạng thái cục bộ',
          );
        const body = PROBE_BODIES[spec.name] ?? {};
        const anonymous = await post(url, body);
        const scheduled = await post(url, body, { authorization: `Bearer ${options.secrets.scheduler}` });
        if (anonymous !== 401)
          return fail(
            `${spec.name} trả ${anonymous} cho lời gọi không xác thực (phải là 401): ai cũng gọi được`,
            'kiểm tra schedulerAllowed trong functions/handlers/http.ts',
          );
        if (scheduled === 401)
          return fail(
            `${spec.name} từ chối khóa của bộ lập lịch cục bộ`,
            `kiểm tra SCHEDULER_SHARED_SECRET và ${options.secretsFile}`,
          );
        return pass(
          `${spec.name} từ chối lời gọi không xác thực (401) và nhận lời gọi của bộ lập lịch (${scheduled}) — tương đương ${binding.role} cho ${binding.member}`,
        );
      }
      if (binding.role === 'roles/secretmanager.secretAccessor') {
        return options.secrets
          ? pass(`cục bộ, các hàm đọc bí mật từ ${options.secretsFile} (tương đương quyền đọc ${binding.resource})`)
          : fail(`Không đọc được ${options.secretsFile}`, 'khởi động lại npm start để tạo lại trạng thái cục bộ');
      }
      return pass(
        `cục bộ không có IAM ${group}; quyền ${binding.role} được thử bằng các bước dùng dịch vụ tương ứng (Firestore, sự kiện)`,
      );
    },

    async secret(secret): Promise<Verdict> {
      if (secret.name === SECRETS.webhook) {
        const value = options.secrets?.webhook ?? '';
        return value.length >= 16
          ? pass(`khóa kênh Drive cục bộ có trong ${options.secretsFile} (${value.length} ký tự)`)
          : fail(
              `Khóa kênh Drive cục bộ thiếu hoặc quá ngắn trong ${options.secretsFile}`,
              `xóa ${options.secretsFile} rồi khởi động lại npm start để tạo khóa mới`,
            );
      }
      if (secret.name === SECRETS.smtpPassword) return pass('cục bộ, máy chủ thư maildev không cần mật khẩu SMTP');
      return pass(`bí mật ${secret.name} không có tương đương cục bộ`);
    },

    async runtimes(fns: ExpectedFunction[]): Promise<Verdict> {
      const planned = [...new Set(fns.map((f) => f.runtime))];
      const missing = fns.filter((f) => !f.runtime).map((f) => f.name);
      if (missing.length)
        return fail(
          `Kế hoạch không ghi runtime cho ${missing.join(', ')}`,
          'thêm --runtime=nodejs22 vào lệnh triển khai trong scripts/deploy/plan.ts',
        );
      const local = runtimeMajor(`nodejs${options.nodeVersion.replace(/^v/, '').split('.')[0]}`);
      const retired = planned.filter((r) => isDecommissioned(r));
      const note = retired.length
        ? ` Lưu ý: ${retired.join(', ')} đã bị Google ngừng, bản triển khai sẽ bị từ chối.`
        : '';
      const differs = planned.some((r) => runtimeMajor(r) !== local);
      return pass(
        `cục bộ các hàm chạy trên Node ${options.nodeVersion.replace(/^v/, '')}; bản triển khai dùng ${planned.join(', ')} (theo kế hoạch)${differs ? ', khác phiên bản cục bộ: .ci/run chạy thêm bộ kiểm thử dưới phiên bản đó' : ''}.${note}`,
      );
    },

    async functionsUp(fns: ExpectedFunction[]): Promise<Verdict> {
      const problems: string[] = [];
      const answers: string[] = [];
      for (const expected of fns) {
        const url = urlOf(expected.name);
        if (!url) {
          problems.push(`${expected.name}: không có trong ngăn xếp cục bộ`);
          continue;
        }
        try {
          const spec = specOf(expected.name);
          if (spec?.trigger === 'firestore') {
            const status = await postDocumentEvent(url, options.projectId);
            if (status >= 200 && status < 300) answers.push(`${expected.name} ${new URL(url).port}`);
            else problems.push(`${expected.name} trả ${status} cho một sự kiện Firestore hợp lệ`);
          } else {
            // An unauthenticated call changes nothing; any HTTP answer proves the function is served.
            const status = await post(url, {});
            answers.push(`${expected.name} ${new URL(url).port}`);
            if (status >= 500) problems.push(`${expected.name} trả ${status} cho lời gọi không xác thực`);
          }
        } catch (e) {
          problems.push(`${expected.name} (${url}): ${(e as Error).message}`);
        }
      }
      return problems.length === 0
        ? pass(`${answers.length} hàm trả lời trên cổng của chúng (${answers.join(', ')})`)
        : fail(problems.join('; '), 'khởi động lại npm start (cổng bận thì ngăn xếp tự chọn cổng khác)');
    },

    async jobs(expected: ExpectedJob[]): Promise<Verdict> {
      const problems: string[] = [];
      const unmatched = [...SCHEDULED_JOBS];
      for (const expectedJob of expected) {
        const at = unmatched.findIndex(
          (j) =>
            j.target === expectedJob.targetFunction &&
            sameBody(j.body, expectedJob.body) &&
            j.cron === expectedJob.schedule,
        );
        if (at < 0)
          problems.push(
            `lịch ${expectedJob.name} (${expectedJob.targetFunction} ${JSON.stringify(expectedJob.body)} "${expectedJob.schedule}") không có trong bộ lập lịch cục bộ`,
          );
        else unmatched.splice(at, 1);
      }
      for (const job of unmatched)
        problems.push(`bộ lập lịch cục bộ chạy ${job.name} nhưng kế hoạch triển khai không tạo lịch đó`);
      return problems.length === 0
        ? pass(`${expected.length} lịch của kế hoạch trùng với bộ lập lịch cục bộ (functions/schedule.ts)`)
        : fail(
            problems.join('; '),
            'kế hoạch (scripts/deploy/plan.ts) phải tạo đúng các lịch của functions/schedule.ts',
          );
    },
  };
}
