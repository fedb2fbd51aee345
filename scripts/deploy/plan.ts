/**
 * The deployment to Google Cloud as data: options in, the exact commands out. `npm run deploy
 * -- --dry-run` prints them (as a shell script a person could paste); without it
 * scripts/deploy/run.ts runs them in order. Pure, so tests check them, and every gcloud command
 * in them goes through the real gcloud's argument parser (test/deploy/gcloud-parse.test.ts).
 *
 * Re-running converges instead of piling up: creations that may exist already are tolerated,
 * the webhook secret gets a value only while it has none (a new version would break the live
 * Drive channel and every Apps Script copy), and scheduler jobs are created when absent and
 * updated when present.
 */
import { z } from 'zod';
import { SCHEDULE_TIME_ZONE, SCHEDULED_JOBS } from '../../functions/schedule.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../../functions/handlers/time-budget.js';

/**
 * Cloud Functions runtime. nodejs20 was decommissioned on 2026-10-30 (no deploys or updates);
 * nodejs22 is supported until 2028-10-31 (https://cloud.google.com/functions/docs/runtime-support).
 * The build's package.json `engines` says the same major.
 */
export const FUNCTIONS_RUNTIME = { id: 'nodejs22', nodeMajor: 22 } as const;

const SHARED_DRIVE_NEEDED =
  'cần --shared-drive-id <mã>: ổ dùng chung chứa các bảng tính, có tài khoản dịch vụ của các hàm là Quản lý nội dung (cách duy nhất được hỗ trợ)';
const OPERATOR_NEEDED =
  'cần --operator <email>: người chạy npm run provision -- --target google, được quyền hành động dưới danh nghĩa tài khoản dịch vụ của các hàm';
/** The retired option, answered with what to do instead. */
export const IMPERSONATE_RETIRED =
  '--impersonate (ủy quyền toàn miền) đã bị bỏ: trên Cloud Functions máy chủ metadata bỏ qua người dùng được ủy quyền, nên các hàm vẫn chạy bằng tài khoản dịch vụ. Dùng --shared-drive-id <mã ổ dùng chung>.';

export const deployOptionsSchema = z.object({
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
  /** The one supported way to own the sheets: a shared drive where the service account is a content manager. */
  sharedDriveId: z.string({ error: SHARED_DRIVE_NEEDED }).min(1, SHARED_DRIVE_NEEDED),
  /**
   * Who runs `npm run provision -- --target google` (and the CLI on Google): gets
   * roles/iam.serviceAccountTokenCreator on the functions' account, to act as it. An e-mail
   * means a user; `group:…` or `serviceAccount:…` are passed as IAM members.
   */
  operator: z
    .string({ error: OPERATOR_NEEDED })
    .regex(/^((user|group|serviceAccount):)?[^\s:@]+@[^\s:@]+\.[^\s:@]+$/, OPERATOR_NEEDED),
  campaignSchema: z.string().optional(),
});

export type DeployOptions = z.output<typeof deployOptionsSchema>;

export interface PlannedCommand {
  /** What the step does, for people. */
  title: string;
  /** May contain `${NAME}` placeholders, filled from an earlier step's `capture`. */
  argv: string[];
  /** Text piped to stdin (a generated secret). */
  stdin?: 'random-secret';
  /** An error whose message matches this means the thing exists already: fine on a re-run. */
  okIfExists?: boolean;
  /**
   * Run only when the read-only command `argv` prints nothing (`absent`) or something
   * (`present`). The runner runs it first; the dry run prints it as an `if`.
   */
  onlyIf?: { argv: string[]; when: 'absent' | 'present'; meaning: string };
  /** A check: `argv` is a read; when it prints nothing the deployment stops with `failure`. */
  check?: { failure: string };
  /** The trimmed output of this (read-only) command becomes `${capture}` for later steps. */
  capture?: string;
  /** Environment for the command; a `fromCommand` value is that read command's output. */
  env?: Record<string, string | { fromCommand: string[] }>;
}

export const SECRETS = { webhook: 'bao-cao-webhook-secret', smtpPassword: 'bao-cao-smtp-password' } as const;

interface FunctionSpec {
  name: string;
  trigger: 'http-public' | 'http-private' | 'firestore';
  memory: string;
  /** Seconds; Cloud Scheduler's attempt deadline follows it for scheduled targets. */
  timeoutSeconds: number;
  maxInstances: number;
  /** Firestore document pattern for event functions. */
  document?: string;
}

