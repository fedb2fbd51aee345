/** `npm run cli -- <command> …` */
import { checkCommand } from './cli/check.js';
import { processIo, UsageError, type CliIo, type Command } from './cli/io.js';
import { templateCommand } from './cli/template.js';
import { importCommand } from './cli/import.js';
import { masterCommand } from './cli/master.js';
import { sweepCommand } from './cli/sweep.js';
import { resetCommand } from './cli/reset.js';
import { exportCommand } from './cli/export.js';
import { provisionCommand } from './cli/provision.js';

export const commands: Record<string, { run: Command; help: string }> = {
  template: { run: templateCommand, help: 'template --unit <mã> --round <mã> --out <tệp.xlsx>   tạo biểu mẫu trống của đơn vị' },
  check: { run: checkCommand, help: 'check <tệp.xlsx> --unit <mã> --round <mã> [--json]    kiểm tra biểu mẫu đã điền (không cần mạng)' },
  import: { run: importCommand, help: 'import <tệp.xlsx> --unit <mã> --round <mã> [--at <thời điểm>] [--json]   nhập vào bảng tính trực tuyến như cán bộ gõ, rồi xử lý' },
  master: { run: masterCommand, help: 'master [--round <mã>] [--at <thời điểm>] [--json] [--xlsx <tệp>] [--target google]   bảng tổng hợp' },
  sweep: { run: sweepCommand, help: 'sweep [--at <thời điểm>] [--json] [--dry-run] [--target google]   rà soát chưa nộp, nộp muộn, vượt định mức; gửi thư nhắc' },
  provision: { run: provisionCommand, help: 'provision [--round <mã>] [--dry-run] [--target google]   tạo và chia sẻ bảng tính của các đơn vị và bảng tổng hợp' },
  export: { run: exportCommand, help: 'export --out <thư mục>   xuất mọi bảng tính ra .xlsx' },
  reset: { run: resetCommand, help: 'reset   xóa trạng thái cục bộ' },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    io.stderr(`${name ? `Không có lệnh "${name}".\n` : ''}Các lệnh:\n${Object.values(commands).map((c) => `  ${c.help}`).join('\n')}\nTùy chọn chung: --schema <tệp chiến dịch .json> (mặc định: kế hoạch 2020 của Hà Nội)\n`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(3);
    },
  );
}
