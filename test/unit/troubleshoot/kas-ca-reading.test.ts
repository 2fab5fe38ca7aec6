import { describe, expect, it } from 'vitest';
import { collectCluster } from '../../../src/core/flows/troubleshoot/collect-cluster.js';
import type { KubeCluster, KubeObject } from '../../../src/core/ports/kube/index.js';

/** How the doctor finds the CA agentk verifies KAS with: the ConfigMap volume mounted where --kas-ca-cert-file points. */

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBdoctor\n-----END CERTIFICATE-----\n';

function deployment(args: string[], volumes: object[], mounts: object[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'prod-gitlab-agent-v2', namespace: 'agents' },
    spec: {
      replicas: 1,
      template: { spec: { containers: [{ name: 'gitlab-agent', image: 'agentk:v18.6.0', args, volumeMounts: mounts }], volumes } },
    },
    status: {},
  } as KubeObject;
}

/** Only what collectCluster asks; the ConfigMap read is recorded. */
function cluster(d: KubeObject, configMaps: Record<string, KubeObject | Error>): KubeCluster & { reads: string[] } {
  const reads: string[] = [];
  const stub = {
    context: 'test',
    reads,
    servedVersions: async () => [],
    listObjects: async () => [],
    getTokenSecret: async () => undefined,
    podLogs: async () => [],
    getObject: async (ref: { kind: string; name: string }) => {
      if (ref.kind === 'Deployment') return d;
      if (ref.kind !== 'ConfigMap') return undefined;
      reads.push(ref.name);
      const cm = configMaps[ref.name];
      if (cm instanceof Error) throw cm;
      return cm;
    },
  };
  return stub as unknown as KubeCluster & { reads: string[] };
}

const helm = { listReleases: async () => [], history: async () => [] };
const install = {
  context: 'test',
  namespace: 'agents',
  method: 'unknown' as const,
  deployment: { name: 'prod-gitlab-agent-v2', desired: 1, ready: 1 },
  ours: false,
};
const chartArgs = [
  '--token-file=/etc/agentk/secrets/token',
  '--kas-address=wss://kas.example.com/',
  '--kas-ca-cert-file=/etc/agentk/config/ca.crt',
];
const chartVolumes = [
  { name: 'token-volume', secret: { secretName: 'prod-token' } },
  { name: 'config-volume', configMap: { name: 'prod-gitlab-agent-v2' } },
];
const chartMounts = [
  { name: 'token-volume', mountPath: '/etc/agentk/secrets' },
  { name: 'config-volume', mountPath: '/etc/agentk/config' },
];

describe("reading agentk's own CA", () => {
  it("the chart's shape: ConfigMap <fullname> at /etc/agentk/config, key ca.crt", async () => {
    const c = cluster(deployment(chartArgs, chartVolumes, chartMounts), {
      'prod-gitlab-agent-v2': {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'prod-gitlab-agent-v2' },
        data: { 'ca.crt': PEM },
      } as KubeObject,
    });
    const r = await collectCluster(c, helm, { context: 'test' }, install, []);
    expect(r.kasCa).toEqual({ source: 'ConfigMap agents/prod-gitlab-agent-v2 (key ca.crt)', pem: PEM });
  });

  it('no --kas-ca-cert-file: nothing read', async () => {
    const c = cluster(deployment(chartArgs.slice(0, 2), chartVolumes, chartMounts), {});
    const r = await collectCluster(c, helm, { context: 'test' }, install, []);
    expect(r.kasCa).toBeUndefined();
    expect(c.reads).toEqual([]);
  });

  it('near misses, each saying why: no key ca.crt, a forbidden read, a Secret volume (never read), nothing mounted there', async () => {
    const noKey = cluster(deployment(chartArgs, chartVolumes, chartMounts), {
      'prod-gitlab-agent-v2': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'config.yaml': 'x' } } as KubeObject,
    });
    expect((await collectCluster(noKey, helm, { context: 'test' }, install, [])).kasCa).toEqual({
      source: 'ConfigMap agents/prod-gitlab-agent-v2',
      notRead: 'it has no key ca.crt',
    });
    const forbidden = cluster(deployment(chartArgs, chartVolumes, chartMounts), {
      'prod-gitlab-agent-v2': new Error('configmaps "prod-gitlab-agent-v2" is forbidden'),
    });
    expect((await collectCluster(forbidden, helm, { context: 'test' }, install, [])).kasCa).toMatchObject({
      notRead: expect.stringContaining('forbidden'),
    });
    const inSecret = cluster(
      deployment(chartArgs, [chartVolumes[0]!, { name: 'config-volume', secret: { secretName: 'kas-ca' } }], chartMounts),
      {},
    );
    expect((await collectCluster(inSecret, helm, { context: 'test' }, install, [])).kasCa).toMatchObject({
      notRead: 'it comes from Secret kas-ca, whose values are never read',
    });
    expect(inSecret.reads).toEqual([]);
    const unmounted = cluster(deployment(chartArgs, chartVolumes, chartMounts.slice(0, 1)), {});
    expect((await collectCluster(unmounted, helm, { context: 'test' }, install, [])).kasCa).toMatchObject({
      notRead: 'no volume of the Deployment is mounted at /etc/agentk/config',
    });
  });
});
