/**
 * Issue 13: upgrade takes the install's advanced options. On the real control plane with real helm 3 and 4:
 * install with a proxy and a pod annotation, then `upgrade --replicas 3 --node-selector … --toleration …`;
 * the new Deployment and its pods have them, and every other value (proxy env, config, the user's pod
 * annotation, the image) was kept. The release is read from helm's own release Secrets (no `helm get`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects, envOf } from './support/agent-objects.js';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helm, helmRevisions, kubectlJson, releaseSelector, type KubeList } from './support/kube.js';
import { createSandbox, type HelmMajor } from './support/sandbox.js';

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeSelector?: Record<string, string>; tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

describe.each([3, 4] as HelmMajor[])('upgrade with advanced options, helm %i', (helmMajor) => {
  let g: E2eGitLab;
  afterAll(async () => g?.close());

  it('--replicas, --node-selector and --toleration reach the new Deployment; every other value is kept', async () => {
    const sb = createSandbox(`upgrade-adv-h${helmMajor}`, helmMajor);
    g = await startGitLab();
    const agent = sb.name(`upadv${helmMajor}`);
    const namespace = `gitlab-agent-${agent}`;
    const flags = commonFlags(g, e2eEnv().chartRepo);
    const env = { GITLAB_TOKEN: g.pat };
    const installed = await runCli(
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
        '--https-proxy',
        'http://proxy-a.internal:3128',
        '--no-proxy',
        '.svc',
        '--pod-annotation',
        'example.com/owner=platform',
        ...flags,
      ],
      { env },
    );
    expect(installed.code, transcript(installed)).toBe(0);
    const values = async () =>
      JSON.parse((await helm(sb, ['get', 'values', agent, '-n', namespace, '-o', 'json'])).stdout) as Record<string, unknown>;
    const before = await values();

    const r = await runCli(
      sb,
      [
        'upgrade',
        '--yes',
        '--context',
        'e2e-admin',
        '--namespace',
        namespace,
        '--release',
        agent,
        '--replicas',
        '3',
        '--node-selector',
        'type=kwok',
        '--toleration',
        'dedicated=agents:NoSchedule',
        ...flags,
      ],
      { env },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ ${namespace}/${agent} is upgraded, Ready and connected.`);
    // The values diff shown before helm ran names exactly the changes.
    expect(r.stderr).toContain('+ replicas: 3');
    expect(r.stderr).toContain('+ nodeSelector.type: "kwok"');
    expect(r.stderr).toMatch(/\+ tolerations/);
    expect(r.stderr).not.toContain('extraEnv[name=HTTPS_PROXY]');
    expect(r.stderr).toContain("read from helm's release Secrets");
    expect(await helmRevisions(sb, agent, namespace)).toEqual([1, 2]);

    const [d] = (await agentObjects(namespace, agent)).deployments;
    expect(d!.spec.replicas).toBe(3);
    const podSpec = d!.spec.template.spec as { nodeSelector?: Record<string, string>; tolerations?: Record<string, unknown>[] };
    expect(podSpec.nodeSelector).toEqual({ type: 'kwok' });
    expect(podSpec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }]);
    expect(d!.status?.readyReplicas).toBe(3);
    // Kept: the proxy env, the user's pod annotation beside ours.
    expect(envOf(agentContainer(d!))).toMatchObject({ HTTPS_PROXY: 'http://proxy-a.internal:3128', NO_PROXY: '.svc' });
    expect(d!.spec.template.metadata.annotations).toMatchObject({ 'example.com/owner': 'platform' });
    const pods = await kubectlJson<KubeList<Pod>>(['get', 'pods', '-n', namespace, '-l', releaseSelector(agent)]);
    const ready = pods.items.filter(
      (p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(ready).toHaveLength(3);
    for (const p of ready) {
      expect(p.spec.nodeSelector).toEqual({ type: 'kwok' });
      expect(p.spec.tolerations).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: 'dedicated', value: 'agents', effect: 'NoSchedule' })]),
      );
    }
    // Every other value as it was: only the three keys (and the image tag GitLab recommends) differ.
    const after = await values();
    const rest = (v: Record<string, unknown>) => ({
      ...v,
      replicas: undefined,
      nodeSelector: undefined,
      tolerations: undefined,
      image: undefined,
    });
    expect(rest(after)).toEqual(rest(before));
    expect(after).toMatchObject({ replicas: 3, nodeSelector: { type: 'kwok' } });
  });
});

describe("upgrade with helm's configmap storage driver (helm 4)", () => {
  let g: E2eGitLab;
  afterAll(async () => g?.close());

  it('HELM_DRIVER=configmap: the release is read with helm get (no Secrets to read), and the change still lands', async () => {
    const sb = createSandbox('upgrade-adv-cm', 4);
    g = await startGitLab();
    const agent = sb.name('upadvcm');
    const namespace = `gitlab-agent-${agent}`;
    const env = { GITLAB_TOKEN: g.pat, HELM_DRIVER: 'configmap' };
    const installed = await runCli(
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
        '--https-proxy',
        'http://proxy-a.internal:3128',
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      { env },
    );
    expect(installed.code, transcript(installed)).toBe(0);
    const stored = await kubectlJson<KubeList>(['get', 'configmaps', '-n', namespace, '-l', `owner=helm,name=${agent}`]);
    expect(stored.items, 'helm stored the release in a ConfigMap').toHaveLength(1);
    const r = await runCli(
      sb,
      [
        'upgrade',
        '--yes',
        '--context',
        'e2e-admin',
        '--namespace',
        namespace,
        '--release',
        agent,
        '--replicas',
        '3',
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      { env },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stderr).toContain('read with helm get');
    expect(r.stderr).toContain('+ replicas: 3');
    const [d] = (await agentObjects(namespace, agent)).deployments;
    expect(d!.spec.replicas).toBe(3);
    expect(envOf(agentContainer(d!)).HTTPS_PROXY).toBe('http://proxy-a.internal:3128');
  });
});
