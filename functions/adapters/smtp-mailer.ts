/** Sending mail over SMTP with nodemailer (maildev locally, the organisation's relay in production). */
import type { Transporter } from 'nodemailer';

import type { OutgoingMail, Mailer } from '../app/ports.js';

// The port's types are the application's (app/ports.ts); re-exported for callers of this adapter.
export type { OutgoingMail, Mailer };

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
  connectionTimeoutMs?: number;
}

export async function createSmtpMailer(settings: SmtpSettings): Promise<Mailer> {
  // nodemailer (~25 ms to import) is loaded by the first message: most invocations send none.
  let transport: Promise<Transporter> | null = null;
  const transportOf = () => (transport ??= openTransport(settings));
  return {
    async send(mail) {
      const opened = await transportOf();
      await opened.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: { 'Content-Language': 'vi' },
        ...(mail.date !== undefined ? { date: new Date(mail.date) } : {}),
      });
    },
    close: () => {
      // A transport that failed to open has nothing to close (its send already reported why).
      void transport?.then(
        (opened) => opened.close(),
        () => undefined,
      );
    },
  };
}

async function openTransport(settings: SmtpSettings): Promise<Transporter> {
  const nodemailer = (await import('nodemailer')).default;
  // One pooled connection reused for a whole sweep: a new SMTP connection per message costs
  // the relay's greeting delay every time (~0.1 s with smtp-server/maildev), 70+ times a run.
  // Idle connections close on their own, so an idle function instance holds no socket.
  return nodemailer.createTransport({
    pool: true,
    maxConnections: 1,
    idleTimeout: 30_000,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    // Locally maildev speaks plain SMTP; in production the relay decides (STARTTLS when offered).
    ignoreTLS: !settings.secure && !settings.user,
    connectionTimeout: settings.connectionTimeoutMs ?? 10_000,
    greetingTimeout: settings.connectionTimeoutMs ?? 10_000,
    socketTimeout: 30_000,
  });
}
