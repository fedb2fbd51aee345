/**
 * Google Sheets refuses a merge that crosses a frozen row or column line ("You can't merge
 * frozen and non-frozen columns"), and a batchUpdate holding one such merge fails whole: a
 * template with one would stop provisioning, a master with one every refresh. Every workbook
 * the system renders is checked here, for every unit and round of both campaigns.
 */
import { describe, expect, it } from 'vitest';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { buildMasterView } from '../../functions/core/master-view.js';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import type { SheetModel, WorkbookModel } from '../../functions/layout/model.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { loadCampaign } from '../../sheets-schema/index.js';
import { SECOND_CAMPAIGN_FILE, model as hanoi } from '../helpers/campaign.js';

const campaigns: [string, CampaignModel][] = [
  ['Hà Nội 2020', hanoi],
  ['second campaign', modelOf(loadCampaign(SECOND_CAMPAIGN_FILE))],
];

/** Written out here rather than imported, so the test does not trust the code it checks. */
function crossings(sheet: SheetModel): string[] {
  const rows = sheet.frozenRows ?? 0;
  const cols = sheet.frozenCols ?? 0;
  return sheet.merges
    .filter(
      (m) => (rows > 0 && m.startRow < rows && rows < m.endRow) || (cols > 0 && m.startCol < cols && cols < m.endCol),
    )
    .map(
      (m) =>
        `${sheet.title}: rows ${m.startRow}–${m.endRow}, columns ${m.startCol}–${m.endCol} (frozen ${rows} rows, ${cols} columns)`,
    );
}

function unitWorkbooks(model: CampaignModel): [string, () => WorkbookModel][] {
  const out: [string, () => WorkbookModel][] = [];
  for (const round of model.campaign.rounds) {
    for (const unit of model.campaign.units)
      if (model.hasWorkbook(unit.id, round.id))
        out.push([`${unit.id} × ${round.id}`, () => buildUnitWorkbook(model, unit.id, round.id)]);
  }
  return out;
}

function emptyMasterView(model: CampaignModel) {
  return buildMasterView(model, {
    now: Date.UTC(2026, 11, 5),
    shortlist: new Set(),
    rounds: model.campaign.rounds.map((r) => ({
      roundId: r.id,
      submissions: [],
      states: [],
      nodes: {},
      sheetUrls: {},
      flags: [],
    })),
  });
}

describe.each(campaigns)('no merge crosses a frozen line: %s', (_name, model) => {
  it('every unit workbook of every round', () => {
    const workbooks = unitWorkbooks(model);
    expect(workbooks.length).toBeGreaterThan(0);
    const bad: string[] = [];
    let frozenWithMerges = 0;
    for (const [label, build] of workbooks) {
      let workbookModel: WorkbookModel;
      try {
        workbookModel = build();
      } catch (error) {
        bad.push(`${label}: ${(error as Error).message}`);
        continue;
      }
      for (const sheet of workbookModel.sheets) {
        if ((sheet.frozenRows || sheet.frozenCols) && sheet.merges.length) frozenWithMerges++;
        bad.push(...crossings(sheet).map((c) => `${label} ${c}`));
      }
    }
    expect(bad.length, `first crossings:\n${bad.slice(0, 10).join('\n')}`).toBe(0);
    // The check must have something to bite on: tabs that freeze panes and merge headers.
    expect(frozenWithMerges).toBeGreaterThan(0);
  });

  it('the master workbook', () => {
    const workbookModel = buildMasterWorkbook(model, emptyMasterView(model), Date.UTC(2026, 11, 5));
    expect(workbookModel.sheets.some((s) => s.frozenCols && s.merges.length)).toBe(true);
    expect(workbookModel.sheets.flatMap(crossings)).toEqual([]);
  });
});

describe('figures tabs keep what a clerk needs on screen and on paper', () => {
  it('the period label column stays frozen, and the title spans the whole scrolling width', () => {
    const workbookModel = buildUnitWorkbook(hanoi, 'ubnd-ba-dinh', 'so-ket-2020');
    const bang1 = workbookModel.sheets.find((s) => s.title === 'Bảng 1')!;
    expect(bang1.frozenCols).toBe(2);
    const caption = bang1.cells.find((c) => c.row === 2 && typeof c.value === 'string' && c.value.length > 0)!;
    const merge = bang1.merges.find((r) => r.startRow === 2 && r.startCol === caption.col)!;
    expect(merge.startCol).toBe(2);
    expect(merge.endCol).toBe(bang1.colCount - 2);
  });
});
