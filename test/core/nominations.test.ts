/**
 * Award nominations (Kế hoạch 127, mục IV): who may propose what, every quota row of the
 * campaign at its limit and one over, the eligibility criteria of each category, the
 * dossier, and the same nominee proposed twice. Messages are checked word for word.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWorkbook, type Evaluation, type EvaluationContext } from '../../functions/core/evaluate.js';
import { nameKey } from '../../functions/core/lists.js';
import { shortlistOverruns, unitQuotaOverruns } from '../../functions/core/nominations.js';
import { model, modifiedModel } from '../helpers/campaign.js';
import {
  ELIGIBLE_TITLES,
  filledGrid,
  nomineeRow,
  type NomineeSpec,
  type Submission,
} from '../helpers/fill-workbook.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';

const ROUND = 'so-ket-2020';
const FIRST_ROW = 18; // A1 row of the first nomination
const COL = {
  award: 'C',
  type: 'D',
  scope: 'E',
  name: 'F',
  t2015: 'H',
  t2016: 'I',
  t2017: 'J',
  t2018: 'K',
  t2019: 'L',
  giayKhen: 'M',
  report: 'P',
  sets: 'Q',
};

async function evaluateNoms(
  unitId: string,
  specs: NomineeSpec[],
  opts: {
    submitted?: boolean;
    context?: EvaluationContext;
    model?: CampaignModel;
    edit?: (s: Submission) => void;
  } = {},
): Promise<Evaluation> {
  const campaignModel = opts.model ?? model;
  const grid = await filledGrid(campaignModel, unitId, ROUND, (submission) => {
    submission.lists.khen_thuong = specs.map((n) => nomineeRow(campaignModel, n));
    if (opts.submitted === false) submission.confirmation.da_hoan_thanh = false;
    opts.edit?.(submission);
  });
  return evaluateWorkbook(campaignModel, unitId, ROUND, grid, opts.context ?? {});
}

const brief = (ev: Evaluation) =>
  ev.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));
const awardName = (id: string) => model.award(id).name;

describe('the nominations the helpers propose for each kind of unit', () => {
  it.each(['ubnd-ba-dinh', 'ca-ba-dinh', 'catp-tham-muu', 'catp-ankt'])(
    '%s: within quota, eligible, dossier complete',
    async (unitId) => {
      const evaluation = await evaluateNoms(unitId, []);
      expect(evaluation.issues).toEqual([]);
      const full = await evaluateWorkbook(model, unitId, ROUND, await filledGrid(model, unitId, ROUND));
      expect(full.status).toBe('ready');
      expect(full.issues).toEqual([]);
      expect(full.nominations.length).toBeGreaterThan(0);
      expect(full.nominations.every((n) => n.eligible === true)).toBe(true);
      expect(full.dossier).toEqual({ to_trinh: true, bien_ban: true, trich_ngang: true });
      expect(full.dossierMissing).toEqual([]);
    },
  );

  it('reads every field of a nomination', async () => {
    const evaluation = await evaluateNoms('ca-ba-dinh', [
      {
        award: 'bkubnd',
        type: 'collective',
        scope: 'cand',
        name: 'Đội  Cảnh sát khu vực',
        position: 'Công an quận Ba Đình',
        giayKhen: 2,
        bangKhen: 1,
      },
    ]);
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.nominations).toEqual([
      {
        rowNo: 1,
        cell: 'F18',
        award: 'bkubnd',
        type: 'collective',
        scope: 'cand',
        name: 'Đội Cảnh sát khu vực',
        position: 'Công an quận Ba Đình',
        titles: {
          '2015': 'don_vi_tien_tien',
          '2016': 'don_vi_quyet_thang',
          '2017': 'don_vi_tien_tien',
          '2018': 'don_vi_quyet_thang',
          '2019': 'don_vi_tien_tien',
        },
        giayKhen: 2,
        bangKhen: 1,
        summary:
          'Có thành tích xuất sắc trong tổ chức Ngày hội toàn dân bảo vệ ANTQ giai đoạn 2015 – 2020 (Đội Cảnh sát khu vực).',
        reportConfirmed: true,
        originalSets: 2,
        exempt: false,
        key: 'doi canh sat khu vuc',
        eligible: true,
        ineligibleReasons: [],
        verdict: 'ok',
        issues: [],
      },
    ]);
  });
});

describe('quotas: every row of the campaign, at the limit and one over', () => {
  /** A unit of each nominating kind. */
  const UNIT_OF_KIND: Record<string, string> = {
    district: 'ubnd-hai-ba-trung',
    'district-police': 'ca-hai-ba-trung',
    'catp-department': 'catp-xdpt',
    'catp-security-department': 'catp-anctnb',
  };
  const cases = model.campaign.quotas.flatMap((quota, row) => {
    const kinds = quota.kinds === '*' ? Object.keys(UNIT_OF_KIND) : quota.kinds;
    return kinds.flatMap((kind) =>
      (['total', 'collective', 'individual'] as const)
        .filter((k) => quota.limits[k] !== undefined)
        .map((k) => ({
          row,
          award: quota.award,
          scope: quota.scope,
          kind,
          unitId: UNIT_OF_KIND[kind]!,
          limitKind: k,
          limit: quota.limits[k]!,
          description: quota.description,
        })),
    );
  });

  it('covers the seven quota rows of the plan', () => {
    expect(
      model.campaign.quotas.map((q) => [
        q.award,
        q.kinds === '*' ? '*' : q.kinds.join('+'),
        q.scope,
        q.limits.total ?? '-',
        q.limits.collective ?? '-',
        q.limits.individual ?? '-',
      ]),
    ).toEqual([
      ['bkbca', '*', 'any', 1, '-', '-'],
      ['bkubnd', 'catp-department+catp-security-department+district-police', 'cand', '-', 1, 1],
      ['bkubnd', 'district', 'outside', '-', 1, 1],
      ['bkubnd', 'catp-security-department', 'outside', '-', 2, 2],
      ['gkcatp', 'catp-department+catp-security-department+district-police', 'cand', '-', 1, 3],
      ['gkcatp', 'district', 'outside', '-', 3, 5],
      ['gkcatp', 'catp-security-department', 'outside', '-', 3, 5],
    ]);
    expect(cases).toHaveLength(4 + 6 + 2 + 2 + 6 + 2 + 2);
  });

  /** `n` distinct eligible nominees matching a quota limit (for 'total', alternating collective/individual). */
  function nominees(cell: (typeof cases)[number], count: number): NomineeSpec[] {
    const kind = model.campaign.unitKinds.find((k) => k.id === cell.kind)!;
    const scope = cell.scope === 'any' ? kind.nominates[0]! : cell.scope;
    return Array.from({ length: count }, (_, index) => {
      const type = cell.limitKind === 'total' ? (index % 2 ? 'individual' : 'collective') : cell.limitKind;
      return {
        award: cell.award,
        type,
        scope,
        name: `${type === 'collective' ? 'Tập thể' : 'Cá nhân'} số ${index + 1}`,
      };
    });
  }

  it.each(cases.map((c) => [`${c.award} ${c.scope} ${c.limitKind} ≤ ${c.limit} for ${c.kind}`, c] as const))(
    '%s',
    async (_name, quotaCase) => {
      const atLimit = await evaluateNoms(quotaCase.unitId, nominees(quotaCase, quotaCase.limit));
      expect(atLimit.issues).toEqual([]);
      expect(atLimit.quotaOverruns).toEqual([]);

      const over = await evaluateNoms(quotaCase.unitId, nominees(quotaCase, quotaCase.limit + 1));
      const cell = `${COL.award}${FIRST_ROW + quotaCase.limit}`;
      expect(brief(over)).toEqual([
        {
          sheet: 'Khen thưởng',
          cell,
          code: 'khen_thuong.quota_exceeded',
          severity: 'error',
          message: `Ô ${cell}: vượt số lượng đề nghị ${awardName(quotaCase.award)}: ${quotaCase.description}; đơn vị đang đề nghị ${quotaCase.limit + 1}. Hãy bớt 1 đề nghị.`,
        },
      ]);
      // Over quota is the excess row's verdict, not the unit's: the report still counts.
      expect(over.status).toBe('ready');
      expect(over.nominations.map((n) => n.verdict)).toEqual([...Array(quotaCase.limit).fill('ok'), 'over_quota']);
      expect(over.nomineesNeedingAttention).toBe(1);
      expect(over.quotaOverruns).toEqual([
        {
          award: quotaCase.award,
          scope: quotaCase.scope,
          kind: quotaCase.limitKind,
          limit: quotaCase.limit,
          count: quotaCase.limit + 1,
          description: quotaCase.description,
          excess: [quotaCase.limit],
        },
      ]);
    },
  );

  it('two over the limit flags both excess rows, with the count and how many to drop', async () => {
    const specs: NomineeSpec[] = [1, 2, 3].map((i) => ({
      award: 'bkubnd',
      type: 'individual',
      scope: 'outside',
      name: `Nguyễn Văn ${i}`,
    }));
    const evaluation = await evaluateNoms('ubnd-ba-dinh', specs);
    const message = (cell: string) =>
      `Ô ${cell}: vượt số lượng đề nghị Bằng khen UBND Thành phố: 01 tập thể và 01 cá nhân ngoài lực lượng CAND; đơn vị đang đề nghị 3. Hãy bớt 2 đề nghị.`;
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'C19',
        code: 'khen_thuong.quota_exceeded',
        severity: 'error',
        message: message('C19'),
      },
      {
        sheet: 'Khen thưởng',
        cell: 'C20',
        code: 'khen_thuong.quota_exceeded',
        severity: 'error',
        message: message('C20'),
      },
    ]);
  });

  it('counts CAND and outside nominees of a security department against their own rows', async () => {
    const evaluation = await evaluateNoms('catp-ankt', [
      { award: 'bkubnd', type: 'collective', scope: 'cand', name: 'Đội 1, Phòng ANKT' },
      { award: 'bkubnd', type: 'collective', scope: 'outside', name: 'Công ty Điện lực Hoàn Kiếm' },
      { award: 'bkubnd', type: 'collective', scope: 'outside', name: 'Bệnh viện Đa khoa Xanh Pôn' },
      { award: 'bkubnd', type: 'individual', scope: 'cand', name: 'Thiếu tá Phạm Văn Tú' },
      { award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Bà Hoàng Thị Mai' },
      { award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Ông Đỗ Văn Hải' },
    ]);
    expect(evaluation.issues).toEqual([]);
  });
});

