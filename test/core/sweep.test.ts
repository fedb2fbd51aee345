/**
 * The compliance sweep's pure rules: who has not done what by when, at an instant
 * in Asia/Ho_Chi_Minh. Instants are taken a second either side of each deadline ("trước ngày
 * 15/7/2020" read strictly: on time through 14/07/2020 23:59:59 ICT = 16:59:59 UTC), across
 * UTC midnight, at each reminder offset and at the lock; nominations come from real workbook
 * evaluations, one quota row or eligibility criterion broken at a time; every Vietnamese
 * wording that names a campaign fact must come from the schema (checked on a renamed copy and
 * on the second campaign, which has no nominations and reads its deadline 'by-date').
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import {
  reminderWindow,
  sweep,
  type SweepInput,
  type SweepResult,
  type SweepUnitInput,
} from '../../functions/core/sweep.js';
import { parseCampaign } from '../../sheets-schema/index.js';
import { SECOND_CAMPAIGN_FILE, model, modifiedModel, unitsOfKind } from '../helpers/campaign.js';
import { ELIGIBLE_TITLES, filledGrid, nomineeRow, type NomineeSpec } from '../helpers/fill-workbook.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';
const time = (iso: string) => Date.parse(iso);
const url = (roundId: string, unitId: string) => `https://docs.google.com/spreadsheets/d/${roundId}--${unitId}/edit`;

type State = NonNullable<SweepUnitInput['state']>;
/** What is known of one unit in one round: its workbook state and when (if ever) its first version was accepted. */
interface Facts {
  state?: State;
  submittedAt?: string;
}

/** The sweep's input at `iso`, as the adapter gathers it: every unit with a workbook; a submission only once it happened. */
function inputAt(
  iso: string,
  facts: Record<string, Record<string, Facts>> = {},
  campaignModel: CampaignModel = model,
  extra: Partial<SweepInput> = {},
): SweepInput {
  const now = time(iso);
  return {
    now,
    shortlisted: [],
    ...extra,
    rounds: campaignModel.campaign.rounds.map((r) => ({
      roundId: r.id,
      units: campaignModel.campaign.units
        .filter((u) => campaignModel.hasWorkbook(u.id, r.id))
        .map((unit) => {
          const unitFacts = facts[r.id]?.[unit.id] ?? {};
          const at = unitFacts.submittedAt ? time(unitFacts.submittedAt) : null;
          return {
            unitId: unit.id,
            state: unitFacts.state ?? null,
            submission:
              at !== null && at <= now
                ? { firstAcceptedAt: at, late: at >= campaignModel.dueAt(r.id), versionCount: 1 }
                : null,
            sheetUrl: url(r.id, unit.id),
          };
        }),
    })),
  };
}

const run = (
  iso: string,
  facts: Record<string, Record<string, Facts>> = {},
  m: CampaignModel = model,
  extra: Partial<SweepInput> = {},
) => sweep(m, inputAt(iso, facts, m, extra));
const mailTo = (r: SweepResult, unitId: string) => r.emails.find((e) => e.kind === 'unit' && e.unitId === unitId);
const digestOf = (r: SweepResult) => r.emails.find((e) => e.kind === 'digest');
const findingsOf = (r: SweepResult, unitId: string, roundId = SO_KET) =>
  r.findings.filter((f) => f.unitId === unitId && f.roundId === roundId).map((f) => [f.rule, f.window]);

/** The state the pipeline stores for an evaluated workbook (what the adapter hands the sweep). */
function stateOf(evaluation: Evaluation): State {
  return {
    status: evaluation.status,
    errors: evaluation.errors,
    warnings: evaluation.warnings,
    pendingCount: evaluation.pending.length,
    quotaOverruns: evaluation.quotaOverruns.map(({ excess, ...o }) => o),
    nominations: evaluation.nominations,
    dossierMissing: evaluation.dossierMissing,
  };
}
async function nominationsState(
  unitId: string,
  specs: NomineeSpec[],
  edit?: (s: Parameters<NonNullable<Parameters<typeof filledGrid>[3]>>[0]) => void,
): Promise<State> {
  const grid = await filledGrid(model, unitId, SO_KET, (submission) => {
    submission.lists.khen_thuong = specs.map((n) => nomineeRow(model, n));
    edit?.(submission);
  });
  return stateOf(evaluateWorkbook(model, unitId, SO_KET, grid));
}

const INVALID: State = {
  status: 'invalid',
  errors: 3,
  warnings: 1,
  pendingCount: 0,
  quotaOverruns: [],
  nominations: [],
  dossierMissing: [],
};
const DRAFT: State = {
  status: 'draft',
  errors: 0,
  warnings: 0,
  pendingCount: 4,
  quotaOverruns: [],
  nominations: [],
  dossierMissing: [],
};

const EXPECTED_SO_KET = [
  ...unitsOfKind(model, 'district'),
  ...unitsOfKind(model, 'district-police'),
  ...unitsOfKind(model, 'catp-department'),
  ...unitsOfKind(model, 'catp-security-department'),
  ...unitsOfKind(model, 'sector'),
];
const EXPECTED_BO_SUNG = [...unitsOfKind(model, 'district'), ...unitsOfKind(model, 'sector')];
const sorted = (xs: string[]) => [...xs].sort();
const without = (xs: string[], ...drop: string[]) => sorted(xs.filter((x) => !drop.includes(x)));

describe('who is expected in each round', () => {
  it('so-ket-2020: 30 districts, 30 district police, 4 CATP departments, 10 sectors', () => {
    expect(EXPECTED_SO_KET).toHaveLength(74);
    const result = run('2020-07-15T08:00:00+07:00');
    expect(sorted(result.missing)).toEqual(sorted(EXPECTED_SO_KET));
  });

  it('bo-sung-2020: districts and sectors (Bảng 1 is required of a sector; its only optional table, Bảng 2, does not make it optional)', () => {
    expect(model.tablesFor('mttq-tp', BO_SUNG).map((x) => [x.table.id, x.requirement])).toEqual([
      ['bang1', 'required'],
      ['bang2', 'optional'],
      ['hoat_dong', 'required'],
    ]);
    const result = run('2020-09-04T08:00:00+07:00');
    const overdueIn = (res: SweepResult, roundId: string) =>
      sorted(res.findings.filter((f) => f.roundId === roundId && f.rule === 'not-submitted').map((f) => f.unitId));
    expect(overdueIn(result, BO_SUNG)).toEqual(sorted(EXPECTED_BO_SUNG));
    // `missing` lists units missing in any round: so-ket-2020 is locked by then, so the district police are there for it.
    expect(sorted(result.missing)).toEqual(sorted(EXPECTED_SO_KET));
    expect(mailTo(result, 'mttq-tp')?.text).toContain('BÁO CÁO BỔ SUNG');
    expect(mailTo(result, 'ca-ba-dinh')?.text).not.toContain('BÁO CÁO BỔ SUNG');
  });

  it('a unit whose tables in a round are all optional is not expected there: no flag, no mail, not missing', () => {
    const model = modifiedModel((raw) => {
      const sector = raw.unitKinds.find((k: { id: string }) => k.id === 'sector');
      sector.tables.bang1 = 'optional';
      sector.tables.hoat_dong = 'optional';
    });
    expect(model.hasWorkbook('mttq-tp', BO_SUNG)).toBe(true);
    expect(model.isExpected('mttq-tp', BO_SUNG)).toBe(false);
    const result = run('2020-09-04T08:00:00+07:00', {}, model);
    expect(sorted(result.findings.filter((f) => f.roundId === BO_SUNG).map((f) => f.unitId))).toEqual(
      sorted(unitsOfKind(model, 'district')),
    );
    expect(result.findings.filter((f) => f.unitId === 'mttq-tp' && f.roundId === BO_SUNG)).toEqual([]);
    // mttq-tp is still expected in so-ket-2020 (locked by then); its final notice names only that round.
    expect(mailTo(result, 'mttq-tp')?.text).not.toContain('BÁO CÁO BỔ SUNG');
  });
});