/** Every function in functions/index.ts, with how it is reached. */
export const FUNCTION_SPECS: FunctionSpec[] = [
  // Drive cannot authenticate its pushes: the channel token (an HMAC we chose) is checked instead.
  {
    name: 'driveWebhook',
    trigger: 'http-public',
    memory: '256Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.driveWebhook,
    maxInstances: 10,
  },
  // Apps Script button: its request is signed with the webhook secret.
  {
    name: 'sheetAction',
    trigger: 'http-public',
    memory: '512Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.sheetAction,
    maxInstances: 10,
  },
  {
    name: 'complianceSweep',
    trigger: 'http-private',
    memory: '1Gi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.complianceSweep,
    maxInstances: 1,
  },
  {
    name: 'maintenance',
    trigger: 'http-private',
    memory: '1Gi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.maintenance,
    maxInstances: 2,
  },
  {
    name: 'onSubmissionWritten',
    trigger: 'firestore',
    memory: '512Mi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onSubmissionWritten,
    maxInstances: 20,
    document: 'campaigns/{campaignId}/submissions/{submissionId}',
  },
  {
    name: 'onPollRequested',
    trigger: 'firestore',
    memory: '1Gi',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onPollRequested,
    maxInstances: 1,
    document: 'campaigns/{campaignId}/pollRequests/{requestId}',
  },
];

/**
 * Cloud Scheduler's limits for an HTTP target's attempt deadline: 15 s to 30 min, default 3 min
 * (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#Job.FIELDS.attempt_deadline),
 * shorter than a 540 s function: without the flag the scheduler gives up (and retries) while
 * the function is still working.
 */
export const SCHEDULER_HTTP_DEADLINE_SECONDS = { min: 15, max: 1800 } as const;

export const functionUrl = (o: Pick<DeployOptions, 'project' | 'region'>, name: string) =>
  `https://${o.region}-${o.project}.cloudfunctions.net/${name}`;
export const serviceAccountEmail = (o: Pick<DeployOptions, 'project'>, name: string) =>
  `${name}@${o.project}.iam.gserviceaccount.com`;
export const operatorMember = (operator: string) => (operator.includes(':') ? operator : `user:${operator}`);

/** The attempt deadline of a job calling `target`: the function's own timeout, within the scheduler's limits. */
export function attemptDeadlineSeconds(target: string): number {
  const functionSpec = FUNCTION_SPECS.find((f) => f.name === target);
  if (!functionSpec) throw new Error(`no function ${target}`);
  return Math.min(
    SCHEDULER_HTTP_DEADLINE_SECONDS.max,
    Math.max(SCHEDULER_HTTP_DEADLINE_SECONDS.min, functionSpec.timeoutSeconds),
  );
}

/** The environment every function gets (secrets apart), as name → value. */
export function functionEnvironment(options: DeployOptions, fnName: string): Record<string, string> {
  return {
    GOOGLE_CLOUD_PROJECT: options.project,
    SERVICE_ACCOUNT_EMAIL: serviceAccountEmail(options, options.functionsAccount),
    WEBHOOK_URL: functionUrl(options, 'driveWebhook'),
    SCHEDULER_AUTH: 'oidc',
    SCHEDULER_AUDIENCE: functionUrl(options, fnName),
    SCHEDULER_SERVICE_ACCOUNT: serviceAccountEmail(options, options.schedulerAccount),
    SMTP_HOST: options.smtpHost,
    SMTP_PORT: String(options.smtpPort),
    MAIL_FROM: options.mailFrom,
    ...(options.smtpUser ? { SMTP_USER: options.smtpUser } : {}),
    SHARED_DRIVE_ID: options.sharedDriveId,
    ...(options.campaignSchema ? { CAMPAIGN_SCHEMA: options.campaignSchema } : {}),
  };
}

function envFlagValue(env: Record<string, string>): string {
  // gcloud's alternative delimiter syntax (^;^) lets values contain commas.
  return `^;^${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(';')}`;
}

/**
 * Which webhook secret versions a deployment mounts: numbers (or `${PLACEHOLDER}`s filled at run
 * time), never `latest`. A secret mounted as `latest` changes in each new instance as soon as a
 * version is added, without a deploy (https://cloud.google.com/functions/docs/configuring/secrets:
 * Google recommends pinned versions); pinned, a rotation takes effect exactly when it redeploys.
 */
interface WebhookVersions {
  current: string;
  previous?: string;
}

