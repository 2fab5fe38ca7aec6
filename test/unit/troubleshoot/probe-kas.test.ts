import { describe, expect, it } from 'vitest';
import { probeKasFromHere } from '../../../src/core/flows/troubleshoot/probe-kas.js';
import type { KasProbeTarget, NetworkPort } from '../../../src/core/ports/network.js';
import { deployment } from '../diagnosis/builders.js';

const signal = new AbortController().signal;
const CA = '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n';

function recorder(extra: object = {}): NetworkPort & { targets: KasProbeTarget[] } {
  const targets: KasProbeTarget[] = [];
  return {
    targets,
    probeKas: async (t) => (
      targets.push(t),
      { dns: { ok: true, addresses: ['10.0.0.5'] }, tcp: { ok: true, address: '10.0.0.5:8443' }, ...extra }
    ),
  };
}

const withEnv = (args: string[], env: { name: string; value?: string; valueFrom?: string }[]) => {
  const d = deployment({}, args);
  d.containers[0]!.env = env;
  return d;
};

describe('what this machine probes', () => {
  it("the host, port and TLS of the Deployment's --kas-address; --kas-tls-server-name names the certificate; gRPC sends no upgrade", async () => {
    const n = recorder();
    const look = await probeKasFromHere(
      n,
      deployment({}, [
        '--token-file=/etc/agentk/secrets/token',
        '--kas-address=grpcs://kas.example.com:8443',
        '--kas-tls-server-name=kas.internal',
      ]),
      undefined,
      signal,
    );
    expect(n.targets).toEqual([{ host: 'kas.example.com', port: 8443, tls: true, serverName: 'kas.internal', judgeTls: true }]);
    expect(look).toEqual({
      local: {
        kasAddress: 'grpcs://kas.example.com:8443',
        dns: { ok: true, addresses: ['10.0.0.5'] },
        tcp: { ok: true, address: '10.0.0.5:8443' },
      },
      notes: [],
    });
  });

  it('wss://: the WebSocket upgrade goes to the address path', async () => {
    const n = recorder();
    await probeKasFromHere(n, deployment({}, ['--kas-address=wss://gitlab.example.com/-/kubernetes-agent/']), undefined, signal);
    expect(n.targets[0]).toMatchObject({ tls: true, upgradePath: '/-/kubernetes-agent/' });
    await probeKasFromHere(n, deployment({}, ['--kas-address=ws://gitlab.example.com']), undefined, signal);
    expect(n.targets[1]).toMatchObject({ tls: false, port: 80, upgradePath: '/' });
  });

  it('agentk with its own CA, read from its ConfigMap: the handshake is judged with that CA too', async () => {
    const n = recorder();
    const args = ['--kas-address=wss://kas.example.com/', '--kas-ca-cert-file=/etc/agentk/config/ca.crt'];
    const look = await probeKasFromHere(
      n,
      deployment({}, args),
      { source: 'ConfigMap gitlab-agent/gitlab-agent (key ca.crt)', pem: CA },
      signal,
    );
    expect(n.targets[0]).toMatchObject({ tls: true, judgeTls: true, configuredCa: CA });
    expect('local' in look && look.notes).toEqual([]);
  });

  it('agentk with its own CA that could not be read: no TLS verdict (a system-CA one would be a false alarm), and the report says why', async () => {
    const n = recorder();
    const args = ['--kas-address=wss://kas.example.com/', '--kas-ca-cert-file=/etc/agentk/config/ca.crt'];
    const look = await probeKasFromHere(
      n,
      deployment({}, args),
      { source: 'ConfigMap gitlab-agent/gitlab-agent', notRead: 'configmaps "gitlab-agent" is forbidden' },
      signal,
    );
    expect(n.targets[0]).toMatchObject({ tls: true, judgeTls: false });
    expect(n.targets[0]!.configuredCa).toBeUndefined();
    expect('local' in look && look.notes.join('\n')).toMatch(
      /--kas-ca-cert-file|\/etc\/agentk\/config\/ca\.crt.*could not be read: configmaps "gitlab-agent" is forbidden/,
    );
  });

  it("the Deployment's HTTPS_PROXY is used for wss:// unless NO_PROXY covers the host; a proxy from a Secret is named, not read", async () => {
    const n = recorder({ viaProxy: 'http://alice:s3cret@proxy.corp:3128' });
    const args = ['--kas-address=wss://kas.example.com/'];
    const look = await probeKasFromHere(
      n,
      withEnv(args, [{ name: 'HTTPS_PROXY', value: 'http://alice:s3cret@proxy.corp:3128' }]),
      undefined,
      signal,
    );
    expect(n.targets[0]!.proxy).toBe('http://alice:s3cret@proxy.corp:3128');
    expect('local' in look && look.local.viaProxy).toBe('http://***@proxy.corp:3128');
    await probeKasFromHere(
      n,
      withEnv(args, [
        { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
        { name: 'NO_PROXY', value: '.example.com' },
      ]),
      undefined,
      signal,
    );
    expect(n.targets[1]!.proxy).toBeUndefined();
    await probeKasFromHere(
      n,
      withEnv(['--kas-address=ws://kas.example.com/'], [{ name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' }]),
      undefined,
      signal,
    );
    expect(n.targets[2]!.proxy, 'ws:// uses HTTP_PROXY, not HTTPS_PROXY').toBeUndefined();
    const fromSecret = await probeKasFromHere(
      n,
      withEnv(args, [{ name: 'HTTPS_PROXY', valueFrom: 'secretKeyRef proxy/url' }]),
      undefined,
      signal,
    );
    expect(n.targets[3]!.proxy).toBeUndefined();
    expect('local' in fromSecret && fromSecret.notes).toEqual([expect.stringContaining('secretKeyRef proxy/url')]);
  });

  it("which proxy and how, as agentk's Go clients decide: ws:// HTTP_PROXY forwarded (no CONNECT), wss:// HTTPS_PROXY tunnelled, grpc(s):// HTTPS_PROXY tunnelled (grpc-go)", async () => {
    const n = recorder();
    const env = [
      { name: 'HTTP_PROXY', value: 'http://plain.corp:3128' },
      { name: 'HTTPS_PROXY', value: 'http://tls.corp:3128' },
    ];
    const probe = (address: string) => probeKasFromHere(n, withEnv([`--kas-address=${address}`], env), undefined, signal);
    await probe('ws://kas.example.com/-/kubernetes-agent/');
    await probe('wss://kas.example.com/-/kubernetes-agent/');
    await probe('grpc://kas.example.com:8150');
    await probe('grpcs://kas.example.com');
    expect(n.targets.map((t) => [t.proxy, t.proxyMode])).toEqual([
      ['http://plain.corp:3128', 'forward'],
      ['http://tls.corp:3128', 'tunnel'],
      ['http://tls.corp:3128', 'tunnel'],
      ['http://tls.corp:3128', 'tunnel'],
    ]);
    // grpc-go does not read HTTP_PROXY: with only that, grpc:// goes direct.
    await probeKasFromHere(n, withEnv(['--kas-address=grpc://kas.example.com:8150'], [env[0]!]), undefined, signal);
    expect(n.targets[4]!.proxy).toBeUndefined();
  });

  it("the Deployment's --kas-header values go on the upgrade; the report names them, values masked; one Go cannot send is noted", async () => {
    const n = recorder({ upgrade: { status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', acceptValid: true } });
    const look = await probeKasFromHere(
      n,
      deployment({}, [
        '--kas-address=wss://kas.example.com/-/kubernetes-agent/',
        '--kas-header',
        'Authorization: Bearer waf-s3cret',
        '--kas-header=Cookie: gitlab_canary=true',
        '--kas-header=no colon here',
      ]),
      undefined,
      signal,
    );
    expect(n.targets[0]!.headers).toEqual([
      { name: 'Authorization', value: 'Bearer waf-s3cret' },
      { name: 'Cookie', value: 'gitlab_canary=true' },
    ]);
    if (!('local' in look)) throw new Error('not probed');
    expect(look.local.upgradeHeaders).toEqual(['Authorization: ********', 'Cookie: ********']);
    expect(look.notes).toEqual([expect.stringContaining('is not "Name: value"')]);
    expect(JSON.stringify(look)).not.toMatch(/waf-s3cret|gitlab_canary|no colon/);
    // gRPC has no upgrade request: nothing to send them on.
    await probeKasFromHere(n, deployment({}, ['--kas-address=grpcs://kas.example.com', '--kas-header=X-A: b']), undefined, signal);
    expect(n.targets[1]!.headers).toBeUndefined();
  });

  it("the adapter's note about an unusable proxy reaches the report", async () => {
    const n = recorder({
      proxyNote:
        "the Deployment's proxy http://proxy.corp:3128 did not tunnel to KAS from this machine (ENOTFOUND: …): KAS was probed directly",
    });
    const look = await probeKasFromHere(
      n,
      withEnv(['--kas-address=wss://kas.example.com/'], [{ name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' }]),
      undefined,
      signal,
    );
    expect('local' in look && look.notes).toEqual([expect.stringContaining('probed directly')]);
    expect('local' in look && 'proxyNote' in look.local).toBe(false);
  });

  it('no port (the demo) or no address: skipped, with the reason', async () => {
    expect(await probeKasFromHere(undefined, deployment(), undefined, signal)).toEqual({
      skipped: expect.stringContaining('not available here'),
    });
    expect(await probeKasFromHere(recorder(), null, undefined, signal)).toEqual({ skipped: expect.stringContaining('no KAS address') });
  });
});
