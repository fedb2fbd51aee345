/**
 * Who may call the HTTP endpoints. Drive pushes carry the channel token we chose (an HMAC of
 * the channel id); the Apps Script button signs its request; Cloud Scheduler sends an OIDC
 * token from its service account (a shared secret stands in for it locally). Comparisons are
 * constant-time; a refused request changes nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import { channelToken, hmac } from '../core/signatures.js';

export { channelToken, hmac };

export function safeEqual(left: string, right: string): boolean {
  const x = Buffer.from(left);
  const y = Buffer.from(right);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `secrets`: every secret currently accepted (two during a rotation: current and previous). */
export function verifyChannelToken(
  secrets: string | readonly string[],
  channelId: string | undefined,
  token: string | undefined,
): boolean {
  if (!channelId || !token) return false;
  return [secrets].flat().some((secret) => safeEqual(channelToken(secret, channelId), token));
}

/**
 * The Apps Script buttons ("Kiểm tra ngay / Gửi báo cáo"; on the master also "Làm mới toàn bộ"):
 * HMAC of `spreadsheetId.timestamp`, or `spreadsheetId.timestamp.action` when the request names an
 * action (so an action cannot be added to a signature made without it), at most 5 minutes old.
 */
export function verifySheetActionSignature(
  secrets: string | readonly string[],
  body: { spreadsheetId?: unknown; timestamp?: unknown; signature?: unknown; action?: unknown },
  now: number,
  maxSkewMs = 5 * 60_000,
): boolean {
  const { spreadsheetId, timestamp, signature, action } = body;
  if (typeof spreadsheetId !== 'string' || typeof timestamp !== 'number' || typeof signature !== 'string') return false;
  if (action !== undefined && typeof action !== 'string') return false;
  if (Math.abs(now - timestamp) > maxSkewMs) return false;
  const signed = action === undefined ? `${spreadsheetId}.${timestamp}` : `${spreadsheetId}.${timestamp}.${action}`;
  return [secrets].flat().some((secret) => safeEqual(hmac(secret, signed), signature));
}

export type SchedulerVerifier = (
  authorization: string | undefined,
) => Promise<{ ok: true; caller: string } | { ok: false; reason: string }>;

export function sharedSecretVerifier(secret: string): SchedulerVerifier {
  return async (authorization) => {
    const token = authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!token) return { ok: false, reason: 'missing bearer token' };
    return safeEqual(token, secret)
      ? { ok: true, caller: 'local-scheduler' }
      : { ok: false, reason: 'wrong shared secret' };
  };
}

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/**
 * What Cloud Run puts in place of the JWT signature once its IAM check has verified the token.
 * Cloud Run's service-to-service documentation: "Cloud Run removes the token signature before
 * passing the token to the user container"
 * (https://cloud.google.com/run/docs/authenticating/service-to-service, quoted in
 * https://github.com/owainlewis/machinist/pull/277; the marker itself as seen in production:
 * https://github.com/na0fu3y/ochakai/pull/740). A 2nd-gen function is a Cloud Run service.
 */
export const SIGNATURE_REMOVED_BY_GOOGLE = 'SIGNATURE_REMOVED_BY_GOOGLE';

/** Tolerated clock difference between Google and this instance when reading exp / iat. */
const CLOCK_SKEW_SECONDS = 30;

type Verdict = Awaited<ReturnType<SchedulerVerifier>>;

interface IdTokenClaims {
  iss?: unknown;
  aud?: unknown;
  email?: unknown;
  email_verified?: unknown;
  exp?: unknown;
  iat?: unknown;
}

function decodeJwtPart(part: string): Record<string, unknown> {
  const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('JWT part is not a JSON object');
  return value as Record<string, unknown>;
}

/** The caller checks common to both paths: the scheduler's own account, with a verified e-mail. */
function callerVerdict(claims: IdTokenClaims, serviceAccount: string): Verdict {
  // Strictly the boolean true: a claim "false" (a string) must not pass as truthy.
  if (claims.email_verified !== true) return { ok: false, reason: 'email not verified' };
  if (claims.email !== serviceAccount) return { ok: false, reason: `unexpected caller ${String(claims.email)}` };
  return { ok: true, caller: serviceAccount };
}

