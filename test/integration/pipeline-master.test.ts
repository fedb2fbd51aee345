/**
 * The whole path on the emulators: clerks type complete workbooks into their live
 * sheets (both rounds, several units and kinds), the pipeline writes feedback and stores
 * accepted versions, the Firestore trigger (through the Eventarc bridge) aggregates up the
 * hierarchy, and the `refresh-master` job rebuilds the coordinators' master sheet. Totals are
 * checked by value: a flow indicator sums every period, a stock indicator takes each unit's
 * last period, and both add up across units. Then versions, lateness and the lock.
 *
 * Only the sheets the story needs are created (provisioning the whole campaign is proven in
 * provision-quotas.test.ts), with no Drive watch: each change is processed once, by the test,
 * at the business time the test sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresFor, validSubmission, type Submission } from '../helpers/fill-workbook.js';
import {
  provisionMaster,
  registerUnitSheets,
  requestsSince,
  rowWhere,
  seenCell,
  tabValues,
  writeCells,
} from '../helpers/integration.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';
const FLOW = 'tuyen_truyen.dai_chung';
const STOCK = 'mo_hinh.hien_co';
const DECIMAL_FLOW = 'ngan_sach.xdpt_chung';

let stack: TestStack;
/** What each unit has submitted so far, per round: the figures typed, for the expected totals. */
const typed: Record<string, Record<string, Submission>> = { [SO_KET]: {}, [BO_SUNG]: {} };

beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(stack, SO_KET, ['ubnd-ba-dinh', 'ca-ba-dinh', 'catp-anctnb', 'mttq-tp', 'ubnd-hoan-kiem']);
  await registerUnitSheets(stack, BO_SUNG, ['ubnd-ba-dinh', 'ubnd-tay-ho', 'thanh-doan', 'ubnd-long-bien']);
  await provisionMaster(stack);
}, 90_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

const model = () => stack.runtime.model;
const name = (unitId: string) => model().unit(unitId).name;

/** Types a unit's submission at `at`, processes the change, waits for the triggered aggregation. */
async function submit(unitId: string, roundId: string, at: string, edit?: (sub: Submission) => void) {
  stack.clock.set(at);
  const sub = typed[roundId]![unitId] ?? validSubmission(model(), unitId, roundId);
  edit?.(sub);
  await stack.typeSubmission(unitId, roundId, sub);
  const outcome = await stack.process(unitId, roundId);
  if (outcome.outcome !== 'processed') throw new Error(`${unitId}: ${outcome.outcome}`);
  if (outcome.accepted) typed[roundId]![unitId] = sub;
  await stack.triggersIdle();
  return outcome;
}

/** Flow: every period of every unit; stock: each unit's last period, summed across units (of one kind when `kind` is given). */
function expected(roundId: string, code: string, aggregate: 'flow' | 'stock', kind?: string): number {
  const periods = model().round(roundId).periods;
  let total = 0;
  for (const [unitId, sub] of Object.entries(typed[roundId]!)) {
    if (kind && model().unit(unitId).kind !== kind) continue;
    const byPeriod = sub.figures.bang1;
    if (!byPeriod) continue;
    if (aggregate === 'stock') total += Number(byPeriod[periods.at(-1)!]![code]);
    else for (const period of periods) total += Number(byPeriod[period]![code]);
  }
  return Math.round(total * 1000) / 1000;
}

async function refreshMaster() {
  const refresh = (await stack.fire('refresh-master')) as { refreshed: boolean; requests: number };
  const meta = await stack.runtime.store.meta('master');
  return { ...refresh, sheet: stack.sheets.getSpreadsheetState(meta.spreadsheetId!)! };
}

const indicatorCol = (code: string) =>
  2 +
  model()
    .figuresTable('bang1')
    .indicators.findIndex((i) => i.code === code);
