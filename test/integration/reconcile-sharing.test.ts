/**
 * Only the system shares a unit's sheet. A clerk (writer) cannot re-share a
 * provisioned sheet (writersCanShare is off); grants made some other way (an "anyone with the
 * link" switch, an added person, a coordinator raised to writer) are found by the hourly
 * reconcile job, flagged in the master's status tab and in the coordinators' digest, and left
 * in place for a coordinator to decide. Once removed, the flag goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { drive_v3 } from '@googleapis/drive';
import { extraGrants } from '../../functions/app/reconcile.js';
import { currentMasterView } from '../../functions/app/master.js';
import { flagDocId } from '../../functions/adapters/firestore-store.js';
import { clientsFor, failure } from '../emulators/sheets/helpers.js';
import { LOCAL_SERVICE_ACCOUNT, registerUnitSheets } from '../helpers/integration.js';
import { FLAGS_FIELD, storedCollection } from '../helpers/store-documents.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const ROUND = 'so-ket-2020';
const LINKED = 'ubnd-ba-dinh';
const RAISED = 'ubnd-tay-ho';
const CLEAN = 'ubnd-hoan-kiem';
const INTRUDER = 'ban-be@gmail.example';
const COORDINATOR = 'xdpt-tonghop@hanoi.example';

let stack: TestStack;
let ids: Record<string, string>;
let drive: drive_v3.Drive;

type ReconcileResponse = {
  sharing: {
    checked: number;
    flagged: { roundId: string; unitId: string; grants: { type: string; role: string; who: string | null }[] }[];
  };
};

beforeAll(async () => {
  stack = await startTestStack({ at: '2020-07-10T09:00:00+07:00' });
  ids = await registerUnitSheets(stack, ROUND, [LINKED, RAISED, CLEAN]);
  for (const unitId of [LINKED, RAISED, CLEAN]) await stack.runtime.files.share(ids[unitId]!, COORDINATOR, 'reader');
  drive = (stack.runtime.files as unknown as { drive: drive_v3.Drive }).drive;
}, 60_000);
afterAll(() => stack.dispose());

describe('only the system shares a unit sheet', () => {
  it('a clerk with edit rights cannot share the sheet, by address or by link', async () => {
    const clerk = clientsFor(stack.sheets, 'ubnd-ba-dinh@hanoi.example');
    const byAddress = await failure(
      clerk.drive.permissions.create({
        fileId: ids[LINKED]!,
        sendNotificationEmail: false,
        requestBody: { role: 'writer', type: 'user', emailAddress: INTRUDER },
      }),
    );
    expect(byAddress.status).toBe(403);
    expect(
      (
        await failure(
          clerk.drive.permissions.create({ fileId: ids[LINKED]!, requestBody: { role: 'reader', type: 'anyone' } }),
        )
      ).status,
    ).toBe(403);
    expect(stack.sheets.getDriveFileState(ids[LINKED]!)!.permissions.map((p) => p.emailAddress)).toEqual([
      'ubnd-ba-dinh@hanoi.example',
      COORDINATOR,
    ]);
  });

  it('the reconcile job flags every grant the system did not make, and removes none', async () => {
    // Made by someone who could: the link switched on, a person added, a coordinator raised to writer.
    await drive.permissions.create({ fileId: ids[LINKED]!, requestBody: { role: 'reader', type: 'anyone' } });
    await drive.permissions.create({
      fileId: ids[LINKED]!,
      sendNotificationEmail: false,
      requestBody: { role: 'writer', type: 'user', emailAddress: INTRUDER },
    });
    await drive.permissions.create({
      fileId: ids[RAISED]!,
      sendNotificationEmail: false,
      requestBody: { role: 'writer', type: 'user', emailAddress: COORDINATOR },
    });

    const response = (await stack.fire('reconcile')) as ReconcileResponse;
    expect(response.sharing.checked).toBe(3);
    const flagged = Object.fromEntries(response.sharing.flagged.map((f) => [f.unitId, f.grants]));
    expect(flagged).toEqual({
      [LINKED]: [
        { type: 'anyone', role: 'reader', who: null },
        { type: 'user', role: 'writer', who: INTRUDER },
      ],
      [RAISED]: [{ type: 'user', role: 'writer', who: COORDINATOR }],
    });
    // Nothing was removed: a coordinator decides.
    expect(stack.sheets.getDriveFileState(ids[LINKED]!)!.permissions.map((p) => p.type)).toContain('anyone');
    const flag = (
      await storedCollection(stack.runtime, 'flags')
        .doc(flagDocId('sharing', ROUND, LINKED))
        .get()
    ).data()!;
    expect(flag[FLAGS_FIELD][0].reason).toContain('bất kỳ ai có đường liên kết (xem)');
    expect(flag[FLAGS_FIELD][0].reason).toContain(`${INTRUDER} (sửa)`);
  });

  it("the master's status tab shows the flag on the unit's row", async () => {
    const view = await currentMasterView(stack.runtime, stack.clock.now);
    const units = view.rounds.find((r) => r.roundId === ROUND)!.units;
    expect(units.find((u) => u.unitId === LINKED)!.flags.map((f) => f.rule)).toEqual(['sharing']);
    expect(units.find((u) => u.unitId === RAISED)!.flags[0]!.reason).toContain(`${COORDINATOR} (sửa)`);
    expect(units.find((u) => u.unitId === CLEAN)!.flags).toEqual([]);
  });

  it("the coordinators' digest reports them, and the sweep leaves the reconcile's flags alone", async () => {
    // The afternoon sweep: the flags were raised this morning (a sweep sees only what existed at its instant).
    await stack.fire('compliance-sweep', { at: '2020-07-10T16:00:00+07:00' });
    const digest = (await stack.listEmails()).find((m) => m.subject?.includes('Tổng hợp tình hình'));
    expect(digest?.text).toContain('Bảng tính đơn vị được chia sẻ ngoài hệ thống');
    expect(digest?.text).toContain(INTRUDER);
    expect(
      (
        await storedCollection(stack.runtime, 'flags')
          .doc(flagDocId('sharing', ROUND, LINKED))
          .get()
      ).exists,
    ).toBe(true);
  });

  it('once the extra grants are removed, the next reconcile clears the flags', async () => {
    const perms = stack.sheets.getDriveFileState(ids[LINKED]!)!.permissions;
    for (const permission of perms.filter((x) => x.type === 'anyone' || x.emailAddress === INTRUDER))
      await drive.permissions.delete({ fileId: ids[LINKED]!, permissionId: permission.id });
    await drive.permissions.create({
      fileId: ids[RAISED]!,
      sendNotificationEmail: false,
      requestBody: { role: 'reader', type: 'user', emailAddress: COORDINATOR },
    });
    const response = (await stack.fire('reconcile')) as ReconcileResponse;
    expect(response.sharing.flagged).toEqual([]);
    expect(
      (
        await storedCollection(stack.runtime, 'flags')
          .doc(flagDocId('sharing', ROUND, LINKED))
          .get()
      ).exists,
    ).toBe(false);
    expect(
      (
        await storedCollection(stack.runtime, 'flags')
          .doc(flagDocId('sharing', ROUND, RAISED))
          .get()
      ).exists,
    ).toBe(false);
  });
});

describe('extraGrants', () => {
  const expected = { writers: ['a@x.example'], readers: ['c@x.example'], system: [LOCAL_SERVICE_ACCOUNT] };
  const permission = (
    type: string,
    role: string,
    emailAddress: string | null,
    extra: { domain?: string; inherited?: boolean } = {},
  ) => ({ type, role, emailAddress, domain: extra.domain ?? null, inherited: extra.inherited ?? false });
  it('accepts the owner, contacts up to writer, coordinators up to reader and inherited shared-drive members; flags the rest', () => {
    const grants = [
      permission('user', 'owner', LOCAL_SERVICE_ACCOUNT),
      permission('user', 'writer', 'A@x.example'),
      permission('user', 'reader', 'c@x.example'),
      permission('user', 'organizer', 'admin@x.example', { inherited: true }),
      permission('user', 'commenter', 'c@x.example'),
      permission('domain', 'reader', null, { domain: 'x.example' }),
      permission('group', 'reader', 'all@x.example'),
    ];
    expect(extraGrants(grants, expected)).toEqual([
      { type: 'user', role: 'commenter', who: 'c@x.example' },
      { type: 'domain', role: 'reader', who: 'x.example' },
      { type: 'group', role: 'reader', who: 'all@x.example' },
    ]);
  });
});
