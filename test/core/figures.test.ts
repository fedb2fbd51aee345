/**
 * Bảng 1 / Bảng 2 figures: every cross-field rule of the campaign (error or warning, with its
 * message), completeness at submission, the optional table, outliers against peers and
 * against the unit's own periods, stocks that fall by more than half, and period totals.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import { periodTotals } from '../../functions/core/figures.js';
import { computePeerStats, median, type PeerStats } from '../../functions/core/statistics.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { model, unitsOfKind, yearlyModel, YEARLY_PERIODS } from '../helpers/campaign.js';
import { figuresFor, filledGrid, peerFigures, type Submission, type Typed } from '../helpers/fill-workbook.js';

const UNIT = 'ubnd-ba-dinh';
const ROUND = 'so-ket-2020';
/** The plan asks for one figure per indicator for the round's whole window: one period row (row 13). */
const [PERIOD] = model.round(ROUND).periods as [string];
const LABEL = model.period(PERIOD).label;
const ROW = 13;

/** Sets one indicator for every period of the round (a number for all, or one value per period). */
function column(
  submission: Submission,
  table: string,
  code: string,
  values: Typed | Typed[],
  periods: string[] = model.round(ROUND).periods,
) {
  periods.forEach((p, i) => (submission.figures[table]![p]![code] = Array.isArray(values) ? values[i]! : values));
}

async function evaluate(
  edit: (s: Submission) => void,
  opts: { peerStats?: PeerStats; submitted?: boolean; model?: CampaignModel } = {},
): Promise<Evaluation> {
  const campaignModel = opts.model ?? model;
  const grid = await filledGrid(campaignModel, UNIT, ROUND, (submission) => {
    edit(submission);
    if (opts.submitted === false) submission.confirmation.da_hoan_thanh = false;
  });
  return evaluateWorkbook(campaignModel, UNIT, ROUND, grid, opts.peerStats ? { peerStats: opts.peerStats } : {});
}

/** The several-periods option (the campaign split by year): rows 13 … 18 for 2015 … 6/2020. */
const evaluateYearly = (edit: (s: Submission) => void, opts: { peerStats?: PeerStats } = {}) =>
  evaluate(edit, { ...opts, model: yearlyModel });
const yearlyColumn = (s: Submission, table: string, code: string, values: Typed | Typed[]) =>
  column(s, table, code, values, YEARLY_PERIODS);

/** Numbers as Vietnamese write them (1.234,5), independently of the code under test. */
const germanDigits = (n: number) => n.toLocaleString('de-DE');
const brief = (ev: Evaluation) =>
  ev.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));

describe('the valid submission the other tests start from', () => {
  it('is ready with no issue, and its values are what was typed', async () => {
    const evaluation = await evaluate(() => {});
    expect(evaluation.status).toBe('ready');
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.values.bang1).toEqual(figuresFor(model, UNIT, ROUND, 'bang1'));
    expect(evaluation.values.bang2).toEqual(figuresFor(model, UNIT, ROUND, 'bang2'));
  });
});

/**
 * One case per cross-field rule of the campaign: the values set (all other figures stay
 * realistic), and the single issue expected, in the round's one period row.
 */
const FESTIVALS: [string, string, string, string][] = [
  // level, name in the rule's message, column of Số lượt, column of Số người tham gia (people first, as in the seed)
  ['co_quan', 'Ngày hội ở cơ quan, doanh nghiệp, nhà trường', 'D', 'C'],
  ['thon_to', 'Ngày hội ở thôn, xóm, tổ dân phố', 'F', 'E'],
  ['xa_phuong', 'Ngày hội ở xã, phường, thị trấn', 'H', 'G'],
  ['quan_huyen', 'Ngày hội ở cấp quận, huyện, thị xã', 'J', 'I'],
  ['thanh_pho', 'Ngày hội ở cấp Thành phố', 'L', 'K'],
];

interface RuleCase {
  code: string;
  severity: 'error' | 'warning';
  sheet: string;
  set: (s: Submission) => void;
  cell: string;
  message: string;
}

