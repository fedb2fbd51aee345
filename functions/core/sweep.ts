/**
 * Compliance at an instant: who has not done what by when, and what to tell them. Pure:
 * the instant and every unit's state are parameters. Each finding carries a key
 * (round, unit, rule, window) so the adapter can send each reminder exactly once.
 *
 * Windows: before the due time, the reminder offsets (default 7 and 2 days before, and the
 * last day); after it, an overdue notice every `overdueEveryDays`; after the lock, one final notice.
 * Flags (invalid, draft, quota, eligibility, dossier, late) hold whatever the window; mail goes
 * only inside a window, and only to units with something to act on.
 */
import type { CampaignModel } from './campaign-model.js';
import type { ViewNomination } from './master-view.js';
import { formatViNumber } from './messages.js';
import {
  localityOverlaps,
  nominationsTable,
  shortlistOverruns,
  verdictLabel,
  type QuotaOverrun,
} from './nominations.js';
import {
  civilDateOf,
  civilDaysBetween,
  formatCivilDate,
  formatViDateTime,
  formatViDateWithWeekday,
  startOfCivilDate,
} from './time.js';

export interface SweepUnitInput {
  unitId: string;
  state: {
    status: 'empty' | 'draft' | 'invalid' | 'ready';
    errors: number;
    warnings: number;
    pendingCount: number;
    quotaOverruns: Omit<QuotaOverrun, 'excess'>[];
    nominations: Pick<ViewNomination, 'name' | 'award' | 'eligible' | 'ineligibleReasons' | 'verdict' | 'exempt'>[];
    dossierMissing: string[];
  } | null;
  submission: { firstAcceptedAt: number; late: boolean; versionCount: number } | null;
  sheetUrl: string | null;
}

export interface SweepInput {
  now: number;
  rounds: { roundId: string; units: SweepUnitInput[] }[];
  /** Nominations the coordinators marked for the Ministry (checked against the city quota). */
  shortlisted: Pick<ViewNomination, 'award' | 'type' | 'scope'>[];
  options?: { daysBefore?: number[]; overdueEveryDays?: number };
  /**
   * Reminder keys already delivered (from the adapter's records). A round is told again only
   * with something new: a final notice, once said, is not repeated in later rounds' mail.
   */
  sent?: string[];
  /** Unit sheets shared beyond the system's grants (the hourly reconcile's flags), for the digest. */
  sharing?: { roundId: string; unitId: string; reason: string; grants: string[] }[];
}

export type SweepRule =
  | 'not-submitted'
  | 'final-missing'
  | 'late'
  | 'invalid'
  | 'draft'
  | 'quota'
  | 'ineligible'
  | 'dossier'
  | 'shortlist-quota';

export interface SweepFinding {
  roundId: string;
  unitId: string;
  rule: SweepRule;
  /** 'd-7', 'd-2', 'd-0', 'overdue-0', 'overdue-1'…, 'final', or 'flag' for findings that are not reminders. */
  window: string;
  reason: string;
  key: string;
}

export interface PlannedEmail {
  kind: 'unit' | 'digest';
  unitId: string | null;
  to: string[];
  subject: string;
  text: string;
  /** Reminder keys this message carries; it is sent only if at least one is new. */
  keys: string[];
}

/** One round's lists: a unit missing in one round and late in another is told apart by its round. */
export interface SweepRoundLists {
  roundId: string;
  missing: string[];
  late: string[];
  dueSoon: string[];
  invalid: string[];
}

export interface SweepResult {
  at: string;
  findings: SweepFinding[];
  /** Units missing in any round (the union of `byRound`); which round is in `byRound` and in each finding. */
  missing: string[];
  late: string[];
  dueSoon: string[];
  invalid: string[];
  byRound: SweepRoundLists[];
  quotaOverruns: { roundId: string; unit: string; award: string; kind: string; limit: number; count: number }[];
  ineligible: { roundId: string; unit: string; nominee: string; award: string | null; reason: string }[];
  shortlistOverruns: Omit<QuotaOverrun, 'excess'>[];
  /** Units with something to act on but no e-mail address: named in the digest instead. */
  noContact: string[];
  emails: PlannedEmail[];
}

