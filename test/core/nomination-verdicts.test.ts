/**
 * Nominations: nominees judged apart from the report (a verdict per nominee, on its
 * row, in the status line, the master and the mail), the exemption from criteria the plan
 * limits to assessed nominees, the per-locality Bằng khen Bộ Công an, and the tờ trình link
 * of units that only nominate. Messages are checked word for word.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import { planFeedback } from '../../functions/core/feedback.js';
import { buildMasterView, masterJson, type ViewState } from '../../functions/core/master-view.js';
import { localityOverlaps } from '../../functions/core/nominations.js';
import { statusLine } from '../../functions/core/status-text.js';
import { sweep } from '../../functions/core/sweep.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import { model, modifiedModel } from '../helpers/campaign.js';
import { filledGrid, nomineeRow, type NomineeSpec, type Submission } from '../helpers/fill-workbook.js';

const ROUND = 'so-ket-2020';
const SHEET = 'Khen thưởng';
/** Columns of the nominations tab: the exemption field after the dossier, then the verdict the system writes. */
const EXEMPT_COL = 'R';
const VERDICT_COL = 18; // S
const FIRST_ROW = 17; // 0-based row of the first nominee (A1 row 18)

async function evaluate(
  unitId: string,
  specs: (NomineeSpec & { assessed?: 'Có' | 'Không' })[],
  opts: { edit?: (s: Submission) => void; model?: CampaignModel } = {},
): Promise<Evaluation> {
  const campaignModel = opts.model ?? model;
  const grid = await filledGrid(campaignModel, unitId, ROUND, (submission) => {
    submission.lists.khen_thuong = specs.map(({ assessed, ...spec }) => ({
      ...nomineeRow(campaignModel, spec),
      ...(assessed ? { thuoc_dien_xet: assessed } : {}),
    }));
    opts.edit?.(submission);
  });
  return evaluateWorkbook(campaignModel, unitId, ROUND, grid);
}

const verdicts = (ev: Evaluation) => ev.nominations.map((n) => [n.name, n.verdict]);
const verdictCell = (model: CampaignModel, evaluation: Evaluation, row: number) => {
  const plan = planFeedback(
    model,
    evaluation,
    statusLine(model, ROUND, { ...evaluation, pendingCount: evaluation.pending.length }, null),
  );
  return plan.statusCells.find((c) => c.sheet === SHEET && c.row === row && c.col === VERDICT_COL);
};

