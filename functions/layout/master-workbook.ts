/**
 * The coordinators' master workbook: consolidated Bảng 1/Bảng 2 per round in the official
 * shape, figures per unit, submission status, nominations against quotas with the city
 * shortlist column, and open errors and warnings. View-only except the shortlist column.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import { consolidationGroups, type NodeTotals } from '../core/aggregate.js';
import { indicatorLabel } from '../core/figures.js';
import {
  consolidationNode,
  type MasterRound,
  type MasterView,
  type Timeliness,
  type UnitState,
} from '../core/master-view.js';
import type { ActivitiesCompiled } from '../core/lists.js';
import { nominationsTable, verdictLabel, type NomineeVerdict } from '../core/nominations.js';
import { formatCivilDate, formatViDateTime } from '../core/time.js';
import { writeFiguresHeader } from './figures-header.js';
import type { SheetModel, WorkbookModel } from './model.js';
import { PALETTE, STYLES, SheetBuilder } from './sheet-builder.js';
import { bannerStart } from './frozen.js';

export const MASTER_KEYS = {
  guide: 'huong_dan',
  activities: (roundId: string) => `hoat_dong.${roundId}`,
  status: 'tinh_trang',
  nominations: 'khen_thuong',
  issues: 'loi_canh_bao',
  consolidated: (tableId: string, roundId: string) => `tong_hop.${tableId}.${roundId}`,
  byUnit: (roundId: string) => `theo_don_vi.${roundId}`,
};
/** Hidden code row on the nominations tab: the nomination id column and the shortlist column. */
export const NOMINATION_ID_CODE = '#id';
export const SHORTLIST_CODE = 'de_xuat_bo';
export const NOMINATIONS_TAB_TITLE = 'Khen thưởng';

const STATE_LABEL: Record<UnitState, string> = {
  empty: 'Chưa nhập',
  draft: 'Đang nhập, chưa gửi',
  invalid: 'Còn lỗi',
  submitted: 'Đã gửi',
};
const TIMELINESS_LABEL: Record<Timeliness, string> = {
  'on-time': 'Đúng hạn',
  late: 'Nộp muộn',
  missing: 'Chưa nộp (quá hạn)',
  pending: 'Chưa đến hạn',
};
const TIMELINESS_FILL: Record<Timeliness, string> = {
  'on-time': PALETTE.ok,
  late: PALETTE.warning,
  missing: PALETTE.error,
  pending: '#FFFFFF',
};
const SCOPE_LABEL = { cand: 'Trong CAND', outside: 'Ngoài CAND' } as const;
const TYPE_LABEL = { collective: 'Tập thể', individual: 'Cá nhân' } as const;

const PROTECTION = 'Bảng tổng hợp do hệ thống cập nhật; chỉ xem.';

/**
 * The title and subtitle rows. With `frozenCols` they span the scrolling columns only: Google
 * refuses a merge across the freeze line (see layout/frozen.ts).
 */
function title(builder: SheetBuilder, text: string, subtitle: string, lastCol: number, frozenCols = 0) {
  const from = bannerStart(0, frozenCols);
  builder
    .set(0, from, text, { ...STYLES.title, hAlign: 'left' })
    .merge(0, from, 1, lastCol + 1)
    .row(0, { height: 30 });
  builder.set(1, from, subtitle, { italic: true, fontColor: PALETTE.muted }).merge(1, from, 2, lastCol + 1);
}

function number(value: number | null | undefined) {
  return value === null || value === undefined ? null : value;
}

