/**
 * A submission counts from when the clerk saved it in Google Sheets (Drive's modifiedTime),
 * not from when the pipeline got to it: pushes for Sheets edits arrive minutes late, and a
 * box ticked at 23:58 on the last day is on time even if processed at 00:03.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processUnitSheet, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import { registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const ROUND = 'so-ket-2020';
let s: TestStack;
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startTestStack({ at: '2020-07-15T00:03:00+07:00' });
  ids = await registerUnitSheets(s, ROUND, ['ubnd-ba-dinh', 'ubnd-hoan-kiem']);
}, 60_000);
afterAll(() => s.dispose());

/** The pipeline, seeing Drive say the file was last saved at `savedAt`. */
function savedAt(iso: string): PipelineDeps {
  const rt = s.runtime;
  return {
    ...rt,
    files: Object.assign(Object.create(rt.files), {
      meta: async (id: string) => {
        const m = await rt.files.meta(id);
        return m && { ...m, modifiedTime: new Date(Date.parse(iso)).toISOString() };
      },
    }),
  };
}

describe('the time a submission is received', () => {
  it('is when the clerk saved the sheet: ticked at 23:58 on 14/07, processed at 00:03 on 15/07, on time', async () => {
    await s.typeSubmission('ubnd-ba-dinh', ROUND);
    const r = await processUnitSheet(savedAt('2020-07-14T23:58:00+07:00'), ids['ubnd-ba-dinh']!);
    expect(r.outcome === 'processed' && r.accepted).toBe(true);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.late).toBe(false);
    expect(new Date(sub!.firstAcceptedAt).toISOString()).toBe('2020-07-14T16:58:00.000Z');
    if (r.outcome === 'processed') expect(r.statusText).toMatch(/^Đã gửi lúc 23:58 14\/07\/2020\.$/);
  });

  it('saved one second after the deadline is late, whenever it is processed', async () => {
    await s.typeSubmission('ubnd-hoan-kiem', ROUND);
    await processUnitSheet(savedAt('2020-07-15T00:00:00+07:00'), ids['ubnd-hoan-kiem']!);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-hoan-kiem');
    expect(sub?.late).toBe(true);
  });

  it('is never later than the pipeline\'s clock (a replayed or simulated campaign runs behind Google)', async () => {
    // The emulator's own modifiedTime is today's date, years after the 2020 business clock.
    await s.type('ubnd-ba-dinh', ROUND, [{ kind: 'figure', table: 'bang1', period: '2015', code: 'tuyen_truyen.dai_chung', value: 121 }]);
    const r = await s.process('ubnd-ba-dinh', ROUND);
    expect(r.outcome === 'processed' && r.accepted).toBe(true);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.acceptedAt).toBe(Date.parse('2020-07-15T00:03:00+07:00'));
    expect(sub?.versionCount).toBe(2);
    expect(sub?.late).toBe(false); // the first accepted version decides lateness
  });
});
