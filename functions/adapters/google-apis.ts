/**
 * Clients for the Sheets and Drive REST APIs, from the per-API packages (the monolithic
 * `googleapis` costs ~1 s and 150 MB at cold start). Loaded on first use.
 *
 * Locally the same clients talk to the project's emulator through `rootUrl`, authenticated
 * with a bearer token that names the caller. In production the functions use Application
 * Default Credentials, i.e. their own service account (from the metadata server); the files
 * live in a shared drive where that account is a content manager.
 *
 * Domain-wide delegation (`subject`) is deliberately not offered: the metadata server ignores
 * it, so on Cloud Functions it silently ran as the service account
 * (https://github.com/googleapis/google-auth-library-nodejs/issues/802).
 *
 * An operator's command (`npm run provision -- --target google`) must act as the same service
 * account, so that the files, their app properties, the Drive watch channel and the changes page
 * token belong to it and not to the operator: `actAs` exchanges the operator's own ADC for the
 * service account's short-lived token through the IAM Credentials API
 * (`generateAccessToken`; the operator needs roles/iam.serviceAccountTokenCreator on it).
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { drive_v3 } from '@googleapis/drive';
import type { AuthClient } from 'google-auth-library';

export const GOOGLE_SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive'];
/** What the operator's own credentials need in order to call the IAM Credentials API. */
const SOURCE_SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export type GoogleAccess =
  | { mode: 'emulator'; sheetsRootUrl: string; driveRootUrl: string; identity: string; timeoutMs: number }
  | {
      mode: 'google';
      timeoutMs: number;
      /** Impersonate this service account from the caller's ADC (operator commands only). */
      actAs?: string;
      /** Overrides for tests: the source credentials, and IAM Credentials' address. */
      actAsSource?: AuthClient;
      iamCredentialsEndpoint?: string;
    };

/** The credentials the Sheets and Drive clients are built with. */
export async function googleAuthFor(access: GoogleAccess) {
  const { OAuth2Client, GoogleAuth, Impersonated } = await import('google-auth-library');
  if (access.mode === 'emulator') {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: access.identity });
    return client;
  }
  if (!access.actAs) return new GoogleAuth({ scopes: GOOGLE_SCOPES });
  const sourceClient = access.actAsSource ?? (await new GoogleAuth({ scopes: SOURCE_SCOPES }).getClient());
  return new Impersonated({
    sourceClient,
    targetPrincipal: access.actAs,
    targetScopes: GOOGLE_SCOPES,
    lifetime: 3600,
    ...(access.iamCredentialsEndpoint ? { endpoint: access.iamCredentialsEndpoint } : {}),
  });
}

export async function createSheetsClient(access: GoogleAccess): Promise<sheets_v4.Sheets> {
  const [{ sheets }, auth] = await Promise.all([import('@googleapis/sheets'), googleAuthFor(access)]);
  return sheets({
    version: 'v4',
    auth: auth as never,
    timeout: access.timeoutMs,
    ...(access.mode === 'emulator' ? { rootUrl: access.sheetsRootUrl } : {}),
  });
}

export async function createDriveClient(access: GoogleAccess): Promise<drive_v3.Drive> {
  const [{ drive }, auth] = await Promise.all([import('@googleapis/drive'), googleAuthFor(access)]);
  return drive({
    version: 'v3',
    auth: auth as never,
    timeout: access.timeoutMs,
    ...(access.mode === 'emulator' ? { rootUrl: access.driveRootUrl } : {}),
  });
}
