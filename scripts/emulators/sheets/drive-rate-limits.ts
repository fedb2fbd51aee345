/**
 * Drive's 403 rate-limit errors. Drive answers an exceeded per-user quota with 403 (not 429)
 * and reason `userRateLimitExceeded` in the `usageLimits` domain; too many sharing requests
 * give `sharingRateLimitExceeded`; `rateLimitExceeded` is the project-level form. Google asks
 * clients to retry all of them with exponential backoff, like 429
 * (https://developers.google.com/workspace/drive/api/guides/limits,
 *  https://developers.google.com/workspace/drive/api/guides/handle-errors).
 */
import { DriveApiError } from './errors.js';

export type DriveRateLimitReason = 'userRateLimitExceeded' | 'rateLimitExceeded' | 'sharingRateLimitExceeded';

const MESSAGES: Record<DriveRateLimitReason, string> = {
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  rateLimitExceeded: 'Rate Limit Exceeded',
  sharingRateLimitExceeded: 'Rate limit exceeded. User message: "Sorry, you have exceeded your sharing quota."',
};

class DriveUsageLimitError extends DriveApiError {
  override toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, errors: [{ message: this.message, domain: 'usageLimits', reason: this.reason }] } };
  }
}

export function driveRateLimit403(reason: DriveRateLimitReason): DriveApiError {
  return new DriveUsageLimitError(403, MESSAGES[reason], reason);
}