function consolidatedSheet(
  model: CampaignModel,
  masterRound: MasterRound,
  tableId: string,
  updated: string,
): SheetModel {
  const table = model.figuresTable(tableId);
  const round = model.round(masterRound.roundId);
  const title_ = `${table.label} – ${round.name}`;
  const builder = new SheetBuilder(title_, MASTER_KEYS.consolidated(tableId, masterRound.roundId));
  const lastCol = table.indicators.length + 1;
  const frozenCols = 2;
  title(
    builder,
    `${table.caption}: ${table.subtitle}`,
    `${round.name} (số liệu ${formatCivilDate(round.dataWindow.from)} – ${formatCivilDate(round.dataWindow.to)}). Chỉ tính báo cáo đã được tiếp nhận. Cập nhật: ${updated}.`,
    lastCol,
    frozenCols,
  );
  builder.row(0, { height: 40 });
  const top = 3;
  builder.set(top, 0, 'STT', STYLES.header).merge(top, 0, top + 3, 1);
  builder.style({ startRow: top, endRow: top + 3, startCol: 0, endCol: 1 }, STYLES.header);
  const depth = writeFiguresHeader(builder, table.indicators, top, 2, 1, 'Đơn vị');
  let row = top + depth;
  builder.set(row, 1, 'Đơn vị tính', { ...STYLES.header, italic: true, bold: false });
  table.indicators.forEach((ind, indicatorIndex) => {
    builder.set(row, 2 + indicatorIndex, ind.unit, { ...STYLES.header, italic: true, bold: false });
    builder.column(2 + indicatorIndex, { width: ind.width ?? 105 });
  });
  row++;
  const fmt = (type: string) => (type === 'integer' ? '#,##0' : '#,##0.###');
  const writeRow = (label: string, totals: NodeTotals, style: object, stt: string | number | null) => {
    builder.set(row, 0, stt, { ...STYLES.label, hAlign: 'center', ...style });
    builder.set(row, 1, label, { ...STYLES.label, ...style });
    table.indicators.forEach((ind, j) =>
      builder.set(row, 2 + j, number(totals[tableId]?.[ind.code]), {
        ...STYLES.label,
        numberFormat: fmt(ind.type),
        ...style,
      }),
    );
    row++;
  };
  // The headline first: the city's figure is the headline groups' subtotal (the districts), never the sectors'.
  const headlineGroups = masterRound.groups.filter((g) => g.headline);
  const others = masterRound.groups.filter((g) => !g.headline);
  const city = model.unit(consolidationNode(model)).name;
  writeRow(
    `Tổng cộng (${masterRound.contributors} đơn vị đã gửi): số liệu chung ${city} = ${headlineGroups.map((g) => g.subtotalLabel).join(' + ')}`,
    { [tableId]: masterRound.totals[tableId] ?? {} },
    { bold: true, fill: PALETTE.computed },
    null,
  );
  for (const group of masterRound.groups) {
    const members = group.rows.filter((c) =>
      model.tablesFor(c.unitId, masterRound.roundId).some((t) => t.table.id === tableId),
    );
    if (members.length === 0) continue;
    const groupRow = row;
    builder.set(row, 0, null, { ...STYLES.label, fill: PALETTE.section });
    builder.set(row, 1, group.label, { ...STYLES.label, bold: true, fill: PALETTE.section });
    builder.style(
      { startRow: groupRow, endRow: groupRow + 1, startCol: 2, endCol: lastCol + 1 },
      { ...STYLES.label, fill: PALETTE.section },
    );
    row++;
    members.forEach((c, i) =>
      writeRow(
        `${model.unit(c.unitId).name}${c.contributors > 1 ? ` (${c.contributors} đơn vị đã gửi)` : ''}`,
        c.totals,
        {},
        i + 1,
      ),
    );
    const note = group.headline ? '' : ' – ghi riêng, không cộng vào tổng chung';
    writeRow(
      `${group.subtotalLabel} (${group.contributors} đơn vị đã gửi)${note}`,
      { [tableId]: group.subtotal[tableId] ?? {} },
      { bold: true, fill: group.headline ? PALETTE.computed : PALETTE.section },
      null,
    );
  }
  row++;
  const apart = others.length
    ? [
        `Số liệu chung ${city} chỉ cộng ${headlineGroups.map((g) => g.label.toLowerCase()).join(', ')}; ${others.map((g) => g.label.toLowerCase()).join(', ')} báo cáo hoạt động diễn ra trên cùng địa bàn nên ghi riêng (${others.map((g) => `"${g.subtotalLabel}"`).join(', ')}), không cộng vào để tránh tính trùng.`,
      ]
    : [];
  for (const note of [
    ...apart,
    'Chỉ tiêu tồn (số hiện có) lấy số kỳ cuối của mỗi đơn vị rồi cộng giữa các đơn vị; chỉ tiêu phát sinh cộng dồn các kỳ. Không cộng số liệu giữa các đợt (thời gian các đợt chồng lấn).',
    ...table.footnotes.slice(0, 1),
  ]) {
    const from = bannerStart(1, frozenCols);
    builder.set(row, from, note, STYLES.note).merge(row, from, row + 1, lastCol + 1);
    row++;
  }
  builder.column(0, { width: 46 }).column(1, { width: 260 });
  return builder.build({
    frozenRows: top + depth + 1,
    frozenCols,
    tabColor: PALETTE.tab.figures,
    protection: PROTECTION,
  });
}

