import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createConnection, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkPort } from '../../src/adapters/network/kas-probe.js';
import { acceptFor } from '../../src/adapters/network/websocket-request.js';
import { parseKasUrl } from '../../src/core/diagnosis/kas-address.js';
import { classifyUpgrade } from '../../src/core/diagnosis/websocket-upgrade.js';
import { probeKasFromHere } from '../../src/core/flows/troubleshoot/probe-kas.js';
import { hasOpenssl, makeCa, readPem, signServerCert } from '../support/test-pki.js';
import { deployment } from '../unit/diagnosis/builders.js';

/** The doctor's probes from this machine against local servers: DNS, refused TCP, and TLS with a private CA. */

function makeCertificates(dir: string): { cert: string; key: string; ca: string; otherCa: string } {
  makeCa(dir, 'ca', '/CN=Doctor Test CA');
  makeCa(dir, 'other', '/CN=Some Other CA');
  const server = signServerCert(dir, 'ca', 'server', { subject: '/CN=localhost', san: 'IP:127.0.0.1,DNS:localhost' });
  return { ...server, ca: readPem(dir, 'ca.pem'), otherCa: readPem(dir, 'other.pem') };
}

const signal = new AbortController().signal;
const port = createNetworkPort();

describe('KAS probes from this machine', () => {
  it('a name that does not resolve: the DNS failure, nothing else tried', async () => {
    const r = await port.probeKas(
      { host: 'kas.doctor-test.invalid', port: 443, tls: true, serverName: 'kas.doctor-test.invalid' },
      3000,
      signal,
    );
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
    let certs: ReturnType<typeof makeCertificates>;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'doctor-tls-'));
      certs = makeCertificates(dir);
      const { cert, key } = certs;
      server = createTlsServer({ cert, key, ALPNProtocols: ['http/1.1'] }, (s) => s.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      tlsPort = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it("agentk's own CA trusts what the system CAs do not; a different CA does not", async () => {
      const t = { host: '127.0.0.1', port: tlsPort, tls: true, serverName: 'localhost' };
      const good = await port.probeKas({ ...t, configuredCa: certs.ca }, 3000, signal);
      expect(good.tls!.systemCa.ok).toBe(false);
      expect(good.tls!.configuredCa).toMatchObject({ ok: true });
      expect(good.tls!.configuredCa!.chain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=Doctor Test CA' });
      const bad = await port.probeKas({ ...t, configuredCa: certs.otherCa }, 3000, signal);
      expect(bad.tls!.configuredCa).toMatchObject({
        ok: false,
        code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/),
      });
      const notJudged = await port.probeKas({ ...t, judgeTls: false }, 3000, signal);
      expect(notJudged.tls).toBeUndefined();
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

/** A KAS stand-in: answers the upgrade at /-/kubernetes-agent/ as a WebSocket server does; other paths as a front end might. */
function kasLike(): HttpServer {
  const server = createHttpServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket) => {
    if (req.url === '/drop/') return socket.destroy();
    // An SSO gateway answers the upgrade with its login page.
    if (req.url === '/sso/') {
      const page = '<html><head><title>Sign in · Corp SSO</title></head><body>…</body></html>';
      return socket.end(
        `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: corp-gateway\r\nContent-Length: ${Buffer.byteLength(page)}\r\n\r\n${page}`,
      );
    }
    if (req.url === '/426/') return socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n');
    if (req.url === '/bad-accept/')
      return socket.end(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n',
      );
    if (req.url !== '/-/kubernetes-agent/') return socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    seen.push({ authorization: req.headers['authorization'], version: req.headers['sec-websocket-version'] });
    hosts.push(String(req.headers['host']));
    const accept = acceptFor(String(req.headers['sec-websocket-key']));
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.end();
  });
  return server;
}
const seen: { authorization?: string; version?: string | string[] }[] = [];
/** The Host header of each upgrade request. */
const hosts: string[] = [];

/** A name only the proxy resolves (as a corporate proxy resolves what the machine's DNS does not). */
const PROXY_ONLY_HOST = 'kas.proxy-only.invalid';

/** An HTTP CONNECT proxy that records what it tunnelled to, and the credentials it was given. */
function connectProxy(log: string[]): HttpServer {
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: IncomingMessage, client, head) => {
    log.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
    const [host, p] = String(req.url).split(':');
    const upstream = createConnection({ host: host === PROXY_ONLY_HOST ? '127.0.0.1' : host!, port: Number(p) }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return proxy;
}

const listen = async (s: HttpServer) => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
};

describe('the WebSocket upgrade probe (ws://, over a real socket)', () => {
  let kas: HttpServer;
  let proxy: HttpServer;
  let kasPort: number;
  let proxyPort: number;
  const tunnelled: string[] = [];
  beforeAll(async () => {
    kas = kasLike();
    proxy = connectProxy(tunnelled);
    kasPort = await listen(kas);
    proxyPort = await listen(proxy);
  });
  afterAll(async () => {
    kas.closeAllConnections();
    proxy.closeAllConnections();
    await Promise.all([kas, proxy].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });
  const probe = (path: string, proxyUrl?: string) =>
    port.probeKas(
      {
        host: '127.0.0.1',
        port: kasPort,
        tls: false,
        serverName: '127.0.0.1',
        upgradePath: path,
        ...(proxyUrl ? { proxy: proxyUrl } : {}),
      },
      3000,
      signal,
    );

  it('KAS answers 101 with the accept derived from our key; the request carries no Authorization', async () => {
    const r = await probe('/-/kubernetes-agent/');
    expect(r.upgrade).toEqual({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', acceptValid: true });
    expect(seen.at(-1)).toEqual({ authorization: undefined, version: '13' });
  });

  it("Host is the address's host, as agentk sends it; a TLS server name (--kas-tls-server-name) does not change it", async () => {
    const r = await port.probeKas(
      { host: '127.0.0.1', port: kasPort, tls: false, serverName: 'kas.sni.example', upgradePath: '/-/kubernetes-agent/' },
      3000,
      signal,
    );
    expect(r.upgrade).toMatchObject({ status: 101 });
    expect(hosts.at(-1)).toBe(`127.0.0.1:${kasPort}`);
  });

  it('a front end: 426 as it came, an HTML login page with its title, a dropped connection, a 101 that is not WebSocket', async () => {
    expect((await probe('/426/')).upgrade).toMatchObject({ status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required' });
    expect((await probe('/sso/')).upgrade).toMatchObject({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      server: 'corp-gateway',
      htmlTitle: 'Sign in · Corp SSO',
    });
    expect((await probe('/drop/')).upgrade).toEqual({ closed: expect.stringMatching(/closed the connection|ECONNRESET/) });
    expect((await probe('/bad-accept/')).upgrade).toMatchObject({ status: 101, acceptValid: false });
  });

  it("through the Deployment's proxy: CONNECT to KAS, its credentials sent only to the proxy, the proxy named masked", async () => {
    const r = await probe('/-/kubernetes-agent/', `http://alice:s3cret@127.0.0.1:${proxyPort}`);
    expect(r.upgrade).toMatchObject({ status: 101, acceptValid: true });
    expect(r.viaProxy).toBe(`http://***@127.0.0.1:${proxyPort}`);
    expect(tunnelled.at(-1)).toBe(`127.0.0.1:${kasPort} Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it("a KAS name this machine cannot resolve, reached through the Deployment's proxy: no DNS verdict, the upgrade probed through it", async () => {
    const r = await port.probeKas(
      {
        host: PROXY_ONLY_HOST,
        port: kasPort,
        tls: false,
        serverName: PROXY_ONLY_HOST,
        upgradePath: '/-/kubernetes-agent/',
        proxy: `http://127.0.0.1:${proxyPort}`,
      },
      3000,
      signal,
    );
    expect(r.dns).toEqual({ ok: true, addresses: [`resolved by the proxy http://127.0.0.1:${proxyPort}`] });
    expect(r.tcp).toMatchObject({ ok: true, address: expect.stringContaining('through the proxy') });
    expect(r.upgrade).toMatchObject({ status: 101, acceptValid: true });
    expect(tunnelled.at(-1)).toBe(`${PROXY_ONLY_HOST}:${kasPort}`);
  });

  it('a proxy that does not answer from here: probed directly, and said so', async () => {
    const closed = createTcpServer();
    const gone = await new Promise<number>((resolve) =>
      closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)),
    );
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await probe('/-/kubernetes-agent/', `http://127.0.0.1:${gone}`);
    expect(r.upgrade).toMatchObject({ status: 101 });
    expect(r.viaProxy).toBeUndefined();
    expect(r.proxyNote).toMatch(/did not tunnel to KAS from this machine \(ECONNREFUSED.*probed directly/);
  });
});

/**
 * A forwarding proxy as many corporate proxies are: CONNECT only to 443 (refused to port 80 with 403), plain-http
 * requests in absolute form forwarded (request line rewritten to origin form, Proxy-Authorization dropped).
 */
function forwardingProxy(log: string[]) {
  const proxy = createTcpServer((client) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const [line = '', ...headers] = buffer.slice(0, end).split('\r\n');
      const auth = headers.find((h) => /^proxy-authorization:/i.test(h));
      log.push(`${line}${auth ? ` | ${auth}` : ''}`);
      const m = /^(\S+) (\S+) HTTP\/1\.1$/.exec(line);
      if (!m || m[1] === 'CONNECT' || !m[2]!.startsWith('http://'))
        return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      const url = new URL(m[2]!);
      const upstream = createConnection({ host: url.hostname, port: Number(url.port || 80) }, () => {
        const kept = headers.filter((h) => !/^proxy-authorization:/i.test(h));
        upstream.write(`${m[1]} ${url.pathname}${url.search} HTTP/1.1\r\n${kept.join('\r\n')}\r\n\r\n${buffer.slice(end + 4)}`);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  return proxy;
}

describe("ws:// through the Deployment's HTTP_PROXY, as Go's net/http sends plain http: no CONNECT", () => {
  let kas: HttpServer;
  let proxy: ReturnType<typeof forwardingProxy>;
  let kasPort: number;
  let proxyPort: number;
  const requests: string[] = [];
  beforeAll(async () => {
    kas = kasLike();
    proxy = forwardingProxy(requests);
    kasPort = await listen(kas);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    kas.closeAllConnections();
    await Promise.all([
      new Promise<void>((resolve) => kas.close(() => resolve())),
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.unref();
      }),
    ]);
  });

  it('a proxy that refuses CONNECT to port 80: the upgrade GET goes to it in absolute form with Proxy-Authorization, KAS answers 101', async () => {
    const r = await port.probeKas(
      {
        host: '127.0.0.1',
        port: kasPort,
        tls: false,
        serverName: '127.0.0.1',
        upgradePath: '/-/kubernetes-agent/',
        proxy: `http://alice:s3cret@127.0.0.1:${proxyPort}`,
        proxyMode: 'forward',
      },
      3000,
      signal,
    );
    expect(r.upgrade).toMatchObject({ status: 101, acceptValid: true });
    expect(r.viaProxy).toBe(`http://***@127.0.0.1:${proxyPort}`);
    expect(r.proxyNote).toBeUndefined();
    expect(requests.some((l) => l.startsWith('CONNECT'))).toBe(false);
    expect(requests.at(-1)).toBe(
      `GET http://127.0.0.1:${kasPort}/-/kubernetes-agent/ HTTP/1.1 | Proxy-Authorization: Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    );
    expect(hosts.at(-1)).toBe(`127.0.0.1:${kasPort}`);
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });
});

/** A WAF in front of KAS: 101 only when the header the Deployment's --kas-header carries is present, else 403. */
describe("the Deployment's --kas-header values on the upgrade", () => {
  let waf: HttpServer;
  let wafPort: number;
  beforeAll(async () => {
    waf = createHttpServer((_req, res) => res.writeHead(404).end());
    waf.on('upgrade', (req: IncomingMessage, socket) => {
      if (req.headers['x-waf-key'] !== 'k3y-Secret' || req.headers['cookie'] !== 'gitlab_canary=true')
        return socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n');
      const accept = acceptFor(String(req.headers['sec-websocket-key']));
      socket.end(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
    wafPort = await listen(waf);
  });
  afterAll(async () => {
    waf.closeAllConnections();
    await new Promise<void>((resolve) => waf.close(() => resolve()));
  });
  const target = { host: '127.0.0.1', tls: false, serverName: '127.0.0.1', upgradePath: '/-/kubernetes-agent/' } as const;

  it('sent as agentk sends them: 101; without them the same front end answers 403', async () => {
    const headers = [
      { name: 'X-Waf-Key', value: 'k3y-Secret' },
      { name: 'Cookie', value: 'gitlab_canary=true' },
    ];
    expect((await port.probeKas({ ...target, port: wafPort, headers }, 3000, signal)).upgrade).toMatchObject({
      status: 101,
      acceptValid: true,
    });
    expect((await port.probeKas({ ...target, port: wafPort }, 3000, signal)).upgrade).toMatchObject({ status: 403 });
  });

  it("from the Deployment's args to the wire and the report: the check passes, the evidence names the headers, never their values", async () => {
    const d = deployment({}, [
      `--kas-address=ws://127.0.0.1:${wafPort}/-/kubernetes-agent/`,
      '--kas-header',
      'X-Waf-Key: k3y-Secret',
      '--kas-header=Cookie: gitlab_canary=true',
    ]);
    const look = await probeKasFromHere(port, d, undefined, signal);
    if (!('local' in look)) throw new Error('not probed');
    expect(look.local.upgrade).toMatchObject({ status: 101 });
    expect(look.local.upgradeHeaders).toEqual(['X-Waf-Key: ********', 'Cookie: ********']);
    const verdict = classifyUpgrade(parseKasUrl(look.local.kasAddress)!, look.local.upgrade!, look.local.upgradeHeaders);
    expect(verdict).toEqual({
      kind: 'passes',
      line: `GET http://127.0.0.1:${wafPort}/-/kubernetes-agent/ (Upgrade: websocket, X-Waf-Key: ********, Cookie: ********) → HTTP/1.1 101 Switching Protocols`,
    });
    expect(JSON.stringify(look)).not.toContain('k3y-Secret');
    expect(JSON.stringify(look)).not.toContain('gitlab_canary');
  });
});
