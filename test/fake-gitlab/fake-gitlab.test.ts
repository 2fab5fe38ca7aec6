import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeGitLab, seedStandardWorld, type StandardWorld, startFakeGitLab } from './server.js';
import { Access } from './types.js';

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
    const e = await call('GET', api('/user'), { token: expired.value });
    expect(e.body).toEqual({ error: 'invalid_token', error_description: 'Token has expired.' });
  });

  it('answers 403 insufficient_scope with the accepted scopes', async () => {
    const read = await call('GET', api(`/projects/${world.project.id}`), { token: world.tokens.readUser });
    expect(read.status).toBe(403);
    expect(read.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api read_api',
    });
    expect(read.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const write = await call('POST', api(`/projects/${world.project.id}/cluster_agents`), {
      token: world.tokens.readApi,
      body: { name: 'x' },
    });
    expect(write).toMatchObject({ status: 403, body: { error: 'insufficient_scope', scope: 'api' } });
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
        message:
          "400 Bad request - [\"Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'\"]",
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

  it('an empty repository has no default branch yet; the first create makes it', async () => {
    const empty = gl.state.addProject({ path: 'group/empty', empty: true, members: { maria: Access.maintainer } });
    const path = api(`/projects/${empty.id}/repository/files/${encodeURIComponent(configPath)}`);
    expect((await call('GET', `${path}?ref=main`, { token: world.tokens.api })).body).toEqual({ message: '404 Commit Not Found' });
    expect((await call('GET', api(`/projects/${empty.id}`), { token: world.tokens.api })).body.default_branch).toBeNull();
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
    expect(after.body.data.project.clusterAgent.connections.nodes).toEqual([
      { connectedAt: connection.connectedAt, metadata: { version: 'v17.6.0', podName: 'gitlab-agent-v2-abc' } },
    ]);
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
