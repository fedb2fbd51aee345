/** The campaigns the tests use: the real 2020 Hà Nội file, copies of it with one thing changed, and the small second campaign. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { DEFAULT_CAMPAIGN_FILE, loadCampaign, parseCampaign } from '../../sheets-schema/index.js';

export const hanoi = loadCampaign();
export const model: CampaignModel = modelOf(hanoi);

export const SECOND_CAMPAIGN_FILE = fileURLToPath(new URL('../fixtures/second-campaign.json', import.meta.url));

/**
 * The campaign file's JSON as a test edits it. Tests set, delete and mistype any path on purpose
 * (a unit of an unknown kind, a rule on a missing table), which no schema type allows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped JSON, see above
export type RawCampaignJson = any;

/** The raw JSON of the real campaign, a fresh copy each call, to be broken or tweaked by a test. */
export function rawCampaign(): RawCampaignJson {
  return JSON.parse(readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8'));
}

/** A model of the real campaign with one change applied to its JSON. */
export function modifiedModel(change: (raw: RawCampaignJson) => void): CampaignModel {
  const raw = rawCampaign();
  change(raw);
  return modelOf(parseCampaign(raw, 'modified'));
}

/** Ids of the units of one kind, in registry order. */
export function unitsOfKind(model: CampaignModel, kind: string): string[] {
  return model.campaign.units.filter((u) => u.kind === kind).map((u) => u.id);
}

/**
 * The real campaign with its main round split by year (2015 … 2019 and the first half of 2020):
 * the "several periods" option a campaign file may choose, where flows sum over periods, stocks
 * take the last reported period, and a unit's own periods are compared with each other. The 2020
 * plan itself asks for one figure per round; tests of the multi-period rules use this variant or
 * the second campaign.
 */
export const YEARLY_PERIODS = ['2015', '2016', '2017', '2018', '2019', '2020-h1'];
export const yearlyModel: CampaignModel = modifiedModel((raw) => {
  const yearly = YEARLY_PERIODS.map((id) =>
    id === '2020-h1'
      ? { id, label: '6 tháng đầu năm 2020', from: '2020-01-01', to: '2020-06-30' }
      : { id, label: `Năm ${id}`, from: `${id}-01-01`, to: `${id}-12-31` },
  );
  raw.periods = [...yearly, ...raw.periods.filter((p: { id: string }) => p.id === '2020-bs')];
  raw.rounds.find((r: { id: string }) => r.id === 'so-ket-2020').periods = YEARLY_PERIODS;
});

/**
 * The period figures are typed into in the main round: the last (and in the 2020 plan the only)
 * period of `so-ket-2020`, so a stock's total is its value there. Tests take it from here rather
 * than naming a period id.
 */
export const MAIN_PERIOD: string = model.round('so-ket-2020').periods.at(-1)!;
