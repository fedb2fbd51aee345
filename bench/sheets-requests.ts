/**
 * Sheets API requests per processed change, for the pipeline (one `spreadsheets.get`, one
 * feedback batchUpdate when the feedback changed) and for a naive adapter (one read per tab,
 * one write per piece of feedback: see lib/naive-workbooks.ts), on the real 2020 campaign in
 * the local stack. A change is a district's clerk typing a whole workbook (every third one
 * with two wrong figures, so that cells get flagged); 15 districts go through each adapter.
 *
 * The master sheet: the pipeline only marks it as requested and the scheduled refresh-master
 * job rebuilds it once for the whole batch (coalesced); the baseline refreshes it after every
 * change. Only the service account's Sheets requests are counted (clerks' typing is not);
 * Drive requests are reported apart (Drive has its own, far larger quota).
 */
import { refreshMaster } from '../functions/app/master.js';
import { processUnitSheet } from '../functions/app/process-unit-sheet.js';
import { unitsOfKind, MAIN_PERIOD } from '../test/helpers/campaign.js';
import { validSubmission } from '../test/helpers/fill-workbook.js';
import { submissionEntries } from '../test/helpers/stack.js';
import type { LogEntry } from '../scripts/emulators/sheets/types.js';
import { ROUND } from './lib/campaign.js';
import { counterFor } from './lib/firestore-counter.js';
import { NaiveWorkbooks } from './lib/naive-workbooks.js';
import { startBenchStack, SA } from './lib/stack.js';
import { figure, type Benchmark } from './lib/types.js';

const PER_ADAPTER = 12;

interface Tally {
  changes: number;
  unitReads: number;
  unitWrites: number;
  masterRequests: number;
  masterRefreshes: number;
  driveRequests: number;
  firestoreReads: number;
  flaggedChanges: number;
}

