/** `master [--round <id>] [--at <ISO>] [--json] [--xlsx <out.xlsx>]`: the coordinators' consolidated view. */
import { resolve } from 'node:path';
import { currentMasterView } from '../../functions/app/master.js';
import { masterJson, type Timeliness } from '../../functions/core/master-view.js';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import { writeWorkbookXlsx } from '../../functions/layout/xlsx.js';
import { loadModel, parseCommandArgs, unknownRoundMessage } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';
import { parseAt } from './time-option.js';

const LABEL: Record<Timeliness, string> = {
  'on-time': 'đúng hạn',
  late: 'muộn',
  missing: 'chưa nộp (quá hạn)',
  pending: 'chưa đến hạn',
};

export const masterCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    target: { type: 'string' },
    round: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
    xlsx: { type: 'string' },
  });
  const model = loadModel(values.schema, io);
  if (values.round && !model.findRound(values.round)) throw new UsageError(unknownRoundMessage(model, values.round));
  const at = parseAt(values.at);
  const session = await openSession(io, {
    ...(at !== undefined ? { now: () => at } : {}),
    ...(values.schema ? { schema: values.schema } : {}),
    ...(values.target ? { target: values.target } : {}),
  });
  try {
    const now = at ?? session.runtime.now();
    const full = await currentMasterView(session.runtime, now);
    const view = { ...full, rounds: full.rounds.filter((r) => !values.round || r.roundId === values.round) };
    if (values.xlsx) {
      await writeWorkbookXlsx(buildMasterWorkbook(model, view, now), resolve(io.cwd, values.xlsx));
      io.stderr(`Đã ghi bảng tổng hợp: ${resolve(io.cwd, values.xlsx)}\n`);
    }
    if (values.json) io.stdout(JSON.stringify(masterJson(view)) + '\n');
    else if (!values.xlsx) {
      for (const round of view.rounds) {
        const counts = (t: Timeliness) => round.units.filter((u) => u.expected && u.timeliness === t).length;
        const groups = round.groups
          .map((g) => `${g.label.toLowerCase()}: ${g.contributors} đơn vị${g.headline ? '' : ' (ghi riêng)'}`)
          .join(', ');
        io.stdout(
          `${model.round(round.roundId).name}: đã tổng hợp ${groups}; ${(['on-time', 'late', 'missing', 'pending'] as const).map((t) => `${counts(t)} ${LABEL[t]}`).join(', ')}\n`,
        );
      }
    }
    return 0;
  } finally {
    await session.close();
  }
};
