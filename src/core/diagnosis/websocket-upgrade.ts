import type { UpgradeAnswer } from './evidence.js';
import { httpUrlOf, type KasUrl } from './kas-address.js';

/**
 * What the answer to our WebSocket upgrade request (the GET agentk's wss:// dial starts with, without its
 * token) says about the path to KAS. Only "101 Switching Protocols" with the Sec-WebSocket-Accept RFC 6455
 * derives from our key means WebSocket passes. A redirect is what agentk reports as "expected handshake
 * response status code 101 but got 301"; 502/503/504 is the reverse proxy failing to reach KAS; any other
 * answer — 200 (often an HTML login or error page), 4xx, another 5xx, a 101 from something that does not
 * speak WebSocket, or a connection closed after the request — means something between here and KAS does not
 * pass the upgrade.
 */
export type UpgradeVerdict =
  | { kind: 'passes'; line: string }
  | { kind: 'redirect'; line: string; location?: string }
  | { kind: 'unavailable'; line: string }
  | { kind: 'blocked'; line: string; why: string }
  /** The request could not be made (TLS failed, nothing to connect to): other checks report why. */
  | { kind: 'not-tried'; why: string };

/** Gateways answer these when the upstream (KAS) is down or slow; other 5xx come from the front end itself. */
const UPSTREAM_DOWN = new Set([502, 503, 504]);

/** One evidence line: the request (with the --kas-header names it carried, values masked) and the answer as it came (status line, and what tells who answered). */
function upgradeLine(kas: KasUrl, answer: Exclude<UpgradeAnswer, { error: string }>, headers: readonly string[]): string {
  const request = `GET ${httpUrlOf(kas)} (${['Upgrade: websocket', ...headers].join(', ')})`;
  if ('closed' in answer) return `${request} → no answer: ${answer.closed}`;
  const extras = [
    answer.location ? `Location: ${answer.location}` : '',
    answer.status !== 101 && answer.contentType ? `Content-Type: ${answer.contentType}` : '',
    answer.status !== 101 && answer.server ? `Server: ${answer.server}` : '',
    answer.htmlTitle ? `HTML page "${answer.htmlTitle}"` : '',
    answer.status === 101 && answer.acceptValid === false ? 'Sec-WebSocket-Accept missing or wrong' : '',
  ].filter(Boolean);
  return `${request} → ${answer.statusLine ?? String(answer.status)}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}

export function classifyUpgrade(kas: KasUrl, answer: UpgradeAnswer, headers: readonly string[] = []): UpgradeVerdict {
  if ('error' in answer) return { kind: 'not-tried', why: answer.error };
  const line = upgradeLine(kas, answer, headers);
  if ('closed' in answer)
    return {
      kind: 'blocked',
      line,
      why: 'the connection ended after the upgrade request, without an answer: a proxy or firewall that drops WebSocket upgrades',
    };
  const { status } = answer;
  if (status === 101) {
    if (answer.acceptValid === false)
      return { kind: 'blocked', line, why: 'something answered 101 without the WebSocket handshake (Sec-WebSocket-Accept): not KAS' };
    return { kind: 'passes', line };
  }
  if (status >= 300 && status < 400) return { kind: 'redirect', line, ...(answer.location ? { location: answer.location } : {}) };
  if (UPSTREAM_DOWN.has(status)) return { kind: 'unavailable', line };
  const why =
    answer.htmlTitle || /html/i.test(answer.contentType ?? '')
      ? `an HTML page answered instead of KAS (a login, SSO or error page of a proxy)`
      : status === 426
        ? 'the front end answered 426 Upgrade Required: it does not forward the Upgrade and Connection headers'
        : status === 401 || status === 403 || status === 407
          ? `the front end requires authentication (${status}) before KAS`
          : status === 404
            ? 'nothing serves a WebSocket at this path'
            : status >= 200 && status < 300
              ? `a plain ${status} answer: the front end handled the request itself instead of upgrading it`
              : `the front end answered ${status} instead of 101 Switching Protocols`;
  return { kind: 'blocked', line, why };
}
