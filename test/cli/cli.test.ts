/**
 * The offline CLI, end to end: `template` writes a unit's blank .xlsx; a person fills it in
 * Excel (here exceljs, writing cells found by the template's hidden codes, typing some
 * numbers as text the Vietnamese way); `check` reads it back and reports issues, values and
 * nominations. Exit codes: 0 no error, 1 errors, 2 unusable input. Runs in-process with fake
 * io, plus one real `npm run cli` from another directory to prove the entry point works.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_CAMPAIGN_FILE, model, MAIN_PERIOD } from '../helpers/campaign.js';
import { figuresFor, nomineeRow, validSubmission, type Submission } from '../helpers/fill-workbook.js';
import { fillXlsx } from '../helpers/xlsx-fill.js';
import { runCliCaptured } from '../helpers/cli.js';
import { commands } from '../../scripts/cli.js';
import { processIo } from '../../scripts/cli/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUND = 'so-ket-2020';
const GENERAL =
  'Tùy chọn chung: --schema <tệp chiến dịch .json> (mặc định: kế hoạch 2020 của Hà Nội); --help để xem hướng dẫn.';
const COORDINATOR = 'Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố)';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-round-trip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliCaptured(args, { cwd: dir });

interface CheckJson {
  unit: string;
  round: string;
  status: string;
  issues: { sheet: string; cell: string | null; code: string; severity: string; message: string }[];
  values: Record<string, Record<string, Record<string, number | null>>>;
  nominations: Record<string, unknown>[];
}

/** `template` for a unit, then the template filled with `submission`, saved as `name`. */
async function templateAndFill(unitId: string, name: string, submission: Submission): Promise<string> {
  const template = `${unitId}-mau.xlsx`;
  const templateRun = await cli('template', '--unit', unitId, '--round', ROUND, '--out', template);
  expect(templateRun).toEqual({
    code: 0,
    stdout: `Đã tạo biểu mẫu của ${model.unit(unitId).name}, Báo cáo sơ kết: ${join(dir, template)}\n`,
    stderr: '',
  });
  await writeFile(join(dir, name), await fillXlsx(await readFile(join(dir, template)), submission));
  return name;
}

async function checkJson(file: string, unitId: string): Promise<{ code: number; json: CheckJson; stderr: string }> {
  const run = await cli('check', file, '--unit', unitId, '--round', ROUND, '--json');
  return {
    code: run.code,
    json: run.stdout ? (JSON.parse(run.stdout) as CheckJson) : (undefined as never),
    stderr: run.stderr,
  };
}

