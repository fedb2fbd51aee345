/**
 * The dependencies handlers use, built once per instance from the environment (production)
 * or handed in (tests and the local stack, which run the very same handlers).
 */
import { parseConfig, redactedConfig } from '../config.js';
import { createDependencies, type Dependencies } from '../wiring.js';
import { oidcVerifier, sharedSecretVerifier, type SchedulerVerifier } from './auth.js';

export interface Runtime extends Dependencies {
  schedulerAuth: SchedulerVerifier;
}

let current: Promise<Runtime> | null = null;

/**
 * The scheduled functions (complianceSweep, maintenance) are deployed private
 * (--no-allow-unauthenticated, see scripts/deploy/plan.ts 'http-private'): Cloud Run's IAM
 * verifies the scheduler's token and strips its signature, so the verifier trusts IAM for it.
 */
export function schedulerVerifierFor(deps: Dependencies): SchedulerVerifier {
  const s = deps.config.scheduler;
  return s.mode === 'oidc' ? oidcVerifier({ audience: s.audience, serviceAccount: s.serviceAccount, behindIam: true }) : sharedSecretVerifier(s.secret);
}

export function runtime(): Promise<Runtime> {
  current ??= (async () => {
    const config = parseConfig(process.env);
    const deps = await createDependencies(config);
    deps.log.info('functions configured', { config: redactedConfig(config) });
    return { ...deps, schedulerAuth: schedulerVerifierFor(deps) };
  })();
  current.catch(() => (current = null));
  return current;
}

/** Installs prepared dependencies (tests, local stack). */
export function useRuntime(rt: Runtime | Promise<Runtime> | null): void {
  current = rt ? Promise.resolve(rt) : null;
}
