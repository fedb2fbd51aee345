/**
 * `sweep --at <ISO datetime> [--json] [--dry-run]`, through `runCli` with fake io:
 * each run starts the embedded local stack on the state directory LOCAL_STATE_DIR, so what a
 * run records is what the next run finds. A dry run plans and prints but sends and records
 * nothing (the real run after it still sends everything); a second real run sends nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { model, unitsOfKind } from '../helpers/campaign.js';
import { runCliCaptured } from '../helpers/cli.js';

/** The text output's lines, one per round by name: the first round `missing` overdue, the others nothing yet. */
const roundLines = (missing: number) =>
  model.campaign.rounds
    .map((r, i) => `  ${r.name}: ${i === 0 ? missing : 0} chưa nộp (quá hạn), 0 nộp muộn, 0 sắp đến hạn, 0 còn lỗi.\n`)
    .join('');
const EXPECTED = ['district', 'district-police', 'catp-department', 'catp-security-department', 'sector'].flatMap((k) =>
  unitsOfKind(model, k),
);

describe('the sweep command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sweep-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCliCaptured(args, { cwd: dir, env: { LOCAL_STATE_DIR: join(dir, 'state') } });

  it('rejects an instant it cannot read, before starting anything', async () => {
    expect(await cli('sweep', '--at', '15/07/2020', '--json')).toEqual({
      code: 2,
      stdout: '',
      stderr: '--at "15/07/2020" không phải thời điểm hợp lệ; ví dụ 2020-07-14T23:59:59+07:00.\n',
    });
  });

  it('--json --dry-run prints the findings and planned mail; a real run then sends all of it, and a second one nothing', async () => {
    // A bare date-time is read in the campaign's zone: 08:00 ICT on 15/07/2020, the first day overdue.
    const dry = await cli('sweep', '--at', '2020-07-15T08:00:00', '--json', '--dry-run');
    expect(dry.code).toBe(0);
    const json = JSON.parse(dry.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'at',
      'rounds',
      'missing',
      'late',
      'dueSoon',
      'invalid',
      'findings',
      'quotaOverruns',
      'ineligible',
      'emails',
    ]);
    // Every finding names its round; the lists are given per round, with the round's name.
    const roundIds = model.campaign.rounds.map((r) => r.id);
    const findings = json.findings as { roundId: string; unit: string; rule: string }[];
    expect(findings.length).toBeGreaterThanOrEqual(EXPECTED.length);
    for (const finding of findings) expect(roundIds).toContain(finding.roundId);
    const rounds = json.rounds as { roundId: string; name: string; missing: string[] }[];
    expect(rounds.map((r) => [r.roundId, r.name])).toEqual(model.campaign.rounds.map((r) => [r.id, r.name]));
    expect([...rounds[0]!.missing].sort()).toEqual([...EXPECTED].sort());
    expect(json.at).toBe('2020-07-15T01:00:00.000Z');
    expect([...(json.missing as string[])].sort()).toEqual([...EXPECTED].sort());
    expect({
      late: json.late,
      dueSoon: json.dueSoon,
      invalid: json.invalid,
      quotaOverruns: json.quotaOverruns,
      ineligible: json.ineligible,
    }).toEqual({ late: [], dueSoon: [], invalid: [], quotaOverruns: [], ineligible: [] });
    const emails = json.emails as { to: string[]; subject: string; unit: string | null }[];
    expect(emails).toHaveLength(75);
    expect(emails[0]).toEqual({
      to: ['ubnd-ba-dinh@hanoi.example'],
      subject: '[Sơ kết QĐ 521 (2015–2020)] Báo cáo đã quá hạn: UBND quận Ba Đình',
      unit: 'ubnd-ba-dinh',
    });
    expect(emails.at(-1)).toEqual({
      to: ['xdpt-tonghop@hanoi.example'],
      subject: '[Sơ kết QĐ 521 (2015–2020)] Tổng hợp tình hình báo cáo ngày 15/07/2020',
      unit: null,
    });

    const real = await cli('sweep', '--at', '2020-07-15T08:00:00+07:00');
    expect(real).toMatchObject({
      code: 0,
      stdout: `Rà soát lúc 08:00 15/07/2020:\n${roundLines(74)}Đã gửi 75 thư, 0 thư đã gửi trước đó, 0 thư lỗi (sẽ gửi lại lần sau).\n`,
    });

    const again = await cli('sweep', '--at', '2020-07-15T16:00:00+07:00');
    expect(again).toMatchObject({
      code: 0,
      stdout: `Rà soát lúc 16:00 15/07/2020:\n${roundLines(74)}Đã gửi 0 thư, 0 thư đã gửi trước đó, 0 thư lỗi (sẽ gửi lại lần sau).\n`,
    });
  }, 120_000);
});
