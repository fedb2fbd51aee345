/**
 * The documents the coordinators sign and send at the end of a round (DOMAIN.md "What the
 * coordinators must produce"), as workbooks: the consolidated Bảng 1/Bảng 2, the award lists
 * ("danh sách đề nghị khen thưởng") and the supplementary round's activities. Pure layout over
 * the master view: the numbers are the view's, only arranged for paper.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import type { NodeTotals } from '../core/aggregate.js';
import type { MasterRound, MasterView, ViewNomination } from '../core/master-view.js';
import { civilDateOf, formatCivilDate, formatViDateTime } from '../core/time.js';
import { writeFiguresHeader } from './figures-header.js';
import { bannerStart } from './frozen.js';
import type { CellStyle, SheetModel, WorkbookModel } from './model.js';
import { PALETTE, STYLES, SheetBuilder } from './sheet-builder.js';

const PROTECTION = 'Văn bản do hệ thống lập từ số liệu đã tiếp nhận; chỉnh sửa trên bản sao.';
/** Pixels: wide enough for "UBND huyện Đan Phượng" on one line; longer labels wrap and their row grows. */
const UNIT_COLUMN_WIDTH = 240;
export const NOT_REPORTED = 'Chưa báo cáo';
export const HEADLINE_LABEL = 'TOÀN THÀNH PHỐ';
const INTEGER_FORMAT = '#,##0';
const DECIMAL_FORMAT = '#,##0.###';

function roundOf(view: MasterView, roundId: string): MasterRound {
  const round = view.rounds.find((x) => x.roundId === roundId);
  if (!round) throw new Error(`Không có đợt báo cáo "${roundId}" trong số liệu tổng hợp`);
  return round;
}

function workbook(model: CampaignModel, title: string, sheets: SheetModel[]): WorkbookModel {
  // Documents, not forms: the coordinators may adjust a line before signing, so no sheet protection.
  for (const sheet of sheets) delete sheet.protection;
  return { title, locale: model.campaign.locale, timeZone: model.timeZone, sheets };
}

/**
 * The letterhead and title rows of a document: issuing office at the left, the title across.
 * Returns the next free row.
 */
function documentHead(
  builder: SheetBuilder,
  model: CampaignModel,
  lastCol: number,
  frozenCols: number,
  title: string,
  subtitle: string,
): number {
  const from = bannerStart(0, frozenCols);
  builder
    .set(0, from, model.campaign.coordinator.name.toUpperCase(), { bold: true, fontColor: PALETTE.title })
    .merge(0, from, 1, lastCol + 1);
  builder
    .set(1, from, title, STYLES.title)
    .merge(1, from, 2, lastCol + 1)
    .row(1, { height: 44 });
  builder
    .set(2, from, subtitle, { ...STYLES.subtitle, bold: false, italic: true })
    .merge(2, from, 3, lastCol + 1)
    .row(2, { height: 34 });
  return 4;
}

/**
 * Date and signature blocks under a table, as on every document sent up. With frozen columns
 * the left block stays inside them: a merge may not cross the freeze line (layout/frozen.ts).
 */
function signatureBlock(
  builder: SheetBuilder,
  row: number,
  now: number,
  model: CampaignModel,
  lastCol: number,
  frozenCols: number,
): void {
  const [year, month, day] = civilDateOf(now, model.timeZone).split('-').map(Number) as [number, number, number];
  const mid = Math.max(frozenCols, 1, Math.ceil((lastCol + 1) / 2));
  builder
    .set(row, mid, `Ngày ${day} tháng ${month} năm ${year}`, { italic: true, hAlign: 'center' })
    .merge(row, mid, row + 1, lastCol + 1);
  if (frozenCols > 0) builder.set(row + 1, frozenCols - 1, 'NGƯỜI LẬP BIỂU', { bold: true, hAlign: 'center' });
  else builder.set(row + 1, 0, 'NGƯỜI LẬP BIỂU', { bold: true, hAlign: 'center' }).merge(row + 1, 0, row + 2, mid);
  builder
    .set(row + 1, mid, 'LÃNH ĐẠO ĐƠN VỊ', { bold: true, hAlign: 'center' })
    .merge(row + 1, mid, row + 2, lastCol + 1);
}

