/**
 * In the demo, Google's clock is the demo's: the emulator stamps a clerk's save with the
 * simulated time (stack option sheetsTimeSource, as startSystem wires it), so a clerk who
 * ticks at 20:57 on 14/07 is recorded at 20:57, on time, however many simulated hours later
 * the pipeline gets to the sheet. The emulator's own clock meanwhile runs on real time, where
 * the quota minutes are counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pollChanges } from '../../functions/app/change-detection.js';
import { SimClock } from '../../scripts/demo/runner.js';
import { registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const ROUND = 'so-ket-2020';
const UNIT = 'ubnd-dan-phuong';
const ict = (s: string) => Date.parse(`${s}+07:00`);

let testStack: TestStack | undefined;
afterEach(async () => {
  await testStack?.dispose();
  testStack = undefined;
});

/** A clerk saves the whole report, box ticked, at 20:57 on 14/07; the poll comes at 04:43 on 15/07. */
async function tickAt2057ProcessAt0443(stack: TestStack, clock: SimClock) {
  await registerUnitSheets(stack, ROUND, [UNIT]);
  clock.jumpTo(ict('2020-07-14T20:57:00'));
  await stack.typeSubmission(UNIT, ROUND);
  clock.jumpTo(ict('2020-07-15T04:43:00'));
  const poll = await pollChanges(stack.runtime);
  expect(poll.outcomes.processed).toBe(1);
  return (await stack.runtime.store.submission(ROUND, UNIT))!;
}

describe("the clerk's save time in the demo", () => {
  it('is the simulated 20:57 when the emulator follows the demo clock: on time, though processed at 04:43', async () => {
    const clock = new SimClock(ict('2020-07-14T20:00:00'), 0);
    clock.freeze();
    testStack = await startTestStack({
      now: clock.now,
      sheetsTimeSource: clock.now,
      sheetsQuotas: true,
      sheetsClockScale: 60,
    });
    const sub = await tickAt2057ProcessAt0443(testStack, clock);
    expect(sub.acceptedAt).toBe(ict('2020-07-14T20:57:00'));
    expect(sub.late).toBe(false);
    const file = testStack.sheets.getDriveFileState(await testStack.sheetOf(UNIT, ROUND))!;
    expect(
      file.revisions?.some(
        (r) => r.modifiedTime === ict('2020-07-14T20:57:00') && r.lastModifyingUserEmail === `${UNIT}@hanoi.example`,
      ),
    ).toBe(true);
    // Quota minutes stay on the emulator's own (real, scaled) clock, not the simulated one.
    expect(testStack.sheets.clock.now()).toBeGreaterThan(Date.now() - 60_000);
  }, 120_000);

  it('falls back to the processing time, late, when Google keeps its own clock (what the demo did before)', async () => {
    const clock = new SimClock(ict('2020-07-14T20:00:00'), 0);
    clock.freeze();
    testStack = await startTestStack({ now: clock.now });
    const sub = await tickAt2057ProcessAt0443(testStack, clock);
    expect(sub.acceptedAt).toBe(ict('2020-07-15T04:43:00'));
    expect(sub.late).toBe(true);
  }, 120_000);
});
