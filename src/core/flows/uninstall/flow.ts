import type { AgentInstall } from '../../discovery/agent-install.js';
import { findInstalls } from '../../discovery/find-installs.js';
import { checkHelm } from '../../delivery/helm/tools.js';
import { ExitCode, FlowError, UsageError } from '../../kernel/errors.js';
import type { ReviewItem } from '../../kernel/events.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { toOutcome } from '../../kernel/to-outcome.js';
import { validateOptions } from '../../options/catalogue.js';
import { buildHelmUninstallArgs, helmUninstallCommand } from '../../plan/helm/argv.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster, NamespaceInfo } from '../../ports/kube/index.js';
import { AgentResolver, type AgentRef } from '../../steps/lifecycle/agent-ref.js';
import { awaitPodsGone } from '../../steps/lifecycle/await-pods-gone.js';
import { chooseInstall } from '../../steps/lifecycle/choose-installs.js';
import { describeFluxSource, fluxSource } from '../../steps/lifecycle/flux-source.js';
import { namespaceLeftovers } from '../../steps/lifecycle/namespace-leftovers.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { chooseAgentCluster } from '../../steps/lifecycle/agent-cluster.js';
import { connectGitLab, type GitLabSession } from '../../steps/target/connect-gitlab.js';
import { planGitLabCleanup, type GitLabCleanup } from './gitlab-cleanup.js';
import { UNINSTALL_OPTION_IDS, type UninstallOptions } from './options.js';

const GITLAB = 'a GitLab request';

/** What `uninstall --output json` prints (README documents it). */
export interface UninstallResult {
  schemaVersion: 1;
  context: string;
  namespace: string;
  release: string;
  /** What this run removed, one line each. */
  removed: string[];
  /** What is still there and where, one line each. */
  remains: string[];
  gitlab: { tokenRevoked: boolean; agentDeleted: boolean; configDeleted: boolean };
}

const wantsGitLab = (o: UninstallOptions) => o.revokeAgentToken === true || o.deleteAgent === true || o.deleteConfig === true;

/** GitLab is needed only for the GitLab clean-up: without a token it is skipped, unless a clean-up flag asks for it. */
async function gitlabFor(
  install: AgentInstall,
  opts: UninstallOptions,
  gitlabCa: string | undefined,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
) {
  if (!install.token?.agentId) {
    if (wantsGitLab(opts))
      throw new UsageError(
        '--delete-agent',
        `the GitLab agent of ${installName(install)} is unknown (no token Secret of this tool beside it)`,
        'clean up in GitLab by hand, or leave out the GitLab flags',
      );
    return undefined;
  }
  return steps.run(
    'gitlab',
    'GitLab',
    async (ctl) => {
      let session: GitLabSession;
      try {
        session = await connectGitLab(opts.gitlabUrl, gitlabCa, ports, io);
      } catch (err) {
        if (wantsGitLab(opts) || !(err instanceof UsageError)) throw err;
        ctl.skip(`not asked (${err.line()}): the agent stays registered in GitLab`);
        return undefined;
      }
      const found = await new AgentResolver(session.client, opts.project).resolve(install);
      if ('missing' in found) {
        if (wantsGitLab(opts))
          throw new UsageError('--project', `the GitLab agent of ${installName(install)} cannot be found: ${found.missing}`);
        ctl.skip(found.missing);
        return undefined;
      }
      ctl.detail(`${session.client.url} · agent ${found.ref.agentName} (id ${found.ref.agentId}) in ${found.ref.projectPath}`);
      return { session, agent: found.ref };
    },
    GITLAB,
  );
}

function namespacePlan(ns: NamespaceInfo | undefined, namespace: string): { remove: boolean; why: string } {
  if (!ns) return { remove: false, why: 'already gone' };
  if (!ns.managedByUs) return { remove: false, why: 'kept: not created by this tool' };
  if (ns.terminating) return { remove: false, why: 'already terminating' };
  return { remove: true, why: `removed if nothing else is left in ${namespace}` };
}

/**
 * Uninstall: pick an install, decide everything (GitLab clean-up asked one by one, default no), review,
 * confirm by typing the release name (or --yes), then helm uninstall, wait for the pods to go, delete our
 * token Secret and the namespace if this tool made it and it is empty, and the chosen GitLab clean-up.
 * Says exactly what remains and where.
 */
