/**
 * A complete, valid submission for a unit and round, with realistic figures, so that tests
 * start from "ready" and introduce one defect at a time. A submission is plain data (what
 * a clerk would type where); `applyToGrid` and `fillXlsx` (xlsx-fill.ts) type it into a
 * blank template, locating every cell by its hidden codes.
 */
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import type { ListTable } from '../../sheets-schema/campaign-schema.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
import type { FigureValues } from '../../functions/core/figures.js';
import {
  confirmationCell,
  figureCell,
  formCell,
  listCell,
  outlineCell,
  put,
  type CellRef,
  type Typed,
} from './grid-edit.js';
import { templateGrid } from './template.js';

export type { Typed } from './grid-edit.js';

export interface Submission {
  /** tableId → period → indicator code → what is typed */
  figures: Record<string, Record<string, Record<string, Typed>>>;
  /** checklist tableId → item → content / page reference */
  outline: Record<string, Record<string, { content?: Typed; reference?: Typed }>>;
  /** list tableId → rows (field code → typed) */
  lists: Record<string, Record<string, Typed>[]>;
  /** list tableId → form block field → typed (the dossier checkboxes) */
  forms: Record<string, Record<string, Typed>>;
  confirmation: Record<string, Typed>;
}

/** A stable pseudo-random number in [0, 1) from a string. */
function unitNoise(id: string): number {
  let height = 2166136261;
  for (const character of id) height = Math.imul(height ^ character.codePointAt(0)!, 16777619) >>> 0;
  return (height % 10_000) / 10_000;
}

/** How big a unit is relative to a typical one: 0.6 … 1.6, stable per unit id. */
export function unitScale(unitId: string): number {
  return Math.round((0.6 + unitNoise(unitId)) * 100) / 100;
}

/** A typical district's yearly figures (flows per year; stocks at the start of 2015). */
const BASE: Record<string, number> = {
  'tuyen_truyen.dai_chung': 120,
  'tuyen_truyen.pano_khau_hieu': 80,
  'tuyen_truyen.tai_lieu_dau_loai': 15,
  'tuyen_truyen.tai_lieu_ban': 3000,
  'tuyen_truyen.tap_trung_buoi': 60,
  'tuyen_truyen.tap_trung_nguoi': 6500,
  'mo_hinh.xay_dung_moi': 8,
  'mo_hinh.hien_co': 40,
  'tdkt.giay_khen': 45,
  'tdkt.bang_khen_tp': 3,
  'luc_luong.bao_ve_cqdn': 900,
  'luc_luong.bvdp': 700,
  'luc_luong.cong_an_xa': 150,
  'luc_luong.doi_xdpt': 12,
  'ngan_sach.xdpt_chung': 850.5,
  'ngan_sach.cong_an_xa': 420.25,
  'ngan_sach.bvdp': 610.75,
  'ngan_sach.khen_thuong': 95.5,
  'ngay_hoi.co_quan.luot': 40,
  'ngay_hoi.co_quan.nguoi': 6000,
  'ngay_hoi.thon_to.luot': 150,
  'ngay_hoi.thon_to.nguoi': 30000,
  'ngay_hoi.xa_phuong.luot': 14,
  'ngay_hoi.xa_phuong.nguoi': 7000,
  'ngay_hoi.quan_huyen.luot': 1,
  'ngay_hoi.quan_huyen.nguoi': 800,
  'ngay_hoi.thanh_pho.luot': 0,
  'ngay_hoi.thanh_pho.nguoi': 0,
  'dia_ban.phuc_tap': 3,
  'dia_ban.khieu_kien': 5,
  'tin_bao.tong_so': 400,
  'tin_bao.co_gia_tri': 120,
  'tin_bao.lam_ro_vu': 35,
  'tin_bao.bat_giu': 50,
  'giao_duc.tong_so': 60,
  'giao_duc.khong_tai_pham': 55,
  'tai_hoa_nhap.duoc_giup_do': 40,
};

/** Events that happen once a year whatever the unit's size. */
const ONCE_A_YEAR = new Set(['ngay_hoi.quan_huyen.luot']);

/**
 * Realistic figures for one unit: scaled by the unit's size, growing a little every year,
 * a period's length worth (half a year for 6-month periods, 5.5 years for 01/2015–06/2020); stocks grow slowly and are never summed. They
 * meet every rule of the campaign (people ≥ events, valuable tips ≤ all tips…).
 */
