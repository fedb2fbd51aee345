/** `sweep --at <ISO> [--json] [--dry-run]`: the compliance sweep as of an instant. */
import { runSweep, sweepJson } from '../../functions/app/sweep.js';
import { formatViDateTime } from '../../functions/core/time.js';
import { loadModel, parseCommandArgs } from './common.js';
import type { Command } from './io.js';
import { openSession } from './session.js';
import { parseAt } from './time-option.js';

export const sweepCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    target: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  });
  loadModel(values.schema, io);
  const at = parseAt(values.at);
  const session = await openSession(io, {
    ...(at !== undefined ? { now: () => at } : {}),
    ...(values.schema ? { schema: values.schema } : {}),
    ...(values.target ? { target: values.target } : {}),
  });
  try {
    const run = await runSweep(session.runtime, { ...(at !== undefined ? { at } : {}), dryRun: values['dry-run'] });
    const model = session.runtime.model;
    if (values.json) io.stdout(JSON.stringify(sweepJson(run, model)) + '\n');
    else {
      // One line per round, named: a unit late in one round and missing in another is counted in each.
      io.stdout(`Rà soát lúc ${formatViDateTime(Date.parse(run.at), model.timeZone)}:\n`);
      for (const roundLists of run.byRound) {
        io.stdout(
          `  ${model.round(roundLists.roundId).name}: ${roundLists.missing.length} chưa nộp (quá hạn), ${roundLists.late.length} nộp muộn, ${roundLists.dueSoon.length} sắp đến hạn, ${roundLists.invalid.length} còn lỗi.\n`,
        );
      }
      io.stdout(
        run.dryRun
          ? `Chạy thử: ${run.emails.length} thư sẽ được gửi, không gửi gì.\n`
          : `Đã gửi ${run.sent.length} thư, ${run.alreadySent} thư đã gửi trước đó, ${run.failed.length} thư lỗi (sẽ gửi lại lần sau).\n`,
      );
    }
    return run.failed.length ? 1 : 0;
  } finally {
    await session.close();
  }
};