export async function runUninstall(opts: UninstallOptions, ports: Ports, io: FlowIO): Promise<FlowOutcome<UninstallResult>> {
  const steps = new StepRunner(io.emit, io.signal);
  const removed: string[] = [];
  try {
    validateOptions(UNINSTALL_OPTION_IDS, opts);
    const local = await readLocalInputs({ values: [], gitlabCa: opts.gitlabCa, kasCaCert: undefined, allowExpiredCa: false }, ports.files);
    const source = { kubeconfig: opts.kubeconfig };
    const context = await chooseAgentCluster(steps, opts.kubeconfig, opts.context, ports, io);
    await steps.run(
      'helm',
      'Helm',
      async (ctl) => {
        const r = await checkHelm(ports, false, io);
        if (r.detail) ctl.detail(r.detail);
      },
      'helm',
    );
    const cluster = await ports.kube.cluster(source, context);
    const installs = await steps.run(
      'discover',
      'Agent installs',
      async (ctl) => {
        const found = await findInstalls(cluster, ports.helm, { kubeconfig: opts.kubeconfig, context }, opts.namespace);
        ctl.detail(`${found.length} found`);
        return found;
      },
      'a Kubernetes request',
    );
    const install = await chooseInstall(
      installs,
      {
        release: opts.release,
        namespace: opts.namespace,
        verb: 'uninstall',
        unusable: (i) =>
          i.method === 'unknown' ? 'not a helm release: remove its objects with kubectl' : !i.release ? 'no release name' : undefined,
      },
      context,
      io,
    );
    if (install.method === 'flux') return await fluxUninstall(install, cluster);
    const release = install.release!;
    const at = { kubeconfig: opts.kubeconfig, context, namespace: install.namespace };

    const gl = await gitlabFor(install, opts, local.gitlabCa, ports, io, steps);
    const cleanup: GitLabCleanup = gl
      ? await planGitLabCleanup(gl.session.client, gl.agent, gl.agent.defaultBranch, opts, io)
      : { revokeToken: false, deleteAgent: false };
    const ns = namespacePlan(await cluster.namespaceInfo(install.namespace), install.namespace);

    const items: ReviewItem[] = [
      { label: 'Cluster context', value: context },
      {
        label: 'Helm release',
        value: `${release} in ${install.namespace} (${install.chart ?? 'chart ?'}, agentk ${install.agentVersion ?? '?'}): uninstalled`,
      },
      { label: 'Token Secret', value: install.token?.secret && install.ours ? `${install.token.secret}: deleted` : 'none of this tool' },
      { label: 'Namespace', value: `${install.namespace}: ${ns.why}` },
      ...(gl
        ? [
            {
              label: 'Agent token',
              value: cleanup.revokeToken ? `revoke token ${gl.agent.tokenId}` : `keep token ${gl.agent.tokenId ?? '?'} active`,
              ...(cleanup.revokeToken ? {} : { warning: 'still valid in GitLab' }),
            },
            {
              label: 'GitLab agent',
              value: cleanup.deleteAgent
                ? `delete ${gl.agent.agentName} from ${gl.agent.projectPath}`
                : `keep ${gl.agent.agentName} registered in ${gl.agent.projectPath}`,
              ...(cleanup.deleteAgent && cleanup.connections ? { warning: `${cleanup.connections} live connection(s) now` } : {}),
            },
            {
              label: 'Config file',
              value: cleanup.deleteConfig
                ? `delete ${cleanup.deleteConfig.path} on ${cleanup.deleteConfig.branch}`
                : cleanup.configPath
                  ? `keep ${cleanup.configPath}`
                  : 'none',
            },
          ]
        : [{ label: 'GitLab', value: 'not changed: the agent stays registered', warning: 'clean up in GitLab yourself' }]),
    ];
    const command = [
      `${helmUninstallCommand(at, release)}`,
      ...(install.token?.secret && install.ours
        ? [`kubectl --context ${context} -n ${install.namespace} delete secret ${install.token.secret}`]
        : []),
      ...(ns.remove ? [`kubectl --context ${context} delete namespace ${install.namespace}   # only if empty`] : []),
    ].join('\n');
    io.emit({ type: 'review', items, command, commandTitle: 'Equivalent commands:' });
    if (opts.dryRun)
      return {
        exitCode: ExitCode.ok,
        headline: 'Dry run: nothing was removed.',
        details: [],
        ledger: [],
        sections: [{ kind: 'code', title: 'The uninstall would run:', text: command }],
      };

    await io.asker.ask({
      kind: 'input',
      id: 'confirm-release',
      flag: '--yes',
      message: `Type the release name (${release}) to uninstall it`,
      help: 'This removes the agent from the cluster; anything else is as listed above.',
      validate: (v) => (v.trim() === release ? undefined : `type "${release}" exactly to confirm, or press ctrl-c to stop`),
      yesAnswer: release,
    });
    return await apply(install, release, at, cluster, ns.remove, gl, cleanup, opts, ports, io, steps, removed);
  } catch (err) {
    const outcome = toOutcome(err, []) as FlowOutcome<UninstallResult>;
    return removed.length > 0
      ? {
          ...outcome,
          details: [...outcome.details.filter((d) => d !== 'Nothing was created.'), 'Removed so far:', ...removed.map((r) => `  ${r}`)],
        }
      : outcome;
  }
}

