import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubePort } from '../../src/adapters/kube/index.js';
import { TempDir } from '../fake-kube/kubeconfig.js';
import { startFakeKube, type FakeKube } from '../fake-kube/server.js';
import { hasOpenssl, makeCa, readPem, signServerCert } from '../support/test-pki.js';

/**
 * client-node on its own opens a new TLS connection for every API request; the adapter keeps them alive
 * (reuse-connections.ts), as kubectl does. Counted on the server: every accepted TLS connection is a handshake.
 */
describe.skipIf(!hasOpenssl)('Kubernetes API connections over TLS', () => {
  let pki: string;
  let api: FakeKube;
  let dir: TempDir;
  let kubeconfig: string;

  beforeAll(async () => {
    pki = mkdtempSync(join(tmpdir(), 'kube-connections-'));
    makeCa(pki, 'ca', '/CN=test kube CA');
    api = await startFakeKube({ token: 't', tls: signServerCert(pki, 'ca', 'server', { subject: '/CN=127.0.0.1', san: 'IP:127.0.0.1' }) });
    dir = await TempDir.create();
    kubeconfig = await dir.kubeconfig('config', {
      contexts: [{ name: 'ctx', server: api.url, token: 't', caPem: readPem(pki, 'ca.pem') }],
    });
  });

  afterAll(async () => {
    await api.close();
    await dir.remove();
    rmSync(pki, { recursive: true, force: true });
  });

  // A connection returns to the pool once its answer has been read to the end; a caller that already has what it
  // needs (a 404 is enough) may start the next request a moment earlier, on a second connection. Without reuse,
  // every request is a connection of its own (7 and 6 here).
  it('requests one after another share keep-alive connections', async () => {
    const cluster = await createKubePort().cluster({ kubeconfig }, 'ctx');
    const before = api.tlsConnections;
    await cluster.serverVersion();
    for (let i = 0; i < 5; i++) await cluster.namespaceExists(`ns-${i}`);
    await cluster.listTokenSecrets('default');
    expect(api.tlsConnections - before).toBeLessThanOrEqual(2);
  });

  it('requests side by side open no more connections than run at once, and reuse them after', async () => {
    const cluster = await createKubePort().cluster({ kubeconfig }, 'ctx');
    const before = api.tlsConnections;
    await Promise.all([1, 2, 3].map((i) => cluster.namespaceExists(`a-${i}`)));
    await Promise.all([1, 2, 3].map((i) => cluster.namespaceExists(`b-${i}`)));
    expect(api.tlsConnections - before).toBeLessThanOrEqual(4);
  });
});
