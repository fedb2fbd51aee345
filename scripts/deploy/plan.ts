/**
 * The deployment to Google Cloud as data: options in, the exact commands out. `npm run deploy
 * -- --dry-run` prints them; without it they run in order. Pure, so a test checks them.
 */
import { z } from 'zod';
import { SCHEDULED_JOBS } from '../../functions/schedule.js';

export const deployOptionsSchema = z
  .object({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'mã dự án Google Cloud không hợp lệ'),
    region: z.string().default('asia-southeast1'),
    firestoreLocation: z.string().default('asia-southeast1'),
    functionsAccount: z.string().default('bao-cao-functions'),
    schedulerAccount: z.string().default('bao-cao-scheduler'),
    source: z.string().default('dist/deploy'),
    smtpHost: z.string().min(1),
    smtpPort: z.coerce.number().int().positive().default(587),
    smtpUser: z.string().min(1).optional(),
    mailFrom: z.string().min(3),
    sharedDriveId: z.string().min(1).optional(),
    impersonate: z.email().optional(),
    campaignSchema: z.string().optional(),
  })
  .refine((o) => Boolean(o.sharedDriveId) !== Boolean(o.impersonate), {
    message: 'chọn đúng một cách sở hữu tệp: --shared-drive-id (ổ dùng chung) hoặc --impersonate (ủy quyền toàn miền)',
    path: ['sharedDriveId'],
  });

export type DeployOptions = z.output<typeof deployOptionsSchema>;

export interface PlannedCommand {
  /** What the step does, for people. */
  title: string;
  argv: string[];
  /** Text piped to stdin (a generated secret). */
  stdin?: 'random-secret';
  /** An error whose message matches this means the thing exists already: fine on a re-run. */
  okIfExists?: boolean;
}

export const SECRETS = { webhook: 'bao-cao-webhook-secret', smtpPassword: 'bao-cao-smtp-password' } as const;

interface FunctionSpec {
  name: string;
  trigger: 'http-public' | 'http-private' | 'firestore';
  memory: string;
  timeout: string;
  maxInstances: number;
  /** Firestore document pattern for event functions. */
  document?: string;
}

/** Every function in functions/index.ts, with how it is reached. */
export const FUNCTION_SPECS: FunctionSpec[] = [
  // Drive cannot authenticate its pushes: the channel token (an HMAC we chose) is checked instead.
  { name: 'driveWebhook', trigger: 'http-public', memory: '256Mi', timeout: '30s', maxInstances: 10 },
  // Apps Script button: its request is signed with the webhook secret.
  { name: 'sheetAction', trigger: 'http-public', memory: '512Mi', timeout: '60s', maxInstances: 10 },
  { name: 'complianceSweep', trigger: 'http-private', memory: '1Gi', timeout: '540s', maxInstances: 1 },
  { name: 'maintenance', trigger: 'http-private', memory: '1Gi', timeout: '540s', maxInstances: 2 },
  { name: 'onSubmissionWritten', trigger: 'firestore', memory: '512Mi', timeout: '120s', maxInstances: 20, document: 'campaigns/{campaignId}/submissions/{submissionId}' },
  { name: 'onPollRequested', trigger: 'firestore', memory: '1Gi', timeout: '540s', maxInstances: 1, document: 'campaigns/{campaignId}/pollRequests/{requestId}' },
];

export const functionUrl = (o: Pick<DeployOptions, 'project' | 'region'>, name: string) => `https://${o.region}-${o.project}.cloudfunctions.net/${name}`;
const account = (o: DeployOptions, name: string) => `${name}@${o.project}.iam.gserviceaccount.com`;

function envFor(o: DeployOptions, fn: FunctionSpec): string {
  const env: Record<string, string> = {
    GOOGLE_CLOUD_PROJECT: o.project,
    SERVICE_ACCOUNT_EMAIL: account(o, o.functionsAccount),
    WEBHOOK_URL: functionUrl(o, 'driveWebhook'),
    SCHEDULER_AUTH: 'oidc',
    SCHEDULER_AUDIENCE: functionUrl(o, fn.name),
    SCHEDULER_SERVICE_ACCOUNT: account(o, o.schedulerAccount),
    SMTP_HOST: o.smtpHost,
    SMTP_PORT: String(o.smtpPort),
    MAIL_FROM: o.mailFrom,
    ...(o.smtpUser ? { SMTP_USER: o.smtpUser } : {}),
    ...(o.sharedDriveId ? { SHARED_DRIVE_ID: o.sharedDriveId } : {}),
    ...(o.impersonate ? { GOOGLE_IMPERSONATE_SUBJECT: o.impersonate } : {}),
    ...(o.campaignSchema ? { CAMPAIGN_SCHEMA: o.campaignSchema } : {}),
  };
  // gcloud's alternative delimiter syntax (^;^) lets values contain commas.
  return `^;^${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(';')}`;
}

