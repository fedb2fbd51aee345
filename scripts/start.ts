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
import { provisionCampaign } from '../functions/app/provision.js';
import { createRateLimiter } from '../functions/app/rate-limiter.js';
import { formatViDateTime } from '../functions/core/time.js';
import { demoScenario } from './demo/scenario.js';
import { SimClock, loadDemoState, runDemo, type DemoHandle } from './demo/runner.js';
import { DEFAULT_STATE_DIR, LOCAL_SERVICE_ACCOUNT, findRunningStack, startLocalStack } from './local-stack/stack.js';

const DEFAULT_PORTS = { sheets: 8085, smtp: 1025, mailWeb: 1080, functions: 8091 };
/** Quota minutes of the Sheets emulator run 10x faster, so the demo's weeks fit in minutes. */
const SHEETS_CLOCK_SCALE = 10;
/** One real second is four simulated hours. */
const DEMO_SPEED = 4 * 3600;

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function choosePorts() {
  const ports = { ...DEFAULT_PORTS };
  for (const [k, p] of Object.entries(ports) as [keyof typeof ports, number][]) {
    const span = k === 'functions' ? 5 : 1;
    let ok = true;
    for (let i = 0; i < span; i++) ok &&= await portFree(p + i);
    if (!ok) ports[k] = 0;
  }
  return ports;
}

async function main() {
  const { values } = parseArgs({ options: { demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' }, 'state-dir': { type: 'string' } }, strict: true });
  const stateDir = values['state-dir'] ?? process.env.LOCAL_STATE_DIR ?? DEFAULT_STATE_DIR;
  const say = (t: string) => process.stdout.write(t + '\n');
  if (await findRunningStack(stateDir)) {
    say(`Hệ thống cục bộ đã chạy trên ${stateDir}. Dừng nó trước (Ctrl-C) hoặc dùng --state-dir khác.`);
    process.exit(1);
  }
  const demoFile = join(stateDir, 'demo.json');
  const saved = await loadDemoState(demoFile);
  const firstRun = !(await import('node:fs')).existsSync(join(stateDir, 'firestore.json'));
  const demo = values['no-demo'] ? false : values.demo || firstRun || Boolean(saved);

  const log = createLogger({}, (line) => {
    const o = JSON.parse(line) as { severity: string; message: string };
    if (o.severity === 'WARNING' || o.severity === 'ERROR') process.stderr.write(`  [${o.severity === 'ERROR' ? 'lỗi' : 'lưu ý'}] ${o.message}\n`);
  });
  say('Khởi động hệ thống báo cáo (cục bộ, trình giả lập)…');
  const ports = await choosePorts();
  // The scenario starts the morning after the first round's data window; its model is loaded later by the stack.
  let clock: SimClock | null = null;
  const stack = await startLocalStack({
    stateDir,
    ports,
    sheetsClockScale: SHEETS_CLOCK_SCALE,
    announce: true,
    log,
    now: () => (clock ? clock.now() : Date.now()),
    scheduler: { intervals: demo ? { 'compliance-sweep': 3_000, 'refresh-master': 2_000, 'reconcile': 20_000, 'poll-changes': 10_000 } : {} },
  });
  const rt = stack.runtime;
  if (demo) clock = new SimClock(saved?.simNow ?? demoScenario(rt.model).startsAt, DEMO_SPEED);

  const registered = await rt.store.allUnitSheets();
  const expected = rt.model.campaign.rounds.reduce((n, r) => n + rt.model.campaign.units.filter((u) => rt.model.hasWorkbook(u.id, r.id)).length, 0);
  if (registered.length < expected || !(await rt.store.meta('master')).spreadsheetId) {
    say(`Tạo bảng tính cho ${expected} biểu mẫu và bảng tổng hợp (lần đầu)…`);
  }
  await provisionCampaign(
    { ...rt, writes: createRateLimiter(rt.config.sheetsWritesPerMinute * SHEETS_CLOCK_SCALE), editors: [LOCAL_SERVICE_ACCOUNT] },
    {
      webhook: { address: rt.config.webhook.url, secret: rt.config.webhook.secret, ttlMs: rt.config.watchTtlMs },
      onProgress: (p) => process.stdout.write(`\r  [${String(p.done).padStart(3)}/${p.total}] ${p.label.padEnd(36)} ${p.action.padEnd(10)} còn ~${Math.ceil(p.etaMs / 1000)} giây `),
    },
  );
  process.stdout.write('\n');

  const master = await rt.store.meta('master');
  const f = stack.urls.functions;
  say('');
  say('Hệ thống đang chạy (mọi dịch vụ chỉ nghe trên 127.0.0.1):');
  const rows: [string, string][] = [
    ['Hộp thư (maildev)', stack.urls.mailInbox],
    ['Bảng tính giả lập (Sheets/Drive)', stack.urls.sheets],
    ['  danh sách, tải .xlsx', stack.urls.exports],
    ['  bảng tổng hợp (.xlsx)', master.spreadsheetId ? `${stack.urls.sheets}emulator/spreadsheets/${master.spreadsheetId}.xlsx` : '(chưa có)'],
    ['Hàm driveWebhook', f.driveWebhook!],
    ['Hàm sheetAction', f.sheetAction!],
    ['Hàm complianceSweep', f.complianceSweep!],
    ['Hàm maintenance', f.maintenance!],
    ['Hàm onSubmissionWritten', f.onSubmissionWritten!],
    ['Firestore (giả lập)', stack.urls.firestore],
    ['SMTP (maildev)', `127.0.0.1:${stack.smtpPort}`],
    ['Trạng thái', stateDir],
  ];
  for (const [k, v] of rows) say(`  ${k.padEnd(34)} ${v}`);
  say('  Xuất mọi bảng tính ra .xlsx: npm run cli -- export --out ./out');

  let demoHandle: DemoHandle | null = null;
  if (demo && clock) {
    say('');
    say(`Chế độ trình diễn: 1 giây thật = ${DEMO_SPEED / 3600} giờ mô phỏng, bắt đầu ${formatViDateTime(clock.now(), rt.model.timeZone)}.`);
    demoHandle = await runDemo(stack, clock, { stateFile: demoFile, log, onEdit: (e) => say(`  ${formatViDateTime(e.at, rt.model.timeZone)}  ${rt.model.unit(e.unitId).name}: ${e.note}`) });
  }
  const status = setInterval(async () => {
    try {
      const mails = await stack.listEmails();
      const subs = (await Promise.all(rt.model.campaign.rounds.map((r) => rt.store.submissionsOfRound(r.id)))).flat();
      const p = demoHandle?.progress();
      say(`— ${p ? `giờ mô phỏng ${formatViDateTime(p.simNow, rt.model.timeZone)}, ${p.done}/${p.total} lượt nhập${p.finished ? ' (kết thúc)' : ''}; ` : ''}${subs.length} báo cáo đã tiếp nhận, ${mails.length} thư trong hộp thư`);
    } catch {
      /* the next report will say */
    }
  }, 15_000);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say('\nĐang dừng…');
    clearInterval(status);
    await demoHandle?.stop();
    await stack.stop();
    say('Đã dừng; trạng thái được giữ lại cho lần chạy sau.');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
