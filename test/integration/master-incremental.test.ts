/**
 * After any sequence of changes, the incremental master equals a
 * full rebuild, cell for cell. A seeded pseudo-random sequence of changes (submissions and
 * changed figures aggregated by the real trigger, states going invalid, flags replaced as the
 * sweep does, quarantines, published documents, shortlist ticks, the instance's cache dropped or
 * invalidated by another instance, business time passing the due time) runs on the Firestore
 * and Sheets emulators. After each step master A is refreshed as the scheduled job does
 * (incremental whenever its cache allows) and master B, a second spreadsheet, is rebuilt in full
 * from the same documents at the same time; the two sheets read back from the Sheets emulator
 * are equal in every cell's value, format, note and validation, and in merges and freezes.
 * The seed is printed in every failure message.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memory-logger.js';
import { currentMasterView, refreshMaster, requestMasterRefresh, type MasterDeps } from '../../functions/app/master.js';
import type { Store } from '../../functions/app/ports.js';
import type { MetaDocs } from '../../functions/app/ports.js';
import type { NominationRecord, UnitFlagsRecord } from '../../functions/app/records.js';
import {
  buildMasterWorkbook,
  NOMINATIONS_TAB_TITLE,
  NOMINATION_ID_CODE,
  SHORTLIST_CODE,
} from '../../functions/layout/master-workbook.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import type { SpreadsheetState } from '../../scripts/emulators/sheets/index.js';
import { figuresFor } from '../helpers/fill-workbook.js';
import {
  commitInputFor,
  LOCAL_SERVICE_ACCOUNT,
  provisionMaster,
  tabValues,
  writeCells,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';
const FLOW = 'tuyen_truyen.dai_chung';
const UNITS: Record<string, string[]> = {
  [SO_KET]: ['ubnd-ba-dinh', 'ubnd-hoan-kiem', 'ca-ba-dinh', 'mttq-tp', 'catp-anctnb'],
  [BO_SUNG]: ['ubnd-ba-dinh', 'ubnd-tay-ho', 'thanh-doan'],
};
const SEED = Number(process.env.MASTER_PROPERTY_SEED ?? 20261206);
const STEPS = 24;

let stack: TestStack;
let masterB: string;
const log = memoryLogger();

beforeAll(async () => {
  stack = await startTestStack({ at: '2020-07-01T09:00:00+07:00' });
  await provisionMaster(stack);
  // Master B made as provisioning makes a master: a new spreadsheet rendered with the master's tabs.
  masterB = (await stack.runtime.files.createSpreadsheet('Master B (full rebuilds)', { test: 'master-b' })).id;
  const view = await currentMasterView(stack.runtime, stack.clock.now);
  await stack.runtime.workbooks.render(
    masterB,
    buildMasterWorkbook(stack.runtime.model, view, stack.clock.now, { editors: [LOCAL_SERVICE_ACCOUNT] }),
  );
}, 90_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** A small deterministic generator (LCG, Numerical Recipes constants). */
function lcg(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

/** A nominee for the city's shortlist award (tickable on the master once submitted). */
function nominee(unitId: string, ordinal: number): NominationRecord {
  return {
    rowNo: ordinal,
    cell: `C${10 + ordinal}`,
    award: stack.runtime.model.campaign.cityShortlist.award,
    type: 'collective',
    scope: 'cand',
    name: `Tập thể số ${ordinal} của ${unitId}`,
    position: null,
    titles: {},
    giayKhen: null,
    bangKhen: null,
    summary: null,
    reportConfirmed: true,
    originalSets: 1,
    exempt: false,
    key: `tap the so ${ordinal} ${unitId}`,
    eligible: true,
    ineligibleReasons: [],
    verdict: 'ok',
    issues: [],
  };
}

/**
 * Master B's deps: the same documents, but meta 'master' (which names the spreadsheet) kept
 * apart, no markers and no cache: every refresh is a full rebuild of B.
 */
function fullRebuildDeps(now: number): MasterDeps {
  const store = stack.runtime.store;
  let metaB: MetaDocs['master'] = { spreadsheetId: masterB };
  const storeB = Object.assign(Object.create(store) as Store, {
    async meta(name: keyof MetaDocs) {
      return name === 'master' ? metaB : store.meta(name);
    },
    async patchMeta(name: keyof MetaDocs, patch: object) {
      if (name === 'master') metaB = { ...metaB, ...patch };
      else await store.patchMeta(name, patch as never);
    },
    async masterChanges() {
      return [];
    },
    async clearMasterChanges() {},
  });
  return {
    model: stack.runtime.model,
    store: storeB,
    master: stack.runtime.master,
    now: () => now,
    log: memoryLogger(),
  };
}

/** What a person sees of a tab, normalized: every cell's value, format, note and validation; merges; freezes. */
function seenTabs(state: SpreadsheetState, titles: string[]) {
  return titles.map((title) => {
    const sheet = state.sheets.find((t) => t.properties.title === title);
    if (!sheet) return { title, missing: true };
    const cells: string[] = [];
    sheet.rows.forEach((row, r) =>
      (row ?? []).forEach((cell, col) => {
        if (!cell) return;
        const { userEnteredValue, userEnteredFormat, note, dataValidation } = cell;
        const seen = JSON.stringify({ userEnteredValue, userEnteredFormat, note, dataValidation });
        if (seen !== '{}') cells.push(`${r}:${col} ${seen}`);
      }),
    );
    const merges = sheet.merges
      .map((m) => `${m.startRowIndex}:${m.endRowIndex}:${m.startColumnIndex}:${m.endColumnIndex}`)
      .sort();
    const grid = sheet.properties.gridProperties ?? {};
    return { title, frozen: [grid.frozenRowCount ?? 0, grid.frozenColumnCount ?? 0], merges, cells };
  });
}

async function expectSameMasters(context: string) {
  const idA = (await stack.runtime.store.meta('master')).spreadsheetId!;
  const stateA = stack.sheets.getSpreadsheetState(idA)!;
  const stateB = stack.sheets.getSpreadsheetState(masterB)!;
  const titles = stateA.sheets.map((t) => t.properties.title);
  const seenA = seenTabs(stateA, titles);
  const seenB = seenTabs(stateB, titles);
  for (let i = 0; i < titles.length; i++) {
    const tabA = seenA[i]!;
    const tabB = seenB[i]!;
    expect(tabA, `${context}: tab "${titles[i]}"`).toEqual(tabB);
  }
}

/** Ticks the nth nomination row of the shortlist column on both masters, as a coordinator would. */
async function tickOnBoth(nth: number): Promise<boolean> {
  const idA = (await stack.runtime.store.meta('master')).spreadsheetId!;
  const rows = tabValues(stack.sheets.getSpreadsheetState(idA)!, NOMINATIONS_TAB_TITLE);
  const codeRow = rows.findIndex((r) => r.includes(NOMINATION_ID_CODE));
  if (codeRow < 0) return false;
  const idCol = rows[codeRow]!.indexOf(NOMINATION_ID_CODE);
  const markCol = rows[codeRow]!.indexOf(SHORTLIST_CODE);
  const dataRows = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => i > codeRow && typeof r[idCol] === 'string' && r[idCol] !== '');
  if (dataRows.length === 0 || markCol < 0) return false;
  const { i: row, r: rowValues } = dataRows[nth % dataRows.length]!;
  const client = sheetsAs(stack.urls.sheets, LOCAL_SERVICE_ACCOUNT);
  const value = rowValues[markCol] !== true;
  await writeCells(client, idA, NOMINATIONS_TAB_TITLE, [{ row, col: markCol, value }]);
  await writeCells(client, masterB, NOMINATIONS_TAB_TITLE, [{ row, col: markCol, value }]);
  return true;
}