describe('round trip: a district (ubnd-ba-dinh)', () => {
  const UNIT = 'ubnd-ba-dinh';
  const figures = figuresFor(model, UNIT, ROUND, 'bang1');
  /** The valid submission, with some figures typed as text the Vietnamese way. */
  const typedSubmission = () => {
    const submission = validSubmission(model, UNIT, ROUND);
    submission.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.tai_lieu_ban'] = '3.456';
    submission.figures.bang1![MAIN_PERIOD]!['ngan_sach.xdpt_chung'] = '850,5';
    submission.figures.bang1![MAIN_PERIOD]!['ngan_sach.bvdp'] = '1.234,75';
    submission.figures.bang2![MAIN_PERIOD]!['ngay_hoi.thon_to.nguoi'] = '31 250';
    return submission;
  };

  it('a complete, ticked workbook: exit 0, ready, the values as typed', async () => {
    const file = await templateAndFill(UNIT, 'ba-dinh-hop-le.xlsx', typedSubmission());
    const { code, json } = await checkJson(file, UNIT);
    expect(code).toBe(0);
    expect(json.unit).toBe(UNIT);
    expect(json.round).toBe(ROUND);
    expect(json.status).toBe('ready');
    expect(json.issues).toEqual([]);
    expect(json.values.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung']).toBe(
      figures[MAIN_PERIOD]!['tuyen_truyen.dai_chung'],
    );
    expect(json.values.bang1![MAIN_PERIOD]!['tuyen_truyen.tai_lieu_ban']).toBe(3456);
    expect(json.values.bang1![MAIN_PERIOD]!['ngan_sach.xdpt_chung']).toBe(850.5);
    expect(json.values.bang1![MAIN_PERIOD]!['ngan_sach.bvdp']).toBe(1234.75);
    expect(json.values.bang1![MAIN_PERIOD]).toEqual({
      ...figures[MAIN_PERIOD],
      'tuyen_truyen.tai_lieu_ban': 3456,
      'ngan_sach.xdpt_chung': 850.5,
      'ngan_sach.bvdp': 1234.75,
    });
    expect(json.values.bang2![MAIN_PERIOD]!['ngay_hoi.thon_to.nguoi']).toBe(31250);
    expect(json.values.bang2![MAIN_PERIOD]).toEqual({
      ...figuresFor(model, UNIT, ROUND, 'bang2')[MAIN_PERIOD],
      'ngay_hoi.thon_to.nguoi': 31250,
    });
    expect(json.nominations.map((n) => [n.row, n.cell, n.award, n.type, n.scope, n.name, n.eligible])).toEqual([
      [1, 'F18', 'bkubnd', 'collective', 'outside', 'Tổ dân phố số 7 (Ba Đình)', true],
      [2, 'F19', 'bkubnd', 'individual', 'outside', 'Nguyễn Thị Lan (Ba Đình)', true],
      [3, 'F20', 'gkcatp', 'collective', 'outside', 'Trường THCS Nguyễn Trãi (Ba Đình)', true],
    ]);
    expect(await cli('check', file, '--unit', UNIT, '--round', ROUND)).toEqual({
      code: 0,
      stdout:
        'Đơn vị: UBND quận Ba Đình — Báo cáo sơ kết\nTình trạng: Hợp lệ: sẵn sàng gửi.\n\nKhông có lỗi hay cảnh báo.\n',
      stderr: '',
    });
  });

  it('"12 buổi" typed in a number cell: exit 1, the issue at its cell with its message', async () => {
    const submission = typedSubmission();
    submission.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.tap_trung_buoi'] = '12 buổi';
    const { code, json } = await checkJson(await templateAndFill(UNIT, 'ba-dinh-loi.xlsx', submission), UNIT);
    expect(code).toBe(1);
    expect(json.status).toBe('invalid');
    expect(json.issues).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'G13',
        code: 'value.not_number',
        severity: 'error',
        message:
          'Ô G13 (Tuyên truyền tập trung – Buổi, Giai đoạn 2015 – 2020): "12 buổi" không phải là số. Chỉ nhập chữ số, ví dụ 12; đơn vị tính đã ghi ở tiêu đề cột.',
      },
    ]);
    expect(json.values.bang1![MAIN_PERIOD]!['tuyen_truyen.tap_trung_buoi']).toBeNull();
    expect(json.values.bang1![MAIN_PERIOD]!['tuyen_truyen.tai_lieu_ban']).toBe(3456);
  });

  it('the readable report groups the issues by tab, in tab order, errors and warnings marked', async () => {
    const submission = typedSubmission();
    submission.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.tap_trung_buoi'] = '12 buổi';
    Object.assign(submission.figures.bang2![MAIN_PERIOD]!, { 'tin_bao.co_gia_tri': 20, 'tin_bao.lam_ro_vu': 25 });
    submission.confirmation.dien_thoai = '0912 345';
    const file = await templateAndFill(UNIT, 'ba-dinh-bao-cao.xlsx', submission);
    const run = await cli('check', file, '--unit', UNIT, '--round', ROUND);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        'Đơn vị: UBND quận Ba Đình — Báo cáo sơ kết',
        'Tình trạng: Còn 2 lỗi, 1 cảnh báo — chưa gửi được: hãy sửa các ô tô đỏ (di chuột vào ô để xem hướng dẫn).',
        '',
        'Trang "Bảng 1":',
        '  LỖI      G13    Ô G13 (Tuyên truyền tập trung – Buổi, Giai đoạn 2015 – 2020): "12 buổi" không phải là số. Chỉ nhập chữ số, ví dụ 12; đơn vị tính đã ghi ở tiêu đề cột.',
        '',
        'Trang "Bảng 2":',
        '  CẢNH BÁO Q13    Ô Q13 (Giai đoạn 2015 – 2020): số vụ đã điều tra làm rõ (25) nhiều hơn số tin có giá trị (20, ô P13). Có thể đúng, nhưng hãy kiểm tra lại.',
        '',
        'Trang "Xác nhận":',
        '  LỖI      C9     Ô C9: số điện thoại "0912 345" không hợp lệ. Hãy nhập số di động 10 chữ số hoặc số cố định 11 chữ số (có mã vùng), ví dụ 0912 345 678 hoặc 024 3942 1234.',
        '',
      ].join('\n'),
    );
  });

  it('a blank template checks as empty, exit 0', async () => {
    await cli('template', '--unit', UNIT, '--round', ROUND, '--out', 'trong.xlsx');
    const run = await cli('check', 'trong.xlsx', '--unit', UNIT, '--round', ROUND);
    expect(run).toEqual({
      code: 0,
      stdout:
        'Đơn vị: UBND quận Ba Đình — Báo cáo sơ kết\nTình trạng: Chưa nhập số liệu.\n\nBiểu mẫu chưa có số liệu.\n',
      stderr: '',
    });
  });
});

