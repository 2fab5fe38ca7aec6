import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeGitLab, mergeMergeRequest, mergeRequestsOf, seedStandardWorld, type StandardWorld, startFakeGitLab } from './server.js';
import { Access } from './types.js';
import { createNetworkPort } from '../../src/adapters/network/kas-probe.js';

let gl: FakeGitLab;
let world: StandardWorld;

interface Answer {
  status: number;
  // any: each test asserts the few JSON fields it cares about; typing every GitLab body adds nothing.
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; bearer?: boolean; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) {
    if (options.bearer) headers.authorization = `Bearer ${options.token}`;
    else headers['private-token'] = options.token;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.raw !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = options.raw;
  }
  const response = await fetch(`${gl.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

const api = (path: string) => `/api/v4${path}`;

beforeEach(async () => {
  gl = await startFakeGitLab();
  world = seedStandardWorld(gl.state);
});

afterEach(async () => {
  await gl.close();
});

describe('authentication', () => {
  it('answers 401 {"message":"401 Unauthorized"} without a token or with an unknown one', async () => {
    expect(await call('GET', api('/user'))).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
    const bad = await call('GET', api('/user'), { token: 'glpat-nope' });
    expect(bad).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
  });

  it('accepts PRIVATE-TOKEN and Authorization: Bearer', async () => {
    const viaHeader = await call('GET', api('/user'), { token: world.tokens.api });
    const viaBearer = await call('GET', api('/user'), { token: world.tokens.api, bearer: true });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ id: world.maintainer.id, username: 'maria', name: 'Maria Maintainer' });
    expect(viaBearer.body.username).toBe('maria');
  });

  it('answers 401 invalid_token for revoked and expired tokens', async () => {
    const revoked = gl.state.addPersonalAccessToken(world.maintainer, { revoked: true });
    const expired = gl.state.addPersonalAccessToken(world.maintainer, { expiresAt: '2000-01-01' });
    const r = await call('GET', api('/user'), { token: revoked.value });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      error: 'invalid_token',
      error_description: 'Token was revoked. You have to re-authorize from the user.',
    });
    expect(r.headers.get('www-authenticate')).toBe(
      'Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="Token was revoked. You have to re-authorize from the user."',
    );
    const e = await call('GET', api('/user'), { token: expired.value });
    expect(e.status).toBe(401);
    expect(e.body).toEqual({
      error: 'invalid_token',
      error_description: 'Token is expired. You can either do re-authorization or token refresh.',
    });
  });

  it('answers 403 insufficient_scope with the accepted scopes in the body and no WWW-Authenticate header', async () => {
    const read = await call('GET', api(`/projects/${world.project.id}`), { token: world.tokens.readUser });
    expect(read.status).toBe(403);
    expect(read.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api read_api',
    });
    expect(read.headers.get('www-authenticate')).toBeNull();

    const write = await call('POST', api(`/projects/${world.project.id}/cluster_agents`), {
      token: world.tokens.readApi,
      body: { name: 'x' },
    });
    expect(write).toMatchObject({ status: 403, body: { error: 'insufficient_scope', scope: 'api' } });
    expect(write.headers.get('www-authenticate')).toBeNull();
    expect(gl.state.agents.size).toBe(0);
  });

  it('lets read_user tokens read /user and /metadata but read_api tokens read projects', async () => {
    expect((await call('GET', api('/user'), { token: world.tokens.readUser })).status).toBe(200);
    expect((await call('GET', api('/metadata'), { token: world.tokens.readUser })).status).toBe(200);
    expect((await call('GET', api(`/projects/${world.project.id}`), { token: world.tokens.readApi })).status).toBe(200);
  });

  it('answers unknown routes with {"error":"404 Not Found"} and wrong methods with 405', async () => {
    expect(await call('GET', api('/nope'), { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { error: '404 Not Found' },
    });
    expect((await call('PATCH', api('/user'), { token: world.tokens.api })).status).toBe(405);
  });
});

describe('instance endpoints', () => {
  it('GET /personal_access_tokens/self reports the scopes, whatever they are', async () => {
    const self = await call('GET', api('/personal_access_tokens/self'), { token: world.tokens.readUser });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ scopes: ['read_user'], active: true, revoked: false, user_id: world.maintainer.id });
  });

  it('has no /personal_access_tokens/self when simulating GitLab < 15.5', async () => {
    gl.state.personalAccessTokenSelf = false;
    const self = await call('GET', api('/personal_access_tokens/self'), { token: world.tokens.api });
    expect(self).toMatchObject({ status: 404, body: { error: '404 Not Found' } });
  });

  it('GET /metadata and /version give version and KAS details', async () => {
    const metadata = await call('GET', api('/metadata'), { token: world.tokens.api });
    expect(metadata.body).toEqual({
      version: '17.6.2-ee',
      revision: 'f4ke0000',
      enterprise: true,
      kas: {
        enabled: true,
        externalUrl: `${gl.url.replace('http', 'ws')}/-/kubernetes-agent/`,
        externalK8sProxyUrl: `${gl.url}/-/kubernetes-agent/k8s-proxy/`,
        version: '17.6.2',
      },
    });
    expect((await call('GET', api('/version'), { token: world.tokens.api })).body.version).toBe('17.6.2-ee');
  });

  it('KAS at its advertised address accepts a WebSocket upgrade (101 with the RFC 6455 accept); another path is refused', async () => {
    const port = Number(new URL(gl.url).port);
    const probe = (upgradePath: string) =>
      createNetworkPort().probeKas(
        { host: '127.0.0.1', port, tls: false, serverName: '127.0.0.1', upgradePath },
        3000,
        new AbortController().signal,
      );
    expect((await probe('/-/kubernetes-agent/')).upgrade).toEqual({
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
      acceptValid: true,
    });
    expect((await probe('/-/kubernetes-agent')).upgrade).toMatchObject({ status: 404 });
    expect(gl.requests.filter((r) => r.path.startsWith('/-/kubernetes-agent')).map((r) => r.status)).toEqual([101, 404]);
  });

  it('takes metadata overrides, e.g. KAS disabled', async () => {
    const other = await startFakeGitLab({ metadata: { version: '16.11.1', kas: { enabled: false, version: null } } });
    try {
      const user = other.state.addUser({ username: 'a' });
      const pat = other.state.addPersonalAccessToken(user);
      const r = await fetch(`${other.url}/api/v4/metadata`, { headers: { 'private-token': pat.value } });
      expect(await r.json()).toMatchObject({ version: '16.11.1', kas: { enabled: false, externalUrl: null, version: null } });
    } finally {
      await other.close();
    }
  });
});

describe('projects', () => {
  it('GET /projects/:id by id or URL-encoded path, with permissions', async () => {
    const byId = await call('GET', api(`/projects/${world.project.id}`), { token: world.tokens.api });
    const byPath = await call('GET', api('/projects/group%2Fapp'), { token: world.tokens.api });
    expect(byId.status).toBe(200);
    expect(byPath.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({
      id: world.project.id,
      path_with_namespace: 'group/app',
      default_branch: 'main',
      web_url: `${gl.url}/group/app`,
      permissions: { project_access: { access_level: 40 }, group_access: null },
    });
  });

  it('answers 404 Project Not Found for unknown or invisible projects; an unencoded path is no route', async () => {
    expect(await call('GET', api('/projects/999'), { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    expect(await call('GET', api(`/projects/${world.project.id}`), { token: world.tokens.outsider })).toMatchObject({
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    expect(await call('GET', api('/projects/group/app'), { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { error: '404 Not Found' },
    });
  });

  it('GET /projects filters by search, membership and min_access_level and paginates like GitLab', async () => {
    for (let i = 1; i <= 24; i++) {
      gl.state.addProject({ path: `team/service-${i}`, members: { maria: i % 2 === 0 ? Access.maintainer : Access.developer } });
    }
    gl.state.addProject({ path: 'public/service-open', visibility: 'public' });
    const page = await call('GET', api('/projects?search=service&min_access_level=40&membership=true&simple=true&per_page=5&page=2'), {
      token: world.tokens.api,
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-total')).toBe('12');
    expect(page.headers.get('x-total-pages')).toBe('3');
    expect(page.headers.get('x-page')).toBe('2');
    expect(page.headers.get('x-next-page')).toBe('3');
    expect(page.headers.get('x-prev-page')).toBe('1');
    expect(page.headers.get('link')).toContain('rel="next"');
    expect(page.body).toHaveLength(5);
    expect(page.body[0]).not.toHaveProperty('permissions'); // simple=true
    const all = await call('GET', api('/projects?search=service&per_page=100'), { token: world.tokens.api });
    expect(all.body.map((p: { path: string }) => p.path)).toContain('service-open');
    const mine = await call('GET', api('/projects?search=open&membership=true'), { token: world.tokens.api });
    expect(mine.body).toEqual([]);
    expect(mine.headers.get('x-total-pages')).toBe('1');
  });
});

describe('cluster agents', () => {
  const agents = () => api(`/projects/${world.project.id}/cluster_agents`);

  it('registers with Maintainer (201) and refuses a Developer (403)', async () => {
    expect(await call('POST', agents(), { token: world.tokens.developer, body: { name: 'prod' } })).toMatchObject({
      status: 403,
      body: { message: '403 Forbidden' },
    });
    const created = await call('POST', agents(), { token: world.tokens.api, body: { name: 'prod' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'prod',
      config_project: { id: world.project.id, path_with_namespace: 'group/app' },
      created_by_user_id: world.maintainer.id,
    });
  });

  it('answers 400 like GitLab for missing, invalid and duplicate names', async () => {
    expect(await call('POST', agents(), { token: world.tokens.api, body: {} })).toMatchObject({
      status: 400,
      body: { error: 'name is missing' },
    });
    expect(await call('POST', agents(), { token: world.tokens.api, body: { name: 'Bad_Name' } })).toMatchObject({
      status: 400,
      body: {
        message: "400 Bad request - [\"Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'\"]",
      },
    });
    await call('POST', agents(), { token: world.tokens.api, body: { name: 'prod' } });
    expect(await call('POST', agents(), { token: world.tokens.api, body: { name: 'prod' } })).toMatchObject({
      status: 400,
      body: { message: '400 Bad request - ["Name has already been taken"]' },
    });
  });

  it('accepts a form-encoded body too', async () => {
    const created = await call('POST', agents(), {
      token: world.tokens.api,
      raw: 'name=form-agent',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'form-agent' } });
  });

  it('lists by name for Developers, hides agents from others, and deletes', async () => {
    const b = gl.state.addAgent(world.project, 'b-agent');
    gl.state.addAgent(world.project, 'a-agent');
    const list = await call('GET', agents(), { token: world.tokens.developer });
    expect(list.body.map((a: { name: string }) => a.name)).toEqual(['a-agent', 'b-agent']);
    expect(list.headers.get('x-total')).toBe('2');

    const guestProject = gl.state.addProject({ path: 'group/guest', members: { olga: Access.guest } });
    gl.state.addAgent(guestProject, 'hidden');
    expect(await call('GET', api(`/projects/${guestProject.id}/cluster_agents`), { token: world.tokens.outsider })).toMatchObject({
      status: 404,
      body: { message: '404 ClusterAgents Not Found' },
    });

    expect((await call('GET', `${agents()}/${b.id}`, { token: world.tokens.api })).body.name).toBe('b-agent');
    expect(await call('GET', `${agents()}/999`, { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Not found' },
    });
    expect(await call('GET', `${agents()}/abc`, { token: world.tokens.api })).toMatchObject({
      status: 400,
      body: { error: 'agent_id is invalid' },
    });
    expect((await call('DELETE', `${agents()}/${b.id}`, { token: world.tokens.developer })).status).toBe(403);
    const deleted = await call('DELETE', `${agents()}/${b.id}`, { token: world.tokens.api });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(gl.state.agents.has(b.id)).toBe(false);
  });
});

describe('agent tokens', () => {
  let tokens: string;
  beforeEach(() => {
    const agent = gl.state.addAgent(world.project, 'prod', world.maintainer);
    tokens = api(`/projects/${world.project.id}/cluster_agents/${agent.id}/tokens`);
  });

  it('returns the secret once, lists active tokens without last_used_at, and limits to two', async () => {
    const first = await call('POST', tokens, { token: world.tokens.api, body: { name: 'one', description: 'first' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'one', description: 'first', status: 'active', last_used_at: null });
    expect(first.body.token).toMatch(/^glagent-/);

    const list = await call('GET', tokens, { token: world.tokens.developer });
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty('last_used_at');
    expect(list.body[0]).not.toHaveProperty('token');

    const single = await call('GET', `${tokens}/${first.body.id}`, { token: world.tokens.api });
    expect(single.body).toMatchObject({ id: first.body.id, last_used_at: null });
    expect(single.body).not.toHaveProperty('token');

    expect((await call('POST', tokens, { token: world.tokens.api, body: { name: 'two' } })).status).toBe(201);
    expect(await call('POST', tokens, { token: world.tokens.api, body: { name: 'three' } })).toMatchObject({
      status: 400,
      body: { message: '400 Bad request - An agent can have only two active tokens at a time' },
    });
  });

  it('needs Maintainer to create or revoke', async () => {
    expect((await call('POST', tokens, { token: world.tokens.developer, body: { name: 'x' } })).status).toBe(403);
    const t = await call('POST', tokens, { token: world.tokens.api, body: { name: 'x' } });
    expect((await call('DELETE', `${tokens}/${t.body.id}`, { token: world.tokens.developer })).status).toBe(403);
  });

  it('revokes with 204; a revoked token is 404 on GET and gone from the list', async () => {
    const t = await call('POST', tokens, { token: world.tokens.api, body: { name: 'x' } });
    expect((await call('DELETE', `${tokens}/${t.body.id}`, { token: world.tokens.api })).status).toBe(204);
    expect(await call('GET', `${tokens}/${t.body.id}`, { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Not found' },
    });
    expect((await call('GET', tokens, { token: world.tokens.api })).body).toEqual([]);
    expect(gl.state.agentTokens.get(t.body.id)?.status).toBe('revoked');
  });
});

describe('repository files and commits', () => {
  const files = (path: string) => api(`/projects/${world.project.id}/repository/files/${encodeURIComponent(path)}`);
  const configPath = '.gitlab/agents/prod/config.yaml';

  it('GET needs ref and answers 404 File Not Found / Commit Not Found', async () => {
    expect(await call('GET', files('README.md'), { token: world.tokens.api })).toMatchObject({
      status: 400,
      body: { error: 'ref is missing' },
    });
    expect(await call('GET', `${files(configPath)}?ref=main`, { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 File Not Found' },
    });
    expect(await call('GET', `${files('README.md')}?ref=nope`, { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Commit Not Found' },
    });
  });

  it('creates (201), refuses to create twice (400), updates (200) and serves base64 content', async () => {
    const body = { branch: 'main', content: 'user_access: {}\n', commit_message: 'Add agent config' };
    expect(await call('POST', files(configPath), { token: world.tokens.api, body })).toMatchObject({
      status: 201,
      body: { file_path: configPath, branch: 'main' },
    });
    expect(await call('POST', files(configPath), { token: world.tokens.api, body })).toMatchObject({
      status: 400,
      body: { message: 'A file with this name already exists' },
    });
    const update = { ...body, content: 'ci_access: {}\n', commit_message: 'Update' };
    expect((await call('PUT', files(configPath), { token: world.tokens.api, body: update })).status).toBe(200);
    const got = await call('GET', `${files(configPath)}?ref=main`, { token: world.tokens.api });
    expect(got.body).toMatchObject({ file_name: 'config.yaml', file_path: configPath, encoding: 'base64', ref: 'main' });
    expect(Buffer.from(got.body.content, 'base64').toString('utf8')).toBe('ci_access: {}\n');
    expect(got.headers.get('x-gitlab-last-commit-id')).toBe(got.body.last_commit_id);
    expect(gl.state.file(world.project, configPath)).toBe('ci_access: {}\n');
  });

  it('PUT of a missing file is 400, and missing params are listed', async () => {
    const missing = await call('PUT', files('nope.txt'), {
      token: world.tokens.api,
      body: { branch: 'main', content: 'x', commit_message: 'm' },
    });
    expect(missing).toMatchObject({ status: 400, body: { message: "A file with this name doesn't exist" } });
    expect(await call('POST', files('x.txt'), { token: world.tokens.api, body: { branch: 'main' } })).toMatchObject({
      status: 400,
      body: { error: 'content is missing, commit_message is missing' },
    });
  });

  it('keeps Developers off the protected default branch but lets them use another one', async () => {
    const body = { branch: 'main', content: 'x', commit_message: 'm' };
    expect(await call('POST', files('dev.txt'), { token: world.tokens.developer, body })).toMatchObject({
      status: 400,
      body: { message: 'You are not allowed to push into this branch' },
    });
    const onBranch = { ...body, branch: 'feature', start_branch: 'main' };
    expect((await call('POST', files('dev.txt'), { token: world.tokens.developer, body: onBranch })).status).toBe(201);
    expect(gl.state.file(world.project, 'dev.txt', 'feature')).toBe('x');
  });

  it('POST /repository/commits applies actions atomically', async () => {
    const commits = api(`/projects/${world.project.id}/repository/commits`);
    const ok = await call('POST', commits, {
      token: world.tokens.api,
      body: {
        branch: 'main',
        commit_message: 'Add agent\n\nbody',
        actions: [
          { action: 'create', file_path: configPath, content: 'a: 1\n' },
          { action: 'update', file_path: 'README.md', content: Buffer.from('# new\n').toString('base64'), encoding: 'base64' },
        ],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ title: 'Add agent', message: 'Add agent\n\nbody', author_name: 'Maria Maintainer' });
    expect(gl.state.file(world.project, 'README.md')).toBe('# new\n');

    const bad = await call('POST', commits, {
      token: world.tokens.api,
      body: {
        branch: 'main',
        commit_message: 'half',
        actions: [
          { action: 'create', file_path: 'new.txt', content: 'n' },
          { action: 'create', file_path: configPath, content: 'again' },
        ],
      },
    });
    expect(bad).toMatchObject({ status: 400, body: { message: 'A file with this name already exists' } });
    expect(gl.state.file(world.project, 'new.txt')).toBeUndefined();
    expect(
      await call('POST', commits, {
        token: world.tokens.api,
        body: { branch: 'main', commit_message: 'm', actions: [{ action: 'rename', file_path: 'a' }] },
      }),
    ).toMatchObject({ status: 400, body: { error: 'actions[0][action] does not have a valid value' } });
  });

  it("an empty repository reports the instance's default branch name, and the first create makes it", async () => {
    const other = await startFakeGitLab({ defaultBranchName: 'trunk' });
    try {
      const user = other.state.addUser({ username: 'maria' });
      const pat = other.state.addPersonalAccessToken(user);
      const empty = other.state.addProject({ path: 'group/empty', empty: true, members: { maria: Access.maintainer } });
      const r = await fetch(`${other.url}/api/v4/projects/${empty.id}`, { headers: { 'private-token': pat.value } });
      expect(await r.json()).toMatchObject({ default_branch: 'trunk', empty_repo: true });
    } finally {
      await other.close();
    }
    const empty = gl.state.addProject({ path: 'group/empty', empty: true, members: { maria: Access.maintainer } });
    const path = api(`/projects/${empty.id}/repository/files/${encodeURIComponent(configPath)}`);
    expect((await call('GET', `${path}?ref=main`, { token: world.tokens.api })).body).toEqual({ message: '404 Commit Not Found' });
    expect((await call('GET', api(`/projects/${empty.id}`), { token: world.tokens.api })).body).toMatchObject({
      default_branch: 'main',
      empty_repo: true,
    });
    const body = { branch: 'main', content: 'x: 1\n', commit_message: 'first' };
    expect((await call('POST', path, { token: world.tokens.api, body })).status).toBe(201);
    expect(gl.state.file(empty, configPath)).toBe('x: 1\n');
  });
});

describe('GraphQL and the simulated connection', () => {
  const query = `query agent($fullPath: ID!, $name: String!) {
    project(fullPath: $fullPath) {
      clusterAgent(name: $name) {
        id
        connections { nodes { connectedAt metadata { version podName } } }
      }
    }
  }`;
  const graphql = (token: string, variables: Record<string, unknown>, text = query) =>
    call('POST', '/api/graphql', { token, bearer: true, body: { query: text, variables } });

  it('shows no connection until the agent connects, then its metadata', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    const token = gl.state.addAgentToken(agent, { name: 't' });
    const before = await graphql(world.tokens.api, { fullPath: 'group/app', name: 'prod' });
    expect(before.body).toEqual({
      data: { project: { clusterAgent: { id: `gid://gitlab/Clusters::Agent/${agent.id}`, connections: { nodes: [] } } } },
    });
    const connection = gl.state.markConnected(agent.id, { version: 'v17.6.0', podName: 'gitlab-agent-v2-abc' });
    expect(token.lastUsedAt).toBe(connection.connectedAt);
    const after = await graphql(world.tokens.api, { fullPath: 'group/app', name: 'prod' });
    // GraphQL's Time has second precision; REST keeps milliseconds.
    expect(after.body.data.project.clusterAgent.connections.nodes).toEqual([
      {
        connectedAt: connection.connectedAt.replace(/\.\d{3}Z$/, 'Z'),
        metadata: { version: 'v17.6.0', podName: 'gitlab-agent-v2-abc' },
      },
    ]);
    expect(after.body.data.project.clusterAgent.connections.nodes[0].connectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // connections need Maintainer: a Developer sees the agent but an empty list.
    const dev = await graphql(world.tokens.developer, { fullPath: 'group/app', name: 'prod' });
    expect(dev.body.data.project.clusterAgent.connections.nodes).toEqual([]);
  });

  it('answers null for unknown agents or projects and errors for unknown fields', async () => {
    const missing = await graphql(world.tokens.api, { fullPath: 'group/app', name: 'nope' });
    expect(missing.body).toEqual({ data: { project: { clusterAgent: null } } });
    const hidden = await graphql(world.tokens.outsider, { fullPath: 'group/app', name: 'nope' });
    expect(hidden.body).toEqual({ data: { project: null } });
    const literal = await graphql(world.tokens.api, {}, '{ project(fullPath: "group/app") { fullPath bogus } }');
    expect(literal.status).toBe(200);
    expect(literal.body.errors[0].message).toBe("Field 'bogus' doesn't exist on type 'Project'");
    const invalid = await call('POST', '/api/graphql', { token: 'nope', body: { query: '{ currentUser { username } }' } });
    expect(invalid.status).toBe(401);
  });

  it('connectAfterMs sets the new token last_used_at shortly after creation', async () => {
    gl.state.connectAfterMs = 300;
    const agent = gl.state.addAgent(world.project, 'prod');
    const created = await call('POST', api(`/projects/${world.project.id}/cluster_agents/${agent.id}/tokens`), {
      token: world.tokens.api,
      body: { name: 'auto' },
    });
    const single = `/projects/${world.project.id}/cluster_agents/${agent.id}/tokens/${created.body.id}`;
    expect((await call('GET', api(single), { token: world.tokens.api })).body.last_used_at).toBeNull();
    const later = await vi.waitFor(
      async () => {
        const answer = await call('GET', api(single), { token: world.tokens.api });
        expect(answer.body.last_used_at).not.toBeNull();
        return answer;
      },
      { timeout: 5_000, interval: 25 },
    );
    expect(Date.parse(later.body.last_used_at)).toBeGreaterThanOrEqual(Date.parse(created.body.created_at));
    expect(gl.state.connectionsOf(agent)).toHaveLength(1);
  });
});

