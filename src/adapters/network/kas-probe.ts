import { lookup } from 'node:dns/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, rootCertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsProbeEvidence, UpgradeAnswer } from '../../core/diagnosis/evidence.js';
import type { KasProbeResult, KasProbeTarget, NetworkPort } from '../../core/ports/network.js';
import { maskUrlCredentials } from '../../core/plan/url-credentials.js';
import { openTunnel, parseHttpProxy, type HttpProxy } from './proxy-tunnel.js';
import { requestUpgrade } from './websocket-request.js';

type Failure = { ok: false; code: string; message: string };

function failure(err: unknown): Failure {
  const e = err as NodeJS.ErrnoException;
  return { ok: false, code: e.code ?? 'ERROR', message: e.message ?? String(err) };
}

/** Opens a socket and settles once `ready` fires, or fails at the deadline, the abort, or the first error. */
function open<S extends Socket>(make: () => S, ready: string, timeoutMs: number, signal: AbortSignal): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const socket = make();
    const done = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onAbort = () => done(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    const timer = setTimeout(
      () => done(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(ready, () => done());
    socket.once('error', (err) => done(err));
  });
}

function name(entity: Record<string, string | string[] | undefined> | undefined): string {
  if (!entity) return '';
  const cn = entity['CN'];
  const o = entity['O'];
  return [cn ? `CN=${[cn].flat().join('+')}` : '', o ? `O=${[o].flat().join('+')}` : ''].filter(Boolean).join(', ');
}

/** The chain the server sent, leaf first (a self-signed root points at itself). */
function chainOf(leaf: DetailedPeerCertificate): TlsProbeEvidence['chain'] {
  const out: TlsProbeEvidence['chain'] = [];
  const seen = new Set<string>();
  for (
    let c: DetailedPeerCertificate | undefined = leaf;
    c && Object.keys(c).length > 0 && !seen.has(c.fingerprint256);
    c = c.issuerCertificate
  ) {
    seen.add(c.fingerprint256);
    out.push({
      subject: name(c.subject as never),
      issuer: name(c.issuer as never),
      notBefore: new Date(c.valid_from).toISOString(),
      notAfter: new Date(c.valid_to).toISOString(),
    });
  }
  return out;
}

/** How a probe reaches KAS: a fresh TCP connection, direct or through the Deployment's proxy. */
type Route = (signal: AbortSignal) => Promise<Socket>;

/** A TLS session over a fresh connection of the route; `ca` replaces Node's store when given. */
async function tlsOver(
  route: Route,
  t: KasProbeTarget,
  alpn: string[],
  timeoutMs: number,
  signal: AbortSignal,
  ca?: string[],
): Promise<TLSSocket> {
  const raw = await route(signal);
  // Not rejecting lets us read the chain of an untrusted certificate; the verdict is Node's own.
  return open(
    () => tlsConnect({ socket: raw, servername: t.serverName, ALPNProtocols: alpn, rejectUnauthorized: false, ...(ca ? { ca } : {}) }),
    'secureConnect',
    timeoutMs,
    signal,
  );
}

