/**
 * The campaign is data: the real 2020 Hà Nội file loads and says what DOMAIN.md says; a broken
 * file fails at load naming the offending path; and a second, unrelated campaign (one small
 * JSON file under test/fixtures) loads, renders and validates with its own codes and messages.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelOf } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import { statusLine } from '../../functions/core/status-text.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { CampaignSchemaError, DEFAULT_CAMPAIGN_FILE, loadCampaign, parseCampaign } from '../../sheets-schema/index.js';
import { SECOND_CAMPAIGN_FILE, hanoi, model, rawCampaign, type RawCampaignJson } from '../helpers/campaign.js';
import { applyToGrid, type Submission } from '../helpers/fill-workbook.js';
import { confirmationCell, figureCell, put, sheetNamed } from '../helpers/grid-edit.js';
import { templateGrid } from '../helpers/template.js';

/** The 30 districts of DOMAIN.md, in its order. */
const DISTRICTS = [
  'Ba Đình',
  'Hoàn Kiếm',
  'Tây Hồ',
  'Long Biên',
  'Cầu Giấy',
  'Đống Đa',
  'Hai Bà Trưng',
  'Hoàng Mai',
  'Thanh Xuân',
  'Nam Từ Liêm',
  'Bắc Từ Liêm',
  'Hà Đông',
  'Sơn Tây',
  'Sóc Sơn',
  'Đông Anh',
  'Gia Lâm',
  'Thanh Trì',
  'Mê Linh',
  'Ba Vì',
  'Phúc Thọ',
  'Đan Phượng',
  'Hoài Đức',
  'Quốc Oai',
  'Thạch Thất',
  'Chương Mỹ',
  'Thanh Oai',
  'Thường Tín',
  'Phú Xuyên',
  'Ứng Hòa',
  'Mỹ Đức',
];
/** "Hai Bà Trưng" → "hai-ba-trung", as DOMAIN.md derives ids. */
const slug = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, '-');

