import { describe, expect, it } from 'vitest';
import { findInstalls } from '../../../src/core/discovery/find-installs.js';
import { fluxUpgradeLines } from '../../../src/core/flows/upgrade/flux.js';
import type { UpgradeTarget } from '../../../src/core/flows/upgrade/target.js';
import type { KubeCluster } from '../../../src/core/ports/kube/index.js';
import { describeFluxSource, fluxSource } from '../../../src/core/steps/lifecycle/flux-source.js';
import { createObjectStore } from '../../../src/demo/object-store.js';

/** A cluster with Flux's API groups, a HelmRelease applied by a Kustomization from a GitRepository, and its Deployment. */
async function fluxCluster() {
  const store = createObjectStore({
    'helm.toolkit.fluxcd.io': ['v2'],
    'kustomize.toolkit.fluxcd.io': ['v1'],
    'source.toolkit.fluxcd.io': ['v1'],
  });
  const apply = (o: Parameters<typeof store.applyObject>[0]) => store.applyObject(o, { fieldManager: 'test' });
  await apply({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: 'gitlab-agent',
      namespace: 'flux-system',
      labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
    },
    spec: {
      chart: { spec: { chart: 'gitlab-agent', version: '2.31.0' } },
      values: { config: { kasAddress: 'wss://kas.example.com', secretName: 'gitlab-agent-token', token: 'glagent-fake-in-git' } },
    },
  });
  await apply({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
  });
  await apply({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'fleet', namespace: 'flux-system' },
    spec: { url: 'https://gitlab.example.com/group/fleet.git', ref: { branch: 'main' } },
  });
  const cluster = {
    ...store,
    findAgentDeployments: async () => [
      {
        namespace: 'gitlab-agent',
        name: 'gitlab-agent-v2',
        release: 'gitlab-agent',
        image: 'registry/agentk:v18.5.0',
        selector: 'app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=gitlab-agent',
        desired: 2,
        ready: 2,
        labels: { 'helm.toolkit.fluxcd.io/name': 'gitlab-agent', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' },
      },
    ],
    listTokenSecrets: async () => [],
  } as unknown as KubeCluster;
  return cluster;
}

const helm = {
  listReleases: async () => [
    {
      name: 'gitlab-agent',
      namespace: 'gitlab-agent',
      revision: 4,
      status: 'deployed',
      chart: 'gitlab-agent-2.31.0',
      appVersion: 'v18.5.0',
    },
  ],
};

describe('Flux-managed installs', () => {
  it('discovery marks a release whose Deployment helm-controller labelled as Flux, with its HelmRelease', async () => {
    const [install] = await findInstalls(await fluxCluster(), helm, { context: 'prod' });
    expect(install).toMatchObject({ method: 'flux', release: 'gitlab-agent', flux: { namespace: 'flux-system', name: 'gitlab-agent' } });
  });

  it('follows HelmRelease → Kustomization → GitRepository to say where the change belongs', async () => {
    const cluster = await fluxCluster();
    const [install] = await findInstalls(cluster, helm, { context: 'prod' });
    const src = await fluxSource(cluster, install!);
    expect(describeFluxSource(src!)).toBe(
      'HelmRelease flux-system/gitlab-agent, applied by Kustomization flux-system/apps from https://gitlab.example.com/group/fleet.git (main), path ./clusters/prod',
    );
  });

  it('upgrade prints the exact HelmRelease change (credentials masked) instead of running helm', async () => {
    const cluster = await fluxCluster();
    const [install] = await findInstalls(cluster, helm, { context: 'prod' });
    const target: UpgradeTarget = {
      chart: { chart: { kind: 'repo', repo: 'https://charts.gitlab.io', name: 'gitlab-agent' }, chartVersion: '2.32.0' },
      change: { imageTag: 'v18.6.1', proxy: { httpsProxy: 'http://p:3128' } },
      warnings: [],
    };
    const lines = await fluxUpgradeLines(install!, target, cluster);
    const text = lines.join('\n');
    expect(lines[0]).toContain('is managed by Flux (HelmRelease flux-system/gitlab-agent, applied by Kustomization flux-system/apps');
    expect(text).toMatch(/spec:\n\s+values:\n\s+config:/);
    expect(text).toContain('tag: v18.6.1');
    expect(text).toContain('value: http://p:3128');
    expect(text).toMatch(/chart:\n\s+spec:\n\s+version: 2\.32\.0/);
    expect(text).not.toContain('glagent-fake-in-git');
    expect(text).toContain('kasAddress: wss://kas.example.com');
  });
});