function byUnitSheet(model: CampaignModel, masterRound: MasterRound, updated: string): SheetModel {
  const round = model.round(masterRound.roundId);
  const builder = new SheetBuilder(`Theo đơn vị – ${round.name}`, MASTER_KEYS.byUnit(masterRound.roundId));
  const tables = model.figuresTables().filter((t) => round.tables.includes(t.id));
  const cols = tables.flatMap((t) => t.indicators.map((ind) => ({ t, ind })));
  const frozenCols = 1;
  title(
    builder,
    `Số liệu theo đơn vị – ${round.name}`,
    `Tổng các kỳ của từng đơn vị (chỉ tiêu tồn: kỳ cuối). Chỉ báo cáo đã tiếp nhận. Cập nhật: ${updated}.`,
    cols.length + 1,
    frozenCols,
  );
  const headerRow = 3;
  builder.set(headerRow, 0, 'Đơn vị', STYLES.header).merge(headerRow, 0, headerRow + 2, 1);
  builder.style({ startRow: headerRow, endRow: headerRow + 2, startCol: 0, endCol: 1 }, STYLES.header);
  builder.set(headerRow, 1, 'Loại', STYLES.header).merge(headerRow, 1, headerRow + 2, 2);
  builder.style({ startRow: headerRow, endRow: headerRow + 2, startCol: 1, endCol: 2 }, STYLES.header);
  let column = 2;
  for (const table of tables) {
    builder
      .set(headerRow, column, table.label, STYLES.header)
      .merge(headerRow, column, headerRow + 1, column + table.indicators.length);
    builder.style(
      { startRow: headerRow, endRow: headerRow + 1, startCol: column, endCol: column + table.indicators.length },
      STYLES.header,
    );
    table.indicators.forEach((ind, indicatorIndex) => {
      builder.set(headerRow + 1, column + indicatorIndex, `${indicatorLabel(ind)} (${ind.unit})`, STYLES.header);
      builder.column(column + indicatorIndex, { width: 110 });
    });
    column += table.indicators.length;
  }
  builder.row(headerRow + 1, { height: 90 });
  let row = headerRow + 2;
  const units = model.campaign.units.filter((u) =>
    model.tablesFor(u.id, masterRound.roundId).some((x) => x.table.kind === 'figures'),
  );
  for (const unit of units) {
    const totals = masterRound.byUnit[unit.id];
    builder
      .set(row, 0, unit.name, STYLES.label)
      .set(row, 1, model.kindOf(unit.id).name, { ...STYLES.label, fontColor: PALETTE.muted });
    cols.forEach(({ t, ind }, j) =>
      builder.set(row, 2 + j, number(totals?.[t.id]?.[ind.code]), {
        ...STYLES.label,
        numberFormat: ind.type === 'integer' ? '#,##0' : '#,##0.###',
        ...(totals ? {} : { fill: PALETTE.computed }),
      }),
    );
    row++;
  }
  builder.column(0, { width: 260 }).column(1, { width: 140 });
  return builder.build({
    frozenRows: headerRow + 2,
    frozenCols,
    tabColor: PALETTE.tab.figures,
    protection: PROTECTION,
  });
}

/**
 * The supplementary round's activities: a matrix kind × level (number of activities and of
 * participants, with totals), then every activity with its unit.
 */
