/**
 * HTTP functions. Each one authenticates, decodes and delegates; user mistakes never reach
 * here (they are written into the sheet), so anything thrown is unexpected: it is logged with
 * context and answered 500, which makes Google retry.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { pollChanges, renewWatch, requestPoll } from '../app/change-detection.js';
import { isMasterSpreadsheet, refreshMaster, requestMasterRefresh } from '../app/master.js';
import { processUnitSheet } from '../app/process-unit-sheet.js';
import { publishDueReports } from '../app/report-documents.js';
import { reconcileRound, reconcileSharing } from '../app/reconcile.js';
import { runSweep, sweepJson } from '../app/sweep.js';
import { acceptedWebhookSecrets } from '../config.js';
import { QuotaDeferredError } from '../app/time-budget.js';
import { verifyChannelToken, verifySheetActionSignature } from './auth.js';
import type { Runtime, RuntimeSource } from './runtime.js';
import { withinBudget, type FunctionName } from './time-budget.js';

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Runs one invocation within its function's time budget. Work deferred by the shared Sheets
 * quota is answered 503 with Retry-After (the scheduler retries it), anything else 500.
 */
async function guarded(
  runtime: RuntimeSource,
  res: Response,
  functionName: FunctionName,
  what: string,
  body: (rt: Runtime) => Promise<void>,
): Promise<void> {
  let resolved: Runtime | undefined;
  try {
    resolved = await runtime();
    const ready = resolved;
    await withinBudget(functionName, () => body(ready));
  } catch (error) {
    if (error instanceof QuotaDeferredError) {
      resolved?.log.warn(`${what} deferred: Sheets quota`, {
        quota: error.quota,
        waitMs: error.waitMs,
        budgetMs: error.budgetMs,
      });
      if (!res.headersSent)
        res
          .status(503)
          .set('Retry-After', String(Math.ceil(error.waitMs / 1000)))
          .json({ error: 'quota-deferred', retryAfterSeconds: Math.ceil(error.waitMs / 1000) });
      return;
    }
    (resolved?.log ?? console).error(`${what} failed`, { error: error as Error } as never);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  }
}

export const MAINTENANCE_JOBS = [
  'renew-watch',
  'poll-changes',
  'reconcile',
  'refresh-master',
  'publish-reports',
] as const;
export type MaintenanceJob = (typeof MAINTENANCE_JOBS)[number];

export interface HttpHandlers {
  driveWebhook(req: Request, res: Response): Promise<void>;
  sheetAction(req: Request, res: Response): Promise<void>;
  complianceSweep(req: Request, res: Response): Promise<void>;
  maintenance(req: Request, res: Response): Promise<void>;
}

