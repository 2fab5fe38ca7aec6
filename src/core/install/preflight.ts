import { FlowError, UsageError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import type { GitLabAgentToken, GitLabClient } from '../ports/gitlab.js';
import type { HelmPort } from '../ports/helm.js';
import type { KubeCluster } from '../ports/kube.js';
import type { InstallPlan } from '../plan/install-plan.js';
import { describeAccess, requiredAccess } from '../plan/required-access.js';

export interface PreflightResult {
  namespaceExists: boolean;
  /** A helm release of that name is already there (a re-run upgrades it). */
  releaseExists: boolean;
  /** Token in our existing Secret that is still active: reuse it instead of minting another. */
  reusableTokenId?: number;
  /** The token to revoke before creating a new one (the agent already has two). */
  revokeTokenId?: number;
  notes: string[];
}

/** Rights the user lacks, each named with why the install needs it. Nothing is created before this passes. */
export async function checkAccess(cluster: KubeCluster, plan: InstallPlan, namespaceExists: boolean): Promise<void> {
  if (!namespaceExists && !plan.createNamespace) {
    throw new UsageError('--namespace', `namespace ${plan.namespace} does not exist and --no-create-namespace was given`, 'create it first or drop --no-create-namespace');
  }
  const needed = requiredAccess(plan, namespaceExists);
  const results = await cluster.canI(needed);
  const missing = needed.filter((_, i) => !results[i]?.allowed);
  if (missing.length > 0) {
    const list = missing.map((m) => `${describeAccess(m)} (to ${m.why})`).join('; ');
    throw new FlowError('preflight', `context "${cluster.context}" may not: ${list}`, 'use a context with these rights, or ask a cluster admin; nothing was created');
  }
}

async function lastUse(client: GitLabClient, plan: InstallPlan, agentId: number, t: GitLabAgentToken): Promise<string> {
  const full = await client.getToken(plan.projectId, agentId, t.id).catch(() => undefined);
  const used = full?.lastUsedAt;
  return used ? `last used ${used.replace('T', ' ').slice(0, 16)}` : 'never used';
}

/** An agent has at most two active tokens: decide which one to revoke now, by asking, never silently. */
async function chooseTokenToRevoke(client: GitLabClient, plan: InstallPlan, agentId: number, revokeFlag: string | undefined, io: FlowIO): Promise<number | undefined> {
  const active = (await client.listTokens(plan.projectId, agentId)).filter((t) => t.status === 'active');
  if (active.length < 2) return undefined;
  if (revokeFlag !== undefined) {
    const id = Number(revokeFlag);
    if (!active.some((t) => t.id === id)) {
      throw new UsageError('--revoke-token', `token ${id} is not an active token of agent ${plan.agentName}`, `choose one of ${active.map((t) => t.id).join(', ')}`);
    }
    return id;
  }
  const choices = await Promise.all(
    active.map(async (t) => ({ value: String(t.id), label: `token ${t.id} "${t.name}"`, hint: `${await lastUse(client, plan, agentId, t)}, created ${t.createdAt?.slice(0, 10) ?? '?'}` })),
  );
  const picked = await io.asker.ask({
    kind: 'select',
    id: 'revoke-token',
    flag: '--revoke-token',
    message: `Agent ${plan.agentName} already has 2 active tokens (GitLab's limit). Which one should be revoked?`,
    help: 'A cluster still using the revoked token disconnects. Choose cancel to stop here.',
    choices: [...choices, { value: 'cancel', label: 'cancel', hint: 'revoke nothing and stop' }],
  });
  if (picked === 'cancel') throw new UsageError('--revoke-token', `agent ${plan.agentName} has 2 active tokens and none was chosen for revocation`, 'revoke one in GitLab or pass --revoke-token ID');
  return Number(picked);
}

export async function preflight(
  cluster: KubeCluster,
  helm: HelmPort | undefined,
  client: GitLabClient,
  plan: InstallPlan,
  revokeFlag: string | undefined,
  io: FlowIO,
  yes = false,
): Promise<PreflightResult> {
  const notes: string[] = [];
  const namespaceExists = await cluster.namespaceExists(plan.namespace);
  await checkAccess(cluster, plan, namespaceExists);

  let releaseExists = false;
  if (namespaceExists && helm) {
    const releases = await helm.listReleases({ kubeconfig: plan.kubeconfig, context: plan.context }, plan.namespace);
    const same = releases.find((r) => r.name === plan.release);
    if (same) {
      if (!same.chart.startsWith('gitlab-agent')) {
        throw new UsageError('--release', `release ${plan.release} in ${plan.namespace} is chart ${same.chart}, not gitlab-agent`, 'choose another --release or --namespace');
      }
      releaseExists = true;
      // Ours if our Secret for this agent is there (a re-run); otherwise it belongs to someone else.
      const ours = plan.ownTokenSecret || (await cluster.getTokenSecret(plan.namespace, plan.tokenSecretName))?.managedByUs === true;
      if (!ours) {
        const takeOver =
          !yes &&
          (await io.asker.ask({
            kind: 'confirm',
            id: 'take-over-release',
            message: `Release ${plan.release} in ${plan.namespace} was not installed for agent ${plan.agentName} by this tool. Upgrade it to agent ${plan.agentName}?`,
            help: 'No stops here; re-run with another --release or --namespace to install beside it.',
            default: false,
          }));
        if (!takeOver) {
          throw new UsageError('--release', `release ${plan.release} already exists in ${plan.namespace} and belongs to another installation`, 'choose another --release or --namespace (several agents can share a cluster)');
        }
      }
      notes.push(`release ${plan.release} exists (revision ${same.revision}, ${same.status}): it will be upgraded`);
    }
    const others = (await cluster.findAgentDeployments(plan.namespace)).filter((d) => d.release && d.release !== plan.release);
    for (const d of others) notes.push(`another agent (release ${d.release}) runs in ${plan.namespace}; names do not collide because the release differs`);
  }

  let reusableTokenId: number | undefined;
  if (namespaceExists) {
    const secret = await cluster.getTokenSecret(plan.namespace, plan.tokenSecretName);
    if (plan.ownTokenSecret) {
      if (!secret) throw new UsageError('--token-secret', `Secret ${plan.tokenSecretName} not found in namespace ${plan.namespace}`, 'create it with key "token", or omit --token-secret');
      if (!secret.hasTokenKey) throw new UsageError('--token-secret', `Secret ${plan.tokenSecretName} has no key "token"`, 'the chart reads the token from key "token"');
    } else if (secret && !secret.managedByUs) {
      throw new UsageError('--token-secret', `a Secret ${plan.tokenSecretName} not made by this tool already exists in ${plan.namespace}`, `pass --token-secret ${plan.tokenSecretName} to use it, or choose another namespace`);
    } else if (secret?.tokenId !== undefined && plan.agentId !== undefined) {
      const token = await client.getToken(plan.projectId, plan.agentId, secret.tokenId);
      if (token?.status === 'active') {
        reusableTokenId = token.id;
        notes.push(`token ${token.id} in Secret ${plan.tokenSecretName} is still active: it will be reused`);
      }
    }
  } else if (plan.ownTokenSecret) {
    throw new UsageError('--token-secret', `namespace ${plan.namespace} does not exist, so Secret ${plan.tokenSecretName} cannot be there`, 'create the Secret first, or omit --token-secret');
  }

  let revokeTokenId: number | undefined;
  if (!plan.ownTokenSecret && reusableTokenId === undefined && plan.agentId !== undefined) {
    revokeTokenId = await chooseTokenToRevoke(client, plan, plan.agentId, revokeFlag, io);
  }
  return { namespaceExists, releaseExists, reusableTokenId, revokeTokenId, notes };
}