describe('who may propose whom', () => {
  it('a district may not propose a CAND nominee', async () => {
    const evaluation = await evaluateNoms('ubnd-ba-dinh', [
      { award: 'gkcatp', type: 'individual', scope: 'cand', name: 'Thiếu tá Vũ Văn Long' },
    ]);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'E18',
        code: 'khen_thuong.scope_not_allowed',
        severity: 'error',
        message:
          'Ô E18: UBND quận Ba Đình không đề nghị khen thưởng cho đối tượng "Trong lực lượng CAND"; đơn vị chỉ đề nghị cho: Ngoài lực lượng CAND.',
      },
    ]);
  });

  it('district police may not propose a nominee outside CAND', async () => {
    const evaluation = await evaluateNoms('ca-hai-ba-trung', [
      { award: 'gkcatp', type: 'collective', scope: 'outside', name: 'Trường THPT Trần Nhân Tông' },
    ]);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'E18',
        code: 'khen_thuong.scope_not_allowed',
        severity: 'error',
        message:
          'Ô E18: Công an quận Hai Bà Trưng không đề nghị khen thưởng cho đối tượng "Ngoài lực lượng CAND"; đơn vị chỉ đề nghị cho: Trong lực lượng CAND.',
      },
    ]);
  });

  it('an award with no quota row for the unit kind and scope is not allowed', async () => {
    const noDistrictGiayKhen = modifiedModel((raw) => {
      raw.quotas = raw.quotas.filter(
        (q: { award: string; kinds: string[] | string }) =>
          !(q.award === 'gkcatp' && Array.isArray(q.kinds) && q.kinds.includes('district')),
      );
    });
    const evaluation = await evaluateNoms(
      'ubnd-ba-dinh',
      [{ award: 'gkcatp', type: 'collective', scope: 'outside', name: 'Tổ dân phố số 2' }],
      { model: noDistrictGiayKhen },
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'C18',
        code: 'khen_thuong.award_not_allowed',
        severity: 'error',
        message:
          'Ô C18: UBND quận Ba Đình không thuộc diện đề nghị Giấy khen Giám đốc CATP cho đối tượng Ngoài lực lượng CAND (mục IV.4 Kế hoạch 127).',
      },
    ]);
  });
});

