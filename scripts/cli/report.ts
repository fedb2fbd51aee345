/**
 * `report --round <id> --out <dir> [--at <ISO>] [--json] [--target google]`: the documents the
 * coordinators send on at the end of a round (consolidated tables, draft city report, award
 * lists, activities), written into a folder. Same view as `master`, so the figures agree.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildRoundDocuments } from '../../functions/app/report-documents.js';
import { loadModel, parseCommandArgs, unknownRoundMessage } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';
import { parseAt } from './time-option.js';

export const reportCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    target: { type: 'string' },
    round: { type: 'string' },
    out: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const model = loadModel(values.schema, io);
  if (!values.round)
    throw new UsageError(`Thiếu --round <mã đợt>: ${model.campaign.rounds.map((r) => r.id).join(', ')}.`);
  if (!model.findRound(values.round)) throw new UsageError(unknownRoundMessage(model, values.round));
  if (!values.out) throw new UsageError('Thiếu --out <thư mục> để ghi các tệp báo cáo.');
  const out = resolve(io.cwd, values.out);
  const at = parseAt(values.at);
  const session = await openSession(io, {
    ...(at !== undefined ? { now: () => at } : {}),
    ...(values.schema ? { schema: values.schema } : {}),
    ...(values.target ? { target: values.target } : {}),
  });
  try {
    const now = at ?? session.runtime.now();
    const docs = await buildRoundDocuments({ model, store: session.runtime.store }, values.round, now);
    await mkdir(out, { recursive: true });
    const written = [];
    for (const doc of docs) {
      await writeFile(join(out, doc.fileName), doc.content);
      written.push({
        name: doc.fileName,
        bytes: doc.content.length,
        sha256: createHash('sha256').update(doc.content).digest('hex'),
      });
    }
    if (values.json) io.stdout(JSON.stringify({ round: values.round, dir: out, files: written }) + '\n');
    else io.stdout(`Đã ghi ${written.length} tệp vào ${out}:\n${written.map((f) => `  ${f.name}`).join('\n')}\n`);
    return 0;
  } finally {
    await session.close();
  }
};
