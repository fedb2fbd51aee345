/**
 * The local stack for the end-to-end benchmarks: the test harness's stack (every service on a
 * random port, state in a temp directory, no background scheduler) running the production
 * retry policy, whose back-off sleeps follow the Sheets emulator's clock scale so that a
 * back-off lasts as long in emulated (quota) time as it would against Google.
 */
import { DEFAULT_RETRY, type RetryPolicy } from '../../functions/adapters/retry.js';
import { createSheetsPace } from '../../functions/adapters/sheets-pace.js';
import { provisionCampaign } from '../../functions/app/provision.js';
import { renewWatch } from '../../functions/app/change-detection.js';
import { gridOfWorkbookModel } from '../../functions/layout/model-grid.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { sheetsAs, typeInto, writesFor, type CellWrite, type Entry } from '../../scripts/local-stack/clerk.js';
import { LOCAL_SERVICE_ACCOUNT } from '../../scripts/local-stack/stack.js';
import { startTestStack, type TestStack } from '../../test/helpers/stack.js';
import type { sheets_v4 } from '@googleapis/sheets';
import { generatedCampaignFile, ROUND } from './campaign.js';
import type { BenchContext } from './types.js';

export { LOCAL_SERVICE_ACCOUNT as SA };

export interface BenchStack extends TestStack {
  /** The emulator's clock scale, also applied to the retry policy's sleeps. */
  setScale(scale: number): void;
  scale(): number;
  /** Sheets quotas as Google's per-user limits (60 reads, 60 writes per minute), or off. */
  setQuotas(on: boolean): void;
  /** Writes as `unitId`'s clerk, with a client kept per clerk. */
  typeWrites(unitId: string, writes: CellWrite[]): Promise<void>;
  /** Cell positions of `entries` for `unitId`, from its layout (no request). */
  writesOf(unitId: string, entries: Entry[]): CellWrite[];
  spreadsheetIds: Map<string, string>;
  /** Retries the production policy made, by the status that caused them. */
  retries: Map<string, number>;
  /** Seconds spent starting and provisioning. */
  startupMs: number;
}

export async function startBenchStack(opts: {
  communes: number | null;
  pushDelayMs: number;
  webhook: boolean;
}): Promise<BenchStack> {
  const startedAt = performance.now();
  let scale = 1;
  const retries = new Map<string, number>();
  const retry: RetryPolicy = {
    ...DEFAULT_RETRY,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms / scale)),
    onRetry: ({ status }) => retries.set(String(status), (retries.get(String(status)) ?? 0) + 1),
  };
  const stack = await startTestStack({
    ...(opts.communes !== null ? { campaignSchema: await generatedCampaignFile(opts.communes) } : {}),
    pushDelayMs: opts.pushDelayMs,
    retry,
    sheetsQuotas: false,
  });
  try {
    const runtime = stack.runtime;
    // Provisioning with quotas off (it paces itself in production; here it would take an hour).
    await provisionCampaign(
      { ...runtime, writes: runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
      {
        rounds: [ROUND],
        ...(opts.webhook
          ? {
              webhook: {
                address: runtime.config.webhook.url,
                secret: runtime.config.webhook.secret,
                ttlMs: runtime.config.watchTtlMs,
              },
            }
          : {}),
      },
    );
    if (!opts.webhook)
      await renewWatch(runtime, {
        address: null,
        secret: runtime.config.webhook.secret,
        ttlMs: runtime.config.watchTtlMs,
      });
    const spreadsheetIds = new Map(
      (await runtime.store.allUnitSheets()).filter((r) => r.roundId === ROUND).map((r) => [r.unitId, r.spreadsheetId]),
    );
    const clients = new Map<string, sheets_v4.Sheets>();
    const layouts = new Map<string, ReturnType<typeof gridOfWorkbookModel>>();
    return Object.assign(stack, {
      spreadsheetIds,
      retries,
      startupMs: performance.now() - startedAt,
      setScale(newScale: number) {
        scale = newScale;
        stack.sheets.clock.setScale(newScale);
      },
      scale: () => scale,
      setQuotas(on: boolean) {
        stack.sheets.quotas.reset();
        // Project-wide limits are lifted: clerks type through the API here, whereas in Google
        // Sheets their edits in the browser do not draw on the project's API quota. The service
        // account is one user, so its 60 per minute binds long before a 300 per-project limit.
        stack.sheets.quotas.set({
          enabled: on,
          readPerMinutePerUser: 60,
          writePerMinutePerUser: 60,
          readPerMinutePerProject: 1e9,
          writePerMinutePerProject: 1e9,
        });
        // With quotas on, the functions pace themselves as deployed (the default 50 reads and 50
        // writes per minute), in emulated minutes: the adapters share this object.
        const perRealMinute = on ? 50 * scale : Number.POSITIVE_INFINITY;
        Object.assign(runtime.sheetsPace, createSheetsPace(perRealMinute, perRealMinute));
      },
      async typeWrites(unitId: string, writes: CellWrite[]) {
        let client = clients.get(unitId);
        if (!client)
          clients.set(
            unitId,
            (client = sheetsAs(stack.urls.sheets, runtime.model.unit(unitId).emails[0] ?? `${unitId}@hanoi.example`)),
          );
        const id = spreadsheetIds.get(unitId);
        if (!id) throw new Error(`no sheet for ${unitId}`);
        await typeInto(client, id, writes);
      },
      writesOf(unitId: string, entries: Entry[]) {
        let grid = layouts.get(unitId);
        if (!grid) layouts.set(unitId, (grid = gridOfWorkbookModel(buildUnitWorkbook(runtime.model, unitId, ROUND))));
        const { writes, unplaced } = writesFor(runtime.model, unitId, ROUND, grid, entries);
        if (unplaced.length) throw new Error(`entries without a cell: ${JSON.stringify(unplaced.slice(0, 2))}`);
        return writes;
      },
    });
  } catch (e) {
    await stack.dispose();
    throw e;
  }
}

/** One stack per size for the whole run (the 600-unit one serves e2e and burst), stopped at the end. */
export function sharedStack(ctx: BenchContext, communes: number): Promise<BenchStack> {
  const key = `stack-${communes}`;
  let promise = ctx.shared.get(key) as Promise<BenchStack> | undefined;
  if (!promise) {
    ctx.log(`starting the local stack with ${communes} generated communes and provisioning their sheets`);
    promise = startBenchStack({ communes, pushDelayMs: PUSH_DELAY_MS, webhook: true });
    ctx.shared.set(key, promise);
    ctx.cleanups.push(async () => (await promise!).dispose());
    void promise
      .then((s) =>
        ctx.log(
          `stack with ${communes} communes ready in ${(s.startupMs / 1000).toFixed(1)} s (${s.spreadsheetIds.size} unit sheets)`,
        ),
      )
      .catch(() => {});
  }
  return promise;
}

/** Drive push delay of `npm start` (the local stack's default): changes within it coalesce into one push. */
export const PUSH_DELAY_MS = 500;