describe('eligibility (mục IV.3), per category', () => {
  const CATEGORIES = [
    {
      key: 'cand/collective',
      unitId: 'ca-ba-dinh',
      label: 'tập thể trong lực lượng CAND',
      minimum: 'Đơn vị tiên tiến',
      ladder: 'Đơn vị tiên tiến, Đơn vị Quyết thắng',
      foreign: 'tap_the_ldtt',
      foreignLabel: 'Tập thể lao động tiên tiến',
    },
    {
      key: 'outside/collective',
      unitId: 'ubnd-ba-dinh',
      label: 'tập thể ngoài lực lượng CAND',
      minimum: 'Tập thể lao động tiên tiến',
      ladder: 'Tập thể lao động tiên tiến, Tập thể lao động xuất sắc',
      foreign: 'don_vi_tien_tien',
      foreignLabel: 'Đơn vị tiên tiến',
    },
    {
      key: 'cand/individual',
      unitId: 'ca-ba-dinh',
      label: 'cá nhân trong lực lượng CAND',
      minimum: 'Chiến sĩ tiên tiến',
      ladder: 'Chiến sĩ tiên tiến, Chiến sĩ thi đua cơ sở',
      foreign: 'lao_dong_tien_tien',
      foreignLabel: 'Lao động tiên tiến',
    },
    {
      key: 'outside/individual',
      unitId: 'ubnd-ba-dinh',
      label: 'cá nhân ngoài lực lượng CAND',
      minimum: 'Lao động tiên tiến',
      ladder: 'Lao động tiên tiến, Lao động xuất sắc',
      foreign: 'chien_si_tien_tien',
      foreignLabel: 'Chiến sĩ tiên tiến',
    },
  ] as const;

  it('the four categories of the plan are in the campaign', () => {
    expect(
      model.campaign.eligibility.categories.map((c) => [
        `${c.scope}/${c.type}`,
        c.label,
        c.minimumEveryYear,
        c.extra.title,
        c.extra.minYears,
        c.extra.commendations.of.join('+'),
      ]),
    ).toEqual([
      [
        'cand/collective',
        'tập thể trong lực lượng CAND',
        'don_vi_tien_tien',
        'don_vi_quyet_thang',
        2,
        'giay_khen+bang_khen',
      ],
      ['outside/collective', 'tập thể ngoài lực lượng CAND', 'tap_the_ldtt', 'tap_the_ldxs', 1, 'bang_khen'],
      [
        'cand/individual',
        'cá nhân trong lực lượng CAND',
        'chien_si_tien_tien',
        'chien_si_thi_dua_co_so',
        2,
        'giay_khen+bang_khen',
      ],
      [
        'outside/individual',
        'cá nhân ngoài lực lượng CAND',
        'lao_dong_tien_tien',
        'lao_dong_xuat_sac',
        1,
        'giay_khen+bang_khen',
      ],
    ]);
  });

  describe.each(CATEGORIES)('$label', (cat) => {
    const [scope, type] = cat.key.split('/') as ['cand' | 'outside', 'collective' | 'individual'];
    const name = type === 'collective' ? 'Tập thể Ngọc Hà' : 'Nguyễn Văn Thành';
    const spec = (over: Partial<NomineeSpec>): NomineeSpec => ({ award: 'bkubnd', type, scope, name, ...over });
    const titlesWith = (index: number, value: string | null) =>
      ELIGIBLE_TITLES[cat.key]!.map((t, i) => (i === index ? value : t));

    it('a year below the minimum makes the nominee ineligible for any award', async () => {
      for (const award of ['bkubnd', 'gkcatp']) {
        const evaluation = await evaluateNoms(cat.unitId, [spec({ award, titles: titlesWith(0, 'khong_dat') })]);
        const message = `Ô H18: năm 2015 "${name}" đạt "Không đạt danh hiệu", chưa đạt tiêu chuẩn "${cat.minimum}" trở lên mỗi năm 2015–2019 (mục IV.3 Kế hoạch 127).`;
        expect(brief(evaluation)).toEqual([
          { sheet: 'Khen thưởng', cell: 'H18', code: 'khen_thuong.ineligible_title', severity: 'error', message },
        ]);
        expect(evaluation.nominations[0]!.eligible).toBe(false);
        expect(evaluation.nominations[0]!.ineligibleReasons).toEqual([message]);
      }
    });

    it('a title from another ladder is the wrong choice for the category', async () => {
      const evaluation = await evaluateNoms(cat.unitId, [
        spec({ award: 'gkcatp', titles: titlesWith(2, cat.foreign) }),
      ]);
      expect(brief(evaluation)).toEqual([
        {
          sheet: 'Khen thưởng',
          cell: 'J18',
          code: 'khen_thuong.title_not_in_ladder',
          severity: 'error',
          message: `Ô J18: danh hiệu "${cat.foreignLabel}" không dùng cho ${cat.label}. Hãy chọn: ${cat.ladder}.`,
        },
      ]);
      expect(evaluation.nominations[0]!.eligible).toBe(false);
    });

    it('missing titles are pending (eligibility unknown), errors at submission', async () => {
      const draft = await evaluateNoms(cat.unitId, [spec({ titles: titlesWith(0, null) })], { submitted: false });
      expect(draft.issues).toEqual([]);
      expect(draft.status).toBe('draft');
      // A nominee's missing fields are the nominee's, not the report's.
      expect(draft.pending).toEqual([]);
      expect(draft.nominations[0]!.verdict).toBe('incomplete');
      expect(draft.nominations[0]!.issues.map((i) => [i.cell, i.code])).toEqual([
        ['H18', 'khen_thuong.title_missing'],
        ['H18', 'required.field'],
      ]);
      expect(draft.nominations[0]!.eligible).toBeNull();
      const submitted = await evaluateNoms(cat.unitId, [spec({ titles: titlesWith(0, null) })]);
      expect(submitted.status).toBe('ready');
      expect(submitted.nominations[0]!.verdict).toBe('incomplete');
      expect(brief(submitted)).toEqual([
        {
          sheet: 'Khen thưởng',
          cell: 'H18',
          code: 'khen_thuong.title_missing',
          severity: 'error',
          message: `Ô H18: chưa ghi danh hiệu thi đua năm 2015 của "${name}". Tiêu chuẩn yêu cầu mỗi năm 2015–2019 đạt từ "${cat.minimum}" trở lên.`,
        },
        {
          sheet: 'Khen thưởng',
          cell: 'H18',
          code: 'required.field',
          severity: 'error',
          message: 'Ô H18: dòng 1 còn thiếu "Danh hiệu thi đua – Năm 2015". Hãy ghi đủ hoặc xóa cả dòng.',
        },
      ]);
    });
  });

  it('with titles missing, the extra years for a Bằng khen are pending too, not yet a definite error', async () => {
    const titles = ['tap_the_ldtt', 'tap_the_ldtt', 'tap_the_ldtt', 'tap_the_ldtt', null];
    const draft = await evaluateNoms(
      'ubnd-ba-dinh',
      [{ award: 'bkubnd', type: 'collective', scope: 'outside', name: 'Tổ dân phố số 9', titles }],
      { submitted: false },
    );
    expect(draft.issues).toEqual([]);
    expect(draft.nominations[0]!.eligible).toBeNull();
    expect(draft.nominations[0]!.issues.map((i) => [i.cell, i.code, i.message])).toEqual([
      [
        'H18',
        'khen_thuong.ineligible_extra_title',
        'Ô H18: đề nghị Bằng khen UBND Thành phố cho tập thể ngoài lực lượng CAND cần ít nhất 1 năm đạt "Tập thể lao động xuất sắc" trở lên; "Tổ dân phố số 9" mới có 0 năm.',
      ],
      [
        'L18',
        'khen_thuong.title_missing',
        'Ô L18: chưa ghi danh hiệu thi đua năm 2019 của "Tổ dân phố số 9". Tiêu chuẩn yêu cầu mỗi năm 2015–2019 đạt từ "Tập thể lao động tiên tiến" trở lên.',
      ],
      ['L18', 'required.field', 'Ô L18: dòng 1 còn thiếu "Danh hiệu thi đua – Năm 2019". Hãy ghi đủ hoặc xóa cả dòng.'],
    ]);
  });

  describe('the extra criteria for Bằng khen (bkbca, bkubnd)', () => {
    const EXTRA = [
      {
        key: 'cand/collective',
        unitId: 'ca-ba-dinh',
        label: 'tập thể trong lực lượng CAND',
        title: 'Đơn vị Quyết thắng',
        need: 2,
        titles: ['don_vi_tien_tien', 'don_vi_quyet_thang', 'don_vi_tien_tien', 'don_vi_tien_tien', 'don_vi_tien_tien'],
        have: 1,
      },
      {
        key: 'outside/collective',
        unitId: 'ubnd-ba-dinh',
        label: 'tập thể ngoài lực lượng CAND',
        title: 'Tập thể lao động xuất sắc',
        need: 1,
        titles: Array(5).fill('tap_the_ldtt'),
        have: 0,
      },
      {
        key: 'cand/individual',
        unitId: 'ca-ba-dinh',
        label: 'cá nhân trong lực lượng CAND',
        title: 'Chiến sĩ thi đua cơ sở',
        need: 2,
        titles: [
          'chien_si_thi_dua_co_so',
          'chien_si_tien_tien',
          'chien_si_tien_tien',
          'chien_si_tien_tien',
          'chien_si_tien_tien',
        ],
        have: 1,
      },
      {
        key: 'outside/individual',
        unitId: 'ubnd-ba-dinh',
        label: 'cá nhân ngoài lực lượng CAND',
        title: 'Lao động xuất sắc',
        need: 1,
        titles: Array(5).fill('lao_dong_tien_tien'),
        have: 0,
      },
    ];

    it.each(EXTRA)('$label: too few years of "$title"', async (cell) => {
      const [scope, type] = cell.key.split('/') as ['cand' | 'outside', 'collective' | 'individual'];
      for (const award of ['bkbca', 'bkubnd']) {
        const evaluation = await evaluateNoms(cell.unitId, [
          { award, type, scope, name: 'Đối tượng A', titles: cell.titles },
        ]);
        expect(brief(evaluation)).toEqual([
          {
            sheet: 'Khen thưởng',
            cell: 'H18',
            code: 'khen_thuong.ineligible_extra_title',
            severity: 'error',
            message: `Ô H18: đề nghị ${awardName(award)} cho ${cell.label} cần ít nhất ${cell.need} năm đạt "${cell.title}" trở lên; "Đối tượng A" mới có ${cell.have} năm.`,
          },
        ]);
      }
      // The same history is enough for a Giấy khen.
      expect(
        (await evaluateNoms(cell.unitId, [{ award: 'gkcatp', type, scope, name: 'Đối tượng A', titles: cell.titles }]))
          .issues,
      ).toEqual([]);
    });

    it.each([
      {
        key: 'cand/collective',
        unitId: 'ca-ba-dinh',
        label: 'tập thể trong lực lượng CAND',
        what: 'Giấy khen trở lên',
        giayKhen: 0,
        bangKhen: 0,
        actual: '0',
      },
      {
        key: 'outside/collective',
        unitId: 'ubnd-ba-dinh',
        label: 'tập thể ngoài lực lượng CAND',
        what: 'Bằng khen của Bộ Công an hoặc UBND Thành phố',
        giayKhen: 5,
        bangKhen: 0,
        actual: '0',
      },
      {
        key: 'cand/individual',
        unitId: 'ca-ba-dinh',
        label: 'cá nhân trong lực lượng CAND',
        what: 'Giấy khen trở lên',
        giayKhen: null,
        bangKhen: null,
        actual: '0',
      },
      {
        key: 'outside/individual',
        unitId: 'ubnd-ba-dinh',
        label: 'cá nhân ngoài lực lượng CAND',
        what: 'Giấy khen trở lên',
        giayKhen: 0,
        bangKhen: 0,
        actual: '0',
      },
    ])('$label: too few commendations ($what)', async (cell) => {
      const [scope, type] = cell.key.split('/') as ['cand' | 'outside', 'collective' | 'individual'];
      const evaluation = await evaluateNoms(cell.unitId, [
        { award: 'bkubnd', type, scope, name: 'Đối tượng B', giayKhen: cell.giayKhen, bangKhen: cell.bangKhen },
      ]);
      expect(brief(evaluation)).toEqual([
        {
          sheet: 'Khen thưởng',
          cell: 'M18',
          code: 'khen_thuong.ineligible_commendations',
          severity: 'error',
          message: `Ô M18: đề nghị Bằng khen UBND Thành phố cho ${cell.label} cần ít nhất 1 lần được tặng ${cell.what}; "Đối tượng B" mới ghi ${cell.actual}.`,
        },
      ]);
    });

    it('a Bằng khen counts as "Giấy khen trở lên"; a Giấy khen does not count where a Bằng khen is asked', async () => {
      const bangKhenOnly = await evaluateNoms('ca-ba-dinh', [
        { award: 'bkbca', type: 'individual', scope: 'cand', name: 'Đại úy Hà Văn Sơn', giayKhen: 0, bangKhen: 1 },
      ]);
      expect(bangKhenOnly.issues).toEqual([]);
      const giayKhenOnly = await evaluateNoms('ubnd-ba-dinh', [
        { award: 'bkbca', type: 'collective', scope: 'outside', name: 'Phường Điện Biên', giayKhen: 3, bangKhen: 0 },
      ]);
      expect(giayKhenOnly.issues.map((i) => i.code)).toEqual(['khen_thuong.ineligible_commendations']);
    });
  });
});

