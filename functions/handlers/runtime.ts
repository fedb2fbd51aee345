/**
 * The dependencies handlers use: built once per instance from the environment (production,
 * functions/index.ts) or handed in (tests and the local stack, which run the very same
 * handlers, each with its own runtime: nothing here is process-wide).
 */
import { parseConfig, redactedConfig } from '../config.js';
import { createDependencies, type Dependencies } from '../wiring.js';
import { oidcVerifier, sharedSecretVerifier, type SchedulerVerifier } from './auth.js';

export interface Runtime extends Dependencies {
  schedulerAuth: SchedulerVerifier;
}

/**
 * The scheduled functions (complianceSweep, maintenance) are deployed private
 * (--no-allow-unauthenticated, see scripts/deploy/plan.ts 'http-private'): Cloud Run's IAM
 * verifies the scheduler's token and strips its signature, so the verifier trusts IAM for it.
 */
export function schedulerVerifierFor(deps: Dependencies): SchedulerVerifier {
  const scheduler = deps.config.scheduler;
  return scheduler.mode === 'oidc'
    ? oidcVerifier({ audience: scheduler.audience, serviceAccount: scheduler.serviceAccount, behindIam: true })
    : sharedSecretVerifier(scheduler.secret);
}

/** Where handlers get their runtime: asked on every invocation, so it can be built lazily. */
export type RuntimeSource = () => Promise<Runtime>;

/**
 * The deployed runtime: built from the environment on the first request (importing the entry
 * module stays cheap), then kept by this source for the instance's lifetime; a failed build is
 * forgotten, so the next request tries again.
 */
export function runtimeFromEnvironment(env: NodeJS.ProcessEnv = process.env): RuntimeSource {
  let built: Promise<Runtime> | null = null;
  return () => {
    built ??= (async () => {
      const config = parseConfig(env);
      const deps = await createDependencies(config);
      deps.log.info('functions configured', { config: redactedConfig(config) });
      return { ...deps, schedulerAuth: schedulerVerifierFor(deps) };
    })();
    built.catch(() => (built = null));
    return built;
  };
}

/** A source for prepared dependencies (tests, the local stack). */
export const runtimeOf =
  (rt: Runtime): RuntimeSource =>
  () =>
    Promise.resolve(rt);
