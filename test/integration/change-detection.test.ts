/**
 * The unit sheet is live. A clerk's edit reaches the pipeline through Drive's push
 * to the driveWebhook function (nothing here calls processUnitSheet); a push that does not
 * carry the channel's token is refused and changes nothing; pushes that never arrive are made
 * up for by the scheduled poll of the change feed; the watch channel is replaced before it
 * expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChanges, renewWatch, type ChangeDeps } from '../../functions/app/change-detection.js';
import { channelToken } from '../../functions/handlers/auth.js';
import { eventually, registerUnitSheets, requestsSince, seenCell, settled } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MAIN_PERIOD } from '../helpers/campaign.js';

const ROUND = 'so-ket-2020';
const DEAD = 'http://127.0.0.1:9/khong-ai-nghe';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(
    stack,
    ROUND,
    ['ubnd-hoan-kiem', 'ubnd-tay-ho', 'ubnd-cau-giay', 'ubnd-dong-da', 'ubnd-thanh-xuan'],
    { watch: true },
  );
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

const stateOf = (unitId: string) => stack.runtime.store.state(ROUND, unitId);
const versionOf = async (unitId: string) => stack.sheets.getDriveFileState(await stack.sheetOf(unitId, ROUND))!.version;
const channel = async () => (await stack.runtime.store.meta('driveWatch')).channel!;
const watch = (address: string) =>
  renewWatch(stack.runtime, {
    address,
    secret: stack.runtime.config.webhook.secret,
    ttlMs: stack.runtime.config.watchTtlMs,
  });
const statusCellText = async (unitId: string) => {
  const sheet = stack.sheets.getSpreadsheetState(await stack.sheetOf(unitId, ROUND))!;
  return seenCell(sheet, 'Bảng 1', 1, 2).value;
};

async function pushTo(headers: Record<string, string>) {
  const res = await fetch(stack.urls.functions.driveWebhook!, {
    method: 'POST',
    headers: { 'x-goog-resource-state': 'change', ...headers },
  });
  return { status: res.status, body: await res.json() };
}

describe('a clerk edit is processed through Drive push → driveWebhook', () => {
  it('the push arrives, the webhook polls the feed, the sheet gets its feedback', async () => {
    const watchChannel = await channel();
    expect(watchChannel.address).toBe(stack.urls.functions.driveWebhook);
    const pushesBefore = stack.sheets.pushes.length;
    await stack.type('ubnd-hoan-kiem', ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: 'khoảng 20' },
    ]);
    const state = await eventually(
      async () => {
        const state = await stateOf('ubnd-hoan-kiem');
        return state && state.seenVersion === (await versionOf('ubnd-hoan-kiem')) && state;
      },
      10_000,
      'the webhook to process the edit',
    );
    expect(state.status).toBe('invalid');
    expect(state.issues.map((i) => [i.cell, i.code])).toEqual([['K13', 'value.not_number']]);
    expect(await statusCellText('ubnd-hoan-kiem')).toBe('Còn 1 lỗi — ô tô đỏ là lỗi, ô tô vàng cần xem lại.');
    await settled(stack); // the push is recorded once answered; the echo of our own feedback write follows it
    const pushes = stack.sheets.pushes.slice(pushesBefore);
    expect(pushes.length).toBeGreaterThan(0);
    // The webhook answers Drive at once (202); the poll runs in onPollRequested.
    expect(pushes.every((p) => p.channelId === watchChannel.id && p.state === 'change' && p.status === 202)).toBe(true);
    expect(stack.log.lines.some((l) => l.message === 'drive push refused: bad channel token')).toBe(false);
  });
});

describe('pushes that are forged or lost', () => {
  it('a push with a wrong channel token is answered 401 and nothing is read or processed', async () => {
    await watch(DEAD); // from here on real pushes go nowhere, so only the forged one could process the edit
    await stack.type('ubnd-tay-ho', ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: 'hai mươi' },
    ]);
    const since = requestsSince(stack);
    const watchChannel = await channel();
    const forged = await pushTo({ 'x-goog-channel-id': watchChannel.id, 'x-goog-channel-token': 'doan-mo' });
    expect(forged).toEqual({ status: 401, body: { error: 'unauthorized' } });
    const noToken = await pushTo({ 'x-goog-channel-id': watchChannel.id });
    expect(noToken.status).toBe(401);
    const otherSecret = await pushTo({
      'x-goog-channel-id': watchChannel.id,
      'x-goog-channel-token': channelToken('mot-bi-mat-khac-dai-hon-16', watchChannel.id),
    });
    expect(otherSecret.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(since()).toEqual([]);
    expect(await stateOf('ubnd-tay-ho')).toBeNull();
    expect(stack.log.lines.filter((l) => l.message === 'drive push refused: bad channel token')).toHaveLength(3);
  });

  it('a missed push (sent to a dead address) is caught by the poll-changes job', async () => {
    await eventually(
      () => stack.sheets.pushes.some((p) => p.address === DEAD && p.state === 'change' && p.error),
      5_000,
      'the lost push',
    );
    expect(await stateOf('ubnd-tay-ho')).toBeNull();
    const result = (await stack.fire('poll-changes')) as {
      status: string;
      changedFiles: number;
      outcomes: Record<string, number>;
    };
    expect(result).toEqual({ status: 'polled', changedFiles: 1, outcomes: { processed: 1 } });
    const state = await stateOf('ubnd-tay-ho');
    expect(state?.issues.map((i) => i.code)).toEqual(['value.not_number']);
    expect(state?.seenVersion).toBe(await versionOf('ubnd-tay-ho'));
    expect(await statusCellText('ubnd-tay-ho')).toMatch(/^Còn 1 lỗi/);
  });

  it('a push arriving while a poll is running is not lost: the running poll goes round again', async () => {
    // The first poll is held right after it read the feed; meanwhile a clerk edits another
    // sheet and Drive's push for that edit reaches the webhook, which finds the poll leased.
    let queued: unknown;
    const held: ChangeDeps = {
      ...stack.runtime,
      files: Object.assign(Object.create(stack.runtime.files), {
        listChanges: async (token: string) => {
          const feed = await stack.runtime.files.listChanges(token);
          if (queued === undefined) {
            await stack.type('ubnd-cau-giay', ROUND, [
              { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: '3 lượt' },
            ]);
            queued = (
              await pushTo({
                'x-goog-channel-id': 'kenh-thu',
                'x-goog-channel-token': channelToken(stack.secrets.webhook, 'kenh-thu'),
              })
            ).body;
          }
          return feed;
        },
      }),
    };
    await stack.type('ubnd-dong-da', ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: '4 lượt' },
    ]);
    const result = await pollChanges(held);
    // The push is answered at once; the poll it requested finds this one leased, and the
    // new request id makes the running poll go round again.
    expect(queued).toMatchObject({ status: 'poll-requested' });
    expect(result.status).toBe('polled');
    expect((await stateOf('ubnd-dong-da'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);
    expect((await stateOf('ubnd-cau-giay'))?.issues.map((i) => i.code)).toEqual(['value.not_number']);
    expect(result.outcomes.processed).toBe(2);
  });
});

describe('a burst longer than one poll may run', () => {
  it('a poll out of its time budget leaves the rest in the feed and asks for another, which finishes; no sheet is read twice', async () => {
    await watch(DEAD); // pushes go nowhere: only the polls below process the edits
    await pollChanges(stack.runtime); // the feed starts empty
    const units = ['ubnd-thanh-xuan', 'ubnd-hoan-kiem', 'ubnd-tay-ho'];
    for (const [index, unit] of units.entries())
      await stack.type(unit, ROUND, [
        { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: `${index + 5} lần` },
      ]);
    const tokenBefore = (await stack.runtime.store.meta('driveWatch')).pageToken;
    const since = requestsSince(stack);

    // A budget already spent: the poll takes its one sheet and defers the others.
    const first = await pollChanges({ ...stack.runtime, pollBudgetMs: -1 });
    expect(first).toEqual({ status: 'polled', changedFiles: 3, outcomes: { processed: 1, deferred: 2 } });
    expect(
      stack.log.lines.some(
        (l) =>
          l.message === 'poll ran out of its time budget; the rest stays in the feed for the next poll' &&
          l.deferred === 2,
      ),
    ).toBe(true);
    // The request it left triggers onPollRequested, whose poll finishes the feed.
    await stack.triggersIdle();
    for (const [index, unit] of units.entries()) {
      const state = await stateOf(unit);
      expect(
        state?.issues.some((x) => x.code === 'value.not_number' && x.message.includes(`"${index + 5} lần"`)),
        unit,
      ).toBe(true);
      expect(state?.seenVersion).toBe(await versionOf(unit));
    }
    expect((await stack.runtime.store.meta('driveWatch')).pageToken).not.toBe(tokenBefore);
    // Each sheet read once: the second poll found the first one's sheet unchanged without reading it.
    const readsPerSheet = new Map<string, number>();
    for (const entry of since((x) => x.api === 'sheets' && x.kind === 'read'))
      readsPerSheet.set(entry.spreadsheetId!, (readsPerSheet.get(entry.spreadsheetId!) ?? 0) + 1);
    expect([...readsPerSheet.values()]).toEqual([1, 1, 1]);
  });
});

describe('watch renewal', () => {
  it('points the channel back at the webhook, keeps a current one, and replaces one about to expire', async () => {
    const dead = await channel();
    const back = (await stack.fire('renew-watch')) as { status: string; channelId: string };
    expect(back.status).toBe('renewed');
    const live = await channel();
    expect(live).toMatchObject({ id: back.channelId, address: stack.urls.functions.driveWebhook });
    expect(live.id).not.toBe(dead.id);

    expect(await stack.fire('renew-watch')).toEqual({
      status: 'current',
      channelId: live.id,
      expiration: live.expiration,
    });

    // Google's clock runs on to 3 hours before the channel's end: less than a quarter of its life is left.
    stack.sheets.clock.advance(live.expiration - stack.sheets.clock.now() - 3 * 3_600_000);
    const renewed = (await stack.fire('renew-watch')) as { status: string; channelId: string; expiration: number };
    expect(renewed.status).toBe('renewed');
    expect(renewed.channelId).not.toBe(live.id);
    expect(renewed.expiration - stack.sheets.clock.now()).toBeGreaterThan(23 * 3_600_000);
    expect((await channel()).id).toBe(renewed.channelId);

    // The old channel was stopped: the next edit is pushed on the new one only, and processed.
    const pushesBefore = stack.sheets.pushes.length;
    await stack.type('ubnd-thanh-xuan', ROUND, [
      { kind: 'figure', table: 'bang1', period: MAIN_PERIOD, code: 'tdkt.giay_khen', value: 'mười' },
    ]);
    await eventually(
      async () => (await stateOf('ubnd-thanh-xuan'))?.seenVersion === (await versionOf('ubnd-thanh-xuan')),
      10_000,
      'the push on the renewed channel',
    );
    await settled(stack);
    const pushes = stack.sheets.pushes.slice(pushesBefore).filter((p) => p.state === 'change');
    expect(pushes.length).toBeGreaterThan(0);
    expect(new Set(pushes.map((p) => p.channelId))).toEqual(new Set([renewed.channelId]));
  });
});
