import { UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { optionError } from '../../options/catalogue.js';
import type { AgentSettings } from '../../plan/agent-settings.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { GitLabAgentToken, GitLabClient } from '../../ports/gitlab.js';
import type { KubeSecrets } from '../../ports/kube/index.js';
import { hasTwoTokenLimit } from '../../plan/versions.js';
import { aboutOption } from '../ask.js';

/** What the token step will do, decided read-only before the review. */
export interface TokenPlan {
  /** Token in our existing Secret that is still active: reuse it instead of minting another. */
  reusableTokenId?: number;
  /** The token to revoke before creating a new one (the agent already has two). */
  revokeTokenId?: number;
  /** Name of a new token in GitLab. */
  tokenName: string;
  notes: string[];
}

/**
 * Our Secret is reused while its token is active; the user's own Secret must exist with key "token";
 * a Secret of that name that is not ours is never overwritten; and the two-token limit is resolved by
 * asking, never silently.
 */
export async function planToken(
  cluster: KubeSecrets | undefined,
  client: GitLabClient,
  target: AgentTarget,
  settings: Pick<AgentSettings, 'tokenSecret'>,
  namespaceExists: boolean,
  revokeGiven: string | undefined,
  tokenName: string,
  io: FlowIO,
  gitlabVersion = '',
): Promise<TokenPlan> {
  const notes: string[] = [];
  const { name, own } = settings.tokenSecret;
  let reusableTokenId: number | undefined;
  if (namespaceExists && cluster) {
    const secret = await cluster.getTokenSecret(target.namespace, name);
    if (own) {
      if (!secret)
        throw optionError(
          'tokenSecret',
          `Secret ${name} not found in namespace ${target.namespace}`,
          'create it with key "token", or omit --token-secret',
        );
      if (!secret.hasTokenKey)
        throw optionError('tokenSecret', `Secret ${name} has no key "token"`, 'the chart reads the token from key "token"');
    } else if (secret && !secret.managedByUs) {
      throw optionError(
        'tokenSecret',
        `a Secret ${name} not made by this tool already exists in ${target.namespace}`,
        `pass --token-secret ${name} to use it, or choose another namespace`,
      );
    } else if (secret?.tokenId !== undefined && target.agentId !== undefined) {
      const token = await client.getToken(target.projectId, target.agentId, secret.tokenId);
      if (token?.status === 'active') {
        reusableTokenId = token.id;
        notes.push(`token ${token.id} in Secret ${name} is still active: it will be reused`);
      }
    }
  } else if (own) {
    throw optionError(
      'tokenSecret',
      `namespace ${target.namespace} does not exist, so Secret ${name} cannot be there`,
      'create the Secret first, or omit --token-secret',
    );
  }

  let revokeTokenId: number | undefined;
  if (!own && reusableTokenId === undefined && target.agentId !== undefined && hasTwoTokenLimit(gitlabVersion)) {
    revokeTokenId = await chooseTokenToRevoke(client, target, target.agentId, revokeGiven, io);
  }
  return { reusableTokenId, revokeTokenId, tokenName, notes };
}

async function lastUse(client: GitLabClient, target: AgentTarget, agentId: number, t: GitLabAgentToken): Promise<string> {
  const full = await client.getToken(target.projectId, agentId, t.id).catch(() => undefined);
  const used = full?.lastUsedAt;
  return used ? `last used ${used.replace('T', ' ').slice(0, 16)}` : 'never used';
}

/** An agent has at most two active tokens: decide which one to revoke now, by asking, never silently. */
async function chooseTokenToRevoke(
  client: GitLabClient,
  target: AgentTarget,
  agentId: number,
  given: string | undefined,
  io: FlowIO,
): Promise<number | undefined> {
  const active = (await client.listTokens(target.projectId, agentId)).filter((t) => t.status === 'active');
  if (active.length < 2) return undefined;
  if (given !== undefined) {
    const id = Number(given);
    if (!active.some((t) => t.id === id)) {
      throw optionError(
        'revokeToken',
        `token ${id} is not an active token of agent ${target.agentName}`,
        `choose one of ${active.map((t) => t.id).join(', ')}`,
      );
    }
    return id;
  }
  const choices = await Promise.all(
    active.map(async (t) => ({
      value: String(t.id),
      label: `token ${t.id} "${t.name}"`,
      hint: `${await lastUse(client, target, agentId, t)}, created ${t.createdAt?.slice(0, 10) ?? '?'}`,
    })),
  );
  const picked = await io.asker.ask({
    kind: 'select',
    ...aboutOption('revokeToken'),
    message: `Agent ${target.agentName} already has 2 active tokens (GitLab's limit). Which one should be revoked?`,
    help: 'A cluster still using the revoked token disconnects. Choose cancel to stop here.',
    choices: [...choices, { value: 'cancel', label: 'cancel', hint: 'revoke nothing and stop' }],
  });
  if (picked === 'cancel') {
    throw new UsageError(
      aboutOption('revokeToken').flag,
      `agent ${target.agentName} has 2 active tokens and none was chosen for revocation`,
      'revoke one in GitLab or pass --revoke-token ID',
    );
  }
  return Number(picked);
}