describe('a nominee never stops the report', () => {
  it("a complete district workbook with an ineligible nominee is ready; the verdict is on the nominee's row", async () => {
    const evaluation = await evaluate('ubnd-ba-dinh', [
      { award: 'bkubnd', type: 'collective', scope: 'outside', name: 'Tổ dân phố số 7', bangKhen: 1 },
      {
        award: 'gkcatp',
        type: 'individual',
        scope: 'outside',
        name: 'Lê Thị Hằng',
        titles: ['khong_dat', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien'],
      },
    ]);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.errors).toBe(0);
    expect(evaluation.issues.map((i) => [i.cell, i.code, i.severity])).toEqual([
      ['H19', 'khen_thuong.ineligible_title', 'error'],
    ]);
    expect(verdicts(evaluation)).toEqual([
      ['Tổ dân phố số 7', 'ok'],
      ['Lê Thị Hằng', 'ineligible'],
    ]);
    const message =
      'Ô H19: năm 2015 "Lê Thị Hằng" đạt "Không đạt danh hiệu", chưa đạt tiêu chuẩn "Lao động tiên tiến" trở lên mỗi năm 2015–2019 (mục IV.3 Kế hoạch 127).';
    expect(evaluation.nominations[1]!.issues).toEqual([
      { cell: 'H19', code: 'khen_thuong.ineligible_title', severity: 'error', message },
    ]);
    expect(verdictCell(model, evaluation, FIRST_ROW)).toMatchObject({ text: 'Hợp lệ', tone: 'ok', note: '' });
    expect(verdictCell(model, evaluation, FIRST_ROW + 1)).toMatchObject({
      text: 'Chưa đủ tiêu chuẩn',
      tone: 'error',
      note: message,
    });
    // A row without a nominee has its verdict cell blanked (a deleted nominee leaves no stale verdict).
    expect(verdictCell(model, evaluation, FIRST_ROW + 2)).toMatchObject({ text: '', tone: 'neutral' });
    // The cell stays marked on the sheet.
    const plan = planFeedback(model, evaluation, { text: '', tone: 'ok' });
    expect(plan.marks.find((mk) => mk.sheet === SHEET && mk.row === FIRST_ROW + 1 && mk.col === 7)).toMatchObject({
      severity: 'error',
    });
  });

  it('over quota: the rows beyond the quota, in listing order, are over_quota; the report is ready and the status line says it apart', async () => {
    const specs: NomineeSpec[] = ['Tổ 1', 'Tổ 2', 'Tổ 3', 'Tổ 4'].map((n) => ({
      award: 'gkcatp',
      type: 'collective',
      scope: 'outside',
      name: `Tổ dân phố ${n}`,
    }));
    const evaluation = await evaluate('ubnd-ba-dinh', specs);
    expect(evaluation.status).toBe('ready');
    expect(verdicts(evaluation).map(([, v]) => v)).toEqual(['ok', 'ok', 'ok', 'over_quota']);
    expect(evaluation.nomineesNeedingAttention).toBe(1);
    expect(verdictCell(model, evaluation, FIRST_ROW + 3)).toMatchObject({ text: 'Vượt định mức', tone: 'error' });
    expect(statusLine(model, ROUND, { ...evaluation, pendingCount: evaluation.pending.length }, null)).toEqual({
      text: 'Hợp lệ: sẵn sàng gửi. Đề nghị khen thưởng: 1 đối tượng cần xem lại (cột "Kết quả xét (hệ thống ghi)" ở trang Khen thưởng).',
      tone: 'warning',
    });
  });

  it("a report error still makes the unit invalid, and its status line counts only the report's errors", async () => {
    const evaluation = await evaluate(
      'ubnd-ba-dinh',
      [
        {
          award: 'gkcatp',
          type: 'individual',
          scope: 'outside',
          name: 'Lê Thị Hằng',
          titles: ['khong_dat', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien'],
        },
      ],
      {
        edit: (s) => (s.confirmation.dien_thoai = '0912 345'),
      },
    );
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.errors).toBe(1);
    expect(statusLine(model, ROUND, { ...evaluation, pendingCount: evaluation.pending.length }, null).text).toBe(
      'Còn 1 lỗi — chưa gửi được: hãy sửa các ô tô đỏ (di chuột vào ô để xem hướng dẫn). Đề nghị khen thưởng: 1 đối tượng cần xem lại (cột "Kết quả xét (hệ thống ghi)" ở trang Khen thưởng).',
    );
  });

  it('precedence: ineligible over incomplete over over_quota, every reason listed', async () => {
    // Two bkbca nominees (quota 1): the second is over quota, ineligible and missing an original set.
    const evaluation = await evaluate('ubnd-ba-dinh', [
      { award: 'bkbca', type: 'collective', scope: 'outside', name: 'Phường Trúc Bạch' },
      {
        award: 'bkbca',
        type: 'individual',
        scope: 'outside',
        name: 'Ông Đỗ Văn Hải',
        giayKhen: 0,
        bangKhen: 0,
        originalSets: 1,
      },
      { award: 'gkcatp', type: 'individual', scope: 'outside', name: 'Bà Vũ Thị Thu', originalSets: null },
    ]);
    expect(evaluation.status).toBe('ready');
    expect(verdicts(evaluation).map(([, v]) => v)).toEqual(['ok', 'ineligible', 'incomplete']);
    expect(evaluation.nominations[1]!.issues.map((i) => i.code)).toEqual([
      'khen_thuong.quota_exceeded',
      'khen_thuong.ineligible_commendations',
      'khen_thuong.original_sets',
    ]);
    expect(evaluation.nominations[2]!.issues.map((i) => [i.cell, i.message])).toEqual([
      ['Q20', 'Ô Q20: hồ sơ đề nghị Giấy khen Giám đốc CATP cần 1 bộ bản chính; số bộ đã ghi: chưa ghi.'],
    ]);
  });

  it('the unit-level dossier: for a district it makes every nominee incomplete, not the report invalid', async () => {
    const evaluation = await evaluate(
      'ubnd-ba-dinh',
      [{ award: 'gkcatp', type: 'individual', scope: 'outside', name: 'Bà Vũ Thị Thu' }],
      { edit: (s) => (s.forms.khen_thuong!.bien_ban = false) },
    );
    expect(evaluation.status).toBe('ready');
    expect(evaluation.nominations[0]!.verdict).toBe('incomplete');
    expect(evaluation.nominations[0]!.issues.map((i) => i.message)).toEqual([
      'Ô F12: chưa đánh dấu "Biên bản họp Hội đồng Thi đua, khen thưởng" trong hồ sơ chung của đơn vị (mục IV.5 Kế hoạch 127).',
    ]);
  });

  it('the unit-level dossier: for a unit that only nominates it is part of what it submits', async () => {
    const evaluation = await evaluate(
      'ca-ba-dinh',
      [{ award: 'gkcatp', type: 'individual', scope: 'cand', name: 'Trung úy Đỗ Văn Hải' }],
      { edit: (s) => (s.forms.khen_thuong!.bien_ban = false) },
    );
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.reportIssues.map((i) => [i.cell, i.code])).toEqual([['F12', 'khen_thuong.dossier_unit_missing']]);
    // A police unit's ineligible nominee, with the dossier complete, leaves it ready.
    const ok = await evaluate('ca-ba-dinh', [
      {
        award: 'gkcatp',
        type: 'individual',
        scope: 'cand',
        name: 'Trung úy Đỗ Văn Hải',
        titles: ['khong_dat', 'chien_si_tien_tien', 'chien_si_tien_tien', 'chien_si_tien_tien', 'chien_si_tien_tien'],
      },
    ]);
    expect([ok.status, ok.nominations[0]!.verdict]).toEqual(['ready', 'ineligible']);
  });
});