// ---------------------------------------------------------------------------------------------
// Consolidated Bảng 1 / Bảng 2

export interface ReportGroup {
  id: string;
  /** The group's heading, e.g. "Quận, huyện, thị xã". */
  title: string;
  /** Subtotal label, e.g. "Cộng quận, huyện, thị xã". */
  label: string;
  unitIds: string[];
  /** The group whose subtotal is the city's headline figure. */
  headline: boolean;
  /** The group's subtotal as the master view consolidated it (`master --json`'s groupTotals). */
  subtotal: NodeTotals;
}

/**
 * The consolidation groups (`consolidation.groups`: districts as the headline, sectors beside
 * it; DOMAIN.md "Consolidation") as the master view consolidated them for the round: the units
 * that file figures, in registry order, and each group's subtotal.
 */
export function reportGroups(round: MasterRound): ReportGroup[] {
  return round.groups
    .map((g) => ({
      id: g.id,
      title: g.label,
      label: g.subtotalLabel,
      unitIds: g.rows.map((row) => row.unitId),
      headline: g.headline,
      subtotal: g.subtotal,
    }))
    .filter((g) => g.unitIds.length > 0);
}

function consolidatedTableSheet(
  model: CampaignModel,
  masterRound: MasterRound,
  tableId: string,
  groups: ReportGroup[],
  now: number,
): SheetModel {
  const table = model.figuresTable(tableId);
  const round = model.round(masterRound.roundId);
  const builder = new SheetBuilder(table.label, `tong_hop.${tableId}`);
  const lastCol = table.indicators.length + 1;
  const frozenCols = 2;
  const top = documentHead(
    builder,
    model,
    lastCol,
    frozenCols,
    `${table.caption}: ${table.subtitle}`,
    `${round.name} (số liệu ${formatCivilDate(round.dataWindow.from)} – ${formatCivilDate(round.dataWindow.to)}). Chỉ tính báo cáo đã được tiếp nhận đến ${formatViDateTime(now, model.timeZone)}.`,
  );
  builder.set(top, 0, 'STT', STYLES.header);
  const depth = writeFiguresHeader(builder, table.indicators, top, 2, 1, 'Đơn vị');
  builder
    .merge(top, 0, top + depth, 1)
    .style({ startRow: top, endRow: top + depth, startCol: 0, endCol: 1 }, STYLES.header);
  let row = top + depth;
  builder.set(row, 0, null, STYLES.header).set(row, 1, 'Đơn vị tính', { ...STYLES.header, italic: true, bold: false });
  table.indicators.forEach((ind, indicatorIndex) => {
    builder.set(row, 2 + indicatorIndex, ind.unit, { ...STYLES.header, italic: true, bold: false });
    builder.column(2 + indicatorIndex, { width: ind.width ?? 90 });
  });
  const frozenRows = row + 1;
  row++;
  const figures = (label: string, stt: string | number | null, totals: NodeTotals | undefined, style: CellStyle) => {
    builder.set(row, 0, stt, { ...STYLES.label, hAlign: 'center', ...style });
    builder.set(row, 1, label, { ...STYLES.label, ...style }).fitText(row, label, UNIT_COLUMN_WIDTH);
    table.indicators.forEach((ind, indicatorIndex) => {
      const value = totals?.[tableId]?.[ind.code];
      builder.set(row, 2 + indicatorIndex, value ?? null, {
        ...STYLES.label,
        hAlign: 'right',
        numberFormat: ind.type === 'integer' ? INTEGER_FORMAT : DECIMAL_FORMAT,
        ...style,
      });
    });
    row++;
  };
  const groupStyle: CellStyle = { bold: true, fill: PALETTE.computed };
  groups.forEach((group, groupIndex) => {
    const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][groupIndex] ?? String(groupIndex + 1);
    const kindName = group.title;
    builder.set(row, 0, roman, { ...STYLES.label, ...groupStyle, fill: PALETTE.section, hAlign: 'center' });
    builder
      .set(row, 1, kindName, { ...STYLES.label, ...groupStyle, fill: PALETTE.section })
      .fitText(row, kindName, UNIT_COLUMN_WIDTH);
    builder.style(
      { startRow: row, endRow: row + 1, startCol: 2, endCol: lastCol + 1 },
      { ...STYLES.label, fill: PALETTE.section },
    );
    row++;
    group.unitIds.forEach((unitId, unitIndex) => {
      const totals = masterRound.byUnit[unitId];
      if (totals) return figures(model.unit(unitId).name, unitIndex + 1, totals, {});
      // A unit without accepted figures is a row that says so, not a row of blanks or zeros.
      builder
        .set(row, 0, unitIndex + 1, { ...STYLES.label, hAlign: 'center' })
        .set(row, 1, model.unit(unitId).name, STYLES.label)
        .fitText(row, model.unit(unitId).name, UNIT_COLUMN_WIDTH);
      builder
        .set(row, 2, NOT_REPORTED, { ...STYLES.label, italic: true, fontColor: PALETTE.muted, hAlign: 'center' })
        .merge(row, 2, row + 1, lastCol + 1);
      builder.style({ startRow: row, endRow: row + 1, startCol: 3, endCol: lastCol + 1 }, STYLES.label);
      row++;
    });
    const reported = group.unitIds.filter((id) => masterRound.byUnit[id]).length;
    figures(`${group.label} (${reported}/${group.unitIds.length} đơn vị đã báo cáo)`, null, group.subtotal, groupStyle);
  });
  const headline = groups.filter((g) => g.headline);
  if (headline.length > 0) {
    figures(`${HEADLINE_LABEL} (= ${headline.map((g) => g.label).join(' + ')})`, null, masterRound.totals, {
      bold: true,
      fill: PALETTE.status,
    });
  }
  row++;
  const notes = [
    'Chỉ tiêu tồn (số hiện có) lấy số kỳ cuối của mỗi đơn vị rồi cộng giữa các đơn vị; chỉ tiêu phát sinh cộng dồn các kỳ.',
    ...(groups.length > headline.length && headline.length > 0
      ? [
          `Số liệu toàn thành phố = dòng "${headline.map((g) => g.label).join(' + ')}"; hoạt động của các nhóm khác diễn ra trên cùng địa bàn nên không cộng thêm.`,
        ]
      : []),
    ...table.footnotes.slice(0, 1),
  ];
  for (const note of notes) {
    const from = bannerStart(1, frozenCols);
    builder
      .set(row, from, note, STYLES.note)
      .merge(row, from, row + 1, lastCol + 1)
      .fitText(row, note, 900);
    row++;
  }
  signatureBlock(builder, row + 1, now, model, lastCol, frozenCols);
  builder.column(0, { width: 40 }).column(1, { width: UNIT_COLUMN_WIDTH });
  return builder.build({ frozenRows, frozenCols, protection: PROTECTION });
}

