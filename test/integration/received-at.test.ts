/**
 * A submission counts from when the clerk saved it in Google Sheets (DOMAIN.md "Submission"),
 * never from when the pipeline got to it and never from the service account's own writes into
 * the sheet: Drive's modifiedTime moves with our feedback writes too. Google's clock (the
 * emulator's) lives here on the campaign's last day, so Drive's own times decide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChanges } from '../../functions/app/change-detection.js';
import { processUnitSheet, type PipelineDeps } from '../../functions/app/process-unit-sheet.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { LOCAL_SERVICE_ACCOUNT, registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, submissionEntries, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
const at = (iso: string) => Date.parse(iso);
let s: TestStack;
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startTestStack({ at: '2020-07-14T23:50:00+07:00', sheetsClockStartAt: at('2020-07-14T23:50:00+07:00') });
  ids = await registerUnitSheets(s, ROUND, ['ubnd-ba-dinh', 'ubnd-hoan-kiem']);
}, 60_000);
afterAll(() => s.dispose());

/** Moves Google's clock (the emulator's, which only goes forward) and the functions' clock to `iso`. */
function clocksTo(iso: string): void {
  const target = at(iso);
  const google = s.sheets.clock.now();
  if (target < google) throw new Error(`Google's clock is already past ${iso}`);
  s.sheets.clock.advance(target - google);
  s.clock.set(target);
}

const tickField = () => s.runtime.model.campaign.confirmation.fields.find((f) => f.type === 'submit-checkbox')!.code;

/** The whole submission typed by the unit's clerk, but the "Đã hoàn thành, gửi báo cáo" box left blank. */
async function typeAllButTheTick(unitId: string): Promise<void> {
  const sub = validSubmission(s.runtime.model, unitId, ROUND);
  const { [tickField()]: _tick, ...rest } = sub.confirmation;
  await s.type(unitId, ROUND, submissionEntries({ ...sub, confirmation: rest }));
}
const tick = (unitId: string) => s.type(unitId, ROUND, [{ kind: 'form', table: 'xac_nhan', field: tickField(), value: true }]);

describe('the time a submission is received', () => {
  it('is the clerk\'s save: ticked at 23:58 on 14/07, feedback for an earlier edit written at 00:01, processed at 00:03 → on time', async () => {
    await typeAllButTheTick('ubnd-ba-dinh');
    clocksTo('2020-07-14T23:55:00+07:00');
    // A run for the earlier edit reads the sheet at 23:55 (box not ticked yet); the clerk ticks
    // at 23:58 while it works; its feedback reaches the sheet at 00:01.
    const slowRun: PipelineDeps = {
      ...s.runtime,
      workbooks: Object.assign(Object.create(s.runtime.workbooks), {
        writeFeedback: async (...args: Parameters<typeof s.runtime.workbooks.writeFeedback>) => {
          clocksTo('2020-07-14T23:58:00+07:00');
          await tick('ubnd-ba-dinh');
          clocksTo('2020-07-15T00:01:00+07:00');
          return s.runtime.workbooks.writeFeedback(...args);
        },
      }),
    };
    const first = await processUnitSheet(slowRun, ids['ubnd-ba-dinh']!);
    expect(first.outcome === 'processed' && first.accepted).toBe(false);
    const afterFeedback = s.sheets.getDriveFileState(ids['ubnd-ba-dinh']!)!;
    expect(afterFeedback.lastModifyingUserEmail).toBe(LOCAL_SERVICE_ACCOUNT); // Drive's modifiedTime is now ours, 00:01
    expect(afterFeedback.modifiedTime).toBeGreaterThanOrEqual(at('2020-07-15T00:01:00+07:00'));

    clocksTo('2020-07-15T00:03:00+07:00');
    const poll = await pollChanges(s.runtime);
    expect(poll.outcomes.processed).toBe(1);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.late).toBe(false);
    expect(sub!.acceptedAt).toBeGreaterThanOrEqual(at('2020-07-14T23:58:00+07:00'));
    expect(sub!.acceptedAt).toBeLessThan(at('2020-07-14T23:59:00+07:00'));
    expect((await s.runtime.store.state(ROUND, 'ubnd-ba-dinh'))?.status).toBe('ready');
  });

  it('saved after the deadline is late, whenever it is processed', async () => {
    clocksTo('2020-07-15T00:04:00+07:00');
    await s.typeSubmission('ubnd-hoan-kiem', ROUND);
    const r = await s.process('ubnd-hoan-kiem', ROUND);
    expect(r.outcome === 'processed' && r.accepted).toBe(true);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-hoan-kiem');
    expect(sub?.late).toBe(true);
    expect(sub!.acceptedAt).toBeGreaterThanOrEqual(at('2020-07-15T00:04:00+07:00'));
  });

  it('is never later than the pipeline\'s clock (a replayed or simulated campaign runs behind Google)', async () => {
    s.clock.set('2020-07-14T22:00:00+07:00'); // Google's clock stays at 00:04 on 15/07
    await s.type('ubnd-ba-dinh', ROUND, [{ kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tuyen_truyen.dai_chung', value: 121 }]);
    const r = await s.process('ubnd-ba-dinh', ROUND);
    expect(r.outcome === 'processed' && r.accepted).toBe(true);
    const sub = await s.runtime.store.submission(ROUND, 'ubnd-ba-dinh');
    expect(sub?.acceptedAt).toBe(at('2020-07-14T22:00:00+07:00'));
    expect(sub?.versionCount).toBe(2);
    expect(sub?.late).toBe(false); // the first accepted version decides lateness
  });
});
