/**
 * The Firestore documents N processed communes leave behind (registration, unit state, accepted
 * submission, aggregate tree), built from one real evaluation with every figure scaled per
 * unit. No heavy imports: the sweep's child process uses this without loading exceljs.
 */
import { computeAllNodes, ledgerOf, type NodeTotals } from '../../functions/core/aggregate.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import type { Evaluation } from '../../functions/core/evaluate.js';
import { FirestoreStore, versionId } from '../../functions/adapters/firestore-store.js';
import type {
  AggregatePartRecord,
  AggregateRecord,
  IssueRecord,
  SheetRegistration,
  SubmissionRecord,
  UnitRoundState,
} from '../../functions/app/records.js';
import { communesOf, ROUND } from './campaign.js';
import type { MemoryFirestore } from './memory-firestore.js';

/** What a submission copies from an evaluation. */
export type SubmissionTemplate = Pick<Evaluation, 'values' | 'totals' | 'confirmation'>;

/** A stable size factor per unit, 0.6 … 1.6. */
export function unitFactor(unitId: string): number {
  let hash = 2166136261;
  for (const character of unitId) hash = Math.imul(hash ^ character.codePointAt(0)!, 16777619) >>> 0;
  return 0.6 + (hash % 1000) / 1000;
}

function scaleNumbers<T>(value: T, factor: number): T {
  if (typeof value === 'number') return (Math.round(value * factor * 10) / 10) as T;
  if (Array.isArray(value)) return value.map((v) => scaleNumbers(v, factor)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scaleNumbers(v, factor)])) as T;
  return value;
}

export function submissionFor(
  model: CampaignModel,
  template: SubmissionTemplate,
  unitId: string,
  sourceVersion: number,
  at: number,
  factor = unitFactor(unitId),
): SubmissionRecord {
  const unit = model.unit(unitId);
  return {
    unitId,
    roundId: ROUND,
    kind: unit.kind,
    parentId: unit.parent,
    versionCount: 1,
    versionId: versionId(sourceVersion),
    sourceVersion,
    contentHash: `h-${unitId}-${sourceVersion}`,
    acceptedAt: at,
    firstAcceptedAt: at,
    late: false,
    confirmation: template.confirmation,
    values: scaleNumbers(template.values, factor),
    totals: scaleNumbers(template.totals, factor),
    nominations: [],
    quotaOverruns: [],
    warnings: [],
  };
}

export type SeededStatus = 'submitted' | 'draft' | 'invalid' | 'none';
/** The mix of a round a few days before its deadline: 60 % in, 20 % typing, 10 % with errors, 10 % not started. */
export const statusMix = (i: number): SeededStatus =>
  (
    [
      'submitted',
      'submitted',
      'submitted',
      'submitted',
      'submitted',
      'submitted',
      'draft',
      'draft',
      'invalid',
      'none',
    ] as const
  )[i % 10]!;

const ISSUES: IssueRecord[] = Array.from({ length: 4 }, (_, i) => ({
  sheet: 'Bảng 1',
  cell: `C${10 + i}`,
  code: 'figure.not_integer',
  severity: 'error' as const,
  message: `Ô C${10 + i}: số liệu phải là số nguyên không âm; đơn vị đã nhập "12,5".`,
}));

export interface CommuneDocs {
  registration: SheetRegistration;
  state: UnitRoundState | null;
  submission: SubmissionRecord | null;
}

/** What processing commune number `i` would have left in Firestore, with the given status. */
export function communeDocs(
  model: CampaignModel,
  template: SubmissionTemplate,
  unitId: string,
  status: SeededStatus,
  at: number,
): CommuneDocs {
  return {
    registration: registrationFor(unitId, at),
    state: stateFor(unitId, status, at),
    submission: status === 'submitted' ? submissionFor(model, template, unitId, 1, at) : null,
  };
}

export function registrationFor(unitId: string, at: number): SheetRegistration {
  return {
    spreadsheetId: `sheet-${unitId}`,
    unitId,
    roundId: ROUND,
    url: `https://docs.google.com/spreadsheets/d/sheet-${unitId}/edit`,
    createdAt: at,
  };
}

