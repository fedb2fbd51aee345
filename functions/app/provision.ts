/**
 * Provisioning a campaign: one spreadsheet per unit and round, rendered from the schema,
 * shared (writers: the unit's contacts; readers: the coordinators), registered, plus the
 * coordinators' master sheet and the Drive watch. Idempotent: files are found again by their
 * Drive appProperties, so a second run creates nothing and only repairs drift (a missing
 * registration, a missing share, a file deleted in Drive). Sheets writes are paced under the
 * per-minute quota so no 429 reaches the operator.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import type { DriveFiles, FileMeta } from '../adapters/drive-files.js';
import { isRetryable } from '../adapters/retry.js';
import type { FirestoreStore } from '../adapters/firestore-store.js';
import type { SheetsMaster } from '../adapters/sheets-master.js';
import type { SheetsWorkbooks } from '../adapters/sheets-workbooks.js';
import { buildMasterView } from '../core/master-view.js';
import { buildMasterWorkbook, masterWorkbookTitle } from '../layout/master-workbook.js';
import { buildUnitWorkbook, unitWorkbookTitle } from '../layout/unit-workbook.js';
import type { Logger } from './log.js';
import type { RateLimiter } from '../adapters/rate-limiter.js';
import { renewWatch, type RenewResult } from './change-detection.js';
import { masterRefreshRequest } from './master.js';

export interface ProvisionDeps {
  model: CampaignModel;
  store: FirestoreStore;
  files: DriveFiles;
  workbooks: SheetsWorkbooks;
  master: SheetsMaster;
  now: () => number;
  googleNow: () => number;
  log: Logger;
  /** The pace of Sheets writes the adapters keep (the per-minute quota); gives the ETA. */
  writes: RateLimiter;
  /** Accounts allowed to edit protected cells (the service account that writes feedback). */
  editors: string[];
}

export interface ProvisionOptions {
  rounds?: string[];
  dryRun?: boolean;
  webhook?: { address: string | null; secret: string; ttlMs: number };
  onProgress?: (p: { done: number; total: number; label: string; action: string; etaMs: number }) => void;
}

export interface ProvisionReport {
  created: string[];
  repaired: string[];
  unchanged: string[];
  shares: number;
  master: 'created' | 'repaired' | 'unchanged';
  watch: RenewResult | null;
  dryRun: boolean;
  planned: { label: string; action: string }[];
}

type Target = { kind: 'unit'; unitId: string; roundId: string } | { kind: 'master' };

const appPropsOf = (campaignId: string, t: Target): Record<string, string> =>
  t.kind === 'unit' ? { campaign: campaignId, unit: t.unitId, round: t.roundId } : { campaign: campaignId, role: 'master' };

/**
 * Finds the target's file by appProperties, or creates it. A creation whose outcome is unknown
 * (a timeout, a 5xx) is followed by another look-up, never by a blind second creation.
 */
async function findOrCreate(files: DriveFiles, name: string, props: Record<string, string>): Promise<{ file: FileMeta; created: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await files.findByAppProperties(props);
    if (found.length) return { file: found.sort((a, b) => a.id.localeCompare(b.id))[0]!, created: false };
    try {
      return { file: await files.createSpreadsheet(name, props), created: true };
    } catch (e) {
      if (!isRetryable(e)) throw e;
    }
  }
  throw new Error(`could not create ${name}`);
}