const totalRow = (sheet: ReturnType<typeof tabValues>) => rowWhere(sheet, 1, /^Tổng cộng \(/);
/** The headline row's label: the city's figure is the districts' subtotal, sectors apart. */
const headline = (n: number) =>
  `Tổng cộng (${n} đơn vị đã gửi): số liệu chung ${name('ha-noi')} = Cộng quận, huyện, thị xã`;
const sectorsRow = (sheet: ReturnType<typeof tabValues>) => rowWhere(sheet, 1, /^Cộng sở, ban, ngành, đoàn thể \(/);
const statusRow = (sheet: ReturnType<typeof tabValues>, roundId: string, unitId: string) =>
  sheet.find((r) => r[0] === model().round(roundId).name && r[1] === name(unitId)) ??
  (() => {
    throw new Error(`no status row for ${unitId}`);
  })();

describe('so-ket-2020: several units, through the trigger, into the master sheet', () => {
  it('accepted submissions are aggregated up the hierarchy, by value', async () => {
    for (const unitId of ['ubnd-ba-dinh', 'ca-ba-dinh', 'catp-anctnb']) {
      const outcome = await submit(unitId, SO_KET, '2020-07-10T09:00:00+07:00');
      expect([unitId, outcome.accepted, outcome.statusText]).toEqual([unitId, true, 'Đã gửi lúc 09:00 10/07/2020.']);
    }
    const { store } = stack.runtime;
    const city = (await store.aggregate(SO_KET, 'ha-noi'))!;
    expect(city.contributors).toBe(3);
    expect(city.totals.bang1?.[FLOW]).toBe(expected(SO_KET, FLOW, 'flow'));
    expect(city.totals.bang1?.[STOCK]).toBe(expected(SO_KET, STOCK, 'stock'));
    // The stock is the value at the end of the round's window (the plan's one period; sums over several
    // periods are tested on the by-year variant and the second campaign).
    const own = figuresFor(model(), 'ubnd-ba-dinh', SO_KET, 'bang1');
    expect(city.totals.bang1?.[STOCK]).toBe(own[MAIN_PERIOD]![STOCK]);
    // The police units report nominations only: they count as submitted under the city police, with no figures.
    expect(await store.aggregate(SO_KET, 'catp')).toMatchObject({ contributors: 2, totals: {} });
    expect((await store.aggregate(SO_KET, 'bca'))?.totals).toEqual(city.totals);
  });

  it('the refresh-master job writes the consolidated Bảng 1, the status and the nominations tabs', async () => {
    const { refreshed, sheet } = await refreshMaster();
    expect(refreshed).toBe(true);
    const bang1 = tabValues(sheet, 'Bảng 1 – Báo cáo sơ kết');
    // The police units sent nominations only: they have no row in the figure tables and are not counted here.
    expect(totalRow(bang1)[1]).toBe(headline(1));
    expect(totalRow(bang1)[indicatorCol(FLOW)]).toBe(expected(SO_KET, FLOW, 'flow'));
    expect(totalRow(bang1)[indicatorCol(STOCK)]).toBe(expected(SO_KET, STOCK, 'stock'));
    expect(bang1.some((r) => r[1] === name('catp') || r[1] === name('ca-ba-dinh'))).toBe(false);
    expect(rowWhere(bang1, 1, name('ubnd-ba-dinh'))[indicatorCol(FLOW)]).toBe(expected(SO_KET, FLOW, 'flow'));

    const status = tabValues(sheet, 'Tình trạng nộp');
    expect(statusRow(status, SO_KET, 'ubnd-ba-dinh').slice(3, 8)).toEqual([
      'Đã gửi',
      'Đúng hạn',
      1,
      '09:00 10/07/2020',
      '09:00 10/07/2020',
    ]);
    expect(statusRow(status, SO_KET, 'ubnd-hoan-kiem').slice(3, 6)).toEqual(['Chưa nhập', 'Chưa đến hạn', 0]);

    const noms = tabValues(sheet, 'Khen thưởng');
    const baDinh = noms.filter((r) => r[2] === name('ubnd-ba-dinh'));
    expect(baDinh.map((r) => [r[3], r[4], r[5], r[6]])).toEqual([
      ['Đã gửi', 'Bằng khen UBND Thành phố', 'Tập thể', 'Ngoài CAND'],
      ['Đã gửi', 'Bằng khen UBND Thành phố', 'Cá nhân', 'Ngoài CAND'],
      ['Đã gửi', 'Giấy khen Giám đốc CATP', 'Tập thể', 'Ngoài CAND'],
    ]);
    const police = noms.find((r) => r[2] === name('ca-ba-dinh') && r[4] === 'Bằng khen Bộ Công an')!;
    expect(police.slice(5, 8)).toEqual(['Cá nhân', 'Trong CAND', 'Thượng tá Trần Văn Minh (Ba Đình)']);
    // Titles 2015–2019, Giấy khen, Bằng khen, eligibility, reasons, quota, dossier, and the shortlist box: unticked, empty (the refresh never writes the coordinators' column).
    // Then the nominee's verdict and whether it is assessed for emulation titles.
    expect(police.slice(9)).toEqual([
      'Chiến sĩ tiên tiến',
      'Chiến sĩ thi đua cơ sở',
      'Chiến sĩ tiên tiến',
      'Chiến sĩ tiên tiến',
      'Chiến sĩ thi đua cơ sở',
      3,
      1,
      'Đạt',
      null,
      'Trong định mức',
      'Đủ',
      'Hợp lệ',
      'Có',
      null,
    ]);
  });

  it("a coordinator's tick in the shortlist column comes back through the change feed and stays after the next refresh", async () => {
    const { spreadsheetId } = await stack.runtime.store.meta('master');
    const noms = tabValues(stack.sheets.getSpreadsheetState(spreadsheetId!)!, 'Khen thưởng');
    const codeRow = noms.findIndex((r) => r[0] === '#id');
    const markCol = noms[codeRow]!.indexOf('de_xuat_bo');
    const row = noms.findIndex((r) => r[2] === name('ca-ba-dinh') && r[4] === 'Bằng khen Bộ Công an');
    const id = noms[row]![0] as string;
    const coordinator = model().campaign.coordinator.emails[0]!;
    await writeCells(sheetsAs(stack.urls.sheets, coordinator), spreadsheetId!, 'Khen thưởng', [
      { row, col: markCol, value: true },
    ]);

    const polled = (await stack.fire('poll-changes')) as { status: string };
    expect(polled.status).toBe('polled');
    const { refreshed, sheet } = await refreshMaster();
    expect(refreshed).toBe(true);
    expect((await stack.runtime.store.meta('master')).shortlist).toEqual([id]);
    const after = tabValues(sheet, 'Khen thưởng');
    expect(after.find((r) => r[0] === id)![markCol]).toBe(true);
    expect(after[2]![1]).toBe('Danh sách đề xuất lên Bộ trong định mức.');
    // Our own refresh is a change in the feed too; it does not ask for another refresh.
    await stack.fire('poll-changes');
    expect((await refreshMaster()).refreshed).toBe(false);
  });

  it('a change processed at the same business time as the last refresh still reaches the master', async () => {
    const outcome = await submit('mttq-tp', SO_KET, '2020-07-10T09:00:00+07:00');
    expect(outcome.accepted).toBe(true);
    const { refreshed, sheet } = await refreshMaster();
    expect(refreshed).toBe(true);
    const bang1 = tabValues(sheet, 'Bảng 1 – Báo cáo sơ kết');
    // A sector's figures go to its own subtotal, never into the headline.
    expect(totalRow(bang1)[1]).toBe(headline(1));
    expect(totalRow(bang1)[indicatorCol(FLOW)]).toBe(expected(SO_KET, FLOW, 'flow', 'district'));
    expect(sectorsRow(bang1)[indicatorCol(FLOW)]).toBe(expected(SO_KET, FLOW, 'flow', 'sector'));
    expect(expected(SO_KET, FLOW, 'flow', 'sector')).toBeGreaterThan(0);
    expect(rowWhere(bang1, 1, name('mttq-tp'))[indicatorCol(STOCK)]).toBe(
      figuresFor(model(), 'mttq-tp', SO_KET, 'bang1')[MAIN_PERIOD]![STOCK],
    );
    // Nothing changed since: the next run of the job does nothing.
    const since = requestsSince(stack);
    expect((await refreshMaster()).refreshed).toBe(false);
    expect(since((e) => e.api === 'sheets')).toEqual([]);
    // The operator's full rebuild ({"job":"refresh-master","full":true}) runs anyway and rewrites every cell.
    const full = (await stack.fire('refresh-master', { full: true })) as {
      refreshed: boolean;
      mode: string;
      cellsWritten: number;
    };
    expect(full).toMatchObject({ refreshed: true, mode: 'full' });
    expect(full.cellsWritten).toBeGreaterThan(1000);
    expect(
      tabValues(
        stack.sheets.getSpreadsheetState((await stack.runtime.store.meta('master')).spreadsheetId!)!,
        'Bảng 1 – Báo cáo sơ kết',
      ),
    ).toEqual(bang1);
  });

  it('a first submission after the due time is late; its status cell and the master say so', async () => {
    // Hoàn Kiếm also proposes a person Ba Đình proposed: a warning, found through the nominee index.
    const nameField = model().listTable('khen_thuong').nominationFields!.name;
    const outcome = await submit(
      'ubnd-hoan-kiem',
      SO_KET,
      '2020-07-16T10:30:00+07:00',
      (sub) => (sub.lists.khen_thuong![1]![nameField] = 'Nguyễn Thị Lan (Ba Đình)'),
    );
    expect(outcome.accepted).toBe(true);
    expect(outcome.submission).toMatchObject({ late: true, versionCount: 1 });
    if (outcome.outcome !== 'processed') throw new Error(outcome.outcome);
    expect(outcome.evaluation.issues.map((i) => [i.code, i.severity, i.message])).toEqual([
      [
        'khen_thuong.duplicate_across_units',
        'warning',
        'Ô F19: "Nguyễn Thị Lan (Ba Đình)" cũng được UBND quận Ba Đình đề nghị (Bằng khen UBND Thành phố). Hãy phối hợp để tránh đề nghị trùng.',
      ],
    ]);
    const sheet = stack.sheets.getSpreadsheetState(await stack.sheetOf('ubnd-hoan-kiem', SO_KET))!;
    // The warning is the nominee's: the status line says it apart from the report's state.
    expect(seenCell(sheet, 'Hướng dẫn', 1, 2).value).toBe(
      'Đã gửi lúc 10:30 16/07/2020 (nộp muộn). Đề nghị khen thưởng: 1 đối tượng cần xem lại (cột "Kết quả xét (hệ thống ghi)" ở trang Khen thưởng).',
    );
    expect(seenCell(sheet, 'Khen thưởng', 18, 5)).toMatchObject({
      value: 'Nguyễn Thị Lan (Ba Đình)',
      background: '#FCE5CD',
    });
    expect(Object.keys(await stack.runtime.store.nomineeIndex(SO_KET)).sort()).toEqual([
      'ca-ba-dinh',
      'catp-anctnb',
      'ubnd-ba-dinh',
      'ubnd-hoan-kiem',
    ]);
    const status = tabValues((await refreshMaster()).sheet, 'Tình trạng nộp');
    expect(statusRow(status, SO_KET, 'ubnd-hoan-kiem').slice(3, 7)).toEqual([
      'Đã gửi',
      'Nộp muộn',
      1,
      '10:30 16/07/2020',
    ]);
    expect(statusRow(status, SO_KET, 'ubnd-ba-dinh')[4]).toBe('Đúng hạn');
    expect(status[2]?.[2]).toMatch(/^Báo cáo sơ kết: 4 đúng hạn, 1 muộn, \d+ chưa nộp \(quá hạn\), 0 chưa đến hạn/);
  });
});

describe('versions and the lock', () => {
  it('a later edit is a new version; history is kept; the latest accepted version counts; lateness stays with the first', async () => {
    const before = expected(SO_KET, FLOW, 'flow');
    const headlineBefore = expected(SO_KET, FLOW, 'flow', 'district');
    const outcome = await submit('ubnd-ba-dinh', SO_KET, '2020-07-18T14:05:00+07:00', (sub) => {
      sub.figures.bang1![MAIN_PERIOD]![FLOW] = Number(sub.figures.bang1![MAIN_PERIOD]![FLOW]) + 100;
      sub.figures.bang1![MAIN_PERIOD]![STOCK] = Number(sub.figures.bang1![MAIN_PERIOD]![STOCK]) + 5;
    });
    expect(outcome.accepted).toBe(true);
    expect(outcome.submission).toMatchObject({
      versionCount: 2,
      late: false,
      firstAcceptedAt: Date.parse('2020-07-10T09:00:00+07:00'),
      acceptedAt: Date.parse('2020-07-18T14:05:00+07:00'),
    });
    // Hoàn Kiếm's later proposal of the same person now warns Ba Đình too.
    expect(outcome.statusText).toBe(
      'Đã gửi lúc 14:05 18/07/2020. Đề nghị khen thưởng: 1 đối tượng cần xem lại (cột "Kết quả xét (hệ thống ghi)" ở trang Khen thưởng).',
    );
    const versions = await stack.runtime.store.versions(SO_KET, 'ubnd-ba-dinh');
    expect(versions.map((v) => [v.versionNo, v.acceptedAt])).toEqual([
      [1, Date.parse('2020-07-10T09:00:00+07:00')],
      [2, Date.parse('2020-07-18T14:05:00+07:00')],
    ]);
    expect(versions[1]!.values.bang1![MAIN_PERIOD]![FLOW]).toBe(versions[0]!.values.bang1![MAIN_PERIOD]![FLOW]! + 100);
    expect(versions[0]!.sourceVersion).toBeLessThan(versions[1]!.sourceVersion);

    const city = (await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))!;
    expect(city.totals.bang1?.[FLOW]).toBe(before + 100);
    expect(city.totals.bang1?.[STOCK]).toBe(expected(SO_KET, STOCK, 'stock'));
    const { sheet } = await refreshMaster();
    expect(totalRow(tabValues(sheet, 'Bảng 1 – Báo cáo sơ kết'))[indicatorCol(FLOW)]).toBe(headlineBefore + 100);
    expect(statusRow(tabValues(sheet, 'Tình trạng nộp'), SO_KET, 'ubnd-ba-dinh').slice(3, 8)).toEqual([
      'Đã gửi',
      'Đúng hạn',
      2,
      '09:00 10/07/2020',
      '14:05 18/07/2020',
    ]);
  });

  it('after the lock an edit is not taken in: the sheet says why, the accepted version stays', async () => {
    const cityBefore = (await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))!;
    stack.clock.set('2020-07-23T08:00:00+07:00');
    await stack.type('ubnd-ba-dinh', SO_KET, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: FLOW, value: 999 },
    ]);
    const outcome = await stack.process('ubnd-ba-dinh', SO_KET);
    if (outcome.outcome !== 'processed') throw new Error(outcome.outcome);
    expect([outcome.evaluation.status, outcome.accepted, outcome.lockedOut]).toEqual(['ready', false, true]);
    const locked =
      'Đợt báo cáo đã khóa sổ lúc 00:00 22/07/2020: thay đổi sau thời điểm này không được tiếp nhận. Bản đã gửi lúc 14:05 18/07/2020 vẫn có hiệu lực.';
    expect(outcome.statusText).toBe(locked);
    const sheet = stack.sheets.getSpreadsheetState(await stack.sheetOf('ubnd-ba-dinh', SO_KET))!;
    // 999 is a valid figure (no error): the content is ready, and refused.
    expect(outcome.evaluation.issues.map((i) => [i.sheet, i.cell, i.code, i.severity])).toEqual([
      ['Khen thưởng', 'F19', 'khen_thuong.duplicate_across_units', 'warning'],
    ]);
    // Every tab shows the lock; with the workbook's only warning on one tab, no per-tab count is added.
    for (const cell of outcome.evaluation.located.statusCells)
      expect(seenCell(sheet, cell.sheet, cell.row, cell.col).value).toBe(locked);

    await stack.triggersIdle();
    const sub = await stack.runtime.store.submission(SO_KET, 'ubnd-ba-dinh');
    expect(sub).toMatchObject({ versionCount: 2, acceptedAt: Date.parse('2020-07-18T14:05:00+07:00') });
    expect(sub!.values.bang1![MAIN_PERIOD]![FLOW]).not.toBe(999);
    expect(await stack.runtime.store.versions(SO_KET, 'ubnd-ba-dinh')).toHaveLength(2);
    expect((await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))?.totals).toEqual(cityBefore.totals);
    expect((await stack.runtime.store.state(SO_KET, 'ubnd-ba-dinh'))?.lockedOut).toBe(true);

    const { sheet: master } = await refreshMaster();
    expect(statusRow(tabValues(master, 'Tình trạng nộp'), SO_KET, 'ubnd-ba-dinh').slice(3, 6)).toEqual([
      'Đã gửi (sửa sau khóa sổ, không tiếp nhận)',
      'Đúng hạn',
      2,
    ]);
    expect(totalRow(tabValues(master, 'Bảng 1 – Báo cáo sơ kết'))[indicatorCol(FLOW)]).toBe(
      expected(SO_KET, FLOW, 'flow', 'district'),
    );
  });
});