describe('exemption from emulation-title criteria', () => {
  const tdp = (award: string, assessed?: 'Có' | 'Không') =>
    ({
      award,
      type: 'collective',
      scope: 'outside',
      name: 'Tập thể nhân dân tổ dân phố số 5, phường Ngọc Hà',
      titles: [null, null, null, null, null],
      bangKhen: 1,
      ...(assessed ? { assessed } : {}),
    }) as NomineeSpec & { assessed?: 'Có' | 'Không' };

  it.each(['gkcatp', 'bkubnd'])('a "Tập thể nhân dân" marked "Không" with blank titles is ok for %s', async (award) => {
    const evaluation = await evaluate('ubnd-ba-dinh', [tdp(award, 'Không')]);
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.nominations[0]).toMatchObject({ exempt: true, eligible: true, verdict: 'ok', issues: [] });
    expect(verdictCell(model, evaluation, FIRST_ROW)).toMatchObject({
      text: 'Hợp lệ',
      note: 'Không thuộc diện xét danh hiệu thi đua: không áp dụng tiêu chuẩn danh hiệu chỉ dành cho đối tượng được bình xét.',
    });
  });

  it('blank means "Có": the same row with blank titles is incomplete', async () => {
    for (const spec of [tdp('gkcatp'), tdp('gkcatp', 'Có')]) {
      const evaluation = await evaluate('ubnd-ba-dinh', [spec]);
      expect(evaluation.status).toBe('ready');
      expect(evaluation.nominations[0]).toMatchObject({ exempt: false, verdict: 'incomplete' });
      expect(evaluation.nominations[0]!.issues[0]).toEqual({
        cell: 'H18',
        code: 'khen_thuong.title_missing',
        severity: 'error',
        message:
          'Ô H18: chưa ghi danh hiệu thi đua năm 2015 của "Tập thể nhân dân tổ dân phố số 5, phường Ngọc Hà". Tiêu chuẩn yêu cầu mỗi năm 2015–2019 đạt từ "Tập thể lao động tiên tiến" trở lên.',
      });
    }
  });

  it('the criteria that are not limited to assessed nominees still apply: the Bằng khen commendation', async () => {
    const evaluation = await evaluate('ubnd-ba-dinh', [{ ...tdp('bkubnd', 'Không'), bangKhen: 0 }]);
    expect(evaluation.nominations[0]!.verdict).toBe('ineligible');
    expect(evaluation.nominations[0]!.issues.map((i) => i.message)).toEqual([
      'Ô M18: đề nghị Bằng khen UBND Thành phố cho tập thể ngoài lực lượng CAND cần ít nhất 1 lần được tặng Bằng khen của Bộ Công an hoặc UBND Thành phố; "Tập thể nhân dân tổ dân phố số 5, phường Ngọc Hà" mới ghi 0.',
    ]);
  });

  it('a resident (outside individual) marked "Không" skips the extra Lao động xuất sắc year, not the yearly minimum', async () => {
    const resident = {
      award: 'bkubnd',
      type: 'individual',
      scope: 'outside',
      name: 'Ông Nguyễn Văn Tư',
      titles: Array(5).fill('lao_dong_tien_tien'),
      assessed: 'Không',
    } as const;
    expect(
      (await evaluate('ubnd-ba-dinh', [{ ...resident, titles: [...resident.titles] }])).nominations[0]!.verdict,
    ).toBe('ok');
    const assessed = await evaluate('ubnd-ba-dinh', [{ ...resident, titles: [...resident.titles], assessed: 'Có' }]);
    expect(assessed.nominations[0]!.issues.map((i) => i.code)).toEqual(['khen_thuong.ineligible_extra_title']);
    const blank = await evaluate('ubnd-ba-dinh', [{ ...resident, titles: [null, null, null, null, null] }]);
    expect(blank.nominations[0]!.verdict).toBe('incomplete');
  });

  it('which criteria an exemption lifts is campaign data (onlyWhenAssessed), not code', async () => {
    const strict = modifiedModel((raw) => {
      for (const category of raw.eligibility.categories) category.onlyWhenAssessed = [];
    });
    const evaluation = await evaluate('ubnd-ba-dinh', [tdp('gkcatp', 'Không')], { model: strict });
    expect(evaluation.nominations[0]).toMatchObject({ exempt: true, verdict: 'incomplete' });
  });

  it("the exemption column is on the unit's tab as a Có / Không drop-down", () => {
    const sheet = buildUnitWorkbook(model, 'ubnd-ba-dinh', ROUND).sheets.find((s) => s.title === SHEET)!;
    const header = sheet.cells.find((c) => c.value === 'Thuộc diện xét danh hiệu thi đua')!;
    expect(header.col).toBe(EXEMPT_COL.charCodeAt(0) - 65);
    const input = sheet.cells.find((c) => c.row === FIRST_ROW && c.col === header.col)!;
    expect(input.validation).toMatchObject({ kind: 'list', values: ['Có', 'Không'] });
    expect(sheet.cells.find((c) => c.value === 'Kết quả xét (hệ thống ghi)')!.col).toBe(VERDICT_COL);
    // The verdict column is the system's: not in the range the unit may edit.
    expect(
      sheet.protection?.unprotected?.some(
        (r) => r.startCol <= VERDICT_COL && VERDICT_COL < r.endCol && r.startRow <= FIRST_ROW && FIRST_ROW < r.endRow,
      ),
    ).toBe(false);
  });
});

