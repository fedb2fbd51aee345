/** `export --out <dir>`: every unit sheet and the master as .xlsx, as they are now in the (emulated) Sheets. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandArgs, loadModel } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';

export const exportCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, { out: { type: 'string' } });
  if (!values.out) throw new UsageError('Thiếu --out <thư mục>.');
  const model = loadModel(values.schema, io);
  const out = resolve(io.cwd, values.out);
  await mkdir(out, { recursive: true });
  const session = await openSession(io, values.schema ? { schema: values.schema } : {});
  try {
    const runtime = session.runtime;
    const sheets = await runtime.store.allUnitSheets();
    const master = await runtime.store.meta('master');
    const targets = [
      ...sheets.map((s) => ({ id: s.spreadsheetId, file: `${s.roundId}__${s.unitId}.xlsx` })),
      ...(master.spreadsheetId ? [{ id: master.spreadsheetId, file: `${model.id}__tong-hop.xlsx` }] : []),
    ];
    if (!targets.length)
      throw new UsageError('Chưa có bảng tính nào; hãy chạy npm start hoặc npm run provision trước.');
    for (const target of targets) {
      const res = await fetch(`${session.sheetsUrl}emulator/spreadsheets/${target.id}.xlsx`);
      if (!res.ok) throw new Error(`export of ${target.id} failed: HTTP ${res.status}`);
      await writeFile(join(out, target.file), Buffer.from(await res.arrayBuffer()));
    }
    io.stdout(`Đã xuất ${targets.length} tệp vào ${out}\n`);
    return 0;
  } finally {
    await session.close();
  }
};
