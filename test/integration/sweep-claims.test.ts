/**
 * The claim that makes a reminder exactly-once, on the Firestore emulator and maildev:
 * a message is claimed with create-if-absent before it is sent. A claim held by a live sender
 * (its lease not run out) makes every other sweep skip that message; a claim left by a sender
 * that died before confirming is taken over once its lease has run out, and the message goes
 * out once. Runs the small second campaign (two wards) so each sweep sends three messages.
 */
import { messageKeyOf } from '../../functions/adapters/firestore-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../functions/app/sweep.js';
import { SECOND_CAMPAIGN_FILE } from '../helpers/campaign.js';
import { storedCollection } from '../helpers/store-documents.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SWEEP_AT = Date.parse('2025-03-30T08:00:00+07:00');
const MINUTE = 60_000;

describe('reminder claims', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ campaignSchema: SECOND_CAMPAIGN_FILE, at: '2025-03-30T08:00:00+07:00' });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  /** The claim document a sender writes for a message carrying these keys. */
  const claimRef = (keys: string[]) => storedCollection(stack.runtime, 'reminders').doc(messageKeyOf(keys));
  const mailsTo = async (address: string) => (await stack.listEmails()).filter((m) => m.to.includes(address));

  it('a live claim is respected; a dead sender’s claim is taken over after its lease, and the message goes out once', async () => {
    const plan = await runSweep(stack.runtime, { at: SWEEP_AT, dryRun: true });
    const haiChau = plan.emails.find((e) => e.unitId === 'phuong-hai-chau')!;
    expect(haiChau.keys).toEqual(['tong-ket-2025__phuong-hai-chau__not-submitted__d-1']);

    // Another sender claimed this message a moment ago and is still within its 10-minute lease.
    await claimRef(haiChau.keys).create({
      status: 'claimed',
      claimedAt: SWEEP_AT - MINUTE,
      leaseUntil: SWEEP_AT + 9 * MINUTE,
      keys: haiChau.keys,
    });
    const first = await runSweep(stack.runtime, { at: SWEEP_AT });
    expect(first.alreadySent).toBe(1);
    expect(first.sent.map((x) => x.unit).sort()).toEqual([null, 'phuong-son-tra'].sort());
    expect(await mailsTo('haichau@danang.example')).toEqual([]);

    // Still within the lease, later that day: still not ours to send.
    const during = await runSweep(stack.runtime, { at: SWEEP_AT + 5 * MINUTE });
    expect({ sent: during.sent.length, alreadySent: during.alreadySent }).toEqual({ sent: 0, alreadySent: 1 });

    // That sender died: its lease runs out, the next sweep takes the claim over and sends, once.
    const after = await runSweep(stack.runtime, { at: SWEEP_AT + 11 * MINUTE });
    expect(after.sent.map((x) => x.unit)).toEqual(['phuong-hai-chau']);
    const mails = await mailsTo('haichau@danang.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Kính gửi: UBND phường Hải Châu,');
    // Dated by the sweep that wrote it (the business clock), not by the machine's clock.
    expect(await stack.mailDateHeader(mails[0]!.id)).toBe(new Date(SWEEP_AT + 11 * MINUTE).toISOString());
    expect((await claimRef(haiChau.keys).get()).data()).toMatchObject({ status: 'sent' });
    expect((await storedCollection(stack.runtime, 'reminders').doc(haiChau.keys[0]!).get()).data()).toMatchObject({
      status: 'sent',
      unitId: 'phuong-hai-chau',
    });

    const again = await runSweep(stack.runtime, { at: SWEEP_AT + 20 * MINUTE });
    expect({ emails: again.emails, sent: again.sent }).toEqual({ emails: [], sent: [] });
    expect(await stack.listEmails()).toHaveLength(3);
  });
});