describe('bkbca per locality', () => {
  const bkbca = (name: string) => [{ award: 'bkbca' as string | null, name }];

  it('the UBND and the police of one district both nominate: a warning for that locality', () => {
    const by = new Map([
      ['ubnd-ba-dinh', bkbca('Phường Trúc Bạch')],
      ['ca-ba-dinh', bkbca('Thượng tá Trần Văn Minh')],
      ['ubnd-tay-ho', bkbca('Phường Quảng An')],
      ['ca-hoan-kiem', bkbca('Đội Cảnh sát khu vực')],
    ]);
    expect(localityOverlaps(model, by)).toEqual([
      {
        locality: 'ba-dinh',
        award: 'bkbca',
        unitIds: ['ubnd-ba-dinh', 'ca-ba-dinh'],
        message:
          'Địa bàn quận Ba Đình: UBND quận Ba Đình và Công an quận Ba Đình cùng đề nghị Bằng khen Bộ Công an; kế hoạch chỉ cho mỗi địa phương tối đa 01 (tập thể hoặc cá nhân). Cần thống nhất chọn một đề nghị.',
      },
    ]);
  });

  it("the pairing is the units' `locality` in the campaign file", () => {
    const unpaired = modifiedModel((raw) => {
      delete raw.units.find((u: { id: string }) => u.id === 'ca-ba-dinh').locality;
    });
    expect(
      localityOverlaps(
        unpaired,
        new Map([
          ['ubnd-ba-dinh', bkbca('A')],
          ['ca-ba-dinh', bkbca('B')],
        ]),
      ),
    ).toEqual([]);
    expect(model.campaign.units.filter((u) => u.locality === 'son-tay').map((u) => u.id)).toEqual([
      'ubnd-son-tay',
      'ca-son-tay',
    ]);
  });

  it("coordinators see it in master --json and on the master's nominations tab", async () => {
    const state = async (
      unitId: string,
      specs: (NomineeSpec & { assessed?: 'Có' | 'Không' })[],
    ): Promise<ViewState> => {
      const evaluation = await evaluate(unitId, specs);
      return {
        unitId,
        status: evaluation.status,
        contentHash: evaluation.contentHash,
        errors: evaluation.errors,
        warnings: evaluation.warnings,
        evaluatedAt: 0,
        lockedOut: false,
        issues: [],
        nominations: evaluation.nominations,
        quotaOverruns: [],
        dossierMissing: [],
      };
    };
    const states = [
      await state('ubnd-ba-dinh', [
        { award: 'bkbca', type: 'collective', scope: 'outside', name: 'Phường Trúc Bạch' },
        {
          award: 'gkcatp',
          type: 'collective',
          scope: 'outside',
          name: 'Tập thể nhân dân tổ dân phố số 5',
          titles: [null, null, null, null, null],
          assessed: 'Không',
          reportConfirmed: false,
        },
      ]),
      await state('ca-ba-dinh', [
        { award: 'bkbca', type: 'individual', scope: 'cand', name: 'Thượng tá Trần Văn Minh' },
      ]),
    ];
    const view = buildMasterView(model, {
      now: Date.parse('2020-07-10T00:00:00+07:00'),
      shortlist: new Set(),
      rounds: model.campaign.rounds.map((r) => ({
        roundId: r.id,
        submissions: [],
        states: r.id === ROUND ? states : [],
        nodes: {},
        sheetUrls: {},
        flags: [],
      })),
    });
    const json = masterJson(view).rounds[ROUND]!;
    expect(json.localityWarnings.map((w) => w.message)).toEqual([
      'Địa bàn quận Ba Đình: UBND quận Ba Đình và Công an quận Ba Đình cùng đề nghị Bằng khen Bộ Công an; kế hoạch chỉ cho mỗi địa phương tối đa 01 (tập thể hoặc cá nhân). Cần thống nhất chọn một đề nghị.',
    ]);
    expect(json.nominations['ubnd-ba-dinh']!.map((n) => (n as { verdict: string; exempt: boolean }).verdict)).toEqual([
      'ok',
      'incomplete',
    ]);
    expect(json.nominations['ubnd-ba-dinh']!.map((n) => (n as { exempt: boolean }).exempt)).toEqual([false, true]);

    const tab = buildMasterWorkbook(model, view, Date.parse('2020-07-10T00:00:00+07:00')).sheets.find(
      (s) => s.key === 'khen_thuong',
    )!;
    const banner = tab.cells.find((c) => c.row === 2 && c.col === 1)!;
    expect(banner.value).toBe(
      `Danh sách đề xuất lên Bộ trong định mức.\n${model.round(ROUND).name}: ${json.localityWarnings[0]!.message}`,
    );
    const header = tab.cells.filter((c) => c.row === 3);
    const col = (h: string) => header.find((c) => c.value === h)!.col;
    const rowOf = (name: string) => tab.cells.find((c) => c.value === name)!.row;
    const at = (row: number, c: number) => tab.cells.find((x) => x.row === row && x.col === c)?.value;
    expect(at(rowOf('Phường Trúc Bạch'), col('Kết quả xét'))).toBe('Hợp lệ');
    const tdpRow = rowOf('Tập thể nhân dân tổ dân phố số 5');
    expect([at(tdpRow, col('Kết quả xét')), at(tdpRow, col('Thuộc diện xét danh hiệu thi đua'))]).toEqual([
      'Cần bổ sung hồ sơ',
      'Không (không áp dụng tiêu chuẩn chỉ dành cho đối tượng được bình xét)',
    ]);
  });
});