describe('the dossier (mục IV.5)', () => {
  const one: NomineeSpec[] = [{ award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Nguyễn Thị Hoa' }];

  it('each unit document must be ticked once something is nominated', async () => {
    const evaluation = await evaluateNoms('ubnd-ba-dinh', one, {
      edit: (s) => Object.assign(s.forms.khen_thuong!, { to_trinh: false, trich_ngang: null }),
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'F11',
        code: 'khen_thuong.dossier_unit_missing',
        severity: 'error',
        message:
          'Ô F11: chưa đánh dấu "Tờ trình đề nghị khen thưởng" trong hồ sơ chung của đơn vị (mục IV.5 Kế hoạch 127).',
      },
      {
        sheet: 'Khen thưởng',
        cell: 'F13',
        code: 'khen_thuong.dossier_unit_missing',
        severity: 'error',
        message:
          'Ô F13: chưa đánh dấu "Bản trích ngang thành tích có xác nhận của thủ trưởng đơn vị" trong hồ sơ chung của đơn vị (mục IV.5 Kế hoạch 127).',
      },
    ]);
    expect(evaluation.dossier).toEqual({ to_trinh: false, bien_ban: true, trich_ngang: false });
    expect(evaluation.dossierMissing).toEqual([
      'Tờ trình đề nghị khen thưởng',
      'Bản trích ngang thành tích có xác nhận của thủ trưởng đơn vị',
    ]);
  });

  it('is not asked for when nothing is nominated', async () => {
    const evaluation = await evaluateNoms('ubnd-ba-dinh', [], {
      edit: (s) => (s.forms.khen_thuong = { to_trinh: false, bien_ban: false, trich_ngang: false }),
    });
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.dossierMissing).toEqual([]);
  });

  it('each nominee needs an achievement report confirmed by the superior', async () => {
    const draft = await evaluateNoms('ubnd-ba-dinh', [{ ...one[0]!, reportConfirmed: false }], { submitted: false });
    expect(draft.issues).toEqual([]);
    expect(draft.nominations[0]!.issues.map((i) => [i.cell, i.code])).toEqual([
      ['P18', 'khen_thuong.dossier_report_missing'],
    ]);
    expect(draft.nominations[0]!.verdict).toBe('incomplete');
    const evaluation = await evaluateNoms('ubnd-ba-dinh', [{ ...one[0]!, reportConfirmed: false }]);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'P18',
        code: 'khen_thuong.dossier_report_missing',
        severity: 'error',
        message: 'Ô P18: "Nguyễn Thị Hoa" chưa có báo cáo thành tích có xác nhận của cấp trên trực tiếp (mục IV.5).',
      },
    ]);
    expect(evaluation.dossierMissing).toEqual(['báo cáo thành tích của Nguyễn Thị Hoa']);
  });

  it.each([
    { award: 'bkbca', name: 'Bằng khen Bộ Công an', required: 3, typed: 2, actual: '2' },
    { award: 'bkubnd', name: 'Bằng khen UBND Thành phố', required: 2, typed: 1, actual: '1' },
    { award: 'gkcatp', name: 'Giấy khen Giám đốc CATP', required: 1, typed: null, actual: 'chưa ghi' },
  ])('$name needs $required original sets', async (cell) => {
    const spec: NomineeSpec = {
      award: cell.award,
      type: 'collective',
      scope: 'outside',
      name: 'Phường Trúc Bạch',
      originalSets: cell.typed,
    };
    const evaluation = await evaluateNoms('ubnd-ba-dinh', [spec]);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'Q18',
        code: 'khen_thuong.original_sets',
        severity: 'error',
        message: `Ô Q18: hồ sơ đề nghị ${cell.name} cần ${cell.required} bộ bản chính; số bộ đã ghi: ${cell.actual}.`,
      },
    ]);
    expect((await evaluateNoms('ubnd-ba-dinh', [{ ...spec, originalSets: cell.required }])).issues).toEqual([]);
    expect((await evaluateNoms('ubnd-ba-dinh', [{ ...spec, originalSets: cell.required + 1 }])).issues).toEqual([]);
  });
});

