/**
 * Local SMTP catcher (maildev 3) with its web inbox, both on 127.0.0.1.
 *
 * maildev 3 binds port 0 itself and reports the port it got, so a requested 0 is passed
 * through rather than probed with freePort() (which could race with another process).
 * Each instance gets a private mail directory: maildev otherwise shares
 * `$TMPDIR/maildev` between instances and `deleteAll()` would wipe its neighbours' files.
 * Given `mailDirectory` (the stack passes `<state dir>/mail`), the mailbox is kept there and
 * loaded back at the next start: mail survives a restart, as the rest of the local state does.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MailDev } from 'maildev';

export interface StartMailServerOptions {
  /** 0 (default) picks a free port. */
  smtpPort?: number;
  /** 0 (default) picks a free port. */
  webPort?: number;
  /**
   * Where the mailbox is kept (.eml files), reloaded at start and left in place at stop. Without
   * it the mailbox lives in a temporary directory removed at stop.
   */
  mailDirectory?: string;
}

export interface CaughtEmail {
  id: string;
  subject: string;
  /** Recipient addresses from the To header. */
  to: string[];
  /** Sender address from the From header ('' when absent). */
  from: string;
  /** Plain-text body. */
  text?: string;
  html?: string;
  /** ISO time maildev received it. */
  time: string;
}

export interface MailServer {
  smtpPort: number;
  webPort: number;
  /** Web inbox, e.g. http://127.0.0.1:PORT */
  webUrl: string;
  /** Every caught message, oldest first. */
  listEmails(): Promise<CaughtEmail[]>;
  /** The message's Date header as an ISO time (null without one), read from its source: maildev's JSON leaves it out. */
  dateHeader(id: string): Promise<string | null>;
  deleteAll(): Promise<void>;
  stop(): Promise<void>;
}

const BIND_HOST = '127.0.0.1';

/** Fields of maildev's email JSON that this module reads. */
interface MaildevEmail {
  id: string;
  subject?: string;
  to?: Array<{ address?: string }>;
  from?: Array<{ address?: string }>;
  text?: string;
  html?: string;
  time: string;
}

export async function startMailServer(opts: StartMailServerOptions = {}): Promise<MailServer> {
  const kept = opts.mailDirectory !== undefined;
  const mailDirectory = kept ? opts.mailDirectory! : await mkdtemp(join(tmpdir(), 'maildev-'));
  if (kept) await mkdir(mailDirectory, { recursive: true });
  const removeTemporaryDirectory = () =>
    kept ? Promise.resolve() : rm(mailDirectory, { recursive: true, force: true });
  const maildev = new MailDev({
    smtp: opts.smtpPort ?? 0,
    ip: BIND_HOST,
    web: opts.webPort ?? 0,
    webIp: BIND_HOST,
    mailDirectory,
    silent: true,
  });

  let smtpPort: number;
  let webPort: number;
  try {
    const servers = await startQuietly(() => maildev.start());
    smtpPort = servers.smtp.getAddress().port;
    const webAddress = servers.api?.getAddress();
    if (!webAddress) throw new Error('maildev started without its web API');
    webPort = webAddress.port;
  } catch (error) {
    await maildev.stop().catch(() => undefined);
    await removeTemporaryDirectory();
    throw error;
  }

  const webUrl = `http://${BIND_HOST}:${webPort}`;

  const api = async (method: 'GET' | 'DELETE', path: string): Promise<unknown> => {
    const response = await fetch(`${webUrl}${path}`, { method });
    if (!response.ok)
      throw new Error(`maildev ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };

  let stopped = false;
  return {
    smtpPort,
    webPort,
    webUrl,
    async listEmails() {
      const listed = (await api('GET', '/api/email')) as MaildevEmail[];
      // The listing has carried full bodies so far; the per-email endpoint is the documented
      // place for them, so fall back to it if a listing ever comes back without.
      const complete = await Promise.all(
        listed.map(async (email) =>
          email.text === undefined && email.html === undefined
            ? ((await api('GET', `/api/email/${encodeURIComponent(email.id)}`)) as MaildevEmail)
            : email,
        ),
      );
      return complete.map(toCaughtEmail);
    },
    async dateHeader(id) {
      const response = await fetch(`${webUrl}/api/email/${encodeURIComponent(id)}/source`);
      if (!response.ok) throw new Error(`maildev GET source of ${id} answered ${response.status}`);
      const head = (await response.text()).split(/\r?\n\r?\n/)[0] ?? '';
      const date = /^Date:\s*(.+)$/im.exec(head)?.[1];
      return date ? new Date(date).toISOString() : null;
    },
    async deleteAll() {
      await api('DELETE', '/api/email/all');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await maildev.stop();
      } finally {
        await removeTemporaryDirectory();
      }
    },
  };
}

/**
 * maildev's API server prints "MailDev API running at …" with console.info even when `silent`,
 * i.e. on stdout, where a CLI command's JSON result goes. During start that line goes to stderr.
 */
async function startQuietly<T>(start: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = (...args: unknown[]) => console.error(...args);
  try {
    return await start();
  } finally {
    console.info = info;
  }
}

function toCaughtEmail(email: MaildevEmail): CaughtEmail {
  return {
    id: email.id,
    subject: email.subject ?? '',
    to: (email.to ?? []).map((address) => address.address ?? '').filter((address) => address !== ''),
    from: email.from?.[0]?.address ?? '',
    ...(email.text === undefined ? {} : { text: email.text }),
    ...(email.html === undefined ? {} : { html: email.html }),
    time: new Date(email.time).toISOString(),
  };
}
