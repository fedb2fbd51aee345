/**
 * `npm run deploy -- [rotate-webhook-secret | finish-webhook-rotation --previous-version <n>]
 *   --project <id> --smtp-host <host> --mail-from <addr> --shared-drive-id <id> --operator <email> [--dry-run]`
 * Prints (--dry-run, as a bash script) or runs, in order, every command that puts the system on
 * Google Cloud, or that rotates the webhook secret. Re-running the deployment is safe: it
 * converges (see scripts/deploy/plan.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  IMPERSONATE_RETIRED,
  deployOptionsSchema,
  deploymentPlan,
  finishWebhookRotationPlan,
  functionUrl,
  rotateWebhookSecretPlan,
  rotationAfterwards,
  shellLine,
  type PlannedCommand,
} from './deploy/plan.js';
import { runPlan, type Exec } from './deploy/run.js';

const ACTIONS = ['deploy', 'rotate-webhook-secret', 'finish-webhook-rotation'] as const;

const exec: Exec = (argv, opts) => {
  const result = spawnSync(argv[0]!, argv.slice(1), {
    stdio: [opts.input !== undefined ? 'pipe' : 'inherit', opts.capture ? 'pipe' : 'inherit', 'pipe'],
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
    encoding: 'utf8',
  });
  if (!opts.capture) process.stderr.write(result.stderr ?? '');
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
};

function main(): number {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      options: {
        project: { type: 'string' },
        region: { type: 'string' },
        'firestore-location': { type: 'string' },
        'smtp-host': { type: 'string' },
        'smtp-port': { type: 'string' },
        'smtp-user': { type: 'string' },
        'mail-from': { type: 'string' },
        'shared-drive-id': { type: 'string' },
        operator: { type: 'string' },
        impersonate: { type: 'string' },
        schema: { type: 'string' },
        'previous-version': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    process.stderr.write(`Tham số không hợp lệ: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsedArgs;
  if (values.impersonate !== undefined) {
    process.stderr.write(`${IMPERSONATE_RETIRED}\n`);
    return 2;
  }
  const action = (positionals[0] ?? 'deploy') as (typeof ACTIONS)[number];
  if (!ACTIONS.includes(action) || positionals.length > 1) {
    process.stderr.write(`Việc cần làm phải là một trong: ${ACTIONS.join(', ')}.\n`);
    return 2;
  }
  const parsed = deployOptionsSchema.safeParse({
    project: values.project,
    region: values.region,
    firestoreLocation: values['firestore-location'],
    smtpHost: values['smtp-host'],
    smtpPort: values['smtp-port'],
    smtpUser: values['smtp-user'],
    mailFrom: values['mail-from'],
    sharedDriveId: values['shared-drive-id'],
    operator: values.operator,
    campaignSchema: values.schema,
  });
  if (!parsed.success) {
    process.stderr.write(
      `Thiếu hoặc sai tham số triển khai:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(chung)'}: ${i.message}`).join('\n')}\n`,
    );
    return 2;
  }
  const options = parsed.data;
  let plan: PlannedCommand[];
  let afterwards: string[] = [];
  if (action === 'finish-webhook-rotation') {
    if (!values['previous-version'] || !/^\d+$/.test(values['previous-version'])) {
      process.stderr.write(
        'finish-webhook-rotation cần --previous-version <số>: phiên bản cũ mà rotate-webhook-secret đã in (PREVIOUS_VERSION=…).\n',
      );
      return 2;
    }
    plan = finishWebhookRotationPlan(options, values['previous-version']);
  } else if (action === 'rotate-webhook-secret') {
    plan = rotateWebhookSecretPlan(options);
    afterwards = rotationAfterwards(options);
  } else plan = deploymentPlan(options);

  if (values['dry-run']) {
    const heading =
      action === 'deploy'
        ? 'Triển khai lên'
        : action === 'rotate-webhook-secret'
          ? 'Đổi bí mật webhook của'
          : 'Kết thúc đổi bí mật webhook của';
    process.stdout.write(`# ${heading} dự án ${options.project} (${options.region}); ${plan.length} bước.\n`);
    plan.forEach((c, i) =>
      process.stdout.write(
        `\n# ${i + 1}. ${c.title}${c.onlyIf ? `\n#    chỉ khi ${c.onlyIf.meaning}` : ''}\n${shellLine(c)}\n`,
      ),
    );
    if (action === 'deploy')
      process.stdout.write(`\n# Địa chỉ nhận thông báo Drive: ${functionUrl(options, 'driveWebhook')}\n`);
    for (const afterward of afterwards) process.stdout.write(`\n# Sau đó: ${afterward}`);
    if (afterwards.length) process.stdout.write('\n');
    return 0;
  }
  if (spawnSync('gcloud', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(
      'Không tìm thấy gcloud. Cài Google Cloud SDK và đăng nhập (gcloud auth login), hoặc dùng --dry-run để xem các lệnh.\n',
    );
    return 2;
  }
  const code = runPlan(plan, exec, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, () =>
    randomBytes(32).toString('hex'),
  );
  if (code === 0) for (const afterward of afterwards) process.stdout.write(`\nSau đó: ${afterward}\n`);
  return code;
}

// exitCode, not exit(): a long plan printed to a pipe must not be cut short.
process.exitCode = main();
