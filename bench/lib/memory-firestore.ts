/**
 * An in-memory stand-in for the part of the Firestore client the application uses (documents,
 * collections, equality queries, batches, transactions, create-if-absent), counting reads and
 * writes as Firestore bills them. It exists because the local Firestore emulator copies a whole
 * collection on every write (immer), so seeding 11,000 units takes minutes and a query of 6,600
 * documents takes half a minute; the 30- and 600-unit runs are made against both this double and
 * the emulator, and their read counts must agree (bench/firestore.ts checks it).
 *
 * Documents are stored as JSON text and parsed on every read, as a client deserialises what the
 * server sends, so a reader gets fresh objects and the memory it holds is its own. A collection
 * may instead be "virtual": generated on each read from a function, which lets a child process
 * read 11,000 units' documents without also holding a stored copy of them.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { FirestoreCounts } from './firestore-counter.js';

type Data = Record<string, unknown>;

const isPlain = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(target: Data, patch: Data): Data {
  const out: Data = { ...target };
  for (const [key, value] of Object.entries(patch))
    out[key] = isPlain(value) && isPlain(out[key]) ? deepMerge(out[key] as Data, value) : value;
  return out;
}

function setPath(target: Data, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (isPlain(node[part]) ? node[part] : (node[part] = {})) as Data;
  node[parts[parts.length - 1]!] = value;
}

function fieldOf(data: Data, dotted: string): unknown {
  let node: unknown = data;
  for (const part of dotted.split('.')) node = isPlain(node) ? node[part] : undefined;
  return node;
}

class AlreadyExists extends Error {
  code = 6;
  constructor(path: string) {
    super(`6 ALREADY_EXISTS: Document already exists: ${path}`);
  }
}

class Snapshot {
  constructor(
    readonly ref: DocRef,
    private readonly json: string | undefined,
    private parsed?: Data,
  ) {}
  get exists(): boolean {
    return this.json !== undefined || this.parsed !== undefined;
  }
  get id(): string {
    return this.ref.id;
  }
  data(): Data | undefined {
    if (this.parsed === undefined && this.json !== undefined) this.parsed = JSON.parse(this.json) as Data;
    return this.parsed;
  }
}

class QuerySnap {
  constructor(readonly docs: Snapshot[]) {}
  get size(): number {
    return this.docs.length;
  }
  get empty(): boolean {
    return this.docs.length === 0;
  }
}

type Write = { path: string; op: 'set' | 'merge' | 'update' | 'create' | 'delete'; data?: Data };

class DocRef {
  constructor(
    readonly firestore: MemoryFirestore,
    readonly path: string,
  ) {}
  get id(): string {
    return this.path.slice(this.path.lastIndexOf('/') + 1);
  }
  get parent(): CollectionRef {
    return new CollectionRef(this.firestore, this.path.slice(0, this.path.lastIndexOf('/')));
  }
  collection(name: string): CollectionRef {
    return new CollectionRef(this.firestore, `${this.path}/${name}`);
  }
  async get(): Promise<Snapshot> {
    return this.firestore.read([this])[0]!;
  }
  async set(data: Data, opts?: { merge?: boolean }): Promise<void> {
    this.firestore.apply([{ path: this.path, op: opts?.merge ? 'merge' : 'set', data }]);
  }
  async update(data: Data): Promise<void> {
    this.firestore.apply([{ path: this.path, op: 'update', data }]);
  }
  async create(data: Data): Promise<void> {
    this.firestore.apply([{ path: this.path, op: 'create', data }]);
  }
  async delete(): Promise<void> {
    this.firestore.apply([{ path: this.path, op: 'delete' }]);
  }
}

class Query {
  constructor(
    readonly firestore: MemoryFirestore,
    readonly path: string,
    protected readonly filters: { field: string; value: unknown }[] = [],
    protected readonly order: string | null = null,
    /** A field mask (`select`): null returns whole documents. */
    protected readonly mask: string[] | null = null,
  ) {}
  where(field: string, operator: string, value: unknown): Query {
    if (operator !== '==') throw new Error(`memory firestore: only == filters (got ${operator})`);
    return new Query(this.firestore, this.path, [...this.filters, { field, value }], this.order, this.mask);
  }
  orderBy(field: string): Query {
    return new Query(this.firestore, this.path, this.filters, field, this.mask);
  }
  /**
   * As Firestore's Query.select: each document returned carries only the named fields (dotted
   * paths reach into maps, not into arrays; a field the document lacks is absent); no field at
   * all returns the documents without their data. Billed like the same query without a mask.
   */
  select(...fields: string[]): Query {
    return new Query(this.firestore, this.path, this.filters, this.order, fields);
  }
  async get(): Promise<QuerySnap> {
    return this.firestore.query(this.path, this.filters, this.order, this.mask);
  }
}

