/**
 * Who may call the HTTP endpoints. Drive pushes carry the channel token we chose (an HMAC of
 * the channel id); the Apps Script button signs its request; Cloud Scheduler sends an OIDC
 * token from its service account (a shared secret stands in for it locally). Comparisons are
 * constant-time; a refused request changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmac(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const channelToken = (secret: string, channelId: string) => hmac(secret, `drive-channel:${channelId}`);

/** `secrets`: every secret currently accepted (two during a rotation: current and previous). */
export function verifyChannelToken(secrets: string | readonly string[], channelId: string | undefined, token: string | undefined): boolean {
  if (!channelId || !token) return false;
  return [secrets].flat().some((secret) => safeEqual(channelToken(secret, channelId), token));
}

/** Apps Script "Kiểm tra ngay / Gửi báo cáo": HMAC of `spreadsheetId.timestamp`, at most 5 minutes old. */
export function verifySheetActionSignature(secrets: string | readonly string[], body: { spreadsheetId?: unknown; timestamp?: unknown; signature?: unknown }, now: number, maxSkewMs = 5 * 60_000): boolean {
  const { spreadsheetId, timestamp, signature } = body;
  if (typeof spreadsheetId !== 'string' || typeof timestamp !== 'number' || typeof signature !== 'string') return false;
  if (Math.abs(now - timestamp) > maxSkewMs) return false;
  return [secrets].flat().some((secret) => safeEqual(hmac(secret, `${spreadsheetId}.${timestamp}`), signature));
}

export type SchedulerVerifier = (authorization: string | undefined) => Promise<{ ok: true; caller: string } | { ok: false; reason: string }>;

export function sharedSecretVerifier(secret: string): SchedulerVerifier {
  return async (authorization) => {
    const token = authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!token) return { ok: false, reason: 'missing bearer token' };
    return safeEqual(token, secret) ? { ok: true, caller: 'local-scheduler' } : { ok: false, reason: 'wrong shared secret' };
  };
}

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/**
 * Cloud Scheduler's OIDC token: signature by Google's keys, audience = this function's URL,
 * issuer = Google, and the caller = the scheduler's service account with a verified email.
 * `certs` is injectable so tests can sign their own tokens.
 */
export function oidcVerifier(opts: { audience: string; serviceAccount: string; certs?: () => Promise<Record<string, string>> }): SchedulerVerifier {
  // One client per verifier, so Google's certificates are cached between calls (per their max-age).
  let client: Promise<import('google-auth-library').OAuth2Client> | null = null;
  return async (authorization) => {
    const token = authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!token) return { ok: false, reason: 'missing bearer token' };
    try {
      client ??= import('google-auth-library').then(({ OAuth2Client }) => new OAuth2Client());
      const c = await client;
      const certs = opts.certs ? await opts.certs() : (await c.getFederatedSignonCertsAsync()).certs;
      const ticket = await c.verifySignedJwtWithCertsAsync(token, certs as Record<string, string>, opts.audience, GOOGLE_ISSUERS);
      const payload = ticket.getPayload();
      // Strictly the boolean true: a claim "false" (a string) must not pass as truthy.
      if (payload?.email_verified !== true) return { ok: false, reason: 'email not verified' };
      if (payload.email !== opts.serviceAccount) return { ok: false, reason: `unexpected caller ${payload.email}` };
      return { ok: true, caller: payload.email };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  };
}
