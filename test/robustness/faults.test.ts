/**
 * When the platform misbehaves, nothing is lost. The same 30-district story is
 * played twice on one stack (Firestore emptied, fresh sheets): once without faults, once with
 *  - the Sheets/Drive emulator answering 429, 500 or timing out (the response lost, the
 *    request applied or not) on 20% of the system's requests, with a short client timeout;
 *  - the SMTP relay refusing connections during the first reminder sweep;
 *  - the processing of two sheets killed right after their evaluation was stored (before the
 *    feedback, the nominee index, the master request);
 *  - the aggregation of the late submissions lost (the trigger consumed, nothing aggregated).
 * Clerks type as always (their requests are not the system's); the system's work goes through
 * the real paths: Drive push → driveWebhook → onPollRequested, the scheduled poll, refresh,
 * reconcile and sweep jobs over HTTP. Afterwards the master (view and sheet), every unit's
 * status, submission and sheet, the nominee index, the aggregates and the mail sent are the
 * same as in the fault-free run; no reminder went out twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentMasterView } from '../../functions/app/master.js';
import { createSmtpMailer } from '../../functions/adapters/smtp-mailer.js';
import type { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { freePort } from '../../scripts/local-stack/free-port.js';
import { validSubmission, type Submission } from '../helpers/fill-workbook.js';
import { storedCollection } from '../helpers/store-documents.js';
import {
  aggregateMeaning,
  districtIds,
  everyCell,
  expectSameOutcome,
  provisionMaster,
  pushAndPoll,
  registerUnitSheets,
  tabValues,
  withSheetUrlsByOwner,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const SO_KET = 'so-ket-2020';
const DISTRICTS = districtIds();
const ON_TIME = DISTRICTS.slice(0, 15);
const WITH_ERRORS = DISTRICTS.slice(15, 18);
const LATER = DISTRICTS.slice(18, 24);
const LATE = DISTRICTS.slice(24);
/** Whose processing is killed right after its evaluation is stored. */
const KILLED = LATER.slice(0, 2);
const FAULTS = { rate429: 0.08, rate500: 0.07, timeoutRate: 0.05, timeoutHoldMs: 1_500, seed: 20_200_715 };
const GOOGLE_TIMEOUT_MS = 600;

let stack: TestStack;
type Outcome = Awaited<ReturnType<typeof outcome>>;
const runs: { clean?: Outcome; faulty?: Outcome } = {};
const faultLog: {
  injected: Record<string, number>;
  sweeps: { sent: number; failed: number }[];
  killed: string[];
  lostBeforeReconcile: number;
} = { injected: {}, sweeps: [], killed: [], lostBeforeReconcile: 0 };

beforeAll(async () => {
  stack = await startTestStack({ googleTimeoutMs: GOOGLE_TIMEOUT_MS, at: '2020-07-08T08:00:00+07:00' });
}, 60_000);
afterAll(async () => {
  stack?.sheets.faults.clear();
  await stack?.triggersIdle();
  await stack?.dispose();
});

function withError(unitId: string): Submission {
  const sub = validSubmission(stack.runtime.model, unitId, SO_KET);
  sub.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = 'khoảng 120';
  return sub;
}

/** A scheduled job as Cloud Scheduler runs it: a failed attempt is tried again. */
async function job(name: string, body: Record<string, unknown> = {}): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stack.fire(name, body);
    } catch (e) {
      if (attempt >= 5) throw e;
    }
  }
}

/** The poll job until a run finds nothing more to process. */
async function drain(): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const outcome = (await job('poll-changes')) as { outcomes: Record<string, number> };
    if (!outcome.outcomes.processed) return;
  }
  throw new Error('the change feed never drained');
}

