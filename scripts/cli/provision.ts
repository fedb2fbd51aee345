/** `provision [--dry-run] [--round <id>]`: creates and shares every unit's sheet and the master; idempotent. */
import { provisionCampaign } from '../../functions/app/provision.js';
import { LOCAL_SERVICE_ACCOUNT } from '../local-stack/stack.js';
import { loadModel, parseCommandArgs } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';

export const provisionCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, { target: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, round: { type: 'string', multiple: true } });
  const model = loadModel(values.schema, io);
  for (const r of values.round ?? []) if (!model.findRound(r)) throw new UsageError(`Không có đợt báo cáo "${r}".`);
  const session = await openSession(io, { ...(values.schema ? { schema: values.schema } : {}), ...(values.target ? { target: values.target } : {}) });
  try {
    const rt = session.runtime;
    // On Google the watch address is the deployed driveWebhook; locally only an embedded run renews it.
    const renew = session.mode !== 'connected';
    const report = await provisionCampaign(
      { ...rt, writes: rt.sheetsPace.writes, editors: [rt.config.serviceAccount ?? LOCAL_SERVICE_ACCOUNT] },
      {
        ...(values.round ? { rounds: values.round } : {}),
        dryRun: values['dry-run'],
        ...(renew ? { webhook: { address: rt.config.webhook.url, secret: rt.config.webhook.secret, ttlMs: rt.config.watchTtlMs } } : {}),
        onProgress: (p) => io.stderr(`\r[${p.done}/${p.total}] ${p.label}: ${p.action} — còn khoảng ${Math.ceil(p.etaMs / 1000)} giây   `),
      },
    );
    io.stderr('\n');
    if (report.dryRun) io.stdout(report.planned.map((p) => `${p.label}: ${p.action}`).join('\n') + '\n');
    io.stdout(`Tạo mới ${report.created.length}, sửa ${report.repaired.length}, không đổi ${report.unchanged.length}; chia sẻ thêm ${report.shares}; bảng tổng hợp: ${report.master}.\n`);
    return 0;
  } finally {
    await session.close();
  }
};
