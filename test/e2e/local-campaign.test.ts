/**
 * `npm start` headless: the same system (stack, provisioning, demo scenario) on random ports,
 * with simulated time advanced step by step (each step types the due edits, then fires the
 * poll, sweep and master jobs through their HTTP functions), so the outcome does not depend
 * on how busy the machine is. By the first round's lock the master must hold figures from
 * most districts, the status tab on-time, late and missing units, and the mailbox reminders
 * and a digest. Everything happens on the demo's clock: the sweep at 08:00 and 16:00 of every
 * simulated day, Google's timestamps in the simulated weeks, every on-time clerk on time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memory-logger.js';
import { currentMasterView } from '../../functions/app/master.js';
import { startSystem, type LocalSystem } from '../../scripts/local-stack/system.js';
import { demoScenario } from '../../scripts/demo/scenario.js';

const HOUR = 3_600_000;
/** "2020-07-14 08:00" in Asia/Ho_Chi_Minh (UTC+7, no summer time). */
const ict = (t: number) => new Date(t + 7 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

describe('the local campaign, headless (npm start with accelerated time)', () => {
  let system: LocalSystem;
  let dir: string;
  let until: number;
  const log = memoryLogger();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bao-cao-e2e-'));
    system = await startSystem({ stateDir: dir, log, persist: false, sheetsClockScale: 60, demo: { stepped: true } });
    const runtime = system.stack.runtime;
    // Play the campaign until a day after the first round is locked (22/07/2020).
    until = runtime.model.lockAt('so-ket-2020') + 86_400_000;
    await system.stepTo(until);
    await system.stack.fire('poll-changes');
    await system.stack.triggersIdle();
    await system.stack.fire('reconcile');
    await system.stack.fire('refresh-master');
  }, 600_000);

  afterAll(async () => {
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('consolidates figures from most districts into the master', async () => {
    const runtime = system.stack.runtime;
    const view = await currentMasterView(runtime, system.clock!.now());
    const round = view.rounds.find((r) => r.roundId === 'so-ket-2020')!;
    const districts = runtime.model.campaign.units.filter((u) => u.kind === 'district').map((u) => u.id);
    const withFigures = districts.filter((d) => round.byUnit[d]);
    expect(withFigures.length).toBeGreaterThan(districts.length / 2);
    expect(round.totals.bang1?.['tuyen_truyen.dai_chung']).toBeGreaterThan(0);
    // The headline equals the sum over the submitting districts only (flow indicator); the
    // sectors' figures are in their own subtotal, never added in.
    const sumOver = (kind: string) =>
      Object.entries(round.byUnit)
        .filter(([unitId]) => runtime.model.unit(unitId).kind === kind)
        .reduce((s, [, t]) => s + (t.bang1?.['tuyen_truyen.dai_chung'] ?? 0), 0);
    expect(round.totals.bang1?.['tuyen_truyen.dai_chung']).toBeCloseTo(sumOver('district'), 6);
    const sectors = round.groups.find((g) => g.id === 'sectors')!;
    expect(sectors.subtotal.bang1?.['tuyen_truyen.dai_chung'] ?? 0).toBeCloseTo(sumOver('sector'), 6);
  });

  it('shows on-time, late and missing units in the master sheet status tab', async () => {
    const runtime = system.stack.runtime;
    const { spreadsheetId } = await runtime.store.meta('master');
    const state = system.stack.sheets.toWorkbookModel(spreadsheetId!);
    const statusTab = state.sheets.find((s) => s.title === 'Tình trạng nộp')!;
    const texts = new Set(statusTab.cells.map((c) => c.value).filter((v): v is string => typeof v === 'string'));
    expect(texts).toContain('Đúng hạn');
    expect(texts).toContain('Nộp muộn');
    expect(texts).toContain('Chưa nộp (quá hạn)');
    const consolidated = state.sheets.find((s) => s.title === 'Bảng 1 – Báo cáo sơ kết')!;
    expect(consolidated.cells.some((c) => typeof c.value === 'string' && c.value.startsWith('Tổng cộng ('))).toBe(true);
  });

  it('has sent reminders to units and a digest to the coordinators', async () => {
    const mails = await system.stack.listEmails();
    const reminders = mails.filter((m) => /Nhắc hạn gửi báo cáo|Báo cáo đã quá hạn/.test(m.subject));
    const digests = mails.filter((m) => /Tổng hợp tình hình báo cáo/.test(m.subject));
    expect(reminders.length).toBeGreaterThan(0);
    expect(digests.length).toBeGreaterThan(0);
    const reminder = reminders[0]!;
    expect(reminder.text).toMatch(/^Kính gửi: /);
    expect(reminder.text).toMatch(/trước ngày 15\/07\/2020/);
    expect(reminder.text).toMatch(/Bảng tính của đơn vị: https:\/\/docs\.google\.com\/spreadsheets\/d\//);
    expect(digests[0]!.to).toEqual(['xdpt-tonghop@hanoi.example']);
    // No error was logged by any function during the whole run.
    expect(log.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
  });

  it('runs the compliance sweep at 08:00 and 16:00 of every simulated day, the last days before the deadline included', () => {
    const { startsAt } = demoScenario(system.stack.runtime.model);
    const sweeps = log.lines
      .filter((l) => l.message === 'compliance sweep done')
      .map((l) => Date.parse(l.at as string));
    expect(sweeps.length).toBeGreaterThan(0);
    expect(sweeps.every((t) => t >= startsAt && t <= until)).toBe(true); // none on the real clock
    const labels = sweeps.map(ict);
    expect(labels.every((l) => l.endsWith(' 08:00') || l.endsWith(' 16:00'))).toBe(true);
    expect(labels).toEqual(
      expect.arrayContaining(['2020-07-13 08:00', '2020-07-13 16:00', '2020-07-14 08:00', '2020-07-14 16:00']),
    );
    // Every simulated day, twice, in order.
    const days = Math.floor((until - startsAt) / (24 * HOUR));
    expect(sweeps.length).toBeGreaterThanOrEqual(2 * days);
    expect([...sweeps].sort((a, b) => a - b)).toEqual(sweeps);
  });

  it("stamps Google's times on the demo's clock and records every on-time clerk at the moment they ticked", async () => {
    const runtime = system.stack.runtime;
    const { startsAt, edits, behaviours } = demoScenario(runtime.model);
    for (const sheet of system.stack.sheets.listSpreadsheets()) {
      expect(Date.parse(sheet.modifiedTime)).toBeGreaterThanOrEqual(startsAt);
      expect(Date.parse(sheet.modifiedTime)).toBeLessThanOrEqual(until);
    }
    const round = 'so-ket-2020';
    const ticks = edits.filter(
      (e) =>
        e.roundId === round && behaviours.get(`${round}/${e.unitId}`) === 'on-time' && e.note === 'xác nhận và gửi',
    );
    expect(ticks.length).toBeGreaterThan(10);
    for (const tick of ticks) {
      const sub = await runtime.store.submission(round, tick.unitId);
      expect({ unit: tick.unitId, acceptedAt: sub && ict(sub.acceptedAt), late: sub?.late }).toEqual({
        unit: tick.unitId,
        acceptedAt: ict(tick.at),
        late: false,
      });
    }
  });
});