export type Window =
  { kind: 'before'; offset: number } | { kind: 'overdue'; index: number } | { kind: 'locked' } | null;

export function reminderWindow(
  model: CampaignModel,
  roundId: string,
  now: number,
  daysBefore: number[],
  overdueEveryDays: number,
): Window {
  const timeZone = model.timeZone;
  const today = civilDateOf(now, timeZone);
  if (now < model.dueAt(roundId)) {
    const daysLeft = civilDaysBetween(today, model.lastOnTimeDate(roundId));
    const offset = [...daysBefore].sort((a, b) => a - b).find((d) => d >= daysLeft);
    return offset === undefined ? null : { kind: 'before', offset };
  }
  if (now < model.lockAt(roundId)) {
    const firstLateDate = civilDateOf(model.dueAt(roundId), timeZone);
    return { kind: 'overdue', index: Math.floor(civilDaysBetween(firstLateDate, today) / overdueEveryDays) };
  }
  return { kind: 'locked' };
}

const windowKey = (w: Exclude<Window, null>) =>
  w.kind === 'before' ? `d-${w.offset}` : w.kind === 'overdue' ? `overdue-${w.index}` : 'final';

/** Everything below is worded from the schema: no campaign's names, pages or deadline reading are spelled here. */
function wording(model: CampaignModel) {
  const timeZone = model.timeZone;
  const campaign = model.campaign;
  const submitBox = campaign.confirmation.fields.find((f) => f.type === 'submit-checkbox')?.label;
  const lastDay = (roundId: string) =>
    formatViDateWithWeekday(startOfCivilDate(model.lastOnTimeDate(roundId), timeZone), timeZone);
  const strict = (roundId: string) =>
    (model.round(roundId).deadlineReading ?? campaign.deadlineReading) === 'before-date';
  return {
    /** "trước ngày 15/07/2020" as the plan writes it, or "đến hết ngày 31/03/2025" for the 'by-date' reading. */
    due: (roundId: string) =>
      `${strict(roundId) ? 'trước ngày' : 'đến hết ngày'} ${formatCivilDate(model.round(roundId).dueDate)}`,
    /** "trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020" */
    dueInFull: (roundId: string) =>
      strict(roundId)
        ? `trước ngày ${formatCivilDate(model.round(roundId).dueDate)}, tức muộn nhất 23:59 ${lastDay(roundId)}`
        : `muộn nhất 23:59 ${lastDay(roundId)}`,
    /** "00:00 thứ Tư, 22/07/2020" */
    at: (instant: number) =>
      `${formatViDateTime(instant, timeZone).slice(0, 5)} ${formatViDateWithWeekday(instant, timeZone)}`,
    /** How a unit sends: tick the schema's submit box on the schema's confirmation page. */
    howToSend: submitBox
      ? `tích ô "${submitBox}" ở trang ${campaign.confirmation.sheetTitle}`
      : `hoàn thành trang ${campaign.confirmation.sheetTitle}`,
  };
}

const KIND_LABEL: Record<string, string> = { total: '', collective: ' tập thể', individual: ' cá nhân' };

type UnitRoundPoints = {
  roundId: string;
  lines: string[];
  keys: string[];
  window: Exclude<Window, null>;
  url: string | null;
  /** The unit's nominees with their verdicts, told in its mail apart from the report's points. */
  nominees?: NonNullable<SweepUnitInput['state']>['nominations'];
};