describe('request log and faults', () => {
  it('records method, path, query and body with every credential redacted', async () => {
    await call('GET', api('/user'), { token: world.tokens.api });
    await call('POST', api(`/projects/${world.project.id}/cluster_agents`), {
      token: world.tokens.api,
      bearer: true,
      body: { name: 'prod' },
    });
    await call('GET', api(`/metadata?private_token=${world.tokens.api}`));
    expect(gl.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/v4/user',
      headers: { 'private-token': '[REDACTED]' },
      user: 'maria',
      status: 200,
    });
    expect(gl.requests[1]).toMatchObject({
      method: 'POST',
      body: { name: 'prod' },
      headers: { authorization: '[REDACTED]' },
      status: 201,
    });
    expect(gl.requests[2]?.query).toEqual({ private_token: '[REDACTED]' });
    expect(JSON.stringify(gl.requests)).not.toContain(world.tokens.api);
  });

  it('failNext injects a canned answer once', async () => {
    gl.failNext({ method: 'GET', path: '/user', status: 500 });
    expect((await call('GET', api('/user'), { token: world.tokens.api })).status).toBe(500);
    expect((await call('GET', api('/user'), { token: world.tokens.api })).status).toBe(200);
  });
});

/** A second fake with its own options, closed after `work`. */
async function withGitLab(
  options: Parameters<typeof startFakeGitLab>[0],
  work: (other: FakeGitLab, w: StandardWorld) => Promise<void>,
): Promise<void> {
  const other = await startFakeGitLab(options);
  try {
    await work(other, seedStandardWorld(other.state));
  } finally {
    await other.close();
  }
}