const RULE_CASES: RuleCase[] = [
  {
    code: 'tin_bao.co_gia_tri_vuot_tong_so',
    severity: 'error',
    sheet: 'Bảng 2',
    set: (s) =>
      Object.assign(s.figures.bang2![PERIOD]!, {
        'tin_bao.tong_so': 100,
        'tin_bao.co_gia_tri': 130,
        'tin_bao.lam_ro_vu': 30,
      }),
    cell: `P${ROW}`,
    message: `Ô P${ROW} (${LABEL}): Tin có giá trị (130) nhiều hơn Tổng số tin (100, ô O${ROW}). Tin có giá trị là một phần của tổng số tin; hãy kiểm tra lại.`,
  },
  {
    code: 'giao_duc.khong_tai_pham_vuot_tong_so',
    severity: 'error',
    sheet: 'Bảng 2',
    set: (s) => Object.assign(s.figures.bang2![PERIOD]!, { 'giao_duc.tong_so': 40, 'giao_duc.khong_tai_pham': 42 }),
    cell: `T${ROW}`,
    message: `Ô T${ROW} (${LABEL}): Số không tái phạm (42) nhiều hơn Tổng số người lầm lỗi được giáo dục (40, ô S${ROW}); hãy kiểm tra lại.`,
  },
  {
    code: 'tin_bao.lam_ro_vu_vuot_co_gia_tri',
    severity: 'warning',
    sheet: 'Bảng 2',
    set: (s) => Object.assign(s.figures.bang2![PERIOD]!, { 'tin_bao.co_gia_tri': 60, 'tin_bao.lam_ro_vu': 65 }),
    cell: `Q${ROW}`,
    message: `Ô Q${ROW} (${LABEL}): số vụ đã điều tra làm rõ (65) nhiều hơn số tin có giá trị (60, ô P${ROW}). Có thể đúng, nhưng hãy kiểm tra lại.`,
  },
  {
    code: 'tuyen_truyen.tai_lieu_ban_it_hon_dau_loai',
    severity: 'warning',
    sheet: 'Bảng 1',
    set: (submission) => {
      column(submission, 'bang1', 'tuyen_truyen.tai_lieu_dau_loai', 10);
      column(submission, 'bang1', 'tuyen_truyen.tai_lieu_ban', 8);
    },
    cell: `F${ROW}`,
    message: `Ô F${ROW} (${LABEL}): số bản phát hành (8) ít hơn số đầu, loại tài liệu (10, ô E${ROW}); mỗi đầu tài liệu có ít nhất một bản. Hãy kiểm tra lại.`,
  },
  {
    code: 'tuyen_truyen.nguoi_du_it_hon_buoi',
    severity: 'warning',
    sheet: 'Bảng 1',
    set: (submission) => {
      column(submission, 'bang1', 'tuyen_truyen.tap_trung_buoi', 10);
      column(submission, 'bang1', 'tuyen_truyen.tap_trung_nguoi', 9);
    },
    cell: `H${ROW}`,
    message: `Ô H${ROW} (${LABEL}): số người dự (9) ít hơn số buổi tuyên truyền (10, ô G${ROW}); hãy kiểm tra lại.`,
  },
  {
    code: 'tuyen_truyen.nguoi_du_khi_khong_co_buoi',
    severity: 'error',
    sheet: 'Bảng 1',
    set: (submission) => {
      column(submission, 'bang1', 'tuyen_truyen.tap_trung_buoi', 0);
      column(submission, 'bang1', 'tuyen_truyen.tap_trung_nguoi', 150);
    },
    cell: `H${ROW}`,
    message: `Ô H${ROW} (${LABEL}): có 150 lượt người dự nhưng số buổi tuyên truyền tập trung là 0 (ô G${ROW}). Hãy nhập số buổi hoặc sửa số người dự.`,
  },
  ...FESTIVALS.flatMap(([level, name, luotCol, nguoiCol]): RuleCase[] => [
    {
      code: `ngay_hoi.${level}.nguoi_khi_khong_luot`,
      severity: 'error',
      sheet: 'Bảng 2',
      set: (submission) => {
        column(submission, 'bang2', `ngay_hoi.${level}.luot`, 0);
        column(submission, 'bang2', `ngay_hoi.${level}.nguoi`, 1500);
      },
      cell: `${nguoiCol}${ROW}`,
      message: `Ô ${nguoiCol}${ROW} (${LABEL}): có 1.500 người tham gia nhưng số lượt ${name} là 0 (ô ${luotCol}${ROW}). Hãy nhập số lượt hoặc sửa số người.`,
    },
    {
      code: `ngay_hoi.${level}.nguoi_it_hon_luot`,
      severity: 'warning',
      sheet: 'Bảng 2',
      set: (submission) => {
        column(submission, 'bang2', `ngay_hoi.${level}.luot`, 10);
        column(submission, 'bang2', `ngay_hoi.${level}.nguoi`, 9);
      },
      cell: `${nguoiCol}${ROW}`,
      message: `Ô ${nguoiCol}${ROW} (${LABEL}): số người tham gia ${name} (9) ít hơn số lượt tổ chức (10, ô ${luotCol}${ROW}); hãy kiểm tra lại.`,
    },
  ]),
];

