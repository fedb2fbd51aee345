/**
 * `npm run preflight -- --target google --project <id> --shared-drive-id <id> [--share-test <address>] [--region …] [--json]`
 * `npm run preflight -- --target local [--share-test <address>] [--json]`
 *
 * Proves a target works before any unit sees a sheet: the workload checks (workload.ts) run
 * the production code path on scratch files, the platform checks (platform-checks.ts) compare
 * what the deployment plan set up with what is there, and the cleanup removes every scratch
 * object whatever failed. Exit 0: every check passed; 1: some failed; 2: bad usage.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../functions/config.js';
import { createDriveClient } from '../../functions/adapters/google-apis.js';
import { createLogger, type Logger } from '../../functions/app/log.js';
import { createDependencies, type Dependencies } from '../../functions/wiring.js';
import { functionUrl } from '../deploy/plan.js';
import { configOfRunningStack, stateDirOf } from '../cli/session.js';
import { UsageError, type CliIo } from '../cli/io.js';
import { LOCAL_SERVICE_ACCOUNT, findRunningStack, startLocalStack } from '../local-stack/stack.js';
import { planFor, type PlanExpectations } from './expectations.js';
import { googlePlatform, type GcloudRunner } from './google-platform.js';
import { localPlatform } from './local-platform.js';
import type { Platform } from './platform.js';
import { platformChecks } from './platform-checks.js';
import { formatResult, formatSummary, runChecks, exitCodeOf, type PreflightReport } from './report.js';
import { newRunId, workloadChecks, type Scratch, type WorkloadContext } from './workload.js';

export interface PreflightInjections {
  /** Replaces or wraps the platform (tests inject failures). */
  wrapPlatform?: (p: Platform) => Platform;
  /** Runs gcloud for the google platform (tests pass a fake). */
  gcloud?: GcloudRunner;
}

interface Target {
  platform: Platform;
  expectations: PlanExpectations;
  workload: Omit<WorkloadContext, 'runId'>;
  /** The fix shown when a check fails with an unexpected error. */
  fixOnError: string;
  close(): Promise<void>;
}

const USAGE =
  'Cách dùng: npm run preflight -- --target google --project <mã dự án> --shared-drive-id <mã ổ> --operator <email người vận hành> [--share-test <địa chỉ>] [--region <vùng>] [--json]\n' +
  '           npm run preflight -- --target local [--share-test <địa chỉ>] [--json]\n';

/** Only warnings and errors of the application reach the terminal (stderr): the checks print their own results. */
function stderrLogger(io: CliIo): Logger {
  return createLogger({ component: 'preflight' }, (line) => {
    const { severity, message } = JSON.parse(line) as { severity: string; message: string };
    if (severity === 'WARNING' || severity === 'ERROR')
      io.stderr(`[${severity === 'ERROR' ? 'lỗi' : 'lưu ý'}] ${message}\n`);
  });
}

/** The campaign file, relative paths against the caller's directory (as the CLI does). */
const campaignFile = (io: CliIo, option: string | undefined): string | undefined => {
  const file = option ?? io.env.CAMPAIGN_SCHEMA;
  return file ? resolve(io.cwd, file) : undefined;
};

async function readSecrets(stateDir: string): Promise<{ webhook: string; scheduler: string } | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, 'secrets.json'), 'utf8')) as { webhook: string; scheduler: string };
  } catch {
    return null;
  }
}

