import { FlowError } from '../../kernel/errors.js';
import type { Ledger } from '../../kernel/ledger.js';
import type { AgentSettings } from '../../plan/agent-settings.js';
import { agentsPageUrl, type AgentTarget } from '../../plan/agent-target.js';
import type { GitLabClient } from '../../ports/gitlab.js';
import type { KubeSecrets } from '../../ports/kube/index.js';
import type { TokenPlan } from '../check/token-state.js';

/**
 * Mints the agent token and stores it straight into a Secret; the value lives only in memory in between.
 * If the Secret cannot be written, the fresh token is revoked so no unused credential is left in GitLab.
 */
export async function provideToken(
  client: GitLabClient,
  cluster: KubeSecrets,
  target: AgentTarget,
  settings: Pick<AgentSettings, 'tokenSecret'>,
  agentId: number,
  plan: TokenPlan,
  ledger: Ledger,
): Promise<{ tokenId?: number; detail: string }> {
  const secretName = settings.tokenSecret.name;
  if (settings.tokenSecret.own) return { detail: `using your Secret ${secretName}` };
  if (plan.reusableTokenId !== undefined) {
    ledger.record({ kind: 'token', id: String(plan.reusableTokenId), description: `agent token ${plan.reusableTokenId}`, created: false });
    return { tokenId: plan.reusableTokenId, detail: `reusing active token ${plan.reusableTokenId}` };
  }
  if (plan.revokeTokenId !== undefined) {
    await client.revokeToken(target.projectId, agentId, plan.revokeTokenId);
    ledger.record({
      kind: 'revoked-token',
      id: String(plan.revokeTokenId),
      description: `revoked token ${plan.revokeTokenId} (your choice)`,
      created: true,
    });
  }
  const release = plan.tokenName;
  const created = await client.createToken(
    target.projectId,
    agentId,
    release,
    `Created by gitlab-agent-tui for ${target.context}/${target.namespace}`,
  );
  ledger.record({
    kind: 'token',
    id: String(created.token.id),
    description: `agent token ${created.token.id}`,
    created: true,
    undo: `revoke agent token ${created.token.id}: ${agentsPageUrl(target)} (agent ${target.agentName} > Access tokens)`,
  });
  try {
    await cluster.writeTokenSecret({
      namespace: target.namespace,
      name: secretName,
      token: created.value,
      tokenId: created.token.id,
      agentName: target.agentName,
      agentId,
      registration: { gitlabUrl: target.gitlabUrl, projectId: target.projectId, projectPath: target.projectPath },
    });
  } catch (err) {
    await client.revokeToken(target.projectId, agentId, created.token.id).catch(() => undefined);
    throw new FlowError(
      'token',
      `could not store the token in Secret ${target.namespace}/${secretName}: ${(err as Error).message}`,
      'the new token was revoked again',
    );
  }
  ledger.record({
    kind: 'secret',
    id: `${target.namespace}/${secretName}`,
    description: `Secret ${target.namespace}/${secretName}`,
    created: true,
    undo: `kubectl --context ${target.context} -n ${target.namespace} delete secret ${secretName}`,
  });
  return { tokenId: created.token.id, detail: `token ${created.token.id} stored in Secret ${secretName}` };
}