describe('cross-field rules', () => {
  it('a case exists for every lte and zero-implies-zero rule of the campaign', () => {
    const inCampaign = [...model.rulesOfKind('lte'), ...model.rulesOfKind('zero-implies-zero')]
      .map((r) => r.code)
      .sort();
    expect(RULE_CASES.map((c) => c.code).sort()).toEqual(inCampaign);
    expect(inCampaign).toHaveLength(16);
  });

  it.each(RULE_CASES.map((c) => [c.code, c] as const))('%s', async (_code, ruleCase) => {
    const evaluation = await evaluate(ruleCase.set);
    expect(brief(evaluation)).toEqual([
      {
        sheet: ruleCase.sheet,
        cell: ruleCase.cell,
        code: ruleCase.code,
        severity: ruleCase.severity,
        message: ruleCase.message,
      },
    ]);
    expect(evaluation.status).toBe(ruleCase.severity === 'error' ? 'invalid' : 'ready');
    expect(model.rule(ruleCase.code).severity).toBe(ruleCase.severity);
  });

  it('holds when the two sides are equal, and is not applied when either side is blank', async () => {
    const equal = await evaluate((s) =>
      Object.assign(s.figures.bang2![PERIOD]!, {
        'tin_bao.tong_so': 100,
        'tin_bao.co_gia_tri': 100,
        'tin_bao.lam_ro_vu': 30,
      }),
    );
    expect(equal.issues).toEqual([]);
    const blank = await evaluate(
      (s) =>
        Object.assign(s.figures.bang2![PERIOD]!, {
          'tin_bao.tong_so': null,
          'tin_bao.co_gia_tri': 500,
          'tin_bao.lam_ro_vu': 30,
        }),
      { submitted: false },
    );
    expect(blank.issues).toEqual([]);
    expect(blank.pending.map((i) => [i.cell, i.code])).toEqual([['O13', 'required.blank']]);
  });

  it('zero events with zero people is fine; people > 0 with events blank is only incomplete', async () => {
    const zeros = await evaluate((s) =>
      Object.assign(s.figures.bang2![PERIOD]!, { 'ngay_hoi.co_quan.luot': 0, 'ngay_hoi.co_quan.nguoi': 0 }),
    );
    expect(zeros.issues).toEqual([]);
    const blankEvents = await evaluate(
      (s) => Object.assign(s.figures.bang2![PERIOD]!, { 'ngay_hoi.co_quan.luot': null }),
      { submitted: false },
    );
    expect(blankEvents.issues).toEqual([]);
    expect(blankEvents.status).toBe('draft');
  });
});