async function openLocal(io: CliIo, log: Logger, opts: { shareTest: string | null; schema?: string }): Promise<Target> {
  const stateDir = stateDirOf(io);
  const schema = campaignFile(io, opts.schema);
  const { expectations } = planFor({ project: 'demo-local' });
  const running = await findRunningStack(stateDir);
  let deps: Dependencies;
  let functionUrls: Record<string, string>;
  let secrets: { webhook: string; scheduler: string } | null;
  let close: () => Promise<void>;
  if (running) {
    io.stderr(`Dùng ngăn xếp cục bộ đang chạy (npm start, pid ${running.pid}).\n`);
    secrets = await readSecrets(stateDir);
    if (!secrets) throw new UsageError(`Không đọc được ${join(stateDir, 'secrets.json')} của ngăn xếp đang chạy.`);
    const config = configOfRunningStack(running, secrets, schema);
    deps = await createDependencies(config, { log });
    functionUrls = running.functions;
    close = () => deps.close();
  } else {
    io.stderr(`Khởi động ngăn xếp cục bộ trên ${stateDir}…\n`);
    // No scheduler: the preflight probes the functions itself and must not race scheduled jobs.
    const stack = await startLocalStack({
      stateDir,
      scheduler: false,
      log,
      sheetsClockScale: 60,
      ...(schema ? { campaignSchema: schema } : {}),
    });
    deps = stack.runtime;
    functionUrls = stack.urls.functions;
    secrets = stack.secrets;
    close = async () => {
      await stack.triggersIdle();
      await stack.stop();
    };
  }
  const drive = await createDriveClient(deps.config.google);
  return {
    expectations,
    platform: localPlatform({
      functionUrls,
      secrets,
      secretsFile: join(stateDir, 'secrets.json'),
      nodeVersion: process.version,
      projectId: deps.config.projectId,
    }),
    workload: {
      deps,
      drive,
      webhookUrl: functionUrls.driveWebhook ?? null,
      webhookSecret: secrets?.webhook ?? null,
      // Locally any address is a Google account; a coordinator is the realistic choice.
      shareTest: opts.shareTest ?? deps.model.campaign.coordinator.emails[0] ?? null,
      sharedDriveId: null,
      editors: [deps.config.serviceAccount ?? LOCAL_SERVICE_ACCOUNT],
      target: 'local',
    },
    fixOnError:
      'xem lỗi ở trên; khởi động lại npm start (hoặc npm run cli -- reset nếu trạng thái cục bộ hỏng) rồi chạy lại npm run preflight -- --target local',
    close,
  };
}

async function openGoogle(
  io: CliIo,
  log: Logger,
  opts: {
    project?: string;
    region?: string;
    sharedDriveId?: string;
    operator?: string;
    shareTest: string | null;
    schema?: string;
  },
  inject: PreflightInjections,
): Promise<Target> {
  if (!opts.project) throw new UsageError(`--target google cần --project <mã dự án>.\n${USAGE}`);
  if (!opts.sharedDriveId)
    throw new UsageError(`--target google cần --shared-drive-id <mã ổ dùng chung chứa các bảng tính>.\n${USAGE}`);
  if (!opts.operator)
    throw new UsageError(
      `--target google cần --operator <email>: người chạy kiểm tra, như khi triển khai (npm run deploy -- --operator …).\n${USAGE}`,
    );
  let planned;
  try {
    planned = planFor({
      project: opts.project,
      ...(opts.region ? { region: opts.region } : {}),
      sharedDriveId: opts.sharedDriveId,
      operator: opts.operator,
    });
  } catch (e) {
    throw new UsageError(`Tham số không hợp lệ: ${(e as Error).message}`);
  }
  const { options, expectations } = planned;
  const serviceAccount = `${options.functionsAccount}@${options.project}.iam.gserviceaccount.com`;
  const webhookSecret = io.env.WEBHOOK_SECRET && io.env.WEBHOOK_SECRET.length >= 16 ? io.env.WEBHOOK_SECRET : null;
  // The functions' own configuration, minus what the preflight does not use (mail, scheduler auth).
  const config: Config = {
    projectId: options.project,
    campaignSchema: campaignFile(io, opts.schema),
    // Act as the functions do (the operator's credentials exchanged for the service account's,
    // as provisioning does): files, channels and Firestore writes then belong to that account.
    google: { mode: 'google', timeoutMs: 30_000, actAs: serviceAccount },
    sharedDriveId: opts.sharedDriveId,
    serviceAccount,
    firestore: { emulatorHost: null, databaseId: '(default)' },
    webhook: { url: functionUrl(options, 'driveWebhook'), secret: webhookSecret ?? 'unused-by-the-preflight' },
    scheduler: { mode: 'shared-secret', secret: 'unused-by-the-preflight' },
    smtp: null,
    sheetsReadsPerMinute: 50,
    sheetsWritesPerMinute: 50,
    watchTtlMs: 24 * 3_600_000,
    logLevel: 'info',
  };
  io.stderr(
    `Kiểm tra dự án ${options.project} (${options.region}), ổ dùng chung ${opts.sharedDriveId}, dưới danh nghĩa ${serviceAccount} (từ thông tin đăng nhập mặc định của ${opts.operator}).\n`,
  );
  const deps = await createDependencies(config, { log, mailer: null });
  const drive = await createDriveClient(config.google);
  return {
    expectations,
    platform: googlePlatform(expectations, inject.gcloud),
    workload: {
      deps,
      drive,
      webhookUrl: config.webhook.url,
      webhookSecret,
      shareTest: opts.shareTest,
      sharedDriveId: opts.sharedDriveId,
      editors: [serviceAccount],
      target: 'google',
    },
    // The preflight must act as the functions do: files, channels and Firestore writes belong to their service account.
    fixOnError: `xem lỗi ở trên; lỗi đăng nhập hay quyền (401/403): đăng nhập (gcloud auth application-default login) bằng ${opts.operator}, tài khoản cần roles/iam.serviceAccountTokenCreator trên ${serviceAccount} (bước của npm run deploy), rồi chạy lại npm run preflight`,
    close: () => deps.close(),
  };
}

