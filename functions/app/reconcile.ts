/**
 * Scheduled repair: every node recomputed from the accepted submissions and compared with what
 * is stored; whatever drifted (a crash between storing a submission and aggregating it, a lost
 * event, a race the local emulator does not isolate) is rewritten. Also refreshes the peer
 * statistics the outlier warnings use, and (reconcileSharing) flags every unit sheet shared
 * beyond the grants the system made.
 */
import { computeAllNodes, ledgerOf, totalsFromSubmission, type NodeTotals } from '../core/aggregate.js';
import { canonicalJson } from '../core/canonical-json.js';
import { computePeerStats } from '../core/statistics.js';
import type { AggregatePartRecord } from './records.js';
import type { AggregationDeps } from './aggregate.js';
import { requestMasterRefresh } from './master.js';
import { unitSheetGrants } from './provision.js';
import type { CampaignModel } from '../core/campaign-model.js';
import { statusOf } from '../app/failures.js';
import { SHARING_RULE, type SharingFlagDoc } from './flags.js';
import type { Logger } from './log.js';
import { DRIVE_ROLE_RANK, type Files, type NodeRepair, type Store } from './ports.js';

export interface ReconcileResult {
  roundId: string;
  repaired: string[];
  /** Nodes that changed while this run computed them (a live aggregation won). */
  skipped: string[];
  checked: number;
}

export async function reconcileRound(deps: AggregationDeps, roundId: string): Promise<ReconcileResult> {
  const { model, store } = deps;
  const now = deps.now();
  // Aggregates and their parts are read before submissions, and each repair is written only if
  // its node did not change since (a counted part never changes without its node): a live
  // aggregation that runs meanwhile always wins, and a repair never puts back numbers older
  // than the ones it replaces. What is skipped, the next run checks.
  const stored = new Map((await store.aggregatesOfRound(roundId)).map((a) => [a.nodeId, a]));
  const storedParts = new Map<string, Map<string, AggregatePartRecord>>();
  for (const storedPart of await store.aggregatePartsOfRound(roundId)) {
    if (!storedParts.has(storedPart.nodeId)) storedParts.set(storedPart.nodeId, new Map());
    storedParts.get(storedPart.nodeId)!.set(storedPart.childId, storedPart);
  }
  const submissions = await store.submissionsOfRound(roundId);
  const known = submissions.filter((s) => model.findUnit(s.unitId));
  const own = new Map<string, NodeTotals>(known.map((s) => [s.unitId, totalsFromSubmission(s.totals)]));
  const ownSeq = new Map(known.map((s) => [s.unitId, s.versionCount]));
  const expected = computeAllNodes(model, own);

  const repaired: string[] = [];
  const skipped: string[] = [];
  // Children before parents, so each parent's parts carry their children's new sequence numbers.
  const depth = (id: string) => model.ancestors(id).length;
  const order = [...expected.values()].sort((a, b) => depth(b.nodeId) - depth(a.nodeId));
  const seqOf = new Map<string, number>();
  for (const node of order) {
    const current = stored.get(node.nodeId);
    const parts = Object.entries(node.children)
      .filter(([, c]) => c.contributors > 0)
      .map(([childId, c]) => ({
        childId,
        totals: c.totals,
        contributors: c.contributors,
        seq: seqOf.get(childId) ?? stored.get(childId)?.seq ?? 0,
      }));
    const wanted = new Set(parts.map((p) => p.childId));
    const storedOfNode = storedParts.get(node.nodeId) ?? new Map<string, AggregatePartRecord>();
    // A part counts only in its node's epoch: one from another incarnation is written again.
    const write = parts
      .filter((part) => {
        const storedPart = storedOfNode.get(part.childId);
        return (
          !storedPart ||
          !current?.epoch ||
          storedPart.epoch !== current.epoch ||
          storedPart.contributors !== part.contributors ||
          canonicalJson(storedPart.totals) !== canonicalJson(part.totals)
        );
      })
      .map((p) => p.childId);
    const remove = [...storedOfNode.keys()].filter((childId) => !wanted.has(childId));
    const same =
      current?.epoch &&
      !write.length &&
      !remove.length &&
      canonicalJson(current.totals) === canonicalJson(node.totals) &&
      canonicalJson(current.own) === canonicalJson(node.own) &&
      current.contributors === node.contributors &&
      canonicalJson(current.ledger) === canonicalJson(ledgerOf([node.own, ...parts.map((p) => p.totals)]));
    if (same) {
      seqOf.set(node.nodeId, current.seq);
      continue;
    }
    if (!current && node.contributors === 0) continue; // nothing to store for an empty subtree (stray parts count in no node)
    const repair: NodeRepair = {
      roundId,
      nodeId: node.nodeId,
      parentId: node.parentId,
      own: node.own,
      ownSeq: ownSeq.get(node.nodeId) ?? 0,
      parts,
      write,
      remove,
    };
    const written = await store.repairNode(repair, current?.seq ?? null, now);
    if (!written) {
      skipped.push(node.nodeId);
      continue;
    }
    seqOf.set(node.nodeId, written.seq);
    repaired.push(node.nodeId);
  }
  if (repaired.length) {
    deps.log.warn('aggregates repaired from source submissions', {
      roundId,
      repaired: repaired.slice(0, 50),
      count: repaired.length,
    });
    // The master shows the repaired numbers only once it is rebuilt.
    await requestMasterRefresh(store, now, 'all');
  }
  if (skipped.length)
    deps.log.info('aggregates changed while reconciling; left for the next run', {
      roundId,
      skipped: skipped.slice(0, 50),
      count: skipped.length,
    });

  const byKind = new Map<string, (typeof known)[number]['values'][]>();
  for (const submission of known)
    byKind.set(submission.kind, [...(byKind.get(submission.kind) ?? []), submission.values]);
  for (const [kind, values] of byKind) await store.putPeerStats(roundId, kind, computePeerStats(values), now);
  return { roundId, repaired, skipped, checked: expected.size };
}