async function callOn(other: FakeGitLab, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = token ? { 'private-token': token } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${other.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

describe('token kinds and scopes', () => {
  it('lets a read_repository token read files only (files.rb allows it for GET)', async () => {
    const pat = gl.state.addPersonalAccessToken(world.maintainer, { scopes: ['read_repository'] });
    const file = await call('GET', api(`/projects/${world.project.id}/repository/files/README.md?ref=main`), { token: pat.value });
    expect(file.status).toBe(200);
    expect(Buffer.from(file.body.content, 'base64').toString('utf8')).toBe('# App\n');
    expect(await call('GET', api(`/projects/${world.project.id}`), { token: pat.value })).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope', scope: 'api read_api' },
    });
    const write = await call('POST', api(`/projects/${world.project.id}/repository/files/x.txt`), {
      token: pat.value,
      body: { branch: 'main', content: 'x', commit_message: 'm' },
    });
    expect(write).toMatchObject({ status: 403, body: { error: 'insufficient_scope', scope: 'api' } });
  });

  it('answers an OAuth token (glab login) 400 on /personal_access_tokens/self but serves the API', async () => {
    const oauth = gl.state.addPersonalAccessToken(world.maintainer, { kind: 'OAuthAccessToken', value: 'fake-oauth-token-0000' });
    expect(await call('GET', api('/personal_access_tokens/self'), { token: oauth.value, bearer: true })).toEqual({
      status: 400,
      body: { message: '400 Bad request - This endpoint requires token type to be a personal access token' },
      headers: expect.anything(),
    });
    expect((await call('GET', api('/user'), { token: oauth.value, bearer: true })).body.username).toBe('maria');
  });

  it('lets anonymous callers read public projects and their files, nothing else', async () => {
    const open = gl.state.addProject({ path: 'public/open', visibility: 'public' });
    const project = await call('GET', api(`/projects/${open.id}`));
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ path_with_namespace: 'public/open', default_branch: 'main' });
    expect(project.body).not.toHaveProperty('permissions');
    expect((await call('GET', api(`/projects/${open.id}/repository/files/README.md?ref=main`))).status).toBe(200);
    expect((await call('GET', api('/projects?search=open'))).body.map((p: { path: string }) => p.path)).toEqual(['open']);
    expect(await call('GET', api(`/projects/${world.project.id}`))).toMatchObject({
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    expect(await call('GET', api(`/projects/${open.id}/cluster_agents`))).toMatchObject({
      status: 401,
      body: { message: '401 Unauthorized' },
    });
    expect(await call('GET', api('/user'))).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
  });
});

