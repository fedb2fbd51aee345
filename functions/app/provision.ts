/**
 * Provisioning a campaign: one spreadsheet per unit and round, rendered from the schema,
 * shared (writers: the unit's contacts; readers: the coordinators), registered, plus the
 * coordinators' master sheet and the Drive watch. Idempotent: files are found again by their
 * Drive appProperties, so a second run creates nothing and only repairs drift (a missing
 * registration, a missing share, a file deleted in Drive). Sheets writes are paced under the
 * per-minute quota so no 429 reaches the operator.
 *
 * Sharing survives Drive's rules: an address without a Google account is invited with
 * Drive's notification mail (a Vietnamese message); a contact Drive refuses (outside a shared
 * drive's organisation, a sharing policy, a rate limit that outlived the retries) is listed
 * at the end and provisioning carries on. Only the system shares a unit's sheet: outside
 * shared drives every sheet has `writersCanShare: false`; on a shared drive the drive's
 * restrictions decide, and the report says which to change.
 */
import type { CampaignModel } from '../core/campaign-model.js';
import { isRetryable } from '../app/failures.js';
import { buildMasterView } from '../core/master-view.js';
import { buildMasterWorkbook, masterWorkbookTitle } from '../layout/master-workbook.js';
import { buildUnitWorkbook, unitWorkbookTitle } from '../layout/unit-workbook.js';
import type { Logger } from './log.js';
import { renewWatch, type RenewResult } from './change-detection.js';
import { masterRefreshRequest } from './master.js';
import type {
  FileMeta,
  Files,
  MasterSheets,
  RateLimiter,
  SharedDriveRestrictions,
  Store,
  UnitWorkbooks,
} from './ports.js';

export interface ProvisionDeps {
  model: CampaignModel;
  store: Store;
  files: Files;
  workbooks: UnitWorkbooks;
  master: MasterSheets;
  now: () => number;
  googleNow: () => number;
  log: Logger;
  /** The pace of Sheets writes the adapters keep (the per-minute quota); gives the ETA. */
  writes: RateLimiter;
  /** Accounts allowed to edit protected cells (the service account that writes feedback). */
  editors: string[];
}

export interface ProvisionOptions {
  rounds?: string[];
  dryRun?: boolean;
  webhook?: { address: string | null; secret: string; ttlMs: number };
  onProgress?: (p: { done: number; total: number; label: string; action: string; etaMs: number }) => void;
}

export interface ProvisionReport {
  created: string[];
  repaired: string[];
  unchanged: string[];
  shares: number;
  master: 'created' | 'repaired' | 'unchanged';
  watch: RenewResult | null;
  dryRun: boolean;
  planned: { label: string; action: string }[];
  /** Contacts without a Google account, invited through Drive's notification mail. */
  invited: { label: string; email: string }[];
  /** Every contact Drive would not share with, and why. Provisioning carried on past each. */
  shareFailures: ShareFailure[];
  /** Sheets whose `writersCanShare` was switched off by this run (My Drive only). */
  lockedSharing: string[];
  /** The shared drive in use and what to change in its settings (Vietnamese), if any. */
  sharedDrive: SharedDriveCheck | null;
}

export interface ShareFailure {
  label: string;
  email: string;
  role: 'reader' | 'writer';
  /** Drive's reason (e.g. teamDriveDomainUsersOnlyRestriction). */
  reason: string;
  /** What the operator should do, in Vietnamese. */
  explanation: string;
}

export interface SharedDriveCheck {
  driveId: string;
  name: string;
  restrictions: SharedDriveRestrictions;
  problems: string[];
}

/** The organisation's domain as the campaign knows it: the coordinators' mail domain. */
/** Who the system grants what on a unit's sheet: the unit's contacts write, the coordinators read. Reconcile flags anything else. */
export function unitSheetGrants(model: CampaignModel, unitId: string): { writers: string[]; readers: string[] } {
  return { writers: model.unit(unitId).emails, readers: model.campaign.coordinator.emails };
}

function organisationDomain(model: CampaignModel): string | null {
  const first = model.campaign.coordinator.emails[0];
  return first ? first.slice(first.lastIndexOf('@') + 1).toLowerCase() : null;
}

