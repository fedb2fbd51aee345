/**
 * The compliance sweep on the whole local stack: provisioned sheets typed by clerks
 * and processed by the real pipeline, the real HTTP function called with the local scheduler's
 * secret, Firestore (emulator) for flags and reminder claims, and real SMTP: maildev behind the
 * function, and an in-process `smtp-server` the test controls to make deliveries fail.
 * Each reminder must be delivered exactly once: the same instant twice, two sweeps at once,
 * and a failed send retried by the next run, never duplicated, never lost.
 * The tests run in order, on one business timeline (so-ket-2020, due "trước ngày 15/7/2020").
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep, type SweepJson, type SweepRun } from '../../functions/app/sweep.js';
import { createSmtpMailer, type Mailer } from '../../functions/adapters/smtp-mailer.js';
import type { CaughtEmail } from '../../scripts/local-stack/mail-server.js';
import { freePort } from '../../scripts/local-stack/free-port.js';
import { model, unitsOfKind, MAIN_PERIOD } from '../helpers/campaign.js';
import { FLAGS_FIELD, storedCollection } from '../helpers/store-documents.js';
import { nomineeRow, validSubmission } from '../helpers/fill-workbook.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const ROUND = 'so-ket-2020';
const COORDINATOR_MAIL = 'xdpt-tonghop@hanoi.example';
const FROM = 'He thong bao cao 521 <bao-cao@hanoi.example>';

/** What the complianceSweep function answers: the CLI's JSON shape plus what was sent. */
type SweepResponse = SweepJson & { sent: number; failed: number; alreadySent: number };

