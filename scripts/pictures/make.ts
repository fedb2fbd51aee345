/**
 * `npm run pictures`: the README's pictures, rendered from the running system. Plays the
 * demo campaign step by step on the local stack, and at chosen moments renders the real
 * sheets held by the Sheets emulator (a unit sheet with feedback, the master's tabs) and the
 * mail that reached maildev (a reminder, the digest). Needs Debian's chromium and libreoffice-calc (apt); not
 * part of `npm test`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../functions/app/log.js';
import { buildRoundDocuments } from '../../functions/app/report-documents.js';
import type { Runtime } from '../../functions/handlers/runtime.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { writeWorkbookXlsx } from '../../functions/layout/xlsx.js';
import { demoScenario } from '../demo/scenario.js';
import { startSystem } from '../local-stack/system.js';
import { sheetHtml, type SheetPictureOptions } from './sheet-html.js';

const OUT = resolve('docs/pictures');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

function chromium(args: string[]): void {
  const bin = ['chromium', 'chromium-browser'].find(
    (b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!bin) throw new Error('chromium not found: apt-get install chromium');
  const profile = join(tmpdir(), `pictures-chromium-${process.pid}`);
  const result = spawnSync(bin, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], {
    stdio: 'pipe',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`chromium failed: ${result.stderr}`);
  // Chromium exits 0 even when it wrote no screenshot.
  const shot = args.find((a) => a.startsWith('--screenshot='))?.slice('--screenshot='.length);
  if (shot && !existsSync(shot)) throw new Error(`chromium wrote no screenshot to ${shot}: ${result.stderr}`);
}

async function screenshotHtml(html: string, file: string, size: [number, number]): Promise<void> {
  const page = join(tmpdir(), `picture-${Date.now()}.html`);
  await writeFile(page, html);
  chromium([`--screenshot=${file}`, `--window-size=${size[0]},${size[1]}`, `file://${page}`]);
  await rm(page, { force: true });
  process.stdout.write(`  ${file}\n`);
}

/**
 * A page the Sheets emulator's viewer serves, as Chromium shows it. Asynchronous: the emulator
 * answers from this very process, so a blocking spawn would leave Chromium waiting for a page
 * that never comes.
 */
