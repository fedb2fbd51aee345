/**
 * A master refresh whose batchUpdate Google applied but whose answer was lost (a timeout) is
 * retried. Resending the same requests would delete protected ranges and merges that are
 * already gone, and Google refuses the whole batch: the refresh would fail every attempt. The
 * retry rebuilds the requests against the sheet as it is now, and the master ends as a clean
 * refresh leaves it. The same holds for the first render of a new sheet: its retry must not add
 * the tabs again (Google refuses "Sheet with id 1 already exists").
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMaster } from '../../functions/app/master.js';
import { createSheetsClient } from '../../functions/adapters/google-apis.js';
import { SheetsMaster } from '../../functions/adapters/sheets-master.js';
import { SheetsWorkbooks } from '../../functions/adapters/sheets-workbooks.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { provisionMaster, registerUnitSheets } from '../helpers/integration.js';
import { FAST_RETRY, startTestStack, type TestStack } from '../helpers/stack.js';

const SO_KET = 'so-ket-2020';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(stack, SO_KET, ['ubnd-ba-dinh', 'ca-ba-dinh']);
  await provisionMaster(stack);
}, 90_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** A Sheets client whose first batchUpdate is applied by the emulator, then answered by a timeout. */
async function clientLosingFirstAnswer(): Promise<{ client: sheets_v4.Sheets; batchUpdates: () => number }> {
  const real = await createSheetsClient(stack.runtime.config.google);
  let calls = 0;
  const spreadsheets = Object.create(real.spreadsheets) as sheets_v4.Resource$Spreadsheets;
  spreadsheets.batchUpdate = (async (...args: Parameters<sheets_v4.Resource$Spreadsheets['batchUpdate']>) => {
    const answer = await (real.spreadsheets.batchUpdate as (...a: unknown[]) => Promise<unknown>)(...args);
    if (calls++ === 0)
      throw Object.assign(new Error('socket timed out after the request was applied'), { code: 'ETIMEDOUT' });
    return answer;
  }) as never;
  const client = Object.create(real) as sheets_v4.Sheets;
  Object.defineProperty(client, 'spreadsheets', { value: spreadsheets });
  return { client, batchUpdates: () => calls };
}

describe('master refresh after a lost answer', () => {
  it('rebuilds the retry against the sheet as it now is, and ends equal to a clean refresh', async () => {
    const masterId = (await stack.runtime.store.meta('master')).spreadsheetId!;
    // A first refresh leaves protected ranges and merges for the next one to replace.
    await refreshMaster(stack.runtime, { force: true });
    const { client, batchUpdates } = await clientLosingFirstAnswer();
    const flaky = new SheetsMaster(client, FAST_RETRY);
    await expect(refreshMaster({ ...stack.runtime, master: flaky }, { force: true })).resolves.toMatchObject({
      refreshed: true,
    });
    expect(batchUpdates()).toBe(2);
    // The emulator's live state: taken as a copy before the clean refresh changes it.
    const shape = () =>
      structuredClone(
        stack.sheets.getSpreadsheetState(masterId)!.sheets.map((sheet) => ({
          title: sheet.properties.title,
          merges: sheet.merges,
          protectedRanges: sheet.protectedRanges.length,
          frozen: [
            sheet.properties.gridProperties.frozenRowCount ?? 0,
            sheet.properties.gridProperties.frozenColumnCount ?? 0,
          ],
        })),
      );
    const afterRetry = shape();
    expect(afterRetry.some((sheet) => sheet.protectedRanges > 0 && sheet.merges.length > 0)).toBe(true);
    await refreshMaster(stack.runtime, { force: true });
    expect(afterRetry).toEqual(shape());
  });
});

describe('first render after a lost answer', () => {
  it('does not resend a batch that was applied: the tabs are there, and the retry adds none', async () => {
    const real = await createSheetsClient(stack.runtime.config.google);
    const created = await real.spreadsheets.create({ requestBody: { properties: { title: 'render retry' } } });
    const spreadsheetId = created.data.spreadsheetId!;
    const { client, batchUpdates } = await clientLosingFirstAnswer();
    const model = buildUnitWorkbook(stack.runtime.model, 'ubnd-hoan-kiem', SO_KET);
    await expect(new SheetsWorkbooks(client, FAST_RETRY).render(spreadsheetId, model)).resolves.toBeUndefined();
    expect(batchUpdates()).toBe(1);
    const titles = stack.sheets.getSpreadsheetState(spreadsheetId)!.sheets.map((sheet) => sheet.properties.title);
    expect(titles).toEqual(model.sheets.map((sheet) => sheet.title));
  });
});