describe('blank versus zero, completeness at submission', () => {
  it('blank required cells are pending while the box is unticked, errors once it is ticked', async () => {
    const blank = (submission: Submission) => {
      submission.figures.bang1![PERIOD]!['tuyen_truyen.dai_chung'] = null;
      submission.figures.bang2![PERIOD]!['tai_hoa_nhap.duoc_giup_do'] = null;
    };
    const draft = await evaluate(blank, { submitted: false });
    expect(draft.status).toBe('draft');
    expect(draft.issues).toEqual([]);
    expect(draft.errors).toBe(0);
    expect(draft.pending.map((i) => ({ sheet: i.sheet, cell: i.cell, code: i.code, severity: i.severity }))).toEqual([
      { sheet: 'Bảng 1', cell: 'C13', code: 'required.blank', severity: 'error' },
      { sheet: 'Bảng 2', cell: 'U13', code: 'required.blank', severity: 'error' },
    ]);
    expect(draft.values.bang1![PERIOD]!['tuyen_truyen.dai_chung']).toBeNull();

    const submitted = await evaluate(blank);
    expect(submitted.status).toBe('invalid');
    expect(submitted.errors).toBe(2);
    expect(brief(submitted)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'C13',
        code: 'required.blank',
        severity: 'error',
        message:
          'Ô C13 (Công tác tuyên truyền – Tuyên truyền trên thông tin đại chúng, Giai đoạn 2015 – 2020) chưa có số liệu. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0.',
      },
      {
        sheet: 'Bảng 2',
        cell: 'U13',
        code: 'required.blank',
        severity: 'error',
        message:
          'Ô U13 (Giúp đỡ người tái hòa nhập cộng đồng – Tổng số người được giúp đỡ, Giai đoạn 2015 – 2020) chưa có số liệu. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0.',
      },
    ]);
  });

  it('a blank Bảng 2 is an error for a district, where it is required', async () => {
    const evaluation = await evaluate((s) => delete s.figures.bang2);
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.errors).toBe(19);
    expect(new Set(evaluation.issues.map((i) => `${i.sheet}/${i.code}`))).toEqual(new Set(['Bảng 2/required.blank']));
  });
});

describe("an optional table (a sector's Bảng 2)", () => {
  const SECTOR = 'so-gddt';
  async function evaluateSector(edit: (s: Submission) => void) {
    const grid = await filledGrid(model, SECTOR, ROUND, edit);
    return evaluateWorkbook(model, SECTOR, ROUND, grid);
  }

  it('may stay entirely blank', async () => {
    const evaluation = await evaluateSector((s) => delete s.figures.bang2);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.values.bang2![PERIOD]!['tin_bao.tong_so']).toBeNull();
    expect(evaluation.totals.bang2!['tin_bao.tong_so']).toBeNull();
  });

  it('once partly filled, must be filled entirely', async () => {
    const evaluation = await evaluateSector((submission) => {
      submission.figures.bang2 = { [PERIOD]: { 'tin_bao.tong_so': 35 } };
    });
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.errors).toBe(19 - 1);
    expect(evaluation.issues.every((i) => i.sheet === 'Bảng 2' && i.code === 'required.blank')).toBe(true);
    expect(evaluation.issues.some((i) => i.cell === 'O13')).toBe(false);
    expect(evaluation.issues[0]!.message).toBe(
      'Ô C13 (Cơ quan, doanh nghiệp, nhà trường – Số người tham gia, Giai đoạn 2015 – 2020) chưa có số liệu. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0.',
    );
    expect(evaluation.values.bang2![PERIOD]!['tin_bao.tong_so']).toBe(35);
  });

  it('an unreadable value makes it "entered" too, and is reported as such', async () => {
    const evaluation = await evaluateSector((submission) => {
      submission.figures.bang2 = { [PERIOD]: { 'tin_bao.tong_so': 'ba mươi' } };
    });
    expect(evaluation.issues.find((i) => i.cell === 'O13')).toMatchObject({
      code: 'value.not_number',
      severity: 'error',
    });
    expect(evaluation.issues.filter((i) => i.code === 'required.blank')).toHaveLength(19 - 1);
  });
});