describe('reminder windows in ICT (default offsets 7, 2 and 0 days before; overdue every 3 days; then the lock)', () => {
  const win = (roundId: string, iso: string) => reminderWindow(model, roundId, time(iso), [7, 2, 0], 3);
  it.each([
    [SO_KET, '2020-07-06T23:59:59+07:00', null],
    [SO_KET, '2020-07-07T00:00:00+07:00', { kind: 'before', offset: 7 }],
    // Across UTC midnight: 16:59:59 UTC on the 6th is 23:59:59 on the 6th in Hà Nội; a second later it is the 7th.
    [SO_KET, '2020-07-06T16:59:59Z', null],
    [SO_KET, '2020-07-06T17:00:00Z', { kind: 'before', offset: 7 }],
    [SO_KET, '2020-07-11T23:59:59+07:00', { kind: 'before', offset: 7 }],
    [SO_KET, '2020-07-12T00:00:00+07:00', { kind: 'before', offset: 2 }],
    [SO_KET, '2020-07-13T23:59:59+07:00', { kind: 'before', offset: 2 }],
    [SO_KET, '2020-07-14T00:00:00+07:00', { kind: 'before', offset: 0 }],
    // 23:30 UTC on the 13th is already 06:30 on the 14th in Hà Nội: the last day, not "2 days before".
    [SO_KET, '2020-07-13T23:30:00Z', { kind: 'before', offset: 0 }],
    [SO_KET, '2020-07-14T23:59:59+07:00', { kind: 'before', offset: 0 }],
    [SO_KET, '2020-07-14T16:59:59Z', { kind: 'before', offset: 0 }],
    [SO_KET, '2020-07-15T00:00:00+07:00', { kind: 'overdue', index: 0 }],
    [SO_KET, '2020-07-14T17:00:00Z', { kind: 'overdue', index: 0 }],
    [SO_KET, '2020-07-17T23:59:59+07:00', { kind: 'overdue', index: 0 }],
    [SO_KET, '2020-07-18T00:00:00+07:00', { kind: 'overdue', index: 1 }],
    [SO_KET, '2020-07-21T23:59:59+07:00', { kind: 'overdue', index: 2 }],
    [SO_KET, '2020-07-22T00:00:00+07:00', { kind: 'locked' }],
    [SO_KET, '2021-01-01T00:00:00+07:00', { kind: 'locked' }],
    [BO_SUNG, '2020-07-15T08:00:00+07:00', null],
    [BO_SUNG, '2020-08-26T23:59:59+07:00', null],
    [BO_SUNG, '2020-08-27T00:00:00+07:00', { kind: 'before', offset: 7 }],
    [BO_SUNG, '2020-09-03T23:59:59+07:00', { kind: 'before', offset: 0 }],
    [BO_SUNG, '2020-09-04T00:00:00+07:00', { kind: 'overdue', index: 0 }],
    [BO_SUNG, '2020-09-10T23:59:59+07:00', { kind: 'overdue', index: 2 }],
    [BO_SUNG, '2020-09-11T00:00:00+07:00', { kind: 'locked' }],
  ])('%s at %s', (roundId, iso, expected) => {
    expect(win(roundId, iso)).toEqual(expected);
  });

  it('offsets and the overdue interval are settings (options override the schema)', () => {
    expect(reminderWindow(model, SO_KET, time('2020-07-11T08:00:00+07:00'), [3], 1)).toEqual({
      kind: 'before',
      offset: 3,
    });
    expect(reminderWindow(model, SO_KET, time('2020-07-10T08:00:00+07:00'), [3], 1)).toBeNull();
    expect(reminderWindow(model, SO_KET, time('2020-07-16T08:00:00+07:00'), [3], 1)).toEqual({
      kind: 'overdue',
      index: 1,
    });
    const result = run('2020-07-10T08:00:00+07:00', {}, model, { options: { daysBefore: [3] } });
    expect(result.emails).toEqual([]);
    expect(result.dueSoon).toEqual([]);
    const shorterRun = run('2020-07-11T08:00:00+07:00', {}, model, { options: { daysBefore: [3] } });
    expect(shorterRun.findings.find((f) => f.unitId === 'ubnd-ba-dinh')?.window).toBe('d-3');
  });

  it("the 'by-date' reading (a schema setting) moves every window a day", () => {
    const byDate = modifiedModel((raw) => (raw.deadlineReading = 'by-date'));
    expect(reminderWindow(byDate, SO_KET, time('2020-07-14T23:59:59+07:00'), [7, 2, 0], 3)).toEqual({
      kind: 'before',
      offset: 2,
    });
    expect(reminderWindow(byDate, SO_KET, time('2020-07-15T23:59:59+07:00'), [7, 2, 0], 3)).toEqual({
      kind: 'before',
      offset: 0,
    });
    expect(reminderWindow(byDate, SO_KET, time('2020-07-16T00:00:00+07:00'), [7, 2, 0], 3)).toEqual({
      kind: 'overdue',
      index: 0,
    });
  });
});

