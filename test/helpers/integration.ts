/**
 * Helpers for the integration suites: reading what a person would see in the emulator's
 * stored sheets, counting requests since a point, acting as the sheet owner, switching the
 * Drive watch off where a test drives the pipeline itself, and generated campaigns.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { sheets_v4 } from '@googleapis/sheets';
import type { Firestore } from '@google-cloud/firestore';
import { expect } from 'vitest';
import { renewWatch } from '../../functions/app/change-detection.js';
import { provisionCampaign } from '../../functions/app/provision.js';
import { a1, quoteSheetName } from '../../functions/core/a1.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { contentHashOf } from '../../functions/core/canonical-json.js';
import { periodTotals, type FigureTotals, type FigureValues } from '../../functions/core/figures.js';
import { versionId, type CommitInput, type FirestoreStore } from '../../functions/adapters/firestore-store.js';
import type { SubmissionRecord } from '../../functions/app/records.js';
import type { AggregateRecord } from '../../functions/app/records.js';
import { buildUnitWorkbook, unitWorkbookTitle } from '../../functions/layout/unit-workbook.js';
import { colorToRgb } from './sheet-colors.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { channelToken, hmac } from '../../functions/handlers/auth.js';
import { LOCAL_SERVICE_ACCOUNT } from '../../scripts/local-stack/stack.js';
import type { LogEntry, SpreadsheetState } from '../../scripts/emulators/sheets/index.js';
import { parseCampaign } from '../../sheets-schema/index.js';
import { rawCampaign } from './campaign.js';
import { figuresFor } from './fill-workbook.js';
import type { TestStack } from './stack.js';

export { LOCAL_SERVICE_ACCOUNT };

/** What a person sees in one cell of the emulator's stored sheet. */
export interface SeenCell {
  value: string | number | boolean | null;
  note: string | null;
  /** '#RRGGBB', or null when the cell has no background of its own. */
  background: string | null;
}

export function seenCell(state: SpreadsheetState, sheetTitle: string, row: number, col: number): SeenCell {
  const sheet = state.sheets.find((s) => s.properties.title === sheetTitle);
  if (!sheet)
    throw new Error(`no tab "${sheetTitle}" (have ${state.sheets.map((s) => s.properties.title).join(', ')})`);
  const cell = sheet.rows[row]?.[col] ?? null;
  const userValue = cell?.userEnteredValue;
  const value = userValue
    ? (userValue.stringValue ?? userValue.numberValue ?? userValue.boolValue ?? userValue.formulaValue ?? null)
    : null;
  const background = cell?.userEnteredFormat?.['backgroundColor'] as
    { red?: number; green?: number; blue?: number } | undefined;
  return { value, note: cell?.note ?? null, background: background ? colorToRgb(background) : null };
}

/** Every cell of every tab as a person sees it: value, note, background. */
export function everyCell(state: SpreadsheetState): { title: string; cells: SeenCell[][] }[] {
  return state.sheets.map((t) => ({
    title: t.properties.title,
    cells: t.rows.map((row, r) => (row ?? []).map((_c, c) => seenCell(state, t.properties.title, r, c))),
  }));
}

/** Aggregates as numbers: what they hold, whatever number or order of events or repairs built them. */
export function aggregateMeaning(
  aggs: Pick<AggregateRecord, 'nodeId' | 'parentId' | 'own' | 'totals' | 'contributors' | 'ledger'>[],
) {
  return aggs
    .map((a) => ({
      nodeId: a.nodeId,
      parentId: a.parentId,
      own: a.own,
      totals: a.totals,
      contributors: a.contributors,
      ledger: a.ledger,
    }))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}

/** Two runs' outcomes agree on each named part (and per unit for `perUnit` parts), each failure naming the part. */
export function expectSameOutcome<T extends Record<string, unknown>>(
  actual: T,
  expected: T,
  parts: (keyof T & string)[],
  perUnit: (keyof T & string)[] = [],
): void {
  for (const part of parts) expect(actual[part], part).toEqual(expected[part]);
  for (const part of perUnit) {
    const error = expected[part] as Record<string, unknown>;
    expect(Object.keys(actual[part] as object).sort(), part).toEqual(Object.keys(error).sort());
    for (const unit of Object.keys(error))
      expect((actual[part] as Record<string, unknown>)[unit], `${part} of ${unit}`).toEqual(error[unit]);
  }
}

