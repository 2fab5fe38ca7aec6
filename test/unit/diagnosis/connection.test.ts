import { describe, expect, it } from 'vitest';
import {
  netAddress,
  netDns,
  netProxy,
  netTcp,
  netUpgrade,
  netVersion,
  noProxyCovers,
  agentDisconnected,
} from '../../../src/core/diagnosis/rules/connection.js';
import { agentk, deployment, evidence, gitlab, KAS, logs, minutesAgo, workload } from './builders.js';

const withAddress = (address: string, advertised: string | null = KAS, over = {}) =>
  evidence({
    workload: workload({ deployment: deployment({}, ['--token-file=/etc/agentk/secrets/token', `--kas-address=${address}`]) }),
    gitlab: gitlab({ metadata: { version: '18.6.1-ee', kas: { enabled: true, externalUrl: advertised, version: '18.6.1' } } }),
    ...over,
  });

describe('NET-ADDRESS', () => {
  it('is ok when the Deployment uses the advertised address (either arg form)', () => {
    expect(netAddress.run(withAddress(KAS))[0]!.status).toBe('ok');
    const separate = evidence({ workload: workload({ deployment: deployment({}, ['--kas-address', KAS]) }), gitlab: gitlab() });
    expect(netAddress.run(separate)[0]!.status).toBe('ok');
  });

  it('fails a WebSocket path without its trailing slash', () => {
    const f = netAddress.run(withAddress('wss://gitlab.example.com/-/kubernetes-agent'))[0]!;
    expect(f).toMatchObject({ id: 'NET-ADDRESS-TRAILING-SLASH', status: 'fail', category: 'kas-redirect' });
    expect(f.fix).toBe(`gitlab-agent-tui upgrade --release gitlab-agent --namespace gitlab-agent --kas-address ${KAS}`);
  });

  it('fails plain text against TLS', () => {
    expect(netAddress.run(withAddress('ws://gitlab.example.com/-/kubernetes-agent/'))[0]).toMatchObject({
      id: 'NET-ADDRESS-TLS',
      status: 'fail',
      category: 'kas-scheme-mismatch',
    });
  });

  it('fails another host when the agent is not connected, warns when it is', () => {
    const e1 = withAddress('wss://gitlab.internal.example/-/kubernetes-agent/');
    e1.gitlab!.agentToken = { tokenId: 77, state: 'active', lastUsedAt: minutesAgo(60) };
    expect(netAddress.run(e1)[0]).toMatchObject({ id: 'NET-ADDRESS-MISMATCH', status: 'fail', category: 'kas-address-mismatch' });
    const e2 = withAddress('wss://gitlab.internal.example/-/kubernetes-agent/');
    expect(netAddress.run(e2)[0]).toMatchObject({ id: 'NET-ADDRESS-MISMATCH', status: 'warn' });
    expect(netAddress.run(e2)[0]!.evidence).toContain('the agent is connected anyway (an intended internal address?)');
  });

  it('uses agentk logs as evidence of a broken connection when GitLab cannot tell', () => {
    const e = withAddress('wss://gitlab.internal.example/-/kubernetes-agent/');
    delete e.gitlab!.agentToken;
    e.logs = logs([
      agentk({
        msg: 'Reverse tunnel',
        error:
          'Connect(): rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\"https://gitlab.internal.example/-/kubernetes-agent/\\": dial tcp: lookup gitlab.internal.example on 10.96.0.10:53: no such host"',
      }),
    ]);
    expect(agentDisconnected(e)).toBe(true);
    expect(netAddress.run(e)[0]!.status).toBe('fail');
  });

  it('fails a different WebSocket path', () => {
    expect(netAddress.run(withAddress('wss://gitlab.example.com/'))[0]).toMatchObject({ id: 'NET-ADDRESS-PATH', category: 'kas-redirect' });
  });

  it('warns gRPC against an advertised WebSocket address, accepts WebSocket against advertised gRPC', () => {
    expect(netAddress.run(withAddress('grpcs://gitlab.example.com'))[0]).toMatchObject({
      id: 'NET-ADDRESS-GRPC',
      status: 'warn',
      category: 'kas-scheme-mismatch',
    });
    expect(netAddress.run(withAddress('wss://kas.gitlab.com', 'grpcs://kas.gitlab.com'))[0]!.status).toBe('ok');
  });

  it('fails an address agentk cannot parse, skips receptive agents', () => {
    expect(netAddress.run(withAddress('https://gitlab.example.com'))[0]).toMatchObject({ id: 'NET-ADDRESS-INVALID', status: 'fail' });
    expect(
      netAddress.run(
        evidence({ workload: workload({ deployment: deployment({}, ['--token-file=/etc/agentk/secrets/token']) }), gitlab: gitlab() }),
      )[0]!.status,
    ).toBe('skip');
  });
});

