import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { loadCampaign, CampaignSchemaError, DEFAULT_CAMPAIGN_FILE } from '../../sheets-schema/index.js';
import { modelOf, type CampaignModel } from '../../functions/core/campaign-model.js';
import { UsageError, type CliIo } from './io.js';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options: { ...options, schema: { type: 'string' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(`Tham số không hợp lệ: ${parseArgsMessage(e as Error & { code?: string })}`);
  }
}

/** node:util's parseArgs explains in English; the user reads Vietnamese. Its message quotes the offending word. */
function parseArgsMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `không có tùy chọn ${option}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return / does not take an argument/.test(error.message)
        ? `tùy chọn ${option} không nhận giá trị.`
        : `tùy chọn ${option} cần một giá trị.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `lệnh này không nhận tham số "${quoted}".`;
    default:
      return error.message;
  }
}

/** The unknown round's message lists the rounds the campaign has, so the user can pick one. */
export function unknownRoundMessage(model: CampaignModel, roundId: string): string {
  return `Không có đợt báo cáo "${roundId}"; các đợt: ${model.campaign.rounds.map((r) => r.id).join(', ')}.`;
}

export function loadModel(schemaOption: string | undefined, io: CliIo): CampaignModel {
  const file = schemaOption
    ? resolve(io.cwd, schemaOption)
    : io.env.CAMPAIGN_SCHEMA
      ? resolve(io.envBase ?? io.cwd, io.env.CAMPAIGN_SCHEMA)
      : DEFAULT_CAMPAIGN_FILE;
  try {
    return modelOf(loadCampaign(file));
  } catch (e) {
    if (e instanceof CampaignSchemaError) throw new UsageError(e.message);
    throw e;
  }
}

export function requireUnitAndRound(
  model: CampaignModel,
  unitId: string | undefined,
  roundId: string | undefined,
): { unitId: string; roundId: string } {
  if (!unitId) throw new UsageError('Thiếu --unit <mã đơn vị>, ví dụ --unit ubnd-ba-dinh.');
  if (!roundId) throw new UsageError(`Thiếu --round <mã đợt>: ${model.campaign.rounds.map((r) => r.id).join(', ')}.`);
  if (!model.findUnit(unitId)) throw new UsageError(`Không có đơn vị "${unitId}" trong danh sách đơn vị của kế hoạch.`);
  if (!model.findRound(roundId)) throw new UsageError(unknownRoundMessage(model, roundId));
  if (!model.hasWorkbook(unitId, roundId))
    throw new UsageError(`${model.unit(unitId).name} không có biểu mẫu nào trong đợt "${roundId}".`);
  return { unitId, roundId };
}

/** The workbook argument of `check` and `import`, asked for first: without it nothing else matters. */
export function requireOneWorkbookFile(positionals: string[], command: 'check' | 'import'): string {
  const usage = `${command} <tệp.xlsx> --unit <mã> --round <mã>`;
  if (positionals.length === 0)
    throw new UsageError(`Thiếu tệp .xlsx cần ${command === 'check' ? 'kiểm tra' : 'nhập'}: ${usage}.`);
  if (positionals.length > 1)
    throw new UsageError(
      `Mỗi lần chỉ một tệp .xlsx, nhưng đã cho ${positionals.length}: ${positionals.join(', ')}. Dùng: ${usage}.`,
    );
  return positionals[0]!;
}