/** An SMTP server in this process: rejects the recipients in `reject`, keeps what it accepts. */
async function startSmtp() {
  const inbox: ParsedMail[] = [];
  const reject = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (reject.has(address.address))
        return callback(Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          inbox.push(mail);
          callback();
        },
        (e: Error) => callback(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { inbox, reject, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const recipients = (mails: { to: string[] }[]) => mails.flatMap((m) => m.to).sort();
const countBy = (xs: string[]) =>
  xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
const addressOf = (unitId: string) => `${unitId}@hanoi.example`;
const parsedTo = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));

describe('compliance sweep end to end: exactly-once reminders over real SMTP', () => {
  let stack: TestStack;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const mailers: Mailer[] = [];
  const EXPECTED = ['district', 'district-police', 'catp-department', 'catp-security-department', 'sector'].flatMap(
    (k) => unitsOfKind(model, k),
  );
  const sheetUrl: Record<string, string> = {};

  const sweepAt = async (iso: string, extra: Record<string, unknown> = {}) =>
    (await stack.fire('compliance-sweep', { at: iso, ...extra })) as SweepResponse;
  const mailsAt = async (hhmmDate: string): Promise<CaughtEmail[]> =>
    (await stack.listEmails()).filter((m) => m.text?.includes(`tính đến ${hhmmDate}`));
  const reminderIds = async () => (await storedCollection(stack.runtime, 'reminders').get()).docs.map((d) => d.id);
  const mailer = async (port: number) => {
    const mailer = await createSmtpMailer({
      host: '127.0.0.1',
      port,
      secure: false,
      from: FROM,
      connectionTimeoutMs: 2_000,
    });
    mailers.push(mailer);
    return mailer;
  };

  beforeAll(async () => {
    stack = await startTestStack({ at: '2020-07-06T08:00:00+07:00' });
    smtp = await startSmtp();
    await stack.provision([ROUND]);
    const model = stack.runtime.model;
    for (const unit of ['ubnd-hoan-kiem', 'ca-ba-dinh', 'ubnd-tay-ho', 'ubnd-ba-dinh'])
      sheetUrl[unit] = (await stack.runtime.store.unitSheet(ROUND, unit))!.url;

    // On time, 06/07: a complete valid submission.
    await stack.typeSubmission('ubnd-ba-dinh', ROUND);
    // Still invalid: one figure typed as words.
    const invalid = validSubmission(model, 'ubnd-hoan-kiem', ROUND);
    invalid.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = '12 buổi';
    await stack.typeSubmission('ubnd-hoan-kiem', ROUND, invalid);
    // Two Bằng khen Bộ Công an (quota: 1 in total), and one nominee below the yearly title.
    const police = validSubmission(model, 'ca-ba-dinh', ROUND);
    police.lists.khen_thuong = [
      nomineeRow(model, {
        award: 'bkbca',
        type: 'individual',
        scope: 'cand',
        name: 'Thượng tá Trần Văn Minh',
        giayKhen: 3,
      }),
      nomineeRow(model, {
        award: 'bkbca',
        type: 'collective',
        scope: 'cand',
        name: 'Đội Cảnh sát khu vực',
        giayKhen: 3,
      }),
      nomineeRow(model, {
        award: 'gkcatp',
        type: 'individual',
        scope: 'cand',
        name: 'Đại úy Lê Văn Nam',
        titles: ['chien_si_tien_tien', 'khong_dat', 'chien_si_tien_tien', 'chien_si_tien_tien', 'chien_si_tien_tien'],
        giayKhen: 0,
        bangKhen: 0,
      }),
    ];
    // Nominees never hold a report back: a report error keeps this unit unsent, so it is chased.
    police.confirmation.dien_thoai = '0912 345';
    await stack.typeSubmission('ca-ba-dinh', ROUND, police);
    // Complete but the box not ticked: a draft.
    const draft = validSubmission(model, 'ubnd-tay-ho', ROUND);
    draft.confirmation.da_hoan_thanh = false;
    await stack.typeSubmission('ubnd-tay-ho', ROUND, draft);
    for (const unit of ['ubnd-ba-dinh', 'ubnd-hoan-kiem', 'ca-ba-dinh', 'ubnd-tay-ho'])
      await stack.process(unit, ROUND);
    await stack.triggersIdle();
  }, 120_000);

  afterAll(async () => {
    for (const mailer of mailers) mailer.close();
    await smtp?.close();
    await stack?.dispose();
  });

  it('the states the pipeline stored are the ones the sweep will read', async () => {
    expect(EXPECTED).toHaveLength(74);
    const state = (u: string) => stack.runtime.store.state(ROUND, u);
    expect((await stack.runtime.store.submission(ROUND, 'ubnd-ba-dinh'))?.late).toBe(false);
    expect((await state('ubnd-hoan-kiem'))?.status).toBe('invalid');
    expect((await state('ubnd-hoan-kiem'))?.errors).toBe(1);
    expect((await state('ca-ba-dinh'))?.quotaOverruns.map((o) => [o.award, o.kind, o.limit, o.count])).toEqual([
      ['bkbca', 'total', 1, 2],
    ]);
    expect((await state('ubnd-tay-ho'))?.status).toBe('draft');
    expect(await stack.runtime.store.submission(ROUND, 'ubnd-tay-ho')).toBeNull();
  });

  it('a dry run at d-7 plans the mail but sends nothing and records nothing', async () => {
    const response = await sweepAt('2020-07-08T08:00:00+07:00', { dryRun: true });
    expect(response.emails).toHaveLength(EXPECTED.length - 1 + 1);
    expect(response.sent).toBe(0);
    expect(await stack.listEmails()).toEqual([]);
    expect(await reminderIds()).toEqual([]);
    expect((await storedCollection(stack.runtime, 'flags').get()).size).toBe(0);
  });

  it('d-7 through the HTTP function: one message per unit with something to do, the digest, the flags', async () => {
    const response = await sweepAt('2020-07-08T08:00:00+07:00');
    expect(response.at).toBe('2020-07-08T01:00:00.000Z');
    expect(response.missing).toEqual([]);
    expect(response.late).toEqual([]);
    expect([...response.dueSoon].sort()).toEqual(EXPECTED.filter((u) => u !== 'ubnd-ba-dinh').sort());
    expect(response.invalid).toEqual(['ubnd-hoan-kiem', 'ca-ba-dinh']);
    expect(response.quotaOverruns).toEqual([
      { roundId: ROUND, unit: 'ca-ba-dinh', award: 'bkbca', kind: 'total', limit: 1, count: 2 },
    ]);
    expect(response.ineligible).toEqual([
      {
        roundId: ROUND,
        unit: 'ca-ba-dinh',
        nominee: 'Đại úy Lê Văn Nam',
        award: 'gkcatp',
        reason:
          'Ô I20: năm 2016 "Đại úy Lê Văn Nam" đạt "Không đạt danh hiệu", chưa đạt tiêu chuẩn "Chiến sĩ tiên tiến" trở lên mỗi năm 2015–2019 (mục IV.3 Kế hoạch 127).',
      },
    ]);
    expect(response.emails).toHaveLength(EXPECTED.length);
    expect({ sent: response.sent, failed: response.failed, alreadySent: response.alreadySent }).toEqual({
      sent: EXPECTED.length,
      failed: 0,
      alreadySent: 0,
    });

    const mails = await stack.listEmails();
    expect(recipients(mails)).toEqual(
      [...EXPECTED.filter((u) => u !== 'ubnd-ba-dinh').map(addressOf), COORDINATOR_MAIL].sort(),
    );

    const hoanKiem = mails.find((m) => m.to.includes(addressOf('ubnd-hoan-kiem')))!;
    expect(hoanKiem.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Nhắc hạn gửi báo cáo: UBND quận Hoàn Kiếm');
    expect(hoanKiem.text).toContain('Kính gửi: UBND quận Hoàn Kiếm,');
    expect(hoanKiem.text).toContain('Hạn gửi: trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020.');
    expect(hoanKiem.text).toContain('  - Bảng tính còn 1 lỗi (ô tô đỏ), nên báo cáo chưa được tiếp nhận.');
    expect(hoanKiem.text).toContain(`Bảng tính của đơn vị: ${sheetUrl['ubnd-hoan-kiem']}`);
    expect(sheetUrl['ubnd-hoan-kiem']).toMatch(/^https:\/\/docs\.google\.com\/spreadsheets\/d\/.+/);

    const police = mails.find((m) => m.to.includes(addressOf('ca-ba-dinh')))!;
    expect(police.text).toContain('Kính gửi: Công an quận Ba Đình,');
    expect(police.text).toContain(
      '  - Đề nghị Bằng khen Bộ Công an vượt định mức (tối đa 01 tập thể hoặc 01 cá nhân): đơn vị đang đề nghị 2, tối đa 1.',
    );
    expect(police.text).toContain(
      '  - Đại úy Lê Văn Nam (Giấy khen Giám đốc CATP) chưa đạt tiêu chuẩn khen thưởng: Ô I20: năm 2016',
    );
    expect(police.text).toContain(`Bảng tính của đơn vị: ${sheetUrl['ca-ba-dinh']}`);

    const draft = mails.find((m) => m.to.includes(addressOf('ubnd-tay-ho')))!;
    expect(draft.text).toContain(
      '  - Báo cáo chưa được gửi: chưa tích ô "Đã hoàn thành, gửi báo cáo" ở trang Xác nhận.',
    );

    const digest = mails.find((m) => m.to.includes(COORDINATOR_MAIL))!;
    expect(digest.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Tổng hợp tình hình báo cáo ngày 08/07/2020');
    expect(digest.text).toContain('  Phải nộp: 74. Đã nộp: 1 (đúng hạn 1, muộn 0). Chưa nộp: 73, trong đó còn lỗi: 2.');
    expect(digest.text).toContain(
      '  - Công an quận Ba Đình (Báo cáo sơ kết): Bằng khen Bộ Công an, đang đề nghị 2, tối đa 1.',
    );
    expect(digest.text).toContain(
      '  - Công an quận Ba Đình (Báo cáo sơ kết): Đại úy Lê Văn Nam (Giấy khen Giám đốc CATP).',
    );

    // Flags with reason and rule, per round and unit; the master is asked to refresh its status tab.
    const flag = await storedCollection(stack.runtime, 'flags').doc(`${ROUND}__ubnd-hoan-kiem`).get();
    expect(flag.data()?.[FLAGS_FIELD]).toEqual([
      { unitId: 'ubnd-hoan-kiem', rule: 'not-submitted', reason: 'Sắp đến hạn, chưa gửi báo cáo.' },
      { unitId: 'ubnd-hoan-kiem', rule: 'invalid', reason: 'Còn 1 lỗi.' },
    ]);
    const policeFlags = (await storedCollection(stack.runtime, 'flags').doc(`${ROUND}__ca-ba-dinh`).get()).data()?.[
      FLAGS_FIELD
    ] as { rule: string }[];
    expect(policeFlags.map((f) => f.rule)).toEqual(['not-submitted', 'invalid', 'quota', 'ineligible']);
    expect((await storedCollection(stack.runtime, 'flags').doc(`${ROUND}__ubnd-ba-dinh`).get()).exists).toBe(false);
    expect((await stack.runtime.store.meta('master')).requestedAt).toBe(Date.parse('2020-07-08T08:00:00+07:00'));
    // Each reminder key is recorded as sent.
    const key = (
      await storedCollection(stack.runtime, 'reminders').doc(`${ROUND}__ubnd-hoan-kiem__not-submitted__d-7`).get()
    ).data();
    expect(key).toMatchObject({
      status: 'sent',
      unitId: 'ubnd-hoan-kiem',
      sentAt: Date.parse('2020-07-08T08:00:00+07:00'),
    });
  });

  it('the same instant again, and later the same day: nothing is sent twice', async () => {
    const again = await sweepAt('2020-07-08T08:00:00+07:00');
    expect({ emails: again.emails, sent: again.sent, failed: again.failed }).toEqual({
      emails: [],
      sent: 0,
      failed: 0,
    });
    const afternoon = await sweepAt('2020-07-08T16:00:00+07:00');
    expect({ emails: afternoon.emails, sent: afternoon.sent }).toEqual({ emails: [], sent: 0 });
    expect(afternoon.dueSoon).toHaveLength(73);
    expect(await stack.listEmails()).toHaveLength(74);
  });

  it('two sweeps at once (d-2) deliver each reminder once', async () => {
    const [first, second] = await Promise.all([
      sweepAt('2020-07-12T08:00:00+07:00'),
      sweepAt('2020-07-12T08:00:00+07:00'),
    ]);
    expect(first.failed + second.failed).toBe(0);
    expect(first.sent + second.sent).toBe(74);
    const secondDay = await mailsAt('08:00 12/07/2020');
    expect(recipients(secondDay)).toEqual(
      [...EXPECTED.filter((u) => u !== 'ubnd-ba-dinh').map(addressOf), COORDINATOR_MAIL].sort(),
    );
    expect(Object.values(countBy(recipients(secondDay))).every((n) => n === 1)).toBe(true);
    expect(secondDay.find((m) => m.to.includes(addressOf('ubnd-hoan-kiem')))!.text).toContain(
      'Hạn gửi: trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020.',
    );
    // No claim is left half-done: every message record is marked sent.
    const claims = (await storedCollection(stack.runtime, 'reminders').get()).docs.filter((d) =>
      d.id.startsWith('msg__'),
    );
    expect(claims.every((d) => d.data().status === 'sent')).toBe(true);
    expect(claims).toHaveLength(74 * 2);
  });

  it('SMTP failures (d-0): refused connection, then two recipients rejected; the next runs deliver exactly what failed', async () => {
    const at = Date.parse('2020-07-14T08:00:00+07:00');
    const base = { ...stack.runtime };
    const before = await reminderIds();

    // 1. The relay is down: every send fails, nothing is recorded as sent, no claim is left behind.
    const down = await runSweep({ ...base, mailer: await mailer(await freePort()) }, { at });
    expect({ sent: down.sent.length, failed: down.failed.length }).toEqual({ sent: 0, failed: 74 });
    expect(down.failed[0]!.error).toMatch(/ECONNREFUSED|connect/i);
    expect(await reminderIds()).toEqual(before);

    // 2. The relay is up but rejects two mailboxes: those two fail, the others go.
    smtp.reject.add(addressOf('ubnd-hoan-kiem'));
    smtp.reject.add(addressOf('ca-ba-dinh'));
    const partial: SweepRun = await runSweep({ ...base, mailer: await mailer(smtp.port) }, { at });
    expect(partial.failed.map((f) => f.unit).sort()).toEqual(['ca-ba-dinh', 'ubnd-hoan-kiem']);
    expect(partial.sent).toHaveLength(72);
    expect(smtp.inbox).toHaveLength(72);
    expect(
      (await storedCollection(stack.runtime, 'reminders').doc(`${ROUND}__ubnd-hoan-kiem__not-submitted__d-0`).get())
        .exists,
    ).toBe(false);

    // 3. Fixed: the next run sends exactly the two that failed, once.
    smtp.reject.clear();
    const retry = await runSweep({ ...base, mailer: await mailer(smtp.port) }, { at });
    expect(retry.sent.map((x) => x.unit).sort()).toEqual(['ca-ba-dinh', 'ubnd-hoan-kiem']);
    expect(retry.failed).toEqual([]);
    const byRecipient = countBy(smtp.inbox.flatMap(parsedTo));
    expect(Object.keys(byRecipient).sort()).toEqual(
      [...EXPECTED.filter((u) => u !== 'ubnd-ba-dinh').map(addressOf), COORDINATOR_MAIL].sort(),
    );
    expect(Object.values(byRecipient).every((n) => n === 1)).toBe(true);
    const hoanKiem = smtp.inbox.find((m) => parsedTo(m).includes(addressOf('ubnd-hoan-kiem')))!;
    expect(hoanKiem.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Nhắc hạn gửi báo cáo: UBND quận Hoàn Kiếm');
    expect(hoanKiem.text).toContain('Kính gửi: UBND quận Hoàn Kiếm,');
    expect(hoanKiem.text).toContain('  - Bảng tính còn 1 lỗi (ô tô đỏ), nên báo cáo chưa được tiếp nhận.');
    expect(hoanKiem.text).toContain(`Bảng tính của đơn vị: ${sheetUrl['ubnd-hoan-kiem']}`);
    expect(hoanKiem.messageId).toMatch(/^<msg__[0-9a-f]{32}\.hanoi-521-2015-2020@bao-cao\.local>$/);

    // 4. And nothing more after that.
    const after = await runSweep({ ...base, mailer: await mailer(smtp.port) }, { at });
    expect({ sent: after.sent.length, failed: after.failed.length, emails: after.emails.length }).toEqual({
      sent: 0,
      failed: 0,
      emails: 0,
    });
    expect(smtp.inbox).toHaveLength(74);
  });

  it('overdue: notices at the interval; a late submission is flagged and named in the digest, and its unit is not chased', async () => {
    const first = await sweepAt('2020-07-15T08:00:00+07:00');
    expect(first.sent).toBe(74);
    expect([...first.missing].sort()).toEqual(EXPECTED.filter((u) => u !== 'ubnd-ba-dinh').sort());
    const overdue = await mailsAt('08:00 15/07/2020');
    const tayHo = overdue.find((m) => m.to.includes(addressOf('ubnd-tay-ho')))!;
    expect(tayHo.subject).toBe('[Sơ kết QĐ 521 (2015–2020)] Báo cáo đã quá hạn: UBND quận Tây Hồ');
    expect(tayHo.text).toContain(
      'Hạn gửi (trước ngày 15/07/2020, tức muộn nhất 23:59 thứ Ba, 14/07/2020) đã qua. Đề nghị đơn vị khẩn trương hoàn thành trước khi khóa sổ lúc 00:00 thứ Tư, 22/07/2020.',
    );

    // Tây Hồ ticks the box on 16/07 at 09:00: accepted, late.
    stack.clock.set('2020-07-16T09:00:00+07:00');
    await stack.type('ubnd-tay-ho', ROUND, [{ kind: 'form', table: 'xac_nhan', field: 'da_hoan_thanh', value: true }]);
    await stack.process('ubnd-tay-ho', ROUND);
    expect((await stack.runtime.store.submission(ROUND, 'ubnd-tay-ho'))?.late).toBe(true);

    // 17/07: still the first overdue interval (every 3 days): no unit mail, but the day's digest names the late unit.
    const mid = await sweepAt('2020-07-17T08:00:00+07:00');
    expect(mid.late).toEqual(['ubnd-tay-ho']);
    expect(mid.emails.map((e) => e.unit)).toEqual([null]);
    const digest = (await mailsAt('08:00 17/07/2020'))[0]!;
    expect(digest.to).toEqual([COORDINATOR_MAIL]);
    expect(digest.text).toContain(
      '  Phải nộp: 74. Đã nộp: 2 (đúng hạn 1, muộn 1). Chưa nộp (quá hạn): 72, trong đó còn lỗi: 2.',
    );
    expect(digest.text).toContain('  Nộp muộn: UBND quận Tây Hồ (09:00 16/07/2020).');
    expect(digest.text).not.toMatch(/Chưa nộp \(quá hạn\): [^\n]*UBND quận Tây Hồ/);
    const flags = (await storedCollection(stack.runtime, 'flags').doc(`${ROUND}__ubnd-tay-ho`).get()).data()?.[
      FLAGS_FIELD
    ];
    expect(flags).toEqual([
      {
        unitId: 'ubnd-tay-ho',
        rule: 'late',
        reason: 'Nộp muộn: gửi lần đầu lúc 09:00 16/07/2020, hạn là trước ngày 15/07/2020.',
      },
    ]);

    // 18/07: the second interval: a new notice to every unit still missing (not Tây Hồ, not Ba Đình).
    const second = await sweepAt('2020-07-18T08:00:00+07:00');
    expect(second.sent).toBe(73);
    const notices = await mailsAt('08:00 18/07/2020');
    expect(recipients(notices)).toEqual(
      [...EXPECTED.filter((u) => u !== 'ubnd-ba-dinh' && u !== 'ubnd-tay-ho').map(addressOf), COORDINATOR_MAIL].sort(),
    );
  });

  it('after the lock: one final notice per missing unit and the final list, then silence', async () => {
    const locked = await sweepAt('2020-07-22T08:00:00+07:00');
    expect(locked.sent).toBe(73);
    expect(locked.quotaOverruns).toEqual([]);
    const finals = await mailsAt('08:00 22/07/2020');
    const hoanKiem = finals.find((m) => m.to.includes(addressOf('ubnd-hoan-kiem')))!;
    expect(hoanKiem.subject).toBe(
      '[Sơ kết QĐ 521 (2015–2020)] Đã khóa sổ, đơn vị chưa gửi báo cáo: UBND quận Hoàn Kiếm',
    );
    expect(hoanKiem.text).toContain('Đợt báo cáo đã khóa sổ lúc 00:00 thứ Tư, 22/07/2020.');
    const digest = finals.find((m) => m.to.includes(COORDINATOR_MAIL))!;
    expect(digest.text).toContain('  Chưa nộp (đã khóa sổ): UBND quận Hoàn Kiếm; ');
    const total = (await stack.listEmails()).length;
    const later = await sweepAt('2020-07-23T08:00:00+07:00');
    expect({ sent: later.sent, emails: later.emails }).toEqual({ sent: 0, emails: [] });
    expect(later.missing).toHaveLength(72);
    expect(await stack.listEmails()).toHaveLength(total);
  });
});
