/**
 * The documents the coordinators send on at the end of a round: the consolidated
 * tables, the draft city report, the award lists (main round) and the activities (supplementary
 * round). Built from the same master view as the master sheet and `master --json`, so the
 * figures in the files are the figures the coordinators see.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import type { MasterView } from '../core/master-view.js';
import type { Logger } from './log.js';
import type { SubmissionRecord } from './records.js';
import { currentMasterView, requestMasterRefresh } from './master.js';
import type { UnitNarrative } from '../layout/report-docx.js';
import type { Files, Store } from './ports.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface RoundDocument {
  fileName: string;
  mimeType: string;
  content: Buffer;
}

export interface ReportDeps {
  model: CampaignModel;
  store: Store;
}

/** The list table holding a round's typical examples (role 'examples'), if the round has one. */
function examplesTableId(model: CampaignModel): string | undefined {
  return model.campaign.tables.find((t) => t.kind === 'list' && t.role === 'examples')?.id;
}

/** What each unit wrote for the report, from its accepted submission (the latest accepted version counts). */
export function narrativesOf(
  model: CampaignModel,
  submissions: Pick<SubmissionRecord, 'unitId' | 'outline' | 'examples'>[],
): UnitNarrative[] {
  const examplesTable = examplesTableId(model);
  return submissions
    .filter((s) => model.findUnit(s.unitId))
    .map((s) => ({
      unitId: s.unitId,
      outline: s.outline ?? {},
      examples: (examplesTable && s.examples?.[examplesTable]) || [],
    }))
    .filter((n) => Object.values(n.outline).some((e) => e.content || e.reference) || n.examples.length > 0);
}

function roundHasTable(
  model: CampaignModel,
  roundId: string,
  test: (t: CampaignModel['campaign']['tables'][number]) => boolean,
): boolean {
  return model.round(roundId).tables.some((id) => test(model.table(id)));
}

/** A round whose units list their activities ("và các hoạt động"): the supplementary round of 2020. */
function isSupplementary(model: CampaignModel, roundId: string): boolean {
  return roundHasTable(model, roundId, (t) => t.kind === 'list' && t.role === 'activities');
}

export async function buildRoundDocuments(
  deps: ReportDeps,
  roundId: string,
  now: number,
  view?: MasterView,
): Promise<RoundDocument[]> {
  const { model, store } = deps;
  // The renderers load exceljs and docx: only when documents are asked for, never on a cold start.
  const [
    { buildConsolidatedWorkbook, buildAwardListWorkbook, buildActivitiesWorkbook },
    { renderXlsx },
    { renderCityReportDocx },
  ] = await Promise.all([
    import('../layout/report-workbooks.js'),
    import('../layout/xlsx.js'),
    import('../layout/report-docx.js'),
  ]);
  const masterView = view ?? (await currentMasterView({ model, store }, now));
  const narratives = narrativesOf(model, await store.submissionsOfRound(roundId));
  const docs: RoundDocument[] = [
    {
      fileName: `bang-tong-hop-${roundId}.xlsx`,
      mimeType: XLSX_MIME,
      content: await renderXlsx(buildConsolidatedWorkbook(model, masterView, roundId, now)),
    },
    {
      fileName: `bao-cao-tong-hop-${roundId}.docx`,
      mimeType: DOCX_MIME,
      content: await renderCityReportDocx(model, masterView, roundId, now, narratives),
    },
  ];
  if (roundHasTable(model, roundId, (t) => t.kind === 'list' && t.role === 'nominations')) {
    for (const award of model.campaign.awards) {
      docs.push({
        fileName: `khen-thuong-${award.id}.xlsx`,
        mimeType: XLSX_MIME,
        content: await renderXlsx(buildAwardListWorkbook(model, masterView, roundId, award.id, now)),
      });
    }
  }
  if (isSupplementary(model, roundId))
    docs.push({
      fileName: `hoat-dong-${roundId}.xlsx`,
      mimeType: XLSX_MIME,
      content: await renderXlsx(buildActivitiesWorkbook(model, masterView, roundId, now)),
    });
  return docs;
}

/** Where the documents go in the campaign's shared drive, apart from the hundreds of unit sheets. */
export const DOCUMENTS_FOLDER_NAME = 'Hồ sơ gửi đi';

export interface PublishDeps extends ReportDeps {
  files: Pick<Files, 'upsertFile' | 'ensureFolder'>;
  log: Logger;
}

export interface PublishedRound {
  roundId: string;
  files: { name: string; fileId: string; url: string | null; created: boolean }[];
}

/**
 * Writes a round's documents into the campaign's Drive (the folder "Hồ sơ gửi đi" of the shared
 * drive the sheets live in), replacing the files of an earlier run (found by their
 * appProperties, wherever they are), and records their links for the master. Idempotent: run
 * twice, one folder and one file each.
 */
async function publishRoundDocuments(
  deps: PublishDeps,
  roundId: string,
  now: number,
  folderId: string,
  view?: MasterView,
): Promise<PublishedRound> {
  const docs = await buildRoundDocuments(deps, roundId, now, view);
  const files: PublishedRound['files'] = [];
  for (const doc of docs) {
    const { file, created, duplicates } = await deps.files.upsertFile(
      doc.fileName,
      doc.mimeType,
      doc.content,
      { campaignId: deps.model.id, reportFile: doc.fileName },
      folderId,
    );
    if (duplicates > 0)
      deps.log.warn('report file found more than once in Drive; the first one was replaced', {
        name: doc.fileName,
        duplicates,
      });
    files.push({ name: doc.fileName, fileId: file.id, url: file.webViewLink, created });
  }
  await deps.store.patchMeta('reports', {
    [roundId]: { publishedAt: now, files: files.map(({ created, ...f }) => f) },
  });
  // The master links the files: its next refresh shows them.
  await requestMasterRefresh(deps.store, now, 'master');
  deps.log.info('round documents published', {
    roundId,
    files: files.length,
    created: files.filter((f) => f.created).length,
  });
  return { roundId, files };
}

/**
 * The scheduled run: each round whose due time has passed and whose documents were not
 * written since, once. On demand: `roundId` (that round) or `all` (every round), now,
 * whatever was written before.
 */
export async function publishDueReports(
  deps: PublishDeps,
  now: number,
  opts: { roundId?: string; all?: boolean } = {},
): Promise<PublishedRound[]> {
  const meta = await deps.store.meta('reports');
  const rounds = opts.roundId
    ? [deps.model.round(opts.roundId)]
    : opts.all
      ? deps.model.campaign.rounds
      : deps.model.campaign.rounds.filter(
          (r) => now >= deps.model.dueAt(r.id) && (meta[r.id]?.publishedAt ?? -Infinity) < deps.model.dueAt(r.id),
        );
  const out: PublishedRound[] = [];
  if (rounds.length === 0) return out;
  // One master view (every round's submissions, states and aggregates) serves every round written.
  const view = await currentMasterView(deps, now);
  // Found (or made) once for every round: a folder just made may not be listed yet by a second search.
  const folder = await deps.files.ensureFolder(DOCUMENTS_FOLDER_NAME, {
    campaignId: deps.model.id,
    documentsFolder: 'true',
  });
  for (const round of rounds) out.push(await publishRoundDocuments(deps, round.id, now, folder.id, view));
  return out;
}