describe('version gates', () => {
  it("has no /metadata before 15.2: Grape's catch-all 404, even before the token is checked", async () => {
    await withGitLab({ metadata: { version: '15.1.6-ee' } }, async (other, w) => {
      expect(await callOn(other, 'GET', '/api/v4/metadata', w.tokens.api)).toMatchObject({ status: 404, body: { error: '404 Not Found' } });
      expect(await callOn(other, 'GET', '/api/v4/metadata', 'glpat-FAKE-unknown')).toMatchObject({ status: 404 });
      expect(await callOn(other, 'GET', '/api/v4/version', w.tokens.api)).toEqual({
        status: 200,
        body: { version: '15.1.6-ee', revision: 'f4ke0000' },
        headers: expect.anything(),
      });
      expect((await callOn(other, 'GET', '/api/v4/personal_access_tokens/self', w.tokens.api)).status).toBe(404);
    });
    await withGitLab({ metadataEndpoint: false }, async (other, w) => {
      expect(await callOn(other, 'GET', '/api/v4/metadata', w.tokens.api)).toMatchObject({ status: 404, body: { error: '404 Not Found' } });
    });
  });

  it('adds enterprise in 15.6 and kas.externalK8sProxyUrl in 17.6', async () => {
    await withGitLab({ metadata: { version: '15.5.0-ee' } }, async (other, w) => {
      const body = (await callOn(other, 'GET', '/api/v4/metadata', w.tokens.api)).body;
      expect(body).not.toHaveProperty('enterprise');
      expect(body.kas).not.toHaveProperty('externalK8sProxyUrl');
      expect((await callOn(other, 'GET', '/api/v4/personal_access_tokens/self', w.tokens.api)).status).toBe(200);
    });
    await withGitLab({ metadata: { version: '17.5.3-ee' } }, async (other, w) => {
      const body = (await callOn(other, 'GET', '/api/v4/metadata', w.tokens.api)).body;
      expect(body).toMatchObject({ enterprise: true, kas: { enabled: true, version: '17.6.2' } });
      expect(Object.keys(body.kas).sort()).toEqual(['enabled', 'externalUrl', 'version']);
    });
  });

  it('limits agents to two active tokens from 16.2 on only', async () => {
    for (const [version, third] of [
      ['16.1.5-ee', 201],
      ['16.2.0-ee', 400],
    ] as const) {
      await withGitLab({ metadata: { version } }, async (other, w) => {
        const agent = other.state.addAgent(w.project, 'prod');
        const tokens = `/api/v4/projects/${w.project.id}/cluster_agents/${agent.id}/tokens`;
        for (const name of ['one', 'two']) expect((await callOn(other, 'POST', tokens, w.tokens.api, { name })).status).toBe(201);
        const answer = await callOn(other, 'POST', tokens, w.tokens.api, { name: 'three' });
        expect(answer.status, version).toBe(third);
        if (third === 400) {
          expect(answer.body).toEqual({ message: '400 Bad request - An agent can have only two active tokens at a time' });
        }
      });
    }
  });
});