function secretsFlag(webhook: WebhookVersions): string {
  return [
    `WEBHOOK_SECRET=${SECRETS.webhook}:${webhook.current}`,
    ...(webhook.previous ? [`WEBHOOK_SECRET_PREVIOUS=${SECRETS.webhook}:${webhook.previous}`] : []),
    // Read at instance start; after changing the SMTP password, re-run the deployment.
    `SMTP_PASSWORD=${SECRETS.smtpPassword}:latest`,
  ].join(',');
}

/** Reads the number of the webhook secret's newest version into `${name}`. */
const captureLatestWebhookVersion = (p: string[], name: string, title: string): PlannedCommand => ({
  title,
  argv: [
    'gcloud',
    'secrets',
    'versions',
    'describe',
    'latest',
    `--secret=${SECRETS.webhook}`,
    '--format=value(name.basename())',
    ...p,
  ],
  capture: name,
});

/** A read printing the name of one enabled version of `secret`, or nothing when it has none. */
const enabledVersion = (secret: string, p: string[]) => [
  'gcloud',
  'secrets',
  'versions',
  'list',
  secret,
  '--filter=state:ENABLED',
  '--limit=1',
  '--format=value(name)',
  ...p,
];

function functionDeployments(options: DeployOptions, webhook: WebhookVersions): PlannedCommand[] {
  const projectFlag = ['--project', options.project];
  const fnSa = serviceAccountEmail(options, options.functionsAccount);
  return FUNCTION_SPECS.map((functionSpec) => {
    const argv = [
      'gcloud',
      'functions',
      'deploy',
      functionSpec.name,
      '--gen2',
      `--runtime=${FUNCTIONS_RUNTIME.id}`,
      `--region=${options.region}`,
      `--source=${options.source}`,
      `--entry-point=${functionSpec.name}`,
      `--service-account=${fnSa}`,
      `--memory=${functionSpec.memory}`,
      `--timeout=${functionSpec.timeoutSeconds}s`,
      '--min-instances=0',
      `--max-instances=${functionSpec.maxInstances}`,
      `--set-env-vars=${envFlagValue(functionEnvironment(options, functionSpec.name))}`,
      `--set-secrets=${secretsFlag(webhook)}`,
      ...projectFlag,
    ];
    if (functionSpec.trigger === 'firestore') {
      argv.push(
        `--trigger-location=${options.firestoreLocation}`,
        '--trigger-event-filters=type=google.cloud.firestore.document.v1.written',
        '--trigger-event-filters=database=(default)',
        `--trigger-event-filters-path-pattern=document=${functionSpec.document}`,
        `--trigger-service-account=${fnSa}`,
        '--retry',
      );
    } else
      argv.push(
        '--trigger-http',
        functionSpec.trigger === 'http-public' ? '--allow-unauthenticated' : '--no-allow-unauthenticated',
      );
    return { title: `Triển khai hàm ${functionSpec.name} (${FUNCTIONS_RUNTIME.id})`, argv };
  });
}

const SMTP_MISSING = (o: DeployOptions) =>
  `Bí mật ${SECRETS.smtpPassword} chưa có giá trị nên chưa thể triển khai các hàm. Thêm mật khẩu SMTP rồi chạy lại: printf %s "<mật khẩu SMTP>" | gcloud secrets versions add ${SECRETS.smtpPassword} --data-file=- --project ${o.project}`;