describe('the same nominee twice', () => {
  it('within a unit: a warning on the second row, naming the first', async () => {
    const evaluation = await evaluateNoms('ubnd-ba-dinh', [
      { award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Nguyễn Thị Lan' },
      { award: 'gkcatp', type: 'individual', scope: 'outside', name: 'nguyễn  thị lan' },
    ]);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'F19',
        code: 'khen_thuong.duplicate_in_unit',
        severity: 'warning',
        message:
          'Ô F19: "nguyễn thị lan" đã được đề nghị ở dòng 1 (Bằng khen UBND Thành phố). Một đối tượng thường chỉ đề nghị một hình thức; hãy kiểm tra lại.',
      },
    ]);
    expect(evaluation.status).toBe('ready');
  });

  it("across units: a warning naming the other unit and its award; the unit's own entries are ignored", async () => {
    const name = 'Trần Văn Cường';
    const evaluation = await evaluateNoms(
      'ubnd-ba-dinh',
      [{ award: 'gkcatp', type: 'individual', scope: 'outside', name }],
      {
        context: {
          otherNominations: [
            {
              unitId: 'ubnd-hoan-kiem',
              unitName: 'UBND quận Hoàn Kiếm',
              key: nameKey('Tran Van Cuong'),
              award: 'bkubnd',
            },
            { unitId: 'ubnd-ba-dinh', unitName: 'UBND quận Ba Đình', key: nameKey(name), award: 'gkcatp' },
            { unitId: 'ubnd-tay-ho', unitName: 'UBND quận Tây Hồ', key: nameKey('Trần Văn Cường Em'), award: 'gkcatp' },
          ],
        },
      },
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'F18',
        code: 'khen_thuong.duplicate_across_units',
        severity: 'warning',
        message:
          'Ô F18: "Trần Văn Cường" cũng được UBND quận Hoàn Kiếm đề nghị (Bằng khen UBND Thành phố). Hãy phối hợp để tránh đề nghị trùng.',
      },
    ]);
    expect(evaluation.status).toBe('ready');
  });
});

