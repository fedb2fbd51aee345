/**
 * What the stack-backed CLI commands run against: the emulators of a running `npm start`
 * (found through its announcement file), or embedded ones started on the same local state
 * directory and stopped when the command ends. Either way the same application code runs.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../../functions/config.js';
import { createDependencies } from '../../functions/wiring.js';
import { createLogger, type Logger } from '../../functions/app/log.js';
import { operatorLine } from '../local-stack/log-vi.js';
import { provisionCampaign } from '../../functions/app/provision.js';
import { schedulerVerifierFor, type Runtime } from '../../functions/handlers/runtime.js';
import {
  DEFAULT_STATE_DIR,
  LOCAL_SERVICE_ACCOUNT,
  findRunningStack,
  localConfig,
  startLocalStack,
  type StackAnnouncement,
} from '../local-stack/stack.js';
import { UsageError, type CliIo } from './io.js';
import { ConfigError, parseConfig, redactedConfig } from '../../functions/config.js';

export interface Session {
  /** connected: a running `npm start`; embedded: emulators started for this command; google: the real services. */
  mode: 'connected' | 'embedded' | 'google';
  runtime: Runtime;
  sheetsUrl: string;
  stateDir: string;
  /** Makes sure the round's sheets exist (embedded runs provision on first use). */
  ensureProvisioned(roundId: string): Promise<void>;
  close(): Promise<void>;
}

export function stateDirOf(io: CliIo): string {
  // Resolved as `npm start` resolves it, so the CLI finds the running stack's state.
  return io.env.LOCAL_STATE_DIR ? resolve(io.envBase ?? io.cwd, io.env.LOCAL_STATE_DIR) : DEFAULT_STATE_DIR;
}

function cliLogger(io: CliIo): Logger {
  // Only warnings and errors reach the terminal; the command prints its own results.
  // In Vietnamese: the log's English message is for developers and Cloud Logging.
  return createLogger({}, (line) => {
    const shown = operatorLine(line);
    if (shown !== null) io.stderr(`${shown}\n`);
  });
}

/** The functions' configuration for a process joining a running `npm start` (CLI commands, the preflight). */
export function configOfRunningStack(
  running: StackAnnouncement,
  secrets: { webhook: string; scheduler: string },
  campaignSchema?: string,
): Config {
  return localConfig({
    // Announcements of older stacks name no project: theirs was always demo-local.
    projectId: running.firestoreProjectId ?? 'demo-local',
    ...(campaignSchema ? { campaignSchema } : {}),
    sheetsUrl: running.sheetsUrl,
    firestoreHost: running.firestoreHost,
    webhookUrl: running.functions.driveWebhook ?? null,
    secrets,
    smtpPort: running.smtpPort,
    quotaClockScale: running.sheetsQuotas === false ? null : (running.sheetsClockScale ?? 1),
  });
}

