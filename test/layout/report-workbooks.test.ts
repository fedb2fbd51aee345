/**
 * The documents the coordinators sign and send (the .xlsx parts): the figures
 * printed are the view's per-unit figures summed per group, the held-back nominees appear with
 * their reason, and every sheet is print-ready. The files are read back with exceljs and
 * readXlsxGrid, as the recipients' programs would read them.
 */
import { describe, expect, it } from 'vitest';
import type { SheetGrid } from '../../functions/core/grid.js';
import type { MasterRound } from '../../functions/core/master-view.js';
import {
  buildActivitiesWorkbook,
  buildAwardListWorkbook,
  buildConsolidatedWorkbook,
  HEADLINE_LABEL,
  NOT_REPORTED,
  reportGroups,
  verdictOf,
} from '../../functions/layout/report-workbooks.js';
import type { CompiledActivity } from '../../functions/core/lists.js';
import { readXlsxGrid, renderXlsx } from '../../functions/layout/xlsx.js';
import { model } from '../helpers/campaign.js';
import { loadXlsx, workbookPrintProblems } from './print-checks.js';
import { INELIGIBLE_REASON, NOMINEES, NOW, nominee, sampleView } from './report-fixtures.js';

const sample = sampleView(model);
const round = (): MasterRound => sample.view.rounds.find((r) => r.roundId === sample.roundId)!;

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The row whose column `col` starts with `label`, as plain values. */
function rowStarting(sheet: SheetGrid, label: string, col = 1): (string | number | boolean | null)[] {
  const row = sheet.rows.find((r) => text(r[col]?.v).startsWith(label));
  if (!row) throw new Error(`no row "${label}" on ${sheet.title}`);
  return row.map((c) => c?.v ?? null);
}

/** Sum written out in the test: per indicator, over the given units' figures in the view. */
function expectedSum(unitIds: string[], tableId: string, code: string): number {
  return unitIds.reduce((acc, id) => acc + (round().byUnit[id]?.[tableId]?.[code] ?? 0), 0);
}

describe('consolidated Bảng 1 / Bảng 2', () => {
  it('groups districts then sectors, each with its subtotal equal to the sum of its units', async () => {
    const grid = await readXlsxGrid(
      await renderXlsx(buildConsolidatedWorkbook(model, sample.view, sample.roundId, NOW)),
    );
    expect(grid.sheets.map((s) => s.title)).toEqual(sample.tableIds.map((id) => model.figuresTable(id).label));
    const [districts, sectors] = reportGroups(round());
    expect(districts).toMatchObject({ id: 'districts', headline: true, label: 'Cộng quận, huyện, thị xã' });
    expect(sectors).toMatchObject({ id: 'sectors', headline: false, label: 'Cộng sở, ban, ngành, đoàn thể' });
    for (const tableId of sample.tableIds) {
      const sheet = grid.sheets.find((s) => s.title === model.figuresTable(tableId).label)!;
      const indicators = model.figuresTable(tableId).indicators;
      const districtTotal = rowStarting(sheet, districts!.label);
      const sectorTotal = rowStarting(sheet, sectors!.label);
      const headline = rowStarting(sheet, HEADLINE_LABEL);
      indicators.forEach((ind, indicatorIndex) => {
        const fromDistricts = expectedSum(sample.reported.districts, tableId, ind.code);
        expect(districtTotal[2 + indicatorIndex], `${tableId}.${ind.code}`).toBeCloseTo(fromDistricts, 6);
        expect(sectorTotal[2 + indicatorIndex], `${tableId}.${ind.code}`).toBeCloseTo(
          expectedSum(sample.reported.sectors, tableId, ind.code),
          6,
        );
        // The city's figure is the territory's: the sectors' subtotal is never added into it.
        expect(headline[2 + indicatorIndex], `${tableId}.${ind.code}`).toBeCloseTo(fromDistricts, 6);
      });
      // Each reporting unit has its own row with its own figures.
      for (const unitId of [...sample.reported.districts, ...sample.reported.sectors]) {
        const row = rowStarting(sheet, model.unit(unitId).name);
        indicators.forEach((ind, j) => expect(row[2 + j]).toBeCloseTo(round().byUnit[unitId]![tableId]![ind.code]!, 6));
      }
      // A unit that did not report is listed as such, not left out and not shown as zeros.
      expect(rowStarting(sheet, model.unit(sample.silentDistrict).name)[2]).toBe(NOT_REPORTED);
      expect(sheet.rows.filter((r) => text(r[1]?.v) !== '' && r[2]?.v === NOT_REPORTED)).toHaveLength(
        districts!.unitIds.length +
          sectors!.unitIds.length -
          sample.reported.districts.length -
          sample.reported.sectors.length,
      );
      expect(text(rowStarting(sheet, districts!.label)[1])).toContain(
        `${sample.reported.districts.length}/${districts!.unitIds.length}`,
      );
    }
  });

  it("groups exactly the units of the campaign file's groups that file figures in the round, districts first", () => {
    const groups = reportGroups(round());
    const declared = model.campaign.consolidation!.groups;
    expect(groups.map((g) => g.id)).toEqual(declared.map((g) => g.id));
    for (const group of groups) {
      const kinds = declared.find((d) => d.id === group.id)!.kinds;
      const expected = model.campaign.units
        .filter(
          (u) =>
            kinds.includes(u.kind) && model.tablesFor(u.id, sample.roundId).some((t) => t.table.kind === 'figures'),
        )
        .map((u) => u.id);
      expect(group.unitIds).toEqual(expected);
    }
    expect(groups.filter((g) => g.headline).map((g) => g.id)).toEqual(['districts']);
  });
});