export function buildConsolidatedWorkbook(
  model: CampaignModel,
  view: MasterView,
  roundId: string,
  now: number,
): WorkbookModel {
  const masterRound = roundOf(view, roundId);
  const round = model.round(roundId);
  const groups = reportGroups(masterRound);
  const sheets = model
    .figuresTables()
    .filter((t) => round.tables.includes(t.id))
    .map((t) => consolidatedTableSheet(model, masterRound, t.id, groups, now));
  return workbook(model, `Bảng tổng hợp – ${round.name}`, sheets);
}

// ---------------------------------------------------------------------------------------------
// Award lists

export type Verdict = 'ok' | 'incomplete' | 'ineligible' | 'over_quota';
type RoundNomination = MasterRound['nominations'][number];

const VERDICT_LABEL: Record<Verdict, string> = {
  ok: 'Đủ điều kiện',
  incomplete: 'Chưa đủ hồ sơ/thông tin',
  ineligible: 'Không đủ tiêu chuẩn',
  over_quota: 'Vượt chỉ tiêu',
};
const TYPE_LABEL = { collective: 'Tập thể', individual: 'Cá nhân' } as const;
const SCOPE_LABEL = { cand: 'Trong CAND', outside: 'Ngoài CAND' } as const;

/**
 * A nominee's verdict from what the view holds today. The nominations helper adds `verdict` to
 * the view; then this returns it.
 */
/**
 * The nominee's verdict as the core judged it (the master shows the same), with the reasons a
 * held-back nominee is listed with: its own error messages, or, for a record from before verdicts
 * existed, reasons read from its fields. A nominee of a list still in draft is held back too.
 */
