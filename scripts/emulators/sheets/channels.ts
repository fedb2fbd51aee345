/**
 * Drive push notifications for changes.watch channels.
 *
 * A watch first gets a `sync` message, then a `change` message after changes the channel's user
 * can see. Pushes for changes arriving within `pushDelayMs` (real time) coalesce into one, the
 * way Google batches a burst of Sheets edits. A push is a POST with an empty body and the
 * X-Goog-* headers; a failed push (refused, timed out, non-2xx) is recorded and not retried —
 * Google retries with backoff but does not guarantee delivery, so applications reconcile by
 * polling changes.list.
 *
 * Expiration follows the Drive push guide: 3600 s when the request gives none, and at most
 * 604800 s (one week) for a changes channel (files channels: one day); a later request is capped
 * silently (the answer carries the real expiration).
 *
 * Google delivers only to HTTPS addresses ("WebHook callback must be HTTPS", 400
 * push.webhookUrlNotHttps; https://developers.google.com/workspace/drive/api/guides/push).
 * The emulator also accepts plain http to a loopback host (127.0.0.0/8, localhost, ::1), so
 * the local stack can receive pushes without a certificate; any other http address is refused.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import { isoAt } from './clock.js';
import type { RequestContext } from './context.js';
import { bodyObject } from './context.js';
import { DriveApiError, driveBadRequest, driveInvalidValue } from './errors.js';
import { changeVisibility } from './drive-resources.js';
import type { EmulatorStore } from './store.js';
import type { ChangeRecord, ChannelState, PushRecord } from './types.js';

export const DEFAULT_CHANNEL_TTL_MS = 3_600_000;
export const MAX_CHANGES_CHANNEL_TTL_MS = 604_800_000;
const PUSH_TIMEOUT_MS = 5_000;

export interface ChannelServiceOptions {
  pushDelayMs: number;
  record: (push: Omit<PushRecord, 'seq'>) => void;
}

export class ChannelService {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    private readonly options: ChannelServiceOptions,
  ) {
    store.onChange((change) => this.onChange(change));
  }

  watch(context: RequestContext): Record<string, unknown> {
    const pageTokenText = context.query.get('pageToken');
    const pageToken = Number(pageTokenText);
    if (
      pageTokenText === null ||
      !Number.isInteger(pageToken) ||
      pageToken < 1 ||
      pageToken > this.store.state.nextChangeId
    ) {
      throw driveInvalidValue('pageToken');
    }
    const body = bodyObject(context);
    const id = body['id'];
    const address = body['address'];
    const type = body['type'];
    if (typeof id !== 'string' || id === '') throw driveBadRequest('Channel id is required.', 'required');
    if (type !== 'web_hook' && type !== 'webhook')
      throw driveBadRequest(`Unsupported channel type: ${String(type)}`, 'invalid');
    if (typeof address !== 'string' || !/^https?:\/\//.test(address))
      throw driveBadRequest('Invalid address for the notification channel.', 'invalid');
    if (!acceptedPushAddress(address))
      throw driveBadRequest(`WebHook callback must be HTTPS: ${address}`, 'push.webhookUrlNotHttps');
    if (this.store.state.channels[id]) throw driveBadRequest(`Channel id ${id} not unique`, 'channelIdNotUnique');
    const now = this.clock.now();
    const requested =
      body['expiration'] === undefined || body['expiration'] === null ? undefined : Number(body['expiration']);
    if (requested !== undefined && (!Number.isFinite(requested) || requested <= now)) {
      throw driveBadRequest('Expiration must be in the future.', 'invalid');
    }
    const expiration = Math.min(requested ?? now + DEFAULT_CHANNEL_TTL_MS, now + MAX_CHANGES_CHANNEL_TTL_MS);
    const channel: ChannelState = {
      id,
      resourceId: randomBytes(20).toString('base64url').slice(0, 27),
      resourceUri: `${context.rootUrl}drive/v3/changes?alt=json&pageToken=${pageToken}`,
      address,
      expiration,
      user: context.user,
      pageToken,
      messageNumber: 0,
    };
    if (typeof body['token'] === 'string') channel.token = body['token'];
    this.store.state.channels[id] = channel;
    this.store.markDirty();
    setImmediate(() => this.deliver(channel.id, 'sync'));
    return this.render(channel);
  }

  stop(context: RequestContext, projectNumber: string): void {
    const body = bodyObject(context);
    const id = typeof body['id'] === 'string' ? body['id'] : '';
    const channel = this.store.state.channels[id];
    if (!channel || (typeof body['resourceId'] === 'string' && body['resourceId'] !== channel.resourceId)) {
      throw new DriveApiError(404, `Channel '${id}' not found for project '${projectNumber}'`, 'notFound');
    }
    this.remove(id);
  }

  /** Cancels pending pushes and waits for pushes already on the wire. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private render(channel: ChannelState): Record<string, unknown> {
    const out: Record<string, unknown> = {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      expiration: String(channel.expiration),
    };
    if (channel.token !== undefined) out['token'] = channel.token;
    return out;
  }

  private remove(id: string): void {
    const timer = this.pending.get(id);
    if (timer) clearTimeout(timer);
    this.pending.delete(id);
    delete this.store.state.channels[id];
    this.store.markDirty();
  }

  private expired(channel: ChannelState): boolean {
    return this.clock.now() >= channel.expiration;
  }

  private onChange(change: ChangeRecord): void {
    if (this.closed) return;
    for (const channel of Object.values(this.store.state.channels)) {
      if (this.expired(channel)) {
        this.remove(channel.id);
        continue;
      }
      if (change.changeId < channel.pageToken) continue;
      if (changeVisibility(this.store.state, change, channel.user) === 'hidden') continue;
      if (this.pending.has(channel.id)) continue; // coalesced into the push already scheduled
      const timer = setTimeout(() => {
        this.pending.delete(channel.id);
        this.deliver(channel.id, 'change');
      }, this.options.pushDelayMs);
      this.pending.set(channel.id, timer);
    }
  }

  private deliver(channelId: string, state: 'sync' | 'change'): void {
    const channel = this.store.state.channels[channelId];
    if (this.closed || !channel) return;
    if (this.expired(channel)) {
      this.remove(channel.id);
      return;
    }
    channel.messageNumber += 1;
    this.store.markDirty();
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': channel.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(channel.messageNumber),
      'Content-Length': '0',
      Connection: 'close',
    };
    if (channel.token !== undefined) headers['X-Goog-Channel-Token'] = channel.token;
    const base = {
      at: isoAt(this.clock.now()),
      channelId: channel.id,
      state,
      messageNumber: channel.messageNumber,
      address: channel.address,
    };
    const delivery = new Promise<void>((resolve) => {
      let settled = false;
      const finish = (outcome: { status?: number; error?: string }): void => {
        if (settled) return;
        settled = true;
        this.options.record({ ...base, ...outcome });
        resolve();
      };
      try {
        const request = channel.address.startsWith('https:') ? httpsRequest : httpRequest;
        const req = request(
          channel.address,
          { method: 'POST', headers, agent: false, timeout: PUSH_TIMEOUT_MS },
          (res) => {
            res.resume();
            const status = res.statusCode ?? 0;
            finish(status >= 200 && status < 300 ? { status } : { status, error: `HTTP ${status}` });
          },
        );
        req.on('timeout', () => req.destroy(new Error('push timed out')));
        req.on('error', (error) => finish({ error: error.message }));
        req.end();
      } catch (error) {
        finish({ error: (error as Error).message });
      }
    });
    this.inFlight.add(delivery);
    void delivery.then(() => this.inFlight.delete(delivery));
  }
}

/** HTTPS, or (emulator only) plain http to this machine. */
export function acceptedPushAddress(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}