async function screenshotViewer(url: string, file: string, size: [number, number]): Promise<void> {
  const bin = ['chromium', 'chromium-browser'].find(
    (b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!bin) throw new Error('chromium not found: apt-get install chromium');
  const profile = join(tmpdir(), `pictures-chromium-viewer-${process.pid}`);
  await promisify(execFile)(
    bin,
    [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      `--screenshot=${file}`,
      `--window-size=${size[0]},${size[1]}`,
      url,
    ],
    { timeout: 60_000 },
  );
  if (!existsSync(file)) throw new Error(`chromium wrote no screenshot to ${file}`);
  process.stdout.write(`  ${file}\n`);
}

/** The viewer at the emulator's root (`/view/<id>?sheet=<tab>`, or the list at `/` without an id). */
async function viewerPicture(
  sheetsUrl: string,
  file: string,
  target?: { spreadsheetId: string; tab: string },
): Promise<void> {
  const url = target
    ? `${sheetsUrl}view/${encodeURIComponent(target.spreadsheetId)}?sheet=${encodeURIComponent(target.tab)}`
    : sheetsUrl;
  await screenshotViewer(url, join(OUT, file), [1400, 800]);
}

/** The blank template's Bảng 1 as LibreOffice prints it (what a clerk gets in Excel). */
async function templatePicture(dir: string, model: Parameters<typeof buildUnitWorkbook>[0]): Promise<void> {
  const xlsx = join(dir, 'mau-ba-dinh.xlsx');
  await writeWorkbookXlsx(buildUnitWorkbook(model, 'ubnd-ba-dinh', 'so-ket-2020'), xlsx);
  const libreOffice = spawnSync('libreoffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  if (libreOffice.status !== 0) throw new Error(`libreoffice failed: ${libreOffice.stderr}`);
  const out = join(OUT, 'mau-bang1');
  const pdfToPng = spawnSync(
    'pdftoppm',
    [
      '-png',
      '-r',
      '150',
      '-f',
      '2',
      '-l',
      '2',
      '-x',
      '70',
      '-y',
      '70',
      '-W',
      '1620',
      '-H',
      '520',
      '-singlefile',
      join(dir, 'mau-ba-dinh.pdf'),
      out,
    ],
    { stdio: 'pipe' },
  );
  if (pdfToPng.status !== 0) throw new Error(`pdftoppm failed: ${pdfToPng.stderr}`);
  process.stdout.write(`  ${out}.png\n`);
}

/**
 * The report pictures: the first printed page of the consolidated table and of the draft city report, as
 * LibreOffice renders the files the `report` command writes (its own profile directory, so it
 * does not clash with another LibreOffice running on the machine).
 */
async function reportPictures(dir: string, runtime: Runtime, roundId: string): Promise<void> {
  const docs = await buildRoundDocuments(runtime, roundId, runtime.now());
  const wanted: [string, string][] = [
    [`bang-tong-hop-${roundId}.xlsx`, 'bao-cao-bang-tong-hop'],
    [`bao-cao-tong-hop-${roundId}.docx`, 'bao-cao-du-thao'],
  ];
  for (const [fileName, picture] of wanted) {
    const doc = docs.find((d) => d.fileName === fileName);
    if (!doc) throw new Error(`report documents have no ${fileName}`);
    const file = join(dir, fileName);
    await writeFile(file, doc.content);
    const libreOffice = spawnSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        file,
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
    if (libreOffice.status !== 0) throw new Error(`soffice failed on ${fileName}: ${libreOffice.stderr}`);
    const pdf = file.replace(/\.(xlsx|docx)$/, '.pdf');
    const pdfToPng = spawnSync(
      'pdftoppm',
      ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(OUT, picture)],
      { stdio: 'pipe' },
    );
    if (pdfToPng.status !== 0) throw new Error(`pdftoppm failed on ${fileName}: ${pdfToPng.stderr}`);
    process.stdout.write(`  ${join(OUT, picture)}.png\n`);
  }
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'pictures-'));
  const log = createLogger({}, () => {});
  process.stdout.write('Đang chạy hệ thống cục bộ và kịch bản trình diễn…\n');
  const system = await startSystem({
    stateDir: dir,
    log,
    persist: false,
    sheetsClockScale: 60,
    demo: { stepped: true },
  });
  try {
    const { stack } = system;
    const runtime = stack.runtime;
    const model = runtime.model;
    await templatePicture(dir, model);

    const picture = async (
      unitId: string,
      tab: string,
      opts: Omit<SheetPictureOptions, 'title'>,
      file: string,
      size: [number, number],
    ) => {
      const reg = await runtime.store.unitSheet('so-ket-2020', unitId);
      const workbook = stack.sheets.toWorkbookModel(reg!.spreadsheetId);
      const sheet = workbook.sheets.find((s) => s.title === tab)!;
      await screenshotHtml(sheetHtml(sheet, { ...opts, title: `${workbook.title} — ${tab}` }), join(OUT, file), size);
    };

    // 1. A clerk types "12 buổi" into a number cell: the cell turns red, the note explains, the status says so.
    const { edits } = demoScenario(model);
    const first = edits.find((e) => e.note === 'gõ chữ vào ô số')!;
    await system.stepTo(first.at + 3_600_000);
    const bad = (await runtime.store.state('so-ket-2020', first.unitId))!.issues.find(
      (i) => i.code === 'value.not_number',
    )!;
    await picture(
      first.unitId,
      bad.sheet,
      { rows: [0, 20], cols: [0, 9], openNotes: [bad.cell!] },
      'phan-hoi-o-loi.png',
      [1400, 720],
    );
    const badSheet = await runtime.store.unitSheet('so-ket-2020', first.unitId);
    await viewerPicture(stack.urls.sheets, 'viewer-unit.png', {
      spreadsheetId: badSheet!.spreadsheetId,
      tab: bad.sheet,
    });

    // 2. A part larger than its total in Bảng 2, typed and ticked: the box is ticked but the report is not taken in.
    const part = edits.find((e) => e.note === 'phần lớn hơn tổng')!;
    await system.stepTo(part.at + 3_600_000);
    const lte = (await runtime.store.state('so-ket-2020', part.unitId))!.issues.find(
      (i) => i.code === 'tin_bao.co_gia_tri_vuot_tong_so',
    )!;
    const col = lte.cell!.replace(/\d+/g, '');
    const colIndex = [...col].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    await picture(
      part.unitId,
      lte.sheet,
      { rows: [0, 20], cols: [0, 2], openNotes: [] },
      'phan-hoi-trang-thai.png',
      [900, 260],
    );
    await picture(
      part.unitId,
      lte.sheet,
      { rows: [0, 20], cols: [colIndex - 2, colIndex + 2], openNotes: [lte.cell!] },
      'phan-hoi-bang2.png',
      [1100, 720],
    );

    // 3. The campaign a day after the first round locks: the master and the mailbox.
    await system.stepTo(model.lockAt('so-ket-2020') + 86_400_000);
    await stack.fire('reconcile');
    await stack.fire('refresh-master');
    const { spreadsheetId } = await runtime.store.meta('master');
    const master = stack.sheets.toWorkbookModel(spreadsheetId!);
    const tab = (title: string) => master.sheets.find((s) => s.title === title)!;
    await screenshotHtml(
      sheetHtml(tab('Bảng 1 – Báo cáo sơ kết'), {
        rows: [0, 22],
        cols: [0, 10],
        title: `${master.title} — Bảng 1 – Báo cáo sơ kết`,
      }),
      join(OUT, 'tong-hop-bang1.png'),
      [1500, 820],
    );
    await screenshotHtml(
      sheetHtml(tab('Tình trạng nộp'), { rows: [0, 26], cols: [0, 12], title: `${master.title} — Tình trạng nộp` }),
      join(OUT, 'tong-hop-tinh-trang.png'),
      [1600, 820],
    );
    await reportPictures(dir, runtime, 'so-ket-2020');
    await viewerPicture(stack.urls.sheets, 'viewer-master.png', {
      spreadsheetId: spreadsheetId!,
      tab: 'Tình trạng nộp',
    });
    await viewerPicture(stack.urls.sheets, 'viewer-list.png');
    await screenshotHtml(
      sheetHtml(tab('Khen thưởng'), { rows: [0, 16], cols: [1, 13], title: `${master.title} — Khen thưởng` }),
      join(OUT, 'tong-hop-khen-thuong.png'),
      [1600, 600],
    );

    const mails = await stack.listEmails();
    const reminder =
      mails.find((m) => /Báo cáo đã quá hạn/.test(m.subject)) ?? mails.find((m) => /Nhắc hạn/.test(m.subject));
    const digest = [...mails].reverse().find((m) => /Tổng hợp tình hình/.test(m.subject));
    const mailPage = (m: { subject: string; from: string; to: string[]; text?: string }) =>
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>body{font-family:Arial,"Noto Sans",sans-serif;margin:16px;color:#202124}
      .h{border-bottom:1px solid #ddd;padding-bottom:8px;margin-bottom:12px}.s{font-size:18px;font-weight:bold}.m{color:#5f6368;font-size:13px}
      pre{font-family:inherit;white-space:pre-wrap;font-size:14px;line-height:1.45}</style></head><body><div class="h"><div class="s">${m.subject.replace(/</g, '&lt;')}</div>
      <div class="m">Từ: ${m.from.replace(/</g, '&lt;')} — Đến: ${m.to.join(', ')}</div></div><pre>${(m.text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre></body></html>`;
    if (reminder) await screenshotHtml(mailPage(reminder), join(OUT, 'thu-nhac.png'), [1000, 900]);
    if (digest) await screenshotHtml(mailPage(digest), join(OUT, 'thu-tong-hop.png'), [1000, 1100]);
  } finally {
    await system.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
