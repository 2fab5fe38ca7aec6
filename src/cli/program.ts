import { Command, Option } from 'commander';
import type { CommandId } from '../core/flow/outcome.js';
import { DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, type InstallOptions } from '../core/install/options.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { parseDuration } from './duration.js';

export interface Globals {
  plain: boolean;
  yes: boolean;
  color: boolean;
  demo: boolean;
}

export type Invocation =
  | { kind: 'menu'; globals: Globals }
  | { kind: 'install'; globals: Globals; options: InstallOptions }
  | { kind: 'pending'; command: Exclude<CommandId, 'install'>; globals: Globals };

const collect = (value: string, previous: string[]) => [...previous, value];

const ENV_HELP = `Environment:
  KUBECONFIG                 kubeconfig files, ':'-separated (like kubectl)
  GITLAB_TOKEN               GitLab personal access token with the api scope (never pass it as a flag)
  GITLAB_HOST, GITLAB_URL    GitLab instance (default: glab's configured host, else https://gitlab.com)
  NODE_EXTRA_CA_CERTS        extra CAs for reaching GitLab
  NO_COLOR                   no colours`;

function globalsOf(cmd: Command): Globals {
  const o = cmd.optsWithGlobals<{ plain?: boolean; yes?: boolean; color?: boolean; demo?: boolean }>();
  return { plain: o.plain ?? false, yes: o.yes ?? false, color: o.color !== false, demo: o.demo ?? false };
}

function installOptionsOf(cmd: Command): InstallOptions {
  // Commander names --no-proxy's value "proxy" (its --no- prefix means negation); a string means a value was given.
  const o = cmd.opts<Record<string, unknown>>();
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const globals = globalsOf(cmd);
  return {
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    gitlabUrl: str('gitlabUrl'),
    gitlabCa: str('gitlabCa'),
    kasAddress: str('kasAddress'),
    project: str('project'),
    agent: str('agent'),
    method: str('method'),
    namespace: str('namespace'),
    createNamespace: o.createNamespace === false ? false : undefined,
    release: str('release'),
    imageTag: str('imageTag'),
    imageRepository: str('imageRepository'),
    chartVersion: str('chartVersion'),
    chartRepo: str('chartRepo'),
    chart: str('chart'),
    httpProxy: str('httpProxy'),
    httpsProxy: str('httpsProxy'),
    noProxy: str('proxy'),
    kasCaCert: str('kasCaCert'),
    allowExpiredCa: o.allowExpiredCa === true,
    serviceAccount: str('serviceAccount'),
    existingRole: str('existingRole'),
    noRbac: o.rbac === false,
    tokenSecret: str('tokenSecret'),
    revokeToken: str('revokeToken'),
    values: (o.values as string[]) ?? [],
    set: (o.set as string[]) ?? [],
    setString: (o.setString as string[]) ?? [],
    createConfig: o.createConfig === true ? 'empty' : str('createConfig'),
    valuesOut: str('valuesOut'),
    helmLog: str('helmLog'),
    cleanupOnFailure: o.cleanupOnFailure === true,
    yes: globals.yes,
    dryRun: o.dryRun === true,
    timeoutMs: parseDuration(str('timeout') ?? DEFAULT_TIMEOUT),
    connectTimeoutMs: parseDuration(str('connectTimeout') ?? DEFAULT_CONNECT_TIMEOUT),
  };
}

