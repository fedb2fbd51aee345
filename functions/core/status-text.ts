/** The status cell at the top of every tab: one line a clerk understands. */
import type { CampaignModel } from './campaign-model.js';
import type { WorkbookStatus } from './evaluate.js';
import { formatViDateTime } from './time.js';

export interface StatusInput {
  status: WorkbookStatus;
  submitted: boolean;
  errors: number;
  warnings: number;
  pendingCount: number;
  /** Nominees whose verdict is not "Hợp lệ": said apart, they never hold the report back. */
  nomineesNeedingAttention?: number;
}

export interface AcceptanceInfo {
  /** When the version now in force was accepted. */
  acceptedAt: number | null;
  late: boolean;
  /** This run's content could not be taken in because the round is locked. */
  lockedOut: boolean;
}

export type StatusTone = 'error' | 'warning' | 'ok' | 'neutral';

/** " Đề nghị khen thưởng: 2 đối tượng cần xem lại (cột "Kết quả xét" ở trang Khen thưởng)." — or nothing. */
function nomineePhrase(model: CampaignModel, count: number | undefined): string {
  if (!count) return '';
  const table = model.campaign.tables.find((t) => t.kind === 'list' && t.role === 'nominations');
  if (!table || table.kind !== 'list') return '';
  const column = table.verdictColumn ? `cột "${table.verdictColumn.header}" ở ` : '';
  return ` ${table.label}: ${count} đối tượng cần xem lại (${column}trang ${table.sheetTitle}).`;
}

export function statusLine(
  model: CampaignModel,
  roundId: string,
  status: StatusInput,
  acceptance: AcceptanceInfo | null,
): { text: string; tone: StatusTone } {
  const line = reportLine(model, roundId, status, acceptance);
  if (acceptance?.lockedOut) return line;
  const nominees = nomineePhrase(model, status.nomineesNeedingAttention);
  if (!nominees) return line;
  const text = /[.:]$/.test(line.text) ? `${line.text}${nominees}` : `${line.text}.${nominees}`;
  return { text, tone: line.tone === 'ok' || line.tone === 'neutral' ? 'warning' : line.tone };
}

/** The report's own state: figures, outline, examples, confirmation (and a nominating unit's dossier). */
function reportLine(
  model: CampaignModel,
  roundId: string,
  status: StatusInput,
  acceptance: AcceptanceInfo | null,
): { text: string; tone: StatusTone } {
  const timeZone = model.timeZone;
  const warnings = status.warnings > 0 ? `, ${status.warnings} cảnh báo` : '';
  const inForce = acceptance?.acceptedAt
    ? ` Bản đã gửi lúc ${formatViDateTime(acceptance.acceptedAt, timeZone)} vẫn có hiệu lực.`
    : '';
  if (acceptance?.lockedOut) {
    const lock = formatViDateTime(model.lockAt(roundId), timeZone);
    return {
      text: `Đợt báo cáo đã khóa sổ lúc ${lock}: thay đổi sau thời điểm này không được tiếp nhận.${inForce || ' Đơn vị chưa gửi báo cáo trước khi khóa sổ; hãy liên hệ ' + model.campaign.coordinator.name + '.'}`,
      tone: 'error',
    };
  }
  if (status.errors > 0) {
    const action = status.submitted
      ? ' — chưa gửi được: hãy sửa các ô tô đỏ (di chuột vào ô để xem hướng dẫn).'
      : ' — ô tô đỏ là lỗi, ô tô vàng cần xem lại.';
    return { text: `Còn ${status.errors} lỗi${warnings}${action}${inForce}`, tone: 'error' };
  }
  if (status.status === 'ready') {
    if (acceptance?.acceptedAt) {
      const late = acceptance.late ? ' (nộp muộn)' : '';
      return {
        text: `Đã gửi lúc ${formatViDateTime(acceptance.acceptedAt, timeZone)}${late}${warnings}.`,
        tone: acceptance.late || status.warnings ? 'warning' : 'ok',
      };
    }
    return { text: `Hợp lệ${warnings}: sẵn sàng gửi.`, tone: 'ok' };
  }
  if (status.status === 'empty') return { text: 'Chưa nhập số liệu.', tone: 'neutral' };
  const remaining = status.pendingCount > 0 ? ` Còn ${status.pendingCount} mục bắt buộc chưa điền.` : '';
  const conf = model.campaign.confirmation;
  const submitBox = conf.fields.find((f) => f.type === 'submit-checkbox')?.label ?? 'gửi báo cáo';
  return {
    text: `Hợp lệ${warnings} — chưa gửi.${remaining} Khi xong, tích ô "${submitBox}" ở trang ${conf.sheetTitle}.${inForce}`,
    tone: status.warnings ? 'warning' : 'neutral',
  };
}
