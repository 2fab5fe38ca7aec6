import { UsageError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import type { GitLabProject } from '../ports/gitlab.js';
import { inspectCaPem, type CaCertInfo } from '../plan/ca-cert.js';
import { CHART_NAME, DEFAULT_CHART_REPO, type ChartSource, type InstallPlan, type RbacChoice } from '../plan/install-plan.js';
import { defaultNamespace, defaultTokenSecretName, namespaceProblem, releaseNameProblem } from '../plan/names.js';
import { SUGGESTED_NO_PROXY, proxyUrlProblem } from '../plan/urls.js';
import { imageTagSkewWarning } from '../plan/versions.js';
import type { InstallDeps } from './deps.js';
import type { InstallOptions } from './options.js';

export interface OptionContext {
  opts: InstallOptions;
  /** --kas-ca-cert, already read and checked before any network call. */
  preloadedCa?: { pem: string; info: CaCertInfo };
  deps: InstallDeps;
  io: FlowIO;
  context: string;
  gitlabUrl: string;
  gitlabVersion: string;
  recommendedTag?: string;
  kasAddress: string;
  project: GitLabProject;
  agentName: string;
  agentId?: number;
}

export interface ChosenOptions {
  plan: InstallPlan;
  warnings: string[];
  ca?: CaCertInfo;
}

async function askText(io: FlowIO, id: string, flag: string, message: string, help: string, def: string, validate?: (v: string) => string | undefined): Promise<string> {
  return (await io.asker.ask({ kind: 'input', id, flag, message, help, default: def, validate })).trim();
}

/** Reads and checks the KAS CA file: PEM via node:crypto, subject and expiry shown, expired refused unless allowed. */
export async function loadKasCa(path: string, deps: InstallDeps, allowExpired: boolean): Promise<{ pem: string; info: CaCertInfo }> {
  let pem: string;
  try {
    pem = await deps.files.readText(path);
  } catch (err) {
    throw new UsageError('--kas-ca-cert', `cannot read ${path}: ${(err as Error).message}`, 'pass the path of a PEM file');
  }
  const info = inspectCaPem(pem);
  if ('problem' in info) throw new UsageError('--kas-ca-cert', `${path} ${info.problem}`, 'pass the PEM CA certificate KAS is signed with');
  if (info.expired && !allowExpired) {
    throw new UsageError('--kas-ca-cert', `${path} expired on ${info.validTo.toISOString().slice(0, 10)} (${info.subject})`, 'use a current CA, or pass --allow-expired-ca');
  }
  return { pem, info };
}

/** Every install option, each with its default and a one-line reason; flags answer without asking. */
export async function chooseOptions(c: OptionContext): Promise<ChosenOptions> {
  const { opts, io, deps } = c;
  const warnings: string[] = [];

  const namespace =
    opts.namespace ??
    (await askText(io, 'namespace', '--namespace', 'Namespace for the agent', 'The GitLab UI uses gitlab-agent-<agent>; one agent per namespace keeps them apart.', defaultNamespace(c.agentName), namespaceProblem));
  const release =
    opts.release ??
    (await askText(io, 'release', '--release', 'Helm release name', 'Defaults to the agent name; several agents in one cluster need different releases.', c.agentName, releaseNameProblem));

  const tagDefault = c.recommendedTag ?? '';
  const imageTag =
    opts.imageTag ??
    (await askText(
      io,
      'image-tag',
      '--image-tag',
      'agentk image tag',
      c.recommendedTag
        ? `Matches GitLab ${c.gitlabVersion} (same major.minor; one minor either side is supported). Empty = the chart's appVersion.`
        : "Empty = the chart's appVersion (what GitLab.com does).",
      tagDefault,
    ));
  if (imageTag) {
    const skew = imageTagSkewWarning(imageTag, c.gitlabVersion);
    if (skew) warnings.push(skew);
  }
  const chartVersion =
    opts.chartVersion ?? (await askText(io, 'chart-version', '--chart-version', 'Chart version', 'Empty = the newest gitlab-agent chart.', ''));

  const chart: ChartSource = opts.chart ? { kind: 'ref', ref: opts.chart } : { kind: 'repo', repo: opts.chartRepo ?? DEFAULT_CHART_REPO, name: CHART_NAME };

  // Proxy: asked only when no proxy flag was given.
  let { httpProxy, httpsProxy, noProxy } = opts;
  const anyProxyFlag = httpProxy !== undefined || httpsProxy !== undefined || noProxy !== undefined;
  if (!anyProxyFlag) {
    const useProxy = await io.asker.ask({
      kind: 'confirm',
      id: 'use-proxy',
      message: 'Does the cluster reach GitLab through an HTTP proxy?',
      help: 'Sets HTTPS_PROXY/HTTP_PROXY/NO_PROXY on agentk through the chart\'s extraEnv.',
      default: false,
    });
    if (useProxy) {
      httpsProxy = await askText(io, 'https-proxy', '--https-proxy', 'HTTPS_PROXY', 'Proxy URL for https:// and wss:// traffic to GitLab.', '', (v) => (v ? proxyUrlProblem(v) : 'enter the proxy URL'));
      const http = await askText(io, 'http-proxy', '--http-proxy', 'HTTP_PROXY (optional)', 'Proxy for plain http:// traffic; empty = none.', '', (v) => (v ? proxyUrlProblem(v) : undefined));
      httpProxy = http || undefined;
      noProxy = await askText(io, 'no-proxy', '--no-proxy', 'NO_PROXY', 'In-cluster destinations that must bypass the proxy; add your Service CIDR.', SUGGESTED_NO_PROXY);
    }
  }
  if (httpProxy || httpsProxy) {
    warnings.push('With a proxy set, DNS rebind protection is skipped when GitLab\'s domain cannot be resolved (GitLab docs).');
    if (!noProxy) warnings.push(`NO_PROXY is empty: in-cluster traffic will go through the proxy. Consider --no-proxy ${SUGGESTED_NO_PROXY}`);
  }

  // KAS CA certificate.
  let caPath = opts.kasCaCert;
  if (caPath === undefined) {
    const privateCa = await io.asker.ask({
      kind: 'confirm',
      id: 'use-kas-ca',
      message: 'Is the agent server (KAS) behind a self-signed or private CA certificate?',
      help: 'The CA goes into config.kasCaCert (a ConfigMap mounted in the pod).',
      default: false,
    });
    if (privateCa) {
      caPath = await askText(io, 'kas-ca-cert', '--kas-ca-cert', 'Path of the KAS CA certificate (PEM)', 'Parsed here; subject and expiry are shown in the review.', '', (v) => (v ? undefined : 'enter a file path'));
    }
  }
  let ca: { pem: string; info: CaCertInfo } | undefined;
  if (caPath) ca = c.preloadedCa ?? (await loadKasCa(caPath, deps, opts.allowExpiredCa ?? false));

  // RBAC.
  let rbac: RbacChoice;
  if (opts.noRbac) rbac = { mode: 'none' };
  else if (opts.existingRole) rbac = { mode: 'existing-role', role: opts.existingRole };
  else if (opts.serviceAccount !== undefined || opts.yes) rbac = { mode: 'cluster-admin' };
  else {
    const mode = await io.asker.ask({
      kind: 'select',
      id: 'rbac',
      flag: '--existing-role',
      message: 'What may the agent do in the cluster?',
      help: 'cluster-admin is the chart default; GitLab advises a narrower role in production.',
      choices: [
        { value: 'cluster-admin', label: 'cluster-admin', hint: 'chart default; not for production' },
        { value: 'existing-role', label: 'an existing ClusterRole', hint: 'bind a role you created' },
        { value: 'none', label: 'no binding', hint: 'you create the ClusterRoleBinding yourself' },
      ],
      default: 'cluster-admin',
    });
    if (mode === 'existing-role') {
      rbac = { mode, role: await askText(io, 'existing-role', '--existing-role', 'Name of the ClusterRole to bind', 'It must exist before the install.', '', (v) => (v ? undefined : 'enter a role name')) };
    } else rbac = { mode: mode === 'none' ? 'none' : 'cluster-admin' };
  }
  if (rbac.mode === 'cluster-admin') {
    warnings.push('The agent gets cluster-admin: fine for a trial, but for production bind a narrower role (--existing-role) (GitLab docs).');
  }

  // Which file to commit to the project, if any.
  let createConfig = opts.createConfig as InstallPlan['createConfig'] | undefined;
  if (createConfig === undefined && !opts.yes) {
    createConfig = (await io.asker.ask({
      kind: 'select',
      id: 'create-config',
      flag: '--create-config',
      message: `Commit .gitlab/agents/${c.agentName}/config.yaml to ${c.project.pathWithNamespace}?`,
      help: 'Optional. Needed to let CI/CD jobs or users of this project reach the cluster.',
      choices: [
        { value: 'none', label: 'no', hint: 'keep or add it yourself' },
        { value: 'empty', label: 'an empty file' },
        { value: 'ci-access', label: 'with ci_access for this project', hint: 'CI/CD jobs can use the agent' },
        { value: 'user-access', label: 'with user_access for this project', hint: 'members can use the Kubernetes dashboard' },
      ],
      default: 'none',
    })) as InstallPlan['createConfig'];
  }

  const plan: InstallPlan = {
    kubeconfig: opts.kubeconfig,
    context: c.context,
    gitlabUrl: c.gitlabUrl,
    projectId: c.project.id,
    projectPath: c.project.pathWithNamespace,
    agentName: c.agentName,
    agentId: c.agentId,
    kasAddress: c.kasAddress,
    namespace,
    createNamespace: opts.createNamespace ?? true,
    release,
    chart,
    chartVersion: chartVersion || undefined,
    imageTag: imageTag || undefined,
    imageRepository: opts.imageRepository,
    proxy: { httpProxy: httpProxy || undefined, httpsProxy: httpsProxy || undefined, noProxy: noProxy || undefined },
    kasCaCertPath: caPath,
    kasCaCertPem: ca?.pem,
    rbac,
    serviceAccount: opts.serviceAccount,
    tokenSecretName: opts.tokenSecret ?? defaultTokenSecretName(c.agentName),
    ownTokenSecret: opts.tokenSecret !== undefined,
    valuesFiles: opts.values,
    sets: opts.set,
    setStrings: opts.setString ?? [],
    createConfig: createConfig ?? 'none',
    timeoutMs: opts.timeoutMs,
  };
  return { plan, warnings, ca: ca?.info };
}