async function apply(
  install: AgentInstall,
  release: string,
  at: { kubeconfig?: string; context: string; namespace: string },
  cluster: KubeCluster,
  mayRemoveNamespace: boolean,
  gl: { session: GitLabSession; agent: AgentRef } | undefined,
  cleanup: GitLabCleanup,
  opts: UninstallOptions,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
  removed: string[],
): Promise<FlowOutcome<UninstallResult>> {
  const remains: string[] = [];
  const { namespace, context } = at;
  await steps.run(
    'helm-uninstall',
    'helm uninstall',
    async (ctl) => {
      const r = await ports.helm.run({
        args: buildHelmUninstallArgs(at, release),
        onLine: (line, stream) => io.emit({ type: 'log', source: 'helm', line, stream }),
        signal: io.signal,
      });
      if (r.exitCode !== 0)
        throw new FlowError(
          'helm',
          `helm uninstall exited with ${r.exitCode}: ${
            r.stderrTail
              .filter((l) => l.trim())
              .at(-1)
              ?.replace(/^Error: /, '') ?? 'no error output'
          }`,
        );
      removed.push(`helm release ${release} in ${namespace}`);
      ctl.detail(`release ${release} removed`);
    },
    'helm',
  );
  if (install.deployment?.selector) {
    const selector = install.deployment.selector;
    await steps.run(
      'pods-gone',
      'Agent pods gone',
      async (ctl) => {
        const n = await awaitPodsGone(cluster, namespace, selector, opts.timeoutMs, ports.clock, io.signal);
        ctl.detail(n > 0 ? `${n} pod${n === 1 ? '' : 's'} ended` : 'none were left');
      },
      'the pod watch',
    );
  }
  const secret = install.ours ? install.token?.secret : undefined;
  if (secret) {
    await steps.run(
      'secret',
      'Token Secret',
      async (ctl) => {
        await cluster.deleteSecret(namespace, secret);
        removed.push(`Secret ${namespace}/${secret}`);
        ctl.detail(`deleted ${secret}`);
      },
      'a Kubernetes request',
    );
  }
  await steps.run(
    'namespace',
    'Namespace',
    async (ctl) => {
      const info = await cluster.namespaceInfo(namespace);
      if (!info) return ctl.detail(`${namespace} is gone`);
      if (!mayRemoveNamespace) {
        remains.push(`namespace ${namespace} (not created by this tool)`);
        return ctl.skip(`${namespace} kept: not created by this tool`);
      }
      const others = await namespaceLeftovers(
        cluster,
        namespace,
        info.secretNames.filter((n) => !n.startsWith(`sh.helm.release.v1.${release}.`)),
      );
      if (others.length > 0) {
        remains.push(
          `namespace ${namespace}, which still holds ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`,
        );
        return ctl.skip(`${namespace} kept: not empty (${others.length} object${others.length === 1 ? '' : 's'})`);
      }
      await cluster.deleteNamespace(namespace);
      removed.push(`namespace ${namespace}`);
      ctl.detail(`deleted ${namespace}`);
    },
    'a Kubernetes request',
  );

  const gitlab = { tokenRevoked: false, agentDeleted: false, configDeleted: false };
  if (gl) {
    const { client } = gl.session;
    const { agent } = gl;
    if (cleanup.revokeToken && agent.tokenId !== undefined) {
      await steps.run(
        'revoke',
        'Revoke the agent token',
        async (ctl) => {
          await client.revokeToken(agent.projectId, agent.agentId, agent.tokenId!);
          gitlab.tokenRevoked = true;
          removed.push(`agent token ${agent.tokenId} (revoked)`);
          ctl.detail(`token ${agent.tokenId} revoked`);
        },
        GITLAB,
      );
    } else if (agent.tokenId !== undefined && !cleanup.deleteAgent) {
      remains.push(
        `agent token ${agent.tokenId}, still active in GitLab: ${gl.session.client.url}/${agent.projectPath}/-/cluster_agents/${agent.agentName}`,
      );
    }
    if (cleanup.deleteConfig) {
      const file = cleanup.deleteConfig;
      await steps.run(
        'config',
        'Agent configuration file',
        async (ctl) => {
          const commit = await client.commitFiles(agent.projectId, {
            branch: file.branch,
            message: `Remove GitLab agent configuration for ${agent.agentName}`,
            actions: [{ action: 'delete', path: file.path }],
          });
          gitlab.configDeleted = true;
          removed.push(`${file.path} on ${file.branch} (commit ${commit.id.slice(0, 8)})`);
          ctl.detail(`deleted ${file.path} (commit ${commit.id.slice(0, 8)})`);
        },
        GITLAB,
      );
    } else if (cleanup.configPath) {
      remains.push(`${cleanup.configPath} in ${agent.projectPath}`);
    }
    if (cleanup.deleteAgent) {
      await steps.run(
        'agent',
        'Delete the GitLab agent',
        async (ctl) => {
          await client.deleteAgent(agent.projectId, agent.agentId);
          gitlab.agentDeleted = true;
          removed.push(`agent ${agent.agentName} (id ${agent.agentId}) in ${agent.projectPath}, with its tokens`);
          ctl.detail(`deleted ${agent.agentName}`);
        },
        GITLAB,
      );
    } else {
      remains.push(`agent ${agent.agentName} (id ${agent.agentId}), registered in ${agent.projectPath}`);
    }
  } else if (install.token?.agentName) {
    remains.push(
      `the GitLab agent ${install.token.agentName} and its token${install.token.tokenId !== undefined ? ` ${install.token.tokenId}` : ''} (GitLab was not asked)`,
    );
  }
  const data: UninstallResult = { schemaVersion: 1, context, namespace, release, removed: [...removed], remains, gitlab };
  return {
    exitCode: ExitCode.ok,
    headline: `Agent release ${release} was uninstalled from ${namespace} on ${context}.`,
    details: [
      'Removed:',
      ...removed.map((r) => `  ${r}`),
      ...(remains.length ? ['Still there:', ...remains.map((r) => `  ${r}`)] : ['Nothing of it is left.']),
    ],
    ledger: [],
    data,
  };
}

/** Flux would put back what helm removes: the change belongs in Git. Says where, and changes nothing. */
async function fluxUninstall(install: AgentInstall, cluster: KubeCluster): Promise<FlowOutcome<UninstallResult>> {
  const src = await fluxSource(cluster, install);
  const where = src ? describeFluxSource(src) : `HelmRelease ${install.flux?.namespace}/${install.flux?.name}`;
  return {
    exitCode: ExitCode.failure,
    headline: `${installName(install)} is managed by Flux: nothing was removed (helm uninstall would be undone at Flux's next reconcile).`,
    details: [
      `It comes from ${where}.`,
      'Remove it in Git instead:',
      `  delete the file that declares ${src?.helmRelease.apiVersion ?? 'helm.toolkit.fluxcd.io/v2'} HelmRelease ${install.flux?.namespace}/${install.flux?.name}${src?.kustomization?.path ? ` (under ${src.kustomization.path})` : ''}`,
      '  and its HelmRepository if nothing else uses it; commit, and Flux removes the release.',
      ...(install.token?.agentName
        ? [`Then remove the agent ${install.token.agentName} in GitLab (or run uninstall again on a helm install of it).`]
        : []),
    ],
    ledger: [],
  };
}
