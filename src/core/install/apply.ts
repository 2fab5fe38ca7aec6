import { FlowError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import type { GitLabClient } from '../ports/gitlab.js';
import type { LogWriter } from '../ports/files.js';
import type { HelmPort } from '../ports/helm.js';
import type { KubeCluster } from '../ports/kube.js';
import { agentConfigContent, agentConfigPath } from '../plan/agent-config.js';
import { buildHelmUpgradeArgs } from '../plan/helm-command.js';
import { helmValuesYaml } from '../plan/helm-values.js';
import type { InstallPlan } from '../plan/install-plan.js';
import type { Ledger } from './ledger.js';
import type { PreflightResult } from './preflight.js';

export async function registerAgent(client: GitLabClient, plan: InstallPlan, ledger: Ledger): Promise<number> {
  if (plan.agentId !== undefined) {
    ledger.record({ kind: 'agent', id: String(plan.agentId), description: `agent ${plan.agentName} (id ${plan.agentId}) in ${plan.projectPath}`, created: false });
    return plan.agentId;
  }
  const agent = await client.registerAgent(plan.projectId, plan.agentName);
  ledger.record({ kind: 'agent', id: String(agent.id), description: `agent ${agent.name} (id ${agent.id}) in ${plan.projectPath}`, created: true });
  return agent.id;
}

/** Commits the config file only when it is missing: an existing configuration is the user's, never overwritten. */
export async function commitAgentConfig(client: GitLabClient, plan: InstallPlan, branch: string, ledger: Ledger): Promise<string> {
  const path = agentConfigPath(plan.agentName);
  if ((await client.getFile(plan.projectId, path, branch)) !== undefined) return `${path} already exists on ${branch}: left as it is`;
  await client.commitFile(plan.projectId, {
    branch,
    path,
    content: agentConfigContent(plan.createConfig, plan.projectPath),
    message: `Add GitLab agent configuration for ${plan.agentName}`,
    create: true,
  });
  ledger.record({ kind: 'config-file', id: path, description: `${path} on ${branch}`, created: true });
  return `committed ${path} to ${branch}`;
}

export async function ensureNamespace(cluster: KubeCluster, plan: InstallPlan, pre: PreflightResult, ledger: Ledger): Promise<string> {
  if (pre.namespaceExists) return `${plan.namespace} exists`;
  await cluster.createNamespace(plan.namespace);
  ledger.record({ kind: 'namespace', id: plan.namespace, description: `namespace ${plan.namespace}`, created: true });
  return `created ${plan.namespace}`;
}

/**
 * Mints the agent token and stores it straight into a Secret; the value lives only in memory in between.
 * If the Secret cannot be written, the fresh token is revoked so no unused credential is left in GitLab.
 */
export async function provideToken(
  client: GitLabClient,
  cluster: KubeCluster,
  plan: InstallPlan,
  agentId: number,
  pre: PreflightResult,
  ledger: Ledger,
): Promise<{ tokenId?: number; detail: string }> {
  if (plan.ownTokenSecret) return { detail: `using your Secret ${plan.tokenSecretName}` };
  if (pre.reusableTokenId !== undefined) {
    ledger.record({ kind: 'token', id: String(pre.reusableTokenId), description: `agent token ${pre.reusableTokenId}`, created: false });
    return { tokenId: pre.reusableTokenId, detail: `reusing active token ${pre.reusableTokenId}` };
  }
  if (pre.revokeTokenId !== undefined) {
    await client.revokeToken(plan.projectId, agentId, pre.revokeTokenId);
    ledger.record({ kind: 'revoked-token', id: String(pre.revokeTokenId), description: `revoked token ${pre.revokeTokenId} (your choice)`, created: true });
  }
  const created = await client.createToken(plan.projectId, agentId, `gitlab-agent-tui-${plan.release}`, `Created by gitlab-agent-tui for ${plan.context}/${plan.namespace}`);
  ledger.record({ kind: 'token', id: String(created.token.id), description: `agent token ${created.token.id}`, created: true });
  try {
    await cluster.writeTokenSecret({
      namespace: plan.namespace,
      name: plan.tokenSecretName,
      token: created.value,
      tokenId: created.token.id,
      agentName: plan.agentName,
      agentId,
    });
  } catch (err) {
    await client.revokeToken(plan.projectId, agentId, created.token.id).catch(() => undefined);
    throw new FlowError('token', `could not store the token in Secret ${plan.namespace}/${plan.tokenSecretName}: ${(err as Error).message}`, 'the new token was revoked again');
  }
  ledger.record({ kind: 'secret', id: `${plan.namespace}/${plan.tokenSecretName}`, description: `Secret ${plan.namespace}/${plan.tokenSecretName}`, created: true });
  return { tokenId: created.token.id, detail: `token ${created.token.id} stored in Secret ${plan.tokenSecretName}` };
}

/** helm upgrade --install with the values on stdin, output streamed as it comes. */
export async function runHelm(helm: HelmPort, plan: InstallPlan, io: FlowIO, ledger: Ledger, releaseExisted: boolean, log?: LogWriter): Promise<void> {
  const result = await helm.run({
    args: buildHelmUpgradeArgs(plan),
    stdin: helmValuesYaml(plan),
    onLine: (line, stream) => {
      log?.write(line);
      io.emit({ type: 'helm-line', line, stream });
    },
    signal: io.signal,
  }).finally(() => log?.close());
  if (result.exitCode !== 0) {
    // A failed install usually leaves a release record and some objects (say a ClusterRoleBinding): own them.
    if (!releaseExisted) {
      const left = await helm.listReleases({ kubeconfig: plan.kubeconfig, context: plan.context }, plan.namespace).catch(() => []);
      if (left.some((r) => r.name === plan.release)) {
        ledger.record({ kind: 'release', id: `${plan.namespace}/${plan.release}`, description: `helm release ${plan.release} in ${plan.namespace} (failed)`, created: true });
      }
    }
    const last = result.stderrTail.filter((l) => l.trim()).slice(-1)[0] ?? 'no error output';
    throw new FlowError('helm', `helm exited with code ${result.exitCode}: ${last.replace(/^Error: /, '')}`, helmHint(result.stderrTail.join('\n')));
  }
  ledger.record({ kind: 'release', id: `${plan.namespace}/${plan.release}`, description: `helm release ${plan.release} in ${plan.namespace}`, created: !releaseExisted });
}

function helmHint(stderr: string): string | undefined {
  if (/unclosed action|parse error/i.test(stderr)) return 'your helm is too old for the chart: use helm 3.6 or newer';
  if (/no such host|connection refused|dial tcp/i.test(stderr)) return 'helm could not reach the chart repository or the cluster: check --chart-repo and your network';
  if (/not found/i.test(stderr) && /chart/i.test(stderr)) return 'the chart or chart version was not found: check --chart-version and --chart-repo';
  if (/forbidden/i.test(stderr)) return 'the cluster refused an object: check your RBAC rights';
  return undefined;
}
