/**
 * `npm run deploy -- --project <id> --smtp-host <host> --mail-from <addr> (--shared-drive-id <id> | --impersonate <user>) [--dry-run]`
 * Prints (--dry-run) or runs, in order, every command that puts the system on Google Cloud.
 * Re-running is safe: steps that create something already there are skipped.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deployOptionsSchema, deploymentPlan, shellLine, functionUrl } from './deploy/plan.js';

function main(): number {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      region: { type: 'string' },
      'firestore-location': { type: 'string' },
      'smtp-host': { type: 'string' },
      'smtp-port': { type: 'string' },
      'smtp-user': { type: 'string' },
      'mail-from': { type: 'string' },
      'shared-drive-id': { type: 'string' },
      impersonate: { type: 'string' },
      schema: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const parsed = deployOptionsSchema.safeParse({
    project: values.project,
    region: values.region,
    firestoreLocation: values['firestore-location'],
    smtpHost: values['smtp-host'],
    smtpPort: values['smtp-port'],
    smtpUser: values['smtp-user'],
    mailFrom: values['mail-from'],
    sharedDriveId: values['shared-drive-id'],
    impersonate: values.impersonate,
    campaignSchema: values.schema,
  });
  if (!parsed.success) {
    process.stderr.write(`Thiếu hoặc sai tham số triển khai:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(chung)'}: ${i.message}`).join('\n')}\n`);
    return 2;
  }
  const plan = deploymentPlan(parsed.data);
  if (values['dry-run']) {
    process.stdout.write(`# Triển khai lên dự án ${parsed.data.project} (${parsed.data.region}); ${plan.length} bước.\n`);
    plan.forEach((c, i) => process.stdout.write(`\n# ${i + 1}. ${c.title}\n${shellLine(c)}\n`));
    process.stdout.write(`\n# Địa chỉ nhận thông báo Drive: ${functionUrl(parsed.data, 'driveWebhook')}\n`);
    return 0;
  }
  if (spawnSync('gcloud', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write('Không tìm thấy gcloud. Cài Google Cloud SDK và đăng nhập (gcloud auth login), hoặc dùng --dry-run để xem các lệnh.\n');
    return 2;
  }
  for (const [i, c] of plan.entries()) {
    process.stdout.write(`\n[${i + 1}/${plan.length}] ${c.title}\n$ ${shellLine(c)}\n`);
    const r = spawnSync(c.argv[0]!, c.argv.slice(1), { stdio: [c.stdin ? 'pipe' : 'inherit', 'inherit', 'pipe'], input: c.stdin === 'random-secret' ? randomBytes(32).toString('hex') : undefined, encoding: 'utf8' });
    const err = r.stderr ?? '';
    process.stderr.write(err);
    if (r.status !== 0) {
      if (c.okIfExists && /already exists|ALREADY_EXISTS|đã tồn tại/i.test(err)) continue;
      process.stderr.write(`Bước ${i + 1} thất bại; sửa lỗi rồi chạy lại (các bước đã xong sẽ được bỏ qua).\n`);
      return 1;
    }
  }
  return 0;
}

process.exit(main());
