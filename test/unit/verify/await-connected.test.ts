import { describe, expect, it } from 'vitest';
import type { AgentConnection, GitLabAgentToken, GitLabClient } from '../../../src/core/ports/gitlab.js';
import { awaitConnected } from '../../../src/core/steps/verify/await-connected.js';

/** GitLab as the connected step sees it: the connections list (GraphQL) and the token's last use. */
function gitlab(connections: AgentConnection[] | undefined, lastUsedAt: string | null): GitLabClient {
  const token = {
    id: 5,
    name: 't',
    description: '',
    status: 'active',
    createdAt: '2026-12-01T00:00:00Z',
    lastUsedAt,
  } as unknown as GitLabAgentToken;
  return {
    agentConnections: async () => connections,
    listTokens: async () => [token],
    getToken: async () => token,
  } as unknown as GitLabClient;
}

const NOW = Date.parse('2026-12-03T10:00:00Z');
function clock() {
  let t = NOW;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}
const q = {
  projectId: 1,
  projectPath: 'g/p',
  agentId: 2,
  agentName: 'prod',
  tokenId: 5,
  pods: ['prod-gitlab-agent-v2-new-a', 'prod-gitlab-agent-v2-new-b'],
};
const wait = (client: GitLabClient) => awaitConnected(client, q, NOW, 30_000, 5_000, clock(), new AbortController().signal);

describe('connected means the pods this run made Ready', () => {
  it('a connection GitLab names by one of our Ready pods counts', async () => {
    const r = await wait(
      gitlab([{ connectedAt: '2026-12-03T10:00:05Z', podName: 'prod-gitlab-agent-v2-new-a', version: 'v18.6.0' }], null),
    );
    expect(r).toBe('1 agentk connection (v18.6.0): prod-gitlab-agent-v2-new-a');
  });

  it('only old pods listed (same token, rolled pods): neither they nor the token’s last use count', async () => {
    const old = [{ connectedAt: '2026-12-03T10:00:05Z', podName: 'prod-gitlab-agent-v2-old-x' }];
    await expect(wait(gitlab(old, '2026-12-03T10:00:06Z'))).rejects.toThrow(/GitLab saw no connection within 30s/);
  });

  it('without pod names (or without GraphQL access) a recent last use of our token counts', async () => {
    expect(await wait(gitlab(undefined, '2026-12-03T10:00:06Z'))).toBe('token 5 used at 2026-12-03T10:00:06Z');
    expect(await wait(gitlab([{ connectedAt: '2026-12-03T10:00:05Z' }], null))).toBe('1 agentk connection');
  });
});