export function deploymentPlan(options: DeployOptions): PlannedCommand[] {
  const projectFlag = ['--project', options.project];
  const fnSa = serviceAccountEmail(options, options.functionsAccount);
  const schedSa = serviceAccountEmail(options, options.schedulerAccount);
  const cmds: PlannedCommand[] = [
    {
      title: 'Bật các API cần dùng',
      argv: [
        'gcloud',
        'services',
        'enable',
        'cloudfunctions.googleapis.com',
        'run.googleapis.com',
        'cloudbuild.googleapis.com',
        'artifactregistry.googleapis.com',
        'eventarc.googleapis.com',
        'firestore.googleapis.com',
        'cloudscheduler.googleapis.com',
        'secretmanager.googleapis.com',
        'sheets.googleapis.com',
        'drive.googleapis.com',
        'iamcredentials.googleapis.com',
        ...projectFlag,
      ],
    },
    {
      title: 'Tạo cơ sở dữ liệu Firestore (chế độ native)',
      argv: [
        'gcloud',
        'firestore',
        'databases',
        'create',
        `--location=${options.firestoreLocation}`,
        '--type=firestore-native',
        ...projectFlag,
      ],
      okIfExists: true,
    },
    {
      title: 'Tài khoản dịch vụ của các hàm',
      argv: [
        'gcloud',
        'iam',
        'service-accounts',
        'create',
        options.functionsAccount,
        '--display-name=Bao cao 521 functions',
        ...projectFlag,
      ],
      okIfExists: true,
    },
    {
      title: 'Tài khoản dịch vụ của Cloud Scheduler',
      argv: [
        'gcloud',
        'iam',
        'service-accounts',
        'create',
        options.schedulerAccount,
        '--display-name=Bao cao 521 scheduler',
        ...projectFlag,
      ],
      okIfExists: true,
    },
    ...['roles/datastore.user', 'roles/eventarc.eventReceiver', 'roles/logging.logWriter'].map((role) => ({
      title: `Quyền ${role} cho tài khoản của các hàm`,
      argv: [
        'gcloud',
        'projects',
        'add-iam-policy-binding',
        options.project,
        `--member=serviceAccount:${fnSa}`,
        `--role=${role}`,
        '--condition=None',
      ],
    })),
    {
      // npm run provision -- --target google acts as the functions' account (IAM Credentials generateAccessToken).
      title: `Cho người vận hành ${options.operator} hành động dưới danh nghĩa tài khoản của các hàm (provision)`,
      argv: [
        'gcloud',
        'iam',
        'service-accounts',
        'add-iam-policy-binding',
        fnSa,
        `--member=${operatorMember(options.operator)}`,
        '--role=roles/iam.serviceAccountTokenCreator',
        ...projectFlag,
      ],
    },
    {
      title: 'Bí mật dùng cho kênh Drive và nút Apps Script',
      argv: ['gcloud', 'secrets', 'create', SECRETS.webhook, '--replication-policy=automatic', ...projectFlag],
      okIfExists: true,
    },
    {
      title:
        'Giá trị ngẫu nhiên cho bí mật đó, chỉ khi chưa có (thêm phiên bản mới sẽ làm hỏng kênh Drive đang chạy và mọi bản Apps Script; đổi bí mật: rotate-webhook-secret)',
      argv: ['gcloud', 'secrets', 'versions', 'add', SECRETS.webhook, '--data-file=-', ...projectFlag],
      stdin: 'random-secret',
      onlyIf: {
        argv: enabledVersion(SECRETS.webhook, projectFlag),
        when: 'absent',
        meaning: `bí mật ${SECRETS.webhook} chưa có phiên bản nào đang bật`,
      },
    },
    {
      title: 'Bí mật mật khẩu SMTP',
      argv: ['gcloud', 'secrets', 'create', SECRETS.smtpPassword, '--replication-policy=automatic', ...projectFlag],
      okIfExists: true,
    },
    ...Object.values(SECRETS).map((s) => ({
      title: `Cho các hàm đọc bí mật ${s}`,
      argv: [
        'gcloud',
        'secrets',
        'add-iam-policy-binding',
        s,
        `--member=serviceAccount:${fnSa}`,
        '--role=roles/secretmanager.secretAccessor',
        ...projectFlag,
      ],
    })),
    {
      title: 'Kiểm tra: mật khẩu SMTP đã có giá trị (các hàm đọc nó khi khởi động)',
      argv: enabledVersion(SECRETS.smtpPassword, projectFlag),
      check: { failure: SMTP_MISSING(options) },
    },
    captureLatestWebhookVersion(
      projectFlag,
      'WEBHOOK_VERSION',
      'Số phiên bản bí mật webhook mà các hàm sẽ dùng (cố định, không dùng "latest")',
    ),
    { title: 'Biên dịch và đóng gói các hàm', argv: ['npm', 'run', 'build'] },
    ...functionDeployments(options, { current: '${WEBHOOK_VERSION}' }),
  ];
  // roles/run.invoker on the Cloud Run service behind a function, for the account that calls it.
  const invoker = (title: string, functionName: string, account: string): PlannedCommand => ({
    title,
    argv: [
      'gcloud',
      'functions',
      'add-invoker-policy-binding',
      functionName,
      `--region=${options.region}`,
      `--member=serviceAccount:${account}`,
      ...projectFlag,
    ],
  });
  // Eventarc calls the (private) Cloud Run service behind the function as its trigger account.
  for (const functionSpec of FUNCTION_SPECS.filter((f) => f.trigger === 'firestore'))
    cmds.push(
      invoker(
        `Cho Eventarc (tài khoản ${options.functionsAccount}) gọi ${functionSpec.name}: roles/run.invoker`,
        functionSpec.name,
        fnSa,
      ),
    );
  for (const functionSpec of FUNCTION_SPECS.filter((f) => f.trigger === 'http-private'))
    cmds.push(invoker(`Cho Cloud Scheduler gọi ${functionSpec.name}: roles/run.invoker`, functionSpec.name, schedSa));
  for (const job of SCHEDULED_JOBS) {
    const uri = functionUrl(options, job.target);
    const name = `bao-cao-${job.name}`;
    const common = [
      `--location=${options.region}`,
      `--schedule=${job.cron}`,
      `--time-zone=${SCHEDULE_TIME_ZONE}`,
      `--uri=${uri}`,
      '--http-method=POST',
      `--message-body=${JSON.stringify(job.body)}`,
      `--oidc-service-account-email=${schedSa}`,
      `--oidc-token-audience=${uri}`,
      `--attempt-deadline=${attemptDeadlineSeconds(job.target)}s`,
    ];
    const exists = [
      'gcloud',
      'scheduler',
      'jobs',
      'list',
      `--location=${options.region}`,
      `--filter=name~/jobs/${name}$`,
      '--format=value(name)',
      ...projectFlag,
    ];
    cmds.push(
      {
        title: `Lịch "${job.name}": ${job.description} — tạo mới`,
        argv: [
          'gcloud',
          'scheduler',
          'jobs',
          'create',
          'http',
          name,
          ...common,
          '--headers=Content-Type=application/json',
          ...projectFlag,
        ],
        onlyIf: { argv: exists, when: 'absent', meaning: `chưa có lịch ${name}` },
      },
      {
        title: `Lịch "${job.name}" — cập nhật cho khớp kế hoạch`,
        argv: [
          'gcloud',
          'scheduler',
          'jobs',
          'update',
          'http',
          name,
          ...common,
          '--update-headers=Content-Type=application/json',
          ...projectFlag,
        ],
        onlyIf: { argv: exists, when: 'present', meaning: `đã có lịch ${name}` },
      },
    );
  }
  cmds.push(
    {
      title: 'Luật bảo mật và chỉ mục Firestore (firebase.json)',
      argv: [
        'npx',
        'firebase',
        'deploy',
        '--only',
        'firestore:rules,firestore:indexes',
        '--project',
        options.project,
        '--non-interactive',
      ],
    },
    {
      title: `Tạo bảng tính cho các đơn vị, bảng tổng hợp và kênh theo dõi Drive, dưới danh nghĩa ${fnSa}`,
      argv: ['npm', 'run', 'provision', '--', '--target', 'google'],
      env: {
        ...functionEnvironment(options, 'maintenance'),
        WEBHOOK_SECRET: {
          fromCommand: [
            'gcloud',
            'secrets',
            'versions',
            'access',
            '${WEBHOOK_VERSION}',
            `--secret=${SECRETS.webhook}`,
            ...projectFlag,
          ],
        },
      },
    },
  );
  return cmds;
}