describe('project search like GitLab', () => {
  beforeEach(() => {
    gl.state.addProject({ path: 'team/ap', name: 'ap', members: { maria: Access.maintainer } });
    gl.state.addProject({ path: 'team/api-gateway', name: 'API Gateway', members: { maria: Access.maintainer } });
    gl.state.addProject({ path: 'team/gateway-tests', name: 'gateway tests', members: { maria: Access.maintainer } });
  });
  const search = async (query: string) =>
    (await call('GET', api(`/projects?${query}`), { token: world.tokens.api })).body.map(
      (p: { path_with_namespace: string }) => p.path_with_namespace,
    );

  it('matches terms shorter than 3 characters only exactly', async () => {
    expect(await search('search=ap')).toEqual(['team/ap']);
    expect(await search('search=AP')).toEqual(['team/ap']);
    expect(await search('search=a')).toEqual([]);
    expect(await search('search=app')).toEqual(['group/app']);
  });

  it('ANDs terms of 3+ characters within one column and drops the short ones', async () => {
    expect((await search('search=gateway%20api')).sort()).toEqual(['team/api-gateway']);
    expect((await search('search=gateway%20ap')).sort()).toEqual(['team/api-gateway', 'team/gateway-tests']);
    expect(await search('search=team%2Fap&search_namespaces=true')).toEqual(['team/api-gateway', 'team/ap']);
  });

  it('honours order_by: similarity first-best, name, and last_activity_at', async () => {
    // pg_trgm: "gateway" shares 8 of api-gateway's 12 trigrams but only 8 of gateway-tests' 14.
    expect(await search('search=gateway&order_by=similarity')).toEqual(['team/api-gateway', 'team/gateway-tests']);
    expect(await search('search=gateway')).toEqual(['team/gateway-tests', 'team/api-gateway']); // created_at desc
    expect(await search('order_by=name&sort=asc')).toEqual(['team/ap', 'team/api-gateway', 'group/app', 'team/gateway-tests']);
    expect(await search('order_by=id&sort=asc')).toEqual(['group/app', 'team/ap', 'team/api-gateway', 'team/gateway-tests']);
    const clock = new Date(Date.now() + 60_000);
    gl.state.projects.get(world.project.id)!.lastActivityAt = clock.toISOString();
    expect((await search('order_by=last_activity_at'))[0]).toBe('group/app');
    expect(await call('GET', api('/projects?order_by=stars'), { token: world.tokens.api })).toMatchObject({
      status: 400,
      body: { error: 'order_by does not have a valid value' },
    });
  });
});

describe('access through a group share', () => {
  it('shows Developer in permissions, yet lets the user register an agent and see connections', async () => {
    const shared = gl.state.addProject({
      path: 'platform/infra',
      members: { dev: Access.developer },
      sharedWith: { dev: Access.maintainer },
    });
    const project = await call('GET', api(`/projects/${shared.id}`), { token: world.tokens.developer });
    expect(project.body.permissions).toEqual({ project_access: { access_level: 30, notification_level: 3 }, group_access: null });
    const registered = await call('POST', api(`/projects/${shared.id}/cluster_agents`), {
      token: world.tokens.developer,
      body: { name: 'prod' },
    });
    expect(registered).toMatchObject({ status: 201, body: { name: 'prod' } });
    const listed = await call('GET', api('/projects?min_access_level=40&simple=true'), { token: world.tokens.developer });
    expect(listed.body.map((p: { path_with_namespace: string }) => p.path_with_namespace)).toEqual(['platform/infra']);
  });

  it('hides default_branch from callers who may not read code (a Guest)', async () => {
    const guestProject = gl.state.addProject({ path: 'group/guest', members: { olga: Access.guest } });
    const body = (await call('GET', api(`/projects/${guestProject.id}`), { token: world.tokens.outsider })).body;
    expect(body).not.toHaveProperty('default_branch');
    expect(body.permissions.project_access.access_level).toBe(10);
  });
});

