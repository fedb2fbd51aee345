/** `npm run cli -- <command> …` */
import { checkCommand } from './cli/check.js';
import { flushed, processIo, UsageError, type CliIo, type Command } from './cli/io.js';
import { templateCommand } from './cli/template.js';
import { importCommand } from './cli/import.js';
import { masterCommand } from './cli/master.js';
import { reportCommand } from './cli/report.js';
import { sweepCommand } from './cli/sweep.js';
import { resetCommand } from './cli/reset.js';
import { exportCommand } from './cli/export.js';
import { provisionCommand } from './cli/provision.js';

export const commands: Record<string, { run: Command; help: string }> = {
  template: {
    run: templateCommand,
    help: 'template --unit <mã> --round <mã> --out <tệp.xlsx>   tạo biểu mẫu trống của đơn vị',
  },
  check: {
    run: checkCommand,
    help: 'check <tệp.xlsx> --unit <mã> --round <mã> [--json]    kiểm tra biểu mẫu đã điền (không cần mạng)',
  },
  import: {
    run: importCommand,
    help: 'import <tệp.xlsx> --unit <mã> --round <mã> [--at <thời điểm>] [--json]   nhập vào bảng tính trực tuyến như cán bộ gõ, rồi xử lý',
  },
  master: {
    run: masterCommand,
    help: 'master [--round <mã>] [--at <thời điểm>] [--json] [--xlsx <tệp>] [--target google]   bảng tổng hợp',
  },
  report: {
    run: reportCommand,
    help: 'report --round <mã> --out <thư mục> [--at <thời điểm>] [--json] [--target google]   ghi bảng tổng hợp, dự thảo báo cáo (.docx), danh sách khen thưởng',
  },
  sweep: {
    run: sweepCommand,
    help: 'sweep [--at <thời điểm>] [--json] [--dry-run] [--target google]   rà soát chưa nộp, nộp muộn, vượt định mức; gửi thư nhắc',
  },
  provision: {
    run: provisionCommand,
    help: 'provision [--round <mã>] [--dry-run] [--target google]   tạo và chia sẻ bảng tính của các đơn vị và bảng tổng hợp',
  },
  export: { run: exportCommand, help: 'export --out <thư mục>   xuất mọi bảng tính ra .xlsx' },
  reset: { run: resetCommand, help: 'reset   xóa trạng thái cục bộ' },
};

const GENERAL_OPTIONS =
  'Tùy chọn chung: --schema <tệp chiến dịch .json> (mặc định: kế hoạch 2020 của Hà Nội); --help để xem hướng dẫn.';

function usage(): string {
  return (
    [
      'Dùng: npm run cli -- <lệnh> [tùy chọn]',
      'Các lệnh:',
      ...Object.values(commands).map((c) => `  ${c.help}`),
      '  help [<lệnh>]   hướng dẫn này',
      GENERAL_OPTIONS,
      'Đường dẫn tương đối được tính từ thư mục đang đứng khi gõ lệnh. Với --json, đầu ra chuẩn (stdout) chỉ có đúng một tài liệu JSON; thông báo đi ra stderr.',
    ].join('\n') + '\n'
  );
}

function commandUsage(name: string): string {
  return `Dùng: npm run cli -- ${commands[name]!.help}\n${GENERAL_OPTIONS}\n`;
}

const asksForHelp = (args: string[]) => {
  // Anything after "--" is a value, not an option (a file may be called --help).
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  // Usage asked for is the command's result: stdout, exit 0. Usage after a mistake goes to stderr, exit 2.
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic !== undefined && !commands[topic]) {
      io.stderr(`Không có lệnh "${topic}".\n${usage()}`);
      return 2;
    }
    io.stdout(topic ? commandUsage(topic) : usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`Không có lệnh "${name}".\n${usage()}`);
    return 2;
  }
  if (asksForHelp(args)) {
    io.stdout(commandUsage(name));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n`);
      if (/^Tham số không hợp lệ/.test(e.message)) io.stderr(commandUsage(name));
      return e.exitCode;
    }
    throw e;
  }
}

/**
 * stdout carries the command's result only. Libraries that log with console.log/info (maildev
 * prints "MailDev API running at …" when a command starts its own emulators) are sent to stderr.
 */
function keepStdoutForResults(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

/** Exits only once stdout and stderr are handed over: exiting earlier truncates a pipe at 64 KiB. */
async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // Explicit exit: emulator clients and sockets may still hold the event loop open.
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  keepStdoutForResults();
  runCli(process.argv.slice(2), processIo()).then(
    (code) => exitWhenFlushed(code),
    (error) => {
      console.error(error);
      return exitWhenFlushed(3);
    },
  );
}
