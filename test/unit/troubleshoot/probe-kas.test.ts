import { describe, expect, it } from 'vitest';
import { probeKasFromHere } from '../../../src/core/flows/troubleshoot/probe-kas.js';
import type { KasProbeTarget, NetworkPort } from '../../../src/core/ports/network.js';
import { deployment } from '../diagnosis/builders.js';

const signal = new AbortController().signal;

function recorder(): NetworkPort & { targets: KasProbeTarget[] } {
  const targets: KasProbeTarget[] = [];
  return { targets, probeKas: async (t) => (targets.push(t), { dns: { ok: true, addresses: ['10.0.0.5'] }, tcp: { ok: true, address: '10.0.0.5:8443' } }) };
}

describe('what this machine probes', () => {
  it('the host, port and TLS of the Deployment\'s --kas-address; --kas-tls-server-name names the certificate', async () => {
    const n = recorder();
    const look = await probeKasFromHere(n, deployment({}, ['--token-file=/etc/agentk/secrets/token', '--kas-address=grpcs://kas.example.com:8443', '--kas-tls-server-name=kas.internal']), signal);
    expect(n.targets).toEqual([{ host: 'kas.example.com', port: 8443, tls: true, serverName: 'kas.internal' }]);
    expect(look).toEqual({ local: { kasAddress: 'grpcs://kas.example.com:8443', dns: { ok: true, addresses: ['10.0.0.5'] }, tcp: { ok: true, address: '10.0.0.5:8443' } } });
  });

  it('agentk with its own CA: no TLS verdict from the system CAs (it would be a false alarm), and the report says why', async () => {
    const n = recorder();
    const look = await probeKasFromHere(n, deployment({}, ['--kas-address=wss://kas.example.com/', '--kas-ca-cert-file=/etc/agentk/config/ca.crt']), signal);
    expect(n.targets[0]).toMatchObject({ tls: false });
    expect('local' in look && look.note).toMatch(/--kas-ca-cert-file/);
  });

  it('no port (the demo) or no address: skipped, with the reason', async () => {
    expect(await probeKasFromHere(undefined, deployment(), signal)).toEqual({ skipped: expect.stringContaining('not available here') });
    expect(await probeKasFromHere(recorder(), null, signal)).toEqual({ skipped: expect.stringContaining('no KAS address') });
  });
});