function activitiesSheet(
  model: CampaignModel,
  masterRound: MasterRound,
  activities: ActivitiesCompiled,
  updated: string,
): SheetModel {
  const round = model.round(masterRound.roundId);
  const table = model.listTable(activities.tableId);
  const fields = table.activityFields!;
  const optionsOf = (code: string) => {
    const field = table.fields.find((x) => x.code === code);
    return field?.type === 'choice' ? model.options(field.options) : [];
  };
  const kinds = optionsOf(fields.kind);
  const levels = optionsOf(fields.level);
  const builder = new SheetBuilder(`Hoạt động – ${round.name}`, MASTER_KEYS.activities(masterRound.roundId));
  const lastCol = Math.max(1 + 2 * (levels.length + 1), 7);
  title(
    builder,
    `${table.caption}: TỔNG HỢP THEO HÌNH THỨC VÀ CẤP TỔ CHỨC`,
    `${round.name} (${formatCivilDate(round.dataWindow.from)} – ${formatCivilDate(round.dataWindow.to)}). Chỉ tính báo cáo đã được tiếp nhận: ${activities.list.length} hoạt động. Cập nhật: ${updated}.`,
    lastCol,
  );
  const top = 3;
  builder.set(top, 0, 'STT', STYLES.header).merge(top, 0, top + 2, 1);
  builder.set(top, 1, 'Hình thức hoạt động', STYLES.header).merge(top, 1, top + 2, 2);
  builder.style({ startRow: top, endRow: top + 2, startCol: 0, endCol: 2 }, STYLES.header);
  [...levels.map((l) => l.label), 'Cộng'].forEach((label, index) => {
    const col = 2 + 2 * index;
    builder.set(top, col, label, STYLES.header).merge(top, col, top + 1, col + 2);
    builder.style({ startRow: top, endRow: top + 1, startCol: col, endCol: col + 2 }, STYLES.header);
    builder.set(top + 1, col, 'Số hoạt động', STYLES.header).set(top + 1, col + 1, 'Số người tham gia', STYLES.header);
    builder.column(col, { width: 90 }).column(col + 1, { width: 110 });
  });
  builder.row(top, { height: 48 });
  let row = top + 2;
  const cellOf = (kind: string, level: string) =>
    activities.byKindLevel[kind]?.[level] ?? { activities: 0, participants: 0 };
  const writeMatrixRow = (
    stt: number | null,
    label: string,
    pick: (level: string) => { activities: number; participants: number },
    style: object,
  ) => {
    builder
      .set(row, 0, stt, { ...STYLES.label, hAlign: 'center', ...style })
      .set(row, 1, label, { ...STYLES.label, wrap: true, ...style });
    let all = { activities: 0, participants: 0 };
    levels.forEach((level, levelIndex) => {
      const counts = pick(level.value);
      all = { activities: all.activities + counts.activities, participants: all.participants + counts.participants };
      builder
        .set(row, 2 + 2 * levelIndex, counts.activities, { ...STYLES.label, numberFormat: '#,##0', ...style })
        .set(row, 3 + 2 * levelIndex, counts.participants, { ...STYLES.label, numberFormat: '#,##0', ...style });
    });
    const col = 2 + 2 * levels.length;
    builder
      .set(row, col, all.activities, { ...STYLES.label, numberFormat: '#,##0', bold: true, ...style })
      .set(row, col + 1, all.participants, { ...STYLES.label, numberFormat: '#,##0', bold: true, ...style });
    row++;
  };
  kinds.forEach((k, i) => writeMatrixRow(i + 1, k.label, (level) => cellOf(k.value, level), {}));
  const sumLevel = (level: string) =>
    kinds.reduce(
      (acc, k) => ({
        activities: acc.activities + cellOf(k.value, level).activities,
        participants: acc.participants + cellOf(k.value, level).participants,
      }),
      { activities: 0, participants: 0 },
    );
  writeMatrixRow(null, 'Cộng', sumLevel, { bold: true, fill: PALETTE.computed });
  row++;

  builder.set(row, 0, 'DANH SÁCH HOẠT ĐỘNG', { bold: true, fontColor: PALETTE.title });
  row++;
  const header = ['STT', 'Đơn vị', 'Ngày', 'Tên hoạt động', 'Hình thức', 'Cấp tổ chức', 'Số người tham gia', 'Tóm tắt'];
  header.forEach((h, i) => builder.set(row, i, h, STYLES.header));
  row++;
  const label = (options: { value: string; label: string }[], v: string | null) =>
    v === null ? null : (options.find((o) => o.value === v)?.label ?? v);
  activities.list.forEach((activity, index) => {
    [
      index + 1,
      model.unit(activity.unitId).name,
      activity.date ? formatCivilDate(activity.date) : null,
      activity.name,
      label(kinds, activity.kind),
      label(levels, activity.level),
      activity.participants,
      activity.summary,
    ].forEach((v, j) =>
      builder.set(row, j, v, {
        ...STYLES.label,
        ...(j === 0 ? { hAlign: 'center' as const } : {}),
        ...(j === 6 ? { numberFormat: '#,##0' } : {}),
        ...(j === 3 || j === 7 ? { wrap: true } : {}),
      }),
    );
    row++;
  });
  builder.column(0, { width: 46 }).column(1, { width: 300 });
  if (2 * (levels.length + 1) < 6) [90, 300, 150, 150, 100, 400].forEach((w, i) => builder.column(2 + i, { width: w }));
  return builder.build({ tabColor: PALETTE.tab.text, protection: PROTECTION });
}

