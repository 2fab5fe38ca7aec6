import { connect as tcpConnect, type Socket } from 'node:net';
import { headEnd, parseHttpHead } from './http-head.js';

/** An http:// proxy as agentk's Go runtime uses it, with Basic credentials from the URL: CONNECT for TLS and gRPC, absolute-form requests for plain http (ws://). */
export interface HttpProxy {
  host: string;
  port: number;
  /** "user:password" decoded, sent only to the proxy, never shown. */
  credentials?: string;
}

/** http://[user:pass@]host[:port] → the proxy; undefined for schemes this probe does not speak (https://, socks5://). */
export function parseHttpProxy(value: string): HttpProxy | undefined {
  let u: URL;
  try {
    u = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' || !u.hostname) return undefined;
  const credentials = u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 80, ...(credentials ? { credentials } : {}) };
}

/**
 * A TCP connection to `host:port` through the proxy (HTTP CONNECT). Rejects with the proxy's status line when
 * it refuses the tunnel (407, 403…), or with the socket error when it cannot be reached.
 */
export function openTunnel(proxy: HttpProxy, host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = tcpConnect({ host: proxy.host, port: proxy.port });
    let buffer = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onAbort = () => done(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    const timer = setTimeout(
      () => done(Object.assign(new Error(`the proxy did not answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => done(err));
    socket.once('connect', () => {
      const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const auth = proxy.credentials ? `Proxy-Authorization: Basic ${Buffer.from(proxy.credentials).toString('base64')}\r\n` : '';
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const end = headEnd(buffer);
      if (end < 0) return;
      const head = parseHttpHead(buffer.slice(0, end));
      if (head && head.status >= 200 && head.status < 300) return done();
      done(Object.assign(new Error(`the proxy refused the tunnel: ${head?.statusLine ?? buffer.slice(0, 60)}`), { code: 'EPROXY' }));
    });
    socket.once('end', () => done(Object.assign(new Error('the proxy closed the connection'), { code: 'EPROXY' })));
  });
}