export async function openSession(
  io: CliIo,
  opts: { now?: () => number; schema?: string; target?: string } = {},
): Promise<Session> {
  const stateDir = stateDirOf(io);
  const log = cliLogger(io);
  if (opts.target === 'google') return openGoogleSession(io, log, opts);
  if (opts.target !== undefined && opts.target !== 'local')
    throw new UsageError(`--target phải là local hoặc google, không phải "${opts.target}".`);
  const running = await findRunningStack(stateDir);
  // Connected to a running stack, the stack keeps its own Drive watch; only embedded runs renew it.
  const provisionWith = (rt: Runtime, renew: boolean) => async (roundId: string) => {
    const existing = await rt.store.allUnitSheets();
    const needed = rt.model.campaign.units.filter((u) => rt.model.hasWorkbook(u.id, roundId));
    const master = await rt.store.meta('master');
    if (needed.every((u) => existing.some((s) => s.unitId === u.id && s.roundId === roundId)) && master.spreadsheetId)
      return;
    io.stderr(`Đang tạo bảng tính cho đợt ${roundId}…\n`);
    await provisionCampaign(
      { ...rt, writes: rt.sheetsPace.writes, editors: [rt.config.serviceAccount ?? LOCAL_SERVICE_ACCOUNT] },
      {
        rounds: [roundId],
        ...(renew
          ? {
              webhook: {
                address: rt.config.webhook.url,
                secret: rt.config.webhook.secret,
                ttlMs: rt.config.watchTtlMs,
              },
            }
          : {}),
      },
    );
  };
  if (running) {
    const secrets = JSON.parse(await readFile(join(stateDir, 'secrets.json'), 'utf8')) as {
      webhook: string;
      scheduler: string;
    };
    const schema = opts.schema ?? io.env.CAMPAIGN_SCHEMA;
    const config = configOfRunningStack(running, secrets, schema);
    const deps = await createDependencies(config, { log, ...(opts.now ? { now: opts.now } : {}) });
    const runtime: Runtime = { ...deps, schedulerAuth: schedulerVerifierFor(deps) };
    return {
      mode: 'connected',
      runtime,
      sheetsUrl: running.sheetsUrl,
      stateDir,
      ensureProvisioned: provisionWith(runtime, false),
      close: () => deps.close(),
    };
  }
  const stack = await startLocalStack({
    stateDir,
    scheduler: false,
    log,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.schema
      ? { campaignSchema: opts.schema }
      : io.env.CAMPAIGN_SCHEMA
        ? { campaignSchema: io.env.CAMPAIGN_SCHEMA }
        : {}),
    // Embedded runs keep Google's quotas but on a 60x clock, so a command never waits minutes.
    sheetsClockScale: 60,
  });
  return {
    mode: 'embedded',
    runtime: stack.runtime,
    sheetsUrl: stack.urls.sheets,
    stateDir,
    ensureProvisioned: provisionWith(stack.runtime, true),
    close: async () => {
      await stack.triggersIdle();
      await stack.stop();
    },
  };
}

/**
 * The operator's command acts on Sheets and Drive AS the functions' service account
 * (SERVICE_ACCOUNT_EMAIL), impersonated from the operator's Application Default Credentials:
 * files, app properties, the Drive watch channel and the changes page token must belong to the
 * account the deployed functions run as, or the functions would not find or renew them. The
 * operator needs roles/iam.serviceAccountTokenCreator on that account (the deployment plan
 * grants it to --operator). Firestore is reached with the operator's own credentials.
 */
export function googleSessionConfig(config: Config): Config {
  if (config.google.mode !== 'google')
    throw new UsageError('--target google cần cấu hình thật: bỏ SHEETS_ROOT_URL và DRIVE_ROOT_URL.');
  if (!config.serviceAccount)
    throw new UsageError(
      '--target google cần SERVICE_ACCOUNT_EMAIL (tài khoản dịch vụ của các hàm, ví dụ bao-cao-functions@<dự án>.iam.gserviceaccount.com): lệnh chạy dưới danh nghĩa tài khoản đó.',
    );
  return { ...config, google: { ...config.google, actAs: config.serviceAccount } };
}

/**
 * The real Google APIs and Firestore, configured from the environment exactly as the deployed
 * functions are, acting as their service account (googleSessionConfig). Nothing is provisioned
 * implicitly.
 */
async function openGoogleSession(
  io: CliIo,
  log: Logger,
  opts: { now?: () => number; schema?: string },
): Promise<Session> {
  let config;
  try {
    config = parseConfig({ ...io.env, ...(opts.schema ? { CAMPAIGN_SCHEMA: opts.schema } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  config = googleSessionConfig(config);
  io.stderr(
    `Kết nối Google Cloud, dự án ${config.projectId}, dưới danh nghĩa ${config.serviceAccount}. Cấu hình: ${JSON.stringify(redactedConfig(config))}\n`,
  );
  const deps = await createDependencies(config, { log, ...(opts.now ? { now: opts.now } : {}) });
  const runtime: Runtime = { ...deps, schedulerAuth: schedulerVerifierFor(deps) };
  return {
    mode: 'google',
    runtime,
    sheetsUrl: 'https://sheets.googleapis.com/',
    stateDir: stateDirOf(io),
    ensureProvisioned: async () => {
      throw new UsageError('Trên Google Cloud, hãy chạy npm run provision -- --target google trước.');
    },
    close: () => deps.close(),
  };
}
