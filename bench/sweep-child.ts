/**
 * Child process of the sweep benchmark (bundled by esbuild and run with plain node, so its
 * memory is the sweep's own): builds the registry of N generated communes, serves their
 * registrations, states and submissions from the in-memory double (generated on each read,
 * never stored), then times `gatherSweepInput` and the pure `sweep` and reports peak RSS.
 * Mode 'memory': documents generated on each read, never stored (the process holds only what
 * the sweep read): for peak RSS. Mode 'time': documents stored as JSON and parsed on each read
 * (a client deserialising), so generating them is not timed: for the times.
 * Mode 'projected': as 'memory', but every document holds only the fields the sweep uses (what
 * a Firestore field mask, `select(...)`, would return): what such a projection would save.
 * Usage: node sweep-child.mjs <communes> <template.json> <at ISO> <memory|time|projected>; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { gatherSweepInput } from '../functions/app/sweep.js';
import { sweep } from '../functions/core/sweep.js';
import { generatedModel } from './lib/campaign.js';
import { storedCommunes, virtualCommunes, type SubmissionTemplate } from './lib/docs.js';
import { MemoryFirestore } from './lib/memory-firestore.js';

const [n, templateFile, atIso, mode] = process.argv.slice(2) as [string, string, string, 'memory' | 'time' | 'projected'];
const mb = (bytes: number) => bytes / 2 ** 20;
const rssStart = mb(process.memoryUsage().rss);
let t = performance.now();
const model = generatedModel(Number(n));
const modelMs = performance.now() - t;
const template = JSON.parse(readFileSync(templateFile, 'utf8')) as SubmissionTemplate;
const db = new MemoryFirestore();
const seededAt = Date.parse(atIso) - 3 * 86_400_000;
const store = mode === 'time' ? await storedCommunes(db, model, template, seededAt) : virtualCommunes(db, model, template, seededAt, { projected: mode === 'projected' });
await db.doc(store.metaRef('master').path).set({ spreadsheetId: 'master', shortlist: [] });
const rssBefore = mb(process.memoryUsage().rss);
const now = Date.parse(atIso);
t = performance.now();
const input = await gatherSweepInput(model, store, now);
const gatherMs = performance.now() - t;
t = performance.now();
const result = sweep(model, input);
const sweepMs = performance.now() - t;
const out = {
  units: Number(n),
  mode,
  modelMs,
  gatherMs,
  sweepMs,
  totalMs: gatherMs + sweepMs,
  rssStartMB: rssStart,
  rssBeforeMB: rssBefore,
  rssAfterMB: mb(process.memoryUsage().rss),
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