/** Builds the command tree; `onInvoke` receives what the user asked for. Help text is the contract. */
export function buildProgram(version: string, onInvoke: (inv: Invocation) => void): Command {
  const program = new Command('gitlab-agent-tui')
    .description('Install and look after the GitLab agent for Kubernetes (agentk) from your terminal.\nWithout a command on a terminal it opens the main menu.')
    .version(version, '-V, --version')
    .option('--plain', 'ask line by line instead of the full-screen interface (also when TERM=dumb)')
    .option('-y, --yes', 'never ask: take defaults, and fail (exit 2) naming the flag for anything required')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .addOption(new Option('--demo', 'run against an embedded simulated cluster and GitLab').hideHelp())
    .showHelpAfterError(false)
    .addHelpText('after', `\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`)
    .action((_opts, cmd: Command) => onInvoke({ kind: 'menu', globals: globalsOf(cmd) }));

  program
    .command('install')
    .description('Register an agent in GitLab and install it with Helm in a cluster, then wait until it is Ready and connected')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kube context to install into (default: ask; with --yes the current context)')
    .option('--gitlab-url <url>', 'GitLab instance URL (default: GITLAB_HOST, glab config, https://gitlab.com)')
    .option('--gitlab-ca <pem>', 'CA certificate that signed GitLab, for a private CA')
    .option('--kas-address <url>', "agent server address (default: GitLab's kas.externalUrl)")
    .option('--project <path|id>', 'project that holds the agent (Maintainer role needed)')
    .option('--agent <name>', 'agent name (DNS label: lowercase, digits, "-", at most 63)')
    .option('--method <method>', 'helm (default) or advanced')
    .option('-n, --namespace <name>', 'namespace for the agent (default: gitlab-agent-<agent>)')
    .option('--no-create-namespace', 'fail instead of creating a missing namespace')
    .option('--release <name>', 'helm release name (default: the agent name)')
    .option('--image-tag <tag>', "agentk image tag (default: GitLab's major.minor, e.g. v18.6.0; chart appVersion on GitLab.com)")
    .option('--image-repository <repo>', 'agentk image repository, for mirrors and air-gapped clusters')
    .option('--chart-version <version>', 'gitlab-agent chart version (default: newest)')
    .option('--chart-repo <url>', 'chart repository URL (default: https://charts.gitlab.io)')
    .option('--chart <ref>', 'chart from a local directory, a .tgz or an oci:// reference instead of a repository')
    .option('--http-proxy <url>', 'HTTP_PROXY for agentk')
    .option('--https-proxy <url>', 'HTTPS_PROXY for agentk')
    .option('--no-proxy <hosts>', 'NO_PROXY for agentk (comma-separated)')
    .option('--kas-ca-cert <pem>', 'CA certificate KAS is signed with (config.kasCaCert)')
    .option('--allow-expired-ca', 'accept an expired --kas-ca-cert')
    .option('--service-account <name>', 'use this existing service account instead of creating one')
    .option('--existing-role <name>', 'bind this existing ClusterRole instead of cluster-admin')
    .option('--no-rbac', 'create no ClusterRoleBinding (you bind the service account yourself)')
    .option('--token-secret <name>', 'use your own Secret (key "token") in the namespace; no token is created')
    .option('--revoke-token <id>', 'when the agent already has two active tokens, revoke this one')
    .option('--values <file>', 'extra helm values file (repeatable)', collect, [])
    .option('--set <key=value>', 'extra helm value (repeatable); never a token', collect, [])
    .option('--set-string <key=value>', 'extra helm value kept as a string (repeatable), e.g. annotations', collect, [])
    .option('--create-config [kind]', 'commit .gitlab/agents/<agent>/config.yaml: empty, ci-access or user-access')
    .option('--values-out <file>', 'also write the helm values to this file (for GitOps)')
    .option('--helm-log <file>', "write helm's full output to this file (the screen keeps the last lines)")
    .option('--cleanup-on-failure', 'after a failure, remove what this run created without asking')
    .option('--dry-run', 'check everything read-only and print the plan and helm command; create nothing')
    .option('--timeout <duration>', 'how long to wait for the pods to be Ready', DEFAULT_TIMEOUT)
    .option('--connect-timeout <duration>', 'how long to wait for GitLab to see the agent', DEFAULT_CONNECT_TIMEOUT)
    .addHelpText('after', `\nExamples:\n  gitlab-agent-tui install\n  GITLAB_TOKEN=… gitlab-agent-tui install --yes --project group/infra --agent prod --context prod-eu\n  gitlab-agent-tui install --dry-run --project group/infra --agent prod\n\n${EXIT_CODES_HELP}`)
    .action((_opts, cmd: Command) => onInvoke({ kind: 'install', globals: globalsOf(cmd), options: installOptionsOf(cmd) }));

  const pending: [Exclude<CommandId, 'install'>, string][] = [
    ['troubleshoot', 'Diagnose an installed agent (reconcile errors, connection, pods)'],
    ['upgrade', 'Upgrade an installed agent to another chart or agentk version'],
    ['uninstall', 'Remove an installed agent from the cluster (and optionally GitLab)'],
    ['status', 'Show the agents in a cluster and whether GitLab sees them'],
  ];
  for (const [name, description] of pending) {
    program
      .command(name)
      .description(`${description} (not available in this version yet)`)
      .addHelpText('after', `\n${EXIT_CODES_HELP}`)
      .action((_opts, cmd: Command) => onInvoke({ kind: 'pending', command: name, globals: globalsOf(cmd) }));
  }
  return program;
}