export function deploymentPlan(o: DeployOptions): PlannedCommand[] {
  const p = ['--project', o.project];
  const fnSa = account(o, o.functionsAccount);
  const schedSa = account(o, o.schedulerAccount);
  const cmds: PlannedCommand[] = [
    {
      title: 'Bật các API cần dùng',
      argv: ['gcloud', 'services', 'enable', 'cloudfunctions.googleapis.com', 'run.googleapis.com', 'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'eventarc.googleapis.com', 'firestore.googleapis.com', 'cloudscheduler.googleapis.com', 'secretmanager.googleapis.com', 'sheets.googleapis.com', 'drive.googleapis.com', ...p],
    },
    { title: 'Tạo cơ sở dữ liệu Firestore (chế độ native)', argv: ['gcloud', 'firestore', 'databases', 'create', `--location=${o.firestoreLocation}`, '--type=firestore-native', ...p], okIfExists: true },
    { title: 'Tài khoản dịch vụ của các hàm', argv: ['gcloud', 'iam', 'service-accounts', 'create', o.functionsAccount, '--display-name=Bao cao 521 functions', ...p], okIfExists: true },
    { title: 'Tài khoản dịch vụ của Cloud Scheduler', argv: ['gcloud', 'iam', 'service-accounts', 'create', o.schedulerAccount, '--display-name=Bao cao 521 scheduler', ...p], okIfExists: true },
    ...['roles/datastore.user', 'roles/eventarc.eventReceiver', 'roles/logging.logWriter'].map((role) => ({
      title: `Quyền ${role} cho tài khoản của các hàm`,
      argv: ['gcloud', 'projects', 'add-iam-policy-binding', o.project, `--member=serviceAccount:${fnSa}`, `--role=${role}`, '--condition=None'],
    })),
    { title: 'Bí mật dùng cho kênh Drive và nút Apps Script', argv: ['gcloud', 'secrets', 'create', SECRETS.webhook, '--replication-policy=automatic', ...p], okIfExists: true },
    { title: 'Giá trị ngẫu nhiên cho bí mật đó (một lần)', argv: ['gcloud', 'secrets', 'versions', 'add', SECRETS.webhook, '--data-file=-', ...p], stdin: 'random-secret' },
    { title: 'Bí mật mật khẩu SMTP (thêm giá trị: gcloud secrets versions add … --data-file=-)', argv: ['gcloud', 'secrets', 'create', SECRETS.smtpPassword, '--replication-policy=automatic', ...p], okIfExists: true },
    ...Object.values(SECRETS).map((s) => ({
      title: `Cho các hàm đọc bí mật ${s}`,
      argv: ['gcloud', 'secrets', 'add-iam-policy-binding', s, `--member=serviceAccount:${fnSa}`, '--role=roles/secretmanager.secretAccessor', ...p],
    })),
    { title: 'Biên dịch và đóng gói các hàm', argv: ['npm', 'run', 'build'] },
  ];
  for (const fn of FUNCTION_SPECS) {
    const argv = [
      'gcloud', 'functions', 'deploy', fn.name, '--gen2', '--runtime=nodejs20', `--region=${o.region}`, `--source=${o.source}`, `--entry-point=${fn.name}`,
      `--service-account=${fnSa}`, `--memory=${fn.memory}`, `--timeout=${fn.timeout}`, '--min-instances=0', `--max-instances=${fn.maxInstances}`,
      `--set-env-vars=${envFor(o, fn)}`,
      `--set-secrets=WEBHOOK_SECRET=${SECRETS.webhook}:latest,SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`,
      ...p,
    ];
    if (fn.trigger === 'firestore') {
      argv.push(
        `--trigger-location=${o.firestoreLocation}`,
        '--trigger-event-filters=type=google.cloud.firestore.document.v1.written',
        '--trigger-event-filters=database=(default)',
        `--trigger-event-filters-path-pattern=document=${fn.document}`,
        `--trigger-service-account=${fnSa}`,
        '--retry',
      );
    } else argv.push('--trigger-http', fn.trigger === 'http-public' ? '--allow-unauthenticated' : '--no-allow-unauthenticated');
    cmds.push({ title: `Triển khai hàm ${fn.name}`, argv });
  }
  for (const fn of FUNCTION_SPECS.filter((f) => f.trigger === 'http-private')) {
    cmds.push({ title: `Cho Cloud Scheduler gọi ${fn.name}`, argv: ['gcloud', 'functions', 'add-invoker-policy-binding', fn.name, `--region=${o.region}`, `--member=serviceAccount:${schedSa}`, ...p] });
  }
  for (const job of SCHEDULED_JOBS) {
    const uri = functionUrl(o, job.target);
    cmds.push({
      title: `Lịch "${job.name}": ${job.description}`,
      argv: [
        'gcloud', 'scheduler', 'jobs', 'create', 'http', `bao-cao-${job.name}`, `--location=${o.region}`, `--schedule=${job.cron}`, '--time-zone=Asia/Ho_Chi_Minh',
        `--uri=${uri}`, '--http-method=POST', '--headers=Content-Type=application/json', `--message-body=${JSON.stringify(job.body)}`,
        `--oidc-service-account-email=${schedSa}`, `--oidc-token-audience=${uri}`, ...p,
      ],
      okIfExists: true,
    });
  }
  cmds.push(
    { title: 'Luật bảo mật và chỉ mục Firestore (firebase.json)', argv: ['npx', 'firebase', 'deploy', '--only', 'firestore:rules,firestore:indexes', '--project', o.project, '--non-interactive'] },
    { title: 'Tạo bảng tính cho các đơn vị, bảng tổng hợp và kênh theo dõi Drive', argv: ['npm', 'run', 'provision', '--', '--target', 'google'] },
  );
  return cmds;
}

/** A command as a person would paste it into a shell. */
export function shellLine(c: PlannedCommand): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const line = c.argv.map(quote).join(' ');
  return c.stdin === 'random-secret' ? `openssl rand -hex 32 | tr -d '\\n' | ${line}` : line;
}
