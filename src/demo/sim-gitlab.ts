import {
  GitLabApiError,
  type GitLabAgent,
  type GitLabAgentToken,
  type GitLabClient,
  type GitLabConnection,
  type GitLabPort,
  type GitLabProject,
} from '../core/ports/gitlab.js';
import { Secret } from '../core/kernel/secret.js';
import { isConnected } from './connection.js';
import { DEMO_AGENT_TOKEN } from './seed.js';
import type { DemoAgent, DemoProject, DemoToken, DemoWorld } from './world.js';

/** GitLab allows two active tokens per agent. */
const MAX_ACTIVE_TOKENS = 2;

function agentView(a: DemoAgent): GitLabAgent {
  return { id: a.id, name: a.name, createdAt: a.createdAt };
}

function tokenView(t: DemoToken, withLastUsed: boolean): GitLabAgentToken {
  const view: GitLabAgentToken = { id: t.id, name: t.name, description: t.description, status: t.status, createdAt: t.createdAt };
  if (withLastUsed) view.lastUsedAt = t.lastUsedAt;
  return view;
}

function noReceptiveAgents(): never {
  throw new GitLabApiError(404, '404 Not Found');
}

/** One client per connection; the API answers from the world after a short network delay. */
function simClient(world: DemoWorld, connection: GitLabConnection): GitLabClient {
  const { time, gitlab } = world;
  const url = connection.url.replace(/\/+$/, '');
  const api = async <T>(fn: () => T): Promise<T> => {
    await time.jitter(100, 300);
    if (connection.token.reveal().trim() === '') throw new GitLabApiError(401, '401 Unauthorized', '/user');
    return fn();
  };
  const projectView = (p: DemoProject): GitLabProject => ({
    id: p.id,
    pathWithNamespace: p.path,
    name: p.name,
    webUrl: `${url}/${p.path}`,
    defaultBranch: p.defaultBranch,
    accessLevel: p.accessLevel,
  });
  const project = (id: number): DemoProject => {
    const p = gitlab.projects.find((x) => x.id === id);
    if (!p) throw new GitLabApiError(404, '404 Project Not Found', `/projects/${id}`);
    return p;
  };
  const agent = (projectId: number, agentId: number): DemoAgent => {
    project(projectId);
    const a = gitlab.agents.find((x) => x.id === agentId && x.projectId === projectId);
    if (!a) throw new GitLabApiError(404, '404 Not found', `/projects/${projectId}/cluster_agents/${agentId}`);
    return a;
  };
  const activeTokens = (agentId: number) => gitlab.tokens.filter((t) => t.agentId === agentId && t.status === 'active');

  return {
    url,
    currentUser: () => api(() => ({ ...gitlab.user })),
    tokenScopes: () => api(() => [...gitlab.scopes]),
    metadata: () => api(() => ({ ...gitlab.metadata, kas: { ...gitlab.metadata.kas } })),
    project: (pathOrId) =>
      api(() => {
        const key = pathOrId.trim();
        const p = /^\d+$/.test(key) ? gitlab.projects.find((x) => x.id === Number(key)) : gitlab.projects.find((x) => x.path.toLowerCase() === key.toLowerCase());
        if (!p) throw new GitLabApiError(404, '404 Project Not Found', `/projects/${encodeURIComponent(key)}`);
        return projectView(p);
      }),
    searchProjects: (term) =>
      api(() => {
        const t = term.trim().toLowerCase();
        return gitlab.projects
          .filter((p) => p.accessLevel >= 40)
          .filter((p) => t === '' || p.path.toLowerCase().includes(t) || p.name.toLowerCase().includes(t) || String(p.id) === t)
          .map(projectView);
      }),
    listAgents: (projectId) =>
      api(() => {
        project(projectId);
        return gitlab.agents.filter((a) => a.projectId === projectId).map(agentView);
      }),
    registerAgent: (projectId, name) =>
      api(() => {
        project(projectId);
        if (gitlab.agents.some((a) => a.projectId === projectId && a.name === name)) {
          throw new GitLabApiError(400, 'name has already been taken', `/projects/${projectId}/cluster_agents`);
        }
        const created: DemoAgent = { id: gitlab.nextAgentId++, projectId, name, createdAt: time.iso() };
        gitlab.agents.push(created);
        return agentView(created);
      }),
    deleteAgent: (projectId, agentId) =>
      api(() => {
        const a = agent(projectId, agentId);
        gitlab.agents = gitlab.agents.filter((x) => x !== a);
        for (const t of gitlab.tokens) if (t.agentId === agentId) t.status = 'revoked';
      }),
    // Like GitLab: the list holds active tokens only and no last_used_at.
    listTokens: (projectId, agentId) => api(() => activeTokens(agent(projectId, agentId).id).map((t) => tokenView(t, false))),
    getToken: (projectId, agentId, tokenId) =>
      api(() => {
        agent(projectId, agentId);
        const t = gitlab.tokens.find((x) => x.id === tokenId && x.agentId === agentId);
        if (!t || t.status !== 'active') return undefined;
        // agentk uses the token while connected: GitLab moves last_used_at along.
        if (isConnected(world, t.id)) t.lastUsedAt = time.iso();
        return tokenView(t, true);
      }),
    createToken: (projectId, agentId, name, description) =>
      api(() => {
        agent(projectId, agentId);
        if (activeTokens(agentId).length >= MAX_ACTIVE_TOKENS) {
          throw new GitLabApiError(400, 'An agent can have only two active tokens at a time', `/projects/${projectId}/cluster_agents/${agentId}/tokens`);
        }
        const t: DemoToken = { id: gitlab.nextTokenId++, agentId, name, description, status: 'active', createdAt: time.iso(), lastUsedAt: null };
        gitlab.tokens.push(t);
        return { token: tokenView(t, false), value: new Secret(DEMO_AGENT_TOKEN) };
      }),
    revokeToken: (projectId, agentId, tokenId) =>
      api(() => {
        agent(projectId, agentId);
        const t = gitlab.tokens.find((x) => x.id === tokenId && x.agentId === agentId && x.status === 'active');
        if (!t) throw new GitLabApiError(404, '404 Not found', `/projects/${projectId}/cluster_agents/${agentId}/tokens/${tokenId}`);
        t.status = 'revoked';
      }),
    // The simulation proves the connection through last_used_at only, as GitLab does for non-Maintainers.
    agentConnections: () => api(() => undefined),
    getFile: (projectId, path, ref) => api(() => project(projectId).files.get(ref)?.get(path)),
    commitFile: (projectId, change) =>
      api(() => {
        const branch = project(projectId).files.get(change.branch);
        if (!branch) throw new GitLabApiError(400, 'You can only create or edit files when you are on a branch', `/projects/${projectId}/repository/commits`);
        if (change.create && branch.has(change.path)) {
          throw new GitLabApiError(400, 'A file with this name already exists', `/projects/${projectId}/repository/commits`);
        }
        if (!change.create && !branch.has(change.path)) {
          throw new GitLabApiError(400, "A file with this name doesn't exist", `/projects/${projectId}/repository/commits`);
        }
        branch.set(change.path, change.content);
      }),
    // All or nothing, like GitLab's commits API: checked on a copy, then swapped in.
    commitFiles: (projectId, commit) =>
      api(() => {
        const files = project(projectId).files;
        const current = files.get(commit.branch) ?? (commit.startBranch ? files.get(commit.startBranch) : undefined);
        const path = `/projects/${projectId}/repository/commits`;
        if (!current) throw new GitLabApiError(400, 'You can only create or edit files when you are on a branch', path);
        const next = new Map(current);
        for (const step of commit.actions) {
          const exists = next.has(step.path);
          if (step.action === 'create' && exists) throw new GitLabApiError(400, 'A file with this name already exists', path);
          if (step.action !== 'create' && !exists) throw new GitLabApiError(400, "A file with this name doesn't exist", path);
          if (step.action === 'delete') next.delete(step.path);
          else next.set(step.path, step.content);
        }
        files.set(commit.branch, next);
        return { id: `demo${String(gitlab.nextAgentId).padStart(36, '0')}` };
      }),
    // The demo user may push everywhere it has files.
    getBranch: (projectId, branch) => api(() => (project(projectId).files.has(branch) ? { name: branch, protected: false, canPush: true } : undefined)),
    // Like GitLab: both branches must exist; the demo keeps no merge request list beyond the answer.
    createMergeRequest: (projectId, request) =>
      api(() => {
        const p = project(projectId);
        for (const branch of [request.sourceBranch, request.targetBranch]) {
          if (!p.files.has(branch)) throw new GitLabApiError(400, `Source branch "${branch}" does not exist`, `/projects/${projectId}/merge_requests`);
        }
        const iid = (p.mergeRequests = (p.mergeRequests ?? 0) + 1);
        return { iid, webUrl: `${url}/${p.path}/-/merge_requests/${iid}`, state: 'opened' };
      }),
    getAgent: (projectId, agentId) =>
      api(() => {
        project(projectId);
        const a = gitlab.agents.find((x) => x.id === agentId && x.projectId === projectId);
        return a && agentView(a);
      }),
    // The demo instance is not Ultimate: GitLab answers the whole receptive-agent API with 404.
    createUrlConfiguration: () => api(() => noReceptiveAgents()),
    getUrlConfiguration: () => api(() => noReceptiveAgents()),
    deleteUrlConfiguration: () => api(() => noReceptiveAgents()),
  };
}

/** The demo GitLab: https://gitlab.example.com as any URL the flow connects to, with user demo-user. */
export function createSimGitLab(world: DemoWorld): GitLabPort {
  return { connect: (connection) => simClient(world, connection) };
}