describe('award lists', () => {
  it("follow the core's verdict: an exempt nominee with blank titles is proposed; a judged one is held back with its own messages", () => {
    const judged = (over: Parameters<typeof nominee>[3], verdict: MasterRound['nominations'][number]['verdict']) => ({
      id: 'x',
      unitId: 'ubnd-ba-dinh',
      source: 'submitted' as const,
      nomination: nominee(1, 'gkcatp', 'Tập thể nhân dân tổ dân phố số 5', { ...over, verdict }),
      verdict,
      exempt: over?.exempt ?? false,
      quotaExceeded: verdict === 'over_quota',
      shortlisted: false,
    });
    // Not assessed for emulation titles: no titles, no eligibility to read from the fields, and the core says ok.
    expect(verdictOf(model, judged({ exempt: true, titles: {}, eligible: null }, 'ok'))).toEqual({
      verdict: 'ok',
      reasons: [],
    });
    const message = 'Ô H7: dòng 1 còn thiếu "Tóm tắt thành tích". Hãy ghi đủ hoặc xóa cả dòng.';
    expect(
      verdictOf(
        model,
        judged({ issues: [{ cell: 'H7', code: 'required.field', severity: 'error', message }] }, 'incomplete'),
      ),
    ).toEqual({ verdict: 'incomplete', reasons: [message] });
  });

  async function list(award: string) {
    const grid = await readXlsxGrid(
      await renderXlsx(buildAwardListWorkbook(model, sample.view, sample.roundId, award, NOW)),
    );
    const rows = grid.sheets[0]!.rows.map((r) => r.map((c) => text(c?.v)));
    const split = rows.findIndex((r) => r[0] === 'KHÔNG ĐỀ NGHỊ (LÝ DO)');
    expect(split).toBeGreaterThan(0);
    return { proposed: rows.slice(0, split), heldBack: rows.slice(split) };
  }

  it('bkubnd: the eligible nominee is proposed with the nominating unit; the ineligible one is held back with the reason', async () => {
    const { proposed, heldBack } = await list('bkubnd');
    const ok = proposed.find((r) => r[1] === NOMINEES.ok);
    expect(ok).toBeDefined();
    expect(ok).toContain(model.unit(sample.reported.districts[0]!).name);
    expect(proposed.flat()).not.toContain(NOMINEES.ineligible);
    const held = heldBack.find((r) => r[1] === NOMINEES.ineligible);
    expect(held?.join(' | ')).toContain(INELIGIBLE_REASON);
    expect(proposed.some((r) => r.some((c) => c.startsWith('DANH SÁCH ĐỀ NGHỊ TẶNG BẰNG KHEN UBND')))).toBe(true);
  });

  it('gkcatp: an incomplete dossier holds the nominee back and says what is missing', async () => {
    const { proposed, heldBack } = await list('gkcatp');
    expect(proposed.flat()).not.toContain(NOMINEES.incomplete);
    const held = heldBack.find((r) => r[1] === NOMINEES.incomplete)!.join(' | ');
    expect(held).toContain('chưa được cấp trên xác nhận');
    expect(held).toContain('0/1 bộ');
  });

  it("bkbca: only the coordinators' shortlist goes to the Ministry; the others are held back as not chosen", async () => {
    const { proposed, heldBack } = await list('bkbca');
    expect(proposed.some((r) => r[1] === NOMINEES.shortlisted)).toBe(true);
    expect(proposed.flat()).not.toContain(NOMINEES.notShortlisted);
    expect(heldBack.find((r) => r[1] === NOMINEES.notShortlisted)?.join(' | ')).toContain(
      'Không được chọn vào danh sách trình Bộ Công an',
    );
  });
});

