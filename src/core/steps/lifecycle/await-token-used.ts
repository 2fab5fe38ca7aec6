import { FlowError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { GitLabClient } from '../../ports/gitlab.js';
import type { AgentRef } from './agent-ref.js';

/**
 * Waits until GitLab records a use of this token: a fresh token only our Secret holds is used only by
 * pods started after it went in (agentk reads its token when it starts), so its first last_used_at
 * proves the new pods connected with it, whatever the clocks of GitLab and this machine say. GraphQL's
 * connections, when visible, are reported alongside. GitLab has no watch API: this polls.
 */
export async function awaitTokenUsed(
  client: GitLabClient,
  agent: AgentRef,
  tokenId: number,
  timeoutMs: number,
  pollMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<string> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const token = await client.getToken(agent.projectId, agent.agentId, tokenId);
    if (!token) throw new FlowError('connected', `token ${tokenId} is no longer active in GitLab`);
    if (token.lastUsedAt) {
      const connections = await client.agentConnections(agent.projectPath, agent.agentName).catch(() => undefined);
      const pods = connections?.map((c) => c.podName).filter(Boolean) ?? [];
      return `token ${tokenId} used at ${token.lastUsedAt}${pods.length ? `; connected: ${pods.join(', ')}` : ''}`;
    }
    if (clock.now() >= deadline) {
      throw new FlowError(
        'connected',
        `GitLab saw no use of token ${tokenId} within ${Math.round(timeoutMs / 1000)}s`,
        'the new pods may not reach KAS, or the token in the Secret is not the new one',
      );
    }
    await clock.sleep(pollMs, signal);
  }
}
