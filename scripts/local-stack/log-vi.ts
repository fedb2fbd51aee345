/**
 * What the operator of the local run (`npm start`) and of the CLI reads of a warning or an
 * error: the log's message in Vietnamese. The structured log itself stays English (Cloud
 * Logging, developers, tests); only the line printed for people is translated here, so no
 * function's log call changes. test/local-stack/log-vi.test.ts fails when a warning or error
 * message in functions/ or scripts/ has no Vietnamese line.
 */

/** Messages written as plain strings. */
const EXACT: Record<string, string> = {
  'report file found more than once in Drive; the first one was replaced':
    'Một tệp hồ sơ gửi đi có nhiều bản trên Drive; đã ghi đè bản đầu tiên, hãy xóa các bản thừa.',
  'submission for an unknown unit or round; not aggregated':
    'Báo cáo của một đơn vị hoặc đợt không có trong kế hoạch; không được cộng vào số tổng hợp.',
  'processing a changed sheet failed; the change stays in the feed and is retried':
    'Xử lý một bảng tính vừa thay đổi bị lỗi; thay đổi được giữ lại và sẽ xử lý lại.',
  'processing a sheet keeps failing; it is quarantined, flagged to coordinators and retried later':
    'Một bảng tính lỗi nhiều lần liên tiếp; tạm gác lại, báo cho cán bộ tổng hợp và sẽ thử lại sau.',
  'sheet not registered to a unit; ignored': 'Bảng tính không thuộc đơn vị nào trong hệ thống; bỏ qua.',
  'registered sheet no longer exists in Drive': 'Bảng tính của đơn vị không còn trên Drive.',
  'finishing the work of a run that stopped after storing this version':
    'Hoàn tất phần việc còn dở của lần xử lý trước (đã lưu số liệu nhưng chưa ghi phản hồi vào bảng tính).',
  'shared drive setting to change': 'Cần đổi một thiết lập của bộ nhớ dùng chung (shared drive).',
  'Drive refused to share a sheet with a contact; carrying on':
    'Drive từ chối chia sẻ một bảng tính cho người liên hệ; tiếp tục với các bảng tính khác.',
  'master: incremental view differs from a full rebuild':
    'Bảng tổng hợp cập nhật theo phần thay đổi khác với bảng dựng lại toàn bộ; đã ghi bảng dựng lại toàn bộ.',
  'aggregates repaired from source submissions':
    'Đã tính lại số tổng hợp từ báo cáo gốc của các đơn vị (số cũ bị lệch).',
  'unit sheets shared beyond the system grants': 'Có bảng tính đơn vị được chia sẻ ngoài quyền hệ thống cấp.',
  'reminder not sent; will retry on the next run': 'Chưa gửi được thư nhắc; sẽ gửi lại ở lần rà soát sau.',
  'event for a document that is not a submission; ignored': 'Sự kiện của một tài liệu không phải báo cáo; bỏ qua.',
  'submission of another campaign; ignored': 'Báo cáo của chiến dịch khác; bỏ qua.',
  'poll trigger for an unexpected document; ignored': 'Yêu cầu quét thay đổi từ một tài liệu không đúng chỗ; bỏ qua.',
  'request failed before the function ran': 'Yêu cầu bị lỗi trước khi hàm kịp chạy.',
  'request refused before the function ran': 'Yêu cầu bị từ chối trước khi hàm kịp chạy.',
  'drive push refused: bad channel token': 'Từ chối thông báo của Drive: mã kênh không đúng.',
  'sheet action refused: bad signature': 'Từ chối thao tác từ bảng tính: chữ ký không đúng.',
  'scheduled call refused': 'Từ chối một lần gọi theo lịch: không phải bộ lập lịch của hệ thống.',
  'demo edit failed; retrying on the next tick': 'Lượt nhập của bản trình diễn bị lỗi; sẽ thử lại ngay sau.',
  'scheduled job failed': 'Một việc chạy theo lịch bị lỗi.',
  'stopping a local service failed': 'Không dừng được một dịch vụ cục bộ.',
  'stack.json could not be removed':
    'Không xóa được tệp stack.json (thông báo hệ thống đang chạy); lần chạy sau sẽ tự bỏ qua nó.',
};

/** Messages built from a template: the pattern, and its Vietnamese line. */
const PATTERNS: [RegExp, (...groups: string[]) => string][] = [
  [
    /^(\S+): undecodable event acknowledged without processing$/,
    (fn) => `${fn}: sự kiện không đọc được; đã xác nhận và bỏ qua.`,
  ],
  [/^(\S+) failed; the event will be retried$/, (fn) => `${fn} bị lỗi; sự kiện sẽ được gửi lại.`],
  [
    /^(\S+) failed permanently; event acknowledged, the scheduled jobs catch up$/,
    (fn) => `${fn} lỗi không khắc phục được; đã bỏ qua sự kiện, các việc chạy theo lịch sẽ bù lại.`,
  ],
  [
    /^(.+) deferred: Sheets quota$/,
    (what) => `${what}: tạm hoãn vì đã dùng hết hạn mức gọi Google Sheets; sẽ làm tiếp sau.`,
  ],
  [
    /^(\S+) trigger delivery gave up$/,
    (target) => `Không chuyển được sự kiện Firestore tới hàm ${target} sau nhiều lần thử.`,
  ],
  [/^Firestore export failed: ([\s\S]*)$/, (why) => `Không xuất được dữ liệu Firestore ra thư mục trạng thái: ${why}`],
];

/** The Vietnamese line for a log message (a message with none, already Vietnamese, say, is shown as it is). */
export function operatorMessage(message: string): string {
  const exact = EXACT[message];
  if (exact) return exact;
  for (const [pattern, say] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return say(...match.slice(1));
  }
  return message;
}

/** The line printed for a JSON log line of severity WARNING or ERROR, or null for the rest. */
export function operatorLine(jsonLine: string): string | null {
  const { severity, message } = JSON.parse(jsonLine) as { severity: string; message: string };
  if (severity !== 'WARNING' && severity !== 'ERROR') return null;
  return `[${severity === 'ERROR' ? 'lỗi' : 'lưu ý'}] ${operatorMessage(message)}`;
}