export function figuresFor(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  tableId: string,
  scale = unitScale(unitId),
): Record<string, Record<string, number>> {
  const table = model.figuresTable(tableId);
  const out: Record<string, Record<string, number>> = {};
  model.round(roundId).periods.forEach((periodId) => {
    const period = model.period(periodId);
    const year = Number(period.from.slice(0, 4));
    const months = (Date.parse(period.to) - Date.parse(period.from)) / (30.44 * 86_400_000);
    // A period's flows are its length's worth: a quarter of a year at least, five and a half years for 2015 – 6/2020.
    const share = Math.max(0.25, Math.round(months) / 12);
    const growth = 1 + 0.06 * (year - 2015);
    out[periodId] = {};
    for (const ind of table.indicators) {
      const base = BASE[ind.code] ?? 10;
      let value: number;
      if (ind.aggregate === 'stock') value = base * scale * (1 + 0.03 * (year - 2015) + (share < 1 ? 0.02 : 0));
      else if (ONCE_A_YEAR.has(ind.code)) value = base;
      else value = base * scale * growth * share;
      out[periodId]![ind.code] = ind.type === 'integer' ? Math.round(value) : Math.round(value * 10) / 10;
    }
  });
  return out;
}

/** Figures of several units as `computePeerStats` takes them. */
export function peerFigures(model: CampaignModel, unitIds: string[], roundId: string): Record<string, FigureValues>[] {
  return unitIds.map((unitId) => {
    const byTable: Record<string, FigureValues> = {};
    for (const { table } of model.tablesFor(unitId, roundId))
      if (table.kind === 'figures') byTable[table.id] = figuresFor(model, unitId, roundId, table.id);
    return byTable;
  });
}

export interface NomineeSpec {
  award: 'bkbca' | 'bkubnd' | 'gkcatp' | (string & {});
  type: 'collective' | 'individual';
  scope: 'cand' | 'outside';
  name: string;
  position?: string;
  /** title option values for 2015…2019; default: eligible for the award */
  titles?: (string | null)[];
  giayKhen?: number | null;
  bangKhen?: number | null;
  summary?: string;
  reportConfirmed?: boolean;
  originalSets?: number | null;
}

/** Title histories that meet the criteria, per category (every year the base title, plus the extra years). */
export const ELIGIBLE_TITLES: Record<string, string[]> = {
  'cand/collective': [
    'don_vi_tien_tien',
    'don_vi_quyet_thang',
    'don_vi_tien_tien',
    'don_vi_quyet_thang',
    'don_vi_tien_tien',
  ],
  'outside/collective': ['tap_the_ldtt', 'tap_the_ldtt', 'tap_the_ldtt', 'tap_the_ldtt', 'tap_the_ldxs'],
  'cand/individual': [
    'chien_si_tien_tien',
    'chien_si_thi_dua_co_so',
    'chien_si_tien_tien',
    'chien_si_tien_tien',
    'chien_si_thi_dua_co_so',
  ],
  'outside/individual': [
    'lao_dong_tien_tien',
    'lao_dong_tien_tien',
    'lao_dong_xuat_sac',
    'lao_dong_tien_tien',
    'lao_dong_tien_tien',
  ],
};

/** One row of the nominations list as a clerk fills it: drop-down labels, numbers, a ticked box. */
export function nomineeRow(model: CampaignModel, spec: NomineeSpec): Record<string, Typed> {
  const table = model.campaign.tables.find((t) => t.kind === 'list' && t.role === 'nominations');
  if (!table || table.kind !== 'list' || !table.nominationFields) throw new Error('no nominations table');
  const fields = table.nominationFields;
  const optionsOf = (code: string) => {
    const field = table.fields.find((x) => x.code === code);
    return field?.type === 'choice' ? field.options : '';
  };
  const label = (code: string, value: string | null) =>
    value === null ? null : model.optionLabel(optionsOf(code), value);
  const titles = spec.titles ?? ELIGIBLE_TITLES[`${spec.scope}/${spec.type}`]!;
  const row: Record<string, Typed> = {
    [fields.award]: label(fields.award, spec.award),
    [fields.type]: label(fields.type, spec.type),
    [fields.scope]: label(fields.scope, spec.scope),
    [fields.name]: spec.name,
    [fields.position]: spec.position ?? (spec.type === 'collective' ? 'Tập thể' : 'Cán bộ'),
    [fields.giayKhen]: spec.giayKhen === undefined ? 2 : spec.giayKhen,
    [fields.bangKhen]: spec.bangKhen === undefined ? 1 : spec.bangKhen,
    [fields.summary]:
      spec.summary ??
      `Có thành tích xuất sắc trong tổ chức Ngày hội toàn dân bảo vệ ANTQ giai đoạn 2015 – 2020 (${spec.name}).`,
    [fields.reportConfirmed]: spec.reportConfirmed ?? true,
    [fields.originalSets]: spec.originalSets === undefined ? model.award(spec.award).originalSets : spec.originalSets,
  };
  Object.entries(fields.titles)
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([, code], i) => (row[code] = label(code, titles[i] ?? null)));
  return row;
}