describe('the confirmation of a unit that only nominates asks for the tờ trình', () => {
  const LINK_LABEL = 'Đường dẫn tờ trình đề nghị khen thưởng đã ký, đóng dấu';

  it.each(['ca-ba-dinh', 'catp-xdpt', 'catp-ankt'])(
    '%s: the template, the missing-field and the bad-link messages',
    async (unitId) => {
      const conf = buildUnitWorkbook(model, unitId, ROUND).sheets.find((s) => s.title === 'Xác nhận')!;
      expect(conf.cells.some((c) => c.value === `${LINK_LABEL} *`)).toBe(true);
      expect(conf.cells.some((c) => typeof c.value === 'string' && c.value.includes('bản PDF báo cáo'))).toBe(false);
      const missing = await evaluate(unitId, [], { edit: (s) => (s.confirmation.link_bao_cao = null) });
      expect(missing.issues.map((i) => i.message)).toEqual([
        `Ô C11: chưa ghi "${LINK_LABEL}". Khi gửi báo cáo cần có thông tin này.`,
      ]);
      const bad = await evaluate(unitId, [], { edit: (s) => (s.confirmation.link_bao_cao = 'đã gửi bản giấy') });
      expect(bad.issues.map((i) => i.message)).toEqual([
        'Ô C11: "đã gửi bản giấy" không phải đường dẫn. Hãy dán đường dẫn (bắt đầu bằng https://) tới tệp tờ trình đề nghị khen thưởng đã ký, đóng dấu.',
      ]);
    },
  );

  it('a district that reports keeps the report PDF', async () => {
    const conf = buildUnitWorkbook(model, 'ubnd-ba-dinh', ROUND).sheets.find((s) => s.title === 'Xác nhận')!;
    expect(conf.cells.some((c) => c.value === 'Đường dẫn bản PDF báo cáo đã ký, đóng dấu *')).toBe(true);
    const bad = await evaluate('ubnd-ba-dinh', [], { edit: (s) => (s.confirmation.link_bao_cao = 'đã gửi bản giấy') });
    expect(bad.issues.map((i) => i.message)).toEqual([
      'Ô C11: "đã gửi bản giấy" không phải đường dẫn. Hãy dán đường dẫn (bắt đầu bằng https://) tới tệp PDF báo cáo đã ký, đóng dấu.',
    ]);
  });
});

