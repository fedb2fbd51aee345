/**
 * The "platform" port of the preflight: what the deployment plan set up around the code (IAM
 * bindings, secrets, runtimes, running functions, scheduler jobs), read from the real project
 * (google-platform.ts, through gcloud) or from the local stack's equivalents (local-platform.ts).
 * The checks (platform-checks.ts) ask the same questions of both.
 */
import type { Verdict } from './report.js';
import type { ExpectedBinding, ExpectedFunction, ExpectedJob, ExpectedSecret } from './expectations.js';

export interface Platform {
  target: 'google' | 'local';
  /** Does the binding the plan adds hold (or its local equivalent)? */
  binding(b: ExpectedBinding): Promise<Verdict>;
  /** Does the secret the plan creates have a usable value? */
  secret(s: ExpectedSecret): Promise<Verdict>;
  /** The runtime every function runs on, against the plan's. */
  runtimes(fns: ExpectedFunction[]): Promise<Verdict>;
  /** Every function is deployed and serving. */
  functionsUp(fns: ExpectedFunction[]): Promise<Verdict>;
  /** The scheduler runs exactly the plan's jobs. */
  jobs(expected: ExpectedJob[]): Promise<Verdict>;
}

/** Node's major version in a Cloud Functions runtime id ("nodejs22" → 22). */
export const runtimeMajor = (runtime: string | null | undefined): number | null => {
  const match = /^nodejs(\d+)$/.exec(runtime ?? '');
  return match ? Number(match[1]) : null;
};

/**
 * Google decommissioned nodejs20 on 2026-10-30 (older Node runtimes before it): a plan or a
 * deployment still on one can no longer be deployed or updated.
 */
export const LAST_DECOMMISSIONED_NODE_MAJOR = 20;
export const isDecommissioned = (runtime: string | null | undefined): boolean => {
  const major = runtimeMajor(runtime);
  return major !== null && major <= LAST_DECOMMISSIONED_NODE_MAJOR;
};

/** Two job bodies mean the same thing (JSON compared structurally). */
export function sameBody(left: unknown, right: unknown): boolean {
  const canon = (v: unknown): string =>
    JSON.stringify(v, (_k, x) =>
      x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => p.localeCompare(q)))
        : x,
    );
  return canon(left) === canon(right);
}
