import { acceptsConnection } from '../helpers/net.js';

import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';

import { startMailServer } from '../../scripts/local-stack/mail-server.js';
import type { MailServer } from '../../scripts/local-stack/mail-server.js';

const running: MailServer[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

async function start(): Promise<MailServer> {
  const server = await startMailServer();
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
    expect((await second.listEmails()).map((email) => [email.subject, email.text?.trim()])).toEqual([['Thư thứ hai', 'hai']]);
  });
});