describe('activities of the supplementary round', () => {
  it('counts activities by kind and level, with a total, and lists them', async () => {
    const roundId = sample.roundId;
    const [firstDistrict, secondDistrict] = sample.reported.districts as [string, string];
    // As the master view compiles them: option values, shown in the document by their labels.
    const list: CompiledActivity[] = [
      {
        unitId: firstDistrict,
        date: '2020-08-19',
        name: 'Ngày hội phường',
        kind: 'ngay_hoi_19_8',
        level: 'xa_phuong',
        participants: 300,
        summary: null,
      },
      {
        unitId: firstDistrict,
        date: '2020-08-18',
        name: 'Ngày hội tổ 5',
        kind: 'ngay_hoi_19_8',
        level: 'thon_to',
        participants: 80,
        summary: 'Có văn nghệ',
      },
      {
        unitId: secondDistrict,
        date: '2020-08-10',
        name: 'Thăm gia đình chính sách',
        kind: 'tham_hoi_tang_qua',
        level: 'xa_phuong',
        participants: 20,
        summary: null,
      },
    ];
    const activities = { tableId: 'hoat_dong', byKindLevel: {}, list };
    const view = {
      ...sample.view,
      rounds: sample.view.rounds.map((r) => (r.roundId === roundId ? { ...r, activities } : r)),
    };
    const grid = await readXlsxGrid(await renderXlsx(buildActivitiesWorkbook(model, view, roundId, NOW)));
    const summary = grid.sheets[0]!;
    const header = rowStarting(summary, 'Loại hoạt động');
    expect(header.slice(2)).toEqual(['Xã/phường/thị trấn', 'Thôn/tổ dân phố', 'Cộng']);
    expect(rowStarting(summary, 'Ngày hội toàn dân bảo vệ ANTQ 19/8').slice(2)).toEqual([1, 1, 2]);
    expect(rowStarting(summary, 'Thăm hỏi, tặng quà').slice(2)).toEqual([1, 0, 1]);
    expect(rowStarting(summary, 'Tổng cộng').slice(2)).toEqual([2, 1, 3]);
    const names = grid.sheets[1]!.rows.map((r) => text(r[3]?.v));
    expect(names).toEqual(expect.arrayContaining(list.map((a) => a.name)));
  });
});

describe('every document is print-ready', () => {
  const documents: [string, () => ReturnType<typeof buildConsolidatedWorkbook>][] = [
    ['bang-tong-hop', () => buildConsolidatedWorkbook(model, sample.view, sample.roundId, NOW)],
    ...['bkbca', 'bkubnd', 'gkcatp'].map((award): [string, () => ReturnType<typeof buildConsolidatedWorkbook>] => [
      `khen-thuong-${award}`,
      () => buildAwardListWorkbook(model, sample.view, sample.roundId, award, NOW),
    ]),
    ['hoat-dong', () => buildActivitiesWorkbook(model, sample.view, sample.roundId, NOW)],
  ];
  it.each(documents)('%s: A4 landscape, one page wide, header rows repeated, no TRUE/FALSE', async (_name, build) => {
    const workbook = await loadXlsx(await renderXlsx(build()));
    expect(workbook.worksheets.length).toBeGreaterThan(0);
    expect(workbookPrintProblems(workbook, { headerRequired: true })).toEqual([]);
  });

  it('the consolidated tables repeat the unit column on every page too', async () => {
    const workbook = await loadXlsx(
      await renderXlsx(buildConsolidatedWorkbook(model, sample.view, sample.roundId, NOW)),
    );
    for (const worksheet of workbook.worksheets)
      expect(worksheet.pageSetup.printTitlesColumn, worksheet.name).toBe('A:B');
  });
});
