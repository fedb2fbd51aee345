/**
 * Clients for the Sheets and Drive REST APIs, from the per-API packages (the monolithic
 * `googleapis` costs ~1 s and 150 MB at cold start). Loaded on first use.
 *
 * Locally the same clients talk to the project's emulator through `rootUrl`, authenticated
 * with a bearer token that names the caller; in production, Application Default Credentials
 * of the function's service account, optionally impersonating a Workspace user through
 * domain-wide delegation so the files live in that user's (or a shared) drive.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { drive_v3 } from '@googleapis/drive';

export const GOOGLE_SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive'];

export type GoogleAccess =
  | { mode: 'emulator'; sheetsRootUrl: string; driveRootUrl: string; identity: string; timeoutMs: number }
  | { mode: 'google'; impersonate?: string; timeoutMs: number };

async function authFor(access: GoogleAccess) {
  const { OAuth2Client, GoogleAuth } = await import('google-auth-library');
  if (access.mode === 'emulator') {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: access.identity });
    return client;
  }
  return new GoogleAuth({ scopes: GOOGLE_SCOPES, ...(access.impersonate ? { clientOptions: { subject: access.impersonate } } : {}) });
}

export async function createSheetsClient(access: GoogleAccess): Promise<sheets_v4.Sheets> {
  const [{ sheets }, auth] = await Promise.all([import('@googleapis/sheets'), authFor(access)]);
  return sheets({
    version: 'v4',
    auth: auth as never,
    timeout: access.timeoutMs,
    ...(access.mode === 'emulator' ? { rootUrl: access.sheetsRootUrl } : {}),
  });
}

export async function createDriveClient(access: GoogleAccess): Promise<drive_v3.Drive> {
  const [{ drive }, auth] = await Promise.all([import('@googleapis/drive'), authFor(access)]);
  return drive({
    version: 'v3',
    auth: auth as never,
    timeout: access.timeoutMs,
    ...(access.mode === 'emulator' ? { rootUrl: access.driveRootUrl } : {}),
  });
}
