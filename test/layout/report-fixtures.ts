/**
 * A master view with something in it, built through `buildMasterView` from accepted
 * submissions: figures for two districts and a sector (one district and the other units
 * without), and nominations of every verdict. Round and indicator ids come from the model.
 */
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import {
  buildMasterView,
  nominationId,
  type MasterView,
  type ViewNomination,
  type ViewSubmission,
} from '../../functions/core/master-view.js';
import { unitsOfKind } from '../helpers/campaign.js';

export const NOW = Date.UTC(2020, 6, 20, 3, 0);

/** The first round with figures tables, and those tables. */
export function figuresRound(model: CampaignModel): { roundId: string; tableIds: string[] } {
  for (const round of model.campaign.rounds) {
    const tableIds = model
      .figuresTables()
      .filter((t) => round.tables.includes(t.id))
      .map((t) => t.id);
    if (tableIds.length > 0) return { roundId: round.id, tableIds };
  }
  throw new Error('no round with figures');
}

/** Distinct, non-round figures per unit so a wrong sum cannot pass by accident. */
function figuresFor(model: CampaignModel, tableIds: string[], seed: number): ViewSubmission['totals'] {
  return Object.fromEntries(
    tableIds.map((tableId) => [
      tableId,
      Object.fromEntries(
        model
          .figuresTable(tableId)
          .indicators.map((ind, j) => [
            ind.code,
            ind.type === 'integer' ? seed * 1000 + j * 37 + 1 : seed * 12.5 + j / 4,
          ]),
      ),
    ]),
  );
}

export function nominee(
  rowNo: number,
  award: string,
  name: string,
  over: Partial<ViewNomination> = {},
): ViewNomination {
  return {
    rowNo,
    award,
    type: 'individual',
    scope: 'outside',
    name,
    position: 'Tổ trưởng tổ dân phố số 3',
    titles: {
      2015: 'Lao động tiên tiến',
      2016: 'Lao động tiên tiến',
      2017: 'Lao động xuất sắc',
      2018: 'Lao động tiên tiến',
      2019: 'Lao động tiên tiến',
    },
    giayKhen: 2,
    bangKhen: 1,
    key: name.toLowerCase(),
    eligible: true,
    ineligibleReasons: [],
    reportConfirmed: true,
    originalSets: 3,
    ...over,
  };
}

export const NOMINEES = {
  ok: 'Nguyễn Văn An',
  ineligible: 'Trần Thị Bình',
  incomplete: 'Lê Văn Cường',
  shortlisted: 'Phạm Thị Dung',
  notShortlisted: 'Hoàng Văn Em',
};
export const INELIGIBLE_REASON = 'Năm 2017 chưa đạt danh hiệu Lao động tiên tiến';

export interface SampleView {
  view: MasterView;
  roundId: string;
  tableIds: string[];
  reported: { districts: string[]; sectors: string[] };
  silentDistrict: string;
}

export function sampleView(model: CampaignModel): SampleView {
  const { roundId, tableIds } = figuresRound(model);
  const districts = unitsOfKind(model, 'district').filter((u) => model.hasWorkbook(u, roundId));
  const sectors = unitsOfKind(model, 'sector').filter((u) => model.hasWorkbook(u, roundId));
  const reported = { districts: districts.slice(0, 2), sectors: sectors.slice(0, 1) };
  const submission = (unitId: string, seed: number, nominations: ViewNomination[] = []): ViewSubmission => ({
    unitId,
    contentHash: `h-${unitId}`,
    versionCount: 1,
    acceptedAt: NOW - 86_400_000,
    firstAcceptedAt: NOW - 86_400_000,
    late: false,
    totals: figuresFor(model, tableIds, seed),
    nominations,
    confirmation: {},
  });
  const [firstDistrict, secondDistrict] = reported.districts as [string, string];
  const withNominations = model.round(roundId).tables.includes('khen_thuong');
  const nominations = withNominations
    ? [
        nominee(1, 'bkubnd', NOMINEES.ok),
        nominee(2, 'bkubnd', NOMINEES.ineligible, { eligible: false, ineligibleReasons: [INELIGIBLE_REASON] }),
        nominee(3, 'gkcatp', NOMINEES.incomplete, { reportConfirmed: false, originalSets: 0 }),
        nominee(4, 'bkbca', NOMINEES.shortlisted, { type: 'collective', name: NOMINEES.shortlisted }),
      ]
    : [];
  const view = buildMasterView(model, {
    now: NOW,
    shortlist: new Set(withNominations ? [nominationId(firstDistrict, nominations[3]!)] : []),
    rounds: model.campaign.rounds.map((round) => {
      const submissions =
        round.id === roundId
          ? [
              submission(firstDistrict, 3, nominations),
              submission(secondDistrict, 7, withNominations ? [nominee(1, 'bkbca', NOMINEES.notShortlisted)] : []),
              ...reported.sectors.map((s, i) => submission(s, 11 + i)),
            ]
          : [];
      // No communes here: each unit's aggregate node holds just its own accepted figures.
      return {
        roundId: round.id,
        submissions,
        states: [],
        nodes: Object.fromEntries(submissions.map((s) => [s.unitId, { totals: s.totals, contributors: 1 }])),
        sheetUrls: {},
        flags: [],
      };
    }),
  });
  const silentDistrict = districts.find((d) => !reported.districts.includes(d))!;
  return { view, roundId, tableIds, reported, silentDistrict };
}