function allContacts(model: CampaignModel): string[] {
  return [
    ...new Set(
      [...model.campaign.coordinator.emails, ...model.campaign.units.flatMap((u) => u.emails)].map((e) =>
        e.toLowerCase(),
      ),
    ),
  ];
}

/**
 * Which of a shared drive's restrictions stop the campaign from working or let a clerk
 * re-share a unit's sheet, in Vietnamese, for the provisioning report and the preflight check.
 * Drive has no per-file `writersCanShare` in shared drives: its restrictions are the only lock.
 */
export function sharedDriveSharingProblems(
  restrictions: SharedDriveRestrictions,
  contacts: string[],
  domain: string | null,
): string[] {
  const problems: string[] = [];
  const outside = domain ? contacts.filter((e) => !e.toLowerCase().endsWith(`@${domain}`)) : [];
  if (restrictions.driveMembersOnly) {
    problems.push(
      'Tắt "Chỉ thành viên bộ nhớ dùng chung mới được truy cập tệp" (driveMembersOnly): cán bộ đơn vị không phải thành viên nên không chia sẻ được bảng tính cho họ.',
    );
  }
  if (restrictions.domainUsersOnly && outside.length) {
    problems.push(
      `Bộ nhớ dùng chung chỉ cho người trong tổ chức (domainUsersOnly) nên không chia sẻ được cho ${outside.length} địa chỉ ngoài ${domain}: ${outside.join(', ')}. Đổi sang địa chỉ của tổ chức hoặc tắt hạn chế này.`,
    );
  }
  if (!restrictions.domainUsersOnly) {
    problems.push(
      outside.length
        ? `Bộ nhớ dùng chung cho phép chia sẻ ra ngoài tổ chức (domainUsersOnly tắt): cán bộ có quyền sửa có thể chia sẻ bảng tính (cả qua đường liên kết) cho bất kỳ ai. Nên bật domainUsersOnly sau khi chuyển ${outside.length} địa chỉ ngoài ${domain} sang địa chỉ của tổ chức.`
        : 'Bật "Chỉ người dùng trong tổ chức" (domainUsersOnly): hiện cán bộ có quyền sửa có thể chia sẻ bảng tính (cả qua đường liên kết) ra ngoài tổ chức.',
    );
  }
  return problems;
}

/** Reads the shared drive in use (drives.get) and judges its restrictions; null outside shared drives. For preflight too. */
export async function checkSharedDriveSharing(files: Files, model: CampaignModel): Promise<SharedDriveCheck | null> {
  const driveId = files.sharedDriveIdInUse;
  if (!driveId) return null;
  const drive = await files.sharedDrive(driveId);
  return {
    driveId,
    name: drive.name,
    restrictions: drive.restrictions,
    problems: sharedDriveSharingProblems(drive.restrictions, allContacts(model), organisationDomain(model)),
  };
}

/** What the operator should do about a contact Drive refused, by Drive's reason. */
export function explainShareFailure(reason: string, email: string): string {
  switch (reason) {
    case 'teamDriveDomainUsersOnlyRestriction':
    case 'shareOutNotPermitted':
    case 'shareOutNotPermittedToUser':
      return `${email} ở ngoài tổ chức, bộ nhớ dùng chung/chính sách chia sẻ không cho chia sẻ ra ngoài: dùng địa chỉ của tổ chức hoặc đề nghị quản trị viên cho phép.`;
    case 'teamDriveTeamMembersOnlyRestriction':
      return `Bộ nhớ dùng chung chỉ cho thành viên truy cập tệp: tắt hạn chế này hoặc thêm ${email} làm thành viên.`;
    case 'invalidSharingRequest':
    case 'cannotShareTeamDriveWithNonGoogleAccounts':
      return `${email} chưa có tài khoản Google và Drive không gửi được thư mời: đề nghị đơn vị tạo tài khoản Google bằng địa chỉ này (hoặc cung cấp địa chỉ khác) rồi chạy lại provision.`;
    case 'userRateLimitExceeded':
    case 'rateLimitExceeded':
    case 'sharingRateLimitExceeded':
      return `Drive tạm giới hạn số lần chia sẻ: chạy lại provision sau ít phút, hệ thống sẽ chia sẻ nốt cho ${email}.`;
    default:
      return `Drive từ chối chia sẻ cho ${email} (${reason}): kiểm tra địa chỉ rồi chạy lại provision.`;
  }
}