describe('a second either side of the deadline (14/07/2020 23:59:59 ICT)', () => {
  const facts = {
    [SO_KET]: {
      'ubnd-ba-dinh': { submittedAt: '2020-07-10T09:12:00+07:00' },
      'ubnd-hoan-kiem': { state: INVALID },
      'ubnd-tay-ho': { state: DRAFT },
      'ubnd-long-bien': { submittedAt: '2020-07-14T23:59:59+07:00' },
      'ubnd-cau-giay': { submittedAt: '2020-07-15T00:00:00+07:00' },
    },
  };

  it('at 23:59:59 on the 14th: nobody is missing; every unit not yet in is due soon; a submission that second is on time', () => {
    const result = run('2020-07-14T23:59:59+07:00', facts);
    expect(result.missing).toEqual([]);
    expect(result.late).toEqual([]);
    expect(sorted(result.dueSoon)).toEqual(without(EXPECTED_SO_KET, 'ubnd-ba-dinh', 'ubnd-long-bien'));
    expect(result.invalid).toEqual(['ubnd-hoan-kiem']);
    expect(findingsOf(result, 'ubnd-hoan-kiem')).toEqual([
      ['not-submitted', 'd-0'],
      ['invalid', 'd-0'],
    ]);
    expect(findingsOf(result, 'ubnd-tay-ho')).toEqual([
      ['not-submitted', 'd-0'],
      ['draft', 'd-0'],
    ]);
    expect(findingsOf(result, 'ubnd-long-bien')).toEqual([]);
    expect(mailTo(result, 'ubnd-ba-dinh')).toBeUndefined();
    expect(mailTo(result, 'ubnd-long-bien')).toBeUndefined();
    expect(mailTo(result, 'ubnd-hoan-kiem')?.subject).toBe(
      '[Sơ kết QĐ 521 (2015–2020)] Nhắc hạn gửi báo cáo: UBND quận Hoàn Kiếm',
    );
  });

  it('one second later (00:00:00 on the 15th, 17:00:00 UTC on the 14th): everyone not in is missing, and a first submission now is late', () => {
    const result = run('2020-07-15T00:00:00+07:00', facts);
    expect(result.at).toBe('2020-07-14T17:00:00.000Z');
    expect(sorted(result.missing)).toEqual(without(EXPECTED_SO_KET, 'ubnd-ba-dinh', 'ubnd-long-bien', 'ubnd-cau-giay'));
    expect(result.dueSoon).toEqual([]);
    expect(result.late).toEqual(['ubnd-cau-giay']);
    expect(result.findings.filter((f) => f.rule === 'late')).toEqual([
      {
        roundId: SO_KET,
        unitId: 'ubnd-cau-giay',
        rule: 'late',
        window: 'flag',
        reason: 'Nộp muộn: gửi lần đầu lúc 00:00 15/07/2020, hạn là trước ngày 15/07/2020.',
        key: 'so-ket-2020__ubnd-cau-giay__late__flag',
      },
    ]);
    expect(findingsOf(result, 'ubnd-hoan-kiem')).toEqual([
      ['not-submitted', 'overdue-0'],
      ['invalid', 'overdue-0'],
    ]);
    expect(mailTo(result, 'ubnd-hoan-kiem')?.subject).toBe(
      '[Sơ kết QĐ 521 (2015–2020)] Báo cáo đã quá hạn: UBND quận Hoàn Kiếm',
    );
    expect(mailTo(result, 'ubnd-cau-giay')).toBeUndefined();
    const digest = digestOf(result)!;
    expect(digest.text).toContain(
      '  Phải nộp: 74. Đã nộp: 3 (đúng hạn 2, muộn 1). Chưa nộp (quá hạn): 71, trong đó còn lỗi: 1.',
    );
    expect(digest.text).toContain('  Nộp muộn: UBND quận Cầu Giấy (00:00 15/07/2020).');
    expect(digest.keys).toEqual(['digest__2020-07-15']);
  });

  it('across UTC midnight: 23:30 UTC on the 14th is 06:30 on the 15th in Hà Nội, overdue; the digest is dated the 15th', () => {
    const result = run('2020-07-14T23:30:00Z', facts);
    expect(result.missing).toContain('ubnd-hoan-kiem');
    expect(digestOf(result)?.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Tổng hợp tình hình báo cáo ngày 15/07/2020');
    // …while 23:30 UTC on the 13th is already the last day (d-0), not two days before.
    const early = run('2020-07-13T23:30:00Z', facts);
    expect(early.missing).toEqual([]);
    expect(findingsOf(early, 'ubnd-hoan-kiem')[0]).toEqual(['not-submitted', 'd-0']);
    expect(digestOf(early)?.keys).toEqual(['digest__2020-07-14']);
  });

  it('bo-sung-2020: 03/09/2020 23:59:59 is on time, 04/09/2020 00:00:00 is late', () => {
    const boSungSubmissions = {
      [BO_SUNG]: {
        'ubnd-ba-dinh': { submittedAt: '2020-09-03T23:59:59+07:00' },
        'ubnd-hoan-kiem': { submittedAt: '2020-09-04T00:00:00+07:00' },
      },
    };
    const before = run('2020-09-03T23:59:59+07:00', boSungSubmissions);
    expect(before.findings.filter((f) => f.roundId === BO_SUNG && f.rule === 'late')).toEqual([]);
    expect(
      before.findings.filter((f) => f.roundId === BO_SUNG && f.unitId === 'ubnd-dong-da').map((f) => f.window),
    ).toEqual(['d-0']);
    const after = run('2020-09-04T00:00:00+07:00', boSungSubmissions);
    expect(after.late).toEqual(['ubnd-hoan-kiem']);
    expect(after.findings.find((f) => f.roundId === BO_SUNG && f.rule === 'late')?.reason).toBe(
      'Nộp muộn: gửi lần đầu lúc 00:00 04/09/2020, hạn là trước ngày 04/09/2020.',
    );
    expect(
      after.findings.filter((f) => f.roundId === BO_SUNG && f.unitId === 'ubnd-dong-da').map((f) => f.window),
    ).toEqual(['overdue-0']);
  });
});

describe('every finding names its round', () => {
  it('a unit late in one round and missing in the other is listed in each round for what it is there', () => {
    const [first, second] = model.campaign.rounds.map((r) => r.id) as [string, string];
    const at = model.dueAt(second) + 24 * 3600_000;
    const result = sweep(model, {
      ...inputAt(new Date(at).toISOString()),
      rounds: inputAt(new Date(at).toISOString()).rounds.map((round) => ({
        ...round,
        units: round.units.map((u) =>
          round.roundId === first && u.unitId === 'ubnd-ba-dinh'
            ? { ...u, submission: { firstAcceptedAt: model.dueAt(first) + 3600_000, late: true, versionCount: 1 } }
            : u,
        ),
      })),
    });
    const byRound = Object.fromEntries(result.byRound.map((x) => [x.roundId, x]));
    expect(byRound[first]!.late).toEqual(['ubnd-ba-dinh']);
    expect(byRound[first]!.missing).not.toContain('ubnd-ba-dinh');
    expect(byRound[second]!.missing).toContain('ubnd-ba-dinh');
    expect(byRound[second]!.late).toEqual([]);
    expect(result.findings.filter((f) => f.unitId === 'ubnd-ba-dinh').map((f) => [f.roundId, f.rule])).toEqual([
      [first, 'late'],
      [second, 'not-submitted'],
    ]);
    // The digest says which round each list is of: the late unit under the first round's heading only.
    const digest = digestOf(result)!.text;
    const firstSection = digest.slice(
      digest.indexOf(model.round(first).name.toUpperCase()),
      digest.indexOf(model.round(second).name.toUpperCase()),
    );
    expect(firstSection).toContain('Nộp muộn: UBND quận Ba Đình');
  });
});

describe('escalation after the due time, and the lock', () => {
  it('an overdue notice every 3 days (a new key each interval), then one final notice at the lock', () => {
    const keysOn = (iso: string) => mailTo(run(iso), 'ubnd-ba-dinh')!.keys;
    expect(keysOn('2020-07-15T08:00:00+07:00')).toEqual(['so-ket-2020__ubnd-ba-dinh__not-submitted__overdue-0']);
    expect(keysOn('2020-07-17T16:00:00+07:00')).toEqual(['so-ket-2020__ubnd-ba-dinh__not-submitted__overdue-0']);
    expect(keysOn('2020-07-18T08:00:00+07:00')).toEqual(['so-ket-2020__ubnd-ba-dinh__not-submitted__overdue-1']);
    expect(keysOn('2020-07-21T23:59:59+07:00')).toEqual(['so-ket-2020__ubnd-ba-dinh__not-submitted__overdue-2']);
    expect(keysOn('2020-07-22T00:00:00+07:00')).toEqual(['so-ket-2020__ubnd-ba-dinh__final-missing__final']);
  });

  it('an interval already told is not planned again (keys delivered are passed in)', () => {
    const first = run('2020-07-15T08:00:00+07:00');
    const sent = first.emails.flatMap((e) => e.keys);
    const again = run('2020-07-17T16:00:00+07:00', {}, model, { sent });
    expect(again.emails.filter((e) => e.kind === 'unit')).toEqual([]);
    // …but the coordinators get that day's digest: the units are still missing and appear in it.
    expect(digestOf(again)?.keys).toEqual(['digest__2020-07-17']);
    expect(digestOf(again)?.text).toContain('Chưa nộp (quá hạn): UBND quận Ba Đình; ');
    const next = run('2020-07-18T08:00:00+07:00', {}, model, { sent });
    expect(next.emails.filter((e) => e.kind === 'unit')).toHaveLength(74);
  });

  it('after the lock: the final missing list; state problems are no longer chased; the final notice is said once', () => {
    const facts = {
      [SO_KET]: { 'ubnd-ba-dinh': { submittedAt: '2020-07-16T10:00:00+07:00' }, 'ubnd-hoan-kiem': { state: INVALID } },
    };
    const result = run('2020-07-22T00:00:00+07:00', facts);
    expect(sorted(result.missing)).toEqual(without(EXPECTED_SO_KET, 'ubnd-ba-dinh'));
    expect(result.late).toEqual(['ubnd-ba-dinh']);
    expect(findingsOf(result, 'ubnd-hoan-kiem')).toEqual([['final-missing', 'final']]);
    const mail = mailTo(result, 'ubnd-hoan-kiem')!;
    expect(mail.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Đã khóa sổ, đơn vị chưa gửi báo cáo: UBND quận Hoàn Kiếm');
    expect(mail.text).toContain(
      'Đợt báo cáo đã khóa sổ lúc 00:00 thứ Tư, 22/07/2020. Đề nghị đơn vị liên hệ Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố) để được hướng dẫn.',
    );
    expect(mail.text).toContain('  - Đợt báo cáo đã khóa sổ mà hệ thống chưa nhận được báo cáo hợp lệ của đơn vị.');
    expect(mail.text).not.toContain('tích ô');
    const digest = digestOf(result)!;
    expect(digest.keys).toEqual(['digest__so-ket-2020__final']);
    expect(digest.text).toContain(
      '  Phải nộp: 74. Đã nộp: 1 (đúng hạn 0, muộn 1). Chưa nộp (đã khóa sổ): 73, trong đó còn lỗi: 1.',
    );

    // Days later nothing new is planned: no unit mail, no digest (the final list was delivered).
    const sent = result.emails.flatMap((e) => e.keys);
    const later = run('2020-07-30T08:00:00+07:00', facts, model, { sent });
    expect(sorted(later.missing)).toEqual(sorted(result.missing));
    expect(later.emails).toEqual([]);
    // In the next round's reminders, the locked round is not repeated and does not set the subject.
    const boSungRun = run('2020-08-28T08:00:00+07:00', facts, model, { sent });
    const hoanKiemMail = mailTo(boSungRun, 'ubnd-hoan-kiem')!;
    expect(hoanKiemMail.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Nhắc hạn gửi báo cáo: UBND quận Hoàn Kiếm');
    expect(hoanKiemMail.text).toContain('BÁO CÁO BỔ SUNG');
    expect(hoanKiemMail.text).not.toContain('BÁO CÁO SƠ KẾT');
    expect(hoanKiemMail.keys).toEqual(['bo-sung-2020__ubnd-hoan-kiem__not-submitted__d-7']);
    expect(digestOf(boSungRun)?.text).not.toContain('BÁO CÁO SƠ KẾT');
  });
});

describe('the mail to a unit: plain, polite Vietnamese, all its open points in one message', () => {
  it('an invalid district at d-7: the whole message', () => {
    const result = run('2020-07-08T08:00:00+07:00', { [SO_KET]: { 'ubnd-hoan-kiem': { state: INVALID } } });
    const mail = mailTo(result, 'ubnd-hoan-kiem')!;
    expect(mail.to).toEqual(['ubnd-hoan-kiem@hanoi.example']);
    expect(mail.text).toBe(
      [
        'Kính gửi: UBND quận Hoàn Kiếm,',
        '',
        'Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố) xin thông báo tình hình báo cáo Sơ kết thực hiện Quyết định số 521/QĐ-TTg về "Ngày hội toàn dân bảo vệ an ninh Tổ quốc" giai đoạn 2015 – 2020 theo Kế hoạch số 127/KH-UBND ngày 17/6/2020 của UBND thành phố Hà Nội, tính đến 08:00 08/07/2020.',
        '',
        'BÁO CÁO SƠ KẾT (Báo cáo sơ kết, số liệu từ tháng 01/2015 đến tháng 6/2020, kèm đề nghị khen thưởng)',
        'Hạn gửi: trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020.',
        'Những việc cần hoàn thành:',
        '  - Bảng tính còn 3 lỗi (ô tô đỏ), 1 cảnh báo (ô tô vàng), nên báo cáo chưa được tiếp nhận.',
        `Bảng tính của đơn vị: ${url(SO_KET, 'ubnd-hoan-kiem')}`,
        '',
        'Sau khi hoàn thành, đề nghị đơn vị tích ô "Đã hoàn thành, gửi báo cáo" ở trang Xác nhận; dòng "Tình trạng" ở đầu mỗi trang sẽ cho biết báo cáo đã được tiếp nhận.',
        'Nếu đơn vị đã gửi báo cáo theo đường khác, xin trả lời thư này để chúng tôi cập nhật.',
        '',
        'Trân trọng,',
        'Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố)',
        'xdpt-tonghop@hanoi.example',
      ].join('\n'),
    );
    expect(mail.keys).toEqual([
      'so-ket-2020__ubnd-hoan-kiem__not-submitted__d-7',
      'so-ket-2020__ubnd-hoan-kiem__invalid__d-7',
    ]);
  });

  it('empty and draft workbooks say what is missing; overdue mail gives the due date with its weekday and the lock', () => {
    const result = run('2020-07-16T08:00:00+07:00', { [SO_KET]: { 'ubnd-tay-ho': { state: DRAFT } } });
    const draft = mailTo(result, 'ubnd-tay-ho')!.text;
    expect(draft).toContain(
      '  - Báo cáo chưa được gửi: chưa tích ô "Đã hoàn thành, gửi báo cáo" ở trang Xác nhận, còn 4 mục bắt buộc chưa điền.',
    );
    expect(draft).toContain(
      'Hạn gửi (trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020) đã qua. Đề nghị đơn vị khẩn trương hoàn thành trước khi khóa sổ lúc 00:00 thứ Tư, 22/07/2020.',
    );
    expect(mailTo(result, 'ubnd-long-bien')!.text).toContain('  - Bảng tính chưa có số liệu.');
  });

  it('one message per unit even with points in both rounds', () => {
    // 04/09/2020: so-ket-2020 locked (final notice), bo-sung-2020 overdue.
    const result = run('2020-09-04T08:00:00+07:00');
    const mails = result.emails.filter((e) => e.unitId === 'ubnd-ba-dinh');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('BÁO CÁO SƠ KẾT');
    expect(mails[0]!.text).toContain('BÁO CÁO BỔ SUNG');
    expect(mails[0]!.text).toContain(url(SO_KET, 'ubnd-ba-dinh'));
    expect(mails[0]!.text).toContain(url(BO_SUNG, 'ubnd-ba-dinh'));
    expect(mails[0]!.keys).toEqual([
      'so-ket-2020__ubnd-ba-dinh__final-missing__final',
      'bo-sung-2020__ubnd-ba-dinh__not-submitted__overdue-0',
    ]);
    // District police have no workbook in bo-sung-2020: only the final notice of so-ket-2020.
    expect(mailTo(result, 'ca-ba-dinh')!.text).not.toContain('BÁO CÁO BỔ SUNG');
  });

  it('units with nothing to act on get no mail; units without an address are named in the digest instead', () => {
    const model = modifiedModel((raw) => {
      raw.units.find((u: { id: string }) => u.id === 'ubnd-son-tay').emails = [];
    });
    const result = run(
      '2020-07-08T08:00:00+07:00',
      { [SO_KET]: { 'ubnd-ba-dinh': { submittedAt: '2020-07-07T10:00:00+07:00' } } },
      model,
    );
    expect(mailTo(result, 'ubnd-ba-dinh')).toBeUndefined();
    expect(mailTo(result, 'ubnd-son-tay')).toBeUndefined();
    expect(result.noContact).toEqual(['ubnd-son-tay']);
    expect(result.dueSoon).toContain('ubnd-son-tay');
    expect(findingsOf(result, 'ubnd-son-tay')).toEqual([['not-submitted', 'd-7']]);
    expect(result.emails.every((e) => e.to.length > 0)).toBe(true);
    expect(result.emails.filter((e) => e.kind === 'unit')).toHaveLength(72);
    expect(digestOf(result)!.text).toContain(
      'Đơn vị chưa có địa chỉ thư điện tử, chưa gửi được thư nhắc (đề nghị liên hệ trực tiếp): UBND thị xã Sơn Tây.',
    );
  });
});

describe('the coordinators’ digest', () => {
  it('nothing due (before the first reminder offset): no mail at all, though flags are still raised', () => {
    const result = run('2020-07-06T08:00:00+07:00', { [SO_KET]: { 'ubnd-hoan-kiem': { state: INVALID } } });
    expect(result.emails).toEqual([]);
    expect(result.dueSoon).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.invalid).toEqual(['ubnd-hoan-kiem']);
    expect(result.findings).toEqual([
      {
        roundId: SO_KET,
        unitId: 'ubnd-hoan-kiem',
        rule: 'invalid',
        window: 'flag',
        reason: 'Còn 3 lỗi.',
        key: 'so-ket-2020__ubnd-hoan-kiem__invalid__flag',
      },
    ]);
  });

  it('everyone in on time, inside a reminder window: nothing to act on, no mail', () => {
    const all = Object.fromEntries(EXPECTED_SO_KET.map((u) => [u, { submittedAt: '2020-07-09T10:00:00+07:00' }]));
    const result = run('2020-07-12T08:00:00+07:00', { [SO_KET]: all });
    expect(result.emails).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('counts, missing and late units, quota and eligibility problems, the shortlist check', async () => {
    const overQuota = await nominationsState('ca-ba-dinh', [
      { award: 'bkbca', type: 'individual', scope: 'cand', name: 'Thượng tá Trần Văn Minh', giayKhen: 3 },
      { award: 'bkbca', type: 'collective', scope: 'cand', name: 'Đội Cảnh sát khu vực', giayKhen: 3 },
    ]);
    const result = run('2020-07-13T08:00:00+07:00', {
      [SO_KET]: { 'ca-ba-dinh': { state: overQuota }, 'ubnd-ba-dinh': { submittedAt: '2020-07-10T09:12:00+07:00' } },
    });
    const digest = digestOf(result)!;
    expect(digest.to).toEqual(['xdpt-tonghop@hanoi.example']);
    expect(digest.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Tổng hợp tình hình báo cáo ngày 13/07/2020');
    const lines = digest.text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Kính gửi: Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố),',
      '',
      'Tổng hợp tình hình báo cáo Sơ kết thực hiện Quyết định số 521/QĐ-TTg về "Ngày hội toàn dân bảo vệ an ninh Tổ quốc" giai đoạn 2015 – 2020, tính đến 08:00 13/07/2020:',
      '',
      'BÁO CÁO SƠ KẾT (hạn: trước ngày 15/07/2020; khóa sổ lúc 00:00 thứ Tư, 22/07/2020)',
      // The over-quota nominee is the nominee's problem: the police unit's report has no error.
      '  Phải nộp: 74. Đã nộp: 1 (đúng hạn 1, muộn 0). Chưa nộp: 73, trong đó còn lỗi: 0.',
    ]);
    expect(lines[6]).toMatch(
      /^ {2}Chưa nộp: UBND quận Hoàn Kiếm; .*; Công an quận Ba Đình; .*; Sở Thông tin và Truyền thông\.$/,
    );
    expect(lines[6]).not.toContain('UBND quận Ba Đình;');
    // bo-sung-2020 is not in any window yet: not listed.
    expect(digest.text).not.toContain('BÁO CÁO BỔ SUNG');
    expect(lines.slice(7)).toEqual([
      '',
      'Đề nghị khen thưởng vượt định mức (bản nháp, chưa được tiếp nhận):',
      '  - Công an quận Ba Đình (Báo cáo sơ kết): Bằng khen Bộ Công an, đang đề nghị 2, tối đa 1.',
      '',
      // The shortlist is a section of its own, every line a full sentence (it once ended on a fragment).
      'Danh sách đề xuất Bằng khen Bộ Công an của thành phố, theo từng định mức:',
      ...model.campaign.cityShortlist.limits.map((l) => `  - ${l.description}: đang chọn 0, trong định mức.`),
      '',
      'Chi tiết từng đơn vị xem ở bảng tổng hợp (trang "Tình trạng nộp").',
      '',
      'Hệ thống theo dõi báo cáo',
    ]);
  });

  it('a city shortlist over its quota is flagged and reported, even when no round is in a window', () => {
    const cand = { award: 'bkbca', type: 'individual', scope: 'cand' } as const;
    const result = run('2020-07-30T08:00:00+07:00', {}, model, {
      shortlisted: [cand, { ...cand, type: 'collective' }],
      sent: EXPECTED_SO_KET.map((u) => `so-ket-2020__${u}__final-missing__final`).concat('digest__so-ket-2020__final'),
    });
    expect(result.shortlistOverruns).toEqual([
      {
        award: 'bkbca',
        scope: 'cand',
        kind: 'total',
        limit: 1,
        count: 2,
        description: '01 tập thể hoặc 01 cá nhân thuộc Công an thành phố',
      },
    ]);
    expect(result.findings.filter((f) => f.rule === 'shortlist-quota')).toEqual([
      {
        roundId: '*',
        unitId: 'catp-xdpt',
        rule: 'shortlist-quota',
        window: 'flag',
        reason:
          'Danh sách đề xuất Bằng khen Bộ Công an vượt định mức: 01 tập thể hoặc 01 cá nhân thuộc Công an thành phố, đang chọn 2.',
        key: 'shortlist__cand__total',
      },
    ]);
    expect(result.emails).toHaveLength(1);
    expect(digestOf(result)!.keys).toEqual(['digest__shortlist__cand__total__2']);
    expect(digestOf(result)!.text).toContain(
      '\n  - 01 tập thể hoặc 01 cá nhân thuộc Công an thành phố: đang chọn 2, VƯỢT định mức, cần bớt.\n',
    );
    // Within quota (one CATP nominee, one outside collective and one outside individual): nothing to say.
    const ok = run('2020-07-30T08:00:00+07:00', {}, model, {
      shortlisted: [
        cand,
        { award: 'bkbca', type: 'collective', scope: 'outside' },
        { award: 'bkbca', type: 'individual', scope: 'outside' },
      ],
      sent: EXPECTED_SO_KET.map((u) => `so-ket-2020__${u}__final-missing__final`).concat('digest__so-ket-2020__final'),
    });
    expect(ok.shortlistOverruns).toEqual([]);
    expect(ok.emails).toEqual([]);
    // The outside limit is per type: two outside individuals is one too many.
    const outside = run('2020-07-30T08:00:00+07:00', {}, model, {
      shortlisted: [
        { award: 'bkbca', type: 'individual', scope: 'outside' },
        { award: 'bkbca', type: 'individual', scope: 'outside' },
      ],
    });
    expect(outside.shortlistOverruns.map((o) => [o.scope, o.kind, o.limit, o.count])).toEqual([
      ['outside', 'individual', 1, 2],
    ]);
  });
});

describe('quotas per nominating unit: each quota row one over its limit', () => {
  const cases: {
    name: string;
    unit: string;
    specs: NomineeSpec[];
    overrun: { award: string; kind: string; limit: number; count: number };
    line: string;
  }[] = [
    {
      name: 'bkbca, any unit: at most 1 in total (a CATP department)',
      unit: 'catp-tham-muu',
      specs: [
        { award: 'bkbca', type: 'individual', scope: 'cand', name: 'Thượng tá Trần Văn Minh', giayKhen: 3 },
        { award: 'bkbca', type: 'collective', scope: 'cand', name: 'Đội Tổng hợp', giayKhen: 3 },
      ],
      overrun: { award: 'bkbca', kind: 'total', limit: 1, count: 2 },
      line: 'Đề nghị Bằng khen Bộ Công an vượt định mức (tối đa 01 tập thể hoặc 01 cá nhân): đơn vị đang đề nghị 2, tối đa 1.',
    },
    {
      name: 'bkubnd, district police (CAND): 1 collective',
      unit: 'ca-hoan-kiem',
      specs: [
        { award: 'bkubnd', type: 'collective', scope: 'cand', name: 'Đội Xây dựng phong trào' },
        { award: 'bkubnd', type: 'collective', scope: 'cand', name: 'Đội Cảnh sát khu vực' },
      ],
      overrun: { award: 'bkubnd', kind: 'collective', limit: 1, count: 2 },
      line: 'Đề nghị Bằng khen UBND Thành phố vượt định mức (01 tập thể và 01 cá nhân thuộc lực lượng CAND): đơn vị đang đề nghị 2 tập thể, tối đa 1.',
    },
    {
      name: 'bkubnd, district (outside CAND): 1 individual',
      unit: 'ubnd-dong-da',
      specs: [
        { award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Nguyễn Thị Lan', bangKhen: 1 },
        { award: 'bkubnd', type: 'individual', scope: 'outside', name: 'Trần Văn Hải', bangKhen: 1 },
      ],
      overrun: { award: 'bkubnd', kind: 'individual', limit: 1, count: 2 },
      line: 'Đề nghị Bằng khen UBND Thành phố vượt định mức (01 tập thể và 01 cá nhân ngoài lực lượng CAND): đơn vị đang đề nghị 2 cá nhân, tối đa 1.',
    },
    {
      name: 'bkubnd, ANCTNB/ANKT for outside nominees: 2 collectives',
      unit: 'catp-ankt',
      specs: ['Công ty A', 'Công ty B', 'Công ty C'].map((n) => ({
        award: 'bkubnd',
        type: 'collective',
        scope: 'outside',
        name: n,
        giayKhen: 0,
        bangKhen: 1,
      })),
      overrun: { award: 'bkubnd', kind: 'collective', limit: 2, count: 3 },
      line: 'Đề nghị Bằng khen UBND Thành phố vượt định mức (02 tập thể và 02 cá nhân ngoài lực lượng CAND thuộc khối cơ quan, doanh nghiệp, nhà trường, bệnh viện do đơn vị phụ trách): đơn vị đang đề nghị 3 tập thể, tối đa 2.',
    },
    {
      name: 'gkcatp, CAND units: 3 individuals',
      unit: 'ca-tay-ho',
      specs: ['Nguyễn Văn A', 'Nguyễn Văn B', 'Nguyễn Văn C', 'Nguyễn Văn D'].map((n) => ({
        award: 'gkcatp',
        type: 'individual',
        scope: 'cand',
        name: n,
      })),
      overrun: { award: 'gkcatp', kind: 'individual', limit: 3, count: 4 },
      line: 'Đề nghị Giấy khen Giám đốc CATP vượt định mức (01 tập thể và 03 cá nhân thuộc lực lượng CAND): đơn vị đang đề nghị 4 cá nhân, tối đa 3.',
    },
    {
      name: 'gkcatp, district (outside CAND): 3 collectives',
      unit: 'ubnd-tay-ho',
      specs: ['Tổ 1', 'Tổ 2', 'Tổ 3', 'Tổ 4'].map((n) => ({
        award: 'gkcatp',
        type: 'collective',
        scope: 'outside',
        name: `Tổ dân phố ${n}`,
      })),
      overrun: { award: 'gkcatp', kind: 'collective', limit: 3, count: 4 },
      line: 'Đề nghị Giấy khen Giám đốc CATP vượt định mức (03 tập thể và 05 cá nhân ngoài lực lượng CAND): đơn vị đang đề nghị 4 tập thể, tối đa 3.',
    },
    {
      name: 'gkcatp, ANCTNB/ANKT for outside nominees: 5 individuals',
      unit: 'catp-anctnb',
      specs: ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà'].map((n) => ({
        award: 'gkcatp',
        type: 'individual',
        scope: 'outside',
        name: `Nguyễn Văn ${n}`,
      })),
      overrun: { award: 'gkcatp', kind: 'individual', limit: 5, count: 6 },
      line: 'Đề nghị Giấy khen Giám đốc CATP vượt định mức (03 tập thể và 05 cá nhân ngoài lực lượng CAND thuộc khối cơ quan, doanh nghiệp, nhà trường, bệnh viện do đơn vị phụ trách): đơn vị đang đề nghị 6 cá nhân, tối đa 5.',
    },
  ];

  it.each(cases)('$name', async ({ unit, specs, overrun, line }) => {
    const state = await nominationsState(unit, specs);
    // Over quota is the excess nominee's verdict; the report itself is ready.
    expect(state.status).toBe('ready');
    const result = run('2020-07-12T08:00:00+07:00', { [SO_KET]: { [unit]: { state } } });
    expect(result.quotaOverruns).toEqual([{ roundId: SO_KET, unit, ...overrun }]);
    expect(result.ineligible).toEqual([]);
    expect(findingsOf(result, unit)).toEqual([
      ['not-submitted', 'd-2'],
      ['quota', 'd-2'],
    ]);
    const mail = mailTo(result, unit)!;
    expect(mail.text).toContain(`  - ${line}`);
    const excess = specs[specs.length - 1]!;
    expect(mail.text).toContain(`  - ${excess.name} (${model.award(excess.award).name}): Vượt định mức.`);
    expect(mail.text).toContain(`  - ${specs[0]!.name} (${model.award(specs[0]!.award).name}): Hợp lệ.`);
    expect(mail.keys).toContain(`so-ket-2020__${unit}__quota__d-2`);
    // At the limit exactly: no overrun.
    const within = await nominationsState(unit, specs.slice(0, overrun.limit));
    expect(run('2020-07-12T08:00:00+07:00', { [SO_KET]: { [unit]: { state: within } } }).quotaOverruns).toEqual([]);
  });

  it('an overrun is flagged even outside a reminder window, without mail', async () => {
    const state = await nominationsState('catp-tham-muu', cases[0]!.specs);
    const result = run('2020-07-01T08:00:00+07:00', { [SO_KET]: { 'catp-tham-muu': { state } } });
    expect(result.quotaOverruns).toEqual([
      { roundId: SO_KET, unit: 'catp-tham-muu', award: 'bkbca', kind: 'total', limit: 1, count: 2 },
    ]);
    expect(findingsOf(result, 'catp-tham-muu')).toEqual([['quota', 'flag']]);
    expect(result.emails).toEqual([]);
  });
});

