import { FlowError } from '../errors.js';
import type { Clock } from '../ports/files.js';
import type { GitLabClient } from '../ports/gitlab.js';

/**
 * GitLab marks an agent token used when agentk connects to KAS; a last_used_at newer than
 * our install start means this installation connected. GitLab only exposes this by request, so we ask
 * at an interval (the one place we poll: GitLab has no watch API).
 */
export async function awaitConnected(
  client: GitLabClient,
  projectId: number,
  agentId: number,
  tokenId: number | undefined,
  since: number,
  timeoutMs: number,
  pollMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<string> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const ids = tokenId !== undefined ? [tokenId] : (await client.listTokens(projectId, agentId)).map((t) => t.id);
    for (const id of ids) {
      const token = await client.getToken(projectId, agentId, id);
      const used = token?.lastUsedAt ? Date.parse(token.lastUsedAt) : NaN;
      // GitLab rounds and clocks drift: allow a minute of slack.
      if (!Number.isNaN(used) && used >= since - 60_000) return `token ${id} used at ${token!.lastUsedAt}`;
    }
    if (clock.now() >= deadline) {
      throw new FlowError(
        'connected',
        `the agent pods are Ready but GitLab saw no connection within ${Math.round(timeoutMs / 1000)}s`,
        'the cluster may not reach the KAS address (firewall, proxy, CA): run `gitlab-agent-tui troubleshoot`, or check the agent logs with kubectl logs -l app.kubernetes.io/name=gitlab-agent',
      );
    }
    await clock.sleep(pollMs, signal);
  }
}
