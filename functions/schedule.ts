/**
 * The scheduled jobs, defined once: the deployment script creates a Cloud Scheduler job for
 * each (OIDC-authenticated HTTP call), and the local stack's scheduler fires the very same
 * function with the very same body.
 */
export interface ScheduledJob {
  name: string;
  /** The HTTP function the job calls. */
  target: 'complianceSweep' | 'maintenance';
  body: Record<string, unknown>;
  /** Cloud Scheduler cron, in the campaign's time zone. */
  cron: string;
  description: string;
  /** Interval of the local scheduler (real milliseconds). */
  localEveryMs: number;
}

export const SCHEDULED_JOBS: ScheduledJob[] = [
  { name: 'refresh-master', target: 'maintenance', body: { job: 'refresh-master' }, cron: '* * * * *', description: 'Cập nhật bảng tổng hợp nếu có thay đổi (gộp mọi thay đổi trong 1 phút)', localEveryMs: 2_000 },
  { name: 'poll-changes', target: 'maintenance', body: { job: 'poll-changes' }, cron: '*/5 * * * *', description: 'Đọc nguồn thay đổi của Drive, bắt các thay đổi mà thông báo đẩy bỏ sót', localEveryMs: 15_000 },
  { name: 'renew-watch', target: 'maintenance', body: { job: 'renew-watch' }, cron: '0 */6 * * *', description: 'Gia hạn kênh theo dõi thay đổi của Drive trước khi hết hạn', localEveryMs: 60_000 },
  { name: 'reconcile', target: 'maintenance', body: { job: 'reconcile' }, cron: '17 * * * *', description: 'Tính lại số liệu tổng hợp từ báo cáo gốc, sửa mọi sai lệch', localEveryMs: 30_000 },
  { name: 'compliance-sweep', target: 'complianceSweep', body: {}, cron: '0 8,16 * * *', description: 'Rà soát đơn vị chưa nộp, nộp muộn, vượt định mức; gửi thư nhắc và thư tổng hợp', localEveryMs: 20_000 },
];
