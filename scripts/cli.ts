/** `npm run cli -- <command> …` */
import { checkCommand } from './cli/check.js';
import { processIo, UsageError, type CliIo, type Command } from './cli/io.js';
import { templateCommand } from './cli/template.js';

export const commands: Record<string, { run: Command; help: string }> = {
  template: { run: templateCommand, help: 'template --unit <mã> --round <mã> --out <tệp.xlsx>   tạo biểu mẫu trống của đơn vị' },
  check: { run: checkCommand, help: 'check <tệp.xlsx> --unit <mã> --round <mã> [--json]    kiểm tra biểu mẫu đã điền (không cần mạng)' },
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
