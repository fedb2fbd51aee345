/**
 * Child process of the sweep benchmark (bundled by esbuild and run with plain node, so its
 * memory is the sweep's own): builds the registry of N generated communes, serves their
 * registrations, states and submissions from the in-memory double, then times
 * `gatherSweepInput` and the pure `sweep` and reports peak RSS.
 * Mode 'memory': documents generated on each read, never stored (the process holds only what
 * the sweep read), read as the sweep reads them, through field masks (`select`): for peak RSS.
 * Mode 'memory-full': the same, but the store's sweep reads fetch whole documents (what the
 * sweep did before it used projections): the baseline of the peak RSS.
 * Mode 'time': documents stored as JSON and parsed on each read (a client deserialising), so
 * generating them is not timed; read through field masks: for the times.
 * Usage: node sweep-child.mjs <communes> <template.json> <at ISO> <memory|memory-full|time>; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import type { FirestoreStore } from '../functions/adapters/firestore-store.js';
import { gatherSweepInput } from '../functions/app/sweep.js';
import type { Store } from '../functions/app/ports.js';
import { sweep } from '../functions/core/sweep.js';
import { generatedModel } from './lib/campaign.js';
import { storedCommunes, virtualCommunes, type SubmissionTemplate } from './lib/docs.js';
import { MemoryFirestore } from './lib/memory-firestore.js';

export type SweepChildMode = 'memory' | 'memory-full' | 'time';

/**
 * The store with its sweep reads replaced by the whole-document reads the sweep made before it
 * used field masks (same documents, same billed reads): the baseline's memory.
 */
function wholeDocumentSweepReads(store: FirestoreStore): Store {
  return Object.assign(Object.create(store) as FirestoreStore, {
    sweepUnitSheets: () => store.allUnitSheets(),
    sweepStatesOfRound: (roundId: string) => store.statesOfRound(roundId),
    sweepSubmissionsOfRound: (roundId: string) => store.submissionsOfRound(roundId),
    sweepVersions: (roundId: string, unitId: string) => store.versions(roundId, unitId),
  });
}

const [unitCount, templateFile, atIso, mode] = process.argv.slice(2) as [string, string, string, SweepChildMode];
const megabytes = (bytes: number) => bytes / 2 ** 20;
const rssStart = megabytes(process.memoryUsage().rss);
let startedAt = performance.now();
const model = generatedModel(Number(unitCount));
const modelMs = performance.now() - startedAt;
const template = JSON.parse(readFileSync(templateFile, 'utf8')) as SubmissionTemplate;
const db = new MemoryFirestore();
const seededAt = Date.parse(atIso) - 3 * 86_400_000;
const firestoreStore =
  mode === 'time'
    ? await storedCommunes(db, model, template, seededAt)
    : virtualCommunes(db, model, template, seededAt);
await db.doc(firestoreStore.metaRef('master').path).set({ spreadsheetId: 'master', shortlist: [] });
const store: Store = mode === 'memory-full' ? wholeDocumentSweepReads(firestoreStore) : firestoreStore;
const rssBefore = megabytes(process.memoryUsage().rss);
const now = Date.parse(atIso);
startedAt = performance.now();
const input = await gatherSweepInput(model, store, now);
const gatherMs = performance.now() - startedAt;
startedAt = performance.now();
const result = sweep(model, input);
const sweepMs = performance.now() - startedAt;
const out = {
  units: Number(unitCount),
  mode,
  modelMs,
  gatherMs,
  sweepMs,
  totalMs: gatherMs + sweepMs,
  rssStartMB: rssStart,
  rssBeforeMB: rssBefore,
  rssAfterMB: megabytes(process.memoryUsage().rss),
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  reads: db.counts.reads,
  units_in_input: input.rounds.reduce((a, r) => a + r.units.length, 0),
  findings: result.findings.length,
  emails: result.emails.length,
  missing: result.missing.length,
  dueSoon: result.dueSoon.length,
  invalid: result.invalid.length,
};
process.stdout.write(`@@bench-sweep@@${JSON.stringify(out)}\n`);
process.exit(0);
