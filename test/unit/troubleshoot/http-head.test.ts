import { describe, expect, it } from 'vitest';
import { headEnd, htmlTitle, parseHttpHead } from '../../../src/adapters/network/http-head.js';
import { parseHttpProxy } from '../../../src/adapters/network/proxy-tunnel.js';

describe('reading an HTTP/1.1 answer head', () => {
  it('the status line verbatim, headers by lower-case name, repeated ones joined', () => {
    const text = 'HTTP/1.1 426 Upgrade Required\r\nServer: nginx/1.25.3\r\nVary: Upgrade\r\nvary: Origin\r\n\r\n';
    expect(headEnd(text)).toBe(text.length);
    expect(parseHttpHead(text)).toEqual({
      statusLine: 'HTTP/1.1 426 Upgrade Required',
      status: 426,
      headers: { server: 'nginx/1.25.3', vary: 'Upgrade, Origin' },
    });
  });
  it('not HTTP/1.x (HTTP/2 frames, TLS alerts): undefined; an unfinished head: -1', () => {
    expect(parseHttpHead('\x00\x00\x12\x04\x00\x00\x00\x00\x00')).toBeUndefined();
    expect(parseHttpHead('HTTP/2 200\r\n\r\n')).toBeUndefined();
    expect(headEnd('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n')).toBe(-1);
  });
  it("an HTML page's title, control characters out", () => {
    expect(htmlTitle('<html><head><TITLE>\n  Sign in\x1b[31m  to  Okta </TITLE>')).toBe('Sign in [31m to Okta');
    expect(htmlTitle('{"message":"401 Unauthorized"}')).toBeUndefined();
  });
});

describe('the proxy agentk would use', () => {
  it('http:// with credentials decoded; no scheme means http; https:// and socks5:// are not tunnelled from here', () => {
    expect(parseHttpProxy('http://al%40ce:p%3Ass@proxy.corp:3128')).toEqual({ host: 'proxy.corp', port: 3128, credentials: 'al@ce:p:ss' });
    expect(parseHttpProxy('proxy.corp:8080')).toEqual({ host: 'proxy.corp', port: 8080 });
    expect(parseHttpProxy('http://proxy.corp')).toEqual({ host: 'proxy.corp', port: 80 });
    expect(parseHttpProxy('https://proxy.corp:443')).toBeUndefined();
    expect(parseHttpProxy('socks5://proxy.corp:1080')).toBeUndefined();
  });
});