describe('NET-DNS / NET-TCP (from this machine: warnings)', () => {
  it('warns when the KAS host does not resolve here', () => {
    const e = evidence({
      local: {
        kasAddress: 'wss://kas.example.com',
        dns: { ok: false, code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND kas.example.com' },
      },
    });
    expect(netDns.run(e)[0]).toMatchObject({
      id: 'NET-DNS-FAILED',
      status: 'warn',
      category: 'kas-dns',
      evidence: ['ENOTFOUND: getaddrinfo ENOTFOUND kas.example.com'],
    });
    expect(
      netDns.run(evidence({ local: { kasAddress: 'wss://kas.example.com', dns: { ok: true, addresses: ['203.0.113.10'] } } }))[0]!.status,
    ).toBe('ok');
  });
  it('tells refused from timed out', () => {
    const refused = evidence({
      local: {
        kasAddress: 'wss://kas.example.com',
        tcp: { ok: false, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 203.0.113.10:443' },
      },
    });
    expect(netTcp.run(refused)[0]).toMatchObject({ id: 'NET-TCP-REFUSED', category: 'kas-refused', status: 'warn' });
    const timeout = evidence({
      local: { kasAddress: 'wss://kas.example.com', tcp: { ok: false, code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 203.0.113.10:443' } },
    });
    expect(netTcp.run(timeout)[0]).toMatchObject({ id: 'NET-TCP-TIMEOUT', category: 'kas-timeout' });
  });
});

describe('NET-UPGRADE', () => {
  const up = (status: number, location?: string, address = KAS) =>
    evidence({ gitlab: gitlab(), local: { kasAddress: address, upgrade: location ? { status, location } : { status } } });
  it('is ok for 101 Switching Protocols', () => {
    expect(netUpgrade.run(up(101))[0]!.status).toBe('ok');
  });
  it('fails a redirect and follows its Location', () => {
    const f = netUpgrade.run(up(301, 'https://gitlab.example.com/-/kubernetes-agent/', 'wss://gitlab.example.com/-/kubernetes-agent'))[0]!;
    expect(f).toMatchObject({ id: 'NET-UPGRADE-3XX', status: 'fail', category: 'kas-redirect' });
    expect(f.fix).toContain('--kas-address wss://gitlab.example.com/-/kubernetes-agent/');
    expect(f.evidence[0]).toBe(
      'GET https://gitlab.example.com/-/kubernetes-agent (Upgrade: websocket) → 301, Location: https://gitlab.example.com/-/kubernetes-agent/',
    );
  });
  it('a 404 where GitLab advertises another path: kas-redirect (the wrong path); at the advertised path: blocked', () => {
    const wrong = evidence({
      gitlab: gitlab(),
      local: { kasAddress: 'wss://gitlab.example.com/kas/', upgrade: { status: 404, statusLine: 'HTTP/1.1 404 Not Found' } },
    });
    expect(netUpgrade.run(wrong)[0]).toMatchObject({
      id: 'NET-UPGRADE-404',
      category: 'kas-redirect',
      status: 'fail',
      fix: expect.stringContaining(`--kas-address ${KAS}`),
    });
    expect(netUpgrade.run(up(404))[0]).toMatchObject({ id: 'NET-UPGRADE-BLOCKED', category: 'websocket-blocked' });
  });
  it('426, 403, an HTML 200 and a closed connection: websocket-blocked with the status line; 502: KAS unavailable', () => {
    expect(netUpgrade.run(up(426))[0]).toMatchObject({ category: 'websocket-blocked', status: 'warn' });
    expect(netUpgrade.run(up(403))[0]).toMatchObject({
      category: 'websocket-blocked',
      fix: expect.stringContaining('Exempt https://gitlab.example.com/-/kubernetes-agent/ from the login/SSO proxy'),
    });
    const html = evidence({
      gitlab: gitlab(),
      local: {
        kasAddress: KAS,
        upgrade: { status: 200, statusLine: 'HTTP/1.1 200 OK', contentType: 'text/html', server: 'BigIP', htmlTitle: 'Access denied' },
      },
    });
    const f = netUpgrade.run(html)[0]!;
    expect(f).toMatchObject({ category: 'websocket-blocked' });
    expect(f.evidence[0]).toBe(
      'GET https://gitlab.example.com/-/kubernetes-agent/ (Upgrade: websocket) → HTTP/1.1 200 OK, Content-Type: text/html, Server: BigIP, HTML page "Access denied"',
    );
    expect(f.cause).toContain('an HTML page answered instead of KAS');
    const closed = evidence({ gitlab: gitlab(), local: { kasAddress: KAS, upgrade: { closed: 'the server closed the connection' } } });
    expect(netUpgrade.run(closed)[0]).toMatchObject({
      category: 'websocket-blocked',
      evidence: [
        'GET https://gitlab.example.com/-/kubernetes-agent/ (Upgrade: websocket) → no answer: the server closed the connection',
        "the agent is connected anyway: its path to KAS differs from this machine's",
      ],
    });
    expect(netUpgrade.run(up(502))[0]).toMatchObject({ category: 'kas-unavailable', status: 'warn' });
  });
  it('blocked fails when GitLab sees the agent disconnected, and names the proxy it went through', () => {
    const down = evidence({
      gitlab: gitlab({ agentToken: { tokenId: 7, state: 'active', lastUsedAt: null, activeTokens: 1 } }),
      local: {
        kasAddress: KAS,
        upgrade: { status: 426, statusLine: 'HTTP/1.1 426 Upgrade Required' },
        viaProxy: 'http://***@proxy.corp:3128',
      },
    });
    const f = netUpgrade.run(down)[0]!;
    expect(f).toMatchObject({ status: 'fail', category: 'websocket-blocked' });
    expect(f.evidence).toEqual([
      'GET https://gitlab.example.com/-/kubernetes-agent/ (Upgrade: websocket) → HTTP/1.1 426 Upgrade Required',
      "through the proxy http://***@proxy.corp:3128 (the Deployment's)",
      'the agent is not connected',
    ]);
  });
  it('a request that could not be made skips (TLS or TCP say why)', () => {
    expect(netUpgrade.run(evidence({ local: { kasAddress: KAS, upgrade: { error: 'ECONNRESET: socket hang up' } } }))[0]!.status).toBe(
      'skip',
    );
  });
  it('skips gRPC addresses', () => {
    expect(netUpgrade.run(up(426, undefined, 'grpcs://kas.example.com'))[0]!.status).toBe('skip');
  });
});

describe('NET-PROXY', () => {
  const withEnv = (env: { name: string; value?: string; valueFrom?: string }[]) => {
    const d = deployment();
    d.containers[0]!.env.push(...env);
    return evidence({ workload: workload({ deployment: d }) });
  };
  it('is ok without a proxy', () => {
    expect(netProxy.run(withEnv([]))[0]).toMatchObject({ status: 'ok', evidence: ['no HTTP(S)_PROXY in the agentk container'] });
  });
  it('warns when NO_PROXY does not cover the Kubernetes API IP (.svc does not match an IP)', () => {
    const f = netProxy.run(
      withEnv([
        { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
        { name: 'NO_PROXY', value: '.svc,.cluster.local' },
      ]),
    )[0]!;
    expect(f).toMatchObject({ id: 'NET-PROXY-NO-PROXY-API', status: 'warn', category: 'proxy-error' });
    expect(f.fix).toBe(
      'gitlab-agent-tui upgrade --release gitlab-agent --namespace gitlab-agent --no-proxy .svc,.cluster.local,10.96.0.1,.svc,.cluster.local',
    );
  });
  it('accepts the API IP or its CIDR, in either case of variable name', () => {
    expect(
      netProxy.run(
        withEnv([
          { name: 'https_proxy', value: 'http://proxy.corp:3128' },
          { name: 'no_proxy', value: '10.96.0.0/12,.svc' },
        ]),
      )[0]!.status,
    ).toBe('ok');
    expect(
      netProxy.run(
        withEnv([
          { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
          { name: 'NO_PROXY', value: '10.96.0.1' },
        ]),
      )[0]!.status,
    ).toBe('ok');
  });
  it('fails a proxy value that is not a URL, and never shows its password', () => {
    expect(
      netProxy.run(
        withEnv([
          { name: 'HTTPS_PROXY', value: 'ftp://proxy.corp' },
          { name: 'NO_PROXY', value: '10.96.0.1' },
        ]),
      )[0],
    ).toMatchObject({ id: 'NET-PROXY-INVALID', status: 'fail' });
    const f = netProxy.run(
      withEnv([
        { name: 'HTTPS_PROXY', value: 'http://bob:s3cret@proxy.corp:3128' },
        { name: 'NO_PROXY', value: '10.96.0.1' },
      ]),
    )[0]!;
    expect(JSON.stringify(f)).not.toContain('s3cret');
  });
  it('warns when NO_PROXY exempts the KAS host', () => {
    const f = netProxy.run(
      withEnv([
        { name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' },
        { name: 'NO_PROXY', value: '10.96.0.1,example.com' },
      ]),
    )[0]!;
    expect(f).toMatchObject({ id: 'NET-PROXY-KAS-BYPASS', status: 'warn' });
  });
  it('does not read proxy values from references', () => {
    expect(netProxy.run(withEnv([{ name: 'HTTPS_PROXY', valueFrom: 'secretKeyRef proxy/url' }]))[0]!.status).toBe('ok');
  });
});

describe('noProxyCovers (Go semantics)', () => {
  it.each([
    ['*', 'anything.example', true],
    ['example.com', 'example.com', true],
    ['example.com', 'kas.example.com', true],
    ['.example.com', 'kas.example.com', true],
    ['.example.com', 'example.com', false],
    ['example.com', 'notexample.com', false],
    ['10.0.0.0/8', '10.96.0.1', true],
    ['10.96.0.0/16', '10.97.0.1', false],
    ['10.96.0.1:443', '10.96.0.1', true],
    ['.svc,.cluster.local', '10.96.0.1', false],
  ])('%s covers %s: %s', (list, host, want) => {
    expect(noProxyCovers(list, host)).toBe(want);
  });
});

describe('NET-VERSION', () => {
  const v = (tag: string, gitlabVersion = '18.6.1-ee', kasVersion: string | null = '18.6.1') => {
    const d = deployment();
    d.containers[0]!.image = `registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:${tag}`;
    return evidence({
      workload: workload({ deployment: d }),
      gitlab: gitlab({ metadata: { version: gitlabVersion, kas: { enabled: true, externalUrl: KAS, version: kasVersion } } }),
    });
  };
  it('accepts the same minor and one either side', () => {
    for (const tag of ['v18.6.0', 'v18.5.3', 'v18.7.0', 'v18.6.0-rc1']) expect(netVersion.run(v(tag))[0]!.status).toBe('ok');
  });
  it('fails two minors apart with the tag to install', () => {
    const f = netVersion.run(v('v18.8.0'))[0]!;
    expect(f).toMatchObject({ id: 'NET-VERSION-SKEW', status: 'fail', category: 'version-skew' });
    expect(f.title).toBe('agentk v18.8.0 is 2 minor releases ahead of KAS 18.6.1');
    expect(f.fix).toBe('gitlab-agent-tui upgrade --release gitlab-agent --namespace gitlab-agent --image-tag v18.6.1');
    expect(netVersion.run(v('v17.11.0'))[0]!.status).toBe('fail');
  });
  it('counts across a major: 17.11 and 18.0 are neighbours', () => {
    expect(netVersion.run(v('v17.11.2', '18.0.1-ee', '18.0.1'))[0]!.status).toBe('ok');
    expect(netVersion.run(v('v17.10.0', '18.0.1-ee', '18.0.1'))[0]!.status).toBe('fail');
  });
  it('uses the GitLab version when KAS does not report one, and a KAS +sha version', () => {
    expect(netVersion.run(v('v18.6.0', '18.6.1-ee', null))[0]!.status).toBe('ok');
    const f = netVersion.run(v('v19.2.0', '18.6.1-ee', '18.6.1+a1b2c3d4'))[0]!;
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('--image-tag v18.6.0');
  });
  it('skips tags that are not versions', () => {
    expect(netVersion.run(v('latest'))[0]!.status).toBe('skip');
    const digest = v('v18.6.0');
    digest.workload!.deployment!.containers[0]!.image =
      'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk@sha256:0123456789abcdef';
    expect(netVersion.run(digest)[0]!.status).toBe('skip');
    // a tag with a digest still names its version
    expect(netVersion.run(v('v18.9.0@sha256:0123456789abcdef'))[0]!.status).toBe('fail');
  });
});
