/**
 * The scheduled jobs, defined once: the deployment script creates a Cloud Scheduler job for
 * each (OIDC-authenticated HTTP call), and the local stack's scheduler fires the very same
 * function with the very same body at the very same times of the business clock (simulated in
 * the demo), stepping each cron in the campaign's time zone (scripts/local-stack/scheduler.ts).
 */
export interface ScheduledJob {
  name: string;
  /** The HTTP function the job calls. */
  target: 'complianceSweep' | 'maintenance';
  body: Record<string, unknown>;
  /** Cloud Scheduler cron, in SCHEDULE_TIME_ZONE. */
  cron: string;
  description: string;
  /**
   * Locally, when several due times have passed since the scheduler last looked (simulated
   * time runs fast, or the machine was busy): 'every' fires once per due time, in order (the
   * compliance sweep: each run is a dated check whose reminders depend on the day); 'once'
   * fires once for all of them (maintenance jobs that catch up with everything since their
   * last run, so a skipped due time loses nothing).
   */
  catchUp: 'every' | 'once';
  /**
   * Locally, for 'once' jobs: at least this long in real ms between two runs, so a fast
   * simulated clock does not run the idempotent maintenance back to back on two shared cores.
   */
  localMinGapMs: number;
}

/** The time zone of every cron (Cloud Scheduler's --time-zone). */
export const SCHEDULE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const SCHEDULED_JOBS: ScheduledJob[] = [
  {
    name: 'refresh-master',
    target: 'maintenance',
    body: { job: 'refresh-master' },
    cron: '* * * * *',
    description: 'Cập nhật bảng tổng hợp nếu có thay đổi (gộp mọi thay đổi trong 1 phút)',
    catchUp: 'once',
    localMinGapMs: 2_000,
  },
  {
    name: 'poll-changes',
    target: 'maintenance',
    body: { job: 'poll-changes' },
    cron: '*/5 * * * *',
    description: 'Đọc nguồn thay đổi của Drive, bắt các thay đổi mà thông báo đẩy bỏ sót',
    catchUp: 'once',
    localMinGapMs: 10_000,
  },
  {
    name: 'renew-watch',
    target: 'maintenance',
    body: { job: 'renew-watch' },
    cron: '0 */6 * * *',
    description: 'Gia hạn kênh theo dõi thay đổi của Drive trước khi hết hạn',
    catchUp: 'once',
    localMinGapMs: 0,
  },
  {
    name: 'reconcile',
    target: 'maintenance',
    body: { job: 'reconcile' },
    cron: '17 * * * *',
    description: 'Tính lại số liệu tổng hợp từ báo cáo gốc, sửa mọi sai lệch',
    catchUp: 'once',
    localMinGapMs: 20_000,
  },
  {
    name: 'publish-reports',
    target: 'maintenance',
    body: { job: 'publish-reports' },
    cron: '30 0 * * *',
    description:
      'Sau hạn nộp của mỗi đợt: ghi bảng tổng hợp, dự thảo báo cáo, danh sách khen thưởng vào Drive (một lần mỗi đợt)',
    catchUp: 'once',
    localMinGapMs: 0,
  },
  {
    name: 'compliance-sweep',
    target: 'complianceSweep',
    body: {},
    cron: '0 8,16 * * *',
    description: 'Rà soát đơn vị chưa nộp, nộp muộn, vượt định mức; gửi thư nhắc và thư tổng hợp',
    catchUp: 'every',
    localMinGapMs: 0,
  },
];
