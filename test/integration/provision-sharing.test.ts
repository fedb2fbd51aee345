/**
 * Sharing at provisioning survives Drive's rules. Against the
 * emulator, with a campaign whose contacts include an address without a Google account and
 * one outside the organisation:
 * - in My Drive, the address without an account is invited with Drive's notification mail
 *   (a Vietnamese message), a burst of 403 userRateLimitExceeded is retried, every contact is
 *   shared, and every sheet gets `writersCanShare: false`;
 * - on a shared drive restricted to the organisation, the two outside contacts are refused,
 *   provisioning carries on, every other contact is shared, and the report lists the refusals
 *   with Drive's reason and says which drive setting to change.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriveFiles } from '../../functions/adapters/drive-files.js';
import { provisionCampaign, sharedDriveSharingProblems, type ProvisionReport } from '../../functions/app/provision.js';
import { sharingSummary } from '../../scripts/cli/provision.js';
import { clientsFor } from '../emulators/sheets/helpers.js';
import { LOCAL_SERVICE_ACCOUNT } from '../helpers/integration.js';
import { FAST_RETRY, startTestStack, type TestStack } from '../helpers/stack.js';

const ROUND = 'bo-sung-2020';
const NO_ACCOUNT = 'van-thu@no-google.example';
const OUTSIDE = 'ubnd-hoan-kiem@gmail.example';
const UNIT_WITHOUT_ACCOUNT = 'ubnd-ba-dinh';
const UNIT_OUTSIDE = 'ubnd-hoan-kiem';

let schemaDir: string;
let schema: string;

beforeAll(async () => {
  schemaDir = await mkdtemp(join(tmpdir(), 'bao-cao-schema-'));
  const campaign = JSON.parse(await readFile('sheets-schema/hanoi-521-2020.json', 'utf8')) as {
    units: { id: string; emails: string[] }[];
  };
  for (const unit of campaign.units) {
    if (unit.id === UNIT_WITHOUT_ACCOUNT) unit.emails.push(NO_ACCOUNT);
    if (unit.id === UNIT_OUTSIDE) unit.emails.push(OUTSIDE);
  }
  schema = join(schemaDir, 'campaign.json');
  await writeFile(schema, JSON.stringify(campaign));
});
afterAll(() => rm(schemaDir, { recursive: true, force: true }));

function provisionWith(stack: TestStack, files: DriveFiles): Promise<ProvisionReport> {
  return provisionCampaign(
    { ...stack.runtime, files, writes: stack.runtime.sheetsPace.writes, editors: [LOCAL_SERVICE_ACCOUNT] },
    { rounds: [ROUND] },
  );
}

/** Every (label, email, role) the campaign asks for in this round. */
function expectedGrants(stack: TestStack): { label: string; email: string; role: string }[] {
  const { model } = stack.runtime;
  const coordinators = model.campaign.coordinator.emails;
  const units = model.campaign.units.filter((u) => model.hasWorkbook(u.id, ROUND));
  return [
    ...units.flatMap((u) => [
      ...u.emails.map((email) => ({ label: `${ROUND}/${u.id}`, email, role: 'writer' })),
      ...coordinators.map((email) => ({ label: `${ROUND}/${u.id}`, email, role: 'reader' })),
    ]),
    ...coordinators.map((email) => ({ label: 'master', email, role: 'writer' })),
  ];
}

async function grantsMade(
  stack: TestStack,
  report: ProvisionReport,
): Promise<{ label: string; email: string; role: string }[]> {
  const out: { label: string; email: string; role: string }[] = [];
  const { store } = stack.runtime;
  const labels = [...report.created, ...report.repaired, ...report.unchanged];
  for (const label of [...labels, 'master']) {
    const id =
      label === 'master'
        ? (await store.meta('master')).spreadsheetId!
        : (await store.unitSheet(ROUND, label.split('/')[1]!))!.spreadsheetId;
    for (const permission of stack.sheets.getDriveFileState(id)!.permissions)
      out.push({ label, email: permission.emailAddress!, role: permission.role });
  }
  return out;
}