describe('agent registration needs :admin_pipeline', () => {
  it('answers a Maintainer 400 when CI/CD is disabled', async () => {
    const noCi = gl.state.addProject({ path: 'group/no-ci', members: { maria: Access.maintainer }, buildsEnabled: false });
    expect(
      await call('POST', api(`/projects/${noCi.id}/cluster_agents`), { token: world.tokens.api, body: { name: 'prod' } }),
    ).toMatchObject({
      status: 400,
      body: { message: '400 Bad request - You have insufficient permissions to create a cluster agent for this project' },
    });
    expect(gl.state.agents.size).toBe(0);
  });

  it('shows is_receptive on EE only', async () => {
    gl.state.addAgent(world.project, 'prod');
    const ee = await call('GET', api(`/projects/${world.project.id}/cluster_agents`), { token: world.tokens.api });
    expect(ee.body[0]).toMatchObject({ name: 'prod', is_receptive: false });
    await withGitLab({ metadata: { version: '17.6.2', enterprise: false } }, async (other, w) => {
      other.state.addAgent(w.project, 'prod');
      const ce = await callOn(other, 'GET', `/api/v4/projects/${w.project.id}/cluster_agents`, w.tokens.api);
      expect(ce.body[0]).not.toHaveProperty('is_receptive');
    });
  });
});

describe('protected branches and the commits API', () => {
  const configPath = '.gitlab/agents/prod/config.yaml';
  const create = (projectId: number, token: string, branch = 'main') =>
    call('POST', api(`/projects/${projectId}/repository/files/${encodeURIComponent(configPath)}`), {
      token,
      body: { branch, content: 'x: 1\n', commit_message: 'Add agent config' },
    });
  const commitTo = (projectId: number, token: string, actions: unknown[]) =>
    call('POST', api(`/projects/${projectId}/repository/commits`), {
      token,
      body: { branch: 'main', commit_message: 'Agent files', actions },
    });

  it('"No one" may push: Maintainers get 400 from the files API and 403 from the commits API', async () => {
    const locked = gl.state.addProject({ path: 'group/locked', members: { maria: Access.maintainer }, protection: 'no_one' });
    expect(await create(locked.id, world.tokens.api)).toMatchObject({
      status: 400,
      body: { message: 'You are not allowed to push into this branch' },
    });
    expect(await commitTo(locked.id, world.tokens.api, [{ action: 'create', file_path: configPath, content: 'x' }])).toMatchObject({
      status: 403,
      body: { message: '403 Forbidden - You are not allowed to push into this branch' },
    });
    expect(gl.state.file(locked, configPath)).toBeUndefined();
    expect((await create(locked.id, world.tokens.api, 'agent-config')).status).toBe(400); // no start_branch: not a branch
  });

  it('"Developers" may push: a Developer commits to the default branch; unprotected works too', async () => {
    const open = gl.state.addProject({ path: 'group/open', members: { dev: Access.developer }, protection: 'developers' });
    expect((await create(open.id, world.tokens.developer)).status).toBe(201);
    const bare = gl.state.addProject({ path: 'group/bare', members: { dev: Access.developer }, protection: 'none' });
    expect((await commitTo(bare.id, world.tokens.developer, [{ action: 'create', file_path: configPath, content: 'x' }])).status).toBe(201);
    gl.state.protectBranch(bare, 'main', 'maintainers');
    expect(await commitTo(bare.id, world.tokens.developer, [{ action: 'update', file_path: configPath, content: 'y' }])).toMatchObject({
      status: 403,
      body: { message: '403 Forbidden - You are not allowed to push into this branch' },
    });
  });

  it('POST /repository/commits creates, updates and deletes in one commit, or not at all', async () => {
    gl.state.setFile(world.project, 'old.txt', 'old\n');
    const made = await commitTo(world.project.id, world.tokens.api, [
      { action: 'create', file_path: configPath, content: 'a: 1\n' },
      { action: 'update', file_path: 'README.md', content: '# updated\n' },
      { action: 'delete', file_path: 'old.txt' },
    ]);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      title: 'Agent files',
      stats: { additions: 2, deletions: 2, total: 4 },
      project_id: world.project.id,
    });
    expect(gl.state.file(world.project, configPath)).toBe('a: 1\n');
    expect(gl.state.file(world.project, 'old.txt')).toBeUndefined();
    const failed = await commitTo(world.project.id, world.tokens.api, [
      { action: 'create', file_path: 'new.txt', content: 'n' },
      { action: 'delete', file_path: 'old.txt' },
    ]);
    expect(failed).toMatchObject({ status: 400, body: { message: "A file with this name doesn't exist" } });
    expect(gl.state.file(world.project, 'new.txt')).toBeUndefined();
  });

  it('refuses files and commits with 403 when the repository feature is disabled', async () => {
    const noRepo = gl.state.addProject({ path: 'group/no-repo', members: { maria: Access.maintainer }, repositoryEnabled: false });
    expect(await call('GET', api(`/projects/${noRepo.id}/repository/files/README.md?ref=main`), { token: world.tokens.api })).toMatchObject(
      {
        status: 403,
        body: { message: '403 Forbidden' },
      },
    );
    expect((await create(noRepo.id, world.tokens.api)).status).toBe(403);
  });
});