function statusSheet(model: CampaignModel, view: MasterView, now: number, updated: string): SheetModel {
  const builder = new SheetBuilder('Tình trạng nộp', MASTER_KEYS.status);
  const header = [
    'Đợt',
    'Đơn vị',
    'Loại',
    'Tình trạng',
    'Thời hạn',
    'Số phiên bản',
    'Gửi lần đầu',
    'Gửi gần nhất',
    'Kiểm tra gần nhất',
    'Lỗi',
    'Cảnh báo',
    'Cần xử lý',
    'Bảng tính',
  ];
  const frozenCols = 2;
  title(
    builder,
    'TÌNH TRẠNG NỘP BÁO CÁO',
    `Thời hạn tính theo "gửi trước ngày" (muộn nhất 23:59 ngày liền trước). Cập nhật: ${updated}.`,
    header.length - 1,
    frozenCols,
  );
  const counts = view.rounds.map((round) => {
    const countOf = (t: Timeliness) => round.units.filter((u) => u.expected && u.timeliness === t).length;
    return `${model.round(round.roundId).name}: ${countOf('on-time')} đúng hạn, ${countOf('late')} muộn, ${countOf('missing')} chưa nộp (quá hạn), ${countOf('pending')} chưa đến hạn`;
  });
  builder.set(2, frozenCols, counts.join(' · '), { bold: true }).merge(2, frozenCols, 3, header.length);
  header.forEach((h, i) => builder.set(3, i, h, STYLES.header));
  let row = 4;
  const timeZone = model.timeZone;
  const time = (t: number | null) => (t ? formatViDateTime(t, timeZone) : null);
  for (const round of view.rounds) {
    for (const unit of round.units) {
      const timeliness = unit.expected ? TIMELINESS_LABEL[unit.timeliness] : 'Không bắt buộc';
      const cells = [
        model.round(round.roundId).name,
        model.unit(unit.unitId).name,
        model.kindOf(unit.unitId).name,
        STATE_LABEL[unit.state] + (unit.lockedOut ? ' (sửa sau khóa sổ, không tiếp nhận)' : ''),
        timeliness,
        unit.versions,
        time(unit.firstAcceptedAt),
        time(unit.acceptedAt),
        time(unit.evaluatedAt),
        unit.errors,
        unit.warnings,
        unit.flags.map((f) => f.reason).join('\n') || null,
        unit.sheetUrl,
      ];
      cells.forEach((v, i) =>
        builder.set(row, i, v, {
          ...STYLES.label,
          ...(i === 4 && unit.expected ? { fill: TIMELINESS_FILL[unit.timeliness] } : {}),
          ...(i === 11 ? { wrap: true } : {}),
        }),
      );
      row++;
    }
  }
  [130, 280, 180, 190, 150, 80, 130, 130, 130, 50, 70, 360, 300].forEach((w, i) => builder.column(i, { width: w }));
  void now;
  return builder.build({ frozenRows: 4, frozenCols, tabColor: PALETTE.tab.confirm, protection: PROTECTION });
}

/**
 * The nominations as they stand on the live tab, read before a refresh: each data row's
 * hidden nomination id and its cell values. A refresh keeps every nominee on its row (see
 * nominationsSheet).
 */
export interface NominationRowsOnSheet {
  rows: { row: number; id: string; values: (string | number | boolean | null)[] }[];
}

/** First data row of the nominations tab, below the hidden code row. */
export const NOMINATIONS_FIRST_ROW = 5;
export const WITHDRAWN_SOURCE = 'Không còn trong báo cáo';

/**
 * Rows stay put: a nominee already on the tab keeps its row, new nominees are appended below
 * the last one, and a nominee no longer reported keeps its row with its last values, marked
 * "Không còn trong báo cáo". A coordinator's tick therefore never moves to another nominee,
 * and the shortlist column's values are the coordinators' alone (peopleOwned).
 */