const SHEET_URL = /https:\/\/docs\.google\.com\/spreadsheets\/d\/[^\s"/]+(\/edit)?/g;
/** Sheet links differ between runs on fresh files by construction: `x` with each replaced by whose sheet it is. */
export function withSheetUrlsByOwner<T>(x: T, urlToOwner: Map<string, string>): T {
  return JSON.parse(JSON.stringify(x).replace(SHEET_URL, (u) => `<sheet of ${urlToOwner.get(u) ?? '?'}>`)) as T;
}

/** Every row of a tab as the values typed or written there (strings, numbers, booleans; null for blank). */
export function tabValues(state: SpreadsheetState, sheetTitle: string): (string | number | boolean | null)[][] {
  const sheet = state.sheets.find((s) => s.properties.title === sheetTitle);
  if (!sheet)
    throw new Error(`no tab "${sheetTitle}" (have ${state.sheets.map((s) => s.properties.title).join(', ')})`);
  return sheet.rows.map((r) =>
    (r ?? []).map((cellState) => {
      const value = cellState?.userEnteredValue;
      return value ? (value.stringValue ?? value.numberValue ?? value.boolValue ?? null) : null;
    }),
  );
}

/** The first row of a tab whose cell in column `col` equals (or matches) `label`. */
export function rowWhere(
  rows: (string | number | boolean | null)[][],
  col: number,
  label: string | RegExp,
): (string | number | boolean | null)[] {
  const row = rows.find((r) =>
    typeof label === 'string' ? r[col] === label : typeof r[col] === 'string' && label.test(r[col] as string),
  );
  if (!row) throw new Error(`no row with ${String(label)} in column ${col}`);
  return row;
}

/** Requests logged by the emulator from now on, filtered. */
export function requestsSince(stack: TestStack): (filter?: (e: LogEntry) => boolean) => LogEntry[] {
  const last = stack.sheets.log.at(-1)?.seq ?? 0;
  return (filter = () => true) => stack.sheets.log.filter((e) => e.seq > last && filter(e));
}

export const sheetsOn = (spreadsheetId: string) => (e: LogEntry) =>
  e.api === 'sheets' && e.spreadsheetId === spreadsheetId;

/** A Sheets client acting as the spreadsheets' owner (the service account), who may edit protected cells. */
export function sheetsAsOwner(stack: TestStack): sheets_v4.Sheets {
  return sheetsAs(stack.urls.sheets, LOCAL_SERVICE_ACCOUNT);
}

/** Writes raw values into cells as `client` (USER_ENTERED, as typed). */
export async function writeCells(
  client: sheets_v4.Sheets,
  spreadsheetId: string,
  sheetTitle: string,
  cells: { row: number; col: number; value: string | number | boolean }[],
): Promise<void> {
  await client.spreadsheets.values.batchUpdate({
    spreadsheetId,
    requestBody: {
      valueInputOption: 'USER_ENTERED',
      data: cells.map((c) => ({ range: `${quoteSheetName(sheetTitle)}!${a1(c.row, c.col)}`, values: [[c.value]] })),
    },
  });
}

/** Polls `check` until it returns a value (not undefined, null or false) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the emulator has seen no request and sent no push for `quietMs` (pushes and the work they cause have settled). */
export async function settled(stack: TestStack, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const mark = () => `${stack.sheets.log.at(-1)?.seq ?? 0}/${stack.sheets.pushes.length}`;
  const until = Date.now() + timeoutMs;
  let last = mark();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > until) throw new Error('the emulator never went quiet');
    await new Promise((r) => setTimeout(r, 25));
    const now = mark();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

/**
 * The part of provisioning one unit sheet needs, for a few units only (provisioning the whole
 * campaign is proven in provision-quotas.test.ts): create the file with its appProperties,
 * render the unit's workbook, share it with the clerk, register it. Also starts the Drive
 * change feed so the poll has a page token, with a watch channel to the webhook when `watch`.
 */
export async function registerUnitSheets(
  stack: TestStack,
  roundId: string,
  unitIds: string[],
  opts: { watch?: boolean } = {},
): Promise<Record<string, string>> {
  const { model, files, workbooks, store } = stack.runtime;
  const ids: Record<string, string> = {};
  for (const unitId of unitIds) {
    const file = await files.createSpreadsheet(unitWorkbookTitle(model, unitId, roundId), {
      campaign: model.id,
      unit: unitId,
      round: roundId,
    });
    await workbooks.render(file.id, buildUnitWorkbook(model, unitId, roundId, { editors: [LOCAL_SERVICE_ACCOUNT] }));
    for (const email of model.unit(unitId).emails) await files.share(file.id, email, 'writer');
    await store.register({
      spreadsheetId: file.id,
      unitId,
      roundId,
      url: file.webViewLink ?? '',
      createdAt: stack.clock.now,
    });
    ids[unitId] = file.id;
  }
  await renewWatch(stack.runtime, {
    address: opts.watch ? stack.runtime.config.webhook.url : null,
    secret: stack.runtime.config.webhook.secret,
    ttlMs: stack.runtime.config.watchTtlMs,
  });
  return ids;
}

/** Provisioning with no round: only the coordinators' master sheet (created, rendered, shared, registered). */
export async function provisionMaster(stack: TestStack): Promise<void> {
  const report = await provisionCampaign(
    { ...stack.runtime, writes: stack.runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
    { rounds: [] },
  );
  if (report.master === 'unchanged' && !(await stack.runtime.store.meta('master')).spreadsheetId)
    throw new Error('no master sheet');
}

/**
 * Stores an accepted submission without any sheet, as the pipeline would after evaluating a
 * ready workbook with these figures (`figuresFor` by default): the same CommitInput shape,
 * totals computed by the core. For seeding many units fast, and for store-level tests.
 */
export function commitInputFor(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  opts: { sourceVersion: number; now: number; figures?: Record<string, FigureValues>; status?: 'ready' | 'draft' },
): CommitInput {
  const unit = model.unit(unitId);
  const periods = model.round(roundId).periods;
  const values: Record<string, FigureValues> = {};
  const totals: Record<string, FigureTotals> = {};
  for (const { table } of model.tablesFor(unitId, roundId)) {
    if (table.kind !== 'figures') continue;
    values[table.id] = opts.figures?.[table.id] ?? figuresFor(model, unitId, roundId, table.id);
    totals[table.id] = periodTotals(table, periods, values[table.id]!);
  }
  const contentHash = contentHashOf({ values });
  const status = opts.status ?? 'ready';
  return {
    state: {
      unitId,
      roundId,
      status,
      submitted: status === 'ready',
      errors: 0,
      warnings: 0,
      pendingCount: 0,
      issues: [],
      issuesTruncated: false,
      contentHash,
      evaluatedAt: opts.now,
      nominations: [],
      quotaOverruns: [],
      dossierMissing: [],
    },
    candidate:
      status === 'ready'
        ? {
            unitId,
            roundId,
            kind: unit.kind,
            parentId: unit.parent,
            contentHash,
            confirmation: { xac_nhan: 'TRUE' },
            values,
            totals,
            nominations: [],
            quotaOverruns: [],
            warnings: [],
          }
        : null,
    sourceVersion: opts.sourceVersion,
    now: opts.now,
    dueAt: model.dueAt(roundId),
    lockAt: model.lockAt(roundId),
  };
}

/** District ids of the real campaign, in registry order. */
export function districtIds(raw = rawCampaign()): string[] {
  return (raw.units as { id: string; kind: string }[]).filter((u) => u.kind === 'district').map((u) => u.id);
}

/**
 * The real campaign plus `communes` generated commune units (kind `commune`, filling Bảng 1
 * and Bảng 2), spread over the districts, written to a temp file for `startTestStack`.
 */
export async function campaignWithCommunes(
  communes: number,
): Promise<{ file: string; communeIds: string[]; parentOf: Record<string, string> }> {
  const raw = rawCampaign();
  const districts = districtIds(raw);
  const communeIds: string[] = [];
  const parentOf: Record<string, string> = {};
  for (let i = 0; i < communes; i++) {
    const parent = districts[i % districts.length]!;
    const id = `xa-${String(i + 1).padStart(3, '0')}-${parent.replace(/^ubnd-/, '')}`;
    raw.units.push({
      id,
      name: `UBND xã số ${i + 1} (${parent})`,
      kind: 'commune',
      parent,
      emails: [`${id}@hanoi.example`],
    });
    communeIds.push(id);
    parentOf[id] = parent;
  }
  parseCampaign(raw, 'generated'); // fails here, not in the stack, if the generated registry is invalid
  const dir = await mkdtemp(join(tmpdir(), 'bao-cao-campaign-'));
  const file = join(dir, `communes-${communes}.json`);
  await writeFile(file, JSON.stringify(raw));
  return { file, communeIds, parentOf };
}

export interface PolledResult {
  status: string;
  changedFiles: number;
  outcomes: Record<string, number>;
}

/** What sheetAction answers: the outcome, and for a processed sheet its status and status line. */
export interface SheetActionReply {
  outcome?: string;
  status?: string;
  statusText?: string;
  error?: string;
}

/** POSTs `body` to the sheetAction function, as the sheet's Apps Script button does. */
export async function postSheetAction(
  stack: TestStack,
  body: unknown,
): Promise<{ status: number; body: SheetActionReply }> {
  const res = await fetch(stack.urls.functions.sheetAction!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as SheetActionReply };
}

/**
 * A sheet's button pressed now (business clock), signed with the webhook secret: "Kiểm tra ngay"
 * on a unit's sheet, the documents on the master, or the master's `action` ('rebuild-master').
 */
export function pressSheetButton(
  stack: TestStack,
  spreadsheetId: string,
  action?: string,
): Promise<{ status: number; body: SheetActionReply }> {
  const timestamp = stack.clock.now;
  const signed = action === undefined ? `${spreadsheetId}.${timestamp}` : `${spreadsheetId}.${timestamp}.${action}`;
  return postSheetAction(stack, {
    spreadsheetId,
    timestamp,
    signature: hmac(stack.secrets.webhook, signed),
    ...(action === undefined ? {} : { action }),
  });
}

/**
 * A Drive push as the real channel sends it (headers only, signed with the channel token).
 * The webhook answers 202 at once; the poll it requested runs in onPollRequested. This waits
 * for the trigger and returns what the poll(s) started by this push reported.
 */
export async function pushAndPoll(
  stack: TestStack,
  channelId = 'kenh-thu',
  token?: string,
): Promise<{ status: number; body: unknown; polled: PolledResult | null }> {
  const before = stack.log.lines.length;
  const res = await fetch(stack.urls.functions.driveWebhook!, {
    method: 'POST',
    headers: {
      'x-goog-channel-id': channelId,
      'x-goog-channel-token': token ?? channelToken(stack.secrets.webhook, channelId),
      'x-goog-resource-state': 'change',
      'x-goog-message-number': '7',
    },
  });
  const body = (await res.json()) as unknown;
  await stack.triggersIdle();
  const polls = stack.log.lines
    .slice(before)
    .filter((l) => l.message === 'drive changes polled') as unknown as PolledResult[];
  if (polls.length === 0) return { status: res.status, body, polled: null };
  const outcomes: Record<string, number> = {};
  for (const poll of polls)
    for (const [key, value] of Object.entries(poll.outcomes)) outcomes[key] = (outcomes[key] ?? 0) + value;
  return {
    status: res.status,
    body,
    polled: {
      status: polls.some((p) => p.status === 'polled') ? 'polled' : polls[0]!.status,
      changedFiles: polls.reduce((n, p) => n + p.changedFiles, 0),
      outcomes,
    },
  };
}

/**
 * Stores an accepted first version for each of `unitIds` directly (batches of 300), every unit
 * with the figures of the first one, as the pipeline would after accepting their workbooks;
 * aggregates are left to the caller (a reconcile builds them from these).
 */
export async function storeAcceptedSubmissions(
  db: Firestore,
  store: FirestoreStore,
  model: CampaignModel,
  roundId: string,
  unitIds: string[],
  now: number,
): Promise<void> {
  const figures = {
    bang1: figuresFor(model, unitIds[0]!, roundId, 'bang1'),
    bang2: figuresFor(model, unitIds[0]!, roundId, 'bang2'),
  };
  for (let start = 0; start < unitIds.length; start += 300) {
    const batch = db.batch();
    for (const unitId of unitIds.slice(start, start + 300)) {
      const input = commitInputFor(model, unitId, roundId, { sourceVersion: 3, now, figures });
      const submission: SubmissionRecord = {
        ...input.candidate!,
        versionCount: 1,
        versionId: versionId(1),
        sourceVersion: 3,
        acceptedAt: now,
        firstAcceptedAt: now,
        late: false,
      };
      batch.set(store.submissionRef(roundId, unitId), submission);
    }
    await batch.commit();
  }
}