describe('outliers against peer units of the same kind', () => {
  const peers = unitsOfKind(model, 'district').filter((u) => u !== UNIT);
  const stats = computePeerStats(peerFigures(model, peers, ROUND));
  const peerMedian = (table: string, code: string, period: string) =>
    median(peers.map((u) => figuresFor(model, u, ROUND, table)[period]![code]!));
  const own = figuresFor(model, UNIT, ROUND, 'bang1');

  it('summarises 29 peer districts per table, indicator and period', () => {
    expect(stats.bang1!['tuyen_truyen.dai_chung']![PERIOD]).toEqual({
      n: 29,
      median: peerMedian('bang1', 'tuyen_truyen.dai_chung', PERIOD),
      mad: expect.any(Number),
    });
  });

  it('realistic figures of every district raise no outlier', async () => {
    const evaluation = await evaluate(() => {}, { peerStats: stats });
    expect(evaluation.issues).toEqual([]);
  });

  it('an extra zero typed is flagged against the peers', async () => {
    const typed = own[PERIOD]!['tuyen_truyen.dai_chung']! * 10;
    const median = peerMedian('bang1', 'tuyen_truyen.dai_chung', PERIOD);
    const evaluation = await evaluate((s) => (s.figures.bang1![PERIOD]!['tuyen_truyen.dai_chung'] = typed), {
      peerStats: stats,
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'C13',
        code: 'so_lieu.bat_thuong_so_voi_don_vi_khac',
        severity: 'warning',
        message: `Ô C13 (Công tác tuyên truyền – Tuyên truyền trên thông tin đại chúng, Giai đoạn 2015 – 2020): ${germanDigits(typed)} cao bất thường so với các đơn vị cùng loại (trung vị ${germanDigits(median)}). Hãy kiểm tra có gõ thừa hoặc thiếu chữ số 0 không.`,
      },
    ]);
    expect(evaluation.status).toBe('ready');
  });

  it('a normal big district (three times the median everywhere) is not flagged', async () => {
    const big = {
      bang1: figuresFor(model, UNIT, ROUND, 'bang1', 3),
      bang2: figuresFor(model, UNIT, ROUND, 'bang2', 3),
    };
    expect(
      big.bang1[PERIOD]!['tuyen_truyen.dai_chung']! / peerMedian('bang1', 'tuyen_truyen.dai_chung', PERIOD),
    ).toBeGreaterThan(2.5);
    const evaluation = await evaluate((s) => Object.assign(s.figures, big), { peerStats: stats });
    expect(evaluation.issues).toEqual([]);
  });

  it('a missing zero is flagged when the peers agree closely', async () => {
    const tight = computePeerStats(
      [100, 102, 98, 101, 99, 100].map((v) => ({ bang2: { [PERIOD]: { 'tin_bao.tong_so': v } } })),
    );
    const evaluation = await evaluate(
      (submission) => {
        column(submission, 'bang2', 'tin_bao.tong_so', 10);
        column(submission, 'bang2', 'tin_bao.co_gia_tri', 4);
        column(submission, 'bang2', 'tin_bao.lam_ro_vu', 2);
      },
      { peerStats: tight },
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 2',
        cell: 'O13',
        code: 'so_lieu.bat_thuong_so_voi_don_vi_khac',
        severity: 'warning',
        message:
          'Ô O13 (Tin về ANTT do nhân dân cung cấp – Tổng số tin, Giai đoạn 2015 – 2020): 10 thấp bất thường so với các đơn vị cùng loại (trung vị 100). Hãy kiểm tra có gõ thừa hoặc thiếu chữ số 0 không.',
      },
    ]);
  });

  it('needs at least minPeers (5) peers to say anything', async () => {
    const four = computePeerStats(peerFigures(model, peers.slice(0, 4), ROUND));
    const five = computePeerStats(peerFigures(model, peers.slice(0, 5), ROUND));
    const extraZero = (s: Submission) =>
      (s.figures.bang1![PERIOD]!['tuyen_truyen.pano_khau_hieu'] = own[PERIOD]!['tuyen_truyen.pano_khau_hieu']! * 100);
    // One period: no other period of the unit to compare with, so with too few peers nothing is said.
    const withFour = await evaluate(extraZero, { peerStats: four });
    expect(withFour.issues).toEqual([]);
    const withFive = await evaluate(extraZero, { peerStats: five });
    expect(withFive.issues.map((i) => [i.cell, i.code])).toEqual([['D13', 'so_lieu.bat_thuong_so_voi_don_vi_khac']]);
  });

  it("with several periods (campaign split by year), too few peers leave the unit's own periods to catch it", async () => {
    const yearlyPeers = (n: number) => computePeerStats(peerFigures(yearlyModel, peers.slice(0, n), ROUND));
    const ownYearly = figuresFor(yearlyModel, UNIT, ROUND, 'bang1');
    const extraZero = (s: Submission) =>
      (s.figures.bang1!['2017']!['tuyen_truyen.pano_khau_hieu'] =
        ownYearly['2017']!['tuyen_truyen.pano_khau_hieu']! * 100);
    const withFour = await evaluateYearly(extraZero, { peerStats: yearlyPeers(4) });
    expect(withFour.issues.map((i) => [i.cell, i.code])).toEqual([['D15', 'so_lieu.bat_thuong_so_voi_ky_khac']]);
    const withFive = await evaluateYearly(extraZero, { peerStats: yearlyPeers(5) });
    expect(withFive.issues.map((i) => [i.cell, i.code])).toEqual([['D15', 'so_lieu.bat_thuong_so_voi_don_vi_khac']]);
  });
});

