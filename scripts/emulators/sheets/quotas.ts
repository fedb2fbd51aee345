/**
 * Sheets API per-minute quotas: read requests and write requests are counted apart, each per
 * user (the token's email) and per project. Defaults are Google's published limits:
 * 60 per minute per user and 300 per minute per project, for reads and for writes.
 *
 * Windows are sliding: a request is refused when the previous 60 emulated seconds already hold
 * the limit. Google says per-minute quotas are "refilled every minute" without promising where a
 * minute starts; a fixed window would let a client burst 2× the limit across a boundary and pass
 * here yet fail against Google, while a sliding window never admits more than the limit in any
 * minute, so a client that stays within it here stays within it there.
 *
 * Only requests that reach the API logic count; requests refused for quota do not consume it.
 *
 * Drive counts every request per user and per project (one request, one query): Drive's usage
 * limits page has stated 12,000 queries per 60 seconds, per user and per project (projects created
 * from May 2026 are metered in "quota units" whose per-method weights are not modelled here). Drive
 * answers an exceeded per-user quota with 403 `userRateLimitExceeded` (domain `usageLimits`), not
 * 429, and clients must retry it like a 429.
 */
import type { EmulatorClock } from './clock.js';
import { ApiError, driveRateLimitExceeded, driveUserRateLimitExceeded } from './errors.js';
import type { RequestKind } from './types.js';

export interface QuotaSettings {
  enabled: boolean;
  readPerMinutePerUser: number;
  writePerMinutePerUser: number;
  readPerMinutePerProject: number;
  writePerMinutePerProject: number;
  /** Drive requests (any method) per minute per user. */
  drivePerMinutePerUser: number;
  /** Drive requests (any method) per minute for the project. */
  drivePerMinutePerProject: number;
}

export const DEFAULT_QUOTAS: QuotaSettings = {
  enabled: true,
  readPerMinutePerUser: 60,
  writePerMinutePerUser: 60,
  readPerMinutePerProject: 300,
  writePerMinutePerProject: 300,
  drivePerMinutePerUser: 12_000,
  drivePerMinutePerProject: 12_000,
};

const WINDOW_MS = 60_000;

export class QuotaTracker {
  private settings: QuotaSettings;
  private readonly userWindows = new Map<string, number[]>();
  private readonly projectWindows = new Map<RequestKind | 'drive', number[]>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly projectNumber: string,
    initial: Partial<QuotaSettings> = {},
  ) {
    this.settings = { ...DEFAULT_QUOTAS, ...initial };
  }

  get current(): QuotaSettings {
    return { ...this.settings };
  }

  set(changes: Partial<QuotaSettings>): void {
    this.settings = { ...this.settings, ...changes };
  }

  /** Forgets all consumed quota (limits stay as set). */
  reset(): void {
    this.userWindows.clear();
    this.projectWindows.clear();
  }

  /** Counts the request, or returns the 429 error if a limit is reached. */
  consume(user: string, kind: RequestKind): ApiError | null {
    if (!this.settings.enabled) return null;
    const now = this.clock.now();
    const userKey = `${kind}:${user.toLowerCase()}`;
    const userWindow = this.prune(this.userWindows, userKey, now);
    const projectWindow = this.prune(this.projectWindows, kind, now);
    const perUser = kind === 'read' ? this.settings.readPerMinutePerUser : this.settings.writePerMinutePerUser;
    const perProject = kind === 'read' ? this.settings.readPerMinutePerProject : this.settings.writePerMinutePerProject;
    if (userWindow.length >= perUser) return this.exceeded(kind, 'user', perUser);
    if (projectWindow.length >= perProject) return this.exceeded(kind, 'project', perProject);
    userWindow.push(now);
    projectWindow.push(now);
    return null;
  }

  /** Counts a Drive request, or returns Drive's 403 rate-limit error if a limit is reached. */
  consumeDrive(user: string): ApiError | null {
    if (!this.settings.enabled) return null;
    const now = this.clock.now();
    const userWindow = this.prune(this.userWindows, `drive:${user.toLowerCase()}`, now);
    const projectWindow = this.prune(this.projectWindows, 'drive', now);
    if (userWindow.length >= this.settings.drivePerMinutePerUser) return driveUserRateLimitExceeded(this.projectNumber);
    if (projectWindow.length >= this.settings.drivePerMinutePerProject) return driveRateLimitExceeded();
    userWindow.push(now);
    projectWindow.push(now);
    return null;
  }

  exceeded(kind: RequestKind, scope: 'user' | 'project', limit: number): ApiError {
    const metric = kind === 'read' ? 'Read requests' : 'Write requests';
    const limitName = scope === 'user' ? `${metric} per minute per user` : `${metric} per minute`;
    const consumer = `project_number:${this.projectNumber}`;
    return new ApiError(
      429,
      'RESOURCE_EXHAUSTED',
      `Quota exceeded for quota metric '${metric}' and limit '${limitName}' of service 'sheets.googleapis.com' for consumer '${consumer}'.`,
      {
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              service: 'sheets.googleapis.com',
              consumer: `projects/${this.projectNumber}`,
              quota_metric: `sheets.googleapis.com/${kind}_requests`,
              quota_limit: `${kind === 'read' ? 'Read' : 'Write'}RequestsPerMinute${scope === 'user' ? 'PerUser' : 'PerProject'}`,
              quota_limit_value: String(limit),
              quota_location: 'global',
            },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Request a higher quota limit.',
                url: 'https://cloud.google.com/docs/quotas/help/request_increase',
              },
            ],
          },
        ],
      },
    );
  }

  private prune<K>(windows: Map<K, number[]>, key: K, now: number): number[] {
    let window = windows.get(key);
    if (!window) {
      window = [];
      windows.set(key, window);
    }
    let drop = 0;
    while (drop < window.length && (window[drop] as number) <= now - WINDOW_MS) drop += 1;
    if (drop > 0) window.splice(0, drop);
    return window;
  }
}