describe('round trip: a district police unit (ca-ba-dinh)', () => {
  const UNIT = 'ca-ba-dinh';

  it('its nominations, read back in full: exit 0', async () => {
    const { code, json } = await checkJson(
      await templateAndFill(UNIT, 'ca-ba-dinh.xlsx', validSubmission(model, UNIT, ROUND)),
      UNIT,
    );
    expect(code).toBe(0);
    expect(json.status).toBe('ready');
    expect(json.issues).toEqual([]);
    expect(json.values).toEqual({});
    expect(json.nominations).toEqual([
      {
        row: 1,
        cell: 'F18',
        award: 'bkbca',
        type: 'individual',
        scope: 'cand',
        name: 'Thượng tá Trần Văn Minh (Ba Đình)',
        position: 'Phó Trưởng Ba Đình',
        titles: {
          '2015': 'chien_si_tien_tien',
          '2016': 'chien_si_thi_dua_co_so',
          '2017': 'chien_si_tien_tien',
          '2018': 'chien_si_tien_tien',
          '2019': 'chien_si_thi_dua_co_so',
        },
        giayKhen: 3,
        bangKhen: 1,
        reportConfirmed: true,
        originalSets: 3,
        eligible: true,
        ineligibleReasons: [],
        exempt: false,
        verdict: 'ok',
        issues: [],
      },
      {
        row: 2,
        cell: 'F19',
        award: 'bkubnd',
        type: 'collective',
        scope: 'cand',
        name: 'Đội Xây dựng phong trào (Ba Đình)',
        position: 'Ba Đình',
        titles: {
          '2015': 'don_vi_tien_tien',
          '2016': 'don_vi_quyet_thang',
          '2017': 'don_vi_tien_tien',
          '2018': 'don_vi_quyet_thang',
          '2019': 'don_vi_tien_tien',
        },
        giayKhen: 2,
        bangKhen: 1,
        reportConfirmed: true,
        originalSets: 2,
        eligible: true,
        ineligibleReasons: [],
        exempt: false,
        verdict: 'ok',
        issues: [],
      },
      {
        row: 3,
        cell: 'F20',
        award: 'gkcatp',
        type: 'individual',
        scope: 'cand',
        name: 'Đại úy Lê Văn Nam (Ba Đình)',
        position: 'Cán bộ Ba Đình',
        titles: {
          '2015': 'chien_si_tien_tien',
          '2016': 'chien_si_tien_tien',
          '2017': 'chien_si_tien_tien',
          '2018': 'chien_si_tien_tien',
          '2019': 'chien_si_tien_tien',
        },
        giayKhen: 0,
        bangKhen: 0,
        reportConfirmed: true,
        originalSets: 1,
        eligible: true,
        ineligibleReasons: [],
        exempt: false,
        verdict: 'ok',
        issues: [],
      },
    ]);
  });

  it('one Giấy khen over the quota of 3 CAND individuals: exit 1 at the excess row', async () => {
    const submission = validSubmission(model, UNIT, ROUND);
    for (const name of ['Trung úy Đỗ Văn Hải', 'Thượng úy Phạm Thị Thu', 'Thiếu úy Vũ Minh Đức'])
      submission.lists.khen_thuong!.push(
        nomineeRow(model, { award: 'gkcatp', type: 'individual', scope: 'cand', name }),
      );
    const { code, json } = await checkJson(await templateAndFill(UNIT, 'ca-ba-dinh-vuot.xlsx', submission), UNIT);
    // Exit 1: an error remains, but it is the excess nominee's; the report itself is ready.
    expect(code).toBe(1);
    expect(json.status).toBe('ready');
    expect(json.nominations.map((n) => n.verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'over_quota']);
    expect(json.nominations[5]!.issues).toEqual([
      {
        cell: 'C23',
        code: 'khen_thuong.quota_exceeded',
        severity: 'error',
        message:
          'Ô C23: vượt số lượng đề nghị Giấy khen Giám đốc CATP: 01 tập thể và 03 cá nhân thuộc lực lượng CAND; đơn vị đang đề nghị 4. Hãy bớt 1 đề nghị.',
      },
    ]);
    expect(json.issues).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'C23',
        code: 'khen_thuong.quota_exceeded',
        severity: 'error',
        message:
          'Ô C23: vượt số lượng đề nghị Giấy khen Giám đốc CATP: 01 tập thể và 03 cá nhân thuộc lực lượng CAND; đơn vị đang đề nghị 4. Hãy bớt 1 đề nghị.',
      },
    ]);
    expect(json.nominations).toHaveLength(6);
  });
});

