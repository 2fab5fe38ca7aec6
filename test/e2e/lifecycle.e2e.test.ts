/**
 * The lifecycle commands through the real binary on the real control plane, with real helm 3 and 4 and
 * the fake GitLab (agents connect once their pods are Ready, with the token their Secret holds):
 * install an old chart, status, upgrade with a changed proxy (every other value kept), upgrade to a
 * bad image (rolled back, Ready again), token rotation (never zero Ready pods), and uninstall (the
 * namespace removed only when ours; GitLab touched only when asked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects, envOf, type Deployment, type Secret } from './support/agent-objects.js';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helm, helmRevisions, kubectl, kubectlJson, namespaceExists, releaseSelector, type KubeList } from './support/kube.js';
import { createSandbox, type HelmMajor, type Sandbox } from './support/sandbox.js';

/** Ready replicas of the release's Deployment, sampled while a command runs. */
function sampleReady(namespace: string, release: string): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const list = await kubectlJson<KubeList<Deployment>>(['get', 'deployments', '-n', namespace, '-l', releaseSelector(release)]).catch(
        () => undefined,
      );
      if (list) samples.push(list.items.reduce((n, d) => n + (d.status?.readyReplicas ?? 0), 0));
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return { stop: async () => ((stopped = true), await loop, samples) };
}

async function userValues(sb: Sandbox, release: string, namespace: string): Promise<Record<string, unknown>> {
  return JSON.parse((await helm(sb, ['get', 'values', release, '-n', namespace, '-o', 'json'])).stdout) as Record<string, unknown>;
}