export function verdictOf(model: CampaignModel, nomination: RoundNomination): { verdict: Verdict; reasons: string[] } {
  const fromFields = verdictFromFields(model, nomination);
  const verdict: Verdict = nomination.nomination.verdict === undefined ? fromFields.verdict : nomination.verdict;
  const draft = nomination.source === 'draft' ? ['Đơn vị chưa gửi báo cáo (danh sách còn là bản nháp)'] : [];
  if (verdict === 'ok')
    return draft.length ? { verdict: 'incomplete', reasons: draft } : { verdict: 'ok', reasons: [] };
  const ownMessages = (nomination.nomination.issues ?? []).filter((i) => i.severity === 'error').map((i) => i.message);
  return { verdict, reasons: [...draft, ...(ownMessages.length ? ownMessages : fromFields.reasons)] };
}

function verdictFromFields(model: CampaignModel, nomination: RoundNomination): { verdict: Verdict; reasons: string[] } {
  const nom = nomination.nomination;
  if (nom.eligible === false)
    return {
      verdict: 'ineligible',
      reasons: nom.ineligibleReasons.length ? nom.ineligibleReasons : ['Không đủ tiêu chuẩn khen thưởng'],
    };
  if (nomination.quotaExceeded) return { verdict: 'over_quota', reasons: ['Vượt số lượng được đề nghị của đơn vị'] };
  const reasons: string[] = [];
  if (nomination.source === 'draft') reasons.push('Đơn vị chưa gửi báo cáo (danh sách còn là bản nháp)');
  if (nom.eligible === null) reasons.push('Chưa đủ thông tin danh hiệu thi đua để xét tiêu chuẩn');
  if (!nom.reportConfirmed) reasons.push('Báo cáo thành tích chưa được cấp trên xác nhận');
  const required = nom.award ? model.campaign.awards.find((a) => a.id === nom.award)?.originalSets : undefined;
  if (required !== undefined && (nom.originalSets ?? 0) < required)
    reasons.push(`Hồ sơ gốc: ${nom.originalSets ?? 0}/${required} bộ`);
  return reasons.length ? { verdict: 'incomplete', reasons } : { verdict: 'ok', reasons: [] };
}

function dossierText(model: CampaignModel, nom: ViewNomination): string {
  const required = nom.award ? model.campaign.awards.find((a) => a.id === nom.award)?.originalSets : undefined;
  const sets =
    required !== undefined ? `${nom.originalSets ?? 0}/${required} bộ gốc` : `${nom.originalSets ?? 0} bộ gốc`;
  return `${sets}; báo cáo thành tích ${nom.reportConfirmed ? 'đã' : 'chưa'} xác nhận`;
}

function achievementText(nom: ViewNomination): string {
  const years = Object.entries(nom.titles)
    .filter(([, t]) => t)
    .map(([year, t]) => `${year}: ${t}`);
  const counts = [
    nom.giayKhen ? `${nom.giayKhen} Giấy khen` : null,
    nom.bangKhen ? `${nom.bangKhen} Bằng khen` : null,
  ].filter(Boolean);
  return [...years, ...(counts.length ? [`Đã được tặng ${counts.join(', ')}`] : [])].join('; ') || '(chưa ghi)';
}

const AWARD_COLUMNS = [
  { header: 'STT', width: 40 },
  { header: 'Họ và tên / Tên tập thể', width: 190 },
  { header: 'Tập thể / Cá nhân', width: 80 },
  { header: 'Trong / Ngoài CAND', width: 85 },
  { header: 'Chức vụ, đơn vị công tác', width: 190 },
  { header: 'Đơn vị đề nghị', width: 150 },
  { header: 'Tóm tắt thành tích', width: 300 },
  { header: 'Kết quả xét', width: 110 },
  { header: 'Hồ sơ', width: 150 },
];