function nominationsSheet(
  model: CampaignModel,
  view: MasterView,
  updated: string,
  onSheet: NominationRowsOnSheet | undefined,
): SheetModel {
  const builder = new SheetBuilder(NOMINATIONS_TAB_TITLE, MASTER_KEYS.nominations);
  const years = model.campaign.eligibility.years.map(String);
  const shortlistAward = model.campaign.cityShortlist.award;
  // A campaign without awards (no nominations table) has no shortlist award to name.
  const shortlistAwardName = model.campaign.awards.find((a) => a.id === shortlistAward)?.name;
  const shortlistHeader = shortlistAwardName ? `Đề xuất Bộ Công an (${shortlistAwardName})` : 'Đề xuất Bộ Công an';
  const header = [
    '',
    'Đợt',
    'Đơn vị đề nghị',
    'Nguồn',
    'Hình thức',
    'Tập thể / Cá nhân',
    'Trong / ngoài CAND',
    'Tên',
    'Chức vụ, đơn vị',
    ...years.map((y) => `Danh hiệu ${y}`),
    'Giấy khen',
    'Bằng khen',
    'Đủ tiêu chuẩn',
    'Lý do',
    'Định mức',
    'Hồ sơ',
    'Kết quả xét',
    'Thuộc diện xét danh hiệu thi đua',
    shortlistHeader,
  ];
  const shortlistCol = header.length - 1;
  const sourceCol = 3;
  title(
    builder,
    'ĐỀ NGHỊ KHEN THƯỞNG: ĐỊNH MỨC, TIÊU CHUẨN VÀ DANH SÁCH ĐỀ XUẤT LÊN BỘ',
    `Cột cuối: cán bộ tổng hợp tích chọn đề xuất lên Bộ (${model.campaign.cityShortlist.limits.map((l) => l.description).join('; ')}). Cập nhật: ${updated}.`,
    shortlistCol,
  );
  const over = view.shortlistOverruns;
  const shortlistLine = over.length
    ? `VƯỢT ĐỊNH MỨC ĐỀ XUẤT: ${over.map((o) => `${o.description}: đang chọn ${o.count}`).join('; ')}`
    : 'Danh sách đề xuất lên Bộ trong định mức.';
  // Localities where the UBND and the police both nominate for the once-per-locality award.
  const localityLines = view.rounds.flatMap((r) =>
    r.localityWarnings.map((w) => `${view.rounds.length > 1 ? `${model.round(r.roundId).name}: ` : ''}${w.message}`),
  );
  builder
    .set(2, 1, [shortlistLine, ...localityLines].join('\n'), {
      bold: true,
      wrap: localityLines.length > 0,
      fill: over.length ? PALETTE.error : localityLines.length ? PALETTE.warning : PALETTE.ok,
    })
    .merge(2, 1, 3, shortlistCol + 1);
  if (localityLines.length) builder.row(2, { height: 20 * (1 + localityLines.length) });
  header.forEach((h, i) => builder.set(3, i, h, STYLES.header));
  builder.row(3, { height: 48 });
  builder
    .set(4, 0, NOMINATION_ID_CODE, STYLES.hidden)
    .set(4, shortlistCol, SHORTLIST_CODE, STYLES.hidden)
    .row(4, { hidden: true });
  builder.ownedByPeople(shortlistCol, NOMINATIONS_FIRST_ROW);

  // Each nominee on the tab keeps its row (an id seen twice keeps both rows, in order); the rest are appended.
  const freeRows = new Map<string, number[]>();
  for (const sheetRow of onSheet?.rows ?? [])
    freeRows.set(sheetRow.id, [...(freeRows.get(sheetRow.id) ?? []), sheetRow.row]);
  let nextRow = Math.max(NOMINATIONS_FIRST_ROW, ...(onSheet?.rows ?? []).map((r) => r.row + 1));
  const placed: { row: number; r: MasterRound; n: MasterRound['nominations'][number] }[] = [];
  for (const round of view.rounds) {
    for (const nomination of round.nominations) {
      const kept = freeRows.get(nomination.id)?.shift();
      placed.push({ row: kept ?? nextRow++, r: round, n: nomination });
    }
  }
  const titleLabel = (v: string | null) =>
    v ? (model.campaign.options[titleOptions(model)]?.find((o) => o.value === v)?.label ?? v) : null;
  for (const { row, r: round, n: nomination } of placed) {
    const nom = nomination.nomination;
    const cells = [
      nomination.id,
      model.round(round.roundId).name,
      model.unit(nomination.unitId).name,
      nomination.source === 'submitted' ? 'Đã gửi' : 'Bản nháp',
      nom.award ? model.award(nom.award).name : null,
      nom.type ? TYPE_LABEL[nom.type] : null,
      nom.scope ? SCOPE_LABEL[nom.scope] : null,
      nom.name,
      nom.position,
      ...years.map((y) => titleLabel(nom.titles[y] ?? null)),
      nom.giayKhen,
      nom.bangKhen,
      nom.eligible === null ? 'Chưa đủ thông tin' : nom.eligible ? 'Đạt' : 'Không đạt',
      nom.ineligibleReasons.join('\n') || null,
      nomination.quotaExceeded ? 'Vượt định mức' : 'Trong định mức',
      nom.reportConfirmed &&
      nom.originalSets !== null &&
      nom.award &&
      nom.originalSets >= model.award(nom.award).originalSets
        ? 'Đủ'
        : 'Thiếu',
      verdictLabel(model, nominationsTable(model), nomination.verdict),
      nomination.exempt ? 'Không (không áp dụng tiêu chuẩn chỉ dành cho đối tượng được bình xét)' : 'Có',
    ];
    const verdictCol = shortlistCol - 2;
    cells.forEach((v, i) =>
      builder.set(row, i, v, {
        ...STYLES.label,
        ...(i === 0 ? STYLES.hidden : {}),
        ...(v === 'Không đạt' || v === 'Vượt định mức' || v === 'Thiếu' ? { fill: PALETTE.error } : {}),
        ...(i === verdictCol ? { bold: true, fill: VERDICT_FILL[nomination.verdict] } : {}),
        ...(i === verdictCol + 1 && nomination.exempt ? { fill: PALETTE.warning, wrap: true } : {}),
        ...(i === 9 + years.length + 3 ? { wrap: true } : {}),
      }),
    );
    if (nom.award === shortlistAward && nomination.source === 'submitted') {
      builder.set(
        row,
        shortlistCol,
        nomination.shortlisted,
        { ...STYLES.input, hAlign: 'center' },
        { validation: { kind: 'checkbox' } },
      );
      builder.allowEditing({ startRow: row, endRow: row + 1, startCol: shortlistCol, endCol: shortlistCol + 1 });
    } else builder.set(row, shortlistCol, null, { ...STYLES.computed });
  }
  // Nominees no longer reported: their last values stay on their row, marked; a leftover tick can still be cleared.
  for (const rows of freeRows.values()) {
    for (const row of rows) {
      const previous = onSheet!.rows.find((x) => x.row === row)!;
      for (let i = 0; i < shortlistCol; i++) {
        const value = i === sourceCol ? WITHDRAWN_SOURCE : (previous.values[i] ?? null);
        builder.set(row, i, value, {
          ...STYLES.label,
          ...(i === 0 ? STYLES.hidden : { fill: PALETTE.computed, fontColor: PALETTE.muted, italic: true }),
        });
      }
      builder.set(
        row,
        shortlistCol,
        null,
        { ...STYLES.computed, hAlign: 'center' },
        { validation: { kind: 'checkbox' } },
      );
      builder.allowEditing({ startRow: row, endRow: row + 1, startCol: shortlistCol, endCol: shortlistCol + 1 });
    }
  }
  builder.column(0, { hidden: true, width: 60 });
  [0, 130, 240, 80, 170, 90, 100, 200, 200, ...years.map(() => 120), 70, 70, 110, 320, 110, 70, 130, 150, 150].forEach(
    (w, i) => i > 0 && builder.column(i, { width: w }),
  );
  return builder.build({ frozenRows: NOMINATIONS_FIRST_ROW, tabColor: PALETTE.tab.text, protection: PROTECTION });
}

