/**
 * The local stack for integration tests: every service on a random port, state in a temp
 * directory, no background scheduler (tests fire jobs themselves), and helpers to provision,
 * type into a unit's sheet as its clerk, and fill a complete valid submission.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../functions/app/log.js';
import { memoryLogger } from './memory-logger.js';
import { processUnitSheet, type ProcessOutcome } from '../../functions/app/process-unit-sheet.js';
import { provisionCampaign, type ProvisionReport } from '../../functions/app/provision.js';
import type { RetryPolicy } from '../../functions/adapters/retry.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { gridOfWorkbookModel } from '../../functions/layout/model-grid.js';
import { sheetsAs, typeInto, writesFor, type Entry, type Typed } from '../../scripts/local-stack/clerk.js';
import {
  LOCAL_SERVICE_ACCOUNT,
  startLocalStack,
  type LocalStack,
  type LocalStackOptions,
} from '../../scripts/local-stack/stack.js';
import type { Submission } from './fill-workbook.js';
import { validSubmission } from './fill-workbook.js';

/** Fast retries: tests must not wait real seconds for backoff. */
export const FAST_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 5, maxDelayMs: 50 };

export interface TestStack extends LocalStack {
  log: Logger & { lines: Record<string, unknown>[] };
  /** A settable business clock (the functions' `now`). */
  clock: { now: number; set(iso: string | number): void };
  provision(rounds?: string[]): Promise<ProvisionReport>;
  sheetOf(unitId: string, roundId: string): Promise<string>;
  /** Types entries into the unit's live sheet as the unit's clerk (USER_ENTERED). */
  type(unitId: string, roundId: string, entries: Entry[]): Promise<void>;
  /** Types a whole submission (see fill-workbook.ts). */
  typeSubmission(unitId: string, roundId: string, submission?: Submission): Promise<void>;
  process(unitId: string, roundId: string, opts?: { force?: boolean }): Promise<ProcessOutcome>;
  dispose(): Promise<void>;
}

export function submissionEntries(submission: Submission): Entry[] {
  const out: Entry[] = [];
  const typedOf = (t: unknown): Typed =>
    t && typeof t === 'object'
      ? 'date' in t
        ? (t as { date: string }).date
        : (t as { error: string }).error
      : (t as Typed);
  for (const [table, byPeriod] of Object.entries(submission.figures))
    for (const [period, byCode] of Object.entries(byPeriod))
      for (const [code, value] of Object.entries(byCode))
        out.push({ kind: 'figure', table, period, code, value: typedOf(value) });
  for (const [table, items] of Object.entries(submission.outline))
    for (const [item, error] of Object.entries(items)) {
      if (error.content !== undefined)
        out.push({ kind: 'checklist', table, item, column: 'noi_dung', value: typedOf(error.content) });
      if (error.reference !== undefined)
        out.push({ kind: 'checklist', table, item, column: 'tham_chieu', value: typedOf(error.reference) });
    }
  for (const [table, rows] of Object.entries(submission.lists))
    rows.forEach((row, index) =>
      Object.entries(row).forEach(([field, value]) =>
        out.push({ kind: 'list', table, index, field, value: typedOf(value) }),
      ),
    );
  for (const [table, fields] of Object.entries(submission.forms))
    for (const [field, value] of Object.entries(fields))
      out.push({ kind: 'form', table, field, value: typedOf(value) });
  for (const [field, value] of Object.entries(submission.confirmation))
    out.push({ kind: 'form', table: 'xac_nhan', field, value: typedOf(value) });
  return out;
}

export async function startTestStack(opts: Partial<LocalStackOptions> & { at?: string } = {}): Promise<TestStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'bao-cao-stack-'));
  const log = memoryLogger();
  const clock = {
    now: Date.parse(opts.at ?? '2020-07-10T09:00:00+07:00'),
    set(moment: string | number) {
      clock.now = typeof moment === 'number' ? moment : Date.parse(moment);
    },
  };
  const stack = await startLocalStack({
    stateDir,
    persist: false,
    scheduler: false,
    sheetsQuotas: false,
    pushDelayMs: 50,
    retry: FAST_RETRY,
    log,
    now: () => clock.now,
    ...opts,
  });
  const runtime = stack.runtime;
  const sheetOf = async (unitId: string, roundId: string) => {
    const reg = await runtime.store.unitSheet(roundId, unitId);
    if (!reg) throw new Error(`no sheet for ${roundId}/${unitId}; provision first`);
    return reg.spreadsheetId;
  };
  const type = async (unitId: string, roundId: string, entries: Entry[]) => {
    const template = gridOfWorkbookModel(buildUnitWorkbook(runtime.model, unitId, roundId));
    const { writes, unplaced } = writesFor(runtime.model, unitId, roundId, template, entries);
    if (unplaced.length) throw new Error(`entries without a cell: ${JSON.stringify(unplaced.slice(0, 3))}`);
    await typeInto(
      sheetsAs(stack.urls.sheets, runtime.model.unit(unitId).emails[0] ?? 'clerk@hanoi.example'),
      await sheetOf(unitId, roundId),
      writes,
    );
  };
  return {
    ...stack,
    log,
    clock,
    provision: (rounds) =>
      provisionCampaign(
        { ...runtime, writes: runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
        {
          ...(rounds ? { rounds } : {}),
          webhook: {
            address: runtime.config.webhook.url,
            secret: runtime.config.webhook.secret,
            ttlMs: runtime.config.watchTtlMs,
          },
        },
      ),
    sheetOf,
    type,
    typeSubmission: (unitId, roundId, submission) =>
      type(unitId, roundId, submissionEntries(submission ?? validSubmission(runtime.model, unitId, roundId))),
    process: async (unitId, roundId, o) => processUnitSheet(runtime, await sheetOf(unitId, roundId), o),
    async dispose() {
      await stack.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
