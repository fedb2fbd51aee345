/**
 * `check <file.xlsx> --unit <id> --round <id> [--json]`: validates a filled workbook offline.
 * Exit 0: no error (warnings allowed); 1: errors; 2: unusable input.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
import { nominationsTable, verdictLabel } from '../../functions/core/nominations.js';
import { statusLine } from '../../functions/core/status-text.js';
import { readXlsxGrid } from '../../functions/layout/xlsx.js';
import { loadModel, parseCommandArgs, requireOneWorkbookFile, requireUnitAndRound } from './common.js';
import { UsageError, type Command } from './io.js';

/** Identity problems mean the file is not this unit's template for this round: unusable, not merely invalid. */
const NOT_THIS_TEMPLATE = new Set(['structure.identity_missing', 'structure.wrong_unit', 'structure.wrong_round']);

export async function readWorkbookFile(file: string): Promise<WorkbookGrid> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch {
    throw new UsageError(`Không đọc được tệp ${file}: tệp không tồn tại hoặc không có quyền đọc.`);
  }
  try {
    return await readXlsxGrid(buffer);
  } catch {
    throw new UsageError(`Không mở được tệp ${file}: đây không phải tệp Excel (.xlsx) hợp lệ.`);
  }
}

export function checkJson(evaluation: Evaluation) {
  return {
    unit: evaluation.unitId,
    round: evaluation.roundId,
    status: evaluation.status,
    issues: evaluation.issues.map(({ sheet, cell, code, severity, message }) => ({
      sheet,
      cell,
      code,
      severity,
      message,
    })),
    values: evaluation.values,
    nominations: evaluation.nominations.map((n) => ({
      row: n.rowNo,
      cell: n.cell,
      award: n.award,
      type: n.type,
      scope: n.scope,
      name: n.name,
      position: n.position,
      titles: n.titles,
      giayKhen: n.giayKhen,
      bangKhen: n.bangKhen,
      reportConfirmed: n.reportConfirmed,
      originalSets: n.originalSets,
      eligible: n.eligible,
      ineligibleReasons: n.ineligibleReasons,
      exempt: n.exempt,
      verdict: n.verdict,
      issues: n.issues,
    })),
  };
}

export function readableReport(model: CampaignModel, evaluation: Evaluation): string {
  const lines: string[] = [];
  const status = statusLine(
    model,
    evaluation.roundId,
    { ...evaluation, pendingCount: evaluation.pending.length },
    null,
  );
  lines.push(`Đơn vị: ${model.unit(evaluation.unitId).name} — ${model.round(evaluation.roundId).name}`);
  lines.push(`Tình trạng: ${status.text}`);
  const bySheet = new Map<string, typeof evaluation.issues>();
  for (const issue of evaluation.issues) bySheet.set(issue.sheet, [...(bySheet.get(issue.sheet) ?? []), issue]);
  for (const [sheet, issues] of bySheet) {
    lines.push('', `Trang "${sheet}":`);
    for (const issue of issues)
      lines.push(
        `  ${issue.severity === 'error' ? 'LỖI     ' : 'CẢNH BÁO'} ${(issue.cell ?? '').padEnd(6)} ${issue.message}`,
      );
  }
  if (evaluation.issues.length === 0)
    lines.push('', evaluation.status === 'empty' ? 'Biểu mẫu chưa có số liệu.' : 'Không có lỗi hay cảnh báo.');
  // Only the nominees needing attention: a list of "Hợp lệ" would bury them.
  const attention = evaluation.nominations.filter((n) => n.verdict !== 'ok');
  if (attention.length) {
    const table = nominationsTable(model);
    lines.push('', `Đối tượng đề nghị khen thưởng cần xem lại (không ảnh hưởng tình trạng báo cáo):`);
    for (const nomination of attention) {
      const exempt = nomination.exempt ? ' [không thuộc diện xét danh hiệu thi đua]' : '';
      lines.push(
        `  ${String(nomination.rowNo).padStart(2)}. ${nomination.name ?? '(chưa ghi tên)'}${nomination.award ? ` (${model.award(nomination.award).name})` : ''}${exempt}: ${verdictLabel(model, table, nomination.verdict)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export const checkCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(
    args,
    { unit: { type: 'string' }, round: { type: 'string' }, json: { type: 'boolean', default: false } },
    true,
  );
  const fileArgument = requireOneWorkbookFile(positionals, 'check');
  const model = loadModel(values.schema, io);
  const { unitId, roundId } = requireUnitAndRound(model, values.unit, values.round);
  const file = resolve(io.cwd, fileArgument);
  const grid = await readWorkbookFile(file);
  const evaluation = evaluateWorkbook(model, unitId, roundId, grid);
  const identity = evaluation.issues.find((i) => NOT_THIS_TEMPLATE.has(i.code));
  if (identity) throw new UsageError(identity.message);
  io.stdout(values.json ? JSON.stringify(checkJson(evaluation)) + '\n' : readableReport(model, evaluation));
  // "No error" means none at all: a nominee's error fails the check even though the report is ready.
  return evaluation.issues.some((i) => i.severity === 'error') ? 1 : 0;
};