describe('GraphQL validation like graphql-ruby', () => {
  const productQuery =
    'query($p: ID!, $a: String!) { project(fullPath: $p) { clusterAgent(name: $a) { connections { nodes { connectedAt metadata { version podName } } } } } }';
  const graphql = (text: string, variables: Record<string, unknown> = {}, token = world.tokens.api) =>
    call('POST', '/api/graphql', { token, bearer: true, body: { query: text, variables } });

  it("accepts the product's query and answers data only", async () => {
    gl.state.addAgent(world.project, 'prod');
    expect((await graphql(productQuery, { p: 'group/app', a: 'prod' })).body).toEqual({
      data: { project: { clusterAgent: { connections: { nodes: [] } } } },
    });
  });

  it('refuses a variable whose type differs from the argument (String! for ID!)', async () => {
    const answer = await graphql('query($p: String!) { project(fullPath: $p) { id } }', { p: 'group/app' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'Type mismatch on variable $p and argument fullPath (String! / ID!)',
          locations: [{ line: 1, column: 30 }],
          path: ['query', 'project', 'fullPath'],
          extensions: {
            code: 'variableMismatch',
            variableName: 'p',
            typeName: 'String!',
            argumentName: 'fullPath',
            errorMessage: 'Type mismatch',
          },
        },
      ],
    });
    const nullable = await graphql('query agent($p: ID) { project(fullPath: $p) { id } }', { p: 'group/app' });
    expect(nullable.body.errors[0]).toMatchObject({
      message: 'Nullability mismatch on variable $p and argument fullPath (ID / ID!)',
      path: ['query agent', 'project', 'fullPath'],
    });
  });

  it('refuses unknown and missing arguments, and count on ConnectedAgentConnection', async () => {
    const unknown = await graphql('{ project(fullPath: "group/app") { clusterAgent(name: "prod", id: 1) { id } } }');
    expect(unknown.body.errors).toEqual([
      {
        message: "Field 'clusterAgent' doesn't accept argument 'id'",
        locations: [{ line: 1, column: 63 }],
        path: ['query', 'project', 'clusterAgent', 'id'],
        extensions: { code: 'argumentNotAccepted', name: 'clusterAgent', typeName: 'Field', argumentName: 'id' },
      },
    ]);
    const missing = await graphql('{ project(fullPath: "group/app") { clusterAgent { id } } }');
    expect(missing.body.errors).toEqual([
      {
        message: "Field 'clusterAgent' is missing required arguments: name",
        locations: [{ line: 1, column: 36 }],
        path: ['query', 'project', 'clusterAgent'],
        extensions: { code: 'missingRequiredArguments', className: 'Field', name: 'clusterAgent', arguments: 'name' },
      },
    ]);
    const count = await graphql(
      '{ project(fullPath: "group/app") { clusterAgent(name: "prod") { connections { count } tokens { count } } } }',
    );
    expect(count.body).toEqual({
      errors: [
        {
          message: "Field 'count' doesn't exist on type 'ConnectedAgentConnection'",
          locations: [{ line: 1, column: 79 }],
          path: ['query', 'project', 'clusterAgent', 'connections', 'count'],
          extensions: { code: 'undefinedField', typeName: 'ConnectedAgentConnection', fieldName: 'count' },
        },
      ],
    });
  });

  it('validates fields even under a null parent, and selections on leaves and objects', async () => {
    const bogus = await graphql('{ project(fullPath: "nope/nope") { clusterAgent(name: "x") { bogus } } }');
    expect(bogus.body.errors[0].message).toBe("Field 'bogus' doesn't exist on type 'ClusterAgent'");
    expect(bogus.body).not.toHaveProperty('data');
    const leaf = await graphql('{ project(fullPath: "group/app") { name { first } } }');
    expect(leaf.body.errors[0].message).toBe(
      "Selections can't be made on scalars (field 'name' returns String but has selections [first])",
    );
    const object = await graphql('{ project(fullPath: "group/app") }');
    expect(object.body.errors[0].message).toBe(
      "Field must have selections (field 'project' returns Project but has no selections. Did you mean 'project { ... }'?)",
    );
  });

  it('checks variables: declared, used, provided, of the right kind', async () => {
    const undeclared = await graphql('{ project(fullPath: $p) { id } }');
    expect(undeclared.body.errors[0]).toMatchObject({
      message: 'Variable $p is used by anonymous query but not declared',
      extensions: { code: 'variableNotDefined' },
    });
    const unused = await graphql('query($p: ID!, $x: String) { project(fullPath: $p) { id } }', { p: 'group/app' });
    expect(unused.body.errors[0]).toMatchObject({ message: 'Variable $x is declared by anonymous query but not used' });
    const absent = await graphql(productQuery, { p: 'group/app' });
    expect(absent.body).toEqual({
      errors: [
        {
          message: 'Variable $a of type String! was provided invalid value',
          locations: [{ line: 1, column: 16 }],
          extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
        },
      ],
    });
    const wrongKind = await graphql(productQuery, { p: 'group/app', a: 7 });
    expect(wrongKind.body.errors[0].extensions.problems[0].explanation).toBe('Could not coerce value 7 to String');
    expect((await graphql(productQuery, { p: 7, a: 'prod' })).body).toEqual({ data: { project: null } }); // ID takes integers
  });

  it('reports KAS trouble as connections: null plus an error naming the exception', async () => {
    gl.state.addAgent(world.project, 'prod');
    gl.state.kasAvailable = false;
    expect((await graphql(productQuery, { p: 'group/app', a: 'prod' })).body).toEqual({
      errors: [{ message: 'GRPC::Unavailable', locations: [{ line: 1, column: 80 }], path: ['project', 'clusterAgent', 'connections'] }],
      data: { project: { clusterAgent: { connections: null } } },
    });
    gl.state.metadata.kas.enabled = false;
    expect((await graphql(productQuery, { p: 'group/app', a: 'prod' })).body.errors[0].message).toBe(
      'Gitlab::Kas::Client::ConfigurationError',
    );
    // A Developer is not asked KAS at all: an empty list.
    expect((await graphql(productQuery, { p: 'group/app', a: 'prod' }, world.tokens.developer)).body).toEqual({
      data: { project: { clusterAgent: { connections: { nodes: [] } } } },
    });
  });

  it('answers a token without api/read_api 401 "Invalid token", like a bad token', async () => {
    for (const token of [world.tokens.readUser, 'glpat-FAKE-unknown']) {
      const answer = await graphql('{ currentUser { username } }', {}, token);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ errors: [{ message: 'Invalid token' }] });
    }
    expect((await graphql('{ currentUser { username } }', {}, world.tokens.readApi)).body).toEqual({
      data: { currentUser: { username: 'maria' } },
    });
  });

  it('serves edges, pageInfo and count on countable connections', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    gl.state.addAgentToken(agent, { name: 't' });
    const answer = await graphql(
      '{ project(fullPath: "group/app") { clusterAgents { count edges { node { name } } pageInfo { hasNextPage } } } }',
    );
    expect(answer.body).toEqual({
      data: { project: { clusterAgents: { count: 1, edges: [{ node: { name: 'prod' } }], pageInfo: { hasNextPage: false } } } },
    });
  });
});

describe('revoke and KAS caching', () => {
  it('revoking an already revoked token is 204 again', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    const token = gl.state.addAgentToken(agent, { name: 't' });
    const path = api(`/projects/${world.project.id}/cluster_agents/${agent.id}/tokens/${token.id}`);
    expect((await call('DELETE', path, { token: world.tokens.api })).status).toBe(204);
    expect((await call('DELETE', path, { token: world.tokens.api })).status).toBe(204);
  });

  it('drops the connections of a revoked token at once by default, after revokedConnectionLingerMs if set', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    const token = gl.state.addAgentToken(agent, { name: 't' });
    gl.state.markConnected(agent.id, { tokenId: token.id });
    gl.state.revokeAgentToken(token);
    expect(gl.state.connectionsOf(agent)).toEqual([]);

    gl.state.revokedConnectionLingerMs = 200;
    const second = gl.state.addAgentToken(agent, { name: 'u' });
    gl.state.markConnected(agent.id, { tokenId: second.id });
    gl.state.revokeAgentToken(second);
    expect(gl.state.connectionsOf(agent)).toHaveLength(1);
    await vi.waitFor(() => expect(gl.state.connectionsOf(agent)).toEqual([]), { timeout: 2_000, interval: 20 });
  });

  it('markConnected can name the token agentk uses', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    const first = gl.state.addAgentToken(agent, { name: 'first' });
    const second = gl.state.addAgentToken(agent, { name: 'second' });
    const connection = gl.state.markConnected(agent.id, { tokenId: first.id });
    expect(connection.tokenId).toBe(first.id);
    expect(first.lastUsedAt).toBe(connection.connectedAt);
    expect(second.lastUsedAt).toBeNull();
    expect(() => gl.state.markConnected(agent.id, { tokenId: 999 })).toThrow(/no active token 999/);
  });
});