describe.each([3, 4] as HelmMajor[])('lifecycle with helm %i', (helmMajor) => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let release: string;
  let flags: string[];
  let installed: CliResult | undefined;
  const env = () => ({ GITLAB_TOKEN: g.pat });
  const where = () => ['--context', 'e2e-admin', '--namespace', namespace, '--release', release, '--gitlab-url', g.gl.url];

  beforeAll(async () => {
    sb = createSandbox(`lifecycle-h${helmMajor}`, helmMajor);
    g = await startGitLab();
    agent = sb.name(`lc${helmMajor}`);
    namespace = `gitlab-agent-${agent}`;
    release = agent;
    flags = commonFlags(g, e2eEnv().chartRepo);
  });
  afterAll(async () => g?.close());

  it('installs an old chart version (2.31.0) with a proxy', async () => {
    installed = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--chart-version',
        '2.31.0',
        '--https-proxy',
        'http://proxy-a.internal:3128',
        '--no-proxy',
        '.svc',
        ...flags,
      ],
      { env: env() },
    );
    expect(installed.code, transcript(installed)).toBe(0);
  });

  it('status --output json: the install, healthy, with its GitLab agent, token and version verdict; exit 0', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const r = await runCli(
      sb,
      ['status', '--context', 'e2e-admin', '--namespace', namespace, '--gitlab-url', g.gl.url, '--output', 'json'],
      { env: env() },
    );
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { healthy: boolean; contexts: { name: string; installs: Record<string, unknown>[] }[] };
    expect(doc.healthy).toBe(true);
    expect(doc.contexts).toHaveLength(1);
    expect(doc.contexts[0]!.installs).toEqual([
      expect.objectContaining({
        namespace,
        release,
        chart: 'gitlab-agent-2.31.0',
        healthy: true,
        pods: { ready: 2, desired: 2 },
        agent: expect.objectContaining({ name: agent, project: 'group/app' }),
        connection: expect.objectContaining({ state: 'connected' }),
        token: expect.objectContaining({ id: expect.any(Number), ageDays: 0 }),
        version: expect.objectContaining({ verdict: expect.any(String) }),
      }),
    ]);
  });

  it('upgrade to chart 2.32.0 with a changed proxy: the new Deployment has it, every other value is kept', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const before = await userValues(sb, release, namespace);
    const r = await runCli(
      sb,
      [
        'upgrade',
        '--yes',
        ...where(),
        '--chart-repo',
        e2eEnv().chartRepo,
        '--chart-version',
        '2.32.0',
        '--https-proxy',
        'http://proxy-b.internal:3128',
        '--no-proxy',
        '.svc',
        '--timeout',
        '90s',
        '--connect-timeout',
        '60s',
      ],
      { env: env() },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ ${namespace}/${release} is upgraded, Ready and connected.`);
    // The diff shown before: the proxy line and the chart's changes.
    expect(r.stderr).toContain('- extraEnv[name=HTTPS_PROXY].value: "http://proxy-a.internal:3128"');
    expect(r.stderr).toContain('+ extraEnv[name=HTTPS_PROXY].value: "http://proxy-b.internal:3128"');
    expect(r.stderr).toMatch(/~ Deployment \S+\/\S+-v2/);
    expect(r.stderr).not.toContain('--reuse-values');
    // The release was read from helm's own Secrets, which helm 3 and 4 write alike.
    expect(r.stderr).toContain("read from helm's release Secrets");
    expect(await helmRevisions(sb, release, namespace)).toEqual([1, 2]);
    const history = JSON.parse((await helm(sb, ['history', release, '-n', namespace, '-o', 'json'])).stdout) as { chart: string }[];
    expect(history.at(-1)!.chart).toBe('gitlab-agent-2.32.0');
    const [d] = (await agentObjects(namespace, release)).deployments;
    expect(envOf(agentContainer(d!)).HTTPS_PROXY).toBe('http://proxy-b.internal:3128');
    expect(envOf(agentContainer(d!)).NO_PROXY).toBe('.svc');
    expect(d!.status?.readyReplicas).toBe(2);
    const after = await userValues(sb, release, namespace);
    const changed = (v: Record<string, unknown>) => ({ ...v, extraEnv: undefined, image: undefined });
    expect(changed(after), 'everything but the proxy and the image tag is as it was').toEqual(changed(before));
    expect(after.config).toEqual(before.config);
  });

  it('upgrade to a bad image with --rollback-on-failure: not Ready, rolled back, Ready again on the old image', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const [before] = (await agentObjects(namespace, release)).deployments;
    const image = agentContainer(before!).image;
    const r = await runCli(
      sb,
      [
        'upgrade',
        '--yes',
        ...where(),
        '--chart-repo',
        e2eEnv().chartRepo,
        '--image-tag',
        'does-not-exist',
        '--rollback-on-failure',
        '--timeout',
        '60s',
        '--connect-timeout',
        '30s',
      ],
      { env: env() },
    );
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/helm rollback .* to 2/);
    expect(r.stderr).toMatch(/✓ Agent pods Ready after the rollback/);
    expect(`${r.stdout}${r.stderr}`).toMatch(/rolled back/);
    expect(await helmRevisions(sb, release, namespace)).toEqual([1, 2, 3, 4]);
    const [d] = (await agentObjects(namespace, release)).deployments;
    expect(agentContainer(d!).image).toBe(image);
    expect(d!.status?.readyReplicas).toBe(2);
  });

  it('rotate-token: new token in the Secret, pods restarted, new token connected, old revoked, never zero Ready pods', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const secretName = `${agent}-agent-token`;
    const oldSecret = await kubectlJson<Secret>(['get', 'secret', secretName, '-n', namespace]);
    const oldId = Number(oldSecret.metadata.annotations?.['gitlab.com/agent-token-id']);
    const podsBefore = (await kubectlJson<KubeList>(['get', 'pods', '-n', namespace, '-l', releaseSelector(release)])).items.map(
      (p) => p.metadata.name,
    );
    const sampler = sampleReady(namespace, release);
    const r = await runCli(sb, ['rotate-token', '--yes', ...where(), '--output', 'json', '--timeout', '90s', '--connect-timeout', '60s'], {
      env: env(),
    });
    const samples = await sampler.stop();
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { result: string; oldTokenId: number; newTokenId: number };
    expect(doc).toMatchObject({ result: 'rotated', oldTokenId: oldId });
    expect(doc.newTokenId).not.toBe(oldId);
    expect(samples.length, 'samples taken during the rotation').toBeGreaterThan(3);
    expect(Math.min(...samples), `Ready replicas sampled: ${samples.join(',')}`).toBeGreaterThan(0);

    const tokens = g.gl.state.agentTokens;
    expect(tokens.get(oldId)?.status).toBe('revoked');
    const fresh = tokens.get(doc.newTokenId)!;
    expect(fresh.status).toBe('active');
    expect(fresh.lastUsedAt, 'GitLab saw the new token in use').toBeTruthy();
    const secret = await kubectlJson<Secret>(['get', 'secret', secretName, '-n', namespace]);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe(fresh.value);
    expect(secret.metadata.annotations?.['gitlab.com/agent-token-id']).toBe(String(doc.newTokenId));
    const [d] = (await agentObjects(namespace, release)).deployments;
    expect(d!.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    const podsAfter = (await kubectlJson<KubeList>(['get', 'pods', '-n', namespace, '-l', releaseSelector(release)])).items.map(
      (p) => p.metadata.name,
    );
    expect(
      podsAfter.some((p) => podsBefore.includes(p)),
      'every pod was replaced',
    ).toBe(false);
    expect(r.stdout).not.toContain(fresh.value);
    expect(r.stderr).not.toContain(fresh.value);
  });

  it('uninstall --yes: release and pods gone, our namespace removed, GitLab not touched', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const writes = g.mutations().length;
    const r = await runCli(sb, ['uninstall', '--yes', ...where(), '--output', 'json', '--timeout', '90s'], { env: env() });
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { removed: string[]; remains: string[]; gitlab: Record<string, boolean> };
    expect(doc.gitlab).toEqual({ tokenRevoked: false, agentDeleted: false, configDeleted: false });
    expect(doc.removed).toEqual(expect.arrayContaining([`helm release ${release} in ${namespace}`, `namespace ${namespace}`]));
    expect(doc.remains).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agent token \d+, still active in GitLab/),
        expect.stringMatching(new RegExp(`^agent ${agent} \\(id \\d+\\), registered in group/app$`)),
      ]),
    );
    expect((await helm(sb, ['list', '-n', namespace, '-q'], { allowFail: true })).stdout.trim()).toBe('');
    expect(
      await namespaceExists(namespace).then(
        async (exists) =>
          !exists || (await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.status.phase}'])).stdout === 'Terminating',
      ),
    ).toBe(true);
    expect(g.mutations().length, g.log()).toBe(writes);
  });

  it('uninstall in a namespace that is not ours, with --revoke-agent-token --delete-agent: namespace kept, GitLab saw both', async () => {
    const ns2 = `${namespace}-theirs`;
    const agent2 = `${agent}-b`;
    await kubectl(['create', 'namespace', ns2]);
    const r1 = await runCli(
      sb,
      ['install', '--yes', '--project', 'group/app', '--agent', agent2, '--namespace', ns2, '--context', 'e2e-admin', ...flags],
      { env: env() },
    );
    expect(r1.code, transcript(r1)).toBe(0);
    const a2 = g.gl.state.agentsOf(g.world.project).find((a) => a.name === agent2)!;
    const token = [...g.gl.state.agentTokens.values()].find((t) => t.agentId === a2.id && t.status === 'active')!;
    const r = await runCli(
      sb,
      [
        'uninstall',
        '--yes',
        '--context',
        'e2e-admin',
        '--namespace',
        ns2,
        '--release',
        agent2,
        '--gitlab-url',
        g.gl.url,
        '--revoke-agent-token',
        '--delete-agent',
        '--timeout',
        '90s',
      ],
      { env: env() },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`namespace ${ns2} (not created by this tool)`);
    expect(await namespaceExists(ns2)).toBe(true);
    expect((await kubectlJson<KubeList>(['get', 'pods', '-n', ns2])).items).toEqual([]);
    const writes = g.mutations().map((m) => `${m.method} ${m.path}`);
    expect(writes).toContain(`DELETE /api/v4/projects/${g.world.project.id}/cluster_agents/${a2.id}/tokens/${token.id}`);
    expect(writes).toContain(`DELETE /api/v4/projects/${g.world.project.id}/cluster_agents/${a2.id}`);
    await kubectl(['delete', 'namespace', ns2, '--wait=false']);
  });
});