/** What a rotation leaves to people, printed after its commands. */
export function rotationAfterwards(options: DeployOptions): string[] {
  return [
    `Cập nhật thuộc tính WEBHOOK_SECRET của Apps Script trong mọi bảng tính có nút "Kiểm tra ngay / Gửi báo cáo" (giá trị: gcloud secrets versions access latest --secret=${SECRETS.webhook} --project ${options.project}). Trong lúc đó bí mật cũ vẫn được chấp nhận.`,
    'Kênh theo dõi Drive hiện tại mang mã ký bằng bí mật cũ và vẫn được chấp nhận; lịch renew-watch mở kênh mới (ký bằng bí mật mới) trước khi kênh cũ hết hạn, tức trong vòng 24 giờ.',
    `Sau ít nhất 24 giờ và khi mọi bản Apps Script đã cập nhật: npm run deploy -- finish-webhook-rotation --previous-version <số phiên bản cũ> … (cùng các tham số) để thôi chấp nhận và vô hiệu hóa bí mật cũ.`,
  ];
}

/**
 * Rotation of the webhook secret, first half: remember the version in use, add a new one, and
 * redeploy every function with both (WEBHOOK_SECRET = new, WEBHOOK_SECRET_PREVIOUS = old), so
 * the live Drive channel and the Apps Script copies keep working while they move over.
 */