describe("outliers against the unit's own periods (campaign split by year)", () => {
  it('a campaign with one period per round has no own-period comparison to make', async () => {
    const evaluation = await evaluate((s) => (s.figures.bang1![PERIOD]!['tuyen_truyen.tai_lieu_ban'] = 1_000_000));
    expect(evaluation.issues.filter((i) => i.code === 'so_lieu.bat_thuong_so_voi_ky_khac')).toEqual([]);
  });

  const own = figuresFor(yearlyModel, UNIT, ROUND, 'bang1');
  const othersMedian = (code: string, except: string) =>
    median(YEARLY_PERIODS.filter((p) => p !== except).map((p) => own[p]![code]!));

  it('an extra zero in one year is flagged, with the median of the other periods', async () => {
    const typed = own['2018']!['tuyen_truyen.tai_lieu_ban']! * 10;
    const evaluation = await evaluateYearly((s) => (s.figures.bang1!['2018']!['tuyen_truyen.tai_lieu_ban'] = typed));
    const median = othersMedian('tuyen_truyen.tai_lieu_ban', '2018');
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'F16',
        code: 'so_lieu.bat_thuong_so_voi_ky_khac',
        severity: 'warning',
        message: `Ô F16 (Phát tài liệu – Số lượng bản phát hành, Năm 2018): ${germanDigits(typed)} cao bất thường so với các kỳ khác của đơn vị (trung vị ${germanDigits(median)}). Hãy kiểm tra lại.`,
      },
    ]);
  });

  it('a value ten times too small is flagged as low', async () => {
    const typed = Math.round(own['2016']!['tuyen_truyen.tap_trung_nguoi']! / 10);
    const evaluation = await evaluateYearly((s) => (s.figures.bang1!['2016']!['tuyen_truyen.tap_trung_nguoi'] = typed));
    const median = othersMedian('tuyen_truyen.tap_trung_nguoi', '2016');
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'H14',
        code: 'so_lieu.bat_thuong_so_voi_ky_khac',
        severity: 'warning',
        message: `Ô H14 (Tuyên truyền tập trung – Người dự, Năm 2016): ${typed} thấp bất thường so với các kỳ khác của đơn vị (trung vị ${germanDigits(median)}). Hãy kiểm tra lại.`,
      },
    ]);
  });

  it('small counts are left alone (minRatio 8, minAbsolute 20)', async () => {
    const ratioSeven = await evaluateYearly((s) => yearlyColumn(s, 'bang1', 'tdkt.bang_khen_tp', [2, 3, 14, 2, 3, 1]));
    expect(ratioSeven.issues).toEqual([]);
    const tinyAbsolute = await evaluateYearly((s) => yearlyColumn(s, 'bang1', 'tdkt.bang_khen_tp', [1, 1, 9, 1, 1, 1]));
    expect(tinyAbsolute.issues).toEqual([]);
    const both = await evaluateYearly((s) => yearlyColumn(s, 'bang1', 'tdkt.bang_khen_tp', [3, 3, 30, 3, 3, 3]));
    expect(both.issues.map((i) => [i.cell, i.code, i.message])).toEqual([
      [
        'L15',
        'so_lieu.bat_thuong_so_voi_ky_khac',
        'Ô L15 (Công tác TĐKT – Số lượt tập thể, cá nhân được Cờ, Bằng khen của UBND Thành phố, Năm 2017): 30 cao bất thường so với các kỳ khác của đơn vị (trung vị 3). Hãy kiểm tra lại.',
      ],
    ]);
  });
});

