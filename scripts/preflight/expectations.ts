/**
 * What a deployed project must look like, read off the deployment plan itself
 * (scripts/deploy/plan.ts `deploymentPlan()`): every IAM binding it adds, every secret it
 * creates, the runtime of every function it deploys, every scheduler job it creates. The
 * preflight never keeps its own list, so it cannot drift from what `npm run deploy` does: a
 * step added to the plan is a step the preflight checks, and the plan's own command is the fix.
 */
import {
  deployOptionsSchema,
  deploymentPlan,
  shellLine,
  type DeployOptions,
  type PlannedCommand,
} from '../deploy/plan.js';

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
    const argument = argv[i]!;
    if (argument.startsWith(`--${name}=`)) return argument.slice(name.length + 3);
    if (argument === `--${name}` && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return argv[i + 1]!;
  }
  return null;
}

/** The positional arguments after `gcloud`, up to the first flag. */
function positionals(argv: string[]): string[] {
  const out: string[] = [];
  for (const argument of argv.slice(1)) {
    if (argument.startsWith('--')) break;
    out.push(argument);
  }
  return out;
}

/** "540s", "9m", "1h", "30" → seconds (gcloud durations); null when not understood. */
export function durationSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return match[2] === 'h' ? amount * 3600 : match[2] === 'm' ? amount * 60 : amount;
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

function bindingOf(command: PlannedCommand, project: string): ExpectedBinding | null {
  const pos = positionals(command.argv);
  const verbAt = pos.findIndex((p) => p === 'add-iam-policy-binding' || p === 'add-invoker-policy-binding');
  if (command.argv[0] !== 'gcloud' || verbAt < 0) return null;
  const group = pos.slice(0, verbAt);
  const resource = pos[verbAt + 1] ?? project;
  const member = flagValue(command.argv, 'member');
  // `functions add-invoker-policy-binding` grants Cloud Run's invoker role on a 2nd-gen function's service.
  const role = pos[verbAt] === 'add-invoker-policy-binding' ? 'roles/run.invoker' : flagValue(command.argv, 'role');
  if (!member || !role) return null;
  const locators = command.argv.filter((a) => LOCATOR_FLAGS.some((f) => a.startsWith(`--${f}=`)));
  return { group, resource, member, role, locators, title: command.title, fix: shellLine(command) };
}

/** Reads the expectations off a plan (pure; the plan is data). */
export function expectationsOf(
  plan: PlannedCommand[],
  options: Pick<DeployOptions, 'project' | 'region'>,
): PlanExpectations {
  const bindings: ExpectedBinding[] = [];
  const secrets: ExpectedSecret[] = [];
  const functions: ExpectedFunction[] = [];
  const jobs: ExpectedJob[] = [];
  for (const command of plan) {
    if (command.argv[0] !== 'gcloud') continue;
    const pos = positionals(command.argv);
    const binding = bindingOf(command, options.project);
    if (binding) {
      bindings.push(binding);
      continue;
    }
    const head = pos.slice(0, 3).join(' ');
    if (head.startsWith('secrets create ')) secrets.push({ name: pos[2]!, addVersion: null });
    else if (head.startsWith('secrets versions add')) {
      const secret = secrets.find((x) => x.name === pos[3]);
      if (secret) secret.addVersion = shellLine(command);
    } else if (head.startsWith('functions deploy ')) {
      functions.push({
        name: pos[2]!,
        runtime: flagValue(command.argv, 'runtime'),
        fix: `npm run deploy -- --project ${options.project} … (bước "${command.title}")`,
      });
    } else if (pos.slice(0, 4).join(' ') === 'scheduler jobs create http') {
      const uri = flagValue(command.argv, 'uri');
      jobs.push({
        name: pos[4]!,
        schedule: flagValue(command.argv, 'schedule'),
        timeZone: flagValue(command.argv, 'time-zone'),
        uri,
        targetFunction: uri ? (new URL(uri).pathname.split('/').filter(Boolean).pop() ?? null) : null,
        body: parseBody(flagValue(command.argv, 'message-body')),
        oidcServiceAccount: flagValue(command.argv, 'oidc-service-account-email'),
        oidcAudience: flagValue(command.argv, 'oidc-token-audience'),
        attemptDeadlineSeconds: durationSeconds(flagValue(command.argv, 'attempt-deadline')),
        fix: shellLine(command),
      });
    }
  }
  return { project: options.project, region: options.region, bindings, secrets, functions, jobs };
}

/**
 * The deployment options and plan for the preflight's options. Mail settings do not change
 * any binding, secret, runtime or job, so placeholders stand in for them.
 */
export function planFor(params: {
  project: string;
  region?: string;
  sharedDriveId?: string;
  operator?: string;
  campaignSchema?: string;
}): { options: DeployOptions; expectations: PlanExpectations } {
  const options = deployOptionsSchema.parse({
    project: params.project,
    // Locally no operator acts as the service account: a placeholder keeps the plan whole.
    operator: params.operator ?? 'operator@preflight.invalid',
    ...(params.region ? { region: params.region } : {}),
    smtpHost: 'smtp.invalid',
    mailFrom: 'preflight <preflight@invalid>',
    sharedDriveId: params.sharedDriveId ?? 'preflight-shared-drive',
    ...(params.campaignSchema ? { campaignSchema: params.campaignSchema } : {}),
  });
  return { options, expectations: expectationsOf(deploymentPlan(options), options) };
}