// ---------------------------------------------------------------------------------------------
// Sharing: only the system shares a unit's sheet.

export interface SharingReconcileDeps {
  model: CampaignModel;
  store: Store;
  files: Pick<Files, 'permissions'>;
  now: () => number;
  log: Logger;
  /** The accounts the system itself acts as (the functions' service account): theirs are expected. */
  systemAccounts: string[];
}

export interface ExtraGrant {
  type: string;
  role: string;
  /** E-mail for a user or group, domain for a domain grant, null for "anyone". */
  who: string | null;
}

export interface SharingReconcileResult {
  checked: number;
  /** Unit sheets (round/unit) with grants the system did not make. */
  flagged: { roundId: string; unitId: string; grants: ExtraGrant[] }[];
  /** Sheets whose permissions could not be read (deleted in Drive): the next provisioning repairs them. */
  missing: string[];
}

const ROLE_LABEL: Record<string, string> = {
  reader: 'xem',
  commenter: 'nhận xét',
  writer: 'sửa',
  fileOrganizer: 'quản lý',
  organizer: 'quản lý',
  owner: 'chủ sở hữu',
};

function describeGrant(grant: ExtraGrant): string {
  const role = ROLE_LABEL[grant.role] ?? grant.role;
  if (grant.type === 'anyone') return `bất kỳ ai có đường liên kết (${role})`;
  if (grant.type === 'domain') return `mọi người thuộc ${grant.who} có đường liên kết (${role})`;
  return `${grant.who} (${role})`;
}