describe('the incremental master equals a full rebuild after any sequence of changes', () => {
  it(`seed ${SEED}: ${STEPS} random steps, compared cell for cell after each`, async () => {
    const rng = lcg(SEED);
    const { store, model } = stack.runtime;
    const versions = new Map<string, number>();
    const deps = (): MasterDeps => ({ ...stack.runtime, now: () => stack.clock.now, log });
    const modes: string[] = [];

    // A first refresh of each: A holds a cache from here on.
    await requestMasterRefresh(store, stack.clock.now, 'master');
    await refreshMaster(deps());
    await refreshMaster(fullRebuildDeps(stack.clock.now), { force: true });
    await expectSameMasters(`seed ${SEED}, start`);

    const steps: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const roundId = rng.pick([SO_KET, BO_SUNG]);
      const unitId = rng.pick(UNITS[roundId]!);
      // Half-way, business time passes the first round's due time (missing units become overdue).
      const kind =
        step === STEPS / 2
          ? 'past-due'
          : rng.pick([
              'submit',
              'submit',
              'submit',
              'invalid',
              'flags',
              'quarantine',
              'documents',
              'tick',
              'drop-cache',
              'other-instance',
              'time',
            ] as const);
      steps.push(`${kind} ${roundId}/${unitId}`);
      const now = stack.clock.now;
      const key = `${roundId}/${unitId}`;
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      switch (kind) {
        case 'submit': {
          const figures = { bang1: structuredClone(figuresFor(model, unitId, roundId, 'bang1')) };
          if (figures.bang1[MAIN_PERIOD]?.[FLOW] !== undefined) figures.bang1[MAIN_PERIOD]![FLOW] = 10 + rng.int(500);
          const input = commitInputFor(model, unitId, roundId, { sourceVersion: version, now, figures });
          if (input.candidate && rng.int(2) === 0) input.candidate.nominations = [nominee(unitId, 1 + rng.int(2))];
          await store.commitEvaluation(input);
          // What processUnitSheet asks after storing; the trigger then aggregates and asks again.
          await requestMasterRefresh(store, now, { roundId, unitId });
          await stack.triggersIdle();
          break;
        }
        case 'invalid': {
          const input = commitInputFor(model, unitId, roundId, { sourceVersion: version, now, status: 'draft' });
          input.state = {
            ...input.state,
            status: 'invalid',
            errors: 1 + rng.int(3),
            issues: [
              {
                sheet: 'Bảng 1',
                cell: 'C12',
                code: 'so.am',
                severity: 'error',
                message: `Ô C12: số âm (bước ${step})`,
              },
            ],
          };
          await store.commitEvaluation(input);
          await requestMasterRefresh(store, now, { roundId, unitId });
          break;
        }
        case 'flags': {
          const wanted: UnitFlagsRecord[] = [];
          for (const roundId of [SO_KET, BO_SUNG])
            for (const unitId of UNITS[roundId]!)
              if (rng.int(3) === 0)
                wanted.push({
                  roundId,
                  unitId,
                  flags: [{ unitId, rule: 'deadline.missing', reason: `Chưa nộp (bước ${step})` }],
                  at: now,
                });
          if (await store.replaceFlags('sweep', wanted)) await requestMasterRefresh(store, now, 'flags');
          break;
        }
        case 'quarantine': {
          const spreadsheetId = `sheet-of-${roundId}-${unitId}`;
          const failing = (await store.sheetFailures()).some((f) => f.spreadsheetId === spreadsheetId);
          if (failing) await store.clearSheetFailure(spreadsheetId);
          else
            await store.putSheetFailure({
              spreadsheetId,
              unitId,
              roundId,
              error: '500: Internal error',
              transient: true,
              attempts: 5,
              firstFailedAt: now,
              lastFailedAt: now,
              quarantined: true,
              nextRetryAt: now + 3_600_000,
            });
          await requestMasterRefresh(store, now, 'master');
          break;
        }
        case 'documents':
          await store.patchMeta('reports', {
            [roundId]: {
              publishedAt: now,
              files: [
                {
                  name: `Báo cáo ${roundId} lần ${step}.xlsx`,
                  fileId: `f${step}`,
                  url: `https://drive.example/f${step}`,
                },
              ],
            },
          });
          await requestMasterRefresh(store, now, 'master');
          break;
        case 'tick':
          await tickOnBoth(rng.int(10));
          await requestMasterRefresh(store, now, 'master'); // the change feed sees the coordinators' edit
          break;
        case 'drop-cache': // a cold instance
          stack.runtime.masterCache.current = null;
          await requestMasterRefresh(store, now, 'master');
          break;
        case 'other-instance': // another instance refreshed: this one's cache no longer names the content
          await store.patchMeta('master', { renderId: randomUUID() });
          await requestMasterRefresh(store, now, 'master');
          break;
        case 'past-due':
          stack.clock.set(Math.max(now, model.dueAt(SO_KET)) + 3_600_000);
          await requestMasterRefresh(store, stack.clock.now, 'master');
          break;
        case 'time': // business time passes
          stack.clock.set(now + (1 + rng.int(6)) * 86_400_000);
          await requestMasterRefresh(store, stack.clock.now, 'master');
          break;
      }
      const refresh = await refreshMaster(deps());
      modes.push(refresh.mode ?? 'none');
      await refreshMaster(fullRebuildDeps(stack.clock.now), { force: true });
      await expectSameMasters(`seed ${SEED}, after step ${step} (${steps.join(' → ')})`);
    }
    // The sequence exercised both kinds of refresh, and the incremental one never disagreed with a full one.
    expect(modes, `seed ${SEED}`).toContain('incremental');
    expect(modes, `seed ${SEED}`).toContain('full');
    expect(
      log.lines.filter((l) => l.severity === 'ERROR'),
      `seed ${SEED}`,
    ).toEqual([]);
    expect(stack.clock.now, 'the steps passed the due time').toBeGreaterThan(model.dueAt(SO_KET));
  }, 120_000);

  it('the nightly reconcile job asks for the proof: the next refresh rebuilds in full, finds no difference, and is equal to master B', async () => {
    const { store } = stack.runtime;
    await stack.fire('reconcile');
    expect((await store.masterChanges()).map((m) => m.kind)).toContain('verify');
    log.lines.length = 0;
    expect(await refreshMaster({ ...stack.runtime, now: () => stack.clock.now, log })).toMatchObject({
      refreshed: true,
      mode: 'full',
    });
    expect(log.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
    expect(await store.masterChanges()).toEqual([]);
    await refreshMaster(fullRebuildDeps(stack.clock.now), { force: true });
    await expectSameMasters(`seed ${SEED}, after the nightly rebuild`);
  }, 60_000);
});
