import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReleases, parseValues } from '../../../src/adapters/helm/index.js';
import { findInstalls } from '../../../src/core/discovery/find-installs.js';
import { manifestDiff } from '../../../src/core/plan/lifecycle/manifest-diff.js';
import { parseManifest, renderedChartVersion, renderedDeployments } from '../../../src/core/plan/lifecycle/manifest.js';
import type { ExistingAgentDeployment } from '../../../src/core/ports/kube/index.js';

/**
 * Output captured from real helm 3.22 and 4.3 (the e2e tool builds) against the e2e control plane, for a
 * release of the e2e chart 2.31.0 installed with a values file: `helm list -o json`, `helm get values -o json`
 * (also of a release without user values) and `helm get manifest`.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/helm/${name}`, import.meta.url), 'utf8');

describe.each([3, 4])('discovery parses helm %i output', (major) => {
  const release = `fx${major}`;
  const namespace = `fx-h${major}`;

  it('helm list: the release, revision as a number, chart and appVersion', () => {
    expect(parseReleases(fixture(`helm${major}-list.json`))).toEqual([
      {
        name: release,
        namespace,
        revision: 1,
        status: 'deployed',
        chart: 'gitlab-agent-2.31.0',
        appVersion: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
      },
    ]);
  });

  it('helm get values: the user values; null (no user values) is an empty object', () => {
    expect(parseValues(fixture(`helm${major}-get-values.json`))).toEqual({
      config: { kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/', secretName: 'fx-agent-token' },
      extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy.internal:3128' }],
      image: { tag: 'v18.5.0' },
    });
    expect(parseValues(fixture(`helm${major}-get-values-none.json`))).toEqual({});
  });

  it('helm get manifest: every object, the Deployment with its selector, container and env, the chart version', () => {
    const objects = parseManifest(fixture(`helm${major}-get-manifest.yaml`));
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'ServiceAccount', 'ClusterRoleBinding', 'Service']));
    expect(objects.every((o) => o.metadata.name)).toBe(true);
    const [deployment, ...more] = renderedDeployments(objects);
    expect(more).toEqual([]);
    expect(deployment).toMatchObject({
      name: `${release}-gitlab-agent-v2`,
      namespace,
      selector: `app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=${release}`,
    });
    const agent = deployment!.containers.find((c) => c.image?.includes('agentk'))!;
    expect(agent.image).toMatch(/agentk:v18\.5\.0$/);
    expect(agent.env.HTTPS_PROXY).toBe('http://proxy.internal:3128');
    expect(renderedChartVersion(objects, 'gitlab-agent')).toBe('2.31.0');
    expect(
      manifestDiff(objects, parseManifest(fixture(`helm${major}-get-manifest.yaml`)), namespace),
      'the same manifest has no diff',
    ).toEqual([]);
  });

  it('findInstalls joins them with the Deployment and our Secret', async () => {
    const releases = parseReleases(fixture(`helm${major}-list.json`));
    const d = renderedDeployments(parseManifest(fixture(`helm${major}-get-manifest.yaml`)))[0]!;
    const deployments: ExistingAgentDeployment[] = [
      { namespace, name: d.name, release, image: d.containers[0]!.image, selector: d.selector, desired: 2, ready: 2 },
    ];
    const cluster = {
      findAgentDeployments: async () => deployments,
      listTokenSecrets: async () => [
        {
          namespace,
          name: 'fx-agent-token',
          tokenId: 5,
          agentId: 9,
          agentName: release,
          managedByUs: true,
          hasTokenKey: true,
          registration: { projectId: 7, projectPath: 'group/infra' },
        },
      ],
    } as never;
    const [install] = await findInstalls(cluster, { listReleases: async () => releases }, { context: 'e2e' });
    expect(install).toMatchObject({
      method: 'helm',
      release,
      chart: 'gitlab-agent-2.31.0',
      revision: 1,
      agentVersion: 'v18.5.0',
      deployment: { name: d.name, selector: d.selector, desired: 2, ready: 2 },
      token: { secret: 'fx-agent-token', tokenId: 5, agentId: 9, registration: { projectId: 7, projectPath: 'group/infra' } },
      ours: true,
    });
  });
});

describe('manifest diff', () => {
  const objects = parseManifest(fixture('helm3-get-manifest.yaml'));
  it('shows a changed env value in its Deployment, a new object, a removed one; Secret data masked', () => {
    const target = structuredClone(objects);
    const d = target.find((o) => o.kind === 'Deployment')!;
    const containers = (d.spec as { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } }).template.spec
      .containers;
    containers[0]!.env = [...(containers[0]!.env ?? []), { name: 'HTTP_PROXY', value: 'http://p:3128' }];
    const removed = target.findIndex((o) => o.kind === 'Service');
    target.splice(removed, 1);
    target.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra' }, data: { token: 'Z2xhZ2VudC1mYWtl' } });
    const lines = manifestDiff(objects, target, 'fx-h3');
    expect(lines).toContain('~ Deployment fx-h3/fx3-gitlab-agent-v2');
    expect(lines.some((l) => /^\s+\+\s+- name: HTTP_PROXY$/.test(l) || /^\s+\+\s+value: http:\/\/p:3128$/.test(l))).toBe(true);
    expect(lines).toContain('+ Secret fx-h3/extra (new)');
    expect(lines.some((l) => l.startsWith('- Service fx-h3/') && l.endsWith('(removed)'))).toBe(true);
    expect(lines.join('\n')).not.toContain('Z2xhZ2VudC1mYWtl');
  });
});
