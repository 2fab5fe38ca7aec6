/**
 * --method receptive: the fake GitLab (Ultimate, self-managed, 17.6) gets the URL configuration request
 * with the documented fields, helm gets receptive values without a KAS address, the chart renders its own
 * receptive Secret under another name, and our token Secret survives the chart untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Deployment, Secret } from './support/agent-objects.js';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helm, kubectlJson, releaseSelector, type KubeList } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

const URL = 'grpcs://agent.e2e.example:443';

describe('install --method receptive', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let r: CliResult | undefined;

  beforeAll(async () => {
    sb = createSandbox('receptive');
    g = await startGitLab();
    agent = sb.name('rcp');
    namespace = `gitlab-agent-${agent}`;
  });
  afterAll(async () => g?.close());

  const args = (extra: string[] = []) => [
    'install',
    '--yes',
    '--method',
    'receptive',
    '--receptive-url',
    URL,
    '--project',
    'group/app',
    '--agent',
    agent,
    '--context',
    'e2e-admin',
    ...commonFlags(g, e2eEnv().chartRepo),
    ...extra,
  ];

  it('creates the URL configuration, installs with receptive values, and ends connected', async () => {
    r = await runCli(sb, args(), { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toContain('GitLab may take up to 10 minutes to start');
  });

  it('GitLab saw the URL configuration request with the documented fields (JWT: no client certificate)', () => {
    expect(r, 'the install ran').toBeDefined();
    const agentId = g.gl.state.agentsOf(g.world.project)[0]!.id;
    const post = g.gl.requests.find((q) => q.method === 'POST' && q.path.endsWith(`/cluster_agents/${agentId}/url_configurations`));
    expect(post, g.log()).toBeDefined();
    expect(post!.status).toBe(201);
    expect(post!.body).toEqual({ url: URL });
    const configuration = [...g.gl.state.urlConfigurations.values()][0]!;
    expect(configuration.url).toBe(URL);
  });

  it('helm got receptive values and no KAS address; agentk reads our token Secret', async () => {
    expect(r, 'the install ran').toBeDefined();
    const values = parse((await helm(sb, ['get', 'values', agent, '-n', namespace, '--all', '-o', 'yaml'])).stdout) as Record<string, any>;
    // The key exactly as GitLab's API returns it (Base64 of the raw Ed25519 public key).
    const publicKey = Buffer.from([...g.gl.state.urlConfigurations.values()][0]!.publicKey!).toString('base64');
    expect(values.config.receptive.enabled).toBe(true);
    expect(values.config.api.jwtPublicKey).toBe(publicKey);
    expect(values.config.kasAddress ?? null).toBeNull();
    expect(values.config.secretName).toBe(`${agent}-gitlab-agent-receptive`);
    const list = await kubectlJson<KubeList<Deployment>>(['get', 'deployments', '-n', namespace, '-l', releaseSelector(agent)]);
    const c = list.items[0]!.spec.template.spec.containers[0]!;
    expect(c.args?.some((a) => a.startsWith('--kas-address'))).toBe(false);
    expect(c.args).toContain('--api-jwt-file=/etc/agentk/secrets/api-jwt');
    expect(c.args?.at(-1)).toBe('--token-file=/etc/agentk/agent-token/token');
    expect(list.items[0]!.spec.template.spec.volumes?.some((v) => v.secret?.secretName === `${agent}-agent-token`)).toBe(true);
  });

  it("our token Secret survived the chart: still ours, holding the issued token, beside the chart's receptive Secret", async () => {
    expect(r, 'the install ran').toBeDefined();
    const token = [...g.gl.state.agentTokens.values()][0]!;
    const ours = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(Object.keys(ours.data ?? {})).toEqual(['token']);
    expect(Buffer.from(ours.data!.token!, 'base64').toString('utf8')).toBe(token.value);
    expect(ours.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('gitlab-agent-tui');
    expect(ours.metadata.annotations?.['meta.helm.sh/release-name']).toBeUndefined();
    const chart = await kubectlJson<Secret>(['get', 'secret', `${agent}-gitlab-agent-receptive`, '-n', namespace]);
    expect(Object.keys(chart.data ?? {}).sort()).toEqual(['api-jwt', 'private-api-jwt']);
    expect(chart.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
  });

  it('is refused before anything is created on a GitLab without receptive agents (exit 2)', async () => {
    const other = await startGitLab({ license: 'premium' });
    try {
      const out = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--method',
          'receptive',
          '--receptive-url',
          URL,
          '--project',
          'group/app',
          '--agent',
          sb.name('rcpno'),
          '--context',
          'e2e-admin',
          ...commonFlags(other, e2eEnv().chartRepo),
        ],
        {
          env: { GITLAB_TOKEN: other.pat },
        },
      );
      expect(out.code, transcript(out)).toBe(2);
      expect(out.stderr).toContain('--method: receptive agents are not available on');
      expect(out.stderr).toContain('they need GitLab Ultimate');
      expect(other.mutations()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
