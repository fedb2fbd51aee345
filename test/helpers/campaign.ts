/** The campaigns the tests use: the real 2020 Hà Nội file, copies of it with one thing changed, and the small second campaign. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { DEFAULT_CAMPAIGN_FILE, loadCampaign, parseCampaign } from '../../sheets-schema/index.js';

export const hanoi = loadCampaign();
export const model: CampaignModel = modelOf(hanoi);

export const SECOND_CAMPAIGN_FILE = fileURLToPath(new URL('../fixtures/second-campaign.json', import.meta.url));

/** The raw JSON of the real campaign, a fresh copy each call, to be broken or tweaked by a test. */
export function rawCampaign(): any {
  return JSON.parse(readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8'));
}

/** A model of the real campaign with one change applied to its JSON. */
export function modifiedModel(change: (raw: any) => void): CampaignModel {
  const raw = rawCampaign();
  change(raw);
  return modelOf(parseCampaign(raw, 'modified'));
}

/** Ids of the units of one kind, in registry order. */
export function unitsOfKind(m: CampaignModel, kind: string): string[] {
  return m.campaign.units.filter((u) => u.kind === kind).map((u) => u.id);
}