/**
 * The claims of a token whose signature Cloud Run already verified and removed: issuer, audience
 * (this function's URL), expiry, then the caller. Nothing here proves the token came from Google;
 * IAM did that, which is why this path is only taken for functions deployed private.
 */
function iamVerifiedClaimsVerdict(
  payload: IdTokenClaims,
  opts: { audience: string; serviceAccount: string },
  nowSeconds: number,
): Verdict {
  if (typeof payload.iss !== 'string' || !GOOGLE_ISSUERS.includes(payload.iss))
    return {
      ok: false,
      reason: `Invalid issuer, expected one of [${GOOGLE_ISSUERS.join(',')}], but got ${String(payload.iss)}`,
    };
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(opts.audience))
    return { ok: false, reason: `Wrong recipient, payload audience != requiredAudience (${String(payload.aud)})` };
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'No expiration time in token' };
  if (nowSeconds > payload.exp + CLOCK_SKEW_SECONDS)
    return { ok: false, reason: `Token used too late, ${nowSeconds} > ${payload.exp}` };
  if (typeof payload.iat === 'number' && nowSeconds < payload.iat - CLOCK_SKEW_SECONDS)
    return { ok: false, reason: `Token used too early, ${nowSeconds} < ${payload.iat}` };
  return callerVerdict(payload, opts.serviceAccount);
}

/**
 * Cloud Scheduler's OIDC token: issuer = Google, audience = this function's URL, the caller =
 * the scheduler's service account with a verified email, not expired.
 *
 * Where the signature is checked depends on how the function is deployed:
 * - `behindIam: true` (complianceSweep and maintenance are deployed --no-allow-unauthenticated,
 *   only the scheduler's account holds roles/run.invoker): Cloud Run verifies the token before
 *   the request reaches us and hands it on with the signature replaced by
 *   SIGNATURE_REMOVED_BY_GOOGLE, so verifying the signature here would refuse every scheduled
 *   call. Such a token is trusted for its signature and its claims are checked. A token that
 *   still carries a signature is verified fully.
 * - otherwise (a public endpoint): the signature is verified against Google's keys, and a token
 *   without one is refused, since nothing in front of the function checked it.
 * `certs` and `now` are injectable so tests can sign their own tokens.
 */
export function oidcVerifier(opts: {
  audience: string;
  serviceAccount: string;
  behindIam?: boolean;
  certs?: () => Promise<Record<string, string>>;
  now?: () => number;
}): SchedulerVerifier {
  // One client per verifier, so Google's certificates are cached between calls (per their max-age).
  let client: Promise<import('google-auth-library').OAuth2Client> | null = null;
  const now = opts.now ?? Date.now;
  return async (authorization) => {
    const token = authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!token) return { ok: false, reason: 'missing bearer token' };
    try {
      const segments = token.split('.');
      if (segments.length === 3 && segments[2] === SIGNATURE_REMOVED_BY_GOOGLE) {
        if (!opts.behindIam)
          return { ok: false, reason: 'signature removed, but this endpoint is not behind Cloud Run IAM' };
        return iamVerifiedClaimsVerdict(decodeJwtPart(segments[1]!) as IdTokenClaims, opts, Math.floor(now() / 1000));
      }
      client ??= import('google-auth-library').then(({ OAuth2Client }) => new OAuth2Client());
      const oauthClient = await client;
      const certs = opts.certs ? await opts.certs() : (await oauthClient.getFederatedSignonCertsAsync()).certs;
      const ticket = await oauthClient.verifySignedJwtWithCertsAsync(
        token,
        certs as Record<string, string>,
        opts.audience,
        GOOGLE_ISSUERS,
      );
      return callerVerdict(ticket.getPayload() ?? {}, opts.serviceAccount);
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  };
}
