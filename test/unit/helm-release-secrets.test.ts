import { readFileSync } from 'node:fs';
import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { decodeReleaseData, releaseRecord } from '../../src/adapters/kube/helm-releases.js';
import type { HelmPort } from '../../src/core/ports/helm.js';
import type { HelmReleaseRecord } from '../../src/core/ports/kube/index.js';
import { readRelease } from '../../src/core/steps/lifecycle/read-release.js';

/**
 * helm's release Secrets as real helm v3.22.0 and v4.3.1 wrote them on the e2e control plane (install of
 * chart 2.32.0 with --set replicas=3, a proxy, then upgrade --reuse-values --set nodeSelector.pool=agents),
 * captured with `kubectl get secrets -l owner=helm,name=<release> -o json` beside what `helm get values -o json`,
 * `helm get manifest` and `helm history -o json` printed for the same release.
 */
const fixture = (major: 3 | 4) => {
  const dir = new URL(`../fixtures/helm/release-secrets-helm${major}/`, import.meta.url);
  const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
  return {
    secrets: (JSON.parse(read('secrets.json')) as { items: V1Secret[] }).items,
    values: JSON.parse(read('get-values.json')) as Record<string, unknown>,
    manifest: read('get-manifest.yaml'),
    history: JSON.parse(read('history.json')) as {
      revision: number;
      status: string;
      chart: string;
      app_version: string;
      updated: string;
      description: string;
    }[],
  };
};

describe.each([3, 4] as const)('release Secrets written by helm %i', (major) => {
  const f = fixture(major);
  const records = f.secrets.map((s) => releaseRecord(s)!).sort((a, b) => a.revision - b.revision);

  it('decode to what helm get values, get manifest and history print', () => {
    const newest = records.at(-1)!;
    expect(newest.values).toEqual(f.values);
    expect(newest.manifest.trim()).toBe(f.manifest.trim());
    expect(
      records.map((r) => ({
        revision: r.revision,
        status: r.status,
        chart: r.chart,
        app_version: r.appVersion,
        description: r.description,
      })),
    ).toEqual(
      f.history.map(({ revision, status, chart, app_version, description }) => ({ revision, status, chart, app_version, description })),
    );
    expect(records.map((r) => Date.parse(r.updated))).toEqual(f.history.map((h) => Date.parse(h.updated)));
  });

  it("the payload is base64 of helm's base64 of gzip", () => {
    const data = f.secrets[0]!.data!.release!;
    const helmText = Buffer.from(data, 'base64').toString('latin1');
    expect([...Buffer.from(helmText, 'base64').subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    expect(decodeReleaseData(data)).toMatchObject({ name: `rel${major}`, namespace: `capture-helm${major}` });
  });
});

it('a release stored before helm compressed them (plain base64 JSON) decodes too', () => {
  const json = JSON.stringify({
    name: 'old',
    version: 1,
    config: { replicas: 1 },
    manifest: 'kind: ConfigMap',
    info: { status: 'deployed' },
    chart: { metadata: { name: 'gitlab-agent', version: '1.0.0', appVersion: 'v15.0.0' } },
  });
  const data = Buffer.from(Buffer.from(json).toString('base64')).toString('base64');
  expect(releaseRecord({ type: 'helm.sh/release.v1', data: { release: data } })).toMatchObject({
    revision: 1,
    status: 'deployed',
    chart: 'gitlab-agent-1.0.0',
    values: { replicas: 1 },
  });
});

describe("readRelease: helm's Secrets first, helm itself otherwise", () => {
  const ref = { context: 'c', namespace: 'ns', release: 'rel' };
  const record: HelmReleaseRecord = {
    revision: 2,
    status: 'deployed',
    chart: 'gitlab-agent-2.32.0',
    appVersion: 'v19.4.0',
    values: { replicas: 3 },
    manifest: 'kind: Deployment',
    updated: '',
    description: 'Upgrade complete',
  };
  const helm = () => {
    const calls: string[] = [];
    const port: Pick<HelmPort, 'getValues' | 'getManifest' | 'history'> = {
      getValues: async () => (calls.push('get values'), { from: 'helm' }),
      getManifest: async () => (calls.push('get manifest'), 'kind: Service'),
      history: async () => (calls.push('history'), []),
    };
    return { port, calls };
  };
  const cluster = (records: HelmReleaseRecord[] | Error) => ({
    helmReleaseRecords: async () => (records instanceof Error ? Promise.reject(records) : records),
  });

  it("one Kubernetes list, no helm process, when the driver is secrets (helm's default)", async () => {
    const h = helm();
    const state = await readRelease(cluster([{ ...record, revision: 1, status: 'superseded', values: {} }, record]), h.port, ref, {});
    expect(state).toMatchObject({ source: 'release-secrets', values: { replicas: 3 }, manifest: 'kind: Deployment' });
    expect(state.history.map((r) => r.revision)).toEqual([1, 2]);
    expect(h.calls).toEqual([]);
  });

  it.each([
    ['HELM_DRIVER=configmap', cluster([record]), { HELM_DRIVER: 'configmap' }],
    ['no release Secrets', cluster([]), {}],
    ['the list refused (RBAC)', cluster(new Error('forbidden')), {}],
  ])('%s: through helm get values, get manifest and history', async (_, c, env) => {
    const h = helm();
    const state = await readRelease(c, h.port, ref, env);
    expect(state).toMatchObject({ source: 'helm', values: { from: 'helm' }, manifest: 'kind: Service' });
    expect(h.calls.sort()).toEqual(['get manifest', 'get values', 'history']);
  });
});
