import { acceptsConnection } from '../helpers/net.js';

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { startMailServer } from '../../scripts/local-stack/mail-server.js';
import type { MailServer } from '../../scripts/local-stack/mail-server.js';

const running: MailServer[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

async function start(opts: Parameters<typeof startMailServer>[0] = {}): Promise<MailServer> {
  const server = await startMailServer(opts);
  running.push(server);
  return server;
}

async function send(server: MailServer, message: { to: string; subject: string; text: string; html?: string }) {
  const transport = createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'Ban chỉ đạo <bancd@baocao.local>', ...message });
  } finally {
    transport.close();
  }
}

describe('startMailServer', () => {
  it('binds SMTP and web on free loopback ports', async () => {
    const server = await start();
    expect(server.smtpPort).toBeGreaterThan(0);
    expect(server.webPort).toBeGreaterThan(0);
    expect(server.webPort).not.toBe(server.smtpPort);
    expect(server.webUrl).toBe(`http://127.0.0.1:${server.webPort}`);
    const health = await fetch(`${server.webUrl}/api/healthz`);
    expect(health.status).toBe(200);
    // Linux routes all of 127/8 to lo: a wildcard listener would accept on 127.0.0.2 too.
    expect(await acceptsConnection('127.0.0.2', server.smtpPort)).toBe(false);
    expect(await acceptsConnection('127.0.0.2', server.webPort)).toBe(false);
    expect(await acceptsConnection('127.0.0.1', server.smtpPort)).toBe(true);
  });

  it('catches a message sent with nodemailer, Vietnamese subject and body intact', async () => {
    const server = await start();
    const subject = 'Nhắc nộp báo cáo: Quyết định 521/QĐ-TTg – phường Hàng Bạc';
    const text = 'Kính gửi UBND phường Hàng Bạc,\nđề nghị hoàn thành biểu mẫu trước ngày 15/12. Trân trọng.';
    await send(server, {
      to: 'Phường Hàng Bạc <hangbac@hoankiem.local>',
      subject,
      text,
      html: '<p>Đề nghị <b>hoàn thành</b> biểu mẫu.</p>',
    });

    const emails = await server.listEmails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.subject).toBe(subject);
    expect(email?.text?.trim()).toBe(text);
    expect(email?.html).toContain('<b>hoàn thành</b>');
    expect(email?.to).toEqual(['hangbac@hoankiem.local']);
    expect(email?.from).toBe('bancd@baocao.local');
    expect(email?.id).toMatch(/\S+/);
    expect(Number.isNaN(Date.parse(email?.time ?? ''))).toBe(false);
  });

  it('deleteAll() empties only its own inbox', async () => {
    const first = await start();
    const second = await start();
    await send(first, { to: 'a@x.local', subject: 'Thư thứ nhất', text: 'một' });
    await send(second, { to: 'b@x.local', subject: 'Thư thứ hai', text: 'hai' });

    await first.deleteAll();

    expect(await first.listEmails()).toEqual([]);
    expect((await second.listEmails()).map((email) => [email.subject, email.text?.trim()])).toEqual([
      ['Thư thứ hai', 'hai'],
    ]);
  });

  it('with a mail directory, the mailbox survives a stop and a start on the same directory', async () => {
    const mailDirectory = await mkdtemp(join(tmpdir(), 'mail-kept-'));
    try {
      const first = await start({ mailDirectory });
      await send(first, { to: 'hangbac@hoankiem.local', subject: 'Nhắc nộp báo cáo', text: 'trước ngày 15/07' });
      await send(first, { to: 'badinh@hanoi.local', subject: 'Đã ghi nhận báo cáo', text: 'cảm ơn' });
      const before = await first.listEmails();
      await first.stop();
      // The stop leaves the mailbox in place: the files are the state.
      expect((await readdir(mailDirectory)).filter((f) => f.endsWith('.eml'))).toHaveLength(2);

      const second = await start({ mailDirectory });
      const after = await second.listEmails();
      const summary = (emails: typeof after) => emails.map((e) => [e.subject, e.to, e.text?.trim()]).sort();
      expect(summary(after)).toEqual(
        [
          ['Nhắc nộp báo cáo', ['hangbac@hoankiem.local'], 'trước ngày 15/07'],
          ['Đã ghi nhận báo cáo', ['badinh@hanoi.local'], 'cảm ơn'],
        ].sort(),
      );
      expect(summary(after)).toEqual(summary(before));
      // The JSON API README names lists them too.
      const listed = (await (await fetch(`${second.webUrl}/api/email`)).json()) as { subject: string }[];
      expect(listed.map((e) => e.subject).sort()).toEqual(['Nhắc nộp báo cáo', 'Đã ghi nhận báo cáo'].sort());
    } finally {
      for (const server of running.splice(0)) await server.stop();
      await rm(mailDirectory, { recursive: true, force: true });
    }
  });

  it('without a mail directory, the temporary mailbox is removed at stop and not reloaded', async () => {
    const first = await start();
    await send(first, { to: 'a@x.local', subject: 'Tạm thời', text: 'một' });
    await first.stop();
    const second = await start();
    expect(await second.listEmails()).toEqual([]);
  });

  it('prints maildev\'s "API running" banner on stderr, never on stdout (a CLI\'s --json result goes there)', async () => {
    // console.info and console.log write to stdout; console.error to stderr.
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await start();
      const printed = (spy: typeof info) => spy.mock.calls.map((call) => call.map(String).join(' ')).join('\n');
      expect(printed(info) + printed(log)).not.toContain('MailDev API running');
      expect(printed(error)).toContain('MailDev API running at http://127.0.0.1:');
    } finally {
      info.mockRestore();
      log.mockRestore();
      error.mockRestore();
    }
  });
});