const VERDICT_FILL: Record<NomineeVerdict, string> = {
  ok: PALETTE.ok,
  incomplete: PALETTE.warning,
  ineligible: PALETTE.error,
  over_quota: PALETTE.error,
};

function titleOptions(model: CampaignModel): string {
  for (const table of model.campaign.tables) {
    if (table.kind !== 'list' || table.role !== 'nominations' || !table.nominationFields) continue;
    const code = Object.values(table.nominationFields.titles)[0];
    const field = table.fields.find((x) => x.code === code);
    if (field?.type === 'choice') return field.options;
  }
  return '';
}

function issuesSheet(model: CampaignModel, view: MasterView, updated: string): SheetModel {
  const builder = new SheetBuilder('Lỗi và cảnh báo', MASTER_KEYS.issues);
  const header = ['Đợt', 'Đơn vị', 'Trang', 'Ô', 'Mức', 'Mã quy tắc', 'Nội dung'];
  const frozenCols = 2;
  title(
    builder,
    'LỖI VÀ CẢNH BÁO CÒN MỞ TRONG BẢNG TÍNH CỦA CÁC ĐƠN VỊ',
    `Theo lần kiểm tra gần nhất của từng đơn vị. Cập nhật: ${updated}.`,
    header.length - 1,
    frozenCols,
  );
  header.forEach((h, i) => builder.set(3, i, h, STYLES.header));
  let row = 4;
  for (const round of view.rounds) {
    for (const { unitId, issue } of round.openIssues) {
      [
        model.round(round.roundId).name,
        model.unit(unitId).name,
        issue.sheet,
        issue.cell,
        issue.severity === 'error' ? 'Lỗi' : 'Cảnh báo',
        issue.code,
        issue.message,
      ].forEach((v, i) =>
        builder.set(row, i, v, {
          ...STYLES.label,
          ...(i === 4 ? { fill: issue.severity === 'error' ? PALETTE.error : PALETTE.warning } : {}),
          ...(i === 6 ? { wrap: true } : {}),
        }),
      );
      row++;
    }
  }
  [130, 260, 130, 50, 80, 260, 620].forEach((w, i) => builder.column(i, { width: w }));
  return builder.build({ frozenRows: 4, frozenCols, tabColor: PALETTE.tab.confirm, protection: PROTECTION });
}

