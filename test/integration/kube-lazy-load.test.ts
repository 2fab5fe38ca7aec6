import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TempDir } from '../fake-kube/kubeconfig.js';
import { FakeKube, startFakeKube } from '../fake-kube/server.js';

// Records when client-node is really imported (it costs ~0.8 s, so only cluster steps may pay for it).
const loaded = vi.hoisted(() => ({ count: 0 }));
vi.mock('@kubernetes/client-node', async (importOriginal) => {
  loaded.count++;
  return importOriginal();
});

let dir: TempDir;
let api: FakeKube;
beforeAll(async () => {
  dir = await TempDir.create();
  api = await startFakeKube();
});
afterAll(async () => {
  await api.close();
  await dir.remove();
});

describe('lazy loading', () => {
  it('importing the adapter and listing contexts does not load client-node; probing does', async () => {
    const { createKubePort } = await import('../../src/adapters/kube/index.js');
    const kubeconfig = await dir.kubeconfig('config', {
      contexts: [
        { name: 'b', server: api.url, namespace: 'ns-b' },
        { name: 'a', server: 'https://a.example', cluster: 'ca', user: 'ua' },
      ],
      currentContext: 'b',
    });
    const port = createKubePort();
    expect(await port.listContexts({ kubeconfig })).toEqual([
      { name: 'a', cluster: 'ca', server: 'https://a.example', user: 'ua', current: false },
      { name: 'b', cluster: 'b', server: api.url, user: 'b', namespace: 'ns-b', current: true },
    ]);
    expect(loaded.count).toBe(0);
    expect(await port.probe({ kubeconfig }, 'b', 2000)).toMatchObject({ ok: true });
    expect(loaded.count).toBe(1);
  });

  it('listContexts reads KUBECONFIG from the environment', async () => {
    const { createKubePort } = await import('../../src/adapters/kube/index.js');
    const one = await dir.kubeconfig('one', { contexts: [{ name: 'one', server: 'https://1' }] });
    const two = await dir.kubeconfig('two', { contexts: [{ name: 'two', server: 'https://2' }], currentContext: 'two' });
    vi.stubEnv('KUBECONFIG', `${one}:${dir.path}/missing:${two}`);
    try {
      const contexts = await createKubePort().listContexts({});
      expect(contexts.map((c) => `${c.name}${c.current ? '*' : ''}`)).toEqual(['one', 'two*']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