const key = (g: { label: string; email: string; role: string }) => `${g.label} ${g.email} ${g.role}`;

describe('provisioning in My Drive: an address without a Google account, and a 403 rate-limit burst', () => {
  let stack: TestStack;
  let report: ProvisionReport;

  beforeAll(async () => {
    stack = await startTestStack({ campaignSchema: schema });
    // A burst of Drive's 403 userRateLimitExceeded on sharing: a third of the requests refused.
    stack.sheets.faults.set({
      rate403: 0.35,
      reason403: 'userRateLimitExceeded',
      ops: ['drive.permissions.create'],
      seed: 7,
    });
    try {
      report = await provisionWith(stack, stack.runtime.files);
    } finally {
      stack.sheets.faults.clear();
    }
  }, 120_000);
  afterAll(() => stack.dispose());

  it('retried the 403s and shared with every contact; nothing is listed as failed', async () => {
    expect(
      stack.sheets.log.filter((e) => e.fault === 'rate403' && e.op === 'drive.permissions.create').length,
    ).toBeGreaterThan(5);
    expect(report.shareFailures).toEqual([]);
    const made = new Set((await grantsMade(stack, report)).map(key));
    const missing = expectedGrants(stack).filter((g) => !made.has(key(g)));
    expect(missing).toEqual([]);
  });

  it('invited the address without a Google account through the notification mail, with a Vietnamese message', () => {
    expect(report.invited).toEqual([{ label: `${ROUND}/${UNIT_WITHOUT_ACCOUNT}`, email: NO_ACCOUNT }]);
    const id = stack.sheets.listSpreadsheets().find((x) => x.title.includes('Ba Đình'))!.id;
    const grant = stack.sheets.getDriveFileState(id)!.permissions.find((p) => p.emailAddress === NO_ACCOUNT);
    expect(grant?.role).toBe('writer');
    expect(grant?.notified?.message).toContain('UBND quận Ba Đình');
    expect(grant?.notified?.message).toContain('tạo tài khoản Google');
    // Contacts with an account were shared silently (the system mails them itself).
    expect(
      stack.sheets.getDriveFileState(id)!.permissions.find((p) => p.emailAddress === 'ubnd-ba-dinh@hanoi.example')
        ?.notified,
    ).toBeUndefined();
    expect(sharingSummary(report)).toContain(`${ROUND}/${UNIT_WITHOUT_ACCOUNT}: ${NO_ACCOUNT}`);
  });

  it('every sheet it made, the master too, forbids writers to share', () => {
    const files = stack.sheets.listSpreadsheets().map((x) => stack.sheets.getDriveFileState(x.id)!);
    expect(files.length).toBe(report.created.length + 1);
    expect(files.filter((f) => f.writersCanShare !== false)).toEqual([]);
    expect(report.sharedDrive).toBeNull();
  });

  it('switches writersCanShare off on an older sheet that still allows it, once', async () => {
    const id = (await stack.runtime.store.unitSheet(ROUND, 'ubnd-tay-ho'))!.spreadsheetId;
    const state = stack.sheets.getDriveFileState(id)!;
    delete state.writersCanShare; // as a sheet provisioned before this rule existed
    const again = await provisionWith(stack, stack.runtime.files);
    expect(again.lockedSharing).toEqual([`${ROUND}/ubnd-tay-ho`]);
    expect(again.repaired).toEqual([`${ROUND}/ubnd-tay-ho`]);
    expect(stack.sheets.getDriveFileState(id)!.writersCanShare).toBe(false);
    expect((await provisionWith(stack, stack.runtime.files)).lockedSharing).toEqual([]);
  });
});