describe('receptive agents: url_configurations', () => {
  const caPem = readFileSync(new URL('../fixtures/kas-ca.pem', import.meta.url), 'utf8');
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  let agentId: number;
  let base: string;
  beforeEach(() => {
    agentId = gl.state.addAgent(world.project, 'receptive').id;
    base = api(`/projects/${world.project.id}/cluster_agents/${agentId}/url_configurations`);
  });

  it('is 404 unless Ultimate, self-managed and 17.4+', async () => {
    const cases: Parameters<typeof startFakeGitLab>[0][] = [
      { metadata: { version: '17.3.7-ee' } },
      { license: 'premium' },
      { metadata: { version: '17.6.2', enterprise: false } },
      { dotCom: true },
    ];
    for (const options of cases) {
      await withGitLab(options, async (other, w) => {
        const agent = other.state.addAgent(w.project, 'receptive');
        const path = `/api/v4/projects/${w.project.id}/cluster_agents/${agent.id}/url_configurations`;
        expect(
          await callOn(other, 'POST', path, w.tokens.api, { url: 'grpcs://agent.example.com:8443' }),
          JSON.stringify(options),
        ).toMatchObject({
          status: 404,
          body: { message: '404 Not Found' },
        });
        expect((await callOn(other, 'GET', path, 'glpat-FAKE-unknown')).status).toBe(401);
      });
    }
  });

  it('creates one configuration per agent with a generated Ed25519 public key, lists, shows and deletes it', async () => {
    const made = await call('POST', base, {
      token: world.tokens.api,
      body: { url: 'grpcs://agent.example.com:8443', ca_cert: b64(caPem), tls_host: 'agent.example.com' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.any(Number),
      agent_id: agentId,
      url: 'grpcs://agent.example.com:8443',
      public_key: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      client_cert: null,
      ca_cert: b64(caPem),
      tls_host: 'agent.example.com',
    });
    expect(Buffer.from(made.body.public_key, 'base64')).toHaveLength(32);
    expect(
      (await call('GET', api(`/projects/${world.project.id}/cluster_agents/${agentId}`), { token: world.tokens.api })).body.is_receptive,
    ).toBe(true);
    expect(await call('POST', base, { token: world.tokens.api, body: { url: 'grpc://other.example.com' } })).toMatchObject({
      status: 400,
      body: { message: '400 Bad request - URL configuration already exists for this agent' },
    });
    expect((await call('GET', base, { token: world.tokens.api })).body).toEqual([made.body]);
    expect((await call('GET', `${base}/${made.body.id}`, { token: world.tokens.api })).body).toEqual(made.body);
    expect(await call('GET', `${base}/${made.body.id + 1}`, { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Not Found' },
    });
    expect((await call('GET', base, { token: world.tokens.developer })).status).toBe(403);
    expect((await call('DELETE', `${base}/${made.body.id}`, { token: world.tokens.developer })).status).toBe(403);
    expect((await call('DELETE', `${base}/${made.body.id}`, { token: world.tokens.api })).status).toBe(204);
    expect((await call('GET', base, { token: world.tokens.api })).body).toEqual([]);
  });

  it('keeps a client certificate instead of generating a key, and validates like the model', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const made = await call('POST', base, {
      token: world.tokens.api,
      body: { url: 'grpcs://agent.example.com', client_cert: b64(caPem), client_key: b64(keyPem) },
    });
    expect(made).toMatchObject({ status: 201, body: { public_key: null, client_cert: b64(caPem), ca_cert: null } });
    const other = gl.state.addAgent(world.project, 'other');
    const otherBase = api(`/projects/${world.project.id}/cluster_agents/${other.id}/url_configurations`);
    expect(
      await call('POST', otherBase, { token: world.tokens.api, body: { url: 'https://agent.example.com', ca_cert: b64('not a cert') } }),
    ).toMatchObject({
      status: 400,
      body: {
        message: '400 Bad request - ["Url is blocked: Only allowed schemes are grpc, grpcs", "Ca cert must be a valid PEM certificate"]',
      },
    });
    expect(await call('POST', otherBase, { token: world.tokens.api, body: {} })).toMatchObject({
      status: 400,
      body: { error: 'url is missing' },
    });
  });
});

describe('branches and merge requests (what the Flux bootstrap uses)', () => {
  it('GET /repository/branches/:branch says whether the caller may push, protected branches included', async () => {
    const branch = api(`/projects/${world.project.id}/repository/branches/main`);
    const mine = await call('GET', branch, { token: world.tokens.api });
    expect(mine).toMatchObject({ status: 200, body: { name: 'main', default: true, can_push: true } });
    expect((await call('GET', branch, { token: world.tokens.developer })).body).toMatchObject({ can_push: false, protected: true });
    gl.state.protectBranch(world.project, 'main', 'no_one');
    expect((await call('GET', branch, { token: world.tokens.api })).body).toMatchObject({ can_push: false });
    expect(await call('GET', api(`/projects/${world.project.id}/repository/branches/nope`), { token: world.tokens.api })).toMatchObject({
      status: 404,
      body: { message: '404 Branch Not Found' },
    });
  });

  it('POST /merge_requests needs both branches, allows one open MR per pair (409), and merging moves the target', async () => {
    const project = world.project.id;
    const commits = api(`/projects/${project}/repository/commits`);
    await call('POST', commits, {
      token: world.tokens.api,
      body: {
        branch: 'agent',
        start_branch: 'main',
        commit_message: 'm',
        actions: [{ action: 'create', file_path: 'a.yaml', content: 'a: 1\n' }],
      },
    });
    const mrs = api(`/projects/${project}/merge_requests`);
    const missing = await call('POST', mrs, {
      token: world.tokens.api,
      body: { source_branch: 'nope', target_branch: 'main', title: 't' },
    });
    expect(missing).toMatchObject({ status: 400, body: { message: 'Source branch "nope" does not exist' } });
    const made = await call('POST', mrs, {
      token: world.tokens.api,
      body: { source_branch: 'agent', target_branch: 'main', title: 'Install', remove_source_branch: true },
    });
    expect(made).toMatchObject({
      status: 201,
      body: {
        iid: 1,
        state: 'opened',
        source_branch: 'agent',
        target_branch: 'main',
        web_url: expect.stringMatching(/\/group\/app\/-\/merge_requests\/1$/),
      },
    });
    const again = await call('POST', mrs, {
      token: world.tokens.api,
      body: { source_branch: 'agent', target_branch: 'main', title: 'Install' },
    });
    expect(again).toMatchObject({ status: 409, body: { message: 'Another open merge request already exists for this source branch: !1' } });
    expect(gl.state.file(world.project, 'a.yaml')).toBeUndefined();
    mergeMergeRequest(gl.state, world.project, 1);
    expect(gl.state.file(world.project, 'a.yaml')).toBe('a: 1\n');
    expect(mergeRequestsOf(gl.state)[0]!.state).toBe('merged');
    expect(gl.state.repository(world.project).branches.has('agent')).toBe(false);
  });
});