describe('round trip: a security department (catp-ankt)', () => {
  const UNIT = 'catp-ankt';

  it('CAND and outside nominees: exit 0', async () => {
    const { code, json } = await checkJson(
      await templateAndFill(UNIT, 'ankt.xlsx', validSubmission(model, UNIT, ROUND)),
      UNIT,
    );
    expect(code).toBe(0);
    expect(json.status).toBe('ready');
    expect(json.issues).toEqual([]);
    expect(json.nominations.map((n) => [n.award, n.type, n.scope, n.name, n.eligible])).toEqual([
      ['bkbca', 'individual', 'cand', 'Thượng tá Trần Văn Minh (Phòng An ninh kinh tế)', true],
      ['bkubnd', 'collective', 'cand', 'Đội Xây dựng phong trào (Phòng An ninh kinh tế)', true],
      ['gkcatp', 'individual', 'cand', 'Đại úy Lê Văn Nam (Phòng An ninh kinh tế)', true],
      ['bkubnd', 'collective', 'outside', 'Tổ dân phố số 7 (Phòng An ninh kinh tế)', true],
      ['bkubnd', 'individual', 'outside', 'Nguyễn Thị Lan (Phòng An ninh kinh tế)', true],
      ['gkcatp', 'collective', 'outside', 'Trường THCS Nguyễn Trãi (Phòng An ninh kinh tế)', true],
    ]);
  });

  it('an outside individual without a Giấy khen is not eligible for a Bằng khen: exit 1, the reason in the nomination', async () => {
    const submission = validSubmission(model, UNIT, ROUND);
    submission.lists.khen_thuong![4] = nomineeRow(model, {
      award: 'bkubnd',
      type: 'individual',
      scope: 'outside',
      name: 'Bà Hoàng Thị Mai',
      giayKhen: 0,
      bangKhen: 0,
    });
    submission.forms.khen_thuong!.bien_ban = false;
    const { code, json } = await checkJson(await templateAndFill(UNIT, 'ankt-loi.xlsx', submission), UNIT);
    expect(code).toBe(1);
    const message =
      'Ô M22: đề nghị Bằng khen UBND Thành phố cho cá nhân ngoài lực lượng CAND cần ít nhất 1 lần được tặng Giấy khen trở lên; "Bà Hoàng Thị Mai" mới ghi 0.';
    expect(json.issues).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'F12',
        code: 'khen_thuong.dossier_unit_missing',
        severity: 'error',
        message:
          'Ô F12: chưa đánh dấu "Biên bản họp Hội đồng Thi đua, khen thưởng" trong hồ sơ chung của đơn vị (mục IV.5 Kế hoạch 127).',
      },
      { sheet: 'Khen thưởng', cell: 'M22', code: 'khen_thuong.ineligible_commendations', severity: 'error', message },
    ]);
    expect(json.nominations[4]).toMatchObject({
      name: 'Bà Hoàng Thị Mai',
      eligible: false,
      ineligibleReasons: [message],
      giayKhen: 0,
      bangKhen: 0,
    });
  });
});

