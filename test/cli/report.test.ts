/**
 * `npm run cli -- report` after importing units through the CLI, as the clerks would
 * type them: the files are written, the consolidated totals in the .xlsx equal `master --json`'s
 * exactly, and the draft report carries what the units wrote through the whole pipeline.
 * (Slow like cli-import-master: each command starts its own embedded stack on the local state.)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADLINE_LABEL } from '../../functions/layout/report-workbooks.js';
import { model } from '../helpers/campaign.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { templateXlsx } from '../helpers/template.js';
import { fillXlsx } from '../helpers/xlsx-fill.js';
import { runCliCaptured } from '../helpers/cli.js';

const SO_KET = 'so-ket-2020';
const UNITS = ['ubnd-ba-dinh', 'ubnd-hoan-kiem'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliCaptured(args, { cwd: dir, env: { LOCAL_STATE_DIR: join(dir, 'state') } });

async function filled(unitId: string): Promise<string> {
  const file = `${unitId}.xlsx`;
  const submission = validSubmission(model, unitId, SO_KET);
  submission.outline['bao_cao']!['I.1'] = { content: `Tình hình riêng của ${unitId}.` };
  await writeFile(join(dir, file), await fillXlsx(await templateXlsx(model, unitId, SO_KET), submission));
  return file;
}

/** The headline row of each figures sheet, read back cell by cell: indicator code → number. */
async function headlineTotals(file: string): Promise<Record<string, Record<string, number | null>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: Record<string, Record<string, number | null>> = {};
  for (const table of model.figuresTables()) {
    const worksheet = workbook.getWorksheet(table.label);
    if (!worksheet) continue;
    // Columns: STT, Đơn vị, then the indicators; the headline row is labelled in the unit column.
    let headline: ExcelJS.Row | undefined;
    worksheet.eachRow((row) => {
      if (String(row.getCell(2).value ?? '').startsWith(HEADLINE_LABEL)) headline = row;
    });
    expect(headline, `${table.label} has the headline row`).toBeDefined();
    out[table.id] = Object.fromEntries(
      table.indicators.map((ind, i) => [ind.code, (headline!.getCell(3 + i).value as number | null) ?? null]),
    );
  }
  return out;
}

describe('npm run cli -- report', () => {
  it('writes the round documents; the consolidated totals equal master --json; the draft quotes the units', async () => {
    for (const unitId of UNITS) {
      const run = await cli(
        'import',
        await filled(unitId),
        '--unit',
        unitId,
        '--round',
        SO_KET,
        '--at',
        '2020-07-10T09:00:00+07:00',
        '--json',
      );
      expect(run.code).toBe(0);
    }
    const at = '2020-07-20T08:00:00+07:00';
    const master = await cli('master', '--json', '--round', SO_KET, '--at', at);
    expect(master.code).toBe(0);
    const masterTotals = JSON.parse(master.stdout).rounds[SO_KET].totals;

    const report = await cli('report', '--round', SO_KET, '--out', 'ra', '--at', at, '--json');
    expect(report.stderr).not.toMatch(/Error/);
    expect(report.code).toBe(0);
    const listed = JSON.parse(report.stdout);
    const names = [
      `bang-tong-hop-${SO_KET}.xlsx`,
      `bao-cao-tong-hop-${SO_KET}.docx`,
      ...model.campaign.awards.map((a) => `khen-thuong-${a.id}.xlsx`),
    ];
    expect(listed.files.map((f: { name: string }) => f.name)).toEqual(names);
    // Relative --out is the caller's directory, and the listing tells the truth about each file.
    expect((await readdir(join(dir, 'ra'))).sort()).toEqual([...names].sort());
    for (const file of listed.files) {
      const bytes = await readFile(join(dir, 'ra', file.name));
      expect({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual({
        bytes: file.bytes,
        sha256: file.sha256,
      });
    }

    const consolidated = await headlineTotals(join(dir, 'ra', `bang-tong-hop-${SO_KET}.xlsx`));
    expect(Object.keys(consolidated).sort()).toEqual(Object.keys(masterTotals).sort());
    expect(consolidated).toEqual(masterTotals);

    const text = (await mammoth.extractRawText({ path: join(dir, 'ra', `bao-cao-tong-hop-${SO_KET}.docx`) })).value;
    for (const unitId of UNITS) expect(text).toContain(`${model.unit(unitId).name}: Tình hình riêng của ${unitId}.`);
    expect(text).toContain('Các đơn vị báo cáo đúng hạn (2):');
  }, 240_000);

  it('refuses a missing round or folder in Vietnamese', async () => {
    expect(await cli('report', '--out', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Thiếu --round'),
    });
    expect(await cli('report', '--round', 'khong-co', '--out', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Không có đợt báo cáo "khong-co"'),
    });
    expect(await cli('report', '--round', SO_KET)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Thiếu --out'),
    });
  });
});