async function play(faulty: boolean) {
  const runtime = stack.runtime;
  await stack.triggersIdle();
  await runtime.store.deleteAll();
  await stack.triggersIdle();
  stack.clock.set('2020-07-08T08:00:00+07:00');
  const sheetIds = await registerUnitSheets(stack, SO_KET, DISTRICTS);
  await provisionMaster(stack);
  const mailsBefore = (await stack.listEmails()).length;
  const logBefore = stack.sheets.log.at(-1)?.seq ?? 0;
  const faultsOn = () => faulty && stack.sheets.faults.set(FAULTS);
  const faultsOff = () => stack.sheets.faults.clear();

  const sweep = async (at: string) => {
    stack.clock.set(at);
    return (await job('compliance-sweep', { at })) as { sent: number; failed: number };
  };

  /** Clerks type at `at`; then the system, under faults, notices and processes. */
  const phase = async (
    at: string,
    typing: [string, Submission][],
    opts: { kill?: string[]; loseAggregation?: boolean } = {},
  ) => {
    stack.clock.set(at);
    for (const [unitId, sub] of typing) await stack.typeSubmission(unitId, SO_KET, sub);
    const store = runtime.store as FirestoreStore & Record<string, unknown>;
    const realCommit = store.commitEvaluation;
    const realSubmission = store.submission;
    const toKill = new Set((opts.kill ?? []).map((u) => sheetIds[u]!));
    if (toKill.size) {
      // The instance dies right after the transaction that stored the evaluation.
      store.commitEvaluation = async function (this: FirestoreStore, input) {
        const result = await realCommit.call(this, input);
        const id = input.spreadsheetId;
        if (id && toKill.delete(id)) {
          faultLog.killed.push(input.state.unitId);
          throw new Error('instance killed after storing the evaluation');
        }
        return result;
      } as FirestoreStore['commitEvaluation'];
    }
    // The aggregation trigger runs but finds nothing: its event is consumed and lost.
    if (opts.loseAggregation) store.submission = (async () => null) as FirestoreStore['submission'];
    faultsOn();
    try {
      const pushed = await pushAndPoll(stack, 'kenh-su-co');
      expect(pushed.status).toBe(202);
      await drain();
      await stack.triggersIdle();
      await job('refresh-master');
    } finally {
      faultsOff();
      store.commitEvaluation = realCommit;
      store.submission = realSubmission;
    }
  };

  // 08/07 08:00, d-7: the first sweep; in the faulty run the SMTP relay refuses connections.
  if (faulty) {
    const dead = await createSmtpMailer({
      host: '127.0.0.1',
      port: await freePort(),
      secure: false,
      from: 'x <x@hanoi.example>',
      connectionTimeoutMs: 1_000,
    });
    stack.useRuntime({ ...runtime, mailer: dead });
    try {
      faultLog.sweeps.push(await sweep('2020-07-08T08:00:00+07:00'));
    } finally {
      stack.useRuntime(runtime);
      dead.close();
    }
  } else await sweep('2020-07-08T08:00:00+07:00');
  // 09:00: the next sweep delivers whatever the first could not.
  const retried = await sweep('2020-07-08T09:00:00+07:00');
  if (faulty) faultLog.sweeps.push(retried);

  // 10/07: fifteen districts submit; three with an error.
  await phase('2020-07-10T09:00:00+07:00', [
    ...ON_TIME.map((u) => [u, validSubmission(runtime.model, u, SO_KET)] as [string, Submission]),
    ...WITH_ERRORS.map((u) => [u, withError(u)] as [string, Submission]),
  ]);
  // 14/07: the errors fixed, six more; two processings killed after storing.
  await phase(
    '2020-07-14T10:00:00+07:00',
    [...WITH_ERRORS, ...LATER].map((u) => [u, validSubmission(runtime.model, u, SO_KET)]),
    faulty ? { kill: KILLED } : {},
  );
  // 15/07 08:00: overdue notices.
  await sweep('2020-07-15T08:00:00+07:00');
  // 16/07: six late submissions, whose aggregation is lost in the faulty run.
  await phase(
    '2020-07-16T09:00:00+07:00',
    LATE.map((u) => [u, validSubmission(runtime.model, u, SO_KET)]),
    faulty ? { loseAggregation: true } : {},
  );

  // 16/07 12:00: the scheduled repair and refresh, under faults too.
  stack.clock.set('2020-07-16T12:00:00+07:00');
  if (faulty) faultLog.lostBeforeReconcile = (await runtime.store.aggregate(SO_KET, 'ha-noi'))?.contributors ?? 0;
  faultsOn();
  try {
    await job('reconcile');
    await job('refresh-master');
  } finally {
    faultsOff();
  }
  await stack.triggersIdle();
  if (faulty)
    for (const entry of stack.sheets.log.filter((x) => x.seq > logBefore && x.fault))
      faultLog.injected[entry.fault!] = (faultLog.injected[entry.fault!] ?? 0) + 1;
  return outcome(sheetIds, mailsBefore);
}