describe("the coordinators' digest names the locality", () => {
  it('one line per locality, once', () => {
    const nominating = (unitId: string, name: string) => ({
      unitId,
      state: {
        status: 'ready' as const,
        errors: 0,
        warnings: 0,
        pendingCount: 0,
        quotaOverruns: [],
        nominations: [{ name, award: 'bkbca', eligible: true, ineligibleReasons: [], verdict: 'ok' as const }],
        dossierMissing: [],
      },
      submission: null,
      sheetUrl: null,
    });
    const input = {
      now: Date.parse('2020-07-12T08:00:00+07:00'),
      rounds: [
        {
          roundId: ROUND,
          units: [nominating('ubnd-ba-dinh', 'Phường Trúc Bạch'), nominating('ca-ba-dinh', 'Thượng tá Trần Văn Minh')],
        },
      ],
      shortlisted: [],
    };
    const digest = sweep(model, input).emails.find((e) => e.kind === 'digest')!;
    expect(digest.text).toContain(
      '\nCùng một địa phương đề nghị nhiều hơn định mức:\n  - Địa bàn quận Ba Đình: UBND quận Ba Đình và Công an quận Ba Đình cùng đề nghị Bằng khen Bộ Công an; kế hoạch chỉ cho mỗi địa phương tối đa 01 (tập thể hoặc cá nhân). Cần thống nhất chọn một đề nghị.\n',
    );
    expect(digest.keys).toContain(`digest__locality__${ROUND}__bkbca__ba-dinh`);
  });
});