/** The note Drive's invitation mail carries for a contact without a Google account. */
function invitationText(model: CampaignModel, target: Target): string {
  const what = target.kind === 'unit' ? `bảng tính báo cáo của ${model.unit(target.unitId).name}` : 'bảng tổng hợp';
  return `${model.campaign.shortTitle}: đây là ${what}. Địa chỉ thư này chưa gắn với tài khoản Google; để mở bảng tính, đề nghị đăng nhập hoặc tạo tài khoản Google bằng chính địa chỉ này.`;
}

type Target = { kind: 'unit'; unitId: string; roundId: string } | { kind: 'master' };

const appPropsOf = (campaignId: string, t: Target): Record<string, string> =>
  t.kind === 'unit'
    ? { campaign: campaignId, unit: t.unitId, round: t.roundId }
    : { campaign: campaignId, role: 'master' };

/**
 * Finds the target's file by appProperties, or creates it. A creation whose outcome is unknown
 * (a timeout, a 5xx) is followed by another look-up, never by a blind second creation.
 */
async function findOrCreate(
  files: Files,
  name: string,
  props: Record<string, string>,
): Promise<{ file: FileMeta; created: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await files.findByAppProperties(props);
    if (found.length) return { file: found.sort((a, b) => a.id.localeCompare(b.id))[0]!, created: false };
    try {
      return { file: await files.createSpreadsheet(name, props), created: true };
    } catch (e) {
      if (!isRetryable(e)) throw e;
    }
  }
  throw new Error(`could not create ${name}`);
}

