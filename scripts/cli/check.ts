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

export function checkJson(ev: Evaluation) {
  return {
    unit: ev.unitId,
    round: ev.roundId,
    status: ev.status,
    issues: ev.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message })),
    values: ev.values,
    nominations: ev.nominations.map((n) => ({
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

export function readableReport(model: CampaignModel, ev: Evaluation): string {
  const lines: string[] = [];
  const status = statusLine(model, ev.roundId, { ...ev, pendingCount: ev.pending.length }, null);
  lines.push(`Đơn vị: ${model.unit(ev.unitId).name} — ${model.round(ev.roundId).name}`);
  lines.push(`Tình trạng: ${status.text}`);
  const bySheet = new Map<string, typeof ev.issues>();
  for (const i of ev.issues) bySheet.set(i.sheet, [...(bySheet.get(i.sheet) ?? []), i]);
  for (const [sheet, issues] of bySheet) {
    lines.push('', `Trang "${sheet}":`);
    for (const i of issues) lines.push(`  ${i.severity === 'error' ? 'LỖI     ' : 'CẢNH BÁO'} ${(i.cell ?? '').padEnd(6)} ${i.message}`);
  }
  if (ev.issues.length === 0) lines.push('', ev.status === 'empty' ? 'Biểu mẫu chưa có số liệu.' : 'Không có lỗi hay cảnh báo.');
  // Only the nominees needing attention: a list of "Hợp lệ" would bury them.
  const attention = ev.nominations.filter((n) => n.verdict !== 'ok');
  if (attention.length) {
    const table = nominationsTable(model);
    lines.push('', `Đối tượng đề nghị khen thưởng cần xem lại (không ảnh hưởng tình trạng báo cáo):`);
    for (const n of attention) {
      const exempt = n.exempt ? ' [không thuộc diện xét danh hiệu thi đua]' : '';
      lines.push(`  ${String(n.rowNo).padStart(2)}. ${n.name ?? '(chưa ghi tên)'}${n.award ? ` (${model.award(n.award).name})` : ''}${exempt}: ${verdictLabel(model, table, n.verdict)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const checkCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { unit: { type: 'string' }, round: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
  const fileArgument = requireOneWorkbookFile(positionals, 'check');
  const model = loadModel(values.schema, io);
  const { unitId, roundId } = requireUnitAndRound(model, values.unit, values.round);
  const file = resolve(io.cwd, fileArgument);
  const grid = await readWorkbookFile(file);
  const ev = evaluateWorkbook(model, unitId, roundId, grid);
  const identity = ev.issues.find((i) => NOT_THIS_TEMPLATE.has(i.code));
  if (identity) throw new UsageError(identity.message);
  io.stdout(values.json ? JSON.stringify(checkJson(ev)) + '\n' : readableReport(model, ev));
  // "No error" means none at all: a nominee's error fails the check even though the report is ready.
  return ev.issues.some((i) => i.severity === 'error') ? 1 : 0;
};
