/**
 * The shortlist, the coordinators' own column of the master. The master refresh reads the shortlist ticks,
 * rebuilds the master and writes it back; the coordinators keep ticking meanwhile. The refresh
 * never writes the shortlist column's values, and every nominee keeps its row between
 * refreshes, so a tick typed between the refresh's read and its write survives, and a tick
 * stays on its nominee when other nominees are added above it or a nominee is withdrawn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMaster } from '../../functions/app/master.js';
import type { SheetsMaster } from '../../functions/adapters/sheets-master.js';
import { NOMINATIONS_TAB_TITLE, WITHDRAWN_SOURCE } from '../../functions/layout/master-workbook.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { provisionMaster, registerUnitSheets, tabValues, writeCells } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SO_KET = 'so-ket-2020';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(stack, SO_KET, ['ubnd-ba-dinh', 'ca-ba-dinh', 'catp-anctnb']);
  await provisionMaster(stack);
}, 90_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

const model = () => stack.runtime.model;
const masterId = async () => (await stack.runtime.store.meta('master')).spreadsheetId!;
const nominations = async () => tabValues(stack.sheets.getSpreadsheetState(await masterId())!, NOMINATIONS_TAB_TITLE);
const coordinator = () => sheetsAs(stack.urls.sheets, model().campaign.coordinator.emails[0]!);

async function submit(unitId: string, at: string, edit?: (sub: ReturnType<typeof validSubmission>) => void) {
  stack.clock.set(at);
  const sub = validSubmission(model(), unitId, SO_KET);
  edit?.(sub);
  await stack.typeSubmission(unitId, SO_KET, sub);
  const outcome = await stack.process(unitId, SO_KET);
  if (outcome.outcome !== 'processed' || !outcome.accepted) throw new Error(`${unitId}: not accepted`);
  await stack.triggersIdle();
}

/** The shortlist column and the row of the Ministry-award nominee of `unitId`. */
async function shortlistCell(unitId: string) {
  const rows = await nominations();
  const codeRow = rows.findIndex((r) => r[0] === '#id');
  const col = rows[codeRow]!.indexOf('de_xuat_bo');
  const award = model().award(model().campaign.cityShortlist.award).name;
  const row = rows.findIndex((r, i) => i > codeRow && r[2] === model().unit(unitId).name && r[4] === award);
  if (row < 0) throw new Error(`no ${award} nominee of ${unitId}`);
  return { row, col, id: rows[row]![0] as string, rows };
}

/** A refresh during which the coordinator ticks `cell`: after the refresh read the tab, before it writes. */
async function refreshWhileTicking(cell: () => Promise<{ row: number; col: number }>) {
  const master = stack.runtime.master;
  let ticked = false;
  const racing = Object.assign(Object.create(master) as SheetsMaster, {
    async replaceContent(...args: Parameters<SheetsMaster['replaceContent']>) {
      const { row, col } = await cell();
      await writeCells(coordinator(), args[0], NOMINATIONS_TAB_TITLE, [{ row, col, value: true }]);
      ticked = true;
      return master.replaceContent(...args);
    },
  });
  const refresh = await refreshMaster({ ...stack.runtime, master: racing }, { force: true });
  expect([refresh.refreshed, ticked]).toEqual([true, true]);
}

describe("the master refresh never writes the coordinators' shortlist column", () => {
  it('a tick typed between the refresh reading the tab and writing it survives the write', async () => {
    await submit('ca-ba-dinh', '2020-07-10T09:00:00+07:00');
    await refreshMaster(stack.runtime, { force: true });
    const before = await shortlistCell('ca-ba-dinh');
    await refreshWhileTicking(async () => before);
    const after = await shortlistCell('ca-ba-dinh');
    expect(after.row).toBe(before.row);
    expect(after.rows[after.row]![after.col]).toBe(true);
    // The next refresh reads the tick and counts it.
    await refreshMaster(stack.runtime, { force: true });
    expect((await stack.runtime.store.meta('master')).shortlist).toEqual([before.id]);
    expect((await nominations())[before.row]![before.col]).toBe(true);
  });

  it('ticks stay on their nominees when nominees are added above them during the refresh', async () => {
    // Ba Đình (UBND) comes before both police units in the campaign's unit order: rebuilt in
    // view order, its nominees would be written above theirs, moving every row under the ticks.
    const police = await shortlistCell('ca-ba-dinh');
    await submit('catp-anctnb', '2020-07-11T09:00:00+07:00');
    await refreshMaster(stack.runtime, { force: true });
    const security = await shortlistCell('catp-anctnb');
    await submit('ubnd-ba-dinh', '2020-07-11T10:00:00+07:00');
    await refreshWhileTicking(async () => security);
    const rows = await nominations();
    for (const nominee of [police, security]) {
      expect(rows[nominee.row]![0]).toBe(nominee.id);
      expect(rows[nominee.row]![nominee.col]).toBe(true);
    }
    expect(
      rows
        .filter((r) => r[police.col] === true)
        .map((r) => r[0])
        .sort(),
    ).toEqual([police.id, security.id].sort());
    // The new nominees were appended below the ones already on the tab.
    const baDinh = rows.flatMap((r, i) => (r[2] === model().unit('ubnd-ba-dinh').name ? [i] : []));
    expect(baDinh.length).toBeGreaterThan(0);
    expect(Math.min(...baDinh)).toBeGreaterThan(Math.max(police.row, security.row));
  });

  it("a nominee no longer reported keeps its row, marked, and the others' ticks stay put", async () => {
    const police = await shortlistCell('ca-ba-dinh');
    const rowsBefore = await nominations();
    const baDinhRows = rowsBefore
      .map((r, i) => [i, r] as const)
      .filter(([, r]) => r[2] === model().unit('ubnd-ba-dinh').name);
    // Ba Đình resubmits without its first nominee.
    await submit('ubnd-ba-dinh', '2020-07-12T09:00:00+07:00', (sub) => void sub.lists.khen_thuong!.splice(0, 1));
    await refreshMaster(stack.runtime, { force: true });
    const rows = await nominations();
    expect(rows[police.row]!.slice(0, 1)).toEqual([police.id]);
    expect(rows[police.row]![police.col]).toBe(true);
    const [withdrawnRow, withdrawn] = baDinhRows[0]!;
    expect(rows[withdrawnRow]![0]).toBe(withdrawn[0]);
    expect(rows[withdrawnRow]![3]).toBe(WITHDRAWN_SOURCE);
    expect(rows[withdrawnRow]![7]).toBe(withdrawn[7]);
  });
});
