/**
 * The .xlsx documents the coordinators send on (issue 12): the consolidated tables, the award
 * lists and the supplementary round's activities.
 *
 * MINIMAL STAND-IN: another engineer writes the official layouts of these three builders in
 * parallel, with exactly these signatures; at merge that file replaces this one. These versions
 * are honest but plain (one row per unit, the headline total, print settings) so that the report
 * use case, the CLI and the Google job can be built and tested against real content.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import type { MasterRound, MasterView } from '../core/master-view.js';
import { indicatorLabel } from '../core/figures.js';
import type { CellModel, SheetModel, WorkbookModel } from './model.js';

const TIMELINESS_LABEL = { 'on-time': 'Đúng hạn', late: 'Nộp muộn', missing: 'Chưa báo cáo', pending: 'Chưa đến hạn' } as const;
/** The label of the headline row: the territory's figure (see DOMAIN.md "Consolidation"). */
export const HEADLINE_LABEL = 'Toàn Thành phố (cộng quận, huyện, thị xã)';

function roundOf(view: MasterView, roundId: string): MasterRound {
  const round = view.rounds.find((r) => r.roundId === roundId);
  if (!round) throw new Error(`round ${roundId} is not in the master view`);
  return round;
}

function sheet(title: string, key: string, header: string[], rows: (string | number | null)[][], caption: string): SheetModel {
  const cells: CellModel[] = [{ row: 0, col: 0, value: caption, style: { bold: true, fontSize: 13 } }];
  header.forEach((h, col) => cells.push({ row: 1, col, value: h, style: { bold: true, border: true, wrap: true, hAlign: 'center', vAlign: 'middle', fill: '#EFEFEF' } }));
  rows.forEach((r, i) =>
    r.forEach((value, col) => cells.push({ row: 2 + i, col, value, style: { border: true, wrap: typeof value === 'string', ...(typeof value === 'number' ? { numberFormat: '#,##0.##' } : {}) } })),
  );
  return {
    title,
    key,
    rowCount: rows.length + 2,
    colCount: header.length,
    frozenRows: 2,
    frozenCols: 1,
    columns: header.map((_, index) => ({ index, width: index === 0 ? 240 : 110 })),
    rows: [],
    cells,
    merges: [],
    print: { landscape: true, fitToWidth: true },
  };
}

/** One sheet per figures table of the round: one row per unit (those that did not report shown as such), then the headline total. */
export function buildConsolidatedWorkbook(model: CampaignModel, view: MasterView, roundId: string, now: number): WorkbookModel {
  void now;
  const round = roundOf(view, roundId);
  const tables = model.tablesFor(model.campaign.units.find((u) => model.isExpected(u.id, roundId))?.id ?? '', roundId).map((t) => t.table);
  const figureTables = model.figuresTables().filter((t) => tables.some((x) => x.id === t.id) || round.totals[t.id]);
  const sheets = figureTables.map((table) => {
    const header = ['Đơn vị', ...table.indicators.map((i) => `${indicatorLabel(i)} (${i.unit})`)];
    const rows: (string | number | null)[][] = [];
    for (const u of round.units.filter((x) => x.expected && model.tablesFor(x.unitId, roundId).some(({ table: t }) => t.id === table.id))) {
      const totals = round.byUnit[u.unitId]?.[table.id];
      rows.push([model.unit(u.unitId).name, ...table.indicators.map((i) => (totals ? (totals[i.code] ?? null) : i === table.indicators[0] ? TIMELINESS_LABEL[u.timeliness] : null))]);
    }
    rows.push([HEADLINE_LABEL, ...table.indicators.map((i) => round.totals[table.id]?.[i.code] ?? null)]);
    return sheet(table.sheetTitle, table.id, header, rows, `${table.caption} – ${model.round(roundId).name}`);
  });
  return { title: `Bảng tổng hợp – ${model.round(roundId).name}`, locale: model.campaign.locale, timeZone: model.timeZone, sheets };
}

/** The nominees for one award, each with the nominating unit, its state and why it is held back. */
export function buildAwardListWorkbook(model: CampaignModel, view: MasterView, roundId: string, award: string, now: number): WorkbookModel {
  void now;
  const round = roundOf(view, roundId);
  const rows = round.nominations
    .filter((n) => n.nomination.award === award)
    .map((n, i) => {
      const held = [...(n.source === 'draft' ? ['chưa gửi'] : []), ...(n.quotaExceeded ? ['vượt định mức'] : []), ...n.nomination.ineligibleReasons];
      return [
        i + 1,
        n.nomination.name,
        n.nomination.type ? model.optionLabel('loai_doi_tuong', n.nomination.type) : null,
        n.nomination.position,
        model.unit(n.unitId).name,
        held.length ? 'Chưa đề nghị' : 'Đề nghị',
        held.join('; ') || null,
      ];
    });
  const header = ['STT', 'Tên tập thể / Họ và tên', 'Tập thể / Cá nhân', 'Chức vụ, đơn vị', 'Đơn vị đề nghị', 'Kết quả xét', 'Lý do chưa đề nghị'];
  return { title: `Danh sách đề nghị ${model.award(award).name}`, locale: model.campaign.locale, timeZone: model.timeZone, sheets: [sheet('Danh sách', award, header, rows, `DANH SÁCH ĐỀ NGHỊ ${model.award(award).name.toUpperCase()}`)] };
}

/** The supplementary round: which units reported (the activities table itself comes with the other helper's layout). */
export function buildActivitiesWorkbook(model: CampaignModel, view: MasterView, roundId: string, now: number): WorkbookModel {
  void now;
  const round = roundOf(view, roundId);
  const rows = round.units.filter((u) => u.expected).map((u, i) => [i + 1, model.unit(u.unitId).name, TIMELINESS_LABEL[u.timeliness]]);
  return { title: `Hoạt động – ${model.round(roundId).name}`, locale: model.campaign.locale, timeZone: model.timeZone, sheets: [sheet('Hoạt động', 'hoat_dong', ['STT', 'Đơn vị', 'Tình trạng báo cáo'], rows, 'TỔNG HỢP HOẠT ĐỘNG')] };
}
