/**
 * `sweep --at` an instant sees only what existed then: submissions and
 * versions accepted later, mail sent later, sharing flags raised later are not seen, and every
 * finding names its round. Seen before: at 16/07/2020 the sweep listed as late a unit whose
 * lateness was in September's round, and a unit appeared "both missing and late" with no round.
 * Round ids come from the model (the campaign's rounds in order), not from this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep, submissionAsOf, sweepJson } from '../../functions/app/sweep.js';
import { model } from '../helpers/campaign.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const [FIRST, SECOND] = model.campaign.rounds.map((r) => r.id) as [string, string];
/** A district: expected in both rounds. */
const LATE_IN_SECOND = 'ubnd-ba-dinh';
const LATE_IN_FIRST = 'ubnd-tay-ho';
const REVISED = 'ubnd-cau-giay';

describe('sweep as of an instant', () => {
  let stack: TestStack;
  /** Between the two rounds' deadlines: the first round overdue, the second not yet due. */
  let between: number;
  beforeAll(async () => {
    expect(model.isExpected(LATE_IN_SECOND, SECOND) && model.isExpected(LATE_IN_FIRST, SECOND)).toBe(true);
    stack = await startTestStack({ at: '2020-07-06T08:00:00+07:00' });
    await stack.provision([FIRST, SECOND]);
    const campaignModel = stack.runtime.model;
    // On time in the first round, then revised before its lock: two versions.
    await stack.typeSubmission(REVISED, FIRST);
    await stack.process(REVISED, FIRST);
    // Late in the first round: a day after its deadline.
    stack.clock.set(campaignModel.dueAt(FIRST) + 24 * 3600_000);
    await stack.typeSubmission(LATE_IN_FIRST, FIRST);
    await stack.process(LATE_IN_FIRST, FIRST);
    stack.clock.set(campaignModel.dueAt(FIRST) + 2 * 24 * 3600_000);
    const revised = validSubmission(campaignModel, REVISED, FIRST);
    // A new head of unit signs: the content (confirmation block included) changes, nothing else.
    revised.confirmation.thu_truong = 'Lê Văn Cường';
    await stack.typeSubmission(REVISED, FIRST, revised);
    await stack.process(REVISED, FIRST);
    // Late in the second round: a day after its deadline, long after the first round's.
    between = campaignModel.dueAt(FIRST) + 3 * 24 * 3600_000;
    expect(between).toBeLessThan(campaignModel.dueAt(SECOND));
    stack.clock.set(campaignModel.dueAt(SECOND) + 24 * 3600_000);
    await stack.typeSubmission(LATE_IN_SECOND, SECOND);
    await stack.process(LATE_IN_SECOND, SECOND);
    await stack.triggersIdle();
  }, 180_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  it('the store recorded what the test typed: two versions, and a late submission in each round', async () => {
    const store = stack.runtime.store;
    expect((await store.versions(FIRST, REVISED)).map((v) => v.versionNo)).toEqual([1, 2]);
    expect((await store.submission(FIRST, LATE_IN_FIRST))?.late).toBe(true);
    expect((await store.submission(SECOND, LATE_IN_SECOND))?.late).toBe(true);
  });

  it('between the deadlines, the second round’s later submission is invisible: its unit is not late, and no finding of it exists', async () => {
    const run = await runSweep(stack.runtime, { at: between, dryRun: true });
    expect(run.late).toEqual([LATE_IN_FIRST]);
    expect(run.findings.filter((f) => f.rule === 'late').map((f) => [f.roundId, f.unitId])).toEqual([
      [FIRST, LATE_IN_FIRST],
    ]);
    // At that instant the second unit has not submitted in the first round either: missing there, named by its round.
    expect(run.byRound.find((r) => r.roundId === FIRST)?.missing).toContain(LATE_IN_SECOND);
    expect(run.byRound.find((r) => r.roundId === SECOND)).toEqual({
      roundId: SECOND,
      missing: [],
      late: [],
      dueSoon: [],
      invalid: [],
    });
    // Today (after both deadlines) the same store shows the late submission, in its own round.
    const now = await runSweep(stack.runtime, { at: model.dueAt(SECOND) + 2 * 24 * 3600_000, dryRun: true });
    expect(now.byRound.find((r) => r.roundId === SECOND)?.late).toEqual([LATE_IN_SECOND]);
  });

  it('a unit late in one round and missing in the other shows both, each with its round (also in --json)', async () => {
    const at = model.dueAt(SECOND) + 2 * 24 * 3600_000;
    const run = await runSweep(stack.runtime, { at, dryRun: true });
    const ofUnit = run.findings.filter((f) => f.unitId === LATE_IN_FIRST).map((f) => [f.roundId, f.rule]);
    expect(ofUnit).toContainEqual([FIRST, 'late']);
    expect(ofUnit).toContainEqual([SECOND, 'not-submitted']);
    expect(ofUnit.every(([roundId]) => roundId === FIRST || roundId === SECOND)).toBe(true);
    const json = sweepJson(run, model);
    expect(
      json.rounds.map((r) => [r.roundId, r.name, r.late.includes(LATE_IN_FIRST), r.missing.includes(LATE_IN_FIRST)]),
    ).toEqual([
      [FIRST, model.round(FIRST).name, true, false],
      [SECOND, model.round(SECOND).name, false, true],
    ]);
    expect(json.findings.length).toBeGreaterThan(0);
    for (const finding of json.findings) expect([FIRST, SECOND, '*']).toContain(finding.roundId);
    expect(json.quotaOverruns.every((q) => q.roundId === FIRST || q.roundId === SECOND)).toBe(true);
  });

  it('a submission revised later is seen as its version at the instant; first accepted after the instant: not seen', async () => {
    const store = stack.runtime.store;
    const current = (await store.submission(FIRST, REVISED))!;
    const [firstVersion, secondVersion] = await store.versions(FIRST, REVISED);
    expect(firstVersion!.contentHash).not.toBe(secondVersion!.contentHash);
    expect(current.versionCount).toBe(2);
    const before = await submissionAsOf(store, current, secondVersion!.acceptedAt - 1);
    expect({ versionCount: before?.versionCount, contentHash: before?.contentHash }).toEqual({
      versionCount: 1,
      contentHash: firstVersion!.contentHash,
    });
    expect((await submissionAsOf(store, current, secondVersion!.acceptedAt))?.contentHash).toBe(
      secondVersion!.contentHash,
    );
    expect(await submissionAsOf(store, current, firstVersion!.acceptedAt - 1)).toBeNull();
  });

  it('mail sent after the instant is not seen: a dry run at an earlier hour of the same window plans it again', async () => {
    const overdueDay = model.dueAt(FIRST) + 9 * 3600_000; // 09:00 of the first day overdue
    const real = await runSweep({ ...stack.runtime, now: () => overdueDay }, { at: overdueDay });
    expect(real.sent.length).toBeGreaterThan(0);
    expect((await runSweep(stack.runtime, { at: overdueDay, dryRun: true })).emails).toEqual([]);
    // An hour earlier the same reminders (same window, same keys) had not gone out yet.
    const earlier = await runSweep(stack.runtime, { at: overdueDay - 3600_000, dryRun: true });
    expect(earlier.emails.map((e) => e.subject).sort()).toEqual(real.emails.map((e) => e.subject).sort());
  });
});
