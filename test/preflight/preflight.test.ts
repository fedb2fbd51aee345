/**
 * `npm run preflight -- --target local` end to end: every check passes against a fresh local
 * stack, stdout is exactly one JSON document, and the cleanup leaves nothing behind (no
 * scratch spreadsheet in the Drive emulator, no scratch Firestore document, no open channel).
 * And a failing check — injected into the real run — prints its Vietnamese fix, exits 1, and
 * the cleanup still runs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memory-logger.js';
import { createDriveClient } from '../../functions/adapters/google-apis.js';
import { statusOf } from '../../functions/adapters/retry.js';
import { SECRETS } from '../../scripts/deploy/plan.js';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack/stack.js';
import { judgeSecret } from '../../scripts/preflight/google-platform.js';
import type { PreflightReport } from '../../scripts/preflight/report.js';
import { runPreflight } from '../../scripts/preflight/run.js';
import { SCRATCH_COLLECTION } from '../../scripts/preflight/workload.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORKLOAD_CHECKS = [
  'unit-workbook',
  'master-workbook',
  'read-back',
  'feedback',
  'drive-watch',
  'share',
  'firestore',
];

describe('npm run preflight -- --target local, against a running stack on a fresh state dir', () => {
  let stateDir: string;
  let stack: LocalStack;
  let result: { code: number; stdout: string; stderr: string };
  let report: PreflightReport;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'preflight-'));
    // As `npm start` does: announced in the state dir, so the preflight connects to it.
    stack = await startLocalStack({ stateDir, scheduler: false, announce: true, log: memoryLogger(), pushDelayMs: 50 });
    result = await promisify(execFile)('npx', ['tsx', 'scripts/preflight.ts', '--target', 'local', '--json'], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_STATE_DIR: stateDir },
      timeout: 120_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    report = JSON.parse(result.stdout) as PreflightReport;
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('passes every check, exits 0, and prints one JSON document on stdout', () => {
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ target: 'local', ok: true });
    expect(result.stderr).toMatch(/Dùng ngăn xếp cục bộ đang chạy/);
    const ids = report.checks.map((c) => c.id);
    for (const id of [
      ...WORKLOAD_CHECKS,
      'runtime',
      'functions',
      'scheduler',
      `secret:${SECRETS.webhook}`,
      `secret:${SECRETS.smtpPassword}`,
    ])
      expect(ids).toContain(id);
    expect(ids.filter((id) => id.startsWith('iam:functions:')).length).toBeGreaterThanOrEqual(2);
    expect(ids.at(-1)).toBe('cleanup');
    expect(report.checks.find((c) => c.id === 'feedback')!.detail).toMatch(/bị đánh dấu lỗi/);
  });

  it('left no scratch spreadsheet, document or channel behind', async () => {
    // The checks did create them…
    expect(stack.sheets.countRequests({ op: 'drive.files.create' })).toBe(2);
    expect(stack.sheets.countRequests({ op: 'drive.files.delete' })).toBe(2);
    // …and the cleanup removed them.
    expect(stack.sheets.listSpreadsheets()).toEqual([]);
    expect((await stack.runtime.db.collection(SCRATCH_COLLECTION).get()).size).toBe(0);
    const channelId = /kênh (preflight-\S+) mở/.exec(report.checks.find((c) => c.id === 'drive-watch')!.detail)![1]!;
    // The webhook answered the channel's sync with the right token…
    await expect
      .poll(() => stack.sheets.pushes.find((p) => p.channelId === channelId && p.state === 'sync')?.status)
      .toBe(200);
    // …and the channel is gone: stopping it again is a 404.
    const drive = await createDriveClient(stack.runtime.config.google);
    const stopped = await drive.channels.stop({ requestBody: { id: channelId } }).then(
      () => 200,
      (e: unknown) => statusOf(e),
    );
    expect(stopped).toBe(404);
  });
});

describe('a failing check in a real local run', () => {
  it('prints its Vietnamese fix, exits 1, and still cleans up', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'preflight-fail-'));
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runPreflight(
        ['--target', 'local'],
        {
          stdout: (t) => out.push(t),
          stderr: (t) => err.push(t),
          env: { ...process.env, LOCAL_STATE_DIR: stateDir },
          cwd: ROOT,
        },
        {
          // The SMTP password secret as Google would report it before the operator adds a value.
          wrapPlatform: (p) => ({
            ...p,
            secret: async (s) => (s.name === SECRETS.smtpPassword ? judgeSecret([], s, 'demo-local') : p.secret(s)),
          }),
        },
      );
      const text = out.join('');
      expect(code).toBe(1);
      expect(text).toContain(
        `✘ LỖI  Bí mật ${SECRETS.smtpPassword}: Bí mật ${SECRETS.smtpPassword} chưa có phiên bản nào đang bật`,
      );
      expect(text).toContain(
        `→ Cách sửa: thêm giá trị: printf '%s' '<giá trị>' | gcloud secrets versions add ${SECRETS.smtpPassword} --data-file=- --project=demo-local`,
      );
      expect(text).toMatch(
        /✔ ĐẠT {2}Dọn dẹp: xóa tệp, kênh và tài liệu thử: xóa unit \S+, xóa master \S+, xóa preflight\//,
      );
      expect(text).toMatch(/1\/\d+ bước kiểm tra không đạt \(local\): secret:bao-cao-smtp-password/);
      expect(text).not.toMatch(new RegExp(`✘ LỖI  (?!Bí mật ${SECRETS.smtpPassword})`));
      expect(err.join('')).toMatch(/Khởi động ngăn xếp cục bộ/);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses bad usage with exit code 2', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (t: string) => err.push(t), env: {}, cwd: ROOT };
    expect(await runPreflight(['--target', 'moon'], io)).toBe(2);
    expect(await runPreflight(['--target', 'google'], io)).toBe(2);
    expect(await runPreflight(['--target', 'google', '--project', 'bao-cao-hanoi'], io)).toBe(2);
    expect(
      await runPreflight(['--target', 'google', '--project', 'bao-cao-hanoi', '--shared-drive-id', '0AbCdEf'], io),
    ).toBe(2);
    expect(await runPreflight(['--bogus'], io)).toBe(2);
    expect(err.join('')).toMatch(/--target google cần --project/);
    expect(err.join('')).toMatch(/--target google cần --shared-drive-id/);
    expect(err.join('')).toMatch(/--target google cần --operator/);
  });
});