describe('quota functions used by the master sheet', () => {
  type N = { award: string; type: 'collective' | 'individual' | null; scope: 'cand' | 'outside' | null };
  const nominee = (award: string, type: N['type'], scope: N['scope']): N => ({ award, type, scope });

  it('shortlistOverruns: 1 inside CATP, 1 collective + 1 individual outside CAND', () => {
    expect(
      shortlistOverruns(model, [
        nominee('bkbca', 'collective', 'cand'),
        nominee('bkbca', 'collective', 'outside'),
        nominee('bkbca', 'individual', 'outside'),
      ]),
    ).toEqual([]);
    expect(
      shortlistOverruns(model, [
        nominee('bkbca', 'collective', 'cand'),
        nominee('bkbca', 'individual', 'cand'),
        nominee('bkbca', 'individual', 'outside'),
        nominee('bkbca', 'individual', 'outside'),
      ]),
    ).toEqual([
      {
        award: 'bkbca',
        scope: 'cand',
        kind: 'total',
        limit: 1,
        count: 2,
        description: '01 tập thể hoặc 01 cá nhân thuộc Công an thành phố',
        excess: [1],
      },
      {
        award: 'bkbca',
        scope: 'outside',
        kind: 'individual',
        limit: 1,
        count: 2,
        description: '01 tập thể và 01 cá nhân ngoài lực lượng CAND',
        excess: [3],
      },
    ]);
    // Other awards and nominees of unknown type are not part of the shortlist count.
    expect(
      shortlistOverruns(model, [
        nominee('bkubnd', 'collective', 'cand'),
        nominee('bkbca', null, 'cand'),
        nominee('bkbca', 'collective', 'cand'),
      ]),
    ).toEqual([]);
  });

  it('unitQuotaOverruns: every row that applies to the kind, separately', () => {
    const security = [
      nominee('bkbca', 'collective', 'cand'),
      nominee('bkbca', 'individual', 'outside'),
      nominee('gkcatp', 'collective', 'cand'),
      nominee('gkcatp', 'collective', 'cand'),
      ...Array.from({ length: 6 }, () => nominee('gkcatp', 'individual', 'outside')),
    ];
    expect(unitQuotaOverruns(model, 'catp-security-department', security)).toEqual([
      {
        award: 'bkbca',
        scope: 'any',
        kind: 'total',
        limit: 1,
        count: 2,
        description: 'tối đa 01 tập thể hoặc 01 cá nhân',
        excess: [1],
      },
      {
        award: 'gkcatp',
        scope: 'cand',
        kind: 'collective',
        limit: 1,
        count: 2,
        description: '01 tập thể và 03 cá nhân thuộc lực lượng CAND',
        excess: [3],
      },
      {
        award: 'gkcatp',
        scope: 'outside',
        kind: 'individual',
        limit: 5,
        count: 6,
        description:
          '03 tập thể và 05 cá nhân ngoài lực lượng CAND thuộc khối cơ quan, doanh nghiệp, nhà trường, bệnh viện do đơn vị phụ trách',
        excess: [9],
      },
    ]);
    // The same list from a district: only the district rows (and bkbca) apply.
    expect(unitQuotaOverruns(model, 'district', security).map((o) => [o.award, o.scope, o.kind, o.count])).toEqual([
      ['bkbca', 'any', 'total', 2],
      ['gkcatp', 'outside', 'individual', 6],
    ]);
  });
});

describe('titles outside every ladder', () => {
  it('rank below every minimum whatever the option is called (nothing about "khong_dat" is in the code)', async () => {
    const renamed = modifiedModel((raw) => {
      const opt = raw.options.danh_hieu.find((o: { value: string }) => o.value === 'khong_dat');
      opt.value = 'chua_dat';
      opt.label = 'Chưa đạt danh hiệu';
    });
    const titles = ['chua_dat', ...ELIGIBLE_TITLES['outside/individual']!.slice(1)];
    const evaluation = await evaluateNoms(
      'ubnd-ba-dinh',
      [{ award: 'gkcatp', type: 'individual', scope: 'outside', name: 'Lê Thị Hằng', titles }],
      { model: renamed },
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Khen thưởng',
        cell: 'H18',
        code: 'khen_thuong.ineligible_title',
        severity: 'error',
        message:
          'Ô H18: năm 2015 "Lê Thị Hằng" đạt "Chưa đạt danh hiệu", chưa đạt tiêu chuẩn "Lao động tiên tiến" trở lên mỗi năm 2015–2019 (mục IV.3 Kế hoạch 127).',
      },
    ]);
  });
});