describe('exit code 2: input the check cannot use', () => {
  it('a file that does not exist', async () => {
    expect(await cli('check', 'khong-co.xlsx', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: `Không đọc được tệp ${join(dir, 'khong-co.xlsx')}: tệp không tồn tại hoặc không có quyền đọc.\n`,
    });
  });

  it('a file that is not an .xlsx', async () => {
    await writeFile(join(dir, 'bao-cao.xlsx'), 'Đây là văn bản, không phải bảng tính');
    expect(await cli('check', 'bao-cao.xlsx', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: `Không mở được tệp ${join(dir, 'bao-cao.xlsx')}: đây không phải tệp Excel (.xlsx) hợp lệ.\n`,
    });
  });

  it('an unknown unit or round', async () => {
    expect(await cli('check', 'x.xlsx', '--unit', 'ubnd-ha-tay', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Không có đơn vị "ubnd-ha-tay" trong danh sách đơn vị của kế hoạch.\n',
    });
    expect(await cli('template', '--unit', 'ubnd-ba-dinh', '--round', 'tong-ket-2025', '--out', 'x.xlsx')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Không có đợt báo cáo "tong-ket-2025"; các đợt: so-ket-2020, bo-sung-2020.\n',
    });
  });

  it("another unit's template", async () => {
    await cli('template', '--unit', 'ubnd-hoan-kiem', '--round', ROUND, '--out', 'hoan-kiem.xlsx');
    expect(await cli('check', 'hoan-kiem.xlsx', '--unit', 'ubnd-ba-dinh', '--round', ROUND, '--json')).toEqual({
      code: 2,
      stdout: '',
      stderr: `Bảng tính này ghi là của "UBND quận Hoàn Kiếm", nhưng được cấp cho UBND quận Ba Đình. Số liệu chỉ được tính cho UBND quận Ba Đình; hãy dùng đúng bảng tính được cấp hoặc liên hệ ${COORDINATOR}.\n`,
    });
  });

  it("another round's template", async () => {
    await cli('template', '--unit', 'ubnd-ba-dinh', '--round', 'bo-sung-2020', '--out', 'bo-sung.xlsx');
    const run = await cli('check', 'bo-sung.xlsx', '--unit', 'ubnd-ba-dinh', '--round', ROUND);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `Bảng tính này ghi là của đợt "Báo cáo bổ sung", không phải đợt "Báo cáo sơ kết". Hãy dùng đúng biểu mẫu của đợt này hoặc liên hệ ${COORDINATOR}.\n`,
    );
  });

  it('a unit with no workbook in the round', async () => {
    const expected = {
      code: 2,
      stdout: '',
      stderr: 'Công an quận Ba Đình không có biểu mẫu nào trong đợt "bo-sung-2020".\n',
    };
    expect(await cli('template', '--unit', 'ca-ba-dinh', '--round', 'bo-sung-2020', '--out', 'ca.xlsx')).toEqual(
      expected,
    );
    expect(await cli('check', 'ca.xlsx', '--unit', 'ca-ba-dinh', '--round', 'bo-sung-2020')).toEqual(expected);
  });

  it('missing or unknown arguments and commands', async () => {
    expect(await cli('check', 'x.xlsx', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu --unit <mã đơn vị>, ví dụ --unit ubnd-ba-dinh.\n',
    });
    expect(await cli('check', 'x.xlsx', '--unit', 'ubnd-ba-dinh')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu --round <mã đợt>: so-ket-2020, bo-sung-2020.\n',
    });
    expect(await cli('check', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu tệp .xlsx cần kiểm tra: check <tệp.xlsx> --unit <mã> --round <mã>.\n',
    });
    expect(await cli('template', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu --out <tệp.xlsx>.\n',
    });
    const badOption = await cli('template', '--unit', 'ubnd-ba-dinh', '--round', ROUND, '--ra', 'x.xlsx');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toBe(
      `Tham số không hợp lệ: không có tùy chọn --ra.\nDùng: npm run cli -- ${commands.template!.help}\n${GENERAL}\n`,
    );
    const unknown = await cli('kiem-tra');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^Không có lệnh "kiem-tra"\.\nDùng: npm run cli -- <lệnh> \[tùy chọn\]\nCác lệnh:\n {2}template --unit <mã> --round <mã> --out <tệp.xlsx>/,
    );
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Dùng: npm run cli -- <lệnh> \[tùy chọn\]\nCác lệnh:\n/);
  });

  it('a broken campaign file given with --schema names the path', async () => {
    const raw = JSON.parse(await readFile(SECOND_CAMPAIGN_FILE, 'utf8'));
    raw.units[1].parent = 'tp-hue';
    await writeFile(join(dir, 'hong.json'), JSON.stringify(raw));
    const run = await cli(
      'template',
      '--schema',
      'hong.json',
      '--unit',
      'phuong-hai-chau',
      '--round',
      'tong-ket-2025',
      '--out',
      'x.xlsx',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `Tệp chiến dịch ${join(dir, 'hong.json')} không hợp lệ:\n  - units.1.parent: đơn vị cấp trên "tp-hue" không có trong units\n`,
    );
  });
});

