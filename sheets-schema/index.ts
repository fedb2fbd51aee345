/**
 * Loading a campaign file. The default campaign is the 2020 Hà Nội review; another campaign
 * is another file passed by path (CLI `--schema`, env `CAMPAIGN_SCHEMA`), never a code change.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { campaignSchema, type Campaign } from './campaign-schema.js';

export * from './campaign-schema.js';

export const DEFAULT_CAMPAIGN_FILE = fileURLToPath(new URL('./hanoi-521-2020.json', import.meta.url));

export class CampaignSchemaError extends Error {
  constructor(
    readonly source: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(`Tệp chiến dịch ${source} không hợp lệ:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'CampaignSchemaError';
  }
}

/** Validates already-parsed JSON; `source` names the file in the error. */
export function parseCampaign(data: unknown, source = '<campaign>'): Campaign {
  const result = campaignSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({
    path: i.path.length ? i.path.join('.') : '(gốc)',
    message: i.message,
  }));
  throw new CampaignSchemaError(source, problems);
}

const cache = new Map<string, Campaign>();

export function loadCampaign(file: string = DEFAULT_CAMPAIGN_FILE): Campaign {
  const cached = cache.get(file);
  if (cached) return cached;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CampaignSchemaError(file, [{ path: '(tệp)', message: (e as Error).message }]);
  }
  const campaign = parseCampaign(data, file);
  cache.set(file, campaign);
  return campaign;
}
