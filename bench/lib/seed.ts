/**
 * Seeding Firestore directly (no Sheets, no pipeline) with what N processed units leave
 * behind: sheet registrations, unit states, accepted submissions and the aggregate tree, in
 * batched commits. Submissions are one real evaluation of a commune's valid workbook, with
 * every figure scaled per unit so totals differ and sums are checkable.
 */
import type { Firestore } from '@google-cloud/firestore';
import { totalsFromSubmission, type NodeTotals } from '../../functions/core/aggregate.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { filledGrid } from '../../test/helpers/fill-workbook.js';
import { communesOf, ROUND } from './campaign.js';
import { aggregateDocs, communeDocs, statusMix, type SeededStatus } from './docs.js';

const BATCH = 400;

/** Writes [ref path, data] pairs in batched commits. */
export async function writeAll(db: Firestore, docs: [string, object][]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const batch = db.batch();
    for (const [path, data] of docs.slice(i, i + BATCH)) batch.set(db.doc(path), data);
    await batch.commit();
  }
}

const templates = new WeakMap<CampaignModel, Promise<Evaluation>>();
/** One commune's valid workbook, evaluated (the template every seeded submission is scaled from). */
export function communeEvaluation(model: CampaignModel): Promise<Evaluation> {
  let promise = templates.get(model);
  if (!promise) {
    const unitId = communesOf(model)[0]!;
    promise = filledGrid(model, unitId, ROUND).then((grid) => evaluateWorkbook(model, unitId, ROUND, grid));
    templates.set(model, promise);
  }
  return promise;
}

export interface SeedResult {
  store: FirestoreStore;
  /** Units with an accepted submission, and each one's totals. */
  submitted: Map<string, NodeTotals>;
  documents: number;
}

/**
 * Seeds every generated commune of `model`: registration, state and submission (by `status`,
 * default `statusMix`), and the whole aggregate tree consistent with those submissions.
 */
export async function seedCommunes(
  db: Firestore,
  model: CampaignModel,
  opts: { at: number; registrations?: boolean; states?: boolean; status?: (i: number) => SeededStatus },
): Promise<SeedResult> {
  const store = new FirestoreStore(db, model.id);
  const evaluation = await communeEvaluation(model);
  const docs: [string, object][] = [];
  const submitted = new Map<string, NodeTotals>();
  communesOf(model).forEach((unitId, index) => {
    const communeDocuments = communeDocs(model, evaluation, unitId, (opts.status ?? statusMix)(index), opts.at);
    if (opts.registrations !== false)
      docs.push(
        [store.sheetRef(communeDocuments.registration.spreadsheetId).path, communeDocuments.registration],
        [store.unitSheetRef(ROUND, unitId).path, communeDocuments.registration],
      );
    if (communeDocuments.submission) {
      docs.push([store.submissionRef(ROUND, unitId).path, communeDocuments.submission]);
      submitted.set(unitId, totalsFromSubmission(communeDocuments.submission.totals));
    }
    if (opts.states !== false && communeDocuments.state)
      docs.push([store.stateRef(ROUND, unitId).path, communeDocuments.state]);
  });
  docs.push(...aggregateDocs(store, model, submitted, opts.at));
  await writeAll(db, docs);
  return { store, submitted, documents: docs.length };
}