describe('CLI manners', () => {
  it('help, --help and -h print every command on stdout and exit 0', async () => {
    for (const asked of [['help'], ['--help'], ['-h']]) {
      const run = await cli(...asked);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Dùng: npm run cli -- <lệnh> \[tùy chọn\]\nCác lệnh:\n/);
      for (const name of Object.keys(commands)) expect(run.stdout).toContain(`\n  ${commands[name]!.help}\n`);
    }
  });

  it("<command> --help and help <command> print that command's usage on stdout and exit 0, without running it", async () => {
    const masterUsage = `Dùng: npm run cli -- ${commands.master!.help}\n${GENERAL}\n`;
    expect(await cli('master', '--help')).toEqual({ code: 0, stdout: masterUsage, stderr: '' });
    expect(await cli('help', 'master')).toEqual({ code: 0, stdout: masterUsage, stderr: '' });
    // Arguments that would otherwise be refused do not matter once help is asked for.
    expect(await cli('check', '--unit', 'khong-co', '-h')).toEqual({
      code: 0,
      stdout: `Dùng: npm run cli -- ${commands.check!.help}\n${GENERAL}\n`,
      stderr: '',
    });
    const unknown = await cli('help', 'kiem-tra');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^Không có lệnh "kiem-tra"\.\nDùng:/);
  });

  it("a mistaken option is explained in Vietnamese, with the command's usage, exit 2", async () => {
    const usage = (name: string) => `Dùng: npm run cli -- ${commands[name]!.help}\n${GENERAL}\n`;
    expect(await cli('master', '--json=yes')).toEqual({
      code: 2,
      stdout: '',
      stderr: `Tham số không hợp lệ: tùy chọn --json không nhận giá trị.\n${usage('master')}`,
    });
    expect(await cli('template', '--round', ROUND, '--unit')).toEqual({
      code: 2,
      stdout: '',
      stderr: `Tham số không hợp lệ: tùy chọn --unit cần một giá trị.\n${usage('template')}`,
    });
    expect(await cli('master', 'thua.xlsx')).toEqual({
      code: 2,
      stdout: '',
      stderr: `Tham số không hợp lệ: lệnh này không nhận tham số "thua.xlsx".\n${usage('master')}`,
    });
    expect(await cli('sweep', '-x')).toEqual({
      code: 2,
      stdout: '',
      stderr: `Tham số không hợp lệ: không có tùy chọn -x.\n${usage('sweep')}`,
    });
  });

  it('check and import without a file name the missing file first', async () => {
    expect(await cli('check')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu tệp .xlsx cần kiểm tra: check <tệp.xlsx> --unit <mã> --round <mã>.\n',
    });
    expect(await cli('import', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Thiếu tệp .xlsx cần nhập: import <tệp.xlsx> --unit <mã> --round <mã>.\n',
    });
    expect(await cli('check', 'a.xlsx', 'b.xlsx', '--unit', 'ubnd-ba-dinh', '--round', ROUND)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'Mỗi lần chỉ một tệp .xlsx, nhưng đã cho 2: a.xlsx, b.xlsx. Dùng: check <tệp.xlsx> --unit <mã> --round <mã>.\n',
    });
  });

  it('master and provision with an unknown round list the rounds, before starting anything', async () => {
    const expected = {
      code: 2,
      stdout: '',
      stderr: 'Không có đợt báo cáo "nope"; các đợt: so-ket-2020, bo-sung-2020.\n',
    };
    expect(await cli('master', '--round', 'nope')).toEqual(expected);
    expect(await cli('provision', '--round', 'nope')).toEqual(expected);
  });

  it("the process's paths: command-line paths from INIT_CWD (where npm run was typed), environment paths from the package root", () => {
    const saved = process.env.INIT_CWD;
    try {
      process.env.INIT_CWD = dir;
      expect(processIo()).toMatchObject({ cwd: dir, envBase: process.cwd() });
      delete process.env.INIT_CWD;
      expect(processIo()).toMatchObject({ cwd: process.cwd(), envBase: process.cwd() });
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
  });
});