/** A short display name: "UBND quận Ba Đình" → "Ba Đình". */
function placeOf(model: CampaignModel, unitId: string): string {
  return model
    .unit(unitId)
    .name.replace(/^(UBND|Công an)\s+(quận|huyện|thị xã)\s+/, '')
    .replace(/, Công an thành phố$/, '');
}

/** Nominations within quota and eligible, as each kind of unit would propose them. */
export function defaultNominees(model: CampaignModel, unitId: string): NomineeSpec[] {
  const kind = model.kindOf(unitId);
  const place = placeOf(model, unitId);
  const cand = kind.nominates.includes('cand');
  const outside = kind.nominates.includes('outside');
  const out: NomineeSpec[] = [];
  if (cand) {
    out.push(
      {
        award: 'bkbca',
        type: 'individual',
        scope: 'cand',
        name: `Thượng tá Trần Văn Minh (${place})`,
        position: `Phó Trưởng ${place}`,
        giayKhen: 3,
      },
      {
        award: 'bkubnd',
        type: 'collective',
        scope: 'cand',
        name: `Đội Xây dựng phong trào (${place})`,
        position: place,
      },
      {
        award: 'gkcatp',
        type: 'individual',
        scope: 'cand',
        name: `Đại úy Lê Văn Nam (${place})`,
        position: `Cán bộ ${place}`,
        titles: Array(5).fill('chien_si_tien_tien'),
        giayKhen: 0,
        bangKhen: 0,
      },
    );
  }
  if (outside) {
    out.push(
      {
        award: 'bkubnd',
        type: 'collective',
        scope: 'outside',
        name: `Tổ dân phố số 7 (${place})`,
        position: `Tổ dân phố số 7, ${place}`,
        giayKhen: 0,
        bangKhen: 1,
      },
      {
        award: 'bkubnd',
        type: 'individual',
        scope: 'outside',
        name: `Nguyễn Thị Lan (${place})`,
        position: 'Tổ trưởng tổ bảo vệ an ninh trật tự',
        giayKhen: 1,
        bangKhen: 0,
      },
      {
        award: 'gkcatp',
        type: 'collective',
        scope: 'outside',
        name: `Trường THCS Nguyễn Trãi (${place})`,
        position: 'Trường trung học cơ sở',
        titles: Array(5).fill('tap_the_ldtt'),
        giayKhen: 0,
        bangKhen: 0,
      },
    );
  }
  return out;
}

const EXAMPLES = [
  {
    ten: 'Tổ dân phố số 7',
    loai: 'Tập thể',
    thanh_tich: 'Duy trì mô hình "Camera an ninh" từ năm 2016; không để xảy ra trộm cắp tài sản trong 3 năm liền.',
  },
  {
    ten: 'Ông Nguyễn Văn Hùng, tổ trưởng tổ dân phố số 3',
    loai: 'Cá nhân',
    thanh_tich: 'Vận động nhân dân cung cấp 25 tin có giá trị, giúp bắt giữ 4 đối tượng.',
  },
  {
    ten: 'Trường THCS Nguyễn Trãi',
    loai: 'Tập thể',
    thanh_tich: 'Tổ chức Ngày hội toàn dân bảo vệ ANTQ trong nhà trường hằng năm với 1.200 học sinh tham gia.',
  },
];