/** One handshake offering h2 and http/1.1, against Node's CA store (plus NODE_EXTRA_CA_CERTS) or `ca`; nothing is sent after it. */
async function tlsProbe(route: Route, t: KasProbeTarget, timeoutMs: number, signal: AbortSignal, ca?: string[]): Promise<TlsProbeEvidence> {
  let socket: TLSSocket;
  try {
    socket = await tlsOver(route, t, ['h2', 'http/1.1'], timeoutMs, signal, ca);
  } catch (err) {
    const f = failure(err);
    return { ok: false, code: f.code, message: f.message, chain: [], sans: [] };
  }
  try {
    const leaf = socket.getPeerCertificate(true);
    const sans = (leaf.subjectaltname ?? '').split(', ').filter(Boolean);
    const identity = Object.keys(leaf).length > 0 ? checkServerIdentity(t.serverName, leaf) : undefined;
    const authError = socket.authorized ? undefined : socket.authorizationError;
    const code = authError
      ? String((authError as NodeJS.ErrnoException).code ?? authError)
      : identity
        ? ((identity as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID')
        : undefined;
    const message = authError ? String((authError as Error).message ?? authError) : identity?.message;
    return {
      ok: code === undefined,
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      chain: Object.keys(leaf).length > 0 ? chainOf(leaf) : [],
      sans,
      alpn: socket.alpnProtocol ?? false,
    };
  } finally {
    socket.destroy();
  }
}

/**
 * The GET with Upgrade: websocket, over TLS (HTTP/1.1 only, as a WebSocket dial offers) for wss://. To a
 * forwarding proxy (ws:// through HTTP_PROXY) it goes as Go's net/http sends a plain-http request through a
 * proxy: on a connection to the proxy, the absolute URL as its target, Proxy-Authorization from the proxy URL.
 */
async function upgradeProbe(
  route: Route,
  t: KasProbeTarget,
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
  forward?: HttpProxy,
): Promise<UpgradeAnswer> {
  let socket: Socket;
  try {
    socket = t.tls ? await tlsOver(route, t, ['http/1.1'], timeoutMs, signal) : await route(signal);
  } catch (err) {
    const f = failure(err);
    return { error: `${f.code}: ${f.message}` };
  }
  const defaultPort = t.tls ? 443 : 80;
  // Host is the address's host, as agentk's HTTP client sends it; --kas-tls-server-name changes only the TLS SNI.
  const host = `${t.host.includes(':') ? `[${t.host}]` : t.host}${t.port === defaultPort ? '' : `:${t.port}`}`;
  return requestUpgrade(
    socket,
    {
      target: forward ? `http://${host}${path}` : path,
      host,
      ...(t.headers?.length ? { headers: t.headers } : {}),
      ...(forward?.credentials ? { proxyCredentials: forward.credentials } : {}),
    },
    timeoutMs,
    signal,
  );
}

/** The Deployment's proxy as a route, if it answers from here; else why not. */
async function proxyRoute(
  value: string,
  t: KasProbeTarget,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ route: Route; via: string; forward?: HttpProxy } | { note: string }> {
  const shown = maskUrlCredentials(value);
  const proxy = parseHttpProxy(value);
  if (!proxy) {
    const how = t.proxyMode === 'forward' ? 'send requests through' : 'tunnel through';
    return { note: `the Deployment's proxy ${shown} is not an http:// proxy this machine can ${how}: KAS was probed directly` };
  }
  if (t.proxyMode === 'forward' && !t.tls) {
    // No tunnel: the proxy itself connects to KAS when the upgrade GET arrives; here only the proxy must answer.
    const route: Route = (s) => open(() => tcpConnect({ host: proxy.host, port: proxy.port }), 'connect', timeoutMs, s);
    try {
      (await route(signal)).destroy();
      return { route, via: shown, forward: proxy };
    } catch (err) {
      const f = failure(err);
      return {
        note: `the Deployment's proxy ${shown} does not answer from this machine (${f.code}: ${f.message}): KAS was probed directly`,
      };
    }
  }
  const route: Route = (s) => openTunnel(proxy, t.host, t.port, timeoutMs, s);
  try {
    (await route(signal)).destroy();
    return { route, via: shown };
  } catch (err) {
    const f = failure(err);
    return {
      note: `the Deployment's proxy ${shown} did not tunnel to KAS from this machine (${f.code}: ${f.message}): KAS was probed directly`,
    };
  }
}

async function probeKas(t: KasProbeTarget, timeoutMs: number, signal: AbortSignal): Promise<KasProbeResult> {
  const proxied = t.proxy ? proxyRoute(t.proxy, t, timeoutMs, signal) : Promise.resolve(undefined);
  let addresses: string[] | undefined;
  let dnsFailure: Failure | undefined;
  try {
    addresses = (await lookup(t.host, { all: true })).map((a) => a.address);
  } catch (err) {
    dnsFailure = failure(err);
  }
  let connected: string | undefined;
  let last: Failure | undefined;
  for (const address of (addresses ?? []).slice(0, 2)) {
    try {
      const socket = await open(() => tcpConnect({ host: address, port: t.port }), 'connect', timeoutMs, signal);
      socket.destroy();
      connected = address;
      break;
    } catch (err) {
      last = failure(err);
    }
  }
  const p = await proxied;
  const viaProxy = p && 'via' in p ? { viaProxy: p.via } : {};
  const proxyNote = p && 'note' in p ? { proxyNote: p.note } : {};
  const tunnel = p && 'route' in p ? p : undefined;
  // Where direct DNS or egress is blocked, agentk reaches KAS through its proxy, which resolves and connects:
  // a proxy that works (a tunnel, or for ws:// one that answers) is the path that counts, and TLS and the
  // upgrade are probed through it.
  if (!tunnel && dnsFailure) return { dns: dnsFailure, ...proxyNote };
  if (!tunnel && !connected)
    return {
      dns: { ok: true, addresses: addresses ?? [] },
      tcp: last ?? { ok: false, code: 'ERROR', message: 'no address' },
      ...proxyNote,
    };
  const dns = addresses ? { ok: true as const, addresses } : { ok: true as const, addresses: [`resolved by the proxy ${tunnel!.via}`] };
  const tcp = connected
    ? { ok: true as const, address: `${connected}:${t.port}` }
    : { ok: true as const, address: `${t.host}:${t.port} through the proxy ${tunnel!.via}` };
  const direct: Route = (s) => open(() => tcpConnect({ host: connected!, port: t.port }), 'connect', timeoutMs, s);
  const route = tunnel ? tunnel.route : direct;
  const judge = t.tls && t.judgeTls !== false;
  // The handshakes and the upgrade are independent connections: run them side by side.
  const [systemCa, configuredCa, upgrade] = await Promise.all([
    judge ? tlsProbe(route, t, timeoutMs, signal) : undefined,
    // agentk adds its CA to the system pool, so the second handshake trusts both.
    judge && t.configuredCa ? tlsProbe(route, t, timeoutMs, signal, [...rootCertificates, t.configuredCa]) : undefined,
    t.upgradePath !== undefined ? upgradeProbe(route, t, t.upgradePath, timeoutMs, signal, tunnel?.forward) : undefined,
  ]);
  return {
    dns,
    tcp,
    ...(systemCa ? { tls: { systemCa, ...(configuredCa ? { configuredCa } : {}) } } : {}),
    ...(upgrade ? { upgrade } : {}),
    ...viaProxy,
    ...proxyNote,
  };
}

export function createNetworkPort(): NetworkPort {
  return { probeKas };
}
