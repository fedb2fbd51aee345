/** `template --unit <id> --round <id> --out <file.xlsx>`: the unit's blank workbook. */
import { resolve } from 'node:path';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { writeWorkbookXlsx } from '../../functions/layout/xlsx.js';
import { loadModel, parseCommandArgs, requireUnitAndRound } from './common.js';
import { UsageError, type Command } from './io.js';

export const templateCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    unit: { type: 'string' },
    round: { type: 'string' },
    out: { type: 'string' },
  });
  const model = loadModel(values.schema, io);
  const { unitId, roundId } = requireUnitAndRound(model, values.unit, values.round);
  if (!values.out) throw new UsageError('Thiếu --out <tệp.xlsx>.');
  const out = resolve(io.cwd, values.out);
  await writeWorkbookXlsx(buildUnitWorkbook(model, unitId, roundId), out);
  io.stdout(`Đã tạo biểu mẫu của ${model.unit(unitId).name}, ${model.round(roundId).name}: ${out}\n`);
  return 0;
};
