/**
 * The install flow's GitLab step (and GitLab failures in later steps) through the real GitLab adapter
 * against the fake GitLab, which answers like real GitLab: what a user sees on exit.
 */
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitLabPort } from '../../src/adapters/gitlab/index.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { type FakeGitLab, seedStandardWorld, type StandardWorld, startFakeGitLab } from '../fake-gitlab/server.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { fastWorld } from '../support/demo-world.js';

let gl: FakeGitLab;
let world: StandardWorld;

beforeEach(async () => {
  gl = await startFakeGitLab();
  world = seedStandardWorld(gl.state);
});

afterEach(async () => {
  await gl.close();
});

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

async function install(over: Partial<InstallOptions> = {}, env: Record<string, string> = {}): Promise<FlowOutcome> {
  // The simulated cluster and helm, the real GitLab adapter against the fake GitLab.
  const simulated = fastWorld();
  // The demo's file port reads its world, not the disk: put the CA fixtures there.
  for (const name of ['not-a-cert.pem', 'expired-ca.pem', 'kas-ca.pem'])
    simulated.files.set(fixture(name), readFileSync(fixture(name), 'utf8'));
  const deps = { ...createDemoPorts({ world: simulated, env: { GITLAB_TOKEN: world.tokens.api, ...env } }), gitlab: createGitLabPort() };
  const options: InstallOptions = {
    gitlabUrl: gl.url,
    project: 'group/app',
    agent: 'prod',
    values: [],
    set: [],
    dryRun: true,
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    ...over,
  };
  return runInstall(options, deps, {
    asker: new FlagAsker('--yes was given'),
    emit: () => undefined,
    signal: new AbortController().signal,
  });
}

const writes = () => gl.requests.filter((r) => r.method !== 'GET' && r.path !== '/api/graphql');

describe('where the GitLab URL came from', () => {
  it('names GITLAB_URL or GITLAB_HOST, whichever held the bad value', async () => {
    const fromUrl = await install({ gitlabUrl: undefined }, { GITLAB_URL: 'ftp://gitlab.example.com' });
    expect(fromUrl.exitCode).toBe(2);
    expect(fromUrl.headline).toMatch(/^GITLAB_URL: /);
    const fromHost = await install({ gitlabUrl: undefined }, { GITLAB_HOST: 'ftp://gitlab.example.com' });
    expect(fromHost.headline).toMatch(/^GITLAB_HOST: /);
    expect(gl.requests).toEqual([]);
  });
});

describe('a URL that is not a GitLab API', () => {
  it('a 200 HTML page is exit 2 naming --gitlab-url, nothing written', async () => {
    gl.failNext({ path: '/user', status: 200, body: '<!doctype html><html><body>Welcome</body></html>', contentType: 'text/html' });
    const outcome = await install();
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      `--gitlab-url: ${gl.url} is not a GitLab API: GET /api/v4/user answered HTTP 200 with an HTML page, not GitLab's JSON (pass the address of the GitLab instance, e.g. https://gitlab.example.com)`,
    );
    expect(writes()).toEqual([]);
  });

  it('a 404 HTML page from GITLAB_URL names GITLAB_URL', async () => {
    gl.failNext({ path: '/user', status: 404, body: '<html><body>Not here</body></html>', contentType: 'text/html' });
    const outcome = await install({ gitlabUrl: undefined }, { GITLAB_URL: gl.url });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      `GITLAB_URL: ${gl.url} is not a GitLab API: GET /api/v4/user answered HTTP 404 with an HTML page, not GitLab's JSON (pass the address of the GitLab instance, e.g. https://gitlab.example.com)`,
    );
  });
});

