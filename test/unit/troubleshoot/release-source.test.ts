import { readFileSync } from 'node:fs';
import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeApis } from '../../../src/adapters/kube/apis.js';
import { helmReleaseList } from '../../../src/adapters/kube/helm-releases.js';
import { readsFromSecrets, releaseSource } from '../../../src/core/flows/troubleshoot/release-source.js';
import type { HelmRelease, HelmReleaseRef } from '../../../src/core/ports/helm.js';
import type { HelmReleaseRecord } from '../../../src/core/ports/kube/index.js';

/** Release Secrets helm 3.22.0 and 4.3.1 wrote (install, then upgrade), and what `helm history -o json` printed. */
const fixture = (major: 3 | 4) => {
  const dir = new URL(`../../fixtures/helm/release-secrets-helm${major}/`, import.meta.url);
  return {
    secrets: (JSON.parse(readFileSync(new URL('secrets.json', dir), 'utf8')) as { items: V1Secret[] }).items,
    history: JSON.parse(readFileSync(new URL('history.json', dir), 'utf8')) as { status: string; chart: string; app_version: string }[],
  };
};

/** KubeApis answering a Secret list with `items`, keeping the label selectors it was asked for. */
function apisListing(items: V1Secret[]) {
  const selectors: string[] = [];
  const apis = {
    call: (_action: string, run: (o: unknown) => Promise<unknown>) => run({}),
    core: {
      listNamespacedSecret: async (req: { namespace: string; labelSelector: string }) => {
        selectors.push(`${req.namespace} ${req.labelSelector}`);
        return { items };
      },
    },
  } as unknown as KubeApis;
  return { apis, selectors };
}

describe.each([3, 4] as const)("helmReleaseList over helm %i's release Secrets", (major) => {
  const f = fixture(major);

  it('is what helm list --all shows: the newest revision of each release', async () => {
    const { apis, selectors } = apisListing(f.secrets);
    const newest = f.history.at(-1)!;
    expect(await helmReleaseList(apis, `capture-helm${major}`)).toEqual([
      {
        name: `rel${major}`,
        namespace: `capture-helm${major}`,
        revision: 2,
        status: newest.status,
        chart: newest.chart,
        appVersion: newest.app_version,
      },
    ]);
    expect(selectors).toEqual([`capture-helm${major} owner=helm`]);
  });

  it('decodes only the newest revision: an older payload that does not decode does not matter', async () => {
    const [older, newer] = [...f.secrets].sort((a, b) => Number(a.metadata!.labels!.version) - Number(b.metadata!.labels!.version));
    const broken = { ...older!, data: { release: Buffer.from('not a release').toString('base64') } };
    const other = { type: 'Opaque', metadata: { name: 'token', labels: { owner: 'helm', name: 'x', version: '9' } } };
    const { apis } = apisListing([newer!, broken, other]);
    expect((await helmReleaseList(apis, `capture-helm${major}`)).map((r) => `${r.name} v${r.revision}`)).toEqual([`rel${major} v2`]);
  });
});

describe('releaseSource: the doctor reads helm releases from Secrets where it can, from helm elsewhere', () => {
  const target = { context: 'c' };
  const listed: HelmRelease = {
    name: 'a',
    namespace: 'ns',
    revision: 2,
    status: 'failed',
    chart: 'gitlab-agent-2.32.0',
    appVersion: 'v18.6.0',
  };
  const record: HelmReleaseRecord = {
    revision: 2,
    status: 'failed',
    chart: 'gitlab-agent-2.32.0',
    appVersion: 'v18.6.0',
    values: {},
    manifest: '',
    updated: '2026-12-03T10:00:00Z',
    description: 'Upgrade "a" failed: context deadline exceeded',
  };
  function setup(secrets: { list?: HelmRelease[] | Error; records?: HelmReleaseRecord[] | Error } = {}) {
    const calls: string[] = [];
    const answer = <T>(v: T | Error | undefined, fallback: T) => (v instanceof Error ? Promise.reject(v) : Promise.resolve(v ?? fallback));
    const cluster = {
      helmReleaseList: async (ns: string) => (calls.push(`secrets list ${ns}`), answer(secrets.list, [listed])),
      helmReleaseRecords: async (ns: string, r: string) => (calls.push(`secrets history ${ns}/${r}`), answer(secrets.records, [record])),
    };
    const helm = {
      listReleases: async (_t: unknown, ns?: string) => (calls.push(`helm list ${ns ?? '-A'}`), [{ ...listed, name: 'from-helm' }]),
      history: async (ref: HelmReleaseRef) => (calls.push(`helm history ${ref.release}`), []),
    };
    return { calls, cluster, helm };
  }

  it('a namespace with the default driver: one list, no helm process', async () => {
    const s = setup();
    const source = releaseSource(s.cluster, s.helm, {});
    expect(await source.listReleases(target, 'ns')).toEqual([listed]);
    expect(await source.history({ ...target, namespace: 'ns', release: 'a' })).toEqual([
      {
        revision: 2,
        status: 'failed',
        chart: 'gitlab-agent-2.32.0',
        appVersion: 'v18.6.0',
        updated: '2026-12-03T10:00:00Z',
        description: 'Upgrade "a" failed: context deadline exceeded',
      },
    ]);
    expect(s.calls).toEqual(['secrets list ns', 'secrets history ns/a']);
  });

  it.each([
    ['every namespace', undefined, {}, {}, ['helm list -A']],
    ['HELM_DRIVER=configmap', 'ns', { HELM_DRIVER: 'configmap' }, {}, ['helm list ns']],
    ['Secrets this user may not list', 'ns', {}, { list: new Error('forbidden') }, ['secrets list ns', 'helm list ns']],
  ] as const)('%s: helm lists', async (_, ns, env, secrets, calls) => {
    const s = setup(secrets);
    expect((await releaseSource(s.cluster, s.helm, env).listReleases(target, ns)).map((r) => r.name)).toEqual(['from-helm']);
    expect(s.calls).toEqual(calls);
  });

  it('no stored revisions (or an unreadable list): helm history answers', async () => {
    for (const records of [[], new Error('forbidden')]) {
      const s = setup({ records });
      await releaseSource(s.cluster, s.helm, {}).history({ ...target, namespace: 'ns', release: 'a' });
      expect(s.calls).toEqual(['secrets history ns/a', 'helm history a']);
    }
  });

  it('readsFromSecrets: a namespace and the secrets driver (named either way helm accepts)', () => {
    expect(readsFromSecrets({}, 'ns')).toBe(true);
    expect(readsFromSecrets({ HELM_DRIVER: 'secret' }, 'ns')).toBe(true);
    expect(readsFromSecrets({ HELM_DRIVER: 'secrets' }, 'ns')).toBe(true);
    expect(readsFromSecrets({ HELM_DRIVER: 'sql' }, 'ns')).toBe(false);
    expect(readsFromSecrets({}, undefined)).toBe(false);
  });
});
