import { FlowError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { AgentConnection, GitLabClient } from '../../ports/gitlab.js';

/**
 * GitLab marks an agent token used when agentk connects to KAS; a last_used_at newer than
 * our install start means this installation connected. GitLab only exposes this by request, so we ask
 * at an interval (the one place we poll: GitLab has no watch API).
 */
function describe(connections: AgentConnection[]): string {
  const versions = [...new Set(connections.map((c) => c.version).filter(Boolean))].join(', ');
  const pods = connections
    .map((c) => c.podName)
    .filter(Boolean)
    .join(', ');
  return `${connections.length} agentk connection${connections.length === 1 ? '' : 's'}${versions ? ` (${versions})` : ''}${pods ? `: ${pods}` : ''}`;
}

export interface ConnectedQuery {
  projectId: number;
  projectPath: string;
  agentId: number;
  agentName: string;
  /** Our token; undefined with the user's own Secret (then any of the agent's tokens counts). */
  tokenId?: number;
  /** The pods this run made Ready: a connection GitLab names by pod counts only from one of them. */
  pods?: readonly string[];
  /** What to check when no connection comes (the caller knows the address, namespace and release). */
  hint?: string;
}

/**
 * Two signals, whichever comes first: a live connection GitLab lists (GraphQL, Maintainer+) made
 * since the install began, or our token's last_used_at moving past it.
 */
export async function awaitConnected(
  client: GitLabClient,
  q: ConnectedQuery,
  since: number,
  timeoutMs: number,
  pollMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<string> {
  const deadline = clock.now() + timeoutMs;
  // GitLab rounds and clocks drift: allow a minute of slack.
  const recent = (iso: string | null | undefined) => !!iso && !Number.isNaN(Date.parse(iso)) && Date.parse(iso) >= since - 60_000;
  const pods = q.pods && q.pods.length > 0 ? q.pods : undefined;
  // Old pods (a rollout of the same token) may still be listed: only our Ready pods count when GitLab names the pod.
  const ours = (c: AgentConnection) => (c.podName && pods ? pods.includes(c.podName) : recent(c.connectedAt));
  for (;;) {
    const connections = await client.agentConnections(q.projectPath, q.agentName);
    const fresh = connections?.filter(ours) ?? [];
    if (fresh.length > 0) return describe(fresh);
    // A token's last use cannot tell old pods from new ones: it counts unless GitLab lists only other pods.
    const othersOnly = !!pods && !!connections && connections.length > 0 && connections.every((c) => c.podName);
    const ids = othersOnly
      ? []
      : q.tokenId !== undefined
        ? [q.tokenId]
        : (await client.listTokens(q.projectId, q.agentId)).map((t) => t.id);
    for (const id of ids) {
      const token = await client.getToken(q.projectId, q.agentId, id);
      if (recent(token?.lastUsedAt)) {
        return `token ${id} used at ${token!.lastUsedAt}${connections && connections.length > 0 ? `; ${describe(connections)}` : ''}`;
      }
    }
    if (clock.now() >= deadline) {
      throw new FlowError(
        'connected',
        `the agent pods are Ready but GitLab saw no connection within ${Math.round(timeoutMs / 1000)}s`,
        q.hint ?? 'the cluster may not reach the KAS address (firewall, proxy, CA): check the agent logs (kubectl logs)',
      );
    }
    await clock.sleep(pollMs, signal);
  }
}
