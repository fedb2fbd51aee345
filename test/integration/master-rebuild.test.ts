/**
 * "Làm mới toàn bộ": the coordinators' second button on the master. An incremental refresh writes
 * only what differs from what this instance last wrote, so a master whose content changed behind
 * the system's back (a version restored from Drive's history, a cell overwritten by an owner)
 * stays wrong where nothing changed since. The button asks for a rebuild (signed like every
 * button, the action inside the signature); the next refresh reads everything and writes every
 * cell, which puts the master right again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import {
  LOCAL_SERVICE_ACCOUNT,
  postSheetAction,
  pressSheetButton,
  provisionMaster,
  registerUnitSheets,
  tabValues,
  writeCells,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { hmac } from '../../functions/handlers/auth.js';

const SO_KET = 'so-ket-2020';
const UNITS = ['ubnd-ba-dinh', 'ubnd-hoan-kiem', 'ubnd-tay-ho'];
let stack: TestStack;
let masterId = '';

beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(stack, SO_KET, UNITS);
  await provisionMaster(stack);
  masterId = (await stack.runtime.store.meta('master')).spreadsheetId!;
}, 90_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

const masterState = () => stack.sheets.getSpreadsheetState(masterId)!;
const tableTitle = () => masterState().sheets.find((s) => s.properties.title.startsWith('Bảng 1 – '))!.properties.title;

async function submit(unitId: string, at: string) {
  stack.clock.set(at);
  await stack.typeSubmission(unitId, SO_KET, validSubmission(stack.runtime.model, unitId, SO_KET));
  const outcome = await stack.process(unitId, SO_KET);
  if (outcome.outcome !== 'processed' || !outcome.accepted) throw new Error(`${unitId}: not accepted`);
  await stack.triggersIdle();
}

/** The first figure of Ba Đình's row on the master's Bảng 1 tab (the other units' submissions leave it alone). */
function baDinhFigure(): { row: number; col: number; value: number } {
  const name = stack.runtime.model.unit('ubnd-ba-dinh').name;
  const rows = tabValues(masterState(), tableTitle());
  const row = rows.findIndex((cells) => cells.includes(name));
  const col = rows[row]?.findIndex((value) => typeof value === 'number') ?? -1;
  if (row < 0 || col < 0) throw new Error(`no figure of ${name} on the master`);
  return { row, col, value: rows[row]![col] as number };
}
const valueAt = (row: number, col: number) => tabValues(masterState(), tableTitle())[row]?.[col];

describe('the master\'s "Làm mới toàn bộ" button', () => {
  it('puts back a cell changed behind the system, which an incremental refresh leaves as it is', async () => {
    await submit('ubnd-ba-dinh', '2020-07-10T09:00:00+07:00');
    expect(await stack.fire('refresh-master')).toMatchObject({ refreshed: true, mode: 'full' });
    const figure = baDinhFigure();

    // Someone who may edit protected cells overwrites a figure (a restored version does the same).
    await writeCells(sheetsAs(stack.urls.sheets, LOCAL_SERVICE_ACCOUNT), masterId, tableTitle(), [
      { row: figure.row, col: figure.col, value: figure.value + 1000 },
    ]);
    await submit('ubnd-hoan-kiem', '2020-07-10T10:00:00+07:00');
    expect(await stack.fire('refresh-master')).toMatchObject({ refreshed: true, mode: 'incremental' });
    expect(valueAt(figure.row, figure.col)).toBe(figure.value + 1000);

    const pressed = await pressSheetButton(stack, masterId, 'rebuild-master');
    expect(pressed).toEqual({ status: 202, body: { outcome: 'master-rebuild-requested' } });
    const rebuilt = (await stack.fire('refresh-master')) as { refreshed: boolean; mode: string; cellsWritten: number };
    expect(rebuilt).toMatchObject({ refreshed: true, mode: 'full' });
    expect(valueAt(figure.row, figure.col)).toBe(figure.value);

    // Once: the marker is spent, the next change is incremental again.
    await submit('ubnd-tay-ho', '2020-07-10T11:00:00+07:00');
    const next = (await stack.fire('refresh-master')) as { mode: string; cellsWritten: number };
    expect(next.mode).toBe('incremental');
    expect(next.cellsWritten).toBeLessThan(rebuilt.cellsWritten);
  }, 120_000);

  it('names its action inside the signature; unknown actions, or an action on a unit sheet, get a 400', async () => {
    const timestamp = stack.clock.now;
    const unitSheet = (await stack.runtime.store.unitSheet(SO_KET, 'ubnd-ba-dinh'))!.spreadsheetId;
    const marked = async () => (await stack.runtime.store.masterChanges()).map((c) => c.kind);
    const before = await marked();
    // Signed without the action, the action added afterwards.
    expect(
      await postSheetAction(stack, {
        spreadsheetId: masterId,
        timestamp,
        signature: hmac(stack.secrets.webhook, `${masterId}.${timestamp}`),
        action: 'rebuild-master',
      }),
    ).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await pressSheetButton(stack, masterId, 'xoa-het')).toEqual({
      status: 400,
      body: { error: 'unknown action: xoa-het' },
    });
    expect(await pressSheetButton(stack, unitSheet, 'rebuild-master')).toEqual({
      status: 400,
      body: { error: 'unknown action: rebuild-master' },
    });
    expect(await marked()).toEqual(before);
    expect(before).not.toContain('rebuild');

    // The documents' action may be named too (the master's menu does), signed like the rebuild.
    const published = await pressSheetButton(stack, masterId, 'publish-reports');
    expect([published.status, published.body.outcome]).toEqual([200, 'reports-published']);
  });
});