describe('tokens GitLab refuses', () => {
  it('an expired token is exit 2 naming where it came from', async () => {
    const expired = gl.state.addPersonalAccessToken(world.maintainer, { expiresAt: '2000-01-01' });
    const outcome = await install({}, { GITLAB_TOKEN: expired.value });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      `env GITLAB_TOKEN: ${gl.url} rejected the token (401 Unauthorized) (use a valid, unexpired personal access token with the api scope)`,
    );
  });

  it('a token whose scopes cannot read /user is exit 2 with the scope the request needed', async () => {
    const narrow = gl.state.addPersonalAccessToken(world.maintainer, { scopes: ['read_repository'] });
    const outcome = await install({}, { GITLAB_TOKEN: narrow.value });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      `env GITLAB_TOKEN: ${gl.url} refused the token: insufficient_scope: the token needs the api or read_api scope (create a token with the api scope)`,
    );
  });

  it('a read_api token is refused by the scope pre-check before any write', async () => {
    const outcome = await install({}, { GITLAB_TOKEN: world.tokens.readApi });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^env GITLAB_TOKEN: the token has scopes read_api but registering an agent needs "api"/);
  });

  it('an OAuth token (no /personal_access_tokens/self) passes the GitLab step', async () => {
    const oauth = gl.state.addPersonalAccessToken(world.maintainer, { kind: 'OAuthAccessToken', value: 'fake-oauth-token-0001' });
    const outcome = await install({}, { GITLAB_TOKEN: oauth.value });
    expect(outcome.headline).toBe('Dry run: nothing was created.');
    expect(gl.requests.find((r) => r.path === '/api/v4/personal_access_tokens/self')?.status).toBe(400);
  });
});

describe('GitLab failing: every 5xx and network failure has a Next: line', () => {
  it('a 500 on /user', async () => {
    gl.failNext({ path: '/user', status: 500, body: { message: '500 Internal Server Error' } });
    const outcome = await install();
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe(`gitlab failed: ${gl.url} answered 500 on /api/v4/user: 500 Internal Server Error`);
    expect(outcome.details[0]).toMatch(/^Next: GitLab \(or a proxy in front of it\) is failing: retry in a few minutes/);
  });

  it('a 503 HTML page from a proxy on /metadata', async () => {
    gl.failNext({ path: '/metadata', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' });
    const outcome = await install();
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe(
      `gitlab failed: ${gl.url} answered 503 on /api/v4/metadata: HTTP 503 with an HTML page instead of GitLab's JSON (a proxy or load balancer answered)`,
    );
    expect(outcome.details[0]).toMatch(/^Next: GitLab \(or a proxy in front of it\) is failing/);
  });

  it('502 until gitbeaker gives up', async () => {
    gl.failNext({ path: '/user', status: 502, times: 10 });
    const outcome = await install();
    expect(outcome.headline).toMatch(/^gitlab failed: .* answered 502: Could not successfully complete this request after 10 retries/);
    expect(outcome.details[0]).toMatch(/^Next: /);
  }, 20_000);

  it('a refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const outcome = await install({ gitlabUrl: `http://127.0.0.1:${port}` });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toMatch(/^gitlab failed: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(outcome.details[0]).toBe('Next: check the URL and your network');
  });

  it('a 500 when registering the agent, after the review', async () => {
    gl.failNext({
      method: 'POST',
      path: `/projects/${world.project.id}/cluster_agents`,
      status: 500,
      body: { message: '500 Internal Server Error' },
    });
    const outcome = await install({ dryRun: false });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe(
      `gitlab failed: ${gl.url} answered 500 on /api/v4/projects/${world.project.id}/cluster_agents: 500 Internal Server Error`,
    );
    expect(outcome.details[0]).toMatch(/^Next: GitLab \(or a proxy in front of it\) is failing/);
    expect(gl.state.agents.size).toBe(0);
  });
});

describe('--gitlab-ca is checked like --kas-ca-cert', () => {
  it('refuses a file that is not a PEM certificate, or an expired CA, before any request', async () => {
    const notPem = await install({ gitlabCa: fixture('not-a-cert.pem') });
    expect(notPem.exitCode).toBe(2);
    expect(notPem.headline).toMatch(/^--gitlab-ca: .*not-a-cert\.pem is not a PEM certificate \(no "-----BEGIN CERTIFICATE-----" block\)/);
    const expired = await install({ gitlabCa: fixture('expired-ca.pem') });
    expect(expired.exitCode).toBe(2);
    expect(expired.headline).toMatch(/^--gitlab-ca: .*expired-ca\.pem expired on 2021-01-01 .*\(use the current CA certificate\)$/);
    const missing = await install({ gitlabCa: '/nonexistent/ca.pem' });
    expect(missing.headline).toMatch(/^--gitlab-ca: cannot read \/nonexistent\/ca.pem: /);
    expect(gl.requests).toEqual([]);
  });

  it('accepts a valid CA and goes on', async () => {
    const outcome = await install({ gitlabCa: fixture('kas-ca.pem') });
    expect(outcome.headline).toBe('Dry run: nothing was created.');
  });
});