/** `data` restricted to the field mask, as Firestore returns a projection. */
export function projectFields(data: Data, mask: readonly string[]): Data {
  const out: Data = {};
  for (const path of mask) {
    const value = fieldOf(data, path);
    if (value !== undefined) setPath(out, path, value);
  }
  return out;
}

class CollectionRef extends Query {
  constructor(firestore: MemoryFirestore, path: string) {
    super(firestore, path);
  }
  get id(): string {
    return this.path.slice(this.path.lastIndexOf('/') + 1);
  }
  doc(id: string): DocRef {
    return new DocRef(this.firestore, `${this.path}/${id}`);
  }
}

class Batch {
  private readonly writes: Write[] = [];
  constructor(private readonly db: MemoryFirestore) {}
  set(ref: DocRef, data: Data, opts?: { merge?: boolean }): this {
    this.writes.push({ path: ref.path, op: opts?.merge ? 'merge' : 'set', data });
    return this;
  }
  update(ref: DocRef, data: Data): this {
    this.writes.push({ path: ref.path, op: 'update', data });
    return this;
  }
  create(ref: DocRef, data: Data): this {
    this.writes.push({ path: ref.path, op: 'create', data });
    return this;
  }
  delete(ref: DocRef): this {
    this.writes.push({ path: ref.path, op: 'delete' });
    return this;
  }
  async commit(): Promise<void> {
    this.db.apply(this.writes);
  }
}

class Transaction extends Batch {
  constructor(private readonly store: MemoryFirestore) {
    super(store);
  }
  async get(ref: DocRef | Query): Promise<Snapshot | QuerySnap> {
    return ref instanceof DocRef ? this.store.read([ref])[0]! : ref.get();
  }
  async getAll(...refs: DocRef[]): Promise<Snapshot[]> {
    return this.store.read(refs);
  }
}

export class MemoryFirestore {
  readonly counts: FirestoreCounts = { reads: 0, writes: 0, readCalls: 0, commits: 0 };
  private readonly collections = new Map<string, Map<string, string>>();
  private readonly virtual = new Map<string, () => Iterable<[string, Data]>>();

  /** The same object typed as the client, for adapters that take a Firestore. */
  get asFirestore(): Firestore {
    return this as unknown as Firestore;
  }

  collection(path: string): CollectionRef {
    return new CollectionRef(this, path);
  }
  doc(path: string): DocRef {
    return new DocRef(this, path);
  }
  batch(): Batch {
    return new Batch(this);
  }
  async runTransaction<T>(updateFunction: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = new Transaction(this);
    const result = await updateFunction(tx);
    await tx.commit();
    return result;
  }
  async terminate(): Promise<void> {}
  /** Several documents in one call (the master's incremental refresh reads a unit's flag documents so). */
  async getAll(...refs: DocRef[]): Promise<Snapshot[]> {
    return this.read(refs);
  }

  /** Serves `collectionPath` from `generate` on every read instead of from stored documents (read-only). */
  defineVirtual(collectionPath: string, generate: () => Iterable<[string, Data]>): void {
    this.virtual.set(collectionPath, generate);
  }

