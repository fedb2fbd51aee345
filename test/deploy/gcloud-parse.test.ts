/**
 * Every gcloud command the deployment can run — the plan, its conditions,
 * checks and environment reads, the rotation and its end — goes through the installed gcloud
 * with an empty configuration and no credentials. Each must get past argument parsing: the
 * only acceptable error is the missing account. The checker itself is shown to refuse an
 * unknown flag, a malformed value and a missing required flag, so a pass means something.
 */
import { describe, expect, it } from 'vitest';
import { checkWithGcloud, findGcloud } from '../../scripts/deploy/gcloud-parse.js';
import {
  deployOptionsSchema,
  deploymentPlan,
  finishWebhookRotationPlan,
  rotateWebhookSecretPlan,
} from '../../scripts/deploy/plan.js';
import { everyCommand } from '../../scripts/deploy/run.js';

const gcloud = findGcloud();
if (!gcloud)
  console.warn(
    'gcloud-parse: gcloud not found on PATH (Google Cloud SDK not installed): the real-gcloud checks are skipped.',
  );

const options = deployOptionsSchema.parse({
  project: 'bao-cao-hanoi',
  smtpHost: 'smtp.hanoi.gov.vn',
  smtpUser: 'bao-cao',
  mailFrom: 'Phòng XDPT <xdpt@hanoi.gov.vn>',
  sharedDriveId: '0AbCdEf',
  operator: 'van-hanh@hanoi.gov.vn',
  campaignSchema: 'sheets-schema/hanoi-521-2020.json',
});

describe('the deployment commands, parsed by the real gcloud', () => {
  it.skipIf(!gcloud)(
    'the checker refuses an unknown flag, a malformed value and a missing required flag, and accepts a good command',
    async () => {
      const good = [
        'gcloud',
        'secrets',
        'versions',
        'list',
        'bao-cao-webhook-secret',
        '--filter=state:ENABLED',
        '--limit=1',
        '--project',
        'bao-cao-hanoi',
      ];
      const unknownFlag = [...good, '--deliberately-bad-flag'];
      const badValue = [
        'gcloud',
        'scheduler',
        'jobs',
        'create',
        'http',
        'x',
        '--location=asia-southeast1',
        '--schedule=* * * * *',
        '--uri=https://example.com/',
        '--attempt-deadline=soon',
        '--project',
        'bao-cao-hanoi',
      ];
      const missingRequired = [
        'gcloud',
        'scheduler',
        'jobs',
        'create',
        'http',
        'x',
        '--location=asia-southeast1',
        '--uri=https://example.com/',
        '--project',
        'bao-cao-hanoi',
      ];
      const [ok, unknown, value, missing] = await checkWithGcloud([good, unknownFlag, badValue, missingRequired], {
        gcloud: gcloud!,
        parallel: 2,
      });
      expect(ok).toMatchObject({ parsed: true });
      expect(unknown).toMatchObject({
        parsed: false,
        reason: expect.stringMatching(/unrecognized arguments: --deliberately-bad-flag/),
      });
      expect(value).toMatchObject({ parsed: false, reason: expect.stringMatching(/soon/) });
      expect(missing).toMatchObject({ parsed: false, reason: expect.stringMatching(/--schedule/) });
    },
    60_000,
  );

  it.skipIf(!gcloud)(
    'every command of the plan, the rotation and its end gets past parsing',
    async () => {
      const commands = [
        ...everyCommand(deploymentPlan(options), { WEBHOOK_VERSION: '3' }),
        ...everyCommand(rotateWebhookSecretPlan(options), { PREVIOUS_VERSION: '3', WEBHOOK_VERSION: '4' }),
        ...everyCommand(finishWebhookRotationPlan(options, '3'), { WEBHOOK_VERSION: '4' }),
      ].filter((argv) => argv[0] === 'gcloud');
      // Conditions, checks and reads are in: the plan alone has more gcloud commands than steps.
      expect(commands.length).toBeGreaterThan(deploymentPlan(options).length);
      const refused = (await checkWithGcloud(commands, { gcloud: gcloud!, parallel: 2 })).filter((v) => !v.parsed);
      expect(refused.map((v) => `${v.argv.slice(0, 5).join(' ')} … → ${v.reason}`)).toEqual([]);
    },
    300_000,
  );
});
