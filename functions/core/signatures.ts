/**
 * The HMACs the system signs with. Pure (a hash, no I/O): the use case that opens a Drive
 * watch channel and the handler that checks a push both derive the channel token here.
 */
import { createHmac } from 'node:crypto';

export function hmac(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** The token Drive echoes in X-Goog-Channel-Token: an HMAC of the channel id. */
export const channelToken = (secret: string, channelId: string) => hmac(secret, `drive-channel:${channelId}`);
