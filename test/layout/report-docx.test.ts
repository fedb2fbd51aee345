/**
 * The draft city report (.docx), read back with a maintained reader (mammoth), never
 * by searching the zip: from real filled workbooks, evaluated as the pipeline evaluates them,
 * to the master view and the document.
 */
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { totalsFromSubmission } from '../../functions/core/aggregate.js';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import { buildMasterView, type MasterView, type ViewSubmission } from '../../functions/core/master-view.js';
import type { ChecklistTable } from '../../sheets-schema/campaign-schema.js';
import {
  CITY_TOTAL_LABEL,
  formatFigure,
  renderCityReportDocx,
  type UnitNarrative,
} from '../../functions/layout/report-docx.js';
import { narrativesOf } from '../../functions/app/report-documents.js';
import { model } from '../helpers/campaign.js';
import { filledGrid } from '../helpers/fill-workbook.js';

const SO_KET = 'so-ket-2020';
const ON_TIME = 'ubnd-ba-dinh';
const LATE = 'ubnd-hoan-kiem';
const SECTOR = 'thanh-doan';
const DUE = model.dueAt(SO_KET);
const NOW = DUE + 10 * 86_400_000;
const HOUR = 3_600_000;
/** One example of its own per unit, so the compiled list can be told apart from the template's three. */
const OWN_EXAMPLE = (unitId: string) => `Tổ an ninh xung kích của ${unitId}`;

let view: MasterView;
const byUnitOf = (unitId: string) => view.rounds[0]!.byUnit[unitId]!;
let narratives: UnitNarrative[];
let text: string;
let html: string;

beforeAll(async () => {
  const submitted = [
    { unitId: ON_TIME, at: DUE - 48 * HOUR },
    { unitId: LATE, at: DUE + 5 * HOUR },
    { unitId: SECTOR, at: DUE - 2 * HOUR },
  ];
  const evaluations = await Promise.all(
    submitted.map(async ({ unitId }) => {
      const grid = await filledGrid(model, unitId, SO_KET, (submission) => {
        const examples = Object.keys(submission.lists).find(
          (t) => model.table(t).kind === 'list' && (model.table(t) as { role?: string }).role === 'examples',
        )!;
        submission.lists[examples]!.push({
          ten: OWN_EXAMPLE(unitId),
          loai: 'Tập thể',
          thanh_tich: `Thành tích riêng của ${unitId}.`,
        });
        const checklist = Object.keys(submission.outline)[0]!;
        submission.outline[checklist]!['I.1'] = { content: `Đặc điểm riêng của ${unitId}.` };
      });
      const evaluation = evaluateWorkbook(model, unitId, SO_KET, grid);
      expect(evaluation.status).toBe('ready');
      return evaluation;
    }),
  );
  const submissions: ViewSubmission[] = evaluations.map((ev, i) => ({
    unitId: ev.unitId,
    contentHash: ev.contentHash,
    versionCount: 1,
    acceptedAt: submitted[i]!.at,
    firstAcceptedAt: submitted[i]!.at,
    late: submitted[i]!.at >= DUE,
    totals: ev.totals,
    nominations: [],
    confirmation: ev.confirmation,
  }));
  // Each unit's aggregate node holds its own accepted figures (no communes here).
  const nodes = Object.fromEntries(
    evaluations.map((ev) => [ev.unitId, { totals: totalsFromSubmission(ev.totals), contributors: 1 }]),
  );
  view = buildMasterView(model, {
    now: NOW,
    shortlist: new Set(),
    rounds: [{ roundId: SO_KET, submissions, states: [], nodes, sheetUrls: {}, flags: [] }],
  });
  // As stored by the pipeline: the complete example rows' values and the outline entries.
  narratives = narrativesOf(
    model,
    evaluations.map((ev) => ({
      unitId: ev.unitId,
      outline: ev.outline,
      examples: Object.fromEntries(
        Object.entries(ev.examples).map(([t, rows]) => [t, rows.filter((r) => r.complete).map((r) => r.values)]),
      ),
    })),
  );
  const buffer = await renderCityReportDocx(model, view, SO_KET, NOW, narratives);
  text = (await mammoth.extractRawText({ buffer })).value;
  html = (await mammoth.convertToHtml({ buffer })).value;
}, 60_000);

const outline = () => model.table('bao_cao') as ChecklistTable;
const lines = () =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

