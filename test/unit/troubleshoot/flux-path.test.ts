import { describe, expect, it } from 'vitest';
import { onAgentPath, type FluxObjects } from '../../../src/core/flows/troubleshoot/flux-path.js';
import type { KubeObject } from '../../../src/core/ports/kube/index.js';

const o = (kind: string, namespace: string, name: string, spec: object = {}, status: object = {}): KubeObject =>
  ({ apiVersion: 'x/v1', kind, metadata: { name, namespace }, spec, status }) as KubeObject;
const names = (f: FluxObjects) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, (v as KubeObject[]).map((x) => `${x.metadata.namespace}/${x.metadata.name}`)]));

/** Two teams' Flux in one cluster: ours (flux-system, glab bootstrap's names) and another team's failing one. */
const cluster: FluxObjects = {
  gitRepositories: [o('GitRepository', 'flux-system', 'flux-system'), o('GitRepository', 'team-b', 'apps')],
  kustomizations: [
    o(
      'Kustomization',
      'flux-system',
      'flux-system',
      { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      { inventory: { entries: [{ id: 'flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease', v: 'v2' }] } },
    ),
    o('Kustomization', 'team-b', 'apps', { sourceRef: { kind: 'GitRepository', name: 'apps' } }),
  ],
  helmRepositories: [o('HelmRepository', 'flux-system', 'gitlab'), o('HelmRepository', 'team-b', 'bitnami')],
  helmCharts: [o('HelmChart', 'flux-system', 'flux-system-gitlab-agent'), o('HelmChart', 'team-b', 'team-b-redis')],
  ociRepositories: [o('OCIRepository', 'team-b', 'podinfo')],
  buckets: [o('Bucket', 'team-b', 'charts')],
  helmReleases: [
    o(
      'HelmRelease',
      'flux-system',
      'gitlab-agent',
      { chart: { spec: { chart: 'gitlab-agent', sourceRef: { kind: 'HelmRepository', name: 'gitlab' } } } },
      { helmChart: 'flux-system/flux-system-gitlab-agent' },
    ),
    o('HelmRelease', 'team-b', 'redis'),
  ],
};
const agent = { name: 'gitlab-agent', namespace: 'flux-system' };

describe("the Flux objects on the agent's path", () => {
  it('the HelmRelease, the Kustomization whose inventory lists it, its GitRepository, the chart source: not team B', () => {
    expect(names(onAgentPath(cluster, agent))).toEqual({
      helmReleases: ['flux-system/gitlab-agent'],
      kustomizations: ['flux-system/flux-system'],
      gitRepositories: ['flux-system/flux-system'],
      helmRepositories: ['flux-system/gitlab'],
      helmCharts: ['flux-system/flux-system-gitlab-agent'],
      ociRepositories: [],
      buckets: [],
    });
  });

  it('a HelmRelease never applied (no inventory lists it, it does not exist): the Kustomizations of its namespace and their sources', () => {
    const notYet = {
      ...cluster,
      helmReleases: cluster.helmReleases.slice(1),
      kustomizations: cluster.kustomizations.map((k) => ({ ...k, status: {} })),
    };
    expect(names(onAgentPath(notYet, agent))).toMatchObject({
      helmReleases: [],
      kustomizations: ['flux-system/flux-system'],
      gitRepositories: ['flux-system/flux-system'],
      helmRepositories: ['flux-system/gitlab'],
      helmCharts: [],
    });
  });

  it('near miss: an inventory entry of another kind or name does not count; a sourceRef namespace is honoured', () => {
    const other = o(
      'Kustomization',
      'infra',
      'agents',
      { sourceRef: { kind: 'GitRepository', name: 'infra', namespace: 'git' } },
      { inventory: { entries: [{ id: 'flux-system_gitlab-agent_source.toolkit.fluxcd.io_HelmRepository' }] } },
    );
    const applying = o(
      'Kustomization',
      'infra',
      'agents-2',
      { sourceRef: { kind: 'GitRepository', name: 'infra', namespace: 'git' } },
      { inventory: { entries: [{ id: 'flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease' }] } },
    );
    const f = onAgentPath(
      { ...cluster, kustomizations: [other, applying], gitRepositories: [...cluster.gitRepositories, o('GitRepository', 'git', 'infra')] },
      agent,
    );
    expect(names(f)).toMatchObject({ kustomizations: ['infra/agents-2'], gitRepositories: ['git/infra'] });
  });

  it("the chart's other sources: chartRef to an OCIRepository, chart.spec.sourceRef to a GitRepository or a Bucket, chartRef to a HelmChart and its source", () => {
    const hr = (spec: object, status: object = {}) => o('HelmRelease', 'flux-system', 'gitlab-agent', spec, status);
    const withRelease = (release: KubeObject, extra: Partial<FluxObjects> = {}) =>
      names(onAgentPath({ ...cluster, ...extra, helmReleases: [release, cluster.helmReleases[1]!] }, agent));
    const oci = o('OCIRepository', 'flux-system', 'gitlab-agent-chart');
    expect(
      withRelease(hr({ chartRef: { kind: 'OCIRepository', name: 'gitlab-agent-chart' } }), {
        ociRepositories: [oci, ...cluster.ociRepositories],
      }),
    ).toMatchObject({ ociRepositories: ['flux-system/gitlab-agent-chart'], helmRepositories: [], helmCharts: [], buckets: [] });
    const charts = o('GitRepository', 'charts', 'agent-chart');
    expect(
      withRelease(
        hr({
          chart: {
            spec: { chart: './charts/gitlab-agent', sourceRef: { kind: 'GitRepository', name: 'agent-chart', namespace: 'charts' } },
          },
        }),
        {
          gitRepositories: [...cluster.gitRepositories, charts],
          helmCharts: [...cluster.helmCharts, o('HelmChart', 'charts', 'flux-system-gitlab-agent')],
        },
      ),
    ).toMatchObject({
      gitRepositories: ['flux-system/flux-system', 'charts/agent-chart'],
      helmCharts: ['charts/flux-system-gitlab-agent'],
      helmRepositories: [],
    });
    expect(
      withRelease(hr({ chart: { spec: { chart: 'gitlab-agent', sourceRef: { kind: 'Bucket', name: 'charts', namespace: 'team-b' } } } })),
    ).toMatchObject({ buckets: ['team-b/charts'], helmRepositories: [] });
    const own = o('HelmChart', 'flux-system', 'agent', { sourceRef: { kind: 'HelmRepository', name: 'gitlab' } });
    expect(withRelease(hr({ chartRef: { kind: 'HelmChart', name: 'agent' } }), { helmCharts: [...cluster.helmCharts, own] })).toMatchObject(
      {
        helmCharts: ['flux-system/agent'],
        helmRepositories: ['flux-system/gitlab'],
      },
    );
  });

  it('not Flux-managed: everything as read', () => {
    expect(onAgentPath(cluster, undefined)).toBe(cluster);
  });
});