/** The HTTP functions, answering with the runtime `runtime` gives (one per deployment, stack or test). */
export function createHttpHandlers(runtime: RuntimeSource): HttpHandlers {
  /** Drive push notification: headers only (X-Goog-Channel-*). */
  async function driveWebhook(req: Request, res: Response): Promise<void> {
    await guarded(runtime, res, 'driveWebhook', 'drive webhook', async (runtime) => {
      const channelId = header(req, 'x-goog-channel-id');
      if (
        !verifyChannelToken(
          acceptedWebhookSecrets(runtime.config.webhook),
          channelId,
          header(req, 'x-goog-channel-token'),
        )
      ) {
        runtime.log.warn('drive push refused: bad channel token', { channelId });
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const state = header(req, 'x-goog-resource-state');
      if (state === 'sync') {
        res.status(200).json({ status: 'sync' });
        return;
      }
      // Answer Drive at once; the poll runs in onPollRequested, triggered by this write.
      const requestId = await requestPoll(
        runtime,
        runtime.now(),
        `drive push ${header(req, 'x-goog-message-number') ?? ''}`.trim(),
      );
      res.status(202).json({ status: 'poll-requested', requestId });
    });
  }

  /**
   * The optional Apps Script buttons: a signed request for one sheet. On a unit's sheet "Kiểm tra
   * ngay / Gửi báo cáo"; on the master the round documents now (no action, or
   * 'publish-reports') or "Làm mới toàn bộ" ('rebuild-master': the next refresh writes every
   * cell again from a full read, within the refresh job's minute).
   */
  async function sheetAction(req: Request, res: Response): Promise<void> {
    await guarded(runtime, res, 'sheetAction', 'sheet action', async (runtime) => {
      const body = (req.body ?? {}) as {
        spreadsheetId?: unknown;
        timestamp?: unknown;
        signature?: unknown;
        action?: unknown;
      };
      if (!verifySheetActionSignature(acceptedWebhookSecrets(runtime.config.webhook), body, runtime.now())) {
        runtime.log.warn('sheet action refused: bad signature', {
          spreadsheetId: typeof body.spreadsheetId === 'string' ? body.spreadsheetId : undefined,
        });
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const onMaster = await isMasterSpreadsheet(runtime, body.spreadsheetId);
      const known = onMaster ? [undefined, 'publish-reports', 'rebuild-master'] : [undefined];
      if (!known.includes(body.action as string | undefined)) {
        res.status(400).json({ error: `unknown action: ${String(body.action)}` });
        return;
      }
      if (onMaster && body.action === 'rebuild-master') {
        await requestMasterRefresh(runtime.store, runtime.now(), 'rebuild');
        res.status(202).json({ outcome: 'master-rebuild-requested' });
        return;
      }
      // The master's button: the coordinators ask for the round documents now (every round, rewritten in place).
      if (onMaster) {
        const published = await publishDueReports(runtime, runtime.now(), { all: true });
        res.status(200).json({
          outcome: 'reports-published',
          rounds: published.map((p) => ({
            roundId: p.roundId,
            files: p.files.map((f) => ({ name: f.name, url: f.url })),
          })),
        });
        return;
      }
      const outcome = await processUnitSheet(runtime, body.spreadsheetId as string);
      res
        .status(200)
        .json(
          outcome.outcome === 'processed'
            ? { outcome: outcome.outcome, status: outcome.evaluation.status, statusText: outcome.statusText }
            : { outcome: outcome.outcome },
        );
    });
  }

  async function schedulerAllowed(runtime: Runtime, req: Request, res: Response): Promise<boolean> {
    const verdict = await runtime.schedulerAuth(header(req, 'authorization'));
    if (verdict.ok) return true;
    runtime.log.warn('scheduled call refused', { reason: verdict.reason, path: req.path });
    res.status(401).json({ error: 'unauthorized' });
    return false;
  }

  /** Cloud Scheduler → compliance sweep. Body: { at?: ISO datetime, dryRun?: boolean }. */
  async function complianceSweep(req: Request, res: Response): Promise<void> {
    await guarded(runtime, res, 'complianceSweep', 'compliance sweep', async (runtime) => {
      if (!(await schedulerAllowed(runtime, req, res))) return;
      const body = (req.body ?? {}) as { at?: unknown; dryRun?: unknown };
      const at = typeof body.at === 'string' && !Number.isNaN(Date.parse(body.at)) ? Date.parse(body.at) : undefined;
      const run = await runSweep(
        { ...runtime, mailer: runtime.mailer },
        { ...(at !== undefined ? { at } : {}), dryRun: body.dryRun === true },
      );
      res
        .status(200)
        .json({ ...sweepJson(run), sent: run.sent.length, failed: run.failed.length, alreadySent: run.alreadySent });
    });
  }

  /** Cloud Scheduler → maintenance jobs. Body: { job: 'renew-watch' | 'poll-changes' | 'reconcile' | 'refresh-master' | 'publish-reports', round?: id }. */
  async function maintenance(req: Request, res: Response): Promise<void> {
    await guarded(runtime, res, 'maintenance', 'maintenance', async (runtime) => {
      if (!(await schedulerAllowed(runtime, req, res))) return;
      const job = (req.body as { job?: unknown } | undefined)?.job;
      switch (job as MaintenanceJob) {
        case 'renew-watch':
          res.json(
            await renewWatch(runtime, {
              address: runtime.config.webhook.url,
              secret: runtime.config.webhook.secret,
              ttlMs: runtime.config.watchTtlMs,
            }),
          );
          return;
        case 'poll-changes':
          res.json(await pollChanges(runtime));
          return;
        case 'reconcile': {
          const results = [];
          for (const round of runtime.model.campaign.rounds) results.push(await reconcileRound(runtime, round.id));
          const sharing = await reconcileSharing({
            ...runtime,
            systemAccounts: runtime.config.serviceAccount ? [runtime.config.serviceAccount] : [],
          });
          // Nightly: the next master refresh rebuilds in full and proves the incremental master equal to it.
          await requestMasterRefresh(runtime.store, runtime.now(), 'verify');
          res.json({ results, sharing });
          return;
        }
        case 'refresh-master':
          // `full: true`: the operator's full rebuild (every document read, every cell written).
          res.json(await refreshMaster(runtime, { force: (req.body as { full?: unknown }).full === true }));
          return;
        case 'publish-reports': {
          const round = (req.body as { round?: unknown }).round;
          if (round !== undefined && (typeof round !== 'string' || !runtime.model.findRound(round))) {
            res.status(400).json({
              error: `unknown round; expected one of ${runtime.model.campaign.rounds.map((r) => r.id).join(', ')}`,
            });
            return;
          }
          const published = await publishDueReports(
            runtime,
            runtime.now(),
            typeof round === 'string' ? { roundId: round } : {},
          );
          res.json({ published: published.map((p) => ({ roundId: p.roundId, files: p.files.map((f) => f.name) })) });
          return;
        }
        default:
          res.status(400).json({ error: `unknown job; expected one of ${MAINTENANCE_JOBS.join(', ')}` });
      }
    });
  }

  return { driveWebhook, sheetAction, complianceSweep, maintenance };
}
