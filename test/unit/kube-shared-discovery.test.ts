import type { KubernetesObjectApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { sharedDiscovery, warmLookup } from '../../src/adapters/kube/shared-discovery.js';

/** A stand-in with client-node's caching: the cache is filled only when a lookup's answer arrives. */
function stub(fail = false, hangFirst = false) {
  const fetched: string[] = [];
  const cache = new Set<string>();
  const api = {
    fetched,
    async resource(apiVersion: string, kind: string) {
      if (cache.has(apiVersion)) return { kind };
      fetched.push(apiVersion);
      // A lookup that never answers (no signal reaches it), as a warm-up against a stalled server would.
      if (hangFirst && fetched.length === 1) return new Promise(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('503');
      cache.add(apiVersion);
      return { kind };
    },
  };
  return api;
}
type Lookup = { resource(apiVersion: string, kind: string): Promise<unknown> };

describe('resource lookups shared by concurrent reads', () => {
  it('reads started together fetch GET /api/v1 once; another apiVersion separately', async () => {
    const s = stub();
    const objects = sharedDiscovery(s as unknown as KubernetesObjectApi, 1000) as unknown as Lookup;
    await Promise.all([
      objects.resource('v1', 'Pod'),
      objects.resource('v1', 'Event'),
      objects.resource('v1', 'Service'),
      objects.resource('apps/v1', 'Deployment'),
    ]);
    expect(s.fetched).toEqual(['v1', 'apps/v1']);
  });

  it('a warmed lookup is what the first read waits for; a failed one is tried again by the next read', async () => {
    const s = stub();
    const objects = sharedDiscovery(s as unknown as KubernetesObjectApi, 1000);
    warmLookup(objects, 'apps/v1', 'Deployment');
    await (objects as unknown as Lookup).resource('apps/v1', 'Deployment');
    expect(s.fetched).toEqual(['apps/v1']);
    const broken = stub(true);
    const b = sharedDiscovery(broken as unknown as KubernetesObjectApi, 1000) as unknown as Lookup;
    await expect(b.resource('v1', 'Pod')).rejects.toThrow('503');
    await expect(b.resource('v1', 'Pod')).rejects.toThrow('503');
    expect(broken.fetched).toEqual(['v1', 'v1']);
  });

  it('a lookup that has not answered within the deadline is not waited for by later reads', async () => {
    const s = stub(false, true);
    const objects = sharedDiscovery(s as unknown as KubernetesObjectApi, 50);
    warmLookup(objects, 'apps/v1', 'Deployment');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect((objects as unknown as Lookup).resource('apps/v1', 'Deployment')).resolves.toEqual({ kind: 'Deployment' });
    expect(s.fetched).toEqual(['apps/v1', 'apps/v1']);
  });
});