describe('bo-sung-2020: the second round is kept apart', () => {
  it('its own consolidated tab, by value; no tab adds the two rounds; the activities compiled by kind and level', async () => {
    const skCity = (await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))!;
    for (const unitId of ['ubnd-ba-dinh', 'ubnd-tay-ho', 'thanh-doan'])
      expect((await submit(unitId, BO_SUNG, '2020-09-01T16:20:00+07:00')).accepted).toBe(true);
    const late = await submit('ubnd-long-bien', BO_SUNG, '2020-09-04T07:00:00+07:00');
    expect(late.submission?.late).toBe(true);

    const bsCity = (await stack.runtime.store.aggregate(BO_SUNG, 'ha-noi'))!;
    expect(bsCity.contributors).toBe(4);
    expect(bsCity.totals.bang1?.[FLOW]).toBe(expected(BO_SUNG, FLOW, 'flow'));
    expect(bsCity.totals.bang1?.[STOCK]).toBe(expected(BO_SUNG, STOCK, 'stock'));
    expect(bsCity.totals.bang1?.[DECIMAL_FLOW]).toBeCloseTo(expected(BO_SUNG, DECIMAL_FLOW, 'flow'), 6);
    expect((await stack.runtime.store.aggregate(SO_KET, 'ha-noi'))?.totals).toEqual(skCity.totals);

    const { sheet } = await refreshMaster();
    const bang1 = tabValues(sheet, 'Bảng 1 – Báo cáo bổ sung');
    expect(totalRow(bang1)[1]).toBe(headline(3));
    expect(totalRow(bang1)[indicatorCol(FLOW)]).toBe(expected(BO_SUNG, FLOW, 'flow', 'district'));
    expect(totalRow(bang1)[indicatorCol(STOCK)]).toBe(expected(BO_SUNG, STOCK, 'stock', 'district'));
    expect(sectorsRow(bang1)[indicatorCol(STOCK)]).toBe(expected(BO_SUNG, STOCK, 'stock', 'sector'));
    expect(totalRow(tabValues(sheet, 'Bảng 1 – Báo cáo sơ kết'))[indicatorCol(FLOW)]).toBe(
      expected(SO_KET, FLOW, 'flow', 'district'),
    );
    // The rounds' windows overlap: nothing adds them together.
    expect(sheet.sheets.map((t) => t.properties.title).filter((t) => /hai đợt/i.test(t))).toEqual([]);

    // Each of the four units listed one activity (the first kind, the first level, 150 people).
    const activities = tabValues(sheet, 'Hoạt động – Báo cáo bổ sung');
    const festival = rowWhere(activities, 1, 'Ngày hội toàn dân bảo vệ ANTQ 19/8');
    expect(festival.slice(2, 4)).toEqual([4, 600]);
    expect(rowWhere(activities, 1, 'Cộng').slice(2, 4)).toEqual([4, 600]);
    expect(
      activities.filter((r) => r[3] === 'Ngày hội toàn dân bảo vệ ANTQ tại tổ dân phố số 7').map((r) => r[1]),
    ).toEqual(['ubnd-ba-dinh', 'ubnd-tay-ho', 'ubnd-long-bien', 'thanh-doan'].map(name));

    const status = tabValues(sheet, 'Tình trạng nộp');
    expect(statusRow(status, BO_SUNG, 'ubnd-long-bien').slice(3, 5)).toEqual(['Đã gửi', 'Nộp muộn']);
    expect(statusRow(status, BO_SUNG, 'thanh-doan').slice(3, 5)).toEqual(['Đã gửi', 'Đúng hạn']);
  });
});