export function buildAwardListWorkbook(
  model: CampaignModel,
  view: MasterView,
  roundId: string,
  award: string,
  now: number,
): WorkbookModel {
  const round = roundOf(view, roundId);
  const awardName = model.award(award).name;
  const forMinistry = award === model.campaign.cityShortlist.award;
  const nominations = round.nominations.filter((n) => n.nomination.award === award);
  const proposed: { n: RoundNomination; verdict: Verdict }[] = [];
  const heldBack: { n: RoundNomination; reason: string }[] = [];
  for (const nomination of nominations) {
    const { verdict, reasons } = verdictOf(model, nomination);
    if (verdict !== 'ok') heldBack.push({ n: nomination, reason: `${VERDICT_LABEL[verdict]}: ${reasons.join('; ')}` });
    // The Ministry's list is the coordinators' shortlist (ticked in the master), not every valid nominee.
    else if (forMinistry && !nomination.shortlisted)
      heldBack.push({ n: nomination, reason: 'Không được chọn vào danh sách trình Bộ Công an' });
    else proposed.push({ n: nomination, verdict });
  }

  const builder = new SheetBuilder('Danh sách đề nghị', `khen_thuong.${award}`);
  const lastCol = AWARD_COLUMNS.length - 1;
  const top = documentHead(
    builder,
    model,
    lastCol,
    0,
    `DANH SÁCH ĐỀ NGHỊ TẶNG ${awardName.toUpperCase()}`,
    `${model.campaign.title}. Lập ${formatViDateTime(now, model.timeZone)} từ danh sách các đơn vị đã gửi${forMinistry ? '; gồm các trường hợp được chọn trình Bộ Công an' : ''}.`,
  );
  AWARD_COLUMNS.forEach((c, j) => builder.set(top, j, c.header, STYLES.header).column(j, { width: c.width }));
  builder.row(top, { height: 40 });
  let row = top + 1;
  const cellStyle: CellStyle = { ...STYLES.label, vAlign: 'top' };
  const nomineeCells = (stt: number, nomination: RoundNomination) => {
    const nom = nomination.nomination;
    builder.set(row, 0, stt, { ...cellStyle, hAlign: 'center' });
    builder.set(row, 1, nom.name ?? '(chưa ghi tên)', { ...cellStyle, bold: true });
    builder.set(row, 2, nom.type ? TYPE_LABEL[nom.type] : null, cellStyle);
    builder.set(row, 3, nom.scope ? SCOPE_LABEL[nom.scope] : null, cellStyle);
    builder.set(row, 4, nom.position, cellStyle);
    builder.set(row, 5, model.unit(nomination.unitId).name, cellStyle);
  };
  proposed.forEach(({ n: nomination, verdict }, index) => {
    nomineeCells(index + 1, nomination);
    const achievement = achievementText(nomination.nomination);
    builder
      .set(row, 6, achievement, cellStyle)
      .set(row, 7, VERDICT_LABEL[verdict], cellStyle)
      .set(row, 8, dossierText(model, nomination.nomination), cellStyle);
    builder.fitText(row, achievement, AWARD_COLUMNS[6]!.width);
    row++;
  });
  if (proposed.length === 0) {
    builder
      .set(row, 0, 'Không có trường hợp nào đủ điều kiện đề nghị.', { ...cellStyle, italic: true })
      .merge(row, 0, row + 1, lastCol + 1);
    row++;
  }
  builder
    .set(
      row,
      0,
      `Tổng số: ${proposed.length} (${proposed.filter((p) => p.n.nomination.type === 'collective').length} tập thể, ${proposed.filter((p) => p.n.nomination.type === 'individual').length} cá nhân)`,
      { bold: true },
    )
    .merge(row, 0, row + 1, lastCol + 1);
  row += 2;

  builder
    .set(row, 0, 'KHÔNG ĐỀ NGHỊ (LÝ DO)', { ...STYLES.subtitle, hAlign: 'left' })
    .merge(row, 0, row + 1, lastCol + 1);
  row++;
  [
    'STT',
    'Họ và tên / Tên tập thể',
    'Tập thể / Cá nhân',
    'Trong / Ngoài CAND',
    'Chức vụ, đơn vị công tác',
    'Đơn vị đề nghị',
    'Lý do không đề nghị',
  ].forEach((h, j) => builder.set(row, j, h, STYLES.header));
  builder
    .merge(row, 6, row + 1, lastCol + 1)
    .style({ startRow: row, endRow: row + 1, startCol: 6, endCol: lastCol + 1 }, STYLES.header);
  row++;
  heldBack.forEach(({ n: nomination, reason }, index) => {
    nomineeCells(index + 1, nomination);
    builder
      .set(row, 6, reason, cellStyle)
      .merge(row, 6, row + 1, lastCol + 1)
      .style({ startRow: row, endRow: row + 1, startCol: 7, endCol: lastCol + 1 }, cellStyle);
    builder.fitText(row, reason, AWARD_COLUMNS[6]!.width + AWARD_COLUMNS[7]!.width + AWARD_COLUMNS[8]!.width);
    row++;
  });
  if (heldBack.length === 0) {
    builder.set(row, 0, 'Không có.', { ...cellStyle, italic: true }).merge(row, 0, row + 1, lastCol + 1);
    row++;
  }
  signatureBlock(builder, row + 1, now, model, lastCol, 0);
  return workbook(model, `Danh sách đề nghị ${awardName}`, [
    builder.build({ frozenRows: top + 1, protection: PROTECTION }),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Activities of the supplementary round

export interface ActivityEntry {
  unitId: string;
  date: string | null;
  name: string;
  kind: string;
  level: string;
  participants: number | null;
  summary: string | null;
}
export interface ActivitiesInput {
  /** Counts per (kind, level), as compiled from the units' activities tables. */
  byKindLevel: { kind: string; level: string; count: number; participants: number }[];
  list: ActivityEntry[];
}

/** Counts per kind and level of a list of activities (kinds and levels in order of first appearance). */
export function summariseActivities(list: ActivityEntry[]): ActivitiesInput['byKindLevel'] {
  const out = new Map<string, ActivitiesInput['byKindLevel'][number]>();
  for (const activityEntry of list) {
    const key = `${activityEntry.kind}\u0000${activityEntry.level}`;
    const cell = out.get(key) ?? { kind: activityEntry.kind, level: activityEntry.level, count: 0, participants: 0 };
    cell.count++;
    cell.participants += activityEntry.participants ?? 0;
    out.set(key, cell);
  }
  return [...out.values()];
}

/**
 * The activities of a round as the master view compiled them (`rounds[r].activities`), with the
 * option values of kind and level shown by their labels; a round without an activities table has none.
 */
export function activitiesOf(model: CampaignModel, view: MasterView, roundId: string): ActivitiesInput {
  const compiled = roundOf(view, roundId).activities;
  if (!compiled) return { list: [], byKindLevel: [] };
  const table = model.campaign.tables.find((t) => t.id === compiled.tableId);
  const labelOf = (fieldCode: string | undefined, value: string | null) => {
    const field = table?.kind === 'list' ? table.fields.find((f) => f.code === fieldCode) : undefined;
    const options = field?.type === 'choice' ? model.campaign.options[field.options] : undefined;
    return value === null ? null : (options?.find((o) => o.value === value)?.label ?? value);
  };
  const fields = table?.kind === 'list' ? table.activityFields : undefined;
  const list: ActivityEntry[] = compiled.list.map((a) => ({
    unitId: a.unitId,
    date: a.date,
    name: a.name ?? '',
    kind: labelOf(fields?.kind, a.kind) ?? '',
    level: labelOf(fields?.level, a.level) ?? '',
    participants: a.participants,
    summary: a.summary,
  }));
  // Rows without a kind or a level are listed but not counted, as compileActivities counts them.
  return { list, byKindLevel: summariseActivities(list.filter((a) => a.kind !== '' && a.level !== '')) };
}

function activitiesSummarySheet(
  model: CampaignModel,
  roundId: string,
  input: ActivitiesInput,
  now: number,
): SheetModel {
  const round = model.round(roundId);
  const kinds = [...new Set(input.byKindLevel.map((c) => c.kind))];
  const levels = [...new Set(input.byKindLevel.map((c) => c.level))];
  const builder = new SheetBuilder('Theo loại và cấp', 'hoat_dong.tong_hop');
  const lastCol = levels.length + 2;
  const frozenCols = 2;
  const top = documentHead(
    builder,
    model,
    Math.max(lastCol, 4),
    frozenCols,
    'TỔNG HỢP CÁC HOẠT ĐỘNG THEO LOẠI VÀ CẤP TỔ CHỨC',
    `${round.name} (${formatCivilDate(round.dataWindow.from)} – ${formatCivilDate(round.dataWindow.to)}). Số hoạt động (số người tham gia). Lập ${formatViDateTime(now, model.timeZone)}.`,
  );
  ['STT', 'Loại hoạt động', ...levels, 'Cộng'].forEach((h, j) =>
    builder.set(top, j, h, STYLES.header).column(j, { width: j === 0 ? 40 : j === 1 ? 300 : 120 }),
  );
  builder.row(top, { height: 40 });
  let row = top + 1;
  const count = (kind: string | null, level: string | null) =>
    input.byKindLevel
      .filter((c) => (kind === null || c.kind === kind) && (level === null || c.level === level))
      .reduce((acc, c) => ({ count: acc.count + c.count, participants: acc.participants + c.participants }), {
        count: 0,
        participants: 0,
      });
  const line = (stt: number | null, label: string, kind: string | null, style: CellStyle) => {
    builder
      .set(row, 0, stt, { ...STYLES.label, hAlign: 'center', ...style })
      .set(row, 1, label, { ...STYLES.label, ...style });
    [...levels, null].forEach((level, index) => {
      const counts = count(kind, level);
      builder.set(row, 2 + index, counts.count, { ...STYLES.label, numberFormat: INTEGER_FORMAT, ...style });
    });
    row++;
  };
  kinds.forEach((kind, i) => line(i + 1, kind, kind, {}));
  line(null, 'Tổng cộng', null, { bold: true, fill: PALETTE.computed });
  const people = count(null, null).participants;
  row++;
  builder.set(row, 1, `Tổng số người tham gia: ${people.toLocaleString('vi-VN')}.`, { italic: true });
  signatureBlock(builder, row + 2, now, model, Math.max(lastCol, 4), frozenCols);
  return builder.build({ frozenRows: top + 1, frozenCols, protection: PROTECTION });
}

function activitiesListSheet(model: CampaignModel, input: ActivitiesInput): SheetModel {
  const builder = new SheetBuilder('Danh sách hoạt động', 'hoat_dong.danh_sach');
  const columns = [
    { header: 'STT', width: 40 },
    { header: 'Đơn vị', width: 170 },
    { header: 'Ngày', width: 80 },
    { header: 'Tên hoạt động', width: 240 },
    { header: 'Loại', width: 170 },
    { header: 'Cấp', width: 110 },
    { header: 'Số người tham gia', width: 90 },
    { header: 'Tóm tắt', width: 260 },
  ];
  builder
    .set(0, 0, 'DANH SÁCH HOẠT ĐỘNG CÁC ĐƠN VỊ ĐÃ BÁO CÁO', STYLES.title)
    .merge(0, 0, 1, columns.length)
    .row(0, { height: 30 });
  columns.forEach((c, j) => builder.set(1, j, c.header, STYLES.header).column(j, { width: c.width }));
  const style: CellStyle = { ...STYLES.label, vAlign: 'top' };
  input.list.forEach((activityEntry, index) => {
    const row = 2 + index;
    builder
      .set(row, 0, index + 1, { ...style, hAlign: 'center' })
      .set(row, 1, model.findUnit(activityEntry.unitId)?.name ?? activityEntry.unitId, style)
      .set(row, 2, activityEntry.date ? formatCivilDate(activityEntry.date) : null, style);
    builder
      .set(row, 3, activityEntry.name, style)
      .set(row, 4, activityEntry.kind, style)
      .set(row, 5, activityEntry.level, style)
      .set(row, 6, activityEntry.participants, { ...style, numberFormat: INTEGER_FORMAT })
      .set(row, 7, activityEntry.summary, style);
    builder.fitText(row, `${activityEntry.summary ?? ''}`, 260);
  });
  if (input.list.length === 0)
    builder
      .set(2, 0, 'Chưa có đơn vị nào báo cáo hoạt động.', { ...style, italic: true })
      .merge(2, 0, 3, columns.length);
  // No frozen column: the list fits the page width, and the title and the empty-list line span it.
  return builder.build({ frozenRows: 2, protection: PROTECTION });
}

export function buildActivitiesWorkbook(
  model: CampaignModel,
  view: MasterView,
  roundId: string,
  now: number,
): WorkbookModel {
  const input = activitiesOf(model, view, roundId);
  return workbook(model, `Hoạt động – ${model.round(roundId).name}`, [
    activitiesSummarySheet(model, roundId, input, now),
    activitiesListSheet(model, input),
  ]);
}
