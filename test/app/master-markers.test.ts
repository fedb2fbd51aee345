/**
 * The master's change markers, owned by the store. A burst of changes to one
 * unit coalesces into one marker (deterministic id, fresh token each time); clearing deletes a
 * marker only if its token is still the one the refresh read, so a change made during a refresh
 * survives; a unit's flags are its two documents (the sweep's and the sharing reconcile's).
 * Run on the in-memory Firestore double the benchmarks use (bench/lib/memory-firestore.ts),
 * so the lead's master bench can count reads on it.
 */
import { describe, expect, it } from 'vitest';
import { FirestoreStore } from '../../functions/adapters/firestore-store.js';
import { MemoryFirestore } from '../../bench/lib/memory-firestore.js';

const store = () => new FirestoreStore(new MemoryFirestore().asFirestore, 'markers');

describe('master change markers', () => {
  it('coalesce by what changed: one marker per unit of a round, per kind otherwise', async () => {
    const markerStore = store();
    await markerStore.markMasterChange({ roundId: 'r1', unitId: 'u1' }, 1);
    await markerStore.markMasterChange({ roundId: 'r1', unitId: 'u1' }, 2);
    await markerStore.markMasterChange({ roundId: 'r2', unitId: 'u1' }, 3);
    await markerStore.markMasterChange('flags', 4);
    await markerStore.markMasterChange('flags', 5);
    const markers = await markerStore.masterChanges();
    expect(markers.map((m) => [m.id, m.kind, m.at]).sort()).toEqual([
      ['flags', 'flags', 5],
      ['r1__u1', 'unit', 2],
      ['r2__u1', 'unit', 3],
    ]);
    expect(markers.find((m) => m.id === 'r1__u1')).toMatchObject({ roundId: 'r1', unitId: 'u1' });
  });

  it('clearing deletes the markers read, except one marked again since (its token changed)', async () => {
    const markerStore = store();
    await markerStore.markMasterChange({ roundId: 'r1', unitId: 'u1' }, 1);
    await markerStore.markMasterChange({ roundId: 'r1', unitId: 'u2' }, 1);
    const seen = await markerStore.masterChanges();
    await markerStore.markMasterChange({ roundId: 'r1', unitId: 'u2' }, 2); // during the refresh
    await markerStore.markMasterChange('all', 2); // new during the refresh, not seen
    await markerStore.clearMasterChanges(seen);
    expect((await markerStore.masterChanges()).map((m) => m.id).sort()).toEqual(['all', 'r1__u2']);
  });

  it("a unit's flags: the sweep's and the sharing reconcile's records, and nothing of other units", async () => {
    const markerStore = store();
    await markerStore.replaceFlags('sweep', [
      { roundId: 'r1', unitId: 'u1', flags: [{ unitId: 'u1', rule: 'late', reason: 'muộn' }], at: 1 },
      { roundId: 'r1', unitId: 'u2', flags: [{ unitId: 'u2', rule: 'late', reason: 'muộn' }], at: 1 },
    ]);
    await markerStore.replaceFlags('sharing', [
      {
        roundId: 'r1',
        unitId: 'u1',
        flags: [{ unitId: 'u1', rule: 'sharing', reason: 'chia sẻ' }],
        grants: ['anyone:reader'],
        at: 1,
      },
    ]);
    markerStore.reads = 0;
    const flags = await markerStore.unitFlags('r1', 'u1');
    expect(flags.flatMap((r) => r.flags.map((f) => f.rule)).sort()).toEqual(['late', 'sharing']);
    expect(markerStore.reads).toBe(2);
    expect(await markerStore.unitFlags('r1', 'u3')).toEqual([]);
  });
});