export function sweep(model: CampaignModel, input: SweepInput): SweepResult {
  const { now } = input;
  const daysBefore = input.options?.daysBefore ?? model.campaign.reminders.daysBefore;
  const every = input.options?.overdueEveryDays ?? model.campaign.reminders.overdueEveryDays;
  const timeZone = model.timeZone;
  const phrases = wording(model);
  const findings: SweepFinding[] = [];
  const lists = {
    missing: new Set<string>(),
    late: new Set<string>(),
    dueSoon: new Set<string>(),
    invalid: new Set<string>(),
  };
  const byRound: SweepRoundLists[] = [];
  const quotaList: SweepResult['quotaOverruns'] = [];
  const ineligibleList: SweepResult['ineligible'] = [];
  const unitPoints = new Map<string, UnitRoundPoints[]>();

  for (const round of input.rounds) {
    const win = reminderWindow(model, round.roundId, now, daysBefore, every);
    const roundLists: SweepRoundLists = { roundId: round.roundId, missing: [], late: [], dueSoon: [], invalid: [] };
    byRound.push(roundLists);
    const list = (name: 'missing' | 'late' | 'dueSoon' | 'invalid', unitId: string) => {
      lists[name].add(unitId);
      roundLists[name].push(unitId);
    };
    for (const unit of round.units) {
      if (!model.findUnit(unit.unitId) || !model.isExpected(unit.unitId, round.roundId)) continue;
      const add = (rule: SweepRule, window: string, reason: string) => {
        const finding = {
          roundId: round.roundId,
          unitId: unit.unitId,
          rule,
          window,
          reason,
          key: `${round.roundId}__${unit.unitId}__${rule}__${window}`,
        };
        findings.push(finding);
        return finding;
      };
      if (unit.submission) {
        if (unit.submission.late) {
          list('late', unit.unitId);
          add(
            'late',
            'flag',
            `Nộp muộn: gửi lần đầu lúc ${formatViDateTime(unit.submission.firstAcceptedAt, timeZone)}, hạn là ${phrases.due(round.roundId)}.`,
          );
        }
        continue;
      }
      const overdue = now >= model.dueAt(round.roundId);
      if (overdue) list('missing', unit.unitId);
      else if (win) list('dueSoon', unit.unitId);
      if (unit.state?.status === 'invalid') list('invalid', unit.unitId);
      // State findings are flagged whenever they hold; a reminder carries them only inside a window.
      const windowTag = win ? windowKey(win) : 'flag';
      const points: string[] = [];
      const keys: string[] = [];
      /** A finding; inside a window also a reminder key, and a line of the message (null: the state line already says it). */
      const point = (rule: SweepRule, reason: string, line: string | null) => {
        const finding = add(rule, windowTag, reason);
        if (!win) return;
        if (!keys.includes(finding.key)) keys.push(finding.key);
        if (line !== null) points.push(line);
      };
      if (win?.kind === 'locked') {
        point(
          'final-missing',
          'Đã khóa sổ, đơn vị chưa gửi báo cáo.',
          'Đợt báo cáo đã khóa sổ mà hệ thống chưa nhận được báo cáo hợp lệ của đơn vị.',
        );
      } else {
        const state = unit.state;
        if (win) {
          const what =
            !state || state.status === 'empty'
              ? 'Bảng tính chưa có số liệu.'
              : state.status === 'invalid'
                ? `Bảng tính còn ${state.errors} lỗi (ô tô đỏ)${state.warnings ? `, ${state.warnings} cảnh báo (ô tô vàng)` : ''}, nên báo cáo chưa được tiếp nhận.`
                : state.status === 'draft'
                  ? `Báo cáo chưa được gửi: chưa ${phrases.howToSend}${state.pendingCount ? `, còn ${state.pendingCount} mục bắt buộc chưa điền` : ''}.`
                  : 'Báo cáo đã hợp lệ nhưng chưa được tiếp nhận; đề nghị đơn vị kiểm tra lại bảng tính.';
          point('not-submitted', overdue ? 'Quá hạn, chưa gửi báo cáo.' : 'Sắp đến hạn, chưa gửi báo cáo.', what);
        }
        if (state?.status === 'invalid') point('invalid', `Còn ${state.errors} lỗi.`, null);
        if (state?.status === 'draft') point('draft', 'Đang nhập, chưa gửi.', null);
        for (const overrun of state?.quotaOverruns ?? []) {
          const award = model.award(overrun.award).name;
          quotaList.push({
            roundId: round.roundId,
            unit: unit.unitId,
            award: overrun.award,
            kind: overrun.kind,
            limit: overrun.limit,
            count: overrun.count,
          });
          point(
            'quota',
            `Vượt định mức ${award} (${overrun.description}): đang đề nghị ${formatViNumber(overrun.count)}${KIND_LABEL[overrun.kind] ?? ''}.`,
            `Đề nghị ${award} vượt định mức (${overrun.description}): đơn vị đang đề nghị ${formatViNumber(overrun.count)}${KIND_LABEL[overrun.kind] ?? ''}, tối đa ${formatViNumber(overrun.limit)}.`,
          );
        }
        for (const nomination of state?.nominations ?? []) {
          if (nomination.eligible !== false) continue;
          const reason = nomination.ineligibleReasons.join(' ');
          const who = nomination.name ?? '(chưa ghi tên)';
          ineligibleList.push({
            roundId: round.roundId,
            unit: unit.unitId,
            nominee: nomination.name ?? '',
            award: nomination.award,
            reason,
          });
          point(
            'ineligible',
            `Đối tượng chưa đạt tiêu chuẩn: ${who}.`,
            `${who}${nomination.award ? ` (${model.award(nomination.award).name})` : ''} chưa đạt tiêu chuẩn khen thưởng: ${reason}`,
          );
        }
        if (state && state.dossierMissing.length && state.nominations.length) {
          point(
            'dossier',
            `Hồ sơ khen thưởng còn thiếu: ${state.dossierMissing.join('; ')}.`,
            `Hồ sơ đề nghị khen thưởng còn thiếu: ${state.dossierMissing.join('; ')}.`,
          );
        }
      }
      if (!win) continue;
      const pointsOfUnit = unitPoints.get(unit.unitId) ?? [];
      pointsOfUnit.push({
        roundId: round.roundId,
        lines: points,
        keys,
        window: win,
        url: unit.sheetUrl,
        nominees: unit.state?.nominations ?? [],
      });
      unitPoints.set(unit.unitId, pointsOfUnit);
    }
  }

  const overShortlist = shortlistOverruns(model, input.shortlisted).map(({ excess, ...o }) => o);
  for (const overrun of overShortlist) {
    findings.push({
      roundId: '*',
      unitId: model.campaign.coordinator.unit,
      rule: 'shortlist-quota',
      window: 'flag',
      reason: `Danh sách đề xuất ${model.award(overrun.award).name} vượt định mức: ${overrun.description}, đang chọn ${overrun.count}.`,
      key: `shortlist__${overrun.scope}__${overrun.kind}`,
    });
  }

  const sent = new Set(input.sent ?? []);
  const emails: PlannedEmail[] = [];
  const noContact: string[] = [];
  for (const [unitId, rounds] of unitPoints) {
    const fresh = rounds.filter((r) => r.keys.some((k) => !sent.has(k)));
    if (!fresh.length) continue;
    if (!model.unit(unitId).emails.length) {
      noContact.push(unitId);
      continue;
    }
    emails.push(unitEmail(model, unitId, fresh, now));
  }
  const result: SweepResult = {
    at: new Date(now).toISOString(),
    findings,
    missing: [...lists.missing],
    late: [...lists.late],
    dueSoon: [...lists.dueSoon],
    invalid: [...lists.invalid],
    byRound,
    quotaOverruns: quotaList,
    ineligible: ineligibleList,
    shortlistOverruns: overShortlist,
    noContact,
    emails,
  };
  const digest = digestEmail(model, input, result, daysBefore, every, sent);
  if (digest) emails.push(digest);
  return result;
}