function guideSheet(model: CampaignModel, view: MasterView, updated: string): SheetModel {
  const builder = new SheetBuilder('Hướng dẫn', MASTER_KEYS.guide);
  title(
    builder,
    `BẢNG TỔNG HỢP: ${model.campaign.title}`,
    `${model.campaign.source}. Đơn vị tổng hợp: ${model.campaign.coordinator.name}. Cập nhật: ${updated}.`,
    1,
  );
  const lines = [
    'Bảng này do hệ thống tự cập nhật từ báo cáo các đơn vị đã gửi; không sửa trực tiếp (trừ cột "Đề xuất Bộ Công an" ở trang Khen thưởng).',
    'Nếu bảng bị thay đổi ngoài hệ thống (ví dụ khôi phục một phiên bản cũ), chọn menu "Tổng hợp → Làm mới toàn bộ bảng tổng hợp": trong khoảng một phút hệ thống ghi lại mọi ô.',
    'Các trang "Bảng 1/Bảng 2 – <đợt>": số liệu tổng hợp theo mẫu chính thức, mỗi đợt một trang; chỉ tính báo cáo đã được tiếp nhận.',
    'Trang "Theo đơn vị – <đợt>": số liệu từng đơn vị.',
    `Số liệu chung (dòng "Tổng cộng") chỉ cộng nhóm ${consolidationGroups(model)
      .filter((g) => g.headline)
      .map((g) => `"${g.label}"`)
      .join(
        ', ',
      )}; nhóm khác có dòng cộng riêng, không cộng vào để tránh tính trùng. Không cộng số liệu giữa các đợt vì thời gian các đợt chồng lấn.`,
    ...(view.rounds.some((r) => r.activities)
      ? [
          'Trang "Hoạt động – <đợt>": các hoạt động đơn vị đã báo cáo, tổng hợp theo hình thức và cấp tổ chức, kèm danh sách từng hoạt động.',
        ]
      : []),
    'Trang "Tình trạng nộp": đúng hạn, muộn, chưa nộp, số phiên bản, các việc đơn vị cần xử lý.',
    'Trang "Khen thưởng": đề nghị của các đơn vị, đối chiếu định mức và tiêu chuẩn; tích chọn đề xuất lên Bộ ở cột cuối.',
    'Trang "Lỗi và cảnh báo": các lỗi, cảnh báo còn mở trong bảng tính của từng đơn vị.',
    ...model.figuresTables().flatMap((t) => t.layoutNotes.map((note) => `${t.label}: ${note}`)),
  ];
  lines.forEach((l, i) =>
    builder
      .set(3 + i, 0, `${i + 1}.`, { hAlign: 'right', vAlign: 'top' })
      .set(3 + i, 1, l, { wrap: true })
      .fitText(3 + i, l, 820),
  );
  // The documents the coordinators send on (publish-reports), each linked where Drive gave a link.
  let row = 3 + lines.length + 1;
  builder.set(row, 1, 'HỒ SƠ GỬI ĐI (bảng tổng hợp, dự thảo báo cáo, danh sách khen thưởng)', { bold: true });
  row++;
  const published = model.campaign.rounds.filter((r) => view.documents[r.id]);
  if (published.length === 0)
    builder.set(
      row++,
      1,
      'Chưa lập. Hệ thống lập sau hạn nộp của mỗi đợt, hoặc khi chọn menu "Tổng hợp → Lập văn bản các đợt ngay".',
      { italic: true },
    );
  for (const round of published) {
    const docs = view.documents[round.id]!;
    builder.set(row++, 1, `${round.name} — lập lúc ${formatViDateTime(docs.publishedAt, model.timeZone)}:`, {
      italic: true,
    });
    for (const file of docs.files) {
      // A link the system builds from Drive's own URL (no user text in it but the file name, quoted).
      if (file.url)
        builder.set(
          row,
          1,
          file.name,
          { fontColor: '#1155CC' },
          { formula: `HYPERLINK("${file.url.replace(/"/g, '""')}","${file.name.replace(/"/g, '""')}")` },
        );
      else builder.set(row, 1, file.name);
      row++;
    }
  }
  builder.column(0, { width: 40 }).column(1, { width: 820 });
  return builder.build({ tabColor: PALETTE.tab.instructions, protection: PROTECTION });
}

export function masterWorkbookTitle(model: CampaignModel): string {
  return `${model.campaign.shortTitle} – Bảng tổng hợp`;
}

/** `nominationsOnSheet`: the live nominations tab read before a refresh, so that every nominee keeps its row. */
export function buildMasterWorkbook(
  model: CampaignModel,
  view: MasterView,
  now: number,
  opts: { editors?: string[]; nominationsOnSheet?: NominationRowsOnSheet } = {},
): WorkbookModel {
  const updated = formatViDateTime(now, model.timeZone);
  const sheets: SheetModel[] = [guideSheet(model, view, updated)];
  for (const masterRound of view.rounds) {
    const round = model.round(masterRound.roundId);
    for (const table of model.figuresTables().filter((x) => round.tables.includes(x.id)))
      sheets.push(consolidatedSheet(model, masterRound, table.id, updated));
    sheets.push(byUnitSheet(model, masterRound, updated));
    if (masterRound.activities) sheets.push(activitiesSheet(model, masterRound, masterRound.activities, updated));
  }
  sheets.push(
    statusSheet(model, view, now, updated),
    nominationsSheet(model, view, updated, opts.nominationsOnSheet),
    issuesSheet(model, view, updated),
  );
  if (opts.editors?.length) for (const sheet of sheets) if (sheet.protection) sheet.protection.editors = opts.editors;
  return { title: masterWorkbookTitle(model), locale: model.campaign.locale, timeZone: model.timeZone, sheets };
}
