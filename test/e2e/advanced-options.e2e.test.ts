/**
 * Issue 10 §6: every advanced chart option reaches the agent's Deployment on the real control plane
 * (kwok nodes carry kubernetes.io/os=linux and type=kwok, so the node selector still schedules the pods).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects } from './support/agent-objects.js';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { kubectlApply, kubectlJson } from './support/kube.js';
import { createSandbox } from './support/sandbox.js';

interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  priorityClassName?: string;
  imagePullSecrets?: { name: string }[];
  containers: { name: string; resources?: Record<string, unknown>; args?: string[] }[];
}

describe('advanced chart options', () => {
  let g: E2eGitLab;
  afterAll(async () => g?.close());

  it('replicas, resources, placement, pull secrets, pod metadata, KAS headers and TLS server name reach the Deployment', async () => {
    const sb = createSandbox('advanced-options', 3);
    g = await startGitLab();
    const agent = sb.name('adv');
    const namespace = `gitlab-agent-${agent}`;
    const priorityClass = sb.name('agent-critical');
    await kubectlApply(
      `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${priorityClass}}\nvalue: 1000000\nglobalDefault: false\n`,
    );
    const r = await runCli(
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
        '--replicas',
        '3',
        '--requests',
        'cpu=100m,memory=128Mi',
        '--limits',
        'cpu=500m,memory=256Mi',
        '--node-selector',
        'kubernetes.io/os=linux',
        '--node-selector',
        'type=kwok',
        '--toleration',
        'dedicated=agents:NoSchedule',
        '--toleration',
        'spot:NoExecute',
        '--priority-class',
        priorityClass,
        '--image-pull-secret',
        'mirror-pull',
        '--pod-label',
        'team=platform',
        '--pod-annotation',
        'example.com/owner=platform',
        '--kas-header',
        'Cookie: gitlab_canary=true',
        '--kas-tls-server-name',
        'kas.gitlab.example.com',
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      { env: { GITLAB_TOKEN: g.pat } },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toMatch(/Advanced options\s+replicas 3 · requests cpu=100m,memory=128Mi/);

    const o = await agentObjects(namespace, agent);
    expect(o.deployments).toHaveLength(1);
    const d = o.deployments[0]!;
    expect(d.spec.replicas).toBe(3);
    expect(d.status?.readyReplicas).toBe(3);
    const tpl = d.spec.template as unknown as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: PodSpec;
    };
    expect(tpl.metadata.labels).toMatchObject({ team: 'platform', 'app.kubernetes.io/instance': agent });
    // Ours are merged in: the token id the pods run with is still there.
    expect(tpl.metadata.annotations).toMatchObject({ 'example.com/owner': 'platform' });
    expect(Object.keys(tpl.metadata.annotations)).toContain('gitlab-agent-tui/token-id');
    expect(tpl.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', type: 'kwok' });
    expect(tpl.spec.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
    ]);
    expect(tpl.spec.priorityClassName).toBe(priorityClass);
    expect(tpl.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    const c = agentContainer(d);
    expect(tpl.spec.containers.find((x) => x.name === c.name)!.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    const args = c.args ?? [];
    expect(args[args.indexOf('--kas-header') + 1]).toBe('Cookie: gitlab_canary=true');
    expect(args).toContain('--kas-tls-server-name=kas.gitlab.example.com');

    // The pods the rollout made carry them too (the scheduler honoured the selector on the kwok nodes).
    const pods = await kubectlJson<{ items: { spec: PodSpec & { nodeName?: string }; metadata: { labels: Record<string, string> } }[] }>([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${agent}`,
    ]);
    expect(pods.items).toHaveLength(3);
    for (const p of pods.items) {
      expect(p.metadata.labels.team).toBe('platform');
      expect(p.spec.nodeName).toMatch(/^e2e-node-/);
      expect(p.spec.priorityClassName).toBe(priorityClass);
    }
  });

  it('--method advanced puts them into its own Deployment', async () => {
    const sb = createSandbox('advanced-options-manifests', 3);
    const fresh = await startGitLab();
    try {
      const agent = sb.name('advm');
      const namespace = `gitlab-agent-${agent}`;
      const priorityClass = sb.name('agent-high');
      await kubectlApply(`apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${priorityClass}}\nvalue: 1000\n`);
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--method',
          'advanced',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--context',
          'e2e-admin',
          '--replicas',
          '1',
          '--limits',
          'memory=300Mi',
          '--node-selector',
          'type=kwok',
          '--toleration',
          'spot:NoExecute',
          '--priority-class',
          priorityClass,
          '--pod-label',
          'team=platform',
          '--pod-annotation',
          'example.com/owner=platform',
          '--kas-header',
          'X-Env: e2e',
          '--kas-tls-server-name',
          'kas.gitlab.example.com',
          ...commonFlags(fresh, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: fresh.pat } },
      );
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      const list = await kubectlJson<{
        items: {
          spec: {
            replicas: number;
            template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
          };
        }[];
      }>(['get', 'deployments', '-n', namespace, '-l', `app.kubernetes.io/instance=${agent}`]);
      expect(list.items).toHaveLength(1);
      const d = list.items[0]!;
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.metadata.labels.team).toBe('platform');
      expect(d.spec.template.metadata.annotations?.['example.com/owner']).toBe('platform');
      const spec = d.spec.template.spec;
      expect(spec.nodeSelector).toEqual({ type: 'kwok' });
      expect(spec.tolerations).toEqual([{ key: 'spot', operator: 'Exists', effect: 'NoExecute' }]);
      expect(spec.priorityClassName).toBe(priorityClass);
      const c = spec.containers[0]!;
      expect(c.resources).toMatchObject({ limits: { memory: '300Mi' } });
      expect(c.args).toEqual(expect.arrayContaining(['--kas-header', 'X-Env: e2e', '--kas-tls-server-name=kas.gitlab.example.com']));
    } finally {
      await fresh.close();
    }
  });

  it('a bad option is one line naming the flag, exit 2, before anything is created', async () => {
    const sb = createSandbox('advanced-options-bad', 3);
    const fresh = await startGitLab();
    try {
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          sb.name('bad'),
          '--context',
          'e2e-admin',
          '--toleration',
          'dedicated=agents:Sometimes',
          ...commonFlags(fresh, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: fresh.pat } },
      );
      expect(r.code, transcript(r)).toBe(2);
      expect(r.stderr).toContain('--toleration: "Sometimes" is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)');
      expect(fresh.gl.requests, 'no request reached GitLab').toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
