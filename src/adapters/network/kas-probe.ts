import { lookup } from 'node:dns/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsProbeEvidence } from '../../core/diagnosis/evidence.js';
import type { KasProbeResult, KasProbeTarget, NetworkPort } from '../../core/ports/network.js';

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
    const timer = setTimeout(() => done(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), timeoutMs);
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
  for (let c: DetailedPeerCertificate | undefined = leaf; c && Object.keys(c).length > 0 && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push({ subject: name(c.subject as never), issuer: name(c.issuer as never), notBefore: new Date(c.valid_from).toISOString(), notAfter: new Date(c.valid_to).toISOString() });
  }
  return out;
}

/** One handshake against Node's CA store (plus NODE_EXTRA_CA_CERTS), offering h2 and http/1.1; nothing is sent after it. */
async function tlsProbe(address: string, t: KasProbeTarget, timeoutMs: number, signal: AbortSignal): Promise<TlsProbeEvidence> {
  let socket: TLSSocket;
  try {
    // Not rejecting lets us read the chain of an untrusted certificate; the verdict is Node's own.
    socket = await open(() => tlsConnect({ host: address, port: t.port, servername: t.serverName, ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }), 'secureConnect', timeoutMs, signal);
  } catch (err) {
    const f = failure(err);
    return { ok: false, code: f.code, message: f.message, chain: [], sans: [] };
  }
  try {
    const leaf = socket.getPeerCertificate(true);
    const sans = (leaf.subjectaltname ?? '').split(', ').filter(Boolean);
    const identity = Object.keys(leaf).length > 0 ? checkServerIdentity(t.serverName, leaf) : undefined;
    const authError = socket.authorized ? undefined : socket.authorizationError;
    const code = authError ? String((authError as NodeJS.ErrnoException).code ?? authError) : identity ? ((identity as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID') : undefined;
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

async function probeKas(t: KasProbeTarget, timeoutMs: number, signal: AbortSignal): Promise<KasProbeResult> {
  let addresses: string[];
  try {
    addresses = (await lookup(t.host, { all: true })).map((a) => a.address);
  } catch (err) {
    return { dns: failure(err) };
  }
  const dns = { ok: true as const, addresses };
  let connected: string | undefined;
  let last: Failure | undefined;
  for (const address of addresses.slice(0, 2)) {
    try {
      const socket = await open(() => tcpConnect({ host: address, port: t.port }), 'connect', timeoutMs, signal);
      socket.destroy();
      connected = address;
      break;
    } catch (err) {
      last = failure(err);
    }
  }
  if (!connected) return { dns, tcp: last ?? { ok: false, code: 'ERROR', message: 'no address' } };
  const tcp = { ok: true as const, address: `${connected}:${t.port}` };
  if (!t.tls) return { dns, tcp };
  return { dns, tcp, tls: { systemCa: await tlsProbe(connected, t, timeoutMs, signal) } };
}

export function createNetworkPort(): NetworkPort {
  return { probeKas };
}
