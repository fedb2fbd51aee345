/**
 * `npm start`: the whole campaign on this machine. First run: provisions the 2020 campaign
 * into the local emulators and plays the demo (units filling their sheets over simulated
 * weeks); later runs resume where the state directory left off. Ctrl-C stops everything.
 *
 *   npm start                 demo on first run, resumed afterwards
 *   npm start -- --no-demo    real clock, no simulated units
 *   npm start -- --demo       force the demo (e.g. after `npm run cli -- reset`)
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../functions/app/log.js';
import { formatViDateTime } from '../functions/core/time.js';
import { modelOf } from '../functions/core/campaign-model.js';
import { loadCampaign } from '../sheets-schema/index.js';
import { loadDemoState } from './demo/runner.js';
import { hasSavedFirestoreState } from './local-stack/local-firestore.js';
import { DEFAULT_STATE_DIR, findRunningStack } from './local-stack/stack.js';
import { startSystem } from './local-stack/system.js';
import { operatorLine } from './local-stack/log-vi.js';

const DEFAULT_PORTS = { sheets: 8085, smtp: 1025, mailWeb: 1080, functions: 8091 };
/** Quota minutes of the Sheets emulator run 10x faster, so the demo's weeks fit in minutes. */
const SHEETS_CLOCK_SCALE = 10;
/** One real second is four simulated hours (simulated ms per real ms). */
const DEMO_SPEED = 4 * 3600;

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const server = createServer();
    server.once('error', () => res(false));
    server.listen(port, '127.0.0.1', () => server.close(() => res(true)));
  });
}

async function choosePorts() {
  const ports = { ...DEFAULT_PORTS };
  for (const [service, port] of Object.entries(ports) as [keyof typeof ports, number][]) {
    const span = service === 'functions' ? 6 : 1;
    let ok = true;
    for (let i = 0; i < span; i++) ok &&= await portFree(port + i);
    if (!ok) ports[service] = 0;
  }
  return ports;
}

