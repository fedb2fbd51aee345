/**
 * Incremental collection listeners for @firestore-emulator/server.
 *
 * The emulator answers a collection listener by re-running the query and re-sending every
 * document of it after any write anywhere in the database. Under a campaign's write load
 * (states, aggregates and meta written on every change) that floods the listener's stream
 * and the process runs out of memory. Real Firestore sends only the documents that changed;
 * this replaces the emulator's handling of plain collection listeners (no filter, order or
 * limit beyond the client's implicit order by document name, which is what the Eventarc
 * bridge uses) with that behaviour. Other targets keep the
 * emulator's own handling.
 *
 * Only the in-process fallback is patched: Google's emulator, which runs wherever Java and the
 * Cloud SDK component are installed (local-firestore.ts), already sends only what changed.
 */
import { createRequire } from 'node:module';
import type { FirestoreServer } from '@firestore-emulator/server';

const require = createRequire(import.meta.url);

interface EmulatorDocument {
  getPath(): string;
  toV1DocumentObject(): unknown;
  metadata: { hasExist: boolean };
}
interface EmulatorState {
  emitter: {
    on(event: string, h: (e: { document: EmulatorDocument }) => void): void;
    off(event: string, h: (e: { document: EmulatorDocument }) => void): void;
  };
  v1Query(parent: string, query: unknown): EmulatorDocument[];
  v1Listen(listen: ListenRequest, callback: (value: unknown) => void, onEnd: (handler: () => void) => void): void;
}
interface ListenRequest {
  has_add_target: boolean;
  add_target: {
    target_id: number;
    has_query: boolean;
    query: {
      parent: string;
      structured_query: {
        from: { collection_id: string; all_descendants: boolean }[];
        has_where: boolean;
        has_limit: boolean;
        has_offset: boolean;
        has_start_at: boolean;
        has_end_at: boolean;
        order_by: { field: { field_path: string } }[];
      };
    };
  };
}

const WRITE_EVENTS = ['create-document', 'update-document', 'delete-document'] as const;

export function useIncrementalCollectionListeners(server: FirestoreServer): void {
  const proto = require('@firestore-emulator/proto/dist/google/firestore/v1/firestore') as {
    ListenResponse: { fromObject(o: unknown): unknown };
    TargetChangeTargetChangeType: { NO_CHANGE: number; ADD: number; CURRENT: number };
  };
  const state = (server as unknown as { state: EmulatorState }).state;
  if (!state || typeof state.v1Listen !== 'function' || !state.emitter) {
    throw new Error('@firestore-emulator/server changed shape: state.v1Listen / state.emitter not found');
  }
  const original = state.v1Listen.bind(state);
  const readTime = () => {
    const now = Date.now();
    return { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1_000_000 };
  };
  const { ListenResponse, TargetChangeTargetChangeType: ChangeType } = proto;

  state.v1Listen = (listen, callback, onEnd) => {
    const target = listen.has_add_target && listen.add_target.has_query ? listen.add_target : null;
    const structuredQuery = target?.query.structured_query;
    const plain =
      structuredQuery &&
      structuredQuery.from.length === 1 &&
      !structuredQuery.from[0]!.all_descendants &&
      !structuredQuery.has_where &&
      !structuredQuery.has_limit &&
      !structuredQuery.has_offset &&
      !structuredQuery.has_start_at &&
      !structuredQuery.has_end_at &&
      structuredQuery.order_by.every((o) => o.field.field_path === '__name__');
    if (!target || !structuredQuery || !plain) return original(listen, callback, onEnd);

    const targetId = target.target_id;
    const prefix = `${target.query.parent}/${structuredQuery.from[0]!.collection_id}/`;
    const inCollection = (path: string) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/');
    const globalSnapshot = () =>
      callback(
        ListenResponse.fromObject({
          target_change: { read_time: readTime(), target_change_type: ChangeType.NO_CHANGE, target_ids: [] },
        }),
      );

    callback(
      ListenResponse.fromObject({ target_change: { target_change_type: ChangeType.ADD, target_ids: [targetId] } }),
    );
    for (const doc of state.v1Query(target.query.parent, structuredQuery)) {
      callback(
        ListenResponse.fromObject({ document_change: { document: doc.toV1DocumentObject(), target_ids: [targetId] } }),
      );
    }
    callback(
      ListenResponse.fromObject({
        target_change: { read_time: readTime(), target_change_type: ChangeType.CURRENT, target_ids: [targetId] },
      }),
    );
    globalSnapshot();

    const onWrite = ({ document }: { document: EmulatorDocument }) => {
      const path = document.getPath();
      if (!inCollection(path)) return;
      // After the write completes, as the emulator's own handler does.
      setImmediate(() => {
        if (document.metadata.hasExist)
          callback(
            ListenResponse.fromObject({
              document_change: { document: document.toV1DocumentObject(), target_ids: [targetId] },
            }),
          );
        else
          callback(
            ListenResponse.fromObject({
              document_delete: { document: path, removed_target_ids: [targetId], read_time: readTime() },
            }),
          );
        globalSnapshot();
      });
    };
    for (const event of WRITE_EVENTS) state.emitter.on(event, onWrite);
    onEnd(() => {
      for (const event of WRITE_EVENTS) state.emitter.off(event, onWrite);
    });
  };
}