export const sheetsBench: Benchmark = {
  id: 'sheets',
  title: 'Sheets API requests per processed change vs a naive adapter',
  async run(ctx) {
    const stack = await startBenchStack({ communes: null, pushDelayMs: 60_000, webhook: false });
    ctx.log(`stack up, ${stack.spreadsheetIds.size} unit sheets provisioned`);
    try {
      const runtime = stack.runtime;
      const model = runtime.model;
      const masterId = (await runtime.store.meta('master')).spreadsheetId!;
      const unitOfSheet = new Map([...stack.spreadsheetIds].map(([unitId, id]) => [id, { unitId, roundId: ROUND }]));
      const naive = new NaiveWorkbooks(
        (runtime.workbooks as unknown as { sheets: ConstructorParameters<typeof NaiveWorkbooks>[0] }).sheets,
        model,
        (id) => unitOfSheet.get(id)!,
        { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
      );
      const fs = counterFor(runtime.db);
      const districts = unitsOfKind(model, 'district');
      const perChange = ctx.quick ? 6 : PER_ADAPTER;
      const groups = { pipeline: districts.slice(0, perChange), naive: districts.slice(perChange, 2 * perChange) };

      const typeAll = async (units: string[]) => {
        for (const [index, unitId] of units.entries()) {
          const sub = validSubmission(model, unitId, ROUND);
          if (index % 3 === 0) {
            sub.figures.bang1![MAIN_PERIOD]!['tuyen_truyen.dai_chung'] = -5;
            sub.figures.bang2![MAIN_PERIOD]![Object.keys(sub.figures.bang2![MAIN_PERIOD]!)[0]!] = '12,5';
          }
          await stack.typeWrites(unitId, stack.writesOf(unitId, submissionEntries(sub)));
        }
      };
      const saSheets = (e: LogEntry) => e.api === 'sheets' && e.user === SA;
      const tally = async (units: string[], adapter: 'pipeline' | 'naive'): Promise<Tally> => {
        await typeAll(units);
        const from = stack.sheets.log.length ? stack.sheets.log[stack.sheets.log.length - 1]!.seq : 0;
        const entries = () => stack.sheets.log.filter((e) => e.seq > from);
        const fsBefore = { ...fs.counts };
        let flaggedChanges = 0;
        let masterRefreshes = 0;
        const deps = adapter === 'pipeline' ? runtime : { ...runtime, workbooks: naive.asWorkbooks() };
        for (const unitId of units) {
          const outcome = await processUnitSheet(deps, stack.spreadsheetIds.get(unitId)!);
          if (outcome.outcome !== 'processed') throw new Error(`${unitId}: ${outcome.outcome}`);
          if (outcome.evaluation.errors > 0) flaggedChanges++;
          if (adapter === 'naive') {
            await stack.triggersIdle();
            if ((await refreshMaster(runtime, { force: true })).refreshed) masterRefreshes++;
          }
        }
        await stack.triggersIdle();
        const firestoreReads = fs.counts.reads - fsBefore.reads;
        if (adapter === 'pipeline' && (await refreshMaster(runtime)).refreshed) masterRefreshes++;
        const log = entries();
        const unitSheets = new Set(units.map((u) => stack.spreadsheetIds.get(u)!));
        return {
          changes: units.length,
          unitReads: log.filter((e) => saSheets(e) && e.kind === 'read' && unitSheets.has(e.spreadsheetId ?? ''))
            .length,
          unitWrites: log.filter((e) => saSheets(e) && e.kind === 'write' && unitSheets.has(e.spreadsheetId ?? ''))
            .length,
          masterRequests: log.filter((e) => saSheets(e) && e.spreadsheetId === masterId).length,
          masterRefreshes,
          driveRequests: log.filter((e) => e.api === 'drive' && e.user === SA).length,
          firestoreReads: adapter === 'pipeline' ? firestoreReads : NaN,
          flaggedChanges,
        };
      };
      const pipeline = await tally(groups.pipeline, 'pipeline');
      const naiveTally = await tally(groups.naive, 'naive');
      const per = (t: Tally, n: number) => n / t.changes;
      const twoDecimals = (x: number) => String(Number(x.toFixed(2)));
      const unitA = per(pipeline, pipeline.unitReads + pipeline.unitWrites);
      const unitB = per(naiveTally, naiveTally.unitReads + naiveTally.unitWrites);
      const allA = per(pipeline, pipeline.unitReads + pipeline.unitWrites + pipeline.masterRequests);
      const allB = per(naiveTally, naiveTally.unitReads + naiveTally.unitWrites + naiveTally.masterRequests);
      ctx.log(`pipeline ${JSON.stringify(pipeline)}`);
      ctx.log(`naive ${JSON.stringify(naiveTally)}`);
      return {
        figures: [
          figure({
            id: 'sheets.requestsPerChange',
            label: 'Sheets requests per change (unit sheet read + feedback)',
            value: unitA,
            unit: 'req',
            baseline: { label: 'naive: a read per tab, a write per flagged cell', value: unitB },
            target: '≤ 2 per change',
            met: unitA <= 2,
            note: `${pipeline.changes} changes each (${pipeline.flaggedChanges} and ${naiveTally.flaggedChanges} with flagged cells); pipeline ${twoDecimals(per(pipeline, pipeline.unitReads))} read + ${twoDecimals(per(pipeline, pipeline.unitWrites))} write, naive ${twoDecimals(per(naiveTally, naiveTally.unitReads))} reads + ${twoDecimals(per(naiveTally, naiveTally.unitWrites))} writes; Drive (separate quota): ${twoDecimals(per(pipeline, pipeline.driveRequests))} vs ${twoDecimals(per(naiveTally, naiveTally.driveRequests))} requests/change`,
          }),
          figure({
            id: 'sheets.requestsPerChangeWithMaster',
            label: 'Sheets requests per change incl. master refresh',
            value: allA,
            unit: 'req',
            baseline: { label: 'naive + master refresh per change', value: allB },
            target: 'master refreshes coalesced',
            met: pipeline.masterRefreshes === 1 && pipeline.changes > 1,
            note: `master refreshed ${pipeline.masterRefreshes}× for ${pipeline.changes} changes (${pipeline.masterRequests} requests) vs ${naiveTally.masterRefreshes}× (${naiveTally.masterRequests} requests); ${twoDecimals(pipeline.firestoreReads / pipeline.changes)} Firestore reads per change in the pipeline incl. aggregation`,
          }),
        ],
        details: { pipeline: pipeline, naive: naiveTally },
      };
    } finally {
      await stack.dispose();
    }
  },
};
