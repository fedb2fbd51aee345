/**
 * What a deployed project must look like, read off the deployment plan itself
 * (scripts/deploy/plan.ts `deploymentPlan()`): every IAM binding it adds, every secret it
 * creates, the runtime of every function it deploys, every scheduler job it creates. The
 * preflight never keeps its own list, so it cannot drift from what `npm run deploy` does: a
 * step added to the plan is a step the preflight checks, and the plan's own command is the fix.
 */
import { deployOptionsSchema, deploymentPlan, shellLine, type DeployOptions, type PlannedCommand } from '../deploy/plan.js';

export interface ExpectedBinding {
  /** The gcloud command group that owns the policy: ['projects'], ['secrets'], ['run', 'services'], ['functions'] … */
  group: string[];
  /** The resource whose policy holds the binding (project id, secret name, function or service name). */
  resource: string;
  member: string;
  role: string;
  /** Flags that locate the resource (--region, --location, --project), as the plan gave them. */
  locators: string[];
  /** The plan step, for people. */
  title: string;
  /** The plan's own command: what to run when the binding is missing. */
  fix: string;
}

export interface ExpectedSecret {
  name: string;
  /** The plan's command that gives it a value, when the plan has one (else the operator adds it). */
  addVersion: string | null;
}

export interface ExpectedFunction {
  name: string;
  runtime: string | null;
  fix: string;
}

export interface ExpectedJob {
  name: string;
  schedule: string | null;
  timeZone: string | null;
  uri: string | null;
  /** The function the job calls (last path segment of its URI). */
  targetFunction: string | null;
  /** The body as the plan sends it, parsed when it is JSON. */
  body: unknown;
  oidcServiceAccount: string | null;
  oidcAudience: string | null;
  /** Seconds, when the plan sets an attempt deadline. */
  attemptDeadlineSeconds: number | null;
  fix: string;
}

export interface PlanExpectations {
  project: string;
  region: string;
  bindings: ExpectedBinding[];
  secrets: ExpectedSecret[];
  functions: ExpectedFunction[];
  jobs: ExpectedJob[];
}

/** `--name=value` (or `--name value`) of a gcloud argv; null when absent. */
export function flagValue(argv: string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}` && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return argv[i + 1]!;
  }
  return null;
}

/** The positional arguments after `gcloud`, up to the first flag. */
function positionals(argv: string[]): string[] {
  const out: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('--')) break;
    out.push(a);
  }
  return out;
}

/** "540s", "9m", "1h", "30" → seconds (gcloud durations); null when not understood. */
export function durationSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : n;
}

const parseBody = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const LOCATOR_FLAGS = ['region', 'location', 'project'];

function bindingOf(c: PlannedCommand, project: string): ExpectedBinding | null {
  const pos = positionals(c.argv);
  const verbAt = pos.findIndex((p) => p === 'add-iam-policy-binding' || p === 'add-invoker-policy-binding');
  if (c.argv[0] !== 'gcloud' || verbAt < 0) return null;
  const group = pos.slice(0, verbAt);
  const resource = pos[verbAt + 1] ?? project;
  const member = flagValue(c.argv, 'member');
  // `functions add-invoker-policy-binding` grants Cloud Run's invoker role on a 2nd-gen function's service.
  const role = pos[verbAt] === 'add-invoker-policy-binding' ? 'roles/run.invoker' : flagValue(c.argv, 'role');
  if (!member || !role) return null;
  const locators = c.argv.filter((a) => LOCATOR_FLAGS.some((f) => a.startsWith(`--${f}=`)));
  return { group, resource, member, role, locators, title: c.title, fix: shellLine(c) };
}

/** Reads the expectations off a plan (pure; the plan is data). */
export function expectationsOf(plan: PlannedCommand[], o: Pick<DeployOptions, 'project' | 'region'>): PlanExpectations {
  const bindings: ExpectedBinding[] = [];
  const secrets: ExpectedSecret[] = [];
  const functions: ExpectedFunction[] = [];
  const jobs: ExpectedJob[] = [];
  for (const c of plan) {
    if (c.argv[0] !== 'gcloud') continue;
    const pos = positionals(c.argv);
    const binding = bindingOf(c, o.project);
    if (binding) {
      bindings.push(binding);
      continue;
    }
    const head = pos.slice(0, 3).join(' ');
    if (head.startsWith('secrets create ')) secrets.push({ name: pos[2]!, addVersion: null });
    else if (head.startsWith('secrets versions add')) {
      const s = secrets.find((x) => x.name === pos[3]);
      if (s) s.addVersion = shellLine(c);
    } else if (head.startsWith('functions deploy ')) {
      functions.push({ name: pos[2]!, runtime: flagValue(c.argv, 'runtime'), fix: `npm run deploy -- --project ${o.project} … (bước "${c.title}")` });
    } else if (pos.slice(0, 4).join(' ') === 'scheduler jobs create http') {
      const uri = flagValue(c.argv, 'uri');
      jobs.push({
        name: pos[4]!,
        schedule: flagValue(c.argv, 'schedule'),
        timeZone: flagValue(c.argv, 'time-zone'),
        uri,
        targetFunction: uri ? (new URL(uri).pathname.split('/').filter(Boolean).pop() ?? null) : null,
        body: parseBody(flagValue(c.argv, 'message-body')),
        oidcServiceAccount: flagValue(c.argv, 'oidc-service-account-email'),
        oidcAudience: flagValue(c.argv, 'oidc-token-audience'),
        attemptDeadlineSeconds: durationSeconds(flagValue(c.argv, 'attempt-deadline')),
        fix: shellLine(c),
      });
    }
  }
  return { project: o.project, region: o.region, bindings, secrets, functions, jobs };
}

/**
 * The deployment options and plan for the preflight's options. Mail settings do not change
 * any binding, secret, runtime or job, so placeholders stand in for them.
 */
export function planFor(o: { project: string; region?: string; sharedDriveId?: string; operator?: string; campaignSchema?: string }): { options: DeployOptions; expectations: PlanExpectations } {
  const options = deployOptionsSchema.parse({
    project: o.project,
    // Locally no operator acts as the service account: a placeholder keeps the plan whole.
    operator: o.operator ?? 'operator@preflight.invalid',
    ...(o.region ? { region: o.region } : {}),
    smtpHost: 'smtp.invalid',
    mailFrom: 'preflight <preflight@invalid>',
    sharedDriveId: o.sharedDriveId ?? 'preflight-shared-drive',
    ...(o.campaignSchema ? { campaignSchema: o.campaignSchema } : {}),
  });
  return { options, expectations: expectationsOf(deploymentPlan(options), options) };
}