export function stateFor(unitId: string, status: SeededStatus, at: number): UnitRoundState | null {
  if (status === 'none') return null;
  return {
    unitId,
    roundId: ROUND,
    status: status === 'submitted' ? 'ready' : status,
    submitted: status === 'submitted',
    errors: status === 'invalid' ? ISSUES.length : 0,
    warnings: 0,
    pendingCount: status === 'draft' ? 12 : 0,
    issues: status === 'invalid' ? ISSUES : [],
    issuesTruncated: false,
    contentHash: `h-${unitId}-1`,
    seenVersion: 1,
    evaluatedAt: at,
    feedbackHash: `f-${unitId}`,
    lockedOut: false,
    nominations: [],
    quotaOverruns: [],
    dossierMissing: [],
  };
}

/**
 * The aggregate tree for these submissions, as the incremental path would have stored it: each
 * node with its exact ledger, and one part document per direct child with figures.
 */
export function aggregateDocs(
  store: FirestoreStore,
  model: CampaignModel,
  submitted: Map<string, NodeTotals>,
  at: number,
): [string, AggregateRecord | AggregatePartRecord][] {
  const out: [string, AggregateRecord | AggregatePartRecord][] = [];
  for (const node of computeAllNodes(model, submitted).values()) {
    if (node.contributors === 0) continue;
    const epoch = `seeded-${node.nodeId}`;
    const children = Object.entries(node.children).filter(([, c]) => c.contributors > 0);
    out.push([
      store.aggregateRef(ROUND, node.nodeId).path,
      {
        nodeId: node.nodeId,
        roundId: ROUND,
        parentId: node.parentId,
        own: node.own,
        ownSeq: node.own ? 1 : 0,
        totals: node.totals,
        contributors: node.contributors,
        seq: 1,
        updatedAt: at,
        epoch,
        ledger: ledgerOf([node.own, ...children.map(([, c]) => c.totals)]),
      },
    ]);
    for (const [childId, child] of children) {
      out.push([
        store.aggregatePartRef(ROUND, node.nodeId, childId).path,
        {
          roundId: ROUND,
          nodeId: node.nodeId,
          childId,
          totals: child.totals,
          seq: 1,
          contributors: child.contributors,
          epoch,
          updatedAt: at,
        },
      ]);
    }
  }
  return out;
}

const colPath = (store: FirestoreStore, name: string) => store.submissionsPath.replace(/submissions$/, name);

/** Every commune's documents, collection by collection, each built only when that collection is read. */
function* communeCollection(
  model: CampaignModel,
  template: SubmissionTemplate,
  at: number,
  part: 'registration' | 'state' | 'submission',
): Generator<[string, Record<string, unknown>]> {
  const ids = communesOf(model);
  for (let i = 0; i < ids.length; i++) {
    const unitId = ids[i]!;
    const status = statusMix(i);
    const doc =
      part === 'registration'
        ? registrationFor(unitId, at)
        : part === 'state'
          ? stateFor(unitId, status, at)
          : status === 'submitted'
            ? submissionFor(model, template, unitId, 1, at)
            : null;
    if (doc) yield [`${ROUND}__${unitId}`, doc as unknown as Record<string, unknown>];
  }
}

const PARTS = [
  ['unitSheets', 'registration'],
  ['states', 'state'],
  ['submissions', 'submission'],
] as const;

/**
 * The communes' registrations, states and submissions as virtual collections of the memory
 * double: generated afresh on every read, never stored, so the reader's memory is all there is.
 */
export function virtualCommunes(
  db: MemoryFirestore,
  model: CampaignModel,
  template: SubmissionTemplate,
  at: number,
): FirestoreStore {
  const store = new FirestoreStore(db.asFirestore, model.id);
  for (const [name, part] of PARTS)
    db.defineVirtual(colPath(store, name), () => communeCollection(model, template, at, part));
  return store;
}

/** The same documents stored in the memory double (as JSON, parsed on each read like a client deserialises). */
export async function storedCommunes(
  db: MemoryFirestore,
  model: CampaignModel,
  template: SubmissionTemplate,
  at: number,
): Promise<FirestoreStore> {
  const store = new FirestoreStore(db.asFirestore, model.id);
  for (const [name, part] of PARTS) {
    const batch = db.batch();
    for (const [id, data] of communeCollection(model, template, at, part))
      batch.set(db.doc(`${colPath(store, name)}/${id}`), data);
    await batch.commit();
  }
  return store;
}
