/**
 * The workload checks: the production code path, run once against the target on scratch
 * files, as provisioning and the pipeline run it — the same layout renderers and adapters
 * (functions/layout, SheetsWorkbooks, SheetsMaster, DriveFiles), the production read mask,
 * core feedback planning, a Drive changes watch on the deployed webhook, a share, a Firestore
 * document. Everything created is recorded, and `cleanup` removes it whatever failed.
 *
 * Scratch files carry only `preflight` appProperties, never the campaign's keys, so neither
 * provisioning nor the pipeline ever mistakes one for a unit's sheet.
 */
import { randomBytes } from 'node:crypto';
import type { drive_v3 } from '@googleapis/drive';
import type { Dependencies } from '../../functions/wiring.js';
import { a1, quoteSheetName } from '../../functions/core/a1.js';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import { planFeedback } from '../../functions/core/feedback.js';
import { cellAt } from '../../functions/core/grid.js';
import type { LocatedFigures } from '../../functions/core/locate.js';
import { buildMasterView } from '../../functions/core/master-view.js';
import { statusLine } from '../../functions/core/status-text.js';
import { channelToken } from '../../functions/handlers/auth.js';
import {
  buildMasterWorkbook,
  masterWorkbookTitle,
  NOMINATIONS_TAB_TITLE,
} from '../../functions/layout/master-workbook.js';
import { buildUnitWorkbook, unitWorkbookTitle } from '../../functions/layout/unit-workbook.js';
import { statusOf } from '../../functions/adapters/retry.js';
import { checkSharedDriveSharing } from '../../functions/app/provision.js';
import { errorText, fail, pass, type Check, type Verdict } from './report.js';

export interface WorkloadContext {
  deps: Pick<Dependencies, 'model' | 'files' | 'workbooks' | 'master' | 'db' | 'googleNow' | 'now'>;
  /** The raw Drive client: deleting scratch files and reading the shared drive's settings. */
  drive: drive_v3.Drive;
  /** The deployed driveWebhook (Drive pushes go there). */
  webhookUrl: string | null;
  /** The webhook's secret when known (local stack, or WEBHOOK_SECRET for google). */
  webhookSecret: string | null;
  /** Who is asked to be a writer of the scratch unit sheet; null skips the share check. */
  shareTest: string | null;
  sharedDriveId: string | null;
  /** Accounts allowed to edit protected ranges (the functions' service account). */
  editors: string[];
  /** Distinguishes this run's scratch objects. */
  runId: string;
  /** How Drive is addressed in fixes ("ổ dùng chung …" / "trình giả lập"). */
  target: 'google' | 'local';
}

/** What the checks created, for the cleanup. */
export interface Scratch {
  files: { id: string; label: string }[];
  channel: { id: string; resourceId: string } | null;
  firestoreDoc: string | null;
}

