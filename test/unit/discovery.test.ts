import { describe, expect, it } from 'vitest';
import { findInstalls } from '../../src/core/discovery/find-installs.js';
import type { HelmPort } from '../../src/core/ports/helm.js';
import type { ExistingAgentDeployment, TokenSecretInfo } from '../../src/core/ports/kube/index.js';
import { createDemoPorts, createDemoWorld } from '../../src/demo/index.js';

describe('findInstalls', () => {
  it('finds the demo staging agent as a helm release of ours, with its token and running version', async () => {
    const ports = createDemoPorts({ world: createDemoWorld({ timeScale: 50 }) });
    const cluster = await ports.kube.cluster({}, 'demo-staging');
    const installs = await findInstalls(cluster, ports.helm, { context: 'demo-staging' });
    expect(installs).toEqual([
      expect.objectContaining({
        context: 'demo-staging',
        namespace: 'gitlab-agent-staging',
        method: 'helm',
        release: 'staging',
        releaseStatus: 'deployed',
        agentVersion: 'v18.6.0',
        ours: true,
        // The seeded Secret names its agent and records where it is registered, as install now writes it.
        token: {
          secret: 'staging-agent-token',
          tokenId: 32,
          agentId: 17,
          agentName: 'staging',
          registration: { gitlabUrl: 'https://gitlab.example.com', projectId: 42, projectPath: 'demo-group/infrastructure' },
        },
      }),
    ]);
  });

  it('joins by namespace and release: a Deployment without helm, a release of another chart left out, a Secret matched by agent', async () => {
    const helm = {
      listReleases: async () => [
        { name: 'prod', namespace: 'agents', revision: 3, status: 'failed', chart: 'gitlab-agent-2.32.0', appVersion: 'v18.6.0' },
        { name: 'web', namespace: 'agents', revision: 1, status: 'deployed', chart: 'nginx-1.0.0', appVersion: '1.25' },
      ],
    } satisfies Pick<HelmPort, 'listReleases'>;
    const deployments: ExistingAgentDeployment[] = [
      {
        namespace: 'agents',
        name: 'prod-gitlab-agent-v2',
        release: 'prod',
        image: 'registry.example/agentk:v18.5.1',
        selector: 'app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=prod',
        desired: 2,
        ready: 1,
      },
      { namespace: 'agents', name: 'edge-gitlab-agent-v2', release: 'edge', image: 'registry.example:5000/agentk', desired: 1, ready: 1 },
      { namespace: 'legacy', name: 'gitlab-agent', image: 'agentk:v16.0.0', desired: 1, ready: 0 },
    ];
    const secrets: TokenSecretInfo[] = [
      { namespace: 'agents', name: 'edge-agent-token', tokenId: 9, agentId: 4, agentName: 'edge', managedByUs: true, hasTokenKey: true },
    ];
    const cluster = { findAgentDeployments: async () => deployments, listTokenSecrets: async () => secrets } as never;
    const installs = await findInstalls(cluster, helm, { context: 'c' });
    expect(installs.map((i) => [i.namespace, i.release, i.method, i.agentVersion, i.ours])).toEqual([
      ['agents', 'edge', 'unknown', undefined, true],
      ['agents', 'prod', 'helm', 'v18.5.1', false],
      ['legacy', undefined, 'unknown', 'v16.0.0', false],
    ]);
    expect(installs[1]).toMatchObject({ releaseStatus: 'failed', revision: 3, deployment: { desired: 2, ready: 1 } });
    expect(installs[0]!.token).toEqual({ secret: 'edge-agent-token', tokenId: 9, agentId: 4, agentName: 'edge' });
  });
});
