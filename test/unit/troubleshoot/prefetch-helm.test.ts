import { describe, expect, it } from 'vitest';
import { prefetchHelm } from '../../../src/core/flows/troubleshoot/prefetch-helm.js';
import type { HelmRelease, HelmReleaseRef } from '../../../src/core/ports/helm.js';

const release = (name: string, status: string): HelmRelease => ({
  name,
  namespace: `gitlab-agent-${name}`,
  revision: 1,
  status,
  chart: 'gitlab-agent-2.32.0',
  appVersion: 'v18.6.0',
});

function helm(releases: HelmRelease[] | Error) {
  const calls: string[] = [];
  return {
    calls,
    listReleases: async (_t: unknown, ns?: string) => {
      calls.push(`list ${ns ?? '-A'}`);
      if (releases instanceof Error) throw releases;
      return releases;
    },
    history: async (ref: HelmReleaseRef) => {
      calls.push(`history ${ref.namespace}/${ref.release}`);
      return [
        { revision: 1, status: 'failed', chart: 'gitlab-agent-2.32.0', appVersion: 'v18.6.0', description: 'Install failed', updated: '' },
      ];
    },
  };
}
const target = { context: 'prod' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("troubleshoot's early helm reads", () => {
  it('a failed release named by --release: list and history both start at once; asking again reuses them', async () => {
    const h = helm([release('prod', 'failed')]);
    const p = prefetchHelm(h, target, 'gitlab-agent-prod', 'prod');
    await settle();
    expect(h.calls).toEqual(['list gitlab-agent-prod', 'history gitlab-agent-prod/prod']);
    expect(await p.list).toHaveLength(1);
    await p.history('gitlab-agent-prod', 'prod');
    expect(h.calls).toHaveLength(2);
  });

  it('a deployed release: no history early; another release asked: read then', async () => {
    const h = helm([release('prod', 'deployed')]);
    const p = prefetchHelm(h, target, undefined, 'prod');
    await settle();
    expect(h.calls).toEqual(['list -A']);
    await p.history('gitlab-agent-prod', 'prod');
    expect(h.calls).toEqual(['list -A', 'history gitlab-agent-prod/prod']);
  });

  it('helm failing (a context that does not exist): the list rejects as the real call would, nothing unhandled', async () => {
    const p = prefetchHelm(helm(new Error('Kubernetes cluster unreachable')), target, undefined, 'prod');
    await expect(p.list).rejects.toThrow('Kubernetes cluster unreachable');
  });
});
