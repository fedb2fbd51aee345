/**
 * From import to master through the CLI, once (it is slow: every command starts its own embedded stack on
 * the local state directory, and the first one provisions the round with Google's quotas on a
 * 60× clock): `import` two filled workbooks at two business times, as their clerks would type
 * them, then `master --json` reads the consolidated view back from that persisted state.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { model, MAIN_PERIOD } from '../helpers/campaign.js';
import { figuresFor, validSubmission } from '../helpers/fill-workbook.js';
import { templateXlsx } from '../helpers/template.js';
import { fillXlsx } from '../helpers/xlsx-fill.js';
import { runCliCaptured } from '../helpers/cli.js';

const SO_KET = 'so-ket-2020';
const FLOW = 'tuyen_truyen.dai_chung';
const STOCK = 'mo_hinh.hien_co';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-import-master-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliCaptured(args, { cwd: dir, env: { LOCAL_STATE_DIR: join(dir, 'state') } });

async function filled(unitId: string): Promise<string> {
  const file = `${unitId}.xlsx`;
  await writeFile(
    join(dir, file),
    await fillXlsx(await templateXlsx(model, unitId, SO_KET), validSubmission(model, unitId, SO_KET)),
  );
  return file;
}

describe('npm run cli -- import … and master --json', () => {
  it('imports two units on time and late, and the master view adds them up by value', async () => {
    const onTime = await cli(
      'import',
      await filled('ubnd-ba-dinh'),
      '--unit',
      'ubnd-ba-dinh',
      '--round',
      SO_KET,
      '--at',
      '2020-07-10T09:00:00+07:00',
      '--json',
    );
    expect(onTime.code).toBe(0);
    expect(onTime.stderr).toContain('Đang tạo bảng tính cho đợt so-ket-2020…');
    const first = JSON.parse(onTime.stdout);
    expect(first).toMatchObject({
      unit: 'ubnd-ba-dinh',
      round: SO_KET,
      status: 'ready',
      issues: [],
      accepted: true,
      version: 1,
      late: false,
      statusText: 'Đã gửi lúc 09:00 10/07/2020.',
    });
    expect(first.spreadsheetUrl).toMatch(/^https?:\/\//);

    const late = await cli(
      'import',
      await filled('ubnd-hoan-kiem'),
      '--unit',
      'ubnd-hoan-kiem',
      '--round',
      SO_KET,
      '--at',
      '2020-07-16T10:30',
      '--json',
    );
    expect(late.code).toBe(0);
    expect(late.stderr).not.toContain('Đang tạo bảng tính'); // provisioned once, found again in the persisted state
    expect(JSON.parse(late.stdout)).toMatchObject({
      accepted: true,
      version: 1,
      late: true,
      statusText: 'Đã gửi lúc 10:30 16/07/2020 (nộp muộn).',
    });

    const master = await cli('master', '--json', '--round', SO_KET, '--at', '2020-07-20T08:00:00+07:00');
    expect(master.code).toBe(0);
    const view = JSON.parse(master.stdout).rounds[SO_KET];
    const baDinhFigures = figuresFor(model, 'ubnd-ba-dinh', SO_KET, 'bang1');
    const second = figuresFor(model, 'ubnd-hoan-kiem', SO_KET, 'bang1');
    const periods = model.round(SO_KET).periods;
    const flow = (f: typeof baDinhFigures) => periods.reduce((n, p) => n + f[p]![FLOW]!, 0);
    expect(view.totals.bang1[FLOW]).toBe(flow(baDinhFigures) + flow(second));
    expect(view.totals.bang1[STOCK]).toBe(baDinhFigures[MAIN_PERIOD]![STOCK]! + second[MAIN_PERIOD]![STOCK]!);
    // The headline is the districts' subtotal; with no sector reported, the sectors' subtotal is empty.
    expect(view.groupTotals.districts).toEqual(view.totals);
    expect(view.groupTotals.sectors).toEqual({});
    expect(view.byUnit['ubnd-ba-dinh'].bang1[FLOW]).toBe(flow(baDinhFigures));
    expect(Object.keys(view.byUnit).sort()).toEqual(['ubnd-ba-dinh', 'ubnd-hoan-kiem']);
    expect([view.state['ubnd-ba-dinh'], view.state['ubnd-hoan-kiem'], view.state['ubnd-tay-ho']]).toEqual([
      'submitted',
      'submitted',
      'empty',
    ]);
    expect([
      view.timeliness['ubnd-ba-dinh'],
      view.timeliness['ubnd-hoan-kiem'],
      view.timeliness['ubnd-tay-ho'],
    ]).toEqual(['on-time', 'late', 'missing']);
    expect(view.nominations['ubnd-ba-dinh'].map((n: { name: string; source: string }) => [n.name, n.source])).toEqual([
      ['Tổ dân phố số 7 (Ba Đình)', 'submitted'],
      ['Nguyễn Thị Lan (Ba Đình)', 'submitted'],
      ['Trường THCS Nguyễn Trãi (Ba Đình)', 'submitted'],
    ]);
  }, 180_000);
});
