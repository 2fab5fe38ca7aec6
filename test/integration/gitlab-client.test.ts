import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitLabPort } from '../../src/adapters/gitlab/index.js';
import { GitLabApiError, type GitLabClient, GitLabUnreachableError, NotGitLabApiError } from '../../src/core/ports/gitlab.js';
import { Secret } from '../../src/core/kernel/secret.js';
import { Access, type FakeGitLab, seedStandardWorld, type StandardWorld, startFakeGitLab } from '../fake-gitlab/server.js';
import { hasOpenssl, makeCa, readPem, signServerCert } from '../support/test-pki.js';

let gl: FakeGitLab;
let world: StandardWorld;

const port = createGitLabPort();
const connect = (token: string, extra: { timeoutMs?: number; caPem?: string; url?: string } = {}): GitLabClient =>
  port.connect({ url: extra.url ?? gl.url, token: new Secret(token), timeoutMs: extra.timeoutMs, caPem: extra.caPem });

/** The rejection of `promise`, which must reject. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  gl = await startFakeGitLab();
  world = seedStandardWorld(gl.state);
});

afterEach(async () => {
  await gl.close();
});

describe('the adapter module', () => {
  it('imports @gitbeaker/rest only lazily (type imports and import() inside calls)', () => {
    const dir = join(import.meta.dirname, '../../src/adapters/gitlab');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!/(from\s+|import\s*\(\s*|require\s*\(\s*)['"]@gitbeaker\//.test(line)) continue;
        expect(line, `${file}: ${line}`).toMatch(/^import type |await import\('@gitbeaker\/rest'\)/);
      }
    }
  });
});

describe('identity and instance', () => {
  it('currentUser, tokenScopes and metadata', async () => {
    const client = connect(world.tokens.api);
    expect(client.url).toBe(gl.url);
    expect(await client.currentUser()).toEqual({ id: world.maintainer.id, username: 'maria', name: 'Maria Maintainer' });
    expect(await client.tokenScopes()).toEqual(['api']);
    expect(await connect(world.tokens.readUser).tokenScopes()).toEqual(['read_user']);
    expect(await client.metadata()).toEqual({
      version: '17.6.2-ee',
      enterprise: true,
      kas: { enabled: true, externalUrl: `${gl.url.replace('http', 'ws')}/-/kubernetes-agent/`, version: '17.6.2' },
    });
  });

  it('tokenScopes is undefined on GitLab without /personal_access_tokens/self', async () => {
    gl.state.personalAccessTokenSelf = false;
    expect(await connect(world.tokens.api).tokenScopes()).toBeUndefined();
  });

  it('sends the token as a Bearer header at request time and never elsewhere', async () => {
    await connect(world.tokens.api).currentUser();
    const request = gl.requests.at(-1);
    expect(request?.headers.authorization).toBe('[REDACTED]');
    expect(request?.user).toBe('maria');
    expect(request?.query).toEqual({});
  });
});

describe('error mapping', () => {
  it('401: GitLabApiError(401, "401 Unauthorized") with the path, and no token in the error', async () => {
    const error = await failure(connect('glpat-FAKE-wrong').currentUser());
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({ status: 401, message: '401 Unauthorized', path: '/api/v4/user' });
    expect(`${inspect(error, { depth: 10 })}${JSON.stringify(error)}`).not.toContain('glpat-FAKE-wrong');
    expect(error.cause).toBeUndefined();
  });

  it("401 for an expired token keeps GitLab's reason (from the 401's WWW-Authenticate header)", async () => {
    const expired = gl.state.addPersonalAccessToken(world.maintainer, { expiresAt: '2000-01-01' });
    expect(await failure(connect(expired.value).currentUser())).toMatchObject({
      status: 401,
      message: 'invalid_token: Token is expired. You can either do re-authorization or token refresh.',
    });
  });

  it('403 insufficient_scope names the scope the request needed: api for a write', async () => {
    const error = await failure(connect(world.tokens.readApi).registerAgent(world.project.id, 'prod'));
    expect(error).toMatchObject({ status: 403, message: 'insufficient_scope: the token needs the api scope' });
    // GitLab sends no WWW-Authenticate with a 403: the hint comes from the request, not a header.
    expect(gl.requests.at(-1)).toMatchObject({ method: 'POST', status: 403 });
    expect(gl.state.agents.size).toBe(0);
  });

  it('403 insufficient_scope on a read needs api or read_api', async () => {
    const error = await failure(connect(world.tokens.readUser).project('group/app'));
    expect(error).toMatchObject({ status: 403, message: 'insufficient_scope: the token needs the api or read_api scope' });
    const narrow = gl.state.addPersonalAccessToken(world.maintainer, { scopes: ['read_repository'] });
    expect(await failure(connect(narrow.value).currentUser())).toMatchObject({
      status: 403,
      message: 'insufficient_scope: the token needs the api or read_api scope',
    });
  });

  it('an OAuth token: tokenScopes is undefined (400 from /personal_access_tokens/self), the rest works', async () => {
    const oauth = gl.state.addPersonalAccessToken(world.maintainer, { kind: 'OAuthAccessToken', value: 'fake-oauth-token-0002' });
    const client = connect(oauth.value);
    expect(await client.tokenScopes()).toBeUndefined();
    expect(gl.requests.at(-1)).toMatchObject({ path: '/api/v4/personal_access_tokens/self', status: 400 });
    expect((await client.currentUser()).username).toBe('maria');
  });

  it('403 Forbidden for a Developer registering an agent', async () => {
    expect(await failure(connect(world.tokens.developer).registerAgent(world.project.id, 'prod'))).toMatchObject({
      status: 403,
      message: '403 Forbidden',
    });
  });

  it('404 Project Not Found for unknown and invisible projects', async () => {
    expect(await failure(connect(world.tokens.api).project('group/missing'))).toMatchObject({
      status: 404,
      message: '404 Project Not Found',
      path: '/api/v4/projects/group%2Fmissing',
    });
    expect(await failure(connect(world.tokens.outsider).listAgents(world.project.id))).toMatchObject({
      status: 404,
      message: '404 Project Not Found',
    });
  });

  it('retries 502 like gitbeaker does, then succeeds', async () => {
    gl.failNext({ path: '/user', status: 502, times: 2 });
    expect((await connect(world.tokens.api).currentUser()).username).toBe('maria');
    expect(gl.requests.filter((r) => r.path === '/api/v4/user').map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('a 500 becomes GitLabApiError(500)', async () => {
    gl.failNext({ path: '/metadata', status: 500, body: { message: '500 Internal Server Error' } });
    expect(await failure(connect(world.tokens.api).metadata())).toMatchObject({
      status: 500,
      message: '500 Internal Server Error',
    });
  });

  it('an HTML error page below 500 (a wrong URL) is NotGitLabApiError with the status', async () => {
    gl.failNext({ path: '/user', status: 404, body: '<html><body>Not here</body></html>', contentType: 'text/html' });
    const error = await failure(connect(world.tokens.api).currentUser());
    expect(error).toBeInstanceOf(NotGitLabApiError);
    expect(error).toMatchObject({
      status: 404,
      path: '/api/v4/user',
      message: "GET /api/v4/user answered HTTP 404 with an HTML page, not GitLab's JSON",
    });
  });

  it('an HTML page with 200 (a web site at the URL) is NotGitLabApiError too', async () => {
    gl.failNext({ path: '/user', status: 200, body: '<!doctype html><title>Hello</title>', contentType: 'text/html' });
    const error = await failure(connect(world.tokens.api).currentUser());
    expect(error).toBeInstanceOf(NotGitLabApiError);
    expect(error.message).toBe("GET /api/v4/user answered HTTP 200 with an HTML page, not GitLab's JSON");
    gl.failNext({ path: '/metadata', status: 200, body: 'ok', contentType: 'text/plain' });
    expect((await failure(connect(world.tokens.api).metadata())).message).toBe(
      "GET /api/v4/metadata answered HTTP 200 with plain text, not GitLab's JSON",
    );
  });

  it("a proxy's 5xx HTML page stays a GitLabApiError with the status", async () => {
    gl.failNext({ path: '/user', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' });
    const error = await failure(connect(world.tokens.api).currentUser());
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({
      status: 503,
      message: "HTTP 503 with an HTML page instead of GitLab's JSON (a proxy or load balancer answered)",
    });
  });

  it('a slow GitLab hits timeoutMs with a plain error', async () => {
    gl.failNext({ path: '/user', status: 200, body: {}, delayMs: 1_000 });
    const error = await failure(connect(world.tokens.api, { timeoutMs: 100 }).currentUser());
    expect(error).toBeInstanceOf(GitLabUnreachableError);
    expect(error.message).toBe('GitLab did not answer within 100 ms');
  });

  it('an unreachable GitLab is a plain error naming the socket error', async () => {
    // A port that was just free: listen on a random one, then close it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port: freePort } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(connect(world.tokens.api, { url: `http://127.0.0.1:${freePort}` }).currentUser());
    expect(error).toBeInstanceOf(GitLabUnreachableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

describe('projects', () => {
  it('project() by path or id, with the access level', async () => {
    const client = connect(world.tokens.api);
    const expected = {
      id: world.project.id,
      pathWithNamespace: 'group/app',
      name: 'App',
      webUrl: `${gl.url}/group/app`,
      defaultBranch: 'main',
      accessLevel: Access.maintainer,
    };
    expect(await client.project('group/app')).toEqual(expected);
    expect(await client.project(String(world.project.id))).toEqual(expected);
    expect((await connect(world.tokens.developer).project('group/app')).accessLevel).toBe(Access.developer);
  });

  it('the access level is the higher of project and group membership', async () => {
    const inherited = gl.state.addProject({
      path: 'group/inherited',
      members: { dev: Access.developer },
      groupMembers: { dev: Access.owner },
    });
    expect((await connect(world.tokens.developer).project(String(inherited.id))).accessLevel).toBe(Access.owner);
  });

  it('searchProjects() asks for maintainable projects only', async () => {
    gl.state.addProject({ path: 'group/app-docs', members: { maria: Access.developer } });
    gl.state.addProject({ path: 'other/app-infra', members: { maria: Access.owner } });
    gl.state.addProject({ path: 'public/app-public', visibility: 'public' });
    const found = await connect(world.tokens.api).searchProjects('app');
    expect(found.map((p) => p.pathWithNamespace).sort()).toEqual(['group/app', 'other/app-infra']);
    const request = gl.requests.at(-1);
    expect(request?.query).toMatchObject({
      search: 'app',
      min_access_level: '40',
      membership: 'true',
      simple: 'true',
      search_namespaces: 'false',
    });
    await connect(world.tokens.api).searchProjects('other/app');
    expect(gl.requests.at(-1)?.query.search_namespaces).toBe('true');
  });
});

describe('agents and tokens', () => {
  it('registers, lists (every page), and deletes agents', async () => {
    const client = connect(world.tokens.api);
    const agent = await client.registerAgent(world.project.id, 'prod');
    expect(agent).toMatchObject({ name: 'prod' });
    expect(typeof agent.createdAt).toBe('string');
    for (let i = 0; i < 24; i++) gl.state.addAgent(world.project, `bulk-${String(i).padStart(2, '0')}`);
    const all = await client.listAgents(world.project.id);
    expect(all).toHaveLength(25);
    expect(gl.requests.filter((r) => r.path.endsWith('/cluster_agents') && r.method === 'GET')).toHaveLength(2);
    await client.deleteAgent(world.project.id, agent.id);
    expect(gl.state.agents.has(agent.id)).toBe(false);
  });

  it("a duplicate name is GitLabApiError(400) with GitLab's message", async () => {
    const client = connect(world.tokens.api);
    await client.registerAgent(world.project.id, 'prod');
    expect(await failure(client.registerAgent(world.project.id, 'prod'))).toMatchObject({
      status: 400,
      message: '400 Bad request - ["Name has already been taken"]',
    });
  });

  it('creates a token with a POST and returns its value as a Secret', async () => {
    const client = connect(world.tokens.api);
    const agent = await client.registerAgent(world.project.id, 'prod');
    const created = await client.createToken(world.project.id, agent.id, 'install', 'Created by gitlab-agent-tui');
    expect(created.value).toBeInstanceOf(Secret);
    expect(created.value.reveal()).toMatch(/^glagent-/);
    expect(String(created.value)).toBe('********');
    expect(created.token).toMatchObject({
      name: 'install',
      description: 'Created by gitlab-agent-tui',
      status: 'active',
      lastUsedAt: null,
    });
    const post = gl.requests.at(-1);
    expect(post).toMatchObject({ method: 'POST', body: { name: 'install', description: 'Created by gitlab-agent-tui' } });
    expect(post?.path).toBe(`/api/v4/projects/${world.project.id}/cluster_agents/${agent.id}/tokens`);
  });

  it('enforces the two-active-token limit', async () => {
    const client = connect(world.tokens.api);
    const agent = await client.registerAgent(world.project.id, 'prod');
    await client.createToken(world.project.id, agent.id, 'one', '');
    await client.createToken(world.project.id, agent.id, 'two', '');
    expect(await failure(client.createToken(world.project.id, agent.id, 'three', ''))).toMatchObject({
      status: 400,
      message: '400 Bad request - An agent can have only two active tokens at a time',
    });
  });

  it('lists tokens without lastUsedAt; getToken has it and sees the connection; revoked is undefined', async () => {
    const client = connect(world.tokens.api);
    const agent = await client.registerAgent(world.project.id, 'prod');
    const { token } = await client.createToken(world.project.id, agent.id, 'one', 'd');
    const listed = await client.listTokens(world.project.id, agent.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('lastUsedAt');
    expect((await client.getToken(world.project.id, agent.id, token.id))?.lastUsedAt).toBeNull();

    const connection = gl.state.markConnected(agent.id);
    expect((await client.getToken(world.project.id, agent.id, token.id))?.lastUsedAt).toBe(connection.connectedAt);

    await client.revokeToken(world.project.id, agent.id, token.id);
    expect(await client.getToken(world.project.id, agent.id, token.id)).toBeUndefined();
    expect(await client.listTokens(world.project.id, agent.id)).toEqual([]);
  });

  it('connectAfterMs: a created token shows as used shortly after', async () => {
    gl.state.connectAfterMs = 20;
    const client = connect(world.tokens.api);
    const agent = await client.registerAgent(world.project.id, 'prod');
    const { token } = await client.createToken(world.project.id, agent.id, 'one', '');
    const seen = await vi.waitFor(
      async () => {
        const current = await client.getToken(world.project.id, agent.id, token.id);
        expect(current?.lastUsedAt).toBeTruthy();
        return current;
      },
      { timeout: 5_000, interval: 25 },
    );
    expect(Date.parse(seen?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(token.createdAt ?? ''));
  });
});

describe('repository files', () => {
  const config = '.gitlab/agents/prod/config.yaml';

  it('getFile is undefined for a missing file, commitFile creates then updates', async () => {
    const client = connect(world.tokens.api);
    expect(await client.getFile(world.project.id, config, 'main')).toBeUndefined();
    await client.commitFile(world.project.id, { branch: 'main', path: config, content: 'a: 1\n', message: 'Add', create: true });
    expect(await client.getFile(world.project.id, config, 'main')).toBe('a: 1\n');
    await client.commitFile(world.project.id, { branch: 'main', path: config, content: 'a: 2\n', message: 'Update', create: false });
    expect(gl.state.file(world.project, config)).toBe('a: 2\n');
    const post = gl.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe(`/api/v4/projects/${world.project.id}/repository/files/.gitlab%2Fagents%2Fprod%2Fconfig.yaml`);
    expect(post?.body).toEqual({ branch: 'main', content: 'a: 1\n', commit_message: 'Add' });
  });

  it('creating an existing file is GitLabApiError(400)', async () => {
    const error = await failure(
      connect(world.tokens.api).commitFile(world.project.id, {
        branch: 'main',
        path: 'README.md',
        content: 'x',
        message: 'm',
        create: true,
      }),
    );
    expect(error).toMatchObject({ status: 400, message: 'A file with this name already exists' });
  });

  it('an empty repository: getFile is undefined and the first commit creates the branch', async () => {
    const empty = gl.state.addProject({ path: 'group/empty', empty: true, members: { maria: Access.maintainer } });
    const client = connect(world.tokens.api);
    expect(await client.getFile(empty.id, config, 'main')).toBeUndefined();
    await client.commitFile(empty.id, { branch: 'main', path: config, content: 'x\n', message: 'm', create: true });
    expect(await client.getFile(empty.id, config, 'main')).toBe('x\n');
  });

  it('getFile still throws when the project is not there', async () => {
    expect(await failure(connect(world.tokens.api).getFile(999, config, 'main'))).toMatchObject({ status: 404 });
  });
});

/** A throwaway CA and a server certificate for 127.0.0.1 it signed, made with the openssl CLI. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  makeCa(dir, 'ca', '/CN=Fake GitLab Test CA');
  const server = signServerCert(dir, 'ca', 'server', { subject: '/CN=127.0.0.1', san: 'IP:127.0.0.1,DNS:localhost' });
  return { ca: readPem(dir, 'ca.pem'), ...server };
}

describe.skipIf(!hasOpenssl)('private CA over TLS (needs the openssl CLI)', () => {
  let dir: string;
  let certs: { ca: string; cert: string; key: string };
  let tlsGitLab: FakeGitLab;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fake-gitlab-tls-'));
    certs = makeCertificates(dir);
    tlsGitLab = await startFakeGitLab({ tls: { cert: certs.cert, key: certs.key } });
    token = tlsGitLab.state.addPersonalAccessToken(tlsGitLab.state.addUser({ username: 'tls-user' })).value;
  });

  afterAll(async () => {
    await tlsGitLab.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails with a certificate error without the CA', async () => {
    const error = await failure(connect(token, { url: tlsGitLab.url }).currentUser());
    expect(error).not.toBeInstanceOf(GitLabApiError);
    expect(error.message).toMatch(/certificate|self[- ]signed/i);
  });

  it('works with caPem', async () => {
    const client = connect(token, { url: tlsGitLab.url, caPem: certs.ca });
    expect(tlsGitLab.url).toMatch(/^https:/);
    expect((await client.currentUser()).username).toBe('tls-user');
    expect((await client.metadata()).kas.externalUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/-\/kubernetes-agent\/$/);
  });
});

describe('agent connections (GraphQL)', () => {
  it('lists live agentk connections, empty before the agent connects', async () => {
    const client = connect(world.tokens.api);
    const agent = gl.state.addAgent(world.project, 'prod');
    gl.state.addAgentToken(agent, { name: 't' });
    expect(await client.agentConnections('group/app', 'prod')).toEqual([]);
    const c = gl.state.markConnected(agent.id, { version: 'v17.6.2', podName: 'gitlab-agent-v2-abc' });
    // GraphQL's Time has second precision, REST's last_used_at milliseconds.
    const connectedAt = c.connectedAt.replace(/\.\d{3}Z$/, 'Z');
    expect(await client.agentConnections('group/app', 'prod')).toEqual([
      { connectedAt, podName: 'gitlab-agent-v2-abc', version: 'v17.6.2' },
    ]);
    const graphql = gl.requests.filter((r) => r.path === '/api/graphql');
    expect(JSON.stringify(graphql)).not.toContain(world.tokens.api);
  });

  it('says it cannot tell (undefined) when GitLab does not answer the query', async () => {
    const client = connect('glpat-wrong-fake-token-0000000000');
    expect(await client.agentConnections('group/app', 'prod')).toBeUndefined();
    // A token without api/read_api is 401 "Invalid token" on GraphQL too.
    expect(await connect(world.tokens.readUser).agentConnections('group/app', 'prod')).toBeUndefined();
    expect(gl.requests.at(-1)).toMatchObject({ path: '/api/graphql', status: 401 });
  });

  it("sends a query GitLab's schema accepts (strict variable types and arguments)", async () => {
    gl.state.addAgent(world.project, 'prod');
    expect(await connect(world.tokens.api).agentConnections('group/app', 'prod')).toEqual([]);
    const answer = gl.requests.at(-1);
    expect(answer).toMatchObject({ path: '/api/graphql', status: 200 });
  });

  it('says it cannot tell when KAS is down (connections: null plus an error)', async () => {
    gl.state.addAgent(world.project, 'prod');
    gl.state.kasAvailable = false;
    expect(await connect(world.tokens.api).agentConnections('group/app', 'prod')).toBeUndefined();
  });
});

describe('atomic commits (POST /repository/commits)', () => {
  const config = '.gitlab/agents/prod/config.yaml';

  it('creates, updates and deletes several files in one commit', async () => {
    gl.state.setFile(world.project, 'old.txt', 'old\n');
    const client = connect(world.tokens.api);
    const commit = await client.commitFiles(world.project.id, {
      branch: 'main',
      message: 'Add agent prod',
      actions: [
        { action: 'create', path: config, content: 'ci_access: {}\n' },
        { action: 'update', path: 'README.md', content: '# App with an agent\n' },
        { action: 'delete', path: 'old.txt' },
      ],
    });
    expect(commit.id).toMatch(/^[0-9a-f]{40}$/);
    expect(commit.webUrl).toBe(`${gl.url}/group/app/-/commit/${commit.id}`);
    expect(gl.state.file(world.project, config)).toBe('ci_access: {}\n');
    expect(gl.state.file(world.project, 'README.md')).toBe('# App with an agent\n');
    expect(gl.state.file(world.project, 'old.txt')).toBeUndefined();
    expect(gl.requests.at(-1)?.body).toEqual({
      branch: 'main',
      commit_message: 'Add agent prod',
      actions: [
        { action: 'create', file_path: config, content: 'ci_access: {}\n', encoding: 'text' },
        { action: 'update', file_path: 'README.md', content: '# App with an agent\n', encoding: 'text' },
        { action: 'delete', file_path: 'old.txt' },
      ],
    });
  });

  it('changes nothing when one action fails, and says why', async () => {
    const error = await failure(
      connect(world.tokens.api).commitFiles(world.project.id, {
        branch: 'main',
        message: 'm',
        actions: [
          { action: 'create', path: config, content: 'x' },
          { action: 'create', path: 'README.md', content: 'again' },
        ],
      }),
    );
    expect(error).toMatchObject({ status: 400, message: 'A file with this name already exists' });
    expect(gl.state.file(world.project, config)).toBeUndefined();
  });

  it("a branch nobody may push to is 403 with GitLab's reason, for Maintainers too", async () => {
    gl.state.protectBranch(world.project, 'main', 'no_one');
    const error = await failure(
      connect(world.tokens.api).commitFiles(world.project.id, {
        branch: 'main',
        message: 'm',
        actions: [{ action: 'create', path: config, content: 'x' }],
      }),
    );
    expect(error).toMatchObject({ status: 403, message: '403 Forbidden - You are not allowed to push into this branch' });
    const single = await failure(
      connect(world.tokens.api).commitFile(world.project.id, { branch: 'main', path: config, content: 'x', message: 'm', create: true }),
    );
    expect(single).toMatchObject({ status: 400, message: 'You are not allowed to push into this branch' });
  });

  it('starts a new branch from start_branch', async () => {
    await connect(world.tokens.developer).commitFiles(world.project.id, {
      branch: 'add-agent',
      startBranch: 'main',
      message: 'm',
      actions: [{ action: 'create', path: config, content: 'x' }],
    });
    expect(gl.state.file(world.project, config, 'add-agent')).toBe('x');
    expect(gl.state.file(world.project, config)).toBeUndefined();
  });
});

describe('getAgent', () => {
  it('returns the agent, undefined when there is none, and throws for a missing project', async () => {
    const agent = gl.state.addAgent(world.project, 'prod');
    const client = connect(world.tokens.api);
    expect(await client.getAgent(world.project.id, agent.id)).toMatchObject({ id: agent.id, name: 'prod' });
    expect(await client.getAgent(world.project.id, 999)).toBeUndefined();
    expect(await failure(client.getAgent(999, agent.id))).toMatchObject({ status: 404, message: '404 Project Not Found' });
  });
});

describe('receptive agents (url_configurations)', () => {
  const caPem = readFileSync(new URL('../fixtures/kas-ca.pem', import.meta.url), 'utf8');

  it('creates with a generated key, reads it back with the CA as PEM, and deletes it', async () => {
    const agent = gl.state.addAgent(world.project, 'receptive');
    const client = connect(world.tokens.api);
    expect(await client.getUrlConfiguration(world.project.id, agent.id)).toBeUndefined();
    const made = await client.createUrlConfiguration(world.project.id, agent.id, {
      url: 'grpcs://agent.example.com:8443',
      caCertPem: caPem,
      tlsHost: 'agent.example.com',
    });
    expect(made).toEqual({
      id: expect.any(Number),
      agentId: agent.id,
      url: 'grpcs://agent.example.com:8443',
      publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      clientCertPem: null,
      caCertPem: caPem,
      tlsHost: 'agent.example.com',
    });
    // GitLab takes the PEM Base64-encoded.
    expect(gl.requests.at(-1)?.body).toEqual({
      url: 'grpcs://agent.example.com:8443',
      ca_cert: Buffer.from(caPem).toString('base64'),
      tls_host: 'agent.example.com',
    });
    expect(await client.getUrlConfiguration(world.project.id, agent.id)).toEqual(made);
    expect(await failure(client.createUrlConfiguration(world.project.id, agent.id, { url: 'grpc://x.example.com' }))).toMatchObject({
      status: 400,
      message: '400 Bad request - URL configuration already exists for this agent',
    });
    await client.deleteUrlConfiguration(world.project.id, agent.id, made.id);
    expect(await client.getUrlConfiguration(world.project.id, agent.id)).toBeUndefined();
  });

  it('sends a client key as a secret, Base64-encoded, and never logs it in the error', async () => {
    const agent = gl.state.addAgent(world.project, 'mtls');
    const keyPem = '-----BEGIN PRIVATE KEY-----\nZmFrZS1rZXk=\n-----END PRIVATE KEY-----\n';
    const made = await connect(world.tokens.api).createUrlConfiguration(world.project.id, agent.id, {
      url: 'grpcs://agent.example.com',
      clientCertPem: caPem,
      clientKeyPem: new Secret(keyPem),
    });
    expect(made).toMatchObject({ publicKey: null, clientCertPem: caPem });
    expect(gl.state.urlConfigurationOf(agent)?.clientKey).toBe(keyPem);
  });

  it('is GitLabApiError(404) where GitLab has no receptive agents', async () => {
    const premium = await startFakeGitLab({ license: 'premium' });
    try {
      const w = seedStandardWorld(premium.state);
      const agent = premium.state.addAgent(w.project, 'receptive');
      const client = port.connect({ url: premium.url, token: new Secret(w.tokens.api) });
      expect(await failure(client.getUrlConfiguration(w.project.id, agent.id))).toMatchObject({ status: 404, message: '404 Not Found' });
    } finally {
      await premium.close();
    }
  });
});