export function rotateWebhookSecretPlan(options: DeployOptions): PlannedCommand[] {
  const projectFlag = ['--project', options.project];
  return [
    captureLatestWebhookVersion(projectFlag, 'PREVIOUS_VERSION', 'Ghi nhớ phiên bản bí mật đang dùng'),
    {
      title: 'Phiên bản mới, ngẫu nhiên, của bí mật',
      argv: ['gcloud', 'secrets', 'versions', 'add', SECRETS.webhook, '--data-file=-', ...projectFlag],
      stdin: 'random-secret',
    },
    captureLatestWebhookVersion(projectFlag, 'WEBHOOK_VERSION', 'Số của phiên bản mới'),
    {
      title: 'Kiểm tra: mật khẩu SMTP đã có giá trị',
      argv: enabledVersion(SECRETS.smtpPassword, projectFlag),
      check: { failure: SMTP_MISSING(options) },
    },
    { title: 'Biên dịch và đóng gói các hàm', argv: ['npm', 'run', 'build'] },
    ...functionDeployments(options, { current: '${WEBHOOK_VERSION}', previous: '${PREVIOUS_VERSION}' }).map((c) => ({
      ...c,
      title: `${c.title}: chấp nhận cả bí mật mới và bí mật cũ`,
    })),
  ];
}

/** Second half, once every channel and Apps Script copy uses the new secret: accept it alone, disable the old version. */
export function finishWebhookRotationPlan(options: DeployOptions, previousVersion: string): PlannedCommand[] {
  const projectFlag = ['--project', options.project];
  return [
    captureLatestWebhookVersion(projectFlag, 'WEBHOOK_VERSION', 'Số của phiên bản bí mật mới'),
    { title: 'Biên dịch và đóng gói các hàm', argv: ['npm', 'run', 'build'] },
    ...functionDeployments(options, { current: '${WEBHOOK_VERSION}' }).map((c) => ({
      ...c,
      title: `${c.title}: chỉ chấp nhận bí mật mới`,
    })),
    {
      title: `Vô hiệu hóa phiên bản cũ ${previousVersion} của bí mật`,
      argv: [
        'gcloud',
        'secrets',
        'versions',
        'disable',
        previousVersion,
        `--secret=${SECRETS.webhook}`,
        ...projectFlag,
      ],
    },
  ];
}

/** Every command the runner may execute for a step: its conditions, checks and environment reads included. */
export function commandsOf(command: PlannedCommand): string[][] {
  return [
    ...(command.onlyIf ? [command.onlyIf.argv] : []),
    ...Object.values(command.env ?? {}).flatMap((v) => (typeof v === 'string' ? [] : [v.fromCommand])),
    command.argv,
  ];
}

const PLACEHOLDER = /\$\{([A-Z_]+)\}/g;
const HAS_PLACEHOLDER = /\$\{[A-Z_]+\}/;

/** `argv` with its `${NAME}` placeholders filled. */
export function fillPlaceholders(argv: string[], values: Record<string, string>): string[] {
  return argv.map((a) =>
    a.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for \${${name}}`);
      return value;
    }),
  );
}

function quote(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument;
  // A placeholder stays a shell variable: double quotes (the rest of such arguments is plain).
  if (HAS_PLACEHOLDER.test(argument) && !/["`\\]/.test(argument.replace(PLACEHOLDER, ''))) return `"${argument}"`;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
const line = (argv: string[]) => argv.map(quote).join(' ');

/** A step as a person would paste it into a shell (bash): conditions become `if`, checks `|| exit`. */
export function shellLine(command: PlannedCommand): string {
  const env = Object.entries(command.env ?? {}).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? quote(v) : `"$(${line(v.fromCommand)})"`} `,
  );
  let text = `${env.join('')}${line(command.argv)}`;
  if (command.stdin === 'random-secret') text = `openssl rand -hex 32 | tr -d '\\n' | ${text}`;
  if (command.capture) text = `${command.capture}="$(${text})"`;
  if (command.check) text = `[ -n "$(${text})" ] || { echo ${quote(command.check.failure)} >&2; exit 1; }`;
  if (command.onlyIf)
    text = `if [ ${command.onlyIf.when === 'absent' ? '-z' : '-n'} "$(${line(command.onlyIf.argv)})" ]; then ${text}; fi`;
  return text;
}