/** The whole preflight; returns the exit code. Human output on stdout, or one JSON document with --json. */
export async function runPreflight(argv: string[], io: CliIo, inject: PreflightInjections = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', default: 'local' },
        project: { type: 'string' },
        region: { type: 'string' },
        'shared-drive-id': { type: 'string' },
        operator: { type: 'string' },
        'share-test': { type: 'string' },
        schema: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const json = values.json ?? false;
  const target = values.target;
  const log = stderrLogger(io);
  let opened: Target;
  try {
    if (target === 'local')
      opened = await openLocal(io, log, {
        shareTest: values['share-test'] ?? null,
        ...(values.schema ? { schema: values.schema } : {}),
      });
    else if (target === 'google')
      opened = await openGoogle(
        io,
        log,
        {
          shareTest: values['share-test'] ?? null,
          ...(values.project ? { project: values.project } : {}),
          ...(values.region ? { region: values.region } : {}),
          ...(values['shared-drive-id'] ? { sharedDriveId: values['shared-drive-id'] } : {}),
          ...(values.operator ? { operator: values.operator } : {}),
          ...(values.schema ? { schema: values.schema } : {}),
        },
        inject,
      );
    else {
      io.stderr(`--target phải là local hoặc google, không phải "${target}".\n${USAGE}`);
      return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let report: PreflightReport;
  try {
    const platform = inject.wrapPlatform ? inject.wrapPlatform(opened.platform) : opened.platform;
    const scratch: Scratch = { files: [], channel: null, firestoreDoc: null };
    const runId = newRunId();
    const { checks, cleanup } = workloadChecks({ ...opened.workload, runId }, scratch);
    const started = Date.now();
    const print = json ? io.stderr : io.stdout;
    print(`Kiểm tra trước khi dùng (${target}), lượt ${runId}:\n`);
    // The probes send refused requests on purpose; say so before the functions log them.
    io.stderr(
      '(Các cảnh báo "refused"/"ignored" của các hàm trong lúc kiểm tra là do các bước thử cố ý gửi yêu cầu sai.)\n',
    );
    report = await runChecks(
      target as 'local' | 'google',
      [...checks, ...platformChecks(opened.expectations, platform)],
      cleanup,
      (r) => print(formatResult(r)),
      opened.fixOnError,
    );
    print(`${formatSummary(report).trimEnd()}, trong ${Math.round((Date.now() - started) / 1000)} giây.\n`);
  } finally {
    await opened.close();
  }
  if (json) io.stdout(`${JSON.stringify(report)}\n`);
  return exitCodeOf(report);
}