describe('provisioning on a shared drive restricted to the organisation', () => {
  let stack: TestStack;
  let report: ProvisionReport;
  let driveId: string;

  beforeAll(async () => {
    stack = await startTestStack({ campaignSchema: schema });
    const admin = clientsFor(stack.sheets, 'admin@hanoi.example');
    driveId = (await admin.drive.drives.create({ requestId: 'campaign', requestBody: { name: 'Báo cáo 521' } })).data
      .id!;
    await admin.drive.permissions.create({
      fileId: driveId,
      supportsAllDrives: true,
      requestBody: { role: 'organizer', type: 'user', emailAddress: LOCAL_SERVICE_ACCOUNT },
    });
    await admin.drive.drives.update({ driveId, requestBody: { restrictions: { domainUsersOnly: true } } });
    const drive = (stack.runtime.files as unknown as { drive: import('@googleapis/drive').drive_v3.Drive }).drive;
    report = await provisionWith(stack, new DriveFiles(drive, FAST_RETRY, driveId));
  }, 120_000);
  afterAll(() => stack.dispose());

  it('finished, created every sheet in the drive, and refused only the two contacts outside the organisation', async () => {
    const files = stack.sheets.listSpreadsheets().map((x) => stack.sheets.getDriveFileState(x.id)!);
    expect(files.every((f) => f.driveId === driveId)).toBe(true);
    expect(report.created.length + 1).toBe(files.length);
    expect(report.shareFailures.map((f) => [f.label, f.email, f.reason])).toEqual([
      [`${ROUND}/${UNIT_WITHOUT_ACCOUNT}`, NO_ACCOUNT, 'teamDriveDomainUsersOnlyRestriction'],
      [`${ROUND}/${UNIT_OUTSIDE}`, OUTSIDE, 'teamDriveDomainUsersOnlyRestriction'],
    ]);
    expect(report.shareFailures[1]!.explanation).toContain('ngoài tổ chức');
    const made = new Set((await grantsMade(stack, report)).map(key));
    const missing = expectedGrants(stack).filter((g) => !made.has(key(g)));
    expect(missing.map((g) => g.email).sort()).toEqual([OUTSIDE, NO_ACCOUNT].sort());
  });

  it('reports the drive setting that blocks them, and the CLI prints every failure', () => {
    expect(report.sharedDrive).toMatchObject({ driveId, name: 'Báo cáo 521', restrictions: { domainUsersOnly: true } });
    expect(report.sharedDrive!.problems).toHaveLength(1);
    expect(report.sharedDrive!.problems[0]).toContain(OUTSIDE);
    const printed = sharingSummary(report);
    expect(printed).toContain('KHÔNG chia sẻ được 2 lượt');
    expect(printed).toContain(`${ROUND}/${UNIT_OUTSIDE}: ${OUTSIDE} (sửa; teamDriveDomainUsersOnlyRestriction)`);
    expect(printed).toContain(
      `${ROUND}/${UNIT_WITHOUT_ACCOUNT}: ${NO_ACCOUNT} (sửa; teamDriveDomainUsersOnlyRestriction)`,
    );
  });
});

describe('sharedDriveSharingProblems (what a preflight check says about a drive)', () => {
  const contacts = ['a@hanoi.example', 'b@hanoi.example'];
  it('asks for domainUsersOnly when it is off, and to turn driveMembersOnly off', () => {
    expect(
      sharedDriveSharingProblems({ domainUsersOnly: true, driveMembersOnly: false }, contacts, 'hanoi.example'),
    ).toEqual([]);
    const off = sharedDriveSharingProblems({ domainUsersOnly: false }, contacts, 'hanoi.example');
    expect(off).toHaveLength(1);
    expect(off[0]).toContain('domainUsersOnly');
    const members = sharedDriveSharingProblems(
      { domainUsersOnly: true, driveMembersOnly: true },
      contacts,
      'hanoi.example',
    );
    expect(members).toHaveLength(1);
    expect(members[0]).toContain('driveMembersOnly');
  });
});