/** One complete activity dated on the first day of the round's window, with the first kind and level offered. */
export function activityRow(model: CampaignModel, table: ListTable, roundId: string): Record<string, Typed> {
  const fields = table.activityFields!;
  const firstLabel = (code: string) => {
    const field = table.fields.find((x) => x.code === code);
    return field?.type === 'choice' ? model.options(field.options)[0]!.label : '';
  };
  const [year, month, day] = model.round(roundId).dataWindow.from.split('-');
  return {
    [fields.date]: `${day}/${month}/${year}`,
    [fields.name]: 'Ngày hội toàn dân bảo vệ ANTQ tại tổ dân phố số 7',
    [fields.kind]: firstLabel(fields.kind),
    [fields.level]: firstLabel(fields.level),
    [fields.participants]: 150,
    [fields.summary]: 'Biểu dương 5 tập thể, cá nhân điển hình; ký cam kết giữ gìn an ninh trật tự.',
  };
}

/** A complete, valid, ticked submission of one unit for one round. */
export function validSubmission(model: CampaignModel, unitId: string, roundId: string): Submission {
  const submission: Submission = { figures: {}, outline: {}, lists: {}, forms: {}, confirmation: {} };
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind === 'figures') submission.figures[table.id] = figuresFor(model, unitId, roundId, table.id);
    else if (table.kind === 'checklist') {
      submission.outline[table.id] = {};
      table.sections.forEach((section, i) =>
        section.items.forEach((item, itemIndex) => {
          submission.outline[table.id]![item.code] =
            itemIndex % 3 === 2
              ? { reference: `tr. ${i + 3}` }
              : { content: `Mục ${item.code}: đã thực hiện, kết quả nêu tại báo cáo đính kèm.` };
        }),
      );
    } else if (table.role === 'nominations') {
      submission.lists[table.id] = defaultNominees(model, unitId).map((n) => nomineeRow(model, n));
      submission.forms[table.id] = Object.fromEntries((table.formBlock?.fields ?? []).map((f) => [f.code, true]));
    } else if (table.role === 'activities') {
      submission.lists[table.id] = [activityRow(model, table, roundId)];
    } else {
      submission.lists[table.id] = EXAMPLES.slice(0, Math.max(table.minEntries, 3)).map((e) => ({ ...e }));
    }
  }
  for (const field of model.campaign.confirmation.fields) {
    submission.confirmation[field.code] = {
      'submit-checkbox': true,
      text: field.code === 'thu_truong' ? 'Trần Văn Bình' : 'Nguyễn Văn An',
      phone: '0912 345 678',
      url: 'https://drive.google.com/file/d/1AbCdEf/view',
    }[field.type];
  }
  return submission;
}

/** Every cell a submission types, located by hidden codes in `grid` (a blank template). */
export function submissionWrites(grid: WorkbookGrid, submission: Submission): { ref: CellRef; value: Typed }[] {
  const out: { ref: CellRef; value: Typed }[] = [];
  for (const [tableId, byPeriod] of Object.entries(submission.figures))
    for (const [periodId, byCode] of Object.entries(byPeriod))
      for (const [code, value] of Object.entries(byCode))
        out.push({ ref: figureCell(grid, tableId, periodId, code), value });
  for (const [tableId, items] of Object.entries(submission.outline))
    for (const [item, { content, reference }] of Object.entries(items)) {
      if (content !== undefined) out.push({ ref: outlineCell(grid, tableId, item, 'noi_dung'), value: content });
      if (reference !== undefined) out.push({ ref: outlineCell(grid, tableId, item, 'tham_chieu'), value: reference });
    }
  for (const [tableId, rows] of Object.entries(submission.lists))
    rows.forEach((row, i) =>
      Object.entries(row).forEach(([field, value]) => out.push({ ref: listCell(grid, tableId, i, field), value })),
    );
  for (const [tableId, fields] of Object.entries(submission.forms))
    for (const [field, value] of Object.entries(fields)) out.push({ ref: formCell(grid, tableId, field), value });
  for (const [field, value] of Object.entries(submission.confirmation))
    out.push({ ref: confirmationCell(grid, field), value });
  return out;
}

export function applyToGrid(grid: WorkbookGrid, submission: Submission): WorkbookGrid {
  for (const { ref, value } of submissionWrites(grid, submission)) put(ref, value);
  return grid;
}

/** The unit's template filled with a valid submission, after `edit` changed what is typed. */
export async function filledGrid(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  edit?: (s: Submission) => void,
): Promise<WorkbookGrid> {
  const submission = validSubmission(model, unitId, roundId);
  edit?.(submission);
  return applyToGrid(await templateGrid(model, unitId, roundId), submission);
}