export const SCRATCH_APP_PROPERTY = 'preflight';
export const SCRATCH_COLLECTION = 'preflight';
export const newRunId = () =>
  `${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;

/** The first unit and round whose workbook has a figures table: the richest layout to try. */
function scratchTarget(model: WorkloadContext['deps']['model']): { unitId: string; roundId: string } {
  for (const round of model.campaign.rounds) {
    for (const unit of model.campaign.units) {
      if (model.tablesFor(unit.id, round.id).some(({ table }) => table.kind === 'figures'))
        return { unitId: unit.id, roundId: round.id };
    }
  }
  const round = model.campaign.rounds[0]!;
  const unit = model.campaign.units.find((u) => model.hasWorkbook(u.id, round.id))!;
  return { unitId: unit.id, roundId: round.id };
}

const TEXT_IN_NUMBER_CELL = '12 buổi';

/** Builds a layout; an exception here is the code's or the campaign file's, not Google's refusal. */
function buildLocally<T>(build: () => T, where: string): { built: T } | { verdict: Verdict } {
  try {
    return { built: build() };
  } catch (e) {
    return {
      verdict: fail(
        `Không dựng được bố cục từ tệp chiến dịch (chưa gửi gì tới Google): ${errorText(e)}`,
        `sửa tệp chiến dịch (--schema) hoặc ${where}`,
      ),
    };
  }
}

export function workloadChecks(ctx: WorkloadContext, scratch: Scratch): { checks: Check[]; cleanup: Check } {
  const { deps } = ctx;
  const { model } = deps;
  const { unitId, roundId } = scratchTarget(model);
  const driveFix =
    ctx.target === 'google'
      ? ctx.sharedDriveId
        ? `thêm tài khoản dịch vụ của các hàm làm "Quản lý nội dung" (Content manager) của ổ dùng chung ${ctx.sharedDriveId}, và bật Sheets API, Drive API cho dự án`
        : 'cấp quyền Drive cho tài khoản đang chạy (xem mục "Who owns the spreadsheets" trong README)'
      : 'kiểm tra trình giả lập Sheets/Drive (npm start)';
  let unitFile: string | null = null;
  let lastRead: { ev: Evaluation; sheetIds: Map<string, number> } | null = null;

  const create = async (title: string, role: string) => {
    const file = await deps.files.createSpreadsheet(`[preflight ${ctx.runId}] ${title}`, {
      [SCRATCH_APP_PROPERTY]: ctx.runId,
      role: `preflight-${role}`,
    });
    scratch.files.push({ id: file.id, label: role });
    return file.id;
  };
  const readAndEvaluate = async (id: string) => {
    const { grid, sheetIds } = await deps.workbooks.read(id);
    const evaluation = evaluateWorkbook(model, unitId, roundId, grid, { otherNominations: [] });
    lastRead = { ev: evaluation, sheetIds };
    return { ev: evaluation, sheetIds, grid };
  };
  const needs = (what: string | null, step: string): Verdict | null =>
    what ? null : fail(`Bỏ qua vì bước "${step}" chưa thành công`, `sửa lỗi ở bước "${step}" trước`);

  const checks: Check[] = [
    {
      id: 'unit-workbook',
      title: 'Tạo bảng tính đơn vị thử với bố cục thật',
      async run() {
        const workbook = buildLocally(
          () => buildUnitWorkbook(model, unitId, roundId, { editors: ctx.editors }),
          'functions/layout/unit-workbook.ts',
        );
        if ('verdict' in workbook) return workbook.verdict;
        const id = await create(unitWorkbookTitle(model, unitId, roundId), 'unit');
        try {
          await deps.workbooks.render(id, workbook.built);
        } catch (e) {
          return fail(
            `Google từ chối các yêu cầu bố cục của ${unitId}/${roundId}: ${errorText(e)}`,
            'lỗi nói về gộp ô (merge) hay cố định dòng/cột (frozen): sửa bố cục trong functions/layout; lỗi quyền (403): ' +
              driveFix,
          );
        }
        unitFile = id;
        return pass(`đã tạo và dựng ${workbook.built.sheets.length} trang cho ${unitId}/${roundId} (${id})`);
      },
    },
    {
      id: 'master-workbook',
      title: 'Tạo bảng tổng hợp thử và làm mới nó như lịch refresh-master',
      async run() {
        const now = deps.now();
        const workbook = buildLocally(
          () =>
            buildMasterWorkbook(model, buildMasterView(model, { now, rounds: [], shortlist: new Set() }), now, {
              editors: ctx.editors,
            }),
          'functions/layout/master-workbook.ts',
        );
        if ('verdict' in workbook) return workbook.verdict;
        const id = await create(masterWorkbookTitle(model), 'master');
        try {
          await deps.workbooks.render(id, workbook.built);
        } catch (e) {
          return fail(
            `Google từ chối các yêu cầu dựng bảng tổng hợp: ${errorText(e)}`,
            'sửa bố cục trong functions/layout/master-workbook.ts (gộp ô qua dòng/cột cố định bị từ chối)',
          );
        }
        // The master refresh: read the shortlist and the structure, replace the content (functions/app/master.ts).
        try {
          const [shortlist, structure] = await Promise.all([
            deps.master.readShortlist(id, NOMINATIONS_TAB_TITLE),
            deps.master.structure(id),
          ]);
          const { requests } = await deps.master.replaceContent(
            id,
            buildMasterWorkbook(model, buildMasterView(model, { now, rounds: [], shortlist }), now),
            structure,
          );
          return pass(`đã dựng bảng tổng hợp (${structure.length} trang) và làm mới bằng ${requests} yêu cầu (${id})`);
        } catch (e) {
          return fail(
            `Google từ chối lần làm mới bảng tổng hợp: ${errorText(e)}`,
            'thứ tự bỏ gộp / cố định / gộp ô khi làm mới phải hợp lệ ở mọi bước (functions/layout/sheets-render.ts)',
          );
        }
      },
    },
    {
      id: 'read-back',
      title: 'Đọc lại bảng tính đơn vị với field mask của hệ thống',
      async run() {
        const blocked = needs(unitFile, 'Tạo bảng tính đơn vị thử');
        if (blocked) return blocked;
        const { ev: evaluation } = await readAndEvaluate(unitFile!);
        const expected = model.tablesFor(unitId, roundId).length;
        const structural = evaluation.issues.filter((i) => i.code.startsWith('structure.'));
        const identityOk =
          evaluation.located.identity?.unitId === unitId && evaluation.located.identity.roundId === roundId;
        if (!identityOk || evaluation.located.tables.size !== expected || structural.length) {
          const what = [
            !identityOk ? 'không nhận ra đơn vị/đợt' : '',
            evaluation.located.tables.size !== expected
              ? `tìm thấy ${evaluation.located.tables.size}/${expected} bảng`
              : '',
            ...structural.slice(0, 3).map((i) => `${i.sheet}!${i.cell ?? ''} ${i.message}`),
          ].filter(Boolean);
          return fail(
            `Bảng tính đọc lại không khớp bố cục: ${what.join('; ')}`,
            'field mask UNIT_SHEET_READ_FIELDS (functions/layout/sheets-read.ts) phải trả đủ giá trị và ô gộp; so với trình giả lập',
          );
        }
        return pass(`tìm thấy mã đơn vị và ${expected} bảng, trạng thái "${evaluation.status}"`);
      },
    },
    {
      id: 'feedback',
      title: 'Ghi phản hồi vào bảng tính như khi kiểm tra số liệu',
      async run() {
        const blocked = needs(lastRead ? unitFile : null, 'Đọc lại bảng tính đơn vị');
        if (blocked) return blocked;
        const figures = [...lastRead!.ev.located.tables.values()].find(
          (t): t is LocatedFigures => t.kind === 'figures',
        );
        if (!figures) return pass('bảng tính thử không có bảng số liệu; bỏ qua ô sai mẫu');
        const row = [...figures.periodRows.values()][0]!;
        const col = [...figures.columns.values()][0]!;
        const cell = a1(row, col);
        // A clerk's typical mistake, typed as a clerk types it.
        await deps.workbooks.writeValues(
          unitFile!,
          [{ range: `${quoteSheetName(figures.sheet.title)}!${cell}`, values: [[TEXT_IN_NUMBER_CELL]] }],
          'USER_ENTERED',
        );
        const { ev: evaluation, sheetIds } = await readAndEvaluate(unitFile!);
        const flagged = evaluation.issues.find(
          (i) => i.sheet === figures.sheet.title && i.cell === cell && i.severity === 'error',
        );
        if (!flagged)
          return fail(
            `Gõ "${TEXT_IN_NUMBER_CELL}" vào ${figures.sheet.title}!${cell} nhưng không thấy lỗi ở ô đó`,
            'kiểm tra cách đọc giá trị đã gõ (formattedValue, userEnteredValue) trong functions/layout/sheets-read.ts',
          );
        const status = statusLine(model, roundId, { ...evaluation, pendingCount: evaluation.pending.length }, null);
        const plan = planFeedback(model, evaluation, status);
        const requests = await deps.workbooks.writeFeedback(unitFile!, sheetIds, plan);
        const after = await deps.workbooks.read(unitFile!);
        const statusCell = plan.statusCells[0];
        const shown = statusCell
          ? cellAt(
              after.grid.sheets.find((s) => s.title === statusCell.sheet)!,
              statusCell.row,
              statusCell.col,
            )?.v
          : null;
        if (statusCell && shown !== status.text)
          return fail(
            `Đã ghi ${requests} yêu cầu phản hồi nhưng dòng Tình trạng đọc lại là "${String(shown)}"`,
            'kiểm tra feedbackRequests trong functions/adapters/sheets-workbooks.ts',
          );
        return pass(
          `ô ${figures.sheet.title}!${cell} bị đánh dấu lỗi; ${requests} yêu cầu phản hồi đã ghi; dòng Tình trạng: "${status.text}"`,
        );
      },
    },
    {
      id: 'drive-watch',
      title: 'Mở và đóng kênh theo dõi thay đổi Drive tới driveWebhook',
      async run() {
        if (!ctx.webhookUrl)
          return fail('Không biết địa chỉ driveWebhook', 'triển khai driveWebhook trước (npm run deploy)');
        const id = `preflight-${ctx.runId}`;
        const pageToken = await deps.files.startPageToken();
        // The right token when the secret is known (the webhook then answers Drive's sync);
        // otherwise one the webhook refuses, which Drive ignores for a channel this short.
        const token = ctx.webhookSecret ? channelToken(ctx.webhookSecret, id) : randomBytes(16).toString('hex');
        let channel;
        try {
          channel = await deps.files.watchChanges(pageToken, {
            id,
            address: ctx.webhookUrl,
            token,
            expiration: deps.googleNow() + 10 * 60_000,
          });
        } catch (e) {
          return fail(
            `Drive không mở được kênh tới ${ctx.webhookUrl}: ${errorText(e)}`,
            'địa chỉ phải là https, công khai (driveWebhook triển khai với --allow-unauthenticated); ' + driveFix,
          );
        }
        scratch.channel = { id: channel.id, resourceId: channel.resourceId };
        await deps.files.stopChannel(channel.id, channel.resourceId);
        scratch.channel = null;
        // The webhook must be reachable without IAM and refuse a bad channel token.
        const refused = await fetch(ctx.webhookUrl, {
          method: 'POST',
          headers: {
            'x-goog-channel-id': id,
            'x-goog-channel-token': 'preflight-wrong-token',
            'x-goog-resource-state': 'sync',
          },
          signal: AbortSignal.timeout(30_000),
        });
        await refused.text();
        if (refused.status !== 401) {
          const why =
            refused.status === 403
              ? 'Google chặn trước khi tới hàm (thiếu quyền gọi công khai)'
              : `trả ${refused.status} thay vì 401`;
          return fail(
            `Kênh mở/đóng được, nhưng driveWebhook ${why} với mã kênh sai`,
            refused.status === 403
              ? 'chạy: gcloud functions add-invoker-policy-binding driveWebhook --member=allUsers --region=… --project=…'
              : 'kiểm tra driveWebhook trong functions/handlers/http.ts',
          );
        }
        let synced = '';
        if (ctx.webhookSecret) {
          const ok = await fetch(ctx.webhookUrl, {
            method: 'POST',
            headers: { 'x-goog-channel-id': id, 'x-goog-channel-token': token, 'x-goog-resource-state': 'sync' },
            signal: AbortSignal.timeout(30_000),
          });
          await ok.text();
          if (ok.status !== 200)
            return fail(
              `driveWebhook từ chối mã kênh đúng (${ok.status})`,
              'khóa WEBHOOK_SECRET của các hàm phải trùng với khóa dùng để mở kênh',
            );
          synced = ', nhận thông báo sync có mã đúng (200)';
        }
        return pass(`kênh ${channel.id} mở tới ${ctx.webhookUrl} rồi đóng; webhook từ chối mã sai (401)${synced}`);
      },
    },
    {
      id: 'share',
      title: 'Chia sẻ bảng tính thử với địa chỉ thử',
      async run() {
        if (!ctx.shareTest) return pass('bỏ qua: không có --share-test <địa chỉ>');
        const blocked = needs(unitFile, 'Tạo bảng tính đơn vị thử');
        if (blocked) return blocked;
        try {
          await deps.files.share(unitFile!, ctx.shareTest, 'writer');
        } catch (e) {
          return fail(
            `Drive từ chối chia sẻ với ${ctx.shareTest}: ${errorText(e)}`,
            'địa chỉ không có tài khoản Google cần gửi thư mời; ổ dùng chung phải cho phép chia sẻ ra ngoài tổ chức (Quản trị viên: Ứng dụng → Drive → Chia sẻ) nếu đơn vị dùng tên miền khác',
          );
        }
        const perms = await deps.files.permissions(unitFile!);
        const got = perms.find((p) => p.emailAddress?.toLowerCase() === ctx.shareTest!.toLowerCase());
        return got
          ? pass(`${ctx.shareTest} là ${got.role} của bảng tính thử`)
          : fail(
              `Chia sẻ xong nhưng ${ctx.shareTest} không có trong danh sách quyền`,
              'thử lại sau ít phút; nếu vẫn vậy, kiểm tra chính sách chia sẻ của tổ chức',
            );
      },
    },
    {
      id: 'firestore',
      title: 'Ghi và đọc một tài liệu Firestore',
      async run() {
        const ref = deps.db.collection(SCRATCH_COLLECTION).doc(ctx.runId);
        const written = {
          runId: ctx.runId,
          at: new Date(deps.now()).toISOString(),
          text: 'Kiểm tra trước khi dùng — tiếng Việt có dấu',
        };
        scratch.firestoreDoc = ref.path;
        await ref.set(written);
        const snap = await ref.get();
        const read = snap.data();
        return read && read['text'] === written.text && read['runId'] === ctx.runId
          ? pass(`đã ghi và đọc lại ${ref.path}`)
          : fail(
              `Đọc lại ${ref.path} không giống đã ghi`,
              'kiểm tra cơ sở dữ liệu Firestore (default) ở chế độ native và quyền roles/datastore.user của tài khoản dịch vụ',
            );
      },
    },
  ];

  if (ctx.target === 'google' && ctx.sharedDriveId) {
    checks.push({
      id: 'shared-drive',
      title: `Cài đặt chia sẻ của ổ dùng chung ${ctx.sharedDriveId}`,
      async run() {
        // The same judgement provisioning reports (functions/app/provision.ts), so the two never disagree.
        const found = await checkSharedDriveSharing(deps.files, model);
        if (!found)
          return fail(
            'các hàm không dùng ổ dùng chung (SHARED_DRIVE_ID trống)',
            'triển khai lại với --shared-drive-id',
          );
        return found.problems.length
          ? fail(
              `Ổ "${found.name}": ${found.problems.join(' ')}`,
              'người quản lý ổ mở Cài đặt ổ dùng chung và đổi như trên, rồi chạy lại npm run preflight',
            )
          : pass(`ổ "${found.name}" cho phép chia sẻ tệp với các đơn vị và không cho chia sẻ ra ngoài tổ chức`);
      },
    });
  }

  const cleanup: Check = {
    id: 'cleanup',
    title: 'Dọn dẹp: xóa tệp, kênh và tài liệu thử',
    async run() {
      const done: string[] = [];
      const left: string[] = [];
      const channel = scratch.channel;
      if (channel) {
        try {
          await deps.files.stopChannel(channel.id, channel.resourceId);
          done.push(`đóng kênh ${channel.id}`);
          scratch.channel = null;
        } catch (e) {
          left.push(`kênh ${channel.id} (${errorText(e)})`);
        }
      }
      for (const file of [...scratch.files]) {
        try {
          await ctx.drive.files.delete({ fileId: file.id, supportsAllDrives: true });
          done.push(`xóa ${file.label} ${file.id}`);
        } catch (e) {
          // In a shared drive only a manager may delete outright; a content manager may trash.
          if (statusOf(e) !== 403) {
            left.push(`tệp ${file.id} (${errorText(e)})`);
            continue;
          }
          try {
            await ctx.drive.files.update({ fileId: file.id, supportsAllDrives: true, requestBody: { trashed: true } });
            done.push(`chuyển ${file.label} ${file.id} vào thùng rác`);
          } catch (e2) {
            left.push(`tệp ${file.id} (${errorText(e2)})`);
            continue;
          }
        }
        scratch.files.splice(scratch.files.indexOf(file), 1);
      }
      if (scratch.firestoreDoc) {
        try {
          await deps.db.doc(scratch.firestoreDoc).delete();
          done.push(`xóa ${scratch.firestoreDoc}`);
          scratch.firestoreDoc = null;
        } catch (e) {
          left.push(`tài liệu ${scratch.firestoreDoc} (${errorText(e)})`);
        }
      }
      if (left.length)
        return fail(
          `Còn lại: ${left.join('; ')}`,
          `xóa thủ công các mục trên (tệp có tên bắt đầu "[preflight ${ctx.runId}]")`,
        );
      return pass(done.length ? done.join(', ') : 'không có gì phải dọn');
    },
  };
  return { checks, cleanup };
}