function unitEmail(model: CampaignModel, unitId: string, rounds: UnitRoundPoints[], now: number): PlannedEmail {
  const timeZone = model.timeZone;
  const phrases = wording(model);
  const unit = model.unit(unitId);
  const campaign = model.campaign;
  const worst = rounds.some((r) => r.window.kind === 'locked')
    ? 'locked'
    : rounds.some((r) => r.window.kind === 'overdue')
      ? 'overdue'
      : 'before';
  const subjectLead =
    worst === 'locked'
      ? 'Đã khóa sổ, đơn vị chưa gửi báo cáo'
      : worst === 'overdue'
        ? 'Báo cáo đã quá hạn'
        : 'Nhắc hạn gửi báo cáo';
  const parts: string[] = [`Kính gửi: ${unit.name},`, ''];
  parts.push(
    `${campaign.coordinator.name} xin thông báo tình hình báo cáo ${campaign.title} theo ${campaign.source}, tính đến ${formatViDateTime(now, timeZone)}.`,
  );
  for (const roundPoints of rounds) {
    const round = model.round(roundPoints.roundId);
    parts.push('', `${round.name.toUpperCase()} (${round.description})`);
    if (roundPoints.window.kind === 'before') parts.push(`Hạn gửi: ${phrases.dueInFull(roundPoints.roundId)}.`);
    else if (roundPoints.window.kind === 'overdue')
      parts.push(
        `Hạn gửi (${phrases.dueInFull(roundPoints.roundId)}) đã qua. Đề nghị đơn vị khẩn trương hoàn thành trước khi khóa sổ lúc ${phrases.at(model.lockAt(roundPoints.roundId))}.`,
      );
    else
      parts.push(
        `Đợt báo cáo đã khóa sổ lúc ${phrases.at(model.lockAt(roundPoints.roundId))}. Đề nghị đơn vị liên hệ ${campaign.coordinator.name} để được hướng dẫn.`,
      );
    parts.push('Những việc cần hoàn thành:', ...roundPoints.lines.map((l) => `  - ${l}`));
    // Each nominee's own verdict: a nominee's problem never holds the report back, so it is said apart.
    const nominees = roundPoints.nominees ?? [];
    if (nominees.length) {
      const table = nominationsTable(model);
      parts.push(
        `Kết quả xét ${(table?.label ?? 'đề nghị khen thưởng').toLowerCase()} (không ảnh hưởng việc tiếp nhận báo cáo):`,
      );
      for (const nominee of nominees) {
        const verdict = nominee.verdict ?? (nominee.eligible === false ? 'ineligible' : 'ok');
        const exempt = nominee.exempt ? ', không thuộc diện xét danh hiệu thi đua' : '';
        parts.push(
          `  - ${nominee.name ?? '(chưa ghi tên)'}${nominee.award ? ` (${model.award(nominee.award).name}${exempt})` : ''}: ${verdictLabel(model, table, verdict)}.`,
        );
      }
    }
    if (roundPoints.url) parts.push(`Bảng tính của đơn vị: ${roundPoints.url}`);
  }
  parts.push('');
  if (rounds.some((r) => r.window.kind !== 'locked'))
    parts.push(
      `Sau khi hoàn thành, đề nghị đơn vị ${phrases.howToSend}; dòng "Tình trạng" ở đầu mỗi trang sẽ cho biết báo cáo đã được tiếp nhận.`,
    );
  parts.push(
    'Nếu đơn vị đã gửi báo cáo theo đường khác, xin trả lời thư này để chúng tôi cập nhật.',
    '',
    'Trân trọng,',
    campaign.coordinator.name,
    campaign.coordinator.emails.join(', '),
  );
  return {
    kind: 'unit',
    unitId,
    to: unit.emails,
    subject: `[${campaign.shortTitle}] ${subjectLead}: ${unit.name}`,
    text: parts.join('\n'),
    keys: [...new Set(rounds.flatMap((r) => r.keys))],
  };
}