/** The grants on one unit's sheet beyond those the system made (contacts writer, coordinators reader, itself). */
export function extraGrants(
  permissions: {
    type: string;
    role: string;
    emailAddress: string | null;
    domain: string | null;
    inherited?: boolean;
  }[],
  expected: { writers: string[]; readers: string[]; system: string[] },
): ExtraGrant[] {
  const allowed = new Map<string, number>();
  const allow = (email: string, role: string) =>
    allowed.set(email.toLowerCase(), Math.max(allowed.get(email.toLowerCase()) ?? 0, DRIVE_ROLE_RANK[role]!));
  for (const email of expected.readers) allow(email, 'reader');
  for (const email of expected.writers) allow(email, 'writer');
  for (const email of expected.system) allow(email, 'owner');
  const extra: ExtraGrant[] = [];
  for (const permission of permissions) {
    // The file's owner is the system (outside shared drives); a shared drive's members inherit
    // their access from the drive, which its organizers manage, not from this sheet.
    if (
      permission.inherited ||
      (permission.role === 'owner' &&
        permission.emailAddress &&
        expected.system.some((s) => s.toLowerCase() === permission.emailAddress!.toLowerCase()))
    )
      continue;
    const email = permission.emailAddress?.toLowerCase();
    if (
      (permission.type === 'user' || permission.type === 'group') &&
      email &&
      (DRIVE_ROLE_RANK[permission.role] ?? 9) <= (allowed.get(email) ?? 0)
    )
      continue;
    extra.push({
      type: permission.type,
      role: permission.role,
      who:
        permission.type === 'anyone'
          ? null
          : permission.type === 'domain'
            ? permission.domain
            : (permission.emailAddress ?? null),
    });
  }
  return extra;
}

/**
 * Compares every unit sheet's permissions with those the system granted and flags each extra
 * grant (an added person, a role above the one granted, "anyone with the link", a domain) to
 * the coordinators: a flag the master's status tab shows and the digest mail reports.
 * It never removes a grant: a coordinator may have shared on purpose (a deputy covering a
 * clerk, an inspector), and cutting someone off in the middle of a report is worse than a
 * day's exposure the coordinators can judge; the decision is theirs.
 */
export async function reconcileSharing(deps: SharingReconcileDeps): Promise<SharingReconcileResult> {
  const { model, store, files } = deps;
  const now = deps.now();
  const result: SharingReconcileResult = { checked: 0, flagged: [], missing: [] };
  const wanted = new Map<string, SharingFlagDoc>();
  for (const reg of await store.allUnitSheets()) {
    const unit = model.findUnit(reg.unitId);
    if (!unit || !model.findRound(reg.roundId)) continue;
    let permissions;
    try {
      permissions = await files.permissions(reg.spreadsheetId);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      result.missing.push(`${reg.roundId}/${reg.unitId}`);
      continue;
    }
    result.checked++;
    const extra = extraGrants(permissions, { ...unitSheetGrants(model, unit.id), system: deps.systemAccounts });
    if (!extra.length) continue;
    result.flagged.push({ roundId: reg.roundId, unitId: reg.unitId, grants: extra });
    const reason = `Bảng tính được chia sẻ ngoài hệ thống cho: ${extra.map(describeGrant).join('; ')}. Hệ thống không tự gỡ quyền: đề nghị cán bộ tổng hợp kiểm tra và gỡ nếu không đúng.`;
    wanted.set(JSON.stringify([reg.roundId, reg.unitId]), {
      roundId: reg.roundId,
      unitId: reg.unitId,
      flags: [{ unitId: reg.unitId, rule: SHARING_RULE, reason }],
      grants: extra.map((g) => `${g.type}:${g.who ?? ''}:${g.role}`).sort(),
      at: now,
    });
  }
  // Write only what changed; clear the flags of sheets that are back to the system's grants.
  const changed = await store.replaceFlags('sharing', [...wanted.values()]);
  if (result.flagged.length)
    deps.log.warn('unit sheets shared beyond the system grants', {
      count: result.flagged.length,
      sheets: result.flagged.slice(0, 50).map((f) => `${f.roundId}/${f.unitId}`),
    });
  if (changed) await requestMasterRefresh(store, now, 'flags');
  return result;
}
