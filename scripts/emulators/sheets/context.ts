/**
 * What every API handler receives, and the access checks the Sheets handlers share.
 */
import { accessOf, atLeast } from './access.js';
import type { EmulatorClock } from './clock.js';
import { notFound, permissionDenied } from './errors.js';
import type { EditorIdentity } from './protection.js';
import type { EmulatorStore } from './store.js';
import type { DriveFileState, SpreadsheetState } from './types.js';

export interface RequestContext {
  store: EmulatorStore;
  clock: EmulatorClock;
  /** The caller's email (the bearer token). */
  user: string;
  query: URLSearchParams;
  body: unknown;
  /** The content of a Drive upload (the /upload/drive/v3 endpoints). */
  upload?: { bytes: Buffer; mimeType: string };
  /** The emulator's root URL with a trailing slash. */
  rootUrl: string;
  projectNumber: string;
}

export interface ApiResponse {
  status?: number;
  body?: unknown;
}

export interface OpenSpreadsheet {
  spreadsheet: SpreadsheetState;
  file: DriveFileState;
  identity: EditorIdentity;
}

/**
 * Sheets answers 404 for an id that does not exist and 403 "The caller does not have
 * permission" for one the caller cannot see or, for writes, cannot edit.
 */
export function openSpreadsheet(
  context: RequestContext,
  spreadsheetId: string,
  mode: 'read' | 'write',
): OpenSpreadsheet {
  const spreadsheet = context.store.spreadsheet(spreadsheetId);
  const file = context.store.file(spreadsheetId);
  if (!spreadsheet || !file) throw notFound();
  const access = accessOf(file, context.user);
  if (!atLeast(access, mode === 'read' ? 'reader' : 'writer')) throw permissionDenied();
  return { spreadsheet, file, identity: { user: context.user, ownerEmail: file.ownerEmail } };
}

/** Replaces the stored spreadsheet with its edited copy and records the Drive-side change. */
export function commitSpreadsheet(context: RequestContext, edited: SpreadsheetState): void {
  context.store.state.spreadsheets[edited.spreadsheetId] = edited;
  context.store.touchFile(edited.spreadsheetId, context.user);
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  return query.get(name) === 'true';
}

export function bodyObject(context: RequestContext): Record<string, unknown> {
  const body = context.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
