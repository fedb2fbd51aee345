import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { loadCampaign, CampaignSchemaError, DEFAULT_CAMPAIGN_FILE } from '../../sheets-schema/index.js';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { UsageError, type CliIo } from './io.js';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, schema: { type: 'string' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(`Tham số không hợp lệ: ${(e as Error).message}`);
  }
}

export function loadModel(schemaOption: string | undefined, io: CliIo): CampaignModel {
  const file = schemaOption ? resolve(io.cwd, schemaOption) : io.env.CAMPAIGN_SCHEMA ? resolve(io.cwd, io.env.CAMPAIGN_SCHEMA) : DEFAULT_CAMPAIGN_FILE;
  try {
    return modelOf(loadCampaign(file));
  } catch (e) {
    if (e instanceof CampaignSchemaError) throw new UsageError(e.message);
    throw e;
  }
}

export function requireUnitAndRound(model: CampaignModel, unitId: string | undefined, roundId: string | undefined): { unitId: string; roundId: string } {
  if (!unitId) throw new UsageError('Thiếu --unit <mã đơn vị>, ví dụ --unit ubnd-ba-dinh.');
  if (!roundId) throw new UsageError(`Thiếu --round <mã đợt>: ${model.campaign.rounds.map((r) => r.id).join(', ')}.`);
  if (!model.findUnit(unitId)) throw new UsageError(`Không có đơn vị "${unitId}" trong danh sách đơn vị của kế hoạch.`);
  if (!model.findRound(roundId)) throw new UsageError(`Không có đợt báo cáo "${roundId}"; các đợt: ${model.campaign.rounds.map((r) => r.id).join(', ')}.`);
  if (!model.hasWorkbook(unitId, roundId)) throw new UsageError(`${model.unit(unitId).name} không có biểu mẫu nào trong đợt "${roundId}".`);
  return { unitId, roundId };
}