describe('another campaign through the same CLI', () => {
  it('--schema: template and check a Đà Nẵng ward with its own codes', async () => {
    const templateRun = await cli(
      'template',
      '--schema',
      SECOND_CAMPAIGN_FILE,
      '--unit',
      'phuong-son-tra',
      '--round',
      'tong-ket-2025',
      '--out',
      'son-tra.xlsx',
    );
    expect(templateRun.code).toBe(0);
    expect(templateRun.stdout).toBe(
      `Đã tạo biểu mẫu của UBND phường Sơn Trà, Báo cáo tổng kết: ${join(dir, 'son-tra.xlsx')}\n`,
    );
    const submission: Submission = {
      figures: {
        so_lieu: { '2021': { 'hoi_nghi.so_buoi': 4, 'hoi_nghi.so_nguoi': 2 }, '2022': { 'kinh_phi.ho_tro': '12,5' } },
      },
      outline: {},
      lists: {},
      forms: {},
      confirmation: { nguoi_lap: 'Phan Thị Hồng' },
    };
    await writeFile(
      join(dir, 'son-tra-dien.xlsx'),
      await fillXlsx(await readFile(join(dir, 'son-tra.xlsx')), submission),
    );
    const run = await cli(
      'check',
      'son-tra-dien.xlsx',
      '--schema',
      SECOND_CAMPAIGN_FILE,
      '--unit',
      'phuong-son-tra',
      '--round',
      'tong-ket-2025',
      '--json',
    );
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as CheckJson;
    expect(json.issues).toEqual([
      {
        sheet: 'Biểu số liệu',
        cell: 'D12',
        code: 'hoi_nghi.nguoi_it_hon_buoi',
        severity: 'error',
        message: '[Đà Nẵng] D12 (Năm 2021): 2 người dự mà có 4 buổi (ô C12); mỗi buổi phải có người dự.',
      },
    ]);
    expect(json.status).toBe('invalid');
    expect(json.values.so_lieu!['2022']).toEqual({
      'hoi_nghi.so_buoi': null,
      'hoi_nghi.so_nguoi': null,
      'to_an_ninh.hien_co': null,
      'kinh_phi.ho_tro': 12.5,
    });
  });
});

describe('the real entry point', () => {
  it("`npm run -s cli -- check <relative file> … --json` from another directory finds the file there, prints the JSON and exits with the check's code", async () => {
    await cli('template', '--unit', 'ca-ba-dinh', '--round', ROUND, '--out', 'that-mau.xlsx');
    const submission = validSubmission(model, 'ca-ba-dinh', ROUND);
    submission.lists.khen_thuong![0]!.so_bo_ban_chinh = 2;
    const file = join(dir, 'that.xlsx');
    await writeFile(file, await fillXlsx(await readFile(join(dir, 'that-mau.xlsx')), submission));
    // Typed in the directory holding the file, outside the package: npm runs the script in the
    // package root and leaves the user's directory in INIT_CWD; the file is named relative to it.
    expect(file).toBe(join(dir, 'that.xlsx'));
    const result = await promisify(execFile)(
      'npm',
      [
        '--prefix',
        ROOT,
        'run',
        '-s',
        'cli',
        '--',
        'check',
        'that.xlsx',
        '--unit',
        'ca-ba-dinh',
        '--round',
        ROUND,
        '--json',
      ],
      { cwd: dir },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as CheckJson;
    // The missing original set is the nominee's: incomplete, the report ready.
    expect(json.status).toBe('ready');
    expect(json.nominations[0]!.verdict).toBe('incomplete');
    expect(json.issues).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'Q18',
        code: 'khen_thuong.original_sets',
        severity: 'error',
        message: 'Ô Q18: hồ sơ đề nghị Bằng khen Bộ Công an cần 3 bộ bản chính; số bộ đã ghi: 2.',
      },
    ]);
    expect(json.nominations.map((n) => n.originalSets)).toEqual([2, 2, 1]);
  });
});