async function outcome(sheetIds: Record<string, string>, mailsBefore: number) {
  const { store } = stack.runtime;
  const urlToUnit = new Map<string, string>();
  for (const reg of await store.allUnitSheets()) urlToUnit.set(reg.url, reg.unitId);
  const master = await store.meta('master');
  urlToUnit.set(master.url ?? '', 'master');
  const masterSheet = stack.sheets.getSpreadsheetState(master.spreadsheetId!)!;
  const mails = (await stack.listEmails()).slice(mailsBefore).map((m) => ({ to: m.to.join(','), subject: m.subject }));
  const reminders = (await storedCollection(stack.runtime, 'reminders').get()).docs.map((d) => ({
    id: d.id,
    ...(d.data() as { status: string; keys?: string[]; messageKey?: string }),
  }));
  return {
    masterView: withSheetUrlsByOwner(await currentMasterView(stack.runtime, stack.clock.now), urlToUnit),
    // When it was last rebuilt may differ (a repair asks for one more refresh); what it shows may not.
    masterSheet: JSON.parse(
      JSON.stringify(
        withSheetUrlsByOwner(
          masterSheet.sheets.map((t) => ({
            title: t.properties.title,
            rows: tabValues(masterSheet, t.properties.title),
          })),
          urlToUnit,
        ),
      ).replace(/Cập nhật: \d\d:\d\d \d\d\/\d\d\/\d{4}/g, 'Cập nhật: …'),
    ) as { title: string; rows: unknown[][] }[],
    states: Object.fromEntries(
      (await store.statesOfRound(SO_KET)).map((state) => {
        // The file a state was read from, its Drive version and Google's clock when the clerk
        // saved differ between runs by construction.
        const { spreadsheetId: _spreadsheetId, seenVersion: _version, clerkSavedAt: _saved, ...rest } = state;
        return [state.unitId, rest];
      }),
    ),
    submissions: Object.fromEntries(
      (await store.submissionsOfRound(SO_KET)).map((sub) => {
        const { sourceVersion: _version, ...rest } = sub;
        return [sub.unitId, rest];
      }),
    ),
    versions: Object.fromEntries(
      await Promise.all(
        DISTRICTS.map(
          async (u) => [u, (await store.versions(SO_KET, u)).map(({ sourceVersion: _v, ...rest }) => rest)] as const,
        ),
      ),
    ),
    nominees: await store.nomineeIndex(SO_KET),
    aggregates: aggregateMeaning(await store.aggregatesOfRound(SO_KET)),
    flags: (await storedCollection(stack.runtime, 'flags').get()).docs
      .map((d) => ({ id: d.id, ...d.data(), at: undefined }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    /** What each clerk sees: every cell of every tab, value, note and colour. */
    sheets: Object.fromEntries(
      DISTRICTS.map((unit) => {
        const spreadsheetState = stack.sheets.getSpreadsheetState(sheetIds[unit]!)!;
        return [unit, everyCell(spreadsheetState)];
      }),
    ),
    mails: mails.sort((a, b) => `${a.to}|${a.subject}`.localeCompare(`${b.to}|${b.subject}`)),
    sentKeys: reminders
      .filter((r) => !r.id.startsWith('msg__') && r.status === 'sent')
      .map((r) => r.id)
      .sort(),
    messages: reminders.filter((r) => r.id.startsWith('msg__')),
  };
}

describe('the 30-district story, without and with faults', () => {
  // Both runs are played before any test, so each test below can run alone (-t) and reads
  // finished outcomes; the faulty run is played second on the same stack, as before.
  beforeAll(async () => {
    runs.clean = await play(false);
    runs.faulty = await play(true);
  }, 300_000);

  it('runs cleanly without faults', () => {
    const clean = runs.clean!;
    expect(Object.keys(clean.submissions)).toHaveLength(30);
    expect(Object.values(clean.submissions).filter((x) => x.late)).toHaveLength(LATE.length);
    const city = clean.aggregates.find((a) => a.nodeId === 'ha-noi');
    expect(city?.contributors).toBe(30);
    // The master's headline is the 30 districts' figures, the same the city's aggregate node holds.
    expect(clean.masterView.rounds[0]!.totals).toEqual(city!.totals);
    expect(clean.masterView.rounds[0]!.totals.bang1?.['tuyen_truyen.dai_chung']).toBeGreaterThan(0);
  });

  it('runs again with Sheets/Drive errors and timeouts on 20% of requests, SMTP down, a killed processing and lost aggregations', () => {
    // The faults really happened.
    expect(faultLog.injected.rate429).toBeGreaterThan(5);
    expect(faultLog.injected.rate500).toBeGreaterThan(5);
    expect(faultLog.injected.timeout).toBeGreaterThan(2);
    expect(faultLog.sweeps[0]).toMatchObject({ sent: 0, failed: 75 });
    expect(faultLog.sweeps[1]).toMatchObject({ sent: 75, failed: 0 });
    expect(faultLog.killed.sort()).toEqual([...KILLED].sort());
    // The late submissions were stored but never aggregated, until reconcile.
    expect(faultLog.lostBeforeReconcile).toBe(30 - LATE.length);
  });

  it('the master sheet and its view are the same', () => {
    const { clean, faulty } = runs as Required<typeof runs>;
    expect(faulty.masterView).toEqual(clean.masterView);
    expect(faulty.masterSheet).toEqual(clean.masterSheet);
    const status = clean.masterSheet.find((t) => t.title === 'Tình trạng nộp')!.rows;
    expect(status.flat()).toEqual(expect.arrayContaining(['Đúng hạn', 'Nộp muộn']));
  });

  it('every unit’s status, accepted submission, history and sheet are the same; aggregates and nominees too', () => {
    const { clean, faulty } = runs as Required<typeof runs>;
    expectSameOutcome(
      faulty,
      clean,
      ['states', 'submissions', 'versions', 'aggregates', 'nominees', 'flags'],
      ['sheets'],
    );
    // What the killed units' clerks see: the submission acknowledged, as in the clean run.
    const statusOf = (o: Outcome, u: string) => o.sheets[u]!.find((t) => t.title === 'Hướng dẫn')!.cells[1]![2]!.value;
    for (const unit of KILLED) expect(statusOf(faulty, unit)).toBe('Đã gửi lúc 10:00 14/07/2020.');
  });

  it('the same mail went out, and no reminder twice', () => {
    const { clean, faulty } = runs as Required<typeof runs>;
    expect(faulty.mails).toEqual(clean.mails);
    expect(faulty.sentKeys).toEqual(clean.sentKeys);
    for (const run of [clean, faulty]) {
      // Every message record was sent, each reminder key by exactly one message, one mail per message.
      expect(run.messages.every((m) => m.status === 'sent')).toBe(true);
      const keys = run.messages.flatMap((m) => m.keys ?? []);
      expect(new Set(keys).size).toBe(keys.length);
      expect(run.mails).toHaveLength(run.messages.length);
    }
    expect(clean.mails.length).toBeGreaterThan(75 + 30);
  });
});