describe('the 2020 Hà Nội campaign', () => {
  it('loads from its default file, validated', () => {
    expect(loadCampaign(DEFAULT_CAMPAIGN_FILE)).toBe(hanoi);
    expect(hanoi.id).toBe('hanoi-521-2015-2020');
    expect(hanoi.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(hanoi.coordinator.unit).toBe('catp-xdpt');
  });

  it('has 77 units: the hierarchy, 30 districts, 30 district police, 4 CATP departments, 10 sectors', () => {
    expect(hanoi.units).toHaveLength(77);
    const byKind = (k: string) => hanoi.units.filter((u) => u.kind === k);
    expect(byKind('district').map((u) => u.id)).toEqual(DISTRICTS.map((d) => `ubnd-${slug(d)}`));
    expect(byKind('district-police').map((u) => u.id)).toEqual(DISTRICTS.map((d) => `ca-${slug(d)}`));
    expect(byKind('district').map((u) => u.name.replace(/^UBND (quận|huyện|thị xã) /, ''))).toEqual(DISTRICTS);
    expect(byKind('district-police').map((u) => u.name.replace(/^Công an (quận|huyện|thị xã) /, ''))).toEqual(
      DISTRICTS,
    );
    for (const id of ['ubnd-ba-dinh', 'ca-hai-ba-trung', 'ubnd-son-tay', 'ubnd-ung-hoa'])
      expect(model.findUnit(id)).toBeDefined();
    expect(model.unit('ubnd-son-tay').name).toBe('UBND thị xã Sơn Tây');
    expect(model.unit('ubnd-ung-hoa').name).toBe('UBND huyện Ứng Hòa');
    expect(byKind('catp-department').map((u) => u.id)).toEqual(['catp-tham-muu', 'catp-xdpt']);
    expect(byKind('catp-security-department').map((u) => u.id)).toEqual(['catp-anctnb', 'catp-ankt']);
    expect(byKind('sector').map((u) => u.id)).toEqual([
      'mttq-tp',
      'thanh-doan',
      'hoi-lhpn',
      'hoi-nong-dan',
      'hoi-ccb',
      'ldld-tp',
      'so-ldtbxh',
      'so-gddt',
      'so-vhtt',
      'so-tttt',
    ]);
    expect(hanoi.units.filter((u) => ['ministry', 'city', 'city-police'].includes(u.kind)).map((u) => u.id)).toEqual([
      'bca',
      'ha-noi',
      'catp',
    ]);
  });

  it('has a hierarchy from every unit up to the ministry, room for communes below districts', () => {
    expect(model.ancestors('ubnd-ba-dinh').map((u) => u.id)).toEqual(['ha-noi', 'bca']);
    expect(model.ancestors('ca-ba-dinh').map((u) => u.id)).toEqual(['catp', 'ha-noi', 'bca']);
    expect(model.roots().map((u) => u.id)).toEqual(['bca']);
    expect(model.children('catp').map((u) => u.id)).toHaveLength(34);
    expect(hanoi.unitKinds.find((k) => k.id === 'commune')?.tables).toEqual({ bang1: 'required', bang2: 'required' });
  });

  it('has the two rounds of the plan with their windows, periods and tables', () => {
    expect(
      hanoi.rounds.map((r) => [
        r.id,
        r.dataWindow.from,
        r.dataWindow.to,
        r.dueDate,
        r.periods.join(','),
        r.tables.join(','),
      ]),
    ).toEqual([
      [
        'so-ket-2020',
        '2015-01-01',
        '2020-06-30',
        '2020-07-15',
        '2015-2020',
        'bang1,bang2,bao_cao,dien_hinh,khen_thuong',
      ],
      ['bo-sung-2020', '2020-06-10', '2020-08-31', '2020-09-04', '2020-bs', 'bang1,bang2,hoat_dong'],
    ]);
  });

  it('has the indicators of Bảng 1 and Bảng 2 as in DOMAIN.md (code, type, aggregation)', () => {
    const row = (t: string) => model.figuresTable(t).indicators.map((i) => `${i.code} ${i.type} ${i.aggregate}`);
    expect(row('bang1')).toEqual([
      'tuyen_truyen.dai_chung integer flow',
      'tuyen_truyen.pano_khau_hieu integer flow',
      'tuyen_truyen.tai_lieu_dau_loai integer flow',
      'tuyen_truyen.tai_lieu_ban integer flow',
      'tuyen_truyen.tap_trung_buoi integer flow',
      'tuyen_truyen.tap_trung_nguoi integer flow',
      'mo_hinh.xay_dung_moi integer flow',
      'mo_hinh.hien_co integer stock',
      'tdkt.giay_khen integer flow',
      'tdkt.bang_khen_tp integer flow',
      'luc_luong.bao_ve_cqdn integer stock',
      'luc_luong.bvdp integer stock',
      'luc_luong.cong_an_xa integer stock',
      'luc_luong.doi_xdpt integer stock',
      'ngan_sach.xdpt_chung decimal flow',
      'ngan_sach.cong_an_xa decimal flow',
      'ngan_sach.bvdp decimal flow',
      'ngan_sach.khen_thuong decimal flow',
    ]);
    expect(row('bang2')).toEqual([
      ...['co_quan', 'thon_to', 'xa_phuong', 'quan_huyen', 'thanh_pho'].flatMap((l) => [
        `ngay_hoi.${l}.nguoi integer flow`,
        `ngay_hoi.${l}.luot integer flow`,
      ]),
      'dia_ban.phuc_tap integer flow',
      'dia_ban.khieu_kien integer flow',
      'tin_bao.tong_so integer flow',
      'tin_bao.co_gia_tri integer flow',
      'tin_bao.lam_ro_vu integer flow',
      'tin_bao.bat_giu integer flow',
      'giao_duc.tong_so integer flow',
      'giao_duc.khong_tai_pham integer flow',
      'tai_hoa_nhap.duoc_giup_do integer flow',
    ]);
  });

  it('every rule has a Vietnamese message, and every built-in code the core uses is defined', () => {
    for (const rule of hanoi.rules)
      expect(rule.message).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữựìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i);
    const builtins = hanoi.rules.filter((r) => r.kind === 'builtin').map((r) => r.code);
    expect(builtins).toEqual(
      expect.arrayContaining([
        'value.not_number',
        'required.blank',
        'structure.wrong_unit',
        'bao_cao.item_missing',
        'dien_hinh.too_few',
        'xac_nhan.phone_invalid',
        'khen_thuong.quota_exceeded',
        'khen_thuong.duplicate_across_units',
      ]),
    );
  });
});