describe('a stock falling by more than half (campaign split by year)', () => {
  it("is a warning naming the previous period's value and cell", async () => {
    const evaluation = await evaluateYearly((s) =>
      yearlyColumn(s, 'bang1', 'luc_luong.bvdp', [700, 710, 720, 340, 730, 740]),
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'N16',
        code: 'so_lieu.chi_tieu_ton_giam_manh',
        severity: 'warning',
        message:
          'Ô N16 (Xây dựng lực lượng – Số lượng Bảo vệ dân phố, Năm 2018): 340 giảm hơn một nửa so với kỳ trước (720, ô N15). Đây là số hiện có tại cuối kỳ; hãy kiểm tra lại.',
      },
    ]);
  });

  it('exactly half is not flagged, nor is a flow that falls, nor a stock that grows back', async () => {
    const half = await evaluateYearly((s) =>
      yearlyColumn(s, 'bang1', 'luc_luong.bvdp', [700, 710, 720, 360, 730, 740]),
    );
    expect(half.issues).toEqual([]);
    const flow = await evaluateYearly((s) =>
      yearlyColumn(s, 'bang1', 'tuyen_truyen.pano_khau_hieu', [90, 95, 100, 30, 100, 50]),
    );
    expect(flow.issues).toEqual([]);
  });
});

describe('period totals (campaign split by year)', () => {
  it('sums flows, takes the last reported value of stocks, and keeps decimal sums exact', async () => {
    const evaluation = await evaluateYearly((submission) => {
      yearlyColumn(submission, 'bang1', 'tuyen_truyen.dai_chung', [100, 110, 120, 130, 140, 70]);
      yearlyColumn(submission, 'bang1', 'mo_hinh.hien_co', [40, 45, 50, 55, 60, 62]);
      yearlyColumn(submission, 'bang1', 'ngan_sach.xdpt_chung', ['800,7', '800,4', '801,3', '401,1', '800,6', '400,4']);
    });
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.values.bang1!['2019']!['ngan_sach.xdpt_chung']).toBe(800.6);
    expect(evaluation.totals.bang1!['tuyen_truyen.dai_chung']).toBe(670);
    expect(evaluation.totals.bang1!['mo_hinh.hien_co']).toBe(62);
    expect(evaluation.totals.bang1!['ngan_sach.xdpt_chung']).toBe(4004.5);
    // The naive sum is not: the total is rounded free of binary noise.
    expect([800.7, 800.4, 801.3, 401.1, 800.6, 400.4].reduce((a, b) => a + b, 0)).not.toBe(4004.5);
  });

  it('periodTotals: blanks are skipped, a stock keeps its last reported value, nothing reported is null', () => {
    const table = model.figuresTable('bang1');
    const values = {
      '2015': { 'tuyen_truyen.dai_chung': 10, 'mo_hinh.hien_co': 40, 'ngan_sach.bvdp': 0.1 },
      '2016': { 'tuyen_truyen.dai_chung': null, 'mo_hinh.hien_co': 44, 'ngan_sach.bvdp': 0.2 },
      '2017': { 'tuyen_truyen.dai_chung': 5, 'mo_hinh.hien_co': null, 'ngan_sach.bvdp': null },
    };
    const totals = periodTotals(table, ['2015', '2016', '2017'], values);
    expect(totals['tuyen_truyen.dai_chung']).toBe(15);
    expect(totals['mo_hinh.hien_co']).toBe(44);
    expect(totals['ngan_sach.bvdp']).toBe(0.3);
    expect(totals['luc_luong.bvdp']).toBeNull();
  });
});