describe('eligibility (IV.3) per category, and the dossier (IV.5)', () => {
  const titles = (key: string, change: (ts: string[]) => void) => {
    const titles = [...ELIGIBLE_TITLES[key]!];
    change(titles);
    return titles;
  };
  const cases: { name: string; unit: string; spec: NomineeSpec; reason: string }[] = [
    {
      name: 'CAND collective: a year below Đơn vị tiên tiến',
      unit: 'ca-ba-dinh',
      spec: {
        award: 'gkcatp',
        type: 'collective',
        scope: 'cand',
        name: 'Đội Cảnh sát khu vực',
        titles: titles('cand/collective', (ts) => (ts[1] = 'khong_dat')),
      },
      reason:
        'Ô I18: năm 2016 "Đội Cảnh sát khu vực" đạt "Không đạt danh hiệu", chưa đạt tiêu chuẩn "Đơn vị tiên tiến" trở lên mỗi năm 2015–2019 (mục IV.3 Kế hoạch 127).',
    },
    {
      name: 'CAND collective for bkubnd: fewer than 2 years Đơn vị Quyết thắng',
      unit: 'ca-ba-dinh',
      spec: {
        award: 'bkubnd',
        type: 'collective',
        scope: 'cand',
        name: 'Đội Cảnh sát khu vực',
        titles: Array(5).fill('don_vi_tien_tien'),
      },
      reason:
        'Ô H18: đề nghị Bằng khen UBND Thành phố cho tập thể trong lực lượng CAND cần ít nhất 2 năm đạt "Đơn vị Quyết thắng" trở lên; "Đội Cảnh sát khu vực" mới có 0 năm.',
    },
    {
      name: 'outside collective for bkubnd: no Bằng khen',
      unit: 'ubnd-ba-dinh',
      spec: {
        award: 'bkubnd',
        type: 'collective',
        scope: 'outside',
        name: 'Tổ dân phố số 7',
        giayKhen: 3,
        bangKhen: 0,
      },
      reason:
        'Ô M18: đề nghị Bằng khen UBND Thành phố cho tập thể ngoài lực lượng CAND cần ít nhất 1 lần được tặng Bằng khen của Bộ Công an hoặc UBND Thành phố; "Tổ dân phố số 7" mới ghi 0.',
    },
    {
      name: 'CAND individual for bkbca: no Giấy khen',
      unit: 'ca-ba-dinh',
      spec: {
        award: 'bkbca',
        type: 'individual',
        scope: 'cand',
        name: 'Thượng tá Trần Văn Minh',
        giayKhen: 0,
        bangKhen: 0,
      },
      reason:
        'Ô M18: đề nghị Bằng khen Bộ Công an cho cá nhân trong lực lượng CAND cần ít nhất 1 lần được tặng Giấy khen trở lên; "Thượng tá Trần Văn Minh" mới ghi 0.',
    },
    {
      name: 'outside individual for bkubnd: no year Lao động xuất sắc',
      unit: 'ubnd-ba-dinh',
      spec: {
        award: 'bkubnd',
        type: 'individual',
        scope: 'outside',
        name: 'Nguyễn Thị Lan',
        titles: Array(5).fill('lao_dong_tien_tien'),
      },
      reason:
        'Ô H18: đề nghị Bằng khen UBND Thành phố cho cá nhân ngoài lực lượng CAND cần ít nhất 1 năm đạt "Lao động xuất sắc" trở lên; "Nguyễn Thị Lan" mới có 0 năm.',
    },
  ];

  it.each(cases)('$name', async ({ unit, spec, reason }) => {
    const state = await nominationsState(unit, [spec]);
    expect(state.nominations.map((n) => [n.name, n.eligible, n.ineligibleReasons])).toEqual([
      [spec.name, false, [reason]],
    ]);
    const result = run('2020-07-14T10:00:00+07:00', { [SO_KET]: { [unit]: { state } } });
    expect(result.ineligible).toEqual([{ roundId: SO_KET, unit, nominee: spec.name, award: spec.award, reason }]);
    expect(result.findings.find((f) => f.unitId === unit && f.rule === 'ineligible')).toEqual({
      roundId: SO_KET,
      unitId: unit,
      rule: 'ineligible',
      window: 'd-0',
      reason: `Đối tượng chưa đạt tiêu chuẩn: ${spec.name}.`,
      key: `so-ket-2020__${unit}__ineligible__d-0`,
    });
    expect(mailTo(result, unit)!.text).toContain(
      `  - ${spec.name} (${model.award(spec.award).name}) chưa đạt tiêu chuẩn khen thưởng: ${reason}`,
    );
    expect(digestOf(result)!.text).toContain(
      `Đối tượng đề nghị chưa đạt tiêu chuẩn:\n  - ${model.unit(unit).name} (${model.round(SO_KET).name}): ${spec.name} (${model.award(spec.award).name}).`,
    );
  });

  it('two ineligible nominees: both lines in one message, one reminder key', async () => {
    const state = await nominationsState('ubnd-ba-dinh', [
      {
        award: 'gkcatp',
        type: 'individual',
        scope: 'outside',
        name: 'Trần Văn Hải',
        titles: ['lao_dong_tien_tien', 'khong_dat', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien'],
      },
      {
        award: 'gkcatp',
        type: 'individual',
        scope: 'outside',
        name: 'Lê Thị Hoa',
        titles: ['khong_dat', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien', 'lao_dong_tien_tien'],
      },
    ]);
    const result = run('2020-07-14T10:00:00+07:00', { [SO_KET]: { 'ubnd-ba-dinh': { state } } });
    expect(result.ineligible.map((i) => i.nominee)).toEqual(['Trần Văn Hải', 'Lê Thị Hoa']);
    const mail = mailTo(result, 'ubnd-ba-dinh')!;
    expect(mail.text).toContain('  - Trần Văn Hải (Giấy khen Giám đốc CATP) chưa đạt tiêu chuẩn khen thưởng: ');
    expect(mail.text).toContain('  - Lê Thị Hoa (Giấy khen Giám đốc CATP) chưa đạt tiêu chuẩn khen thưởng: ');
    expect(mail.keys).toEqual([
      'so-ket-2020__ubnd-ba-dinh__not-submitted__d-0',
      'so-ket-2020__ubnd-ba-dinh__ineligible__d-0',
    ]);
    expect(mail.text).toContain(
      'Kết quả xét đề nghị khen thưởng (không ảnh hưởng việc tiếp nhận báo cáo):\n  - Trần Văn Hải (Giấy khen Giám đốc CATP): Chưa đủ tiêu chuẩn.\n  - Lê Thị Hoa (Giấy khen Giám đốc CATP): Chưa đủ tiêu chuẩn.',
    );
  });

  it('an incomplete dossier (a box not ticked, a nominee without a confirmed report) is a point of its own', async () => {
    const state = await nominationsState(
      'ubnd-ba-dinh',
      [
        {
          award: 'gkcatp',
          type: 'collective',
          scope: 'outside',
          name: 'Trường THCS Nguyễn Trãi',
          titles: Array(5).fill('tap_the_ldtt'),
          reportConfirmed: false,
        },
      ],
      (submission) => {
        submission.forms.khen_thuong!.bien_ban = false;
        submission.confirmation.da_hoan_thanh = false;
      },
    );
    expect(state.status).toBe('draft');
    const result = run('2020-07-14T10:00:00+07:00', { [SO_KET]: { 'ubnd-ba-dinh': { state } } });
    expect(findingsOf(result, 'ubnd-ba-dinh')).toEqual([
      ['not-submitted', 'd-0'],
      ['draft', 'd-0'],
      ['dossier', 'd-0'],
    ]);
    expect(mailTo(result, 'ubnd-ba-dinh')!.text).toContain(
      '  - Hồ sơ đề nghị khen thưởng còn thiếu: Biên bản họp Hội đồng Thi đua, khen thưởng; báo cáo thành tích của Trường THCS Nguyễn Trãi.',
    );
  });
});

describe('no campaign fact in code: the wording follows the schema', () => {
  it('renamed submit box, confirmation page and shortlist award appear as the schema says', () => {
    const model = modifiedModel((raw) => {
      raw.confirmation.sheetTitle = 'Ký gửi';
      raw.confirmation.fields.find((f: { type: string }) => f.type === 'submit-checkbox').label = 'Gửi chính thức';
      raw.awards.find((a: { id: string }) => a.id === 'bkbca').name = 'Bằng khen Bộ trưởng';
    });
    const result = run('2020-07-14T10:00:00+07:00', { [SO_KET]: { 'ubnd-tay-ho': { state: DRAFT } } }, model);
    const text = mailTo(result, 'ubnd-tay-ho')!.text;
    expect(text).toContain('chưa tích ô "Gửi chính thức" ở trang Ký gửi');
    expect(text).toContain('đề nghị đơn vị tích ô "Gửi chính thức" ở trang Ký gửi;');
    expect(text).not.toContain('Đã hoàn thành, gửi báo cáo');
    expect(text).not.toContain('Xác nhận');
    expect(digestOf(result)!.text).toContain(
      'Danh sách đề xuất Bằng khen Bộ trưởng của thành phố, theo từng định mức:',
    );
    expect(digestOf(result)!.text).not.toContain('Bộ Công an');
  });

  it('the second campaign (Đà Nẵng, no nominations, deadline read "by-date"): reminders, overdue, lock, digest', () => {
    const second = modelOf(parseCampaign(JSON.parse(readFileSync(SECOND_CAMPAIGN_FILE, 'utf8')), SECOND_CAMPAIGN_FILE));
    // Due 31/03/2025 read 'by-date': on time through 31/03 23:59:59; offsets 5 and 1 day; overdue every 2 days.
    const before = run(
      '2025-03-30T08:00:00+07:00',
      { 'tong-ket-2025': { 'phuong-hai-chau': { state: DRAFT } } },
      second,
    );
    expect(sorted(before.dueSoon)).toEqual(['phuong-hai-chau', 'phuong-son-tra']);
    expect(before.missing).toEqual([]);
    const mail = mailTo(before, 'phuong-hai-chau')!;
    expect(mail.subject).toBe('[Tổng kết ANTQ Đà Nẵng (2020–2025)] Nhắc hạn gửi báo cáo: UBND phường Hải Châu');
    expect(mail.keys).toEqual([
      'tong-ket-2025__phuong-hai-chau__not-submitted__d-1',
      'tong-ket-2025__phuong-hai-chau__draft__d-1',
    ]);
    expect(mail.text).toContain(
      'Phòng Tham mưu, Công an thành phố Đà Nẵng xin thông báo tình hình báo cáo Tổng kết phong trào',
    );
    expect(mail.text).toContain('Hạn gửi: muộn nhất 23:59 thứ Hai, 31/03/2025.');
    expect(mail.text).toContain(
      '  - Báo cáo chưa được gửi: chưa tích ô "Gửi báo cáo" ở trang Gửi báo cáo, còn 4 mục bắt buộc chưa điền.',
    );
    expect(mail.text).toContain(`Bảng tính của đơn vị: ${url('tong-ket-2025', 'phuong-hai-chau')}`);
    for (const word of ['trước ngày', 'Hà Nội', 'Bộ Công an', 'khen thưởng', 'Xác nhận', 'Đã hoàn thành'])
      expect(mail.text).not.toContain(word);
    const digest = digestOf(before)!;
    expect(digest.to).toEqual(['thammuu@danang.example']);
    expect(digest.text).toContain(
      'BÁO CÁO TỔNG KẾT (hạn: đến hết ngày 31/03/2025; khóa sổ lúc 00:00 thứ Hai, 07/04/2025)',
    );
    for (const word of ['trước ngày', 'Hà Nội', 'Bộ Công an', 'khen thưởng', 'Danh sách đề xuất'])
      expect(digest.text).not.toContain(word);

    const lastSecond = run(
      '2025-03-31T23:59:59+07:00',
      { 'tong-ket-2025': { 'phuong-son-tra': { submittedAt: '2025-03-31T23:59:59+07:00' } } },
      second,
    );
    expect(lastSecond.late).toEqual([]);
    expect(lastSecond.dueSoon).toEqual(['phuong-hai-chau']);
    const overdue = run(
      '2025-04-01T00:00:00+07:00',
      { 'tong-ket-2025': { 'phuong-son-tra': { submittedAt: '2025-04-01T00:00:00+07:00' } } },
      second,
    );
    expect(overdue.missing).toEqual(['phuong-hai-chau']);
    expect(overdue.late).toEqual(['phuong-son-tra']);
    expect(overdue.findings.find((f) => f.rule === 'late')?.reason).toBe(
      'Nộp muộn: gửi lần đầu lúc 00:00 01/04/2025, hạn là đến hết ngày 31/03/2025.',
    );
    expect(mailTo(overdue, 'phuong-hai-chau')!.text).toContain('Hạn gửi (muộn nhất 23:59 thứ Hai, 31/03/2025) đã qua.');
    expect(reminderWindow(second, 'tong-ket-2025', time('2025-04-03T00:00:00+07:00'), [5, 1], 2)).toEqual({
      kind: 'overdue',
      index: 1,
    });
    const locked = run('2025-04-07T00:00:00+07:00', {}, second);
    expect(mailTo(locked, 'phuong-son-tra')!.keys).toEqual(['tong-ket-2025__phuong-son-tra__final-missing__final']);
    expect(locked.shortlistOverruns).toEqual([]);
    expect(locked.quotaOverruns).toEqual([]);
  });
});

describe('keys', () => {
  it('one key per (round, unit, rule, window), and every message carries only distinct keys', () => {
    for (const iso of [
      '2020-07-08T08:00:00+07:00',
      '2020-07-15T08:00:00+07:00',
      '2020-07-22T08:00:00+07:00',
      '2020-09-04T08:00:00+07:00',
    ]) {
      const result = run(iso, { [SO_KET]: { 'ubnd-hoan-kiem': { state: INVALID }, 'ubnd-tay-ho': { state: DRAFT } } });
      const keys = result.findings.map((f) => f.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const finding of result.findings)
        expect(finding.key).toBe(
          finding.roundId === '*'
            ? finding.key
            : `${finding.roundId}__${finding.unitId}__${finding.rule}__${finding.window}`,
        );
      for (const email of result.emails) expect(new Set(email.keys).size).toBe(email.keys.length);
      // The sweep is a function of its input: the same instant plans the same messages.
      expect(run(iso, { [SO_KET]: { 'ubnd-hoan-kiem': { state: INVALID }, 'ubnd-tay-ho': { state: DRAFT } } })).toEqual(
        result,
      );
    }
  });
});