export async function provisionCampaign(deps: ProvisionDeps, opts: ProvisionOptions = {}): Promise<ProvisionReport> {
  const { model, store, files, workbooks, writes } = deps;
  const rounds = opts.rounds ?? model.campaign.rounds.map((r) => r.id);
  const targets: Target[] = [];
  for (const roundId of rounds) for (const u of model.campaign.units) if (model.hasWorkbook(u.id, roundId)) targets.push({ kind: 'unit', unitId: u.id, roundId });
  targets.push({ kind: 'master' });
  const report: ProvisionReport = { created: [], repaired: [], unchanged: [], shares: 0, master: 'unchanged', watch: null, dryRun: Boolean(opts.dryRun), planned: [] };
  const coordinators = model.campaign.coordinator.emails;
  const started = deps.now();
  let done = 0;

  for (const t of targets) {
    const label = t.kind === 'unit' ? `${t.roundId}/${t.unitId}` : 'master';
    const props = appPropsOf(model.id, t);
    const registered = t.kind === 'unit' ? await store.unitSheet(t.roundId, t.unitId) : null;
    const masterMeta = t.kind === 'master' ? await store.meta('master') : null;
    const knownId = registered?.spreadsheetId ?? masterMeta?.spreadsheetId;
    const known = knownId ? await files.meta(knownId) : null;
    let action: string;
    if (opts.dryRun) {
      action = known ? 'kiểm tra chia sẻ' : 'tạo mới';
      report.planned.push({ label, action });
    } else {
      let file = known;
      let created = false;
      if (!file) {
        const name = t.kind === 'unit' ? unitWorkbookTitle(model, t.unitId, t.roundId) : masterWorkbookTitle(model);
        ({ file, created } = await findOrCreate(files, name, props));
      }
      const wasRegistered = t.kind === 'unit' ? registered?.spreadsheetId === file.id : masterMeta?.spreadsheetId === file.id;
      // Registration happens after rendering, so only an unregistered file can be blank.
      const needsRender = created || (!wasRegistered && !(await hasRendered(deps, file.id)));
      if (needsRender) {
        if (t.kind === 'unit') await workbooks.render(file.id, buildUnitWorkbook(model, t.unitId, t.roundId, { editors: deps.editors }));
        else {
          const now = deps.now();
          const view = buildMasterView(model, { now, rounds: [], shortlist: new Set() });
          await workbooks.render(file.id, buildMasterWorkbook(model, view, now, { editors: deps.editors }));
        }
      }
      const existing = await files.permissions(file.id);
      const grants: [string, 'reader' | 'writer'][] =
        t.kind === 'unit' ? [...model.unit(t.unitId).emails.map((e) => [e, 'writer'] as [string, 'writer']), ...coordinators.map((e) => [e, 'reader'] as [string, 'reader'])] : coordinators.map((e) => [e, 'writer']);
      let shared = 0;
      for (const [email, role] of grants) if (await files.share(file.id, email, role, existing)) shared++;
      report.shares += shared;
      const url = file.webViewLink ?? `https://docs.google.com/spreadsheets/d/${file.id}/edit`;
      if (!wasRegistered) {
        if (t.kind === 'unit') await store.register({ spreadsheetId: file.id, unitId: t.unitId, roundId: t.roundId, url, createdAt: deps.now() });
        else await store.patchMeta('master', { spreadsheetId: file.id, url, ...masterRefreshRequest(deps.now()) });
      }
      const outcome = created ? 'created' : needsRender || shared || !wasRegistered ? 'repaired' : 'unchanged';
      if (t.kind === 'master') report.master = outcome;
      else report[outcome].push(label);
      action = outcome === 'created' ? 'đã tạo' : outcome === 'repaired' ? 'đã sửa' : 'không đổi';
    }
    done++;
    const elapsed = deps.now() - started;
    const remainingWrites = targets.length - done;
    // Nothing left is nothing left to wait for, whatever slot the limiter has reserved next.
    const etaMs = remainingWrites === 0 ? 0 : Math.max(writes.etaMs(remainingWrites), done ? (elapsed / done) * remainingWrites : 0);
    opts.onProgress?.({ done, total: targets.length, label, action, etaMs });
  }
  if (!opts.dryRun && opts.webhook) report.watch = await renewWatch(deps, opts.webhook);
  deps.log.info('provisioning done', { created: report.created.length, repaired: report.repaired.length, unchanged: report.unchanged.length, shares: report.shares, master: report.master });
  return report;
}

/** A spreadsheet created but not rendered (a crash in between) still has only its blank default tab. */
async function hasRendered(deps: ProvisionDeps, spreadsheetId: string): Promise<boolean> {
  const structure = await deps.master.structure(spreadsheetId);
  return structure.some((s) => s.sheetId !== 0);
}
