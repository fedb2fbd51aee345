/**
 * Configuration, parsed once from the environment with zod (pure: `parseConfig(env)`), failing
 * fast with the names of what is missing. Secrets come from Secret Manager as environment
 * variables in production; `redactedConfig` is the only form that is ever logged.
 */
import { z } from 'zod';

const bool = z
  .string()
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s.toLowerCase()))
  .optional();
const int = (def: number) => z.coerce.number().int().positive().default(def);
const envSchema = z
  .object({
    GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
    CAMPAIGN_SCHEMA: z.string().min(1).optional(),
    /** Emulator mode: both set, or neither (production Google APIs). */
    SHEETS_ROOT_URL: z.url().optional(),
    DRIVE_ROOT_URL: z.url().optional(),
    /** Who the emulator thinks is calling (its bearer token); the service account in production. */
    LOCAL_IDENTITY: z.email().optional(),
    /**
     * Retired: domain-wide delegation. On Cloud Functions the credentials come from the metadata
     * server, which ignores `subject`, so this mode silently ran as the service account. Refused
     * with a message that names the supported way (a shared drive).
     */
    GOOGLE_IMPERSONATE_SUBJECT: z.string().optional(),
    SHARED_DRIVE_ID: z.string().min(1).optional(),
    SERVICE_ACCOUNT_EMAIL: z.email().optional(),
    GOOGLE_API_TIMEOUT_MS: int(30_000),
    FIRESTORE_EMULATOR_HOST: z.string().min(1).optional(),
    FIRESTORE_DATABASE: z.string().min(1).default('(default)'),
    /** Public URL of the driveWebhook function (Drive pushes go there). */
    WEBHOOK_URL: z.url().optional(),
    WEBHOOK_SECRET: z.string().min(16, 'WEBHOOK_SECRET phải dài ít nhất 16 ký tự'),
    /** During a rotation of the webhook secret: the version being retired, still accepted on arrival. */
    WEBHOOK_SECRET_PREVIOUS: z.string().min(16, 'WEBHOOK_SECRET_PREVIOUS phải dài ít nhất 16 ký tự').optional(),
    SCHEDULER_AUTH: z.enum(['oidc', 'shared-secret']).default('oidc'),
    SCHEDULER_AUDIENCE: z.string().min(1).optional(),
    SCHEDULER_SERVICE_ACCOUNT: z.email().optional(),
    SCHEDULER_SHARED_SECRET: z.string().min(16).optional(),
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().positive().default(587),
    SMTP_SECURE: bool,
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    MAIL_FROM: z.string().min(3).default('Bao cao 521 <no-reply@localhost>'),
    SHEETS_READS_PER_MINUTE: int(50),
    SHEETS_WRITES_PER_MINUTE: int(50),
    WATCH_TTL_HOURS: int(24),
    LOG_LEVEL: z.enum(['debug', 'info']).default('info'),
  })
  .superRefine((env, ctx) => {
    const need = (cond: boolean, name: string, why: string) =>
      !cond && ctx.addIssue({ code: 'custom', path: [name], message: `thiếu ${name} (${why})` });
    if (env.GOOGLE_IMPERSONATE_SUBJECT !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_IMPERSONATE_SUBJECT'],
        message:
          'chế độ ủy quyền toàn miền (GOOGLE_IMPERSONATE_SUBJECT) đã bị bỏ: trên Cloud Functions thông tin xác thực lấy từ máy chủ metadata, vốn bỏ qua người dùng được ủy quyền, nên các hàm vẫn chạy bằng tài khoản dịch vụ. Hãy dùng ổ dùng chung: đặt SHARED_DRIVE_ID và thêm tài khoản dịch vụ vào ổ đó với vai trò Quản lý nội dung.',
      });
    const emulator = Boolean(env.SHEETS_ROOT_URL || env.DRIVE_ROOT_URL);
    if (emulator) {
      need(
        Boolean(env.SHEETS_ROOT_URL && env.DRIVE_ROOT_URL),
        env.SHEETS_ROOT_URL ? 'DRIVE_ROOT_URL' : 'SHEETS_ROOT_URL',
        'chế độ giả lập cần cả hai địa chỉ',
      );
      need(Boolean(env.LOCAL_IDENTITY), 'LOCAL_IDENTITY', 'danh tính gọi trình giả lập');
    } else {
      need(Boolean(env.GOOGLE_CLOUD_PROJECT), 'GOOGLE_CLOUD_PROJECT', 'dự án Google Cloud');
      // A service account has no Drive storage of its own: the sheets live in a shared drive.
      need(
        Boolean(env.SHARED_DRIVE_ID),
        'SHARED_DRIVE_ID',
        'ổ dùng chung chứa các bảng tính, nơi tài khoản dịch vụ là Quản lý nội dung',
      );
    }
    if (env.SCHEDULER_AUTH === 'oidc') {
      need(Boolean(env.SCHEDULER_AUDIENCE), 'SCHEDULER_AUDIENCE', 'audience của OIDC token Cloud Scheduler');
      need(
        Boolean(env.SCHEDULER_SERVICE_ACCOUNT),
        'SCHEDULER_SERVICE_ACCOUNT',
        'tài khoản dịch vụ của Cloud Scheduler',
      );
    } else
      need(Boolean(env.SCHEDULER_SHARED_SECRET), 'SCHEDULER_SHARED_SECRET', 'khóa dùng chung cho bộ lập lịch cục bộ');
  });