  /** Number of stored documents (virtual collections excluded). */
  get size(): number {
    let count = 0;
    for (const documents of this.collections.values()) count += documents.size;
    return count;
  }

  private split(path: string): [string, string] {
    const slash = path.lastIndexOf('/');
    return [path.slice(0, slash), path.slice(slash + 1)];
  }

  read(refs: DocRef[]): Snapshot[] {
    this.counts.readCalls++;
    this.counts.reads += refs.length;
    return refs.map((ref) => {
      const [col, id] = this.split(ref.path);
      const gen = this.virtual.get(col);
      if (gen) {
        for (const [vid, data] of gen()) if (vid === id) return new Snapshot(ref, undefined, data);
        return new Snapshot(ref, undefined);
      }
      return new Snapshot(ref, this.collections.get(col)?.get(id));
    });
  }

  query(
    path: string,
    filters: { field: string; value: unknown }[],
    order: string | null,
    mask: string[] | null = null,
  ): QuerySnap {
    this.counts.readCalls++;
    const gen = this.virtual.get(path);
    let docs: Snapshot[];
    if (mask) {
      // The server filters, orders and cuts each document to the mask before sending: the
      // reader never holds a whole document, so neither does this double (one at a time).
      const kept: { snap: Snapshot; sortKey: number }[] = [];
      const source: Iterable<[string, Data | string]> = gen
        ? gen()
        : (this.collections.get(path) ?? new Map<string, string>());
      for (const [id, raw] of source) {
        const data = typeof raw === 'string' ? (JSON.parse(raw) as Data) : raw;
        if (!filters.every((f) => fieldOf(data, f.field) === f.value)) continue;
        kept.push({
          snap: new Snapshot(new DocRef(this, `${path}/${id}`), undefined, projectFields(data, mask)),
          sortKey: order ? Number(fieldOf(data, order)) : 0,
        });
      }
      if (order) kept.sort((a, b) => a.sortKey - b.sortKey);
      docs = kept.map((k) => k.snap);
    } else {
      const entries: Snapshot[] = gen
        ? [...gen()].map(([id, data]) => new Snapshot(new DocRef(this, `${path}/${id}`), undefined, data))
        : [...(this.collections.get(path) ?? new Map<string, string>())].map(
            ([id, json]) => new Snapshot(new DocRef(this, `${path}/${id}`), json),
          );
      docs = entries.filter((s) => filters.every((f) => fieldOf(s.data()!, f.field) === f.value));
      if (order) docs = docs.sort((a, b) => Number(fieldOf(a.data()!, order)) - Number(fieldOf(b.data()!, order)));
    }
    this.counts.reads += Math.max(1, docs.length);
    return new QuerySnap(docs);
  }

  apply(writes: Write[]): void {
    this.counts.commits++;
    for (const write of writes) {
      this.counts.writes++;
      const [col, id] = this.split(write.path);
      if (this.virtual.has(col)) throw new Error(`memory firestore: ${col} is read-only`);
      let docs = this.collections.get(col);
      if (!docs) this.collections.set(col, (docs = new Map()));
      const current = docs.get(id);
      switch (write.op) {
        case 'delete':
          docs.delete(id);
          break;
        case 'create':
          if (current !== undefined) throw new AlreadyExists(write.path);
          docs.set(id, JSON.stringify(write.data));
          break;
        case 'set':
          docs.set(id, JSON.stringify(write.data));
          break;
        case 'merge':
          docs.set(
            id,
            JSON.stringify(deepMerge(current === undefined ? {} : (JSON.parse(current) as Data), write.data!)),
          );
          break;
        case 'update': {
          if (current === undefined)
            throw Object.assign(new Error(`5 NOT_FOUND: No document to update: ${write.path}`), { code: 5 });
          const next = JSON.parse(current) as Data;
          for (const [fieldPath, value] of Object.entries(write.data!)) setPath(next, fieldPath, value);
          docs.set(id, JSON.stringify(next));
          break;
        }
      }
    }
  }
}
