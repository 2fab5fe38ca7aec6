import {
  GitLabApiError,
  MAINTAINER_ACCESS,
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
  /** One request: recorded as GitLab's docs name it ("GET /projects/42"), answered after a network delay. */
  const api = async <T>(request: string, fn: () => T | Promise<T>): Promise<T> => {
    world.record.gitlab.push(request);
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
  let commitCount = 0;
  const activeTokens = (agentId: number) => gitlab.tokens.filter((t) => t.agentId === agentId && t.status === 'active');

  return {
    url,
    currentUser: () => api('GET /user', () => ({ ...gitlab.user })),
    tokenScopes: () => api('GET /personal_access_tokens/self', () => [...gitlab.scopes]),
    metadata: () => api('GET /metadata', () => ({ ...gitlab.metadata, kas: { ...gitlab.metadata.kas } })),
    project: (pathOrId) =>
      api(`GET /projects/${encodeURIComponent(pathOrId.trim())}`, () => {
        const key = pathOrId.trim();
        const p = /^\d+$/.test(key)
          ? gitlab.projects.find((x) => x.id === Number(key))
          : gitlab.projects.find((x) => x.path.toLowerCase() === key.toLowerCase());
        if (!p) throw new GitLabApiError(404, '404 Project Not Found', `/projects/${encodeURIComponent(key)}`);
        return projectView(p);
      }),
    searchProjects: (term) =>
      api(`GET /projects?search=${encodeURIComponent(term.trim())}`, () => {
        const t = term.trim().toLowerCase();
        return gitlab.projects
          .filter((p) => p.accessLevel >= 40)
          .filter((p) => t === '' || p.path.toLowerCase().includes(t) || p.name.toLowerCase().includes(t) || String(p.id) === t)
          .map(projectView);
      }),
    listAgents: (projectId) =>
      api(`GET /projects/${projectId}/cluster_agents`, () => {
        project(projectId);
        return gitlab.agents.filter((a) => a.projectId === projectId).map(agentView);
      }),
    registerAgent: (projectId, name) =>
      api(`POST /projects/${projectId}/cluster_agents`, () => {
        // As GitLab: registering needs Maintainer (here without shares, so the level is the whole story).
        if (project(projectId).accessLevel < MAINTAINER_ACCESS)
          throw new GitLabApiError(403, '403 Forbidden', `/projects/${projectId}/cluster_agents`);
        if (gitlab.agents.some((a) => a.projectId === projectId && a.name === name)) {
          throw new GitLabApiError(400, 'name has already been taken', `/projects/${projectId}/cluster_agents`);
        }
        const created: DemoAgent = { id: gitlab.nextAgentId++, projectId, name, createdAt: time.iso() };
        gitlab.agents.push(created);
        return agentView(created);
      }),
    deleteAgent: (projectId, agentId) =>
      api(`DELETE /projects/${projectId}/cluster_agents/${agentId}`, () => {
        const a = agent(projectId, agentId);
        gitlab.agents = gitlab.agents.filter((x) => x !== a);
        for (const t of gitlab.tokens) if (t.agentId === agentId) t.status = 'revoked';
      }),
    // Like GitLab: the list holds active tokens only and no last_used_at.
    listTokens: (projectId, agentId) =>
      api(`GET /projects/${projectId}/cluster_agents/${agentId}/tokens`, () =>
        activeTokens(agent(projectId, agentId).id).map((t) => tokenView(t, false)),
      ),
    getToken: (projectId, agentId, tokenId) =>
      api(`GET /projects/${projectId}/cluster_agents/${agentId}/tokens/${tokenId}`, () => {
        agent(projectId, agentId);
        const t = gitlab.tokens.find((x) => x.id === tokenId && x.agentId === agentId);
        if (!t || t.status !== 'active') return undefined;
        // agentk uses the token while connected: GitLab moves last_used_at along.
        if (isConnected(world, t.id)) t.lastUsedAt = time.iso();
        return tokenView(t, true);
      }),
    createToken: (projectId, agentId, name, description) =>
      api(`POST /projects/${projectId}/cluster_agents/${agentId}/tokens`, () => {
        agent(projectId, agentId);
        if (activeTokens(agentId).length >= MAX_ACTIVE_TOKENS) {
          throw new GitLabApiError(
            400,
            'An agent can have only two active tokens at a time',
            `/projects/${projectId}/cluster_agents/${agentId}/tokens`,
          );
        }
        const t: DemoToken = {
          id: gitlab.nextTokenId++,
          agentId,
          name,
          description,
          status: 'active',
          createdAt: time.iso(),
          lastUsedAt: null,
        };
        gitlab.tokens.push(t);
        return { token: tokenView(t, false), value: new Secret(DEMO_AGENT_TOKEN) };
      }),
    revokeToken: (projectId, agentId, tokenId) =>
      api(`DELETE /projects/${projectId}/cluster_agents/${agentId}/tokens/${tokenId}`, () => {
        agent(projectId, agentId);
        const t = gitlab.tokens.find((x) => x.id === tokenId && x.agentId === agentId && x.status === 'active');
        if (!t) throw new GitLabApiError(404, '404 Not found', `/projects/${projectId}/cluster_agents/${agentId}/tokens/${tokenId}`);
        t.status = 'revoked';
      }),
    // Unless a test says what GraphQL lists, the simulation proves the connection through last_used_at
    // only, as GitLab does for non-Maintainers.
    agentConnections: () => api('POST /api/graphql', () => world.faults.agentConnections?.map((c) => ({ ...c }))),
    getFile: (projectId, path, ref) =>
      api(`GET /projects/${projectId}/repository/files/${encodeURIComponent(path)}?ref=${encodeURIComponent(ref)}`, () =>
        project(projectId).files.get(ref)?.get(path),
      ),
    commitFile: (projectId, change) =>
      api(`${change.create ? 'POST' : 'PUT'} /projects/${projectId}/repository/files/${encodeURIComponent(change.path)}`, () => {
        const branch = project(projectId).files.get(change.branch);
        if (!branch)
          throw new GitLabApiError(
            400,
            'You can only create or edit files when you are on a branch',
            `/projects/${projectId}/repository/commits`,
          );
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
      api(`POST /projects/${projectId}/repository/commits`, async () => {
        if ((world.faults.protectedBranches ?? []).includes(commit.branch)) {
          throw new GitLabApiError(
            403,
            '403 Forbidden - You are not allowed to push into this branch',
            `/projects/${projectId}/repository/commits`,
          );
        }
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
        const id = `demo${String((commitCount += 1)).padStart(36, '0')}`;
        await world.faults.onCommit?.({ projectId, branch: commit.branch, id, paths: commit.actions.map((a) => a.path) });
        return { id };
      }),
    getBranch: (projectId, branch) =>
      api(`GET /projects/${projectId}/repository/branches/${encodeURIComponent(branch)}`, () => {
        if (!project(projectId).files.has(branch)) return undefined;
        const locked = (world.faults.protectedBranches ?? []).includes(branch);
        return { name: branch, protected: locked, canPush: !locked };
      }),
    // Like GitLab: both branches must exist; the demo keeps no merge request list beyond the answer.
    createMergeRequest: (projectId, request) =>
      api(`POST /projects/${projectId}/merge_requests`, () => {
        const p = project(projectId);
        for (const branch of [request.sourceBranch, request.targetBranch]) {
          if (!p.files.has(branch))
            throw new GitLabApiError(400, `Source branch "${branch}" does not exist`, `/projects/${projectId}/merge_requests`);
        }
        const iid = (p.mergeRequests = (p.mergeRequests ?? 0) + 1);
        return { iid, webUrl: `${url}/${p.path}/-/merge_requests/${iid}`, state: 'opened' };
      }),
    getAgent: (projectId, agentId) =>
      api(`GET /projects/${projectId}/cluster_agents/${agentId}`, () => {
        project(projectId);
        const a = gitlab.agents.find((x) => x.id === agentId && x.projectId === projectId);
        return a && agentView(a);
      }),
    // The demo instance is not Ultimate unless a test says so: GitLab then answers the whole receptive-agent API with 404.
    createUrlConfiguration: (projectId, agentId, request) =>
      api(`POST /projects/${projectId}/cluster_agents/${agentId}/url_configurations`, () => {
        if (!world.faults.receptiveAgents) return noReceptiveAgents();
        agent(projectId, agentId);
        const list = (gitlab.urlConfigurations ??= []);
        if (list.some((c) => c.agentId === agentId))
          throw new GitLabApiError(400, '400 Bad request - URL configuration already exists for this agent');
        // GitLab generates an Ed25519 key pair and answers the public key in Base64.
        const made = {
          id: 900 + list.length,
          agentId,
          url: request.url,
          publicKey: Buffer.from(`demo-ed25519-public-key-${agentId}`).toString('base64'),
        };
        list.push(made);
        return { ...made, clientCertPem: null, caCertPem: null, tlsHost: null };
      }),
    getUrlConfiguration: (projectId, agentId) =>
      api(`GET /projects/${projectId}/cluster_agents/${agentId}/url_configurations`, () => {
        if (!world.faults.receptiveAgents) return noReceptiveAgents();
        agent(projectId, agentId);
        const c = gitlab.urlConfigurations?.find((x) => x.agentId === agentId);
        return c && { ...c, clientCertPem: null, caCertPem: null, tlsHost: null };
      }),
    deleteUrlConfiguration: (projectId, agentId, id) =>
      api(`DELETE /projects/${projectId}/cluster_agents/${agentId}/url_configurations/${id}`, () => {
        if (!world.faults.receptiveAgents) return noReceptiveAgents();
        gitlab.urlConfigurations = (gitlab.urlConfigurations ?? []).filter((c) => c.id !== id);
      }),
  };
}

/** The demo GitLab: https://gitlab.example.com as any URL the flow connects to, with user demo-user. */
export function createSimGitLab(world: DemoWorld): GitLabPort {
  return { connect: (connection) => simClient(world, connection) };
}