describe('draft city report (.docx)', () => {
  it('carries the header block and the title from the campaign outline', () => {
    expect(lines().slice(0, 12)).toEqual(
      expect.arrayContaining([
        'CÔNG AN THÀNH PHỐ HÀ NỘI',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'BÁO CÁO',
        outline().subtitle!,
      ]),
    );
  });

  it('contains every outline section and item, code and title, in order', () => {
    const expected = outline().sections.flatMap((s) => [
      `${s.code}. ${s.title}`,
      ...s.items.map((i) => `${i.code}. ${i.text}`),
    ]);
    const positions = expected.map((heading) => lines().indexOf(heading));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("gathers each unit's summary under its item, attributed to the unit", () => {
    const textLines = lines();
    const under = (code: string) => {
      const start = textLines.findIndex((x) => x.startsWith(`${code}. `));
      const end = textLines.findIndex((x, i) => i > start && /^[IVX]+(\.\d(\.[a-z])?)?\. /.test(x));
      return textLines.slice(start + 1, end);
    };
    for (const unitId of [ON_TIME, LATE, SECTOR])
      expect(under('I.1')).toContain(`${model.unit(unitId).name}: Đặc điểm riêng của ${unitId}.`);
    // An item answered by a page reference only points to the attached report.
    const byReference = narratives[0]!.outline;
    const refItem = Object.entries(byReference).find(([, e]) => !e.content && e.reference)![0];
    expect(under(refItem)).toContain(
      `${model.unit(ON_TIME).name}: xem báo cáo đính kèm (${byReference[refItem]!.reference}).`,
    );
  });

  it('names every reporting unit and compiles the typical examples with the proposing unit', () => {
    for (const unitId of [ON_TIME, LATE, SECTOR]) expect(text).toContain(model.unit(unitId).name);
    for (const unitId of [ON_TIME, LATE, SECTOR]) {
      expect(html).toMatch(
        new RegExp(
          `<td><p>${OWN_EXAMPLE(unitId)}</p></td><td><p>Tập thể</p></td><td><p>Thành tích riêng của ${unitId}.</p></td><td><p>${model.unit(unitId).name}</p></td>`,
        ),
      );
    }
    const compiled = narratives.reduce((n, u) => n + u.examples.length, 0);
    expect(compiled).toBe(3 * 4);
    expect(text).toContain(`Tổng hợp ${compiled} điển hình tiên tiến do các đơn vị đề xuất:`);
  });

  it("quotes the view's consolidated totals at III.1 (Bảng 1) and III.2 (Bảng 2), in Vietnamese number format", () => {
    const totals = view.rounds[0]!.totals;
    for (const tableId of ['bang1', 'bang2']) {
      const table = model.figuresTable(tableId);
      for (const ind of table.indicators) {
        const value = totals[tableId]![ind.code]!;
        expect(typeof value).toBe('number');
        const label = ind.header.slice(-2).join(' – ');
        // The sectors' subtotal beside the headline, never added into it.
        const sectors = view.rounds[0]!.groups.find((g) => g.id === 'sectors')!.subtotal[tableId]![ind.code]!;
        expect(sectors).toBe(byUnitOf(SECTOR)[tableId]![ind.code]);
        expect(html).toContain(
          `<td><p>${escapeHtml(label)}</p></td><td><p>${escapeHtml(ind.unit)}</p></td><td><p>${formatFigure(value)}</p></td><td><p>${formatFigure(sectors)}</p></td>`,
        );
      }
    }
    expect(text).toContain(CITY_TOTAL_LABEL);
    expect(text).toContain('Cộng sở, ban, ngành, đoàn thể (ghi riêng)');
    // A large figure is written the Vietnamese way: dots between thousands.
    expect(formatFigure(1234567.5)).toBe('1.234.567,5');
    // Bảng 1's table comes after III's heading and before III.1.a; Bảng 2's before III.2.a.
    const at = (s: string) => text.indexOf(s);
    const firstB1 = model.figuresTable('bang1').indicators[0]!.header.slice(-2).join(' – ');
    const firstB2 = model.figuresTable('bang2').indicators[0]!.header.slice(-2).join(' – ');
    expect(at('III. ') < at(firstB1) && at(firstB1) < at('III.1.a. ')).toBe(true);
    expect(at('III.1.g. ') < at(firstB2) && at(firstB2) < at('III.2.a. ')).toBe(true);
  });

  it('lists who reported on time, late and not at all', () => {
    const round = view.rounds[0]!;
    const expected = round.units.filter((u) => u.expected);
    const missing = expected.filter((u) => u.timeliness === 'missing');
    expect(missing.length).toBeGreaterThan(10);
    const textLines = lines();
    const listAfter = (heading: string) => textLines[textLines.findIndex((x) => x.startsWith(heading)) + 1]!;
    expect(textLines).toContain('Các đơn vị báo cáo đúng hạn (2):');
    expect(listAfter('Các đơn vị báo cáo đúng hạn')).toContain(model.unit(ON_TIME).name);
    expect(listAfter('Các đơn vị báo cáo đúng hạn')).toContain(model.unit(SECTOR).name);
    expect(listAfter('Các đơn vị báo cáo muộn')).toMatch(new RegExp(`^${model.unit(LATE).name} \\(gửi lúc `));
    expect(textLines).toContain(`Các đơn vị chưa báo cáo (${missing.length}):`);
    expect(listAfter('Các đơn vị chưa báo cáo')).toBe(missing.map((u) => model.unit(u.unitId).name).join('; ') + '.');
  });

  it('says so under an item no unit reported on, and still renders a round without an outline', async () => {
    const silent = await renderCityReportDocx(model, view, SO_KET, NOW, []);
    const silentText = (await mammoth.extractRawText({ buffer: silent })).value;
    expect(silentText).toContain('(Chưa có đơn vị nào báo cáo nội dung này.)');
    expect(silentText).toContain('(Chưa có điển hình nào được báo cáo.)');
    const supplementary = model.campaign.rounds[1]!.id;
    const emptyView = buildMasterView(model, {
      now: NOW,
      shortlist: new Set(),
      rounds: [{ roundId: supplementary, submissions: [], states: [], nodes: {}, sheetUrls: {}, flags: [] }],
    });
    const boSungText = (
      await mammoth.extractRawText({ buffer: await renderCityReportDocx(model, emptyView, supplementary, NOW) })
    ).value;
    expect(boSungText).toContain('II. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ');
  });
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
