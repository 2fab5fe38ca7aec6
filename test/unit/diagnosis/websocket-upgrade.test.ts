import { describe, expect, it } from 'vitest';
import { parseKasUrl } from '../../../src/core/diagnosis/kas-address.js';
import { classifyUpgrade } from '../../../src/core/diagnosis/websocket-upgrade.js';

const kas = parseKasUrl('wss://gitlab.example.com/-/kubernetes-agent/')!;
const verdict = (a: Parameters<typeof classifyUpgrade>[1]) => classifyUpgrade(kas, a);

describe('classifyUpgrade: what the answer to a WebSocket upgrade request says', () => {
  it('101 with the RFC 6455 accept: WebSocket passes', () => {
    expect(verdict({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', acceptValid: true })).toEqual({
      kind: 'passes',
      line: 'GET https://gitlab.example.com/-/kubernetes-agent/ (Upgrade: websocket) → HTTP/1.1 101 Switching Protocols',
    });
  });

  it('near miss: a 101 without a valid Sec-WebSocket-Accept is not KAS', () => {
    const v = verdict({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', acceptValid: false });
    expect(v).toMatchObject({ kind: 'blocked', line: expect.stringContaining('Sec-WebSocket-Accept missing or wrong') });
  });

  it('redirects: kas-redirect material, with the Location', () => {
    expect(
      verdict({ status: 301, statusLine: 'HTTP/1.1 301 Moved Permanently', location: 'https://gitlab.example.com/-/kubernetes-agent/' }),
    ).toMatchObject({ kind: 'redirect', location: 'https://gitlab.example.com/-/kubernetes-agent/' });
    expect(verdict({ status: 308, statusLine: 'HTTP/1.1 308 Permanent Redirect' })).toMatchObject({ kind: 'redirect' });
  });

  it('502/503/504 from the gateway: KAS behind it is down; near miss 500 and 501 come from the front end itself: blocked', () => {
    for (const s of [502, 503, 504]) expect(verdict({ status: s }).kind).toBe('unavailable');
    expect(verdict({ status: 501, statusLine: 'HTTP/1.1 501 Not Implemented' })).toMatchObject({
      kind: 'blocked',
      why: 'the front end answered 501 instead of 101 Switching Protocols',
    });
    expect(verdict({ status: 500 }).kind).toBe('blocked');
  });

  it('a 200 HTML page (SSO login), 426, 401/403/407, 404: blocked, each saying why', () => {
    expect(
      verdict({ status: 200, statusLine: 'HTTP/1.1 200 OK', contentType: 'text/html; charset=UTF-8', htmlTitle: 'Sign in to Okta' }),
    ).toMatchObject({ kind: 'blocked', why: expect.stringContaining('an HTML page answered') });
    expect(verdict({ status: 200, statusLine: 'HTTP/1.1 200 OK', contentType: 'application/json' })).toMatchObject({
      kind: 'blocked',
      why: expect.stringContaining('a plain 200 answer'),
    });
    expect(verdict({ status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required' })).toMatchObject({
      kind: 'blocked',
      why: expect.stringContaining('does not forward the Upgrade'),
    });
    expect(verdict({ status: 407 })).toMatchObject({ kind: 'blocked', why: expect.stringContaining('requires authentication (407)') });
    expect(verdict({ status: 404 })).toMatchObject({ kind: 'blocked', why: 'nothing serves a WebSocket at this path' });
  });

  it('a connection closed after the request: blocked; a request never sent: not tried', () => {
    expect(verdict({ closed: 'the connection failed: ECONNRESET' })).toEqual({
      kind: 'blocked',
      line: 'GET https://gitlab.example.com/-/kubernetes-agent/ (Upgrade: websocket) → no answer: the connection failed: ECONNRESET',
      why: expect.stringContaining('drops WebSocket upgrades'),
    });
    expect(verdict({ error: 'ECONNREFUSED: connect ECONNREFUSED' })).toEqual({
      kind: 'not-tried',
      why: 'ECONNREFUSED: connect ECONNREFUSED',
    });
  });
});
