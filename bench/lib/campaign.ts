/**
 * Generated registries for the scale benchmarks: the real 2020 Hà Nội campaign plus N
 * communes (kind `commune`, tables Bảng 1 + Bảng 2) spread evenly over its 30 districts, so
 * the hierarchy is commune → district → city → ministry. "N units" in the figures means N
 * generated communes; the 77 real units stay in the registry.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { DEFAULT_CAMPAIGN_FILE, parseCampaign, type Campaign } from '../../sheets-schema/index.js';

export const ROUND = 'so-ket-2020';

interface RawUnit {
  id: string;
  name: string;
  kind: string;
  parent: string | null;
  emails: string[];
}

function rawCampaign(): { units: RawUnit[] } & Record<string, unknown> {
  // A bundled copy of this module (the sweep's child) cannot find the file next to itself.
  return JSON.parse(readFileSync(process.env.BENCH_CAMPAIGN_FILE ?? DEFAULT_CAMPAIGN_FILE, 'utf8'));
}

export const communeId = (districtId: string, n: number) =>
  `xa-${districtId.replace(/^ubnd-/, '')}-${String(n).padStart(3, '0')}`;

/** The raw campaign JSON with `communes` generated communes. */
export function generatedCampaignJson(communes: number): Record<string, unknown> {
  const raw = rawCampaign();
  const districts = raw.units.filter((u) => u.kind === 'district');
  const perDistrict = new Map<string, number>();
  for (let i = 0; i < communes; i++) {
    const district = districts[i % districts.length]!;
    const ordinal = (perDistrict.get(district.id) ?? 0) + 1;
    perDistrict.set(district.id, ordinal);
    const id = communeId(district.id, ordinal);
    raw.units.push({
      id,
      name: `UBND xã số ${ordinal}, ${district.name.replace(/^UBND /, '')}`,
      kind: 'commune',
      parent: district.id,
      emails: [`${id}@hanoi.example`],
    });
  }
  return raw;
}

const campaigns = new Map<number, Campaign>();
export function generatedCampaign(communes: number): Campaign {
  let campaign = campaigns.get(communes);
  if (!campaign)
    campaigns.set(communes, (campaign = parseCampaign(generatedCampaignJson(communes), `bench-${communes}`)));
  return campaign;
}

export function generatedModel(communes: number): CampaignModel {
  return modelOf(generatedCampaign(communes));
}

/** Writes the generated campaign to a temp file (for `campaignSchema` of the local stack). */
export async function generatedCampaignFile(communes: number): Promise<string> {
  const dir = join(tmpdir(), 'bao-cao-bench');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `campaign-${communes}.json`);
  await writeFile(file, JSON.stringify(generatedCampaignJson(communes)));
  return file;
}

export function communesOf(model: CampaignModel): string[] {
  return model.campaign.units.filter((u) => u.kind === 'commune').map((u) => u.id);
}
