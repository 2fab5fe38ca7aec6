import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { UpgradeAnswer } from '../../core/diagnosis/evidence.js';
import type { KasHeader } from '../../core/diagnosis/kas-headers.js';
import { headEnd, htmlTitle, parseHttpHead } from './http-head.js';

/** RFC 6455 §4.2.2: the accept value a WebSocket server derives from the client's key. */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** How much of a non-101 body is read, for an HTML page's title. */
const BODY_BYTES = 4096;
/** After the head, how long to wait for the body's start. */
const BODY_WAIT_MS = 300;

/** The upgrade request's line and headers. */
export interface UpgradeRequest {
  /** The request target: the path, or (to a forwarding proxy) the absolute http:// URL. */
  target: string;
  host: string;
  /** The Deployment's --kas-header values. */
  headers?: readonly KasHeader[];
  /** To a forwarding proxy: Basic credentials from its URL ("user:password"), as Go's net/http sends them. */
  proxyCredentials?: string;
}

/** The dial sets these itself (nhooyr/coder websocket Header.Set, net/http's Host): a --kas-header cannot change them. */
const DIAL_OWNED = new Set(['host', 'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'proxy-authorization']);

/**
 * Sends the GET agentk's WebSocket dial starts with (Upgrade: websocket, a fresh Sec-WebSocket-Key, version
 * 13, the Deployment's --kas-header values — and no Authorization of ours: the token is never sent) over an
 * open socket, and reads the answer's head and the start of its body. Settles within `timeoutMs`; the socket
 * is destroyed afterwards, nothing else is sent.
 */
export function requestUpgrade(socket: Socket, request: UpgradeRequest, timeoutMs: number, signal: AbortSignal): Promise<UpgradeAnswer> {
  const key = randomBytes(16).toString('base64');
  return new Promise<UpgradeAnswer>((resolve) => {
    let buffer = '';
    let end = -1;
    let bodyTimer: NodeJS.Timeout | undefined;
    const finish = (answer: UpgradeAnswer) => {
      clearTimeout(timer);
      clearTimeout(bodyTimer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(answer);
    };
    const answered = () => {
      const head = parseHttpHead(buffer.slice(0, end));
      if (!head) return finish({ closed: `an answer that is not HTTP/1.1: ${JSON.stringify(buffer.slice(0, 40))}` });
      const h = head.headers;
      const body = Buffer.from(buffer.slice(end), 'latin1').toString('utf8');
      const title = head.status !== 101 ? htmlTitle(body) : undefined;
      finish({
        status: head.status,
        statusLine: head.statusLine,
        ...(h['location'] ? { location: h['location'] } : {}),
        ...(h['content-type'] ? { contentType: h['content-type'] } : {}),
        ...(h['server'] ? { server: h['server'] } : {}),
        ...(head.status === 101
          ? { acceptValid: h['sec-websocket-accept'] === acceptFor(key) && /websocket/i.test(h['upgrade'] ?? '') }
          : {}),
        ...(title ? { htmlTitle: title } : {}),
      });
    };
    const onAbort = () => finish({ error: 'cancelled' });
    const timer = setTimeout(() => (end >= 0 ? answered() : finish({ closed: `no answer within ${timeoutMs / 1000}s` })), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (end < 0) {
        end = headEnd(buffer);
        if (end < 0) {
          if (buffer.length > 16_384) finish({ closed: 'an answer head longer than 16 KiB' });
          return;
        }
        const status = parseHttpHead(buffer.slice(0, end))?.status;
        // 101 and answers without a body are complete; otherwise wait briefly for the body's start.
        if (status === 101 || status === undefined) return answered();
        bodyTimer = setTimeout(answered, BODY_WAIT_MS);
      }
      if (buffer.length - end >= BODY_BYTES) answered();
    });
    socket.once('end', () => (end >= 0 ? answered() : finish({ closed: 'the server closed the connection' })));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      end >= 0 ? answered() : finish({ closed: `the connection failed: ${err.code ?? err.message}` }),
    );
    const extra = (request.headers ?? []).filter((h) => !DIAL_OWNED.has(h.name.toLowerCase()));
    const ownAgent = extra.some((h) => h.name.toLowerCase() === 'user-agent');
    socket.write(
      [
        `GET ${request.target} HTTP/1.1`,
        `Host: ${request.host}`,
        ...(request.proxyCredentials ? [`Proxy-Authorization: Basic ${Buffer.from(request.proxyCredentials).toString('base64')}`] : []),
        ...extra.map((h) => `${h.name}: ${h.value}`),
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        ...(ownAgent ? [] : ['User-Agent: gitlab-agent-tui-doctor']),
        '',
        '',
      ].join('\r\n'),
    );
  });
}