describe('a broken campaign file fails at load, naming the offending path', () => {
  function problemsOf(change: (raw: RawCampaignJson) => void): { error: CampaignSchemaError; paths: string[] } {
    const raw = rawCampaign();
    change(raw);
    try {
      parseCampaign(raw, 'hanoi-hong.json');
    } catch (e) {
      expect(e).toBeInstanceOf(CampaignSchemaError);
      const error = e as CampaignSchemaError;
      return { error, paths: error.problems.map((p) => p.path) };
    }
    throw new Error('the broken campaign loaded');
  }

  it.each<[string, (raw: RawCampaignJson) => void, string, string]>([
    [
      'a unit with an unknown parent',
      (raw) => (raw.units[3].parent = 'ha-tay'),
      'units.3.parent',
      'đơn vị cấp trên "ha-tay" không có trong units',
    ],
    ['a duplicate unit id', (raw) => (raw.units[4].id = 'ubnd-ba-dinh'), 'units.4', 'đơn vị "ubnd-ba-dinh" bị trùng'],
    [
      'a unit of an unknown kind',
      (raw) => (raw.units[40].kind = 'phuong'),
      'units.40.kind',
      'loại đơn vị "phuong" không có trong unitKinds',
    ],
    ['a non-email contact', (raw) => (raw.units[5].emails = ['ubnd-tay-ho(at)hanoi']), 'units.5.emails.0', ''],
    [
      'a unit that is its own grandparent',
      (raw) => (raw.units[0].parent = 'ha-noi'),
      'units.0.parent',
      'vòng lặp cấp trên',
    ],
    [
      'a rule referencing a missing indicator',
      (raw) =>
        (raw.rules.find((r: RawCampaignJson) => r.code === 'tin_bao.co_gia_tri_vuot_tong_so').left =
          'tin_bao.co_gia_tri_x'),
      `rules.${rawCampaign().rules.findIndex((r: RawCampaignJson) => r.code === 'tin_bao.co_gia_tri_vuot_tong_so')}.left`,
      'mã chỉ tiêu "tin_bao.co_gia_tri_x" không có trong bảng bang2',
    ],
    [
      'a rule on a missing table',
      (raw) =>
        (raw.rules.find((r: RawCampaignJson) => r.code === 'tuyen_truyen.nguoi_du_khi_khong_co_buoi').table = 'bang9'),
      `rules.${rawCampaign().rules.findIndex((r: RawCampaignJson) => r.code === 'tuyen_truyen.nguoi_du_khi_khong_co_buoi')}.table`,
      'bảng số liệu "bang9" không có',
    ],
    [
      'a quota referencing a missing award',
      (raw) => (raw.quotas[2].award = 'bkqh'),
      'quotas.2.award',
      'hình thức "bkqh" không có trong awards',
    ],
    [
      'a round listing a table that does not exist',
      (raw) => raw.rounds[1].tables.push('bang3'),
      'rounds.1.tables.3',
      'bảng "bang3" không có trong tables',
    ],
    [
      'a round listing a period that does not exist',
      (raw) => (raw.rounds[0].periods[0] = '2020'),
      'rounds.0.periods.0',
      'kỳ "2020" không có trong periods',
    ],
    [
      'a due date not in ISO form',
      (raw) => (raw.rounds[0].dueDate = '15/07/2020'),
      'rounds.0.dueDate',
      'ngày dạng YYYY-MM-DD',
    ],
    [
      'a lock time without a time zone',
      (raw) => (raw.rounds[0].lockAt = '2020-07-22T00:00:00'),
      'rounds.0.lockAt',
      'thời điểm ISO có múi giờ',
    ],
    [
      'a duplicate rule code',
      (raw) => (raw.rules[1].code = raw.rules[0].code),
      'rules.1',
      'mã quy tắc "value.not_number" bị trùng',
    ],
    ['an unknown deadline reading', (raw) => (raw.deadlineReading = 'roughly'), 'deadlineReading', ''],
    [
      'an indicator code with capitals',
      (raw) => (raw.tables[0].indicators[0].code = 'TuyenTruyen.DaiChung'),
      'tables.0.indicators.0.code',
      'mã chỉ tiêu dạng nhom.chi_tieu',
    ],
    [
      'an eligibility title outside its ladder',
      (raw) => (raw.eligibility.categories[1].minimumEveryYear = 'don_vi_tien_tien'),
      'eligibility.categories.1.minimumEveryYear',
      'danh hiệu tối thiểu không có trong thang danh hiệu',
    ],
    [
      'a nominations table with no awards',
      (raw) => (raw.awards = []),
      'awards',
      'bảng đề nghị khen thưởng "khen_thuong" cần ít nhất một hình thức khen thưởng',
    ],
    [
      'a coordinator that is not a unit',
      (raw) => (raw.coordinator.unit = 'catp-pc06'),
      'coordinator.unit',
      'đơn vị "catp-pc06" không có trong units',
    ],
  ])('%s → %s', (_what, change, path, message) => {
    const { error, paths } = problemsOf(change);
    expect(paths).toContain(path);
    expect(error.message).toContain('Tệp chiến dịch hanoi-hong.json không hợp lệ:');
    expect(error.message).toContain(`  - ${path}: ${message}`);
  });

  it('the zod message for a bad email is kept, after the path', () => {
    const { error } = problemsOf((raw) => (raw.units[5].emails = ['ubnd-tay-ho(at)hanoi']));
    expect(error.problems).toEqual([{ path: 'units.5.emails.0', message: expect.stringMatching(/email/i) }]);
  });

  it('reports every problem at once', () => {
    const { paths } = problemsOf((raw) => {
      raw.units[3].parent = 'ha-tay';
      raw.quotas[2].award = 'bkqh';
    });
    expect(paths).toEqual(expect.arrayContaining(['units.3.parent', 'quotas.2.award']));
  });

  describe('files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'campaign-schema-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('a missing file names the file', () => {
      const file = join(dir, 'khong-co.json');
      expect(() => loadCampaign(file)).toThrow(CampaignSchemaError);
      expect(() => loadCampaign(file)).toThrow(`Tệp chiến dịch ${file} không hợp lệ:\n  - (tệp): ENOENT`);
    });

    it('a file that is not JSON', async () => {
      const file = join(dir, 'hong.json');
      await writeFile(file, '{ "id": "da-nang", ');
      try {
        loadCampaign(file);
        throw new Error('loaded');
      } catch (e) {
        expect(e).toBeInstanceOf(CampaignSchemaError);
        expect((e as CampaignSchemaError).problems).toEqual([
          { path: '(tệp)', message: expect.stringContaining('JSON') },
        ]);
        expect((e as Error).message).toContain(file);
      }
    });

    it('a file with a broken campaign names the file and the path', async () => {
      const file = join(dir, 'thieu-don-vi.json');
      const raw = rawCampaign();
      raw.units = raw.units.filter((u: { id: string }) => u.id !== 'catp-xdpt');
      await writeFile(file, JSON.stringify(raw));
      expect(() => loadCampaign(file)).toThrow(
        `Tệp chiến dịch ${file} không hợp lệ:\n  - coordinator.unit: đơn vị "catp-xdpt" không có trong units`,
      );
    });
  });
});

