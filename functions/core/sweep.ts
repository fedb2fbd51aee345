/**
 * Compliance at an instant: who has not done what by when, and what to tell them. Pure:
 * the instant and every unit's state are parameters. Each finding carries a key
 * (round, unit, rule, window) so the adapter can send each reminder exactly once.
 *
 * Windows: before the due time, the reminder offsets (default 7 and 2 days before, and the
 * last day); after it, an overdue notice every `overdueEveryDays`; after the lock, one final notice.
 */
import type { CampaignModel } from './campaign-model.js';
import type { ViewNomination } from './master-view.js';
import { formatViNumber } from './messages.js';
import { shortlistOverruns, type QuotaOverrun } from './nominations.js';
import { civilDateOf, civilDaysBetween, formatCivilDate, formatViDateTime, formatViDateWithWeekday, startOfCivilDate } from './time.js';

export interface SweepUnitInput {
  unitId: string;
  state: {
    status: 'empty' | 'draft' | 'invalid' | 'ready';
    errors: number;
    warnings: number;
    pendingCount: number;
    quotaOverruns: Omit<QuotaOverrun, 'excess'>[];
    nominations: Pick<ViewNomination, 'name' | 'award' | 'eligible' | 'ineligibleReasons'>[];
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
}

export type SweepRule = 'not-submitted' | 'final-missing' | 'late' | 'invalid' | 'draft' | 'quota' | 'ineligible' | 'dossier' | 'shortlist-quota';

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

export interface SweepResult {
  at: string;
  findings: SweepFinding[];
  missing: string[];
  late: string[];
  dueSoon: string[];
  invalid: string[];
  quotaOverruns: { unit: string; award: string; kind: string; limit: number; count: number }[];
  ineligible: { unit: string; nominee: string; award: string | null; reason: string }[];
  shortlistOverruns: Omit<QuotaOverrun, 'excess'>[];
  emails: PlannedEmail[];
}

export type Window = { kind: 'before'; offset: number } | { kind: 'overdue'; index: number } | { kind: 'locked' } | null;

export function reminderWindow(model: CampaignModel, roundId: string, now: number, daysBefore: number[], overdueEveryDays: number): Window {
  const tz = model.timeZone;
  const today = civilDateOf(now, tz);
  if (now < model.dueAt(roundId)) {
    const daysLeft = civilDaysBetween(today, model.lastOnTimeDate(roundId));
    const offset = [...daysBefore].sort((a, b) => a - b).find((d) => d >= daysLeft);
    return offset === undefined ? null : { kind: 'before', offset };
  }
  if (now < model.lockAt(roundId)) {
    const firstLateDate = civilDateOf(model.dueAt(roundId), tz);
    return { kind: 'overdue', index: Math.floor(civilDaysBetween(firstLateDate, today) / overdueEveryDays) };
  }
  return { kind: 'locked' };
}

const windowKey = (w: Exclude<Window, null>) => (w.kind === 'before' ? `d-${w.offset}` : w.kind === 'overdue' ? `overdue-${w.index}` : 'final');

export function sweep(model: CampaignModel, input: SweepInput): SweepResult {
  const { now } = input;
  const daysBefore = input.options?.daysBefore ?? model.campaign.reminders.daysBefore;
  const every = input.options?.overdueEveryDays ?? model.campaign.reminders.overdueEveryDays;
  const tz = model.timeZone;
  const findings: SweepFinding[] = [];
  const lists = { missing: new Set<string>(), late: new Set<string>(), dueSoon: new Set<string>(), invalid: new Set<string>() };
  const quotaList: SweepResult['quotaOverruns'] = [];
  const ineligibleList: SweepResult['ineligible'] = [];
  const unitPoints = new Map<string, { roundId: string; lines: string[]; keys: string[]; window: Exclude<Window, null>; url: string | null }[]>();

  for (const round of input.rounds) {
    const win = reminderWindow(model, round.roundId, now, daysBefore, every);
    for (const u of round.units) {
      if (!model.findUnit(u.unitId) || !model.isExpected(u.unitId, round.roundId)) continue;
      const add = (rule: SweepRule, window: string, reason: string) => {
        const f = { roundId: round.roundId, unitId: u.unitId, rule, window, reason, key: `${round.roundId}__${u.unitId}__${rule}__${window}` };
        findings.push(f);
        return f;
      };
      if (u.submission) {
        if (u.submission.late) {
          lists.late.add(u.unitId);
          add('late', 'flag', `Nộp muộn: gửi lần đầu lúc ${formatViDateTime(u.submission.firstAcceptedAt, tz)}, hạn là trước ngày ${formatCivilDate(model.round(round.roundId).dueDate)}.`);
        }
        continue;
      }
      const overdue = now >= model.dueAt(round.roundId);
      if (overdue) lists.missing.add(u.unitId);
      else if (win) lists.dueSoon.add(u.unitId);
      if (u.state?.status === 'invalid') lists.invalid.add(u.unitId);
      if (!win) continue;
      const wk = windowKey(win);
      const points: string[] = [];
      const keys: string[] = [];
      const point = (rule: SweepRule, reason: string, line: string) => {
        keys.push(add(rule, wk, reason).key);
        points.push(line);
      };
      if (win.kind === 'locked') {
        point('final-missing', 'Đã khóa sổ, đơn vị chưa gửi báo cáo.', 'Đợt báo cáo đã khóa sổ mà hệ thống chưa nhận được báo cáo hợp lệ của đơn vị.');
      } else {
        const s = u.state;
        const what =
          !s || s.status === 'empty'
            ? 'Bảng tính chưa có số liệu.'
            : s.status === 'invalid'
              ? `Bảng tính còn ${s.errors} lỗi${s.warnings ? `, ${s.warnings} cảnh báo` : ''} (ô tô đỏ), nên báo cáo chưa được tiếp nhận.`
              : s.status === 'draft'
                ? `Báo cáo chưa được gửi: chưa tích ô "Đã hoàn thành, gửi báo cáo"${s.pendingCount ? `, còn ${s.pendingCount} mục bắt buộc chưa điền` : ''}.`
                : 'Báo cáo đã hợp lệ nhưng chưa được tiếp nhận; hãy kiểm tra lại bảng tính.';
        point('not-submitted', overdue ? 'Quá hạn, chưa gửi báo cáo.' : 'Sắp đến hạn, chưa gửi báo cáo.', what);
        if (s?.status === 'invalid') keys.push(add('invalid', wk, `Còn ${s.errors} lỗi.`).key);
        if (s?.status === 'draft') keys.push(add('draft', wk, 'Đang nhập, chưa gửi.').key);
        for (const o of s?.quotaOverruns ?? []) {
          quotaList.push({ unit: u.unitId, award: o.award, kind: o.kind, limit: o.limit, count: o.count });
          point('quota', `Vượt định mức ${model.award(o.award).name}.`, `Đề nghị ${model.award(o.award).name} vượt định mức (${o.description}): đang đề nghị ${formatViNumber(o.count)}.`);
        }
        for (const n of s?.nominations ?? []) {
          if (n.eligible !== false) continue;
          const reason = n.ineligibleReasons.join(' ');
          ineligibleList.push({ unit: u.unitId, nominee: n.name ?? '', award: n.award, reason });
          point('ineligible', `Đối tượng chưa đạt tiêu chuẩn: ${n.name}.`, `${n.name ?? '(chưa ghi tên)'}${n.award ? ` (${model.award(n.award).name})` : ''} chưa đạt tiêu chuẩn khen thưởng: ${reason}`);
        }
        if (s && s.dossierMissing.length && s.nominations.length) {
          point('dossier', 'Hồ sơ khen thưởng còn thiếu.', `Hồ sơ đề nghị khen thưởng còn thiếu: ${s.dossierMissing.join('; ')}.`);
        }
      }
      const list = unitPoints.get(u.unitId) ?? [];
      list.push({ roundId: round.roundId, lines: points, keys, window: win, url: u.sheetUrl });
      unitPoints.set(u.unitId, list);
    }
  }

  const overShortlist = shortlistOverruns(model, input.shortlisted).map(({ excess, ...o }) => o);
  for (const o of overShortlist) {
    findings.push({ roundId: '*', unitId: model.campaign.coordinator.unit, rule: 'shortlist-quota', window: 'flag', reason: `Danh sách đề xuất lên Bộ vượt định mức: ${o.description}, đang chọn ${o.count}.`, key: `shortlist__${o.scope}__${o.kind}` });
  }

  const emails: PlannedEmail[] = [];
  for (const [unitId, rounds] of unitPoints) {
    const unit = model.unit(unitId);
    if (!unit.emails.length) continue;
    emails.push(unitEmail(model, unitId, rounds, now));
  }
  const result: SweepResult = {
    at: new Date(now).toISOString(),
    findings,
    missing: [...lists.missing],
    late: [...lists.late],
    dueSoon: [...lists.dueSoon],
    invalid: [...lists.invalid],
    quotaOverruns: quotaList,
    ineligible: ineligibleList,
    shortlistOverruns: overShortlist,
    emails,
  };
  const active = input.rounds.some((r) => reminderWindow(model, r.roundId, now, daysBefore, every) !== null);
  if (active || result.late.length || overShortlist.length) emails.push(digestEmail(model, input, result));
  return result;
}

function unitEmail(model: CampaignModel, unitId: string, rounds: { roundId: string; lines: string[]; keys: string[]; window: Exclude<Window, null>; url: string | null }[], now: number): PlannedEmail {
  const tz = model.timeZone;
  const unit = model.unit(unitId);
  const c = model.campaign;
  const worst = rounds.some((r) => r.window.kind === 'locked') ? 'locked' : rounds.some((r) => r.window.kind === 'overdue') ? 'overdue' : 'before';
  const subjectLead = worst === 'locked' ? 'Đã khóa sổ, đơn vị chưa gửi báo cáo' : worst === 'overdue' ? 'Báo cáo đã quá hạn' : 'Nhắc hạn gửi báo cáo';
  const parts: string[] = [`Kính gửi: ${unit.name},`, ''];
  parts.push(`${c.coordinator.name} xin thông tin tình hình báo cáo ${c.title} theo ${c.source}, tính đến ${formatViDateTime(now, tz)}.`);
  for (const r of rounds) {
    const round = model.round(r.roundId);
    const lastDay = formatViDateWithWeekday(startOfCivilDate(model.lastOnTimeDate(r.roundId), tz), tz);
    parts.push('', `${round.name.toUpperCase()} (${round.description})`);
    if (r.window.kind === 'before') parts.push(`Hạn gửi: trước ngày ${formatCivilDate(round.dueDate)}, tức muộn nhất 23:59 ${lastDay}.`);
    else if (r.window.kind === 'overdue') parts.push(`Hạn gửi (trước ngày ${formatCivilDate(round.dueDate)}) đã qua. Đề nghị đơn vị khẩn trương hoàn thành trước khi khóa sổ lúc ${formatViDateTime(model.lockAt(r.roundId), tz)}.`);
    else parts.push(`Đợt báo cáo đã khóa sổ lúc ${formatViDateTime(model.lockAt(r.roundId), tz)}. Đề nghị đơn vị liên hệ ${c.coordinator.name} để được hướng dẫn.`);
    parts.push('Những việc cần hoàn thành:', ...r.lines.map((l) => `  - ${l}`));
    if (r.url) parts.push(`Bảng tính của đơn vị: ${r.url}`);
  }
  parts.push(
    '',
    'Sau khi sửa xong, xin tích ô "Đã hoàn thành, gửi báo cáo" ở trang Xác nhận; dòng "Tình trạng" ở đầu mỗi trang sẽ cho biết báo cáo đã được tiếp nhận.',
    'Nếu đơn vị đã gửi báo cáo theo đường khác, xin trả lời thư này để chúng tôi cập nhật.',
    '',
    'Trân trọng,',
    c.coordinator.name,
    c.coordinator.emails.join(', '),
  );
  return { kind: 'unit', unitId, to: unit.emails, subject: `[${c.shortTitle}] ${subjectLead}: ${unit.name}`, text: parts.join('\n'), keys: rounds.flatMap((r) => r.keys) };
}

function digestEmail(model: CampaignModel, input: SweepInput, result: SweepResult): PlannedEmail {
  const tz = model.timeZone;
  const c = model.campaign;
  const name = (id: string) => model.findUnit(id)?.name ?? id;
  const parts: string[] = [`Kính gửi: ${c.coordinator.name},`, '', `Tổng hợp tình hình báo cáo tính đến ${formatViDateTime(input.now, tz)}:`];
  for (const r of input.rounds) {
    const round = model.round(r.roundId);
    const expected = r.units.filter((u) => model.findUnit(u.unitId) && model.isExpected(u.unitId, r.roundId));
    const submitted = expected.filter((u) => u.submission);
    const late = submitted.filter((u) => u.submission!.late);
    const missing = expected.filter((u) => !u.submission);
    const invalid = missing.filter((u) => u.state?.status === 'invalid');
    const overdue = input.now >= model.dueAt(r.roundId);
    parts.push(
      '',
      `${round.name.toUpperCase()} (hạn: trước ngày ${formatCivilDate(round.dueDate)}; khóa sổ ${formatViDateTime(model.lockAt(r.roundId), tz)})`,
      `  Phải nộp: ${expected.length}. Đã nộp: ${submitted.length} (đúng hạn ${submitted.length - late.length}, muộn ${late.length}). ${overdue ? 'Chưa nộp (quá hạn)' : 'Chưa nộp'}: ${missing.length}, trong đó còn lỗi: ${invalid.length}.`,
    );
    if (missing.length) parts.push(`  ${overdue ? 'Chưa nộp (quá hạn)' : 'Chưa nộp'}: ${missing.map((u) => name(u.unitId)).join('; ')}.`);
    if (late.length) parts.push(`  Nộp muộn: ${late.map((u) => `${name(u.unitId)} (${formatViDateTime(u.submission!.firstAcceptedAt, tz)})`).join('; ')}.`);
  }
  if (result.quotaOverruns.length) parts.push('', 'Đề nghị khen thưởng vượt định mức (bản nháp, chưa được tiếp nhận):', ...result.quotaOverruns.map((q) => `  - ${name(q.unit)}: ${model.award(q.award).name}, đang đề nghị ${q.count}, tối đa ${q.limit}.`));
  if (result.ineligible.length) parts.push('', 'Đối tượng đề nghị chưa đạt tiêu chuẩn:', ...result.ineligible.map((i) => `  - ${name(i.unit)}: ${i.nominee}${i.award ? ` (${model.award(i.award).name})` : ''}.`));
  parts.push('', result.shortlistOverruns.length ? `Danh sách đề xuất lên Bộ Công an VƯỢT định mức: ${result.shortlistOverruns.map((o) => `${o.description} (đang chọn ${o.count})`).join('; ')}.` : 'Danh sách đề xuất lên Bộ Công an trong định mức.');
  parts.push('', 'Chi tiết từng đơn vị xem ở bảng tổng hợp (trang "Tình trạng nộp").', '', 'Hệ thống theo dõi báo cáo');
  const day = civilDateOf(input.now, tz);
  return { kind: 'digest', unitId: null, to: c.coordinator.emails, subject: `[${c.shortTitle}] Tổng hợp tình hình báo cáo ngày ${formatCivilDate(day)}`, text: parts.join('\n'), keys: [`digest__${day}`] };
}
