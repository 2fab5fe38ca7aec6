import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkPort } from '../../src/adapters/network/kas-probe.js';

/** The doctor's probes from this machine against local servers: DNS, refused TCP, and TLS with a private CA. */

function makeCertificates(dir: string): { cert: string; key: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Doctor Test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext`], { cwd: dir });
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { cert: read('server.pem'), key: read('server.key') };
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

const signal = new AbortController().signal;
const port = createNetworkPort();

describe('KAS probes from this machine', () => {
  it('a name that does not resolve: the DNS failure, nothing else tried', async () => {
    const r = await port.probeKas({ host: 'kas.doctor-test.invalid', port: 443, tls: true, serverName: 'kas.doctor-test.invalid' }, 3000, signal);
    expect(r.dns).toMatchObject({ ok: false, code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    expect(r.tcp).toBeUndefined();
  });

  it('a closed port: ECONNREFUSED', async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await port.probeKas({ host: '127.0.0.1', port: closed, tls: false, serverName: '127.0.0.1' }, 3000, signal);
    expect(r.dns).toEqual({ ok: true, addresses: ['127.0.0.1'] });
    expect(r.tcp).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
  });

  describe.skipIf(!hasOpenssl)('TLS (needs the openssl CLI)', () => {
    let dir: string;
    let server: Server;
    let tlsPort: number;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'doctor-tls-'));
      const { cert, key } = makeCertificates(dir);
      server = createTlsServer({ cert, key, ALPNProtocols: ['http/1.1'] }, (s) => s.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      tlsPort = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('a private CA: not trusted, with the chain, SANs and ALPN as the server sent them', async () => {
      const r = await port.probeKas({ host: '127.0.0.1', port: tlsPort, tls: true, serverName: 'localhost' }, 3000, signal);
      expect(r.tcp).toEqual({ ok: true, address: `127.0.0.1:${tlsPort}` });
      const tls = r.tls!.systemCa;
      expect(tls.ok).toBe(false);
      expect(tls.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
      expect(tls.chain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=Doctor Test CA' });
      expect(tls.sans).toEqual(['IP Address:127.0.0.1', 'DNS:localhost']);
      expect(tls.alpn).toBe('http/1.1');
    });
  });
});