/**
 * The coordinators' digest, only when there is something to report: at most once a day
 * while a round is in its reminder or overdue period and still has missing or late units,
 * once when a round locks with units missing or late (its final list), and once per new
 * city-shortlist overrun. Nothing due, nothing missing or late: no digest.
 */
function digestEmail(
  model: CampaignModel,
  input: SweepInput,
  result: SweepResult,
  daysBefore: number[],
  every: number,
  sent: Set<string>,
): PlannedEmail | null {
  const timeZone = model.timeZone;
  const phrases = wording(model);
  const campaign = model.campaign;
  const name = (id: string) => model.findUnit(id)?.name ?? id;
  const roundName = (id: string) => model.findRound(id)?.name ?? id;
  const day = civilDateOf(input.now, timeZone);
  const keys: string[] = [];
  const sections: string[] = [];
  for (const roundInput of input.rounds) {
    const win = reminderWindow(model, roundInput.roundId, input.now, daysBefore, every);
    if (!win) continue;
    const round = model.round(roundInput.roundId);
    const expected = roundInput.units.filter(
      (u) => model.findUnit(u.unitId) && model.isExpected(u.unitId, roundInput.roundId),
    );
    const submitted = expected.filter((u) => u.submission);
    const late = submitted.filter((u) => u.submission!.late);
    const missing = expected.filter((u) => !u.submission);
    if (!missing.length && !late.length) continue;
    const key = win.kind === 'locked' ? `digest__${roundInput.roundId}__final` : `digest__${day}`;
    if (win.kind === 'locked' && sent.has(key)) continue;
    keys.push(key);
    const invalid = missing.filter((u) => u.state?.status === 'invalid');
    const overdue = input.now >= model.dueAt(roundInput.roundId);
    const missingLabel = win.kind === 'locked' ? 'Chưa nộp (đã khóa sổ)' : overdue ? 'Chưa nộp (quá hạn)' : 'Chưa nộp';
    sections.push(
      '',
      `${round.name.toUpperCase()} (hạn: ${phrases.due(roundInput.roundId)}; khóa sổ lúc ${phrases.at(model.lockAt(roundInput.roundId))})`,
      `  Phải nộp: ${expected.length}. Đã nộp: ${submitted.length} (đúng hạn ${submitted.length - late.length}, muộn ${late.length}). ${missingLabel}: ${missing.length}, trong đó còn lỗi: ${invalid.length}.`,
    );
    if (missing.length) sections.push(`  ${missingLabel}: ${missing.map((u) => name(u.unitId)).join('; ')}.`);
    if (late.length)
      sections.push(
        `  Nộp muộn: ${late.map((u) => `${name(u.unitId)} (${formatViDateTime(u.submission!.firstAcceptedAt, timeZone)})`).join('; ')}.`,
      );
  }
  for (const overrun of result.shortlistOverruns)
    keys.push(`digest__shortlist__${overrun.scope}__${overrun.kind}__${overrun.count}`);
  // A locality whose UBND and police both nominate for the once-per-locality award: news once per locality and round.
  const localityLines: string[] = [];
  for (const roundInput of input.rounds) {
    const byUnit = new Map(
      roundInput.units.filter((u) => u.state?.nominations.length).map((u) => [u.unitId, u.state!.nominations]),
    );
    for (const overlap of localityOverlaps(model, byUnit)) {
      keys.push(`digest__locality__${roundInput.roundId}__${overlap.award}__${overlap.locality}`);
      localityLines.push(
        `  - ${input.rounds.length > 1 ? `${model.round(roundInput.roundId).name}: ` : ''}${overlap.message}`,
      );
    }
  }
  // Each new set of extra grants on a sheet is news once; the section repeats while they stay.
  const sharing = input.sharing ?? [];
  for (const sharedSheet of sharing)
    keys.push(`digest__sharing__${sharedSheet.roundId}__${sharedSheet.unitId}__${grantsKey(sharedSheet.grants)}`);
  const fresh = [...new Set(keys)].filter((k) => !sent.has(k));
  if (!fresh.length) return null;

  const parts: string[] = [
    `Kính gửi: ${campaign.coordinator.name},`,
    '',
    `Tổng hợp tình hình báo cáo ${campaign.title}, tính đến ${formatViDateTime(input.now, timeZone)}:`,
    ...sections,
  ];
  const kind = (k: string) => KIND_LABEL[k] ?? '';
  if (result.quotaOverruns.length)
    parts.push(
      '',
      'Đề nghị khen thưởng vượt định mức (bản nháp, chưa được tiếp nhận):',
      ...result.quotaOverruns.map(
        (q) =>
          `  - ${name(q.unit)} (${roundName(q.roundId)}): ${model.award(q.award).name}, đang đề nghị ${q.count}${kind(q.kind)}, tối đa ${q.limit}.`,
      ),
    );
  if (result.ineligible.length)
    parts.push(
      '',
      'Đối tượng đề nghị chưa đạt tiêu chuẩn:',
      ...result.ineligible.map(
        (i) =>
          `  - ${name(i.unit)} (${roundName(i.roundId)}): ${i.nominee || '(chưa ghi tên)'}${i.award ? ` (${model.award(i.award).name})` : ''}.`,
      ),
    );
  if (localityLines.length) parts.push('', 'Cùng một địa phương đề nghị nhiều hơn định mức:', ...localityLines);
  if (sharing.length)
    parts.push(
      '',
      'Bảng tính đơn vị được chia sẻ ngoài hệ thống (kiểm tra và gỡ quyền nếu không đúng):',
      ...sharing.map((f) => `  - ${name(f.unitId)} (${model.findRound(f.roundId)?.name ?? f.roundId}): ${f.reason}`),
    );
  if (result.noContact.length)
    parts.push(
      '',
      `Đơn vị chưa có địa chỉ thư điện tử, chưa gửi được thư nhắc (đề nghị liên hệ trực tiếp): ${result.noContact.map(name).join('; ')}.`,
    );
  // The city shortlist exists only in a campaign with nominations; its award names it. A section
  // of its own, one full sentence per quota line (a bare "… trong định mức." read as a fragment).
  if (campaign.cityShortlist.limits.length > 0) {
    const award = campaign.cityShortlist.award;
    parts.push('', `Danh sách đề xuất ${model.award(award).name} của thành phố, theo từng định mức:`);
    for (const limit of campaign.cityShortlist.limits) {
      const chosen = input.shortlisted.filter((n) => n.award === award && n.scope === limit.scope);
      const over = result.shortlistOverruns.some((o) => o.scope === limit.scope);
      parts.push(
        `  - ${limit.description}: đang chọn ${formatViNumber(chosen.length)}, ${over ? 'VƯỢT định mức, cần bớt' : 'trong định mức'}.`,
      );
    }
  }
  parts.push('', 'Chi tiết từng đơn vị xem ở bảng tổng hợp (trang "Tình trạng nộp").', '', 'Hệ thống theo dõi báo cáo');
  return {
    kind: 'digest',
    unitId: null,
    to: campaign.coordinator.emails,
    subject: `[${campaign.shortTitle}] Tổng hợp tình hình báo cáo ngày ${formatCivilDate(day)}`,
    text: parts.join('\n'),
    keys: fresh,
  };
}

/** A short, stable key for a set of grants (FNV-1a, hex): document ids stay short whatever the grants. */
function grantsKey(grants: string[]): string {
  let hash = 0x811c9dc5;
  for (const character of grants.join('\n')) {
    hash ^= character.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