async function main() {
  const { values } = parseArgs({
    options: { demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' }, 'state-dir': { type: 'string' } },
    strict: true,
  });
  const stateDir = values['state-dir'] ?? process.env.LOCAL_STATE_DIR ?? DEFAULT_STATE_DIR;
  const say = (t: string) => process.stdout.write(t + '\n');
  if (await findRunningStack(stateDir)) {
    say(`Hệ thống cục bộ đã chạy trên ${stateDir}. Dừng nó trước (Ctrl-C) hoặc dùng --state-dir khác.`);
    process.exit(1);
  }
  const demoFile = join(stateDir, 'demo.json');
  const saved = await loadDemoState(demoFile);
  const firstRun = !hasSavedFirestoreState(stateDir);
  const demo = values['no-demo'] ? false : values.demo || firstRun || Boolean(saved);

  // Warnings and errors, in Vietnamese (the structured log's English is for developers).
  const log = createLogger({}, (line) => {
    const shown = operatorLine(line);
    if (shown !== null) process.stderr.write(`  ${shown}\n`);
  });
  const campaign = modelOf(loadCampaign(process.env.CAMPAIGN_SCHEMA));
  const model = () => campaign;
  say('Khởi động hệ thống báo cáo (cục bộ, trình giả lập)…');
  say('Tạo hoặc kiểm tra bảng tính của các đơn vị và bảng tổng hợp…');
  const system = await startSystem({
    stateDir,
    log,
    ports: await choosePorts(),
    announce: true,
    sheetsClockScale: SHEETS_CLOCK_SCALE,
    demo: demo
      ? {
          speed: DEMO_SPEED,
          onEdit: (e) =>
            say(`  ${formatViDateTime(e.at, model().timeZone)}  ${model().unit(e.unitId).name}: ${e.note}`),
        }
      : false,
    onProvisionProgress: (p) =>
      process.stdout.write(
        `\r  [${String(p.done).padStart(3)}/${p.total}] ${p.label.padEnd(36)} ${p.action.padEnd(10)} còn ~${Math.ceil(p.etaMs / 1000)} giây `,
      ),
  });
  process.stdout.write('\n');
  const { stack, demo: demoHandle } = system;
  const runtime = stack.runtime;

  const master = await runtime.store.meta('master');
  const functionUrls = stack.urls.functions;
  say('');
  say('Hệ thống đang chạy (mọi dịch vụ chỉ nghe trên 127.0.0.1):');
  const rows: [string, string][] = [
    ['Hộp thư (maildev)', stack.urls.mailInbox],
    ['Bảng tính giả lập (Sheets/Drive)', stack.urls.sheets],
    ['  danh sách, tải .xlsx', stack.urls.exports],
    [
      '  bảng tổng hợp (.xlsx)',
      master.spreadsheetId ? `${stack.urls.sheets}emulator/spreadsheets/${master.spreadsheetId}.xlsx` : '(chưa có)',
    ],
    ['Hàm driveWebhook', functionUrls.driveWebhook!],
    ['Hàm sheetAction', functionUrls.sheetAction!],
    ['Hàm complianceSweep', functionUrls.complianceSweep!],
    ['Hàm maintenance', functionUrls.maintenance!],
    ['Hàm onSubmissionWritten', functionUrls.onSubmissionWritten!],
    ['Hàm onPollRequested', functionUrls.onPollRequested!],
    [
      stack.firestore.kind === 'official' ? 'Firestore (giả lập của Google)' : 'Firestore (giả lập thay thế)',
      stack.urls.firestore,
    ],
    ['SMTP (maildev)', `127.0.0.1:${stack.smtpPort}`],
    ['Trạng thái', stateDir],
  ];
  for (const [label, value] of rows) say(`  ${label.padEnd(34)} ${value}`);
  say('  Xuất mọi bảng tính ra .xlsx: npm run cli -- export --out ./out');
  say(
    stack.firestore.kind === 'official'
      ? '  Firestore chạy trên trình giả lập chính thức của Google (Cloud SDK); trạng thái được xuất định kỳ và khi dừng.'
      : `  Firestore chạy trên trình giả lập thay thế vì không dùng được trình giả lập của Google (${stack.firestore.fallbackReason}).`,
  );

  if (demoHandle) {
    say('');
    say(
      `Chế độ trình diễn: 1 giây thật = ${DEMO_SPEED / 3600} giờ mô phỏng, đang ở ${formatViDateTime(demoHandle.clock.now(), runtime.model.timeZone)}.`,
    );
    say(
      '  Mọi việc chạy theo đồng hồ mô phỏng: rà soát lúc 08:00 và 16:00 mỗi ngày, Google ghi giờ lưu theo giờ mô phỏng;',
    );
    say(
      '  đồng hồ dừng ở mỗi lượt nhập và mỗi lần rà soát cho đến khi xong, nên giờ ghi nhận đúng giờ đơn vị bấm gửi.',
    );
  }
  // The line is printed when it says something new: once the demo has ended (and nothing
  // arrives) it stays as it was, instead of the same line every 15 seconds.
  let lastStatus = '';
  const reportStatus = async () => {
    try {
      const mails = await stack.listEmails();
      const subs = (
        await Promise.all(runtime.model.campaign.rounds.map((r) => runtime.store.submissionsOfRound(r.id)))
      ).flat();
      const progress = demoHandle?.progress();
      const line = `— ${progress ? `giờ mô phỏng ${formatViDateTime(progress.simNow, runtime.model.timeZone)}, ${progress.done}/${progress.total} lượt nhập${progress.finished ? ' (kết thúc)' : ''}; ` : ''}${subs.length} báo cáo đã tiếp nhận, ${mails.length} thư trong hộp thư`;
      if (line !== lastStatus) say(line);
      lastStatus = line;
    } catch {
      /* the next report will say */
    }
  };
  const status = setInterval(() => void reportStatus(), 15_000);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) {
      // A second Ctrl-C: leave now (the stack's exit hook still removes stack.json).
      say('Dừng ngay.');
      process.exit(130);
    }
    stopping = true;
    say('\nĐang dừng…');
    clearInterval(status);
    try {
      await system.stop();
      say('Đã dừng; trạng thái được giữ lại cho lần chạy sau.');
      process.exitCode = 0;
    } catch (e) {
      process.stderr.write(`  [lỗi] Dừng không trọn vẹn: ${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      process.exit();
    }
  };
  // shutdown handles its own errors; a listener's return value is ignored by Node.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
