/**
 * `import <file.xlsx> --unit <id> --round <id> [--at <ISO>] [--json]`: puts a filled workbook
 * into the unit's sheet as if its staff had typed it, then runs the same pipeline the
 * functions run, with the clock reading `--at` (so a campaign can be replayed).
 */
import { resolve } from 'node:path';
import { aggregateSubmission } from '../../functions/app/aggregate.js';
import { processUnitSheet } from '../../functions/app/process-unit-sheet.js';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import { entriesFromGrid, sheetsAs, typeInto, writesFor } from '../local-stack/clerk.js';
import { checkJson, readWorkbookFile } from './check.js';
import { loadModel, parseCommandArgs, requireOneWorkbookFile, requireUnitAndRound } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';
import { parseAt } from './time-option.js';

const NOT_THIS_TEMPLATE = new Set(['structure.identity_missing', 'structure.wrong_unit', 'structure.wrong_round']);

export const importCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      unit: { type: 'string' },
      round: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const fileArgument = requireOneWorkbookFile(positionals, 'import');
  const model = loadModel(values.schema, io);
  const { unitId, roundId } = requireUnitAndRound(model, values.unit, values.round);
  const at = parseAt(values.at);
  const grid = await readWorkbookFile(resolve(io.cwd, fileArgument));
  const offline = evaluateWorkbook(model, unitId, roundId, grid);
  const identity = offline.issues.find((i) => NOT_THIS_TEMPLATE.has(i.code));
  if (identity) throw new UsageError(identity.message);

  const session = await openSession(io, {
    ...(at !== undefined ? { now: () => at } : {}),
    ...(values.schema ? { schema: values.schema } : {}),
  });
  try {
    const runtime = session.runtime;
    await session.ensureProvisioned(roundId);
    const reg = await runtime.store.unitSheet(roundId, unitId);
    if (!reg) throw new UsageError(`Chưa có bảng tính của ${model.unit(unitId).name} cho đợt ${roundId}.`);
    const live = await runtime.workbooks.read(reg.spreadsheetId);
    const { writes, unplaced } = writesFor(
      model,
      unitId,
      roundId,
      live.grid,
      entriesFromGrid(model, unitId, roundId, grid),
    );
    if (unplaced.length)
      io.stderr(
        `Lưu ý: ${unplaced.length} ô không tìm thấy chỗ tương ứng trong bảng tính trực tuyến và không được nhập.\n`,
      );
    const clerkEmail = model.unit(unitId).emails[0] ?? runtime.config.serviceAccount!;
    await typeInto(sheetsAs(session.sheetsUrl, clerkEmail), reg.spreadsheetId, writes);
    const result = await processUnitSheet(runtime, reg.spreadsheetId);
    if (result.outcome !== 'processed') throw new UsageError(`Không xử lý được bảng tính (${result.outcome}).`);
    // The Firestore trigger aggregates too; doing it here as well (idempotent) means the
    // command returns with the consolidated figures already up to date.
    if (result.accepted) await aggregateSubmission(runtime, roundId, unitId);
    const evaluation = result.evaluation;
    if (values.json) {
      io.stdout(
        JSON.stringify({
          ...checkJson(evaluation),
          accepted: result.accepted,
          version: result.submission?.versionCount ?? 0,
          late: result.submission?.late ?? null,
          statusText: result.statusText,
          spreadsheetUrl: reg.url,
        }) + '\n',
      );
    } else {
      io.stdout(`${model.unit(unitId).name} — ${model.round(roundId).name}\nTình trạng: ${result.statusText}\n`);
      for (const issue of evaluation.issues)
        io.stdout(
          `  ${issue.severity === 'error' ? 'LỖI     ' : 'CẢNH BÁO'} ${issue.sheet}!${issue.cell ?? ''} ${issue.message}\n`,
        );
      io.stdout(`Bảng tính: ${reg.url}\n`);
    }
    return evaluation.errors > 0 ? 1 : 0;
  } finally {
    await session.close();
  }
};