export async function provisionCampaign(deps: ProvisionDeps, opts: ProvisionOptions = {}): Promise<ProvisionReport> {
  const { model, store, files, workbooks, writes } = deps;
  const rounds = opts.rounds ?? model.campaign.rounds.map((r) => r.id);
  const targets: Target[] = [];
  for (const roundId of rounds)
    for (const unit of model.campaign.units)
      if (model.hasWorkbook(unit.id, roundId)) targets.push({ kind: 'unit', unitId: unit.id, roundId });
  targets.push({ kind: 'master' });
  const report: ProvisionReport = {
    created: [],
    repaired: [],
    unchanged: [],
    shares: 0,
    master: 'unchanged',
    watch: null,
    dryRun: Boolean(opts.dryRun),
    planned: [],
    invited: [],
    shareFailures: [],
    lockedSharing: [],
    sharedDrive: await checkSharedDriveSharing(files, model),
  };
  for (const problem of report.sharedDrive?.problems ?? [])
    deps.log.warn('shared drive setting to change', { driveId: report.sharedDrive!.driveId, problem });
  const coordinators = model.campaign.coordinator.emails;
  const started = deps.now();
  let done = 0;

  for (const target of targets) {
    const label = target.kind === 'unit' ? `${target.roundId}/${target.unitId}` : 'master';
    const props = appPropsOf(model.id, target);
    const registered = target.kind === 'unit' ? await store.unitSheet(target.roundId, target.unitId) : null;
    const masterMeta = target.kind === 'master' ? await store.meta('master') : null;
    const knownId = registered?.spreadsheetId ?? masterMeta?.spreadsheetId;
    const known = knownId ? await files.meta(knownId) : null;
    let action: string;
    if (opts.dryRun) {
      action = known ? 'kiểm tra chia sẻ' : 'tạo mới';
      report.planned.push({ label, action });
    } else {
      let file = known;
      let created = false;
      if (!file) {
        const name =
          target.kind === 'unit' ? unitWorkbookTitle(model, target.unitId, target.roundId) : masterWorkbookTitle(model);
        ({ file, created } = await findOrCreate(files, name, props));
      }
      const wasRegistered =
        target.kind === 'unit' ? registered?.spreadsheetId === file.id : masterMeta?.spreadsheetId === file.id;
      // Registration happens after rendering, so only an unregistered file can be blank.
      const needsRender = created || (!wasRegistered && !(await hasRendered(deps, file.id)));
      if (needsRender) {
        if (target.kind === 'unit')
          await workbooks.render(
            file.id,
            buildUnitWorkbook(model, target.unitId, target.roundId, { editors: deps.editors }),
          );
        else {
          const now = deps.now();
          const view = buildMasterView(model, { now, rounds: [], shortlist: new Set() });
          await workbooks.render(file.id, buildMasterWorkbook(model, view, now, { editors: deps.editors }));
        }
      }
      const existing = await files.permissions(file.id);
      // The master: the coordinators write (the shortlist column; the rest is protected).
      const { writers, readers } =
        target.kind === 'unit' ? unitSheetGrants(model, target.unitId) : { writers: coordinators, readers: [] };
      const grants: [string, 'reader' | 'writer'][] = [
        ...writers.map((e) => [e, 'writer'] as [string, 'writer']),
        ...readers.map((e) => [e, 'reader'] as [string, 'reader']),
      ];
      let shared = 0;
      for (const [email, role] of grants) {
        const outcome = await files.share(file.id, email, role, existing, invitationText(model, target));
        if (outcome.status === 'granted' || outcome.status === 'invited') shared++;
        if (outcome.status === 'invited') report.invited.push({ label, email });
        if (outcome.status === 'refused') {
          report.shareFailures.push({
            label,
            email,
            role,
            reason: outcome.reason,
            explanation: explainShareFailure(outcome.reason, email),
          });
          deps.log.warn('Drive refused to share a sheet with a contact; carrying on', {
            label,
            email,
            reason: outcome.reason,
            message: outcome.message,
          });
        }
      }
      report.shares += shared;
      // Outside shared drives, writers must not re-share: new files are created so, older ones are repaired.
      let locked = false;
      if (!created && !files.sharedDriveIdInUse) {
        const settings = await files.sharingSettings(file.id);
        if (settings.driveId === null && settings.writersCanShare !== false) {
          await files.forbidWritersSharing(file.id);
          report.lockedSharing.push(label);
          locked = true;
        }
      }
      const url = file.webViewLink ?? `https://docs.google.com/spreadsheets/d/${file.id}/edit`;
      if (!wasRegistered) {
        if (target.kind === 'unit') {
          await store.register({
            spreadsheetId: file.id,
            unitId: target.unitId,
            roundId: target.roundId,
            url,
            createdAt: deps.now(),
          });
          await store.markMasterChange({ roundId: target.roundId, unitId: target.unitId }, deps.now()); // its link, at the master's next refresh
        } else await store.patchMeta('master', { spreadsheetId: file.id, url, ...masterRefreshRequest(deps.now()) });
      }
      const outcome = created
        ? 'created'
        : needsRender || shared || locked || !wasRegistered
          ? 'repaired'
          : 'unchanged';
      if (target.kind === 'master') report.master = outcome;
      else report[outcome].push(label);
      action = outcome === 'created' ? 'đã tạo' : outcome === 'repaired' ? 'đã sửa' : 'không đổi';
    }
    done++;
    const elapsed = deps.now() - started;
    const remainingWrites = targets.length - done;
    // Nothing left is nothing left to wait for, whatever slot the limiter has reserved next.
    const etaMs =
      remainingWrites === 0
        ? 0
        : Math.max(writes.etaMs(remainingWrites), done ? (elapsed / done) * remainingWrites : 0);
    opts.onProgress?.({ done, total: targets.length, label, action, etaMs });
  }
  if (!opts.dryRun && opts.webhook) report.watch = await renewWatch(deps, opts.webhook);
  deps.log.info('provisioning done', {
    created: report.created.length,
    repaired: report.repaired.length,
    unchanged: report.unchanged.length,
    shares: report.shares,
    invited: report.invited.length,
    shareFailures: report.shareFailures.length,
    master: report.master,
  });
  return report;
}

/** A spreadsheet created but not rendered (a crash in between) still has only its blank default tab. */
async function hasRendered(deps: ProvisionDeps, spreadsheetId: string): Promise<boolean> {
  const structure = await deps.master.structure(spreadsheetId);
  return structure.some((s) => s.sheetId !== 0);
}
