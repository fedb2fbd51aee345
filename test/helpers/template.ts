/** Blank unit templates, rendered to .xlsx and read back once per test file, handed out as fresh copies. */
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { readXlsxGrid, renderXlsx } from '../../functions/layout/xlsx.js';

// Keyed by the model object, not its id: a test's variant of a campaign (e.g. split by year) keeps the id.
const caches = new WeakMap<CampaignModel, Map<string, Promise<{ buffer: Buffer; grid: WorkbookGrid }>>>();

function rendered(model: CampaignModel, unitId: string, roundId: string) {
  let cache = caches.get(model);
  if (!cache) caches.set(model, (cache = new Map()));
  const key = `${unitId}\u0000${roundId}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const buffer = await renderXlsx(buildUnitWorkbook(model, unitId, roundId));
      return { buffer, grid: await readXlsxGrid(buffer) };
    })();
    cache.set(key, hit);
  }
  return hit;
}

/** The unit's blank template as an .xlsx file. */
export async function templateXlsx(model: CampaignModel, unitId: string, roundId: string): Promise<Buffer> {
  return (await rendered(model, unitId, roundId)).buffer;
}

/** The unit's blank template as the grid the core reads (a deep copy: edit freely). */
export async function templateGrid(model: CampaignModel, unitId: string, roundId: string): Promise<WorkbookGrid> {
  return structuredClone((await rendered(model, unitId, roundId)).grid);
}