describe('a second campaign is a second file, not a code change', () => {
  const second = loadCampaign(SECOND_CAMPAIGN_FILE);
  const model = modelOf(second);
  const UNIT = 'phuong-hai-chau';
  const ROUND = 'tong-ket-2025';
  const typed = (
    values: Record<string, Record<string, string | number | null>>,
    name: string | null = 'Lê Văn Tám',
  ): Submission => ({
    figures: { so_lieu: values },
    outline: {},
    lists: {},
    forms: {},
    confirmation: { gui: true, nguoi_lap: name },
  });
  const valid = {
    '2021': {
      'hoi_nghi.so_buoi': 12,
      'hoi_nghi.so_nguoi': '1.450',
      'to_an_ninh.hien_co': 40,
      'kinh_phi.ho_tro': '120,5',
    },
    '2022': {
      'hoi_nghi.so_buoi': 14,
      'hoi_nghi.so_nguoi': 1600,
      'to_an_ninh.hien_co': 42,
      'kinh_phi.ho_tro': '130,25',
    },
    '2023': { 'hoi_nghi.so_buoi': 15, 'hoi_nghi.so_nguoi': 1720, 'to_an_ninh.hien_co': 45, 'kinh_phi.ho_tro': 140 },
    '2024': {
      'hoi_nghi.so_buoi': 16,
      'hoi_nghi.so_nguoi': 1800,
      'to_an_ninh.hien_co': 47,
      'kinh_phi.ho_tro': '150,75',
    },
  };

  it('loads: another city, its own units, periods, round, one figures table and no nominations', () => {
    expect(second.id).toBe('da-nang-an-ninh-2020-2025');
    expect(second.units.map((u) => u.id)).toEqual(['ca-tp-da-nang', 'phuong-hai-chau', 'phuong-son-tra']);
    expect(second.tables.map((t) => `${t.kind}:${t.id}`)).toEqual(['figures:so_lieu']);
    expect(second.awards).toEqual([]);
    expect(second.quotas).toEqual([]);
    expect(model.tablesFor(UNIT, ROUND).map((t) => t.table.id)).toEqual(['so_lieu']);
    expect(model.hasWorkbook('ca-tp-da-nang', ROUND)).toBe(false);
    // Read 'by-date': on time through 31/03/2025 in Đà Nẵng.
    expect(model.dueAt(ROUND)).toBe(Date.parse('2025-03-31T17:00:00Z'));
    expect(model.lastOnTimeDate(ROUND)).toBe('2025-03-31');
  });

  it('renders its own template: its tabs, headers, codes, confirmation fields', async () => {
    const workbookModel = buildUnitWorkbook(model, UNIT, ROUND);
    expect(workbookModel.title).toBe('Tổng kết ANTQ Đà Nẵng (2020–2025) – Báo cáo tổng kết – UBND phường Hải Châu');
    expect(workbookModel.sheets.map((s) => s.title)).toEqual(['Hướng dẫn nhập', 'Biểu số liệu', 'Gửi báo cáo']);
    // No text of the Hà Nội campaign anywhere: cells, notes, validations, protection descriptions.
    expect(
      JSON.stringify(workbookModel).match(
        /[^"]*(Hà Nội|521|CATP|XDPT|Xác nhận|Đã hoàn thành|Bảng \d|thủ trưởng|PDF)[^"]*/g,
      ),
    ).toBeNull();
    const grid = await templateGrid(model, UNIT, ROUND);
    const figures = sheetNamed(grid, 'Biểu số liệu');
    expect(figures.rows[0]?.[1]?.v).toBe('ĐƠN VỊ: UBND phường Hải Châu');
    expect(figures.rows[10]?.map((c) => c?.v ?? null)).toEqual([
      '#so_lieu',
      '#label',
      'hoi_nghi.so_buoi',
      'hoi_nghi.so_nguoi',
      'to_an_ninh.hien_co',
      'kinh_phi.ho_tro',
    ]);
    expect(figures.rows.slice(11, 16).map((r) => r?.[1]?.v)).toEqual([
      'Năm 2021',
      'Năm 2022',
      'Năm 2023',
      'Năm 2024',
      'Tổng cộng (hệ thống tự tính)',
    ]);
    const guide = sheetNamed(grid, 'Hướng dẫn nhập')
      .rows.flat()
      .map((c) => String(c?.v ?? ''));
    expect(guide).toContain('Người lập biểu; ô "Gửi báo cáo"');
    // Nothing of the Hà Nội campaign leaks into another campaign's workbook.
    expect(guide.filter((t) => /Đã hoàn thành|Hà Nội|521|CATP|Xác nhận/.test(t))).toEqual([]);
  });

  it('evaluates a complete submission: ready, values and totals by its own aggregation', async () => {
    const grid = applyToGrid(await templateGrid(model, UNIT, ROUND), typed(valid));
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, grid);
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.campaignId).toBe('da-nang-an-ninh-2020-2025');
    expect(evaluation.values.so_lieu!['2021']).toEqual({
      'hoi_nghi.so_buoi': 12,
      'hoi_nghi.so_nguoi': 1450,
      'to_an_ninh.hien_co': 40,
      'kinh_phi.ho_tro': 120.5,
    });
    expect(evaluation.totals.so_lieu).toEqual({
      'hoi_nghi.so_buoi': 57,
      'hoi_nghi.so_nguoi': 6570,
      'to_an_ninh.hien_co': 47,
      'kinh_phi.ho_tro': 541.5,
    });
    expect(evaluation.confirmation).toEqual({ gui: 'TRUE', nguoi_lap: 'Lê Văn Tám' });
  });

  it('applies its own rules with its own messages, severities and thresholds', async () => {
    // A fall of 28.6% is under its 30% threshold (Hà Nội's is 50%): no warning.
    const mild = applyToGrid(
      await templateGrid(model, UNIT, ROUND),
      typed({ ...valid, '2023': { ...valid['2023'], 'to_an_ninh.hien_co': 30 } }),
    );
    expect(evaluateWorkbook(model, UNIT, ROUND, mild).issues).toEqual([]);
    const grid = applyToGrid(
      await templateGrid(model, UNIT, ROUND),
      typed({
        ...valid,
        '2022': { ...valid['2022'], 'hoi_nghi.so_nguoi': 9 },
        '2023': { ...valid['2023'], 'to_an_ninh.hien_co': 29, 'kinh_phi.ho_tro': '12 triệu' },
      }),
    );
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, grid);
    expect(
      evaluation.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message })),
    ).toEqual([
      {
        sheet: 'Biểu số liệu',
        cell: 'D13',
        code: 'hoi_nghi.nguoi_it_hon_buoi',
        severity: 'error',
        message: '[Đà Nẵng] D13 (Năm 2022): 9 người dự mà có 14 buổi (ô C13); mỗi buổi phải có người dự.',
      },
      {
        sheet: 'Biểu số liệu',
        cell: 'E14',
        code: 'to_an_ninh.giam_manh',
        severity: 'warning',
        message:
          '[Đà Nẵng] E14 (Tổ an ninh tự quản – Số tổ hiện có, Năm 2023): 29 tổ, giảm hơn 30% so với năm trước (42, ô E13).',
      },
      {
        sheet: 'Biểu số liệu',
        cell: 'F14',
        code: 'value.not_number',
        severity: 'error',
        message:
          '[Đà Nẵng] F14 – Kinh phí hỗ trợ (triệu đồng), Năm 2023: "12 triệu" chưa phải con số; gõ chữ số, ví dụ 12.',
      },
    ]);
    expect(evaluation.status).toBe('invalid');
  });

  it('completeness and structure messages come from its file too', async () => {
    const grid = applyToGrid(
      await templateGrid(model, UNIT, ROUND),
      typed({ ...valid, '2024': { ...valid['2024'], 'hoi_nghi.so_buoi': null } }, null),
    );
    grid.sheets.find((s) => s.title === 'Biểu số liệu')!.title = 'So lieu';
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, grid);
    expect(evaluation.issues.map((i) => [i.code, i.message])).toEqual([
      ['structure.sheet_renamed', '[Đà Nẵng] Trang "Biểu số liệu" bị đổi tên thành "So lieu".'],
      [
        'required.blank',
        '[Đà Nẵng] C15 – Hội nghị tuyên truyền – Số buổi, Năm 2024: còn trống; không phát sinh thì nhập 0.',
      ],
      ['xac_nhan.field_missing', '[Đà Nẵng] C8: chưa ghi "Người lập biểu".'],
    ]);
    const other = await templateGrid(model, 'phuong-son-tra', ROUND);
    put(figureCell(other, 'so_lieu', '2021', 'hoi_nghi.so_buoi'), 3);
    put(confirmationCell(other, 'gui'), false);
    expect(evaluateWorkbook(model, UNIT, ROUND, other).issues.map((i) => i.message)).toEqual([
      '[Đà Nẵng] Biểu của "UBND phường Sơn Trà", không phải của UBND phường Hải Châu.',
    ]);
  });

  it('the status line names its own submit box and confirmation tab', () => {
    expect(
      statusLine(model, ROUND, { status: 'draft', submitted: false, errors: 0, warnings: 0, pendingCount: 2 }, null)
        .text,
    ).toBe('Hợp lệ — chưa gửi. Còn 2 mục bắt buộc chưa điền. Khi xong, tích ô "Gửi báo cáo" ở trang Gửi báo cáo.');
  });
});
