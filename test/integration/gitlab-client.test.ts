import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGitLabPort } from '../../src/adapters/gitlab/index.js';
import { GitLabApiError, type GitLabClient } from '../../src/core/ports/gitlab.js';
import { Secret } from '../../src/core/kernel/secret.js';
import { Access, type FakeGitLab, seedStandardWorld, type StandardWorld, startFakeGitLab } from '../fake-gitlab/server.js';

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

  it('401 for an expired token keeps GitLab\'s reason', async () => {
    const expired = gl.state.addPersonalAccessToken(world.maintainer, { expiresAt: '2000-01-01' });
    expect(await failure(connect(expired.value).currentUser())).toMatchObject({
      status: 401,
      message: 'invalid_token: Token has expired.',
    });
  });

  it('403 insufficient_scope names the scope needed', async () => {
    const error = await failure(connect(world.tokens.readApi).registerAgent(world.project.id, 'prod'));
    expect(error).toMatchObject({ status: 403, message: 'insufficient_scope: the token needs the api scope' });
    expect(gl.state.agents.size).toBe(0);
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

  it('an HTML error page (a proxy, a wrong URL) keeps the status and says so', async () => {
    gl.failNext({ path: '/user', status: 404, body: '<html><body>Not here</body></html>', contentType: 'text/html' });
    expect(await failure(connect(world.tokens.api).currentUser())).toMatchObject({
      status: 404,
      message: "HTTP 404 without a GitLab error message (is this GitLab's URL?)",
    });
  });

  it('a slow GitLab hits timeoutMs with a plain error', async () => {
    gl.failNext({ path: '/user', status: 200, body: {}, delayMs: 1_000 });
    const error = await failure(connect(world.tokens.api, { timeoutMs: 100 }).currentUser());
    expect(error).not.toBeInstanceOf(GitLabApiError);
    expect(error.message).toBe('GitLab did not answer within 100 ms');
  });

  it('an unreachable GitLab is a plain error naming the socket error', async () => {
    // A port that was just free: listen on a random one, then close it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port: freePort } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(connect(world.tokens.api, { url: `http://127.0.0.1:${freePort}` }).currentUser());
    expect(error).not.toBeInstanceOf(GitLabApiError);
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

  it('a duplicate name is GitLabApiError(400) with GitLab\'s message', async () => {
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
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Fake GitLab Test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  const ext = join(dir, 'san.ext');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > "${ext}"`]);
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', ext);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { ca: read('ca.pem'), cert: read('server.pem'), key: read('server.key') };
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

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
    const c = gl.state.markConnected(agent.id, { version: 'v17.6.0', podName: 'gitlab-agent-v2-abc' });
    expect(await client.agentConnections('group/app', 'prod')).toEqual([{ connectedAt: c.connectedAt, podName: 'gitlab-agent-v2-abc', version: 'v17.6.0' }]);
    const graphql = gl.requests.filter((r) => r.path === '/api/graphql');
    expect(JSON.stringify(graphql)).not.toContain(world.tokens.api);
  });

  it('says it cannot tell (undefined) when GitLab does not answer the query', async () => {
    const client = connect('glpat-wrong-fake-token-0000000000');
    expect(await client.agentConnections('group/app', 'prod')).toBeUndefined();
  });
});