export type Env = z.output<typeof envSchema>;

export interface Config {
  projectId: string;
  campaignSchema: string | undefined;
  google:
    | { mode: 'emulator'; sheetsRootUrl: string; driveRootUrl: string; identity: string; timeoutMs: number }
    /** `actAs`: never from the environment; an operator's command sets it (see google-apis.ts). */
    | { mode: 'google'; timeoutMs: number; actAs?: string };
  sharedDriveId: string | null;
  serviceAccount: string | null;
  firestore: { emulatorHost: string | null; databaseId: string };
  /** `previousSecret`: set only while a rotation is under way (see acceptedWebhookSecrets). */
  webhook: { url: string | null; secret: string; previousSecret?: string };
  scheduler: { mode: 'oidc'; audience: string; serviceAccount: string } | { mode: 'shared-secret'; secret: string };
  smtp: { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string } | null;
  /** Pace of the service account's Sheets requests (quota: 60 per minute per user). */
  sheetsReadsPerMinute: number;
  sheetsWritesPerMinute: number;
  watchTtlMs: number;
  logLevel: 'debug' | 'info';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
    );
  const values = parsed.data;
  const google: Config['google'] =
    values.SHEETS_ROOT_URL && values.DRIVE_ROOT_URL
      ? {
          mode: 'emulator',
          sheetsRootUrl: values.SHEETS_ROOT_URL,
          driveRootUrl: values.DRIVE_ROOT_URL,
          identity: values.LOCAL_IDENTITY!,
          timeoutMs: values.GOOGLE_API_TIMEOUT_MS,
        }
      : { mode: 'google', timeoutMs: values.GOOGLE_API_TIMEOUT_MS };
  return {
    projectId: values.GOOGLE_CLOUD_PROJECT ?? 'demo-local',
    campaignSchema: values.CAMPAIGN_SCHEMA,
    google,
    sharedDriveId: values.SHARED_DRIVE_ID ?? null,
    serviceAccount: values.SERVICE_ACCOUNT_EMAIL ?? (google.mode === 'emulator' ? google.identity : null),
    firestore: { emulatorHost: values.FIRESTORE_EMULATOR_HOST ?? null, databaseId: values.FIRESTORE_DATABASE },
    webhook: {
      url: values.WEBHOOK_URL ?? null,
      secret: values.WEBHOOK_SECRET,
      ...(values.WEBHOOK_SECRET_PREVIOUS ? { previousSecret: values.WEBHOOK_SECRET_PREVIOUS } : {}),
    },
    scheduler:
      values.SCHEDULER_AUTH === 'oidc'
        ? { mode: 'oidc', audience: values.SCHEDULER_AUDIENCE!, serviceAccount: values.SCHEDULER_SERVICE_ACCOUNT! }
        : { mode: 'shared-secret', secret: values.SCHEDULER_SHARED_SECRET! },
    smtp: values.SMTP_HOST
      ? {
          host: values.SMTP_HOST,
          port: values.SMTP_PORT,
          secure: values.SMTP_SECURE ?? values.SMTP_PORT === 465,
          ...(values.SMTP_USER ? { user: values.SMTP_USER } : {}),
          ...(values.SMTP_PASSWORD ? { pass: values.SMTP_PASSWORD } : {}),
          from: values.MAIL_FROM,
        }
      : null,
    sheetsReadsPerMinute: values.SHEETS_READS_PER_MINUTE,
    sheetsWritesPerMinute: values.SHEETS_WRITES_PER_MINUTE,
    watchTtlMs: values.WATCH_TTL_HOURS * 3_600_000,
    logLevel: values.LOG_LEVEL,
  };
}

/**
 * The webhook secrets an arriving request may be signed with: the current one, and during a
 * rotation the previous one too (live Drive channels and Apps Script copies still carry it
 * until they are renewed). New channel tokens are always made with the current secret.
 */
export function acceptedWebhookSecrets(webhook: Config['webhook']): string[] {
  return webhook.previousSecret ? [webhook.secret, webhook.previousSecret] : [webhook.secret];
}

const SECRET_KEYS = new Set(['secret', 'previousSecret', 'pass', 'password']);

/** The configuration with every secret replaced, the only form that may be logged. */
export function redactedConfig(config: Config): unknown {
  return JSON.parse(JSON.stringify(config), (key, value) =>
    SECRET_KEYS.has(key) && typeof value === 'string' ? `[redacted ${value.length} chars]` : value,
  );
}
