/** `provision [--dry-run] [--round <id>]`: creates and shares every unit's sheet and the master; idempotent. */
import { provisionCampaign, type ProvisionReport } from '../../functions/app/provision.js';
import { LOCAL_SERVICE_ACCOUNT } from '../local-stack/stack.js';
import { loadModel, parseCommandArgs, unknownRoundMessage } from './common.js';
import { UsageError, type Command } from './io.js';
import { openSession } from './session.js';

export const provisionCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    target: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    round: { type: 'string', multiple: true },
  });
  const model = loadModel(values.schema, io);
  for (const roundId of values.round ?? [])
    if (!model.findRound(roundId)) throw new UsageError(unknownRoundMessage(model, roundId));
  const session = await openSession(io, {
    ...(values.schema ? { schema: values.schema } : {}),
    ...(values.target ? { target: values.target } : {}),
  });
  try {
    const runtime = session.runtime;
    // On Google the watch address is the deployed driveWebhook; locally only an embedded run renews it.
    const renew = session.mode !== 'connected';
    const report = await provisionCampaign(
      {
        ...runtime,
        writes: runtime.sheetsPace.writes,
        editors: [runtime.config.serviceAccount ?? LOCAL_SERVICE_ACCOUNT],
      },
      {
        ...(values.round ? { rounds: values.round } : {}),
        dryRun: values['dry-run'],
        ...(renew
          ? {
              webhook: {
                address: runtime.config.webhook.url,
                secret: runtime.config.webhook.secret,
                ttlMs: runtime.config.watchTtlMs,
              },
            }
          : {}),
        onProgress: (p) =>
          io.stderr(
            `\r[${p.done}/${p.total}] ${p.label}: ${p.action} — còn khoảng ${Math.ceil(p.etaMs / 1000)} giây   `,
          ),
      },
    );
    io.stderr('\n');
    if (report.dryRun) io.stdout(report.planned.map((p) => `${p.label}: ${p.action}`).join('\n') + '\n');
    io.stdout(
      `Tạo mới ${report.created.length}, sửa ${report.repaired.length}, không đổi ${report.unchanged.length}; chia sẻ thêm ${report.shares}; bảng tổng hợp: ${report.master}.\n`,
    );
    io.stdout(sharingSummary(report));
    // Provisioning finished, but some contacts cannot open their sheet: the operator must act.
    return report.shareFailures.length ? 1 : 0;
  } finally {
    await session.close();
  }
};

/** The sharing part of the report, in Vietnamese: invitations, sheets locked, contacts Drive refused, shared-drive settings. */
export function sharingSummary(report: ProvisionReport): string {
  const lines: string[] = [];
  if (report.lockedSharing.length)
    lines.push(`Đã khóa quyền chia sẻ của người sửa (writersCanShare) trên ${report.lockedSharing.length} bảng tính.`);
  if (report.invited.length) {
    lines.push(
      `Đã mời qua thư (địa chỉ chưa có tài khoản Google, cần tạo tài khoản Google để mở bảng tính): ${report.invited.length}`,
    );
    for (const invited of report.invited) lines.push(`  - ${invited.label}: ${invited.email}`);
  }
  if (report.sharedDrive?.problems.length) {
    lines.push(`Bộ nhớ dùng chung "${report.sharedDrive.name}" (${report.sharedDrive.driveId}) — cần đổi cài đặt:`);
    for (const problem of report.sharedDrive.problems) lines.push(`  - ${problem}`);
  }
  if (report.shareFailures.length) {
    lines.push(`KHÔNG chia sẻ được ${report.shareFailures.length} lượt (các lượt khác đã xong):`);
    for (const failure of report.shareFailures)
      lines.push(
        `  - ${failure.label}: ${failure.email} (${failure.role === 'writer' ? 'sửa' : 'xem'}; ${failure.reason}) — ${failure.explanation}`,
      );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
