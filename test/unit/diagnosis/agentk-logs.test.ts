import { describe, expect, it } from 'vitest';
import { LOG_CLASSES, agkLogs, classifyLine, type ClassifyContext } from '../../../src/core/diagnosis/rules/agentk-logs.js';
import { agentk, container, deployment, evidence, gitlab, logs, minutesAgo, pod, workload } from './builders.js';

/*
 * Log lines as agentk prints them. The DOC_* lines are GitLab's troubleshooting page examples, compacted to
 * one line as agentk writes them (doc/user/clusters/agent/troubleshooting.md in gitlabhq/gitlabhq).
 */
const DOC_DNS = String.raw`{"level":"warn","time":"2020-11-04T10:14:39.368Z","msg":"GetConfiguration failed","error":"rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\\"https://gitlab-kas:443/-/kubernetes-agent\\\": dial tcp: lookup gitlab-kas on 10.60.0.10:53: no such host\""}`;
const DOC_301 = String.raw`{"level":"error","time":"2021-06-25T21:15:45.335Z","msg":"Reverse tunnel","mod_name":"reverse_tunnel","error":"Connect(): rpc error: code = Unavailable desc = connection error: desc= \"transport: Error while dialing failed to WebSocket dial: expected handshake response status code 101 but got 301\""}`;
const DOC_SCHEME = String.raw`{"level":"warn","time":"2020-10-30T09:50:51.173Z","msg":"GetConfiguration failed","error":"rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\\"https://GitLabhost.tld:443/-/kubernetes-agent\\\": net/http: HTTP/1.x transport connection broken: malformed HTTP response \\\"\\\\x00\\\\x00\\\\x06\\\\x04\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x05\\\\x00\\\\x00@\\\\x00\\\"\""}`;
const DOC_GZIP = String.raw`{"level":"warn","time":"2020-11-05T05:25:46.916Z","msg":"GetConfiguration.Recv failed","error":"rpc error: code = Unimplemented desc = grpc: Decompressor is not installed for grpc-encoding \"gzip\""}`;
const DOC_X509 = String.raw`{"level":"error","time":"2021-02-25T07:22:37.158Z","msg":"Reverse tunnel","mod_name":"reverse_tunnel","error":"Connect(): rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\\"https://GitLabhost.tld:443/-/kubernetes-agent/\\\": x509: certificate signed by unknown authority\""}`;
const DOC_STARBOARD = String.raw`{"level":"error","time":"2022-06-22T21:03:04.769Z","msg":"Failed to perform vulnerability scan on workload","mod_name":"starboard_vulnerability","error":"running scan job: creating job: jobs.batch \"scan-vulnerabilityreport-b8d497769\" already exists"}`;

const grpc = (inner: string) => `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: ${inner}"`;
const ws = (inner: string) =>
  `Connect(): rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing failed to WebSocket dial: ${inner}"`;
const tunnel = (error: string, level = 'error') =>
  agentk({ level, msg: 'Reverse tunnel', mod_name: 'reverse_tunnel', error, agent_id: 42 });

const ctx: ClassifyContext = { kasHost: 'kas.example.com', serviceAccount: { namespace: 'gitlab-agent', name: 'gitlab-agent' } };

const MATCHES: [string, string, string][] = [
  // [what, line, class id]
  ['doc: DNS no such host (WebSocket)', DOC_DNS, 'AGK-DNS'],
  ['doc: 301 missing trailing slash', DOC_301, 'AGK-HS-3XX'],
  ['doc: malformed HTTP response (wss to HTTP/2 only)', DOC_SCHEME, 'AGK-SCHEME'],
  ['doc: Decompressor not installed', DOC_GZIP, 'AGK-GZIP'],
  ['doc: x509 unknown authority', DOC_X509, 'AGK-X509-CA'],
  ['grpcs: DNS no such host', tunnel(grpc('dial tcp: lookup kas.example.com on 10.96.0.10:53: no such host')), 'AGK-DNS'],
  ['grpcs: DNS server misbehaving', tunnel(grpc('dial tcp: lookup kas.example.com on 10.96.0.10:53: server misbehaving')), 'AGK-DNS'],
  [
    'grpcs: DNS lookup timeout is DNS, not timeout',
    tunnel(grpc('dial tcp: lookup kas.example.com on 10.96.0.10:53: i/o timeout')),
    'AGK-DNS',
  ],
  ['grpcs: connection refused', tunnel(grpc('dial tcp 203.0.113.10:443: connect: connection refused')), 'AGK-REFUSED'],
  [
    'wss: connection refused',
    tunnel(
      ws(
        'failed to send handshake request: Get "https://kas.example.com/-/kubernetes-agent/": dial tcp 203.0.113.10:443: connect: connection refused',
      ),
    ),
    'AGK-REFUSED',
  ],
  ['grpcs: i/o timeout', tunnel(grpc('dial tcp 203.0.113.10:443: i/o timeout')), 'AGK-TIMEOUT'],
  [
    'wss: TLS handshake timeout',
    tunnel(ws('failed to send handshake request: Get "https://kas.example.com/-/kubernetes-agent/": net/http: TLS handshake timeout')),
    'AGK-TIMEOUT',
  ],
  ['no route to host', tunnel(grpc('dial tcp 203.0.113.10:443: connect: no route to host')), 'AGK-TIMEOUT'],
  [
    'GetConfiguration deadline',
    agentk({ level: 'warn', msg: 'GetConfiguration failed', error: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' }),
    'AGK-TIMEOUT',
  ],
  [
    'proxy refused (not kas-refused)',
    tunnel(
      ws(
        'failed to send handshake request: Get "https://kas.example.com/-/kubernetes-agent/": proxyconnect tcp: dial tcp 10.0.0.9:3128: connect: connection refused',
      ),
    ),
    'AGK-PROXY',
  ],
  [
    'proxy host unknown (not kas-dns)',
    tunnel(
      ws(
        'failed to send handshake request: Get "https://kas.example.com/-/kubernetes-agent/": proxyconnect tcp: dial tcp: lookup proxy.corp.example on 10.96.0.10:53: no such host',
      ),
    ),
    'AGK-PROXY',
  ],
  ['proxy 407 (grpc)', tunnel(grpc('failed to do connect handshake, status code: 407 Proxy Authentication Required')), 'AGK-PROXY'],
  ['handshake 302', tunnel(ws('expected handshake response status code 101 but got 302')), 'AGK-HS-3XX'],
  ['handshake 308', tunnel(ws('expected handshake response status code 101 but got 308')), 'AGK-HS-3XX'],
  ['handshake 404', tunnel(ws('expected handshake response status code 101 but got 404')), 'AGK-HS-404'],
  ['handshake 426 from a proxy', tunnel(ws('expected handshake response status code 101 but got 426')), 'AGK-HS-BLOCKED'],
  ['handshake 403 from an SSO proxy', tunnel(ws('expected handshake response status code 101 but got 403')), 'AGK-HS-BLOCKED'],
  ['handshake 400 (Upgrade stripped)', tunnel(ws('expected handshake response status code 101 but got 400')), 'AGK-HS-BLOCKED'],
  ['handshake 200 (login page)', tunnel(ws('expected handshake response status code 101 but got 200')), 'AGK-HS-BLOCKED'],
  ['handshake 502', tunnel(ws('expected handshake response status code 101 but got 502')), 'AGK-HS-5XX'],
  [
    'grpcs to an HTTP/1.1 server',
    tunnel('rpc error: code = Unavailable desc = connection error: desc = "error reading server preface: http2: frame too large"'),
    'AGK-SCHEME',
  ],
  [
    'TLS to a plain-text port',
    tunnel(
      grpc('').replace('Error while dialing: ', 'authentication handshake failed: tls: first record does not look like a TLS handshake'),
    ),
    'AGK-SCHEME',
  ],
  [
    'wss to ws endpoint',
    tunnel(
      ws(
        'failed to send handshake request: Get "https://kas.example.com:8150/-/kubernetes-agent/": http: server gave HTTP response to HTTPS client',
      ),
    ),
    'AGK-SCHEME',
  ],
  [
    'grpcs to a non-gRPC HTTP/2 server',
    tunnel(
      'rpc error: code = Unavailable desc = unexpected HTTP status code received from server: 404 (Not Found); transport: received unexpected content-type "text/html"',
    ),
    'AGK-SCHEME',
  ],
  [
    'x509 name mismatch (ingress default cert)',
    tunnel(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for ingress.local, not kas.example.com"',
    ),
    'AGK-X509-NAME',
  ],
  [
    'x509 IP without IP SANs',
    tunnel(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: cannot validate certificate for 203.0.113.10 because it doesn\'t contain any IP SANs"',
    ),
    'AGK-X509-NAME',
  ],
  [
    'x509 expired',
    tunnel(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-05-20T09:59:00Z is after 2026-05-01T00:00:00Z"',
    ),
    'AGK-X509-TIME',
  ],
  [
    'x509 unknown authority (Go 1.20+ wording)',
    tunnel(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    ),
    'AGK-X509-CA',
  ],
  ['Unauthenticated', tunnel('Connect(): rpc error: code = Unauthenticated desc = unauthenticated'), 'AGK-UNAUTH'],
  [
    'token of another agent',
    agentk({
      msg: 'GetConfiguration failed',
      error: 'rpc error: code = Unauthenticated desc = provided agent token belongs to a different agent id',
    }),
    'AGK-WRONG-AGENT',
  ],
  [
    'PermissionDenied',
    agentk({ level: 'warn', msg: 'GetConfiguration failed', error: 'rpc error: code = PermissionDenied desc = forbidden' }),
    'AGK-FORBIDDEN',
  ],
  [
    'agent not found',
    agentk({ level: 'warn', msg: 'GetConfiguration failed', error: 'rpc error: code = NotFound desc = agent not found' }),
    'AGK-NOTFOUND',
  ],
  [
    'Unimplemented service',
    agentk({
      msg: 'Failed to register agent pod. Please make sure the agent version matches the server version',
      mod_name: 'agent_registrar',
      error: 'rpc error: code = Unimplemented desc = unknown service gitlab.agent.agent_registrar.rpc.AgentRegistrar',
    }),
    'AGK-UNIMPLEMENTED',
  ],
  [
    'KAS fails behind it',
    agentk({ level: 'warn', msg: 'GetConfiguration.Recv failed', error: 'rpc error: code = Unavailable desc = unavailable' }),
    'AGK-KAS-UPSTREAM',
  ],
  [
    'register fails otherwise (version skew)',
    agentk({
      msg: 'Failed to register agent pod. Please make sure the agent version matches the server version',
      mod_name: 'agent_registrar',
      error: 'rpc error: code = Internal desc = failed to register agent',
    }),
    'AGK-REGISTER',
  ],
  [
    'register fails with Unauthenticated (the token, not the version)',
    agentk({
      msg: 'Failed to register agent pod. Please make sure the agent version matches the server version',
      mod_name: 'agent_registrar',
      error: 'rpc error: code = Unauthenticated desc = unauthenticated',
    }),
    'AGK-UNAUTH',
  ],
  [
    'RBAC (klog, client-go reflector)',
    String.raw`W0520 09:58:12.345678       1 reflector.go:539] k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229: failed to list *v1.Pod: pods is forbidden: User "system:serviceaccount:gitlab-agent:gitlab-agent" cannot list resource "pods" in API group "" at the cluster scope`,
    'AGK-RBAC',
  ],
  [
    'RBAC (structured klog, escaped quotes)',
    String.raw`E0520 09:58:12.345678       1 reflector.go:158] "Unhandled Error" err="k8s.io/client-go@v0.31.0/tools/cache/reflector.go:243: Failed to watch *v1.Secret: failed to list *v1.Secret: secrets is forbidden: User \"system:serviceaccount:gitlab-agent:gitlab-agent\" cannot list resource \"secrets\" in API group \"\" at the cluster scope" logger="UnhandledError"`,
    'AGK-RBAC',
  ],
  [
    'RBAC (JSON, leader election lease)',
    agentk({
      msg: 'error retrieving resource lock gitlab-agent/agent-42-lock',
      error:
        'leases.coordination.k8s.io "agent-42-lock" is forbidden: User "system:serviceaccount:gitlab-agent:gitlab-agent" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "gitlab-agent"',
    }),
    'AGK-RBAC',
  ],
  [
    'impersonated CI job denied',
    agentk({
      level: 'warn',
      msg: 'Proxied request failed',
      mod_name: 'kubernetes_api',
      error: 'pods is forbidden: User "gitlab:ci_job:1234" cannot list resource "pods" in API group "" in the namespace "prod"',
    }),
    'AGK-IMPERSONATED',
  ],
  ['removed flag (plain cobra output)', 'Error: unknown flag: --ca-cert-file', 'AGK-FLAG'],
  ['token file missing', 'Error: token file: open /etc/agentk/secrets/token: no such file or directory', 'AGK-TOKENFILE'],
  [
    'legacy GitOps',
    agentk({
      msg: 'GitOps: failed to get project information',
      mod_name: 'gitops',
      error: 'rpc error: code = NotFound desc = project not found',
    }),
    'AGK-LEGACY-GITOPS',
  ],
  [
    'slog upper-case level',
    JSON.stringify({
      time: minutesAgo(1),
      level: 'ERROR',
      msg: 'Reverse tunnel',
      mod_name: 'reverse_tunnel',
      error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated',
    }),
    'AGK-UNAUTH',
  ],
  [
    'kubectl --timestamps prefix',
    `2026-05-20T09:59:00.123456789Z ${tunnel('Connect(): rpc error: code = Unauthenticated desc = unauthenticated')}`,
    'AGK-UNAUTH',
  ],
];

const NEAR_MISSES: [string, string][] = [
  [
    'connection refused to the Kubernetes API server',
    agentk({
      msg: 'Failed to watch',
      error:
        'Get "https://10.96.0.1:443/api/v1/namespaces/gitlab-agent/secrets?watch=true": dial tcp 10.96.0.1:443: connect: connection refused',
    }),
  ],
  [
    'i/o timeout to the Kubernetes API server',
    agentk({
      level: 'warn',
      msg: 'Failed to renew lease',
      error:
        'Put "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/gitlab-agent/leases/agent-42-lock": dial tcp 10.96.0.1:443: i/o timeout',
    }),
  ],
  [
    'context deadline of a lease renewal',
    agentk({ level: 'error', msg: 'failed to renew lease gitlab-agent/agent-42-lock', error: 'context deadline exceeded' }),
  ],
  [
    'DNS failure for another host (container scanning)',
    agentk({
      msg: 'Failed to perform vulnerability scan on workload',
      mod_name: 'starboard_vulnerability',
      error: 'dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
    }),
  ],
  ['info-level line with connection refused', tunnel(grpc('dial tcp 203.0.113.10:443: connect: connection refused'), 'info')],
  ['debug-level x509 line', tunnel(ws('x509: certificate signed by unknown authority'), 'debug')],
  ['a 101 success', agentk({ level: 'info', msg: 'WebSocket handshake succeeded: status code 101' })],
  ['info: connected', agentk({ level: 'info', msg: 'Feature status change', mod_name: 'agent_registrar' })],
  ['doc: starboard jobs already exist (no connection class)', DOC_STARBOARD],
  [
    'Unavailable with a connection error nothing else explains',
    tunnel(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: read tcp 10.244.0.5:51234->203.0.113.10:443: read: connection reset by peer"',
    ),
  ],
  [
    'RBAC error of another ServiceAccount',
    String.raw`W0520 09:58:12.345678       1 reflector.go:539] failed to list *v1.Pod: pods is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "pods" in API group "" at the cluster scope`,
  ],
  [
    'klog info line',
    String.raw`I0520 09:58:12.345678       1 leaderelection.go:250] attempting to acquire leader lease gitlab-agent/agent-42-lock...`,
  ],
  ['plain text that is not an error', 'Starting agentk v18.6.0'],
  [
    'NotFound for a project (not legacy gitops module)',
    agentk({ msg: 'Failed to fetch', mod_name: 'flux', error: 'rpc error: code = NotFound desc = project not found' }),
  ],
];

describe('agentk log classification', () => {
  it.each(MATCHES)('%s', (_what, line, id) => {
    expect(classifyLine(line, ctx)?.cls.id).toBe(id);
  });

  it.each(NEAR_MISSES)('does not classify: %s', (_what, line) => {
    expect(classifyLine(line, ctx)).toBeUndefined();
  });

  it('has a matching example above for every class', () => {
    const tested = new Set(MATCHES.map(([, , id]) => id));
    expect(LOG_CLASSES.map((c) => c.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  it('treats a DNS failure of the KAS host as KAS even without a transport marker', () => {
    const line = agentk({ msg: 'dial failed', error: 'dial tcp: lookup kas.example.com: no such host' });
    expect(classifyLine(line, ctx)?.cls.id).toBe('AGK-DNS');
    expect(classifyLine(line, { ...ctx, kasHost: 'other.example.com' })).toBeUndefined();
  });

  it('captures the details a fix needs', () => {
    expect(classifyLine(tunnel(ws('expected handshake response status code 101 but got 426')), ctx)?.match?.[1]).toBe('426');
    const rbac = classifyLine(
      agentk({
        msg: 'x',
        error:
          'leases.coordination.k8s.io "agent-42-lock" is forbidden: User "system:serviceaccount:gitlab-agent:gitlab-agent" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "gitlab-agent"',
      }),
      ctx,
    );
    expect(rbac?.match?.slice(1)).toEqual(['gitlab-agent', 'gitlab-agent', 'get', 'leases', 'coordination.k8s.io', 'gitlab-agent']);
  });
});

describe('the agentk log check', () => {
  const base = (lines: string[], over = {}) =>
    evidence({
      workload: workload({ deployment: deployment({}, ['--token-file=/etc/agentk/secrets/token', '--kas-address=wss://kas.example.com']) }),
      logs: logs(lines),
      ...over,
    });

  it('reports one finding per class with the exact lines, newest last', () => {
    const a = tunnel(grpc('dial tcp: lookup kas.example.com on 10.96.0.10:53: no such host'));
    const fs = agkLogs.run(base([a, a, DOC_X509.replace('2021-02-25T07:22:37.158Z', minutesAgo(1))]));
    expect(fs.map((f) => [f.id, f.status, f.category, f.layer])).toEqual([
      ['AGK-X509-CA', 'fail', 'kas-tls-untrusted-ca', 'connection'],
      ['AGK-DNS', 'fail', 'kas-dns', 'connection'],
    ]);
    const dns = fs.find((f) => f.id === 'AGK-DNS')!;
    expect(dns.evidence[0]).toContain('2 matching line(s) in gitlab-agent-v2-7c9d8f6b5d-abcde');
    expect(dns.evidence).toContain(a);
    expect(dns.cause).toContain('kas.example.com');
    expect(dns.docsUrl).toBe(
      'https://docs.gitlab.com/user/clusters/agent/troubleshooting/#transport-error-while-dialing-failed-to-websocket-dial',
    );
  });

  it('is ok when no line matches, and skips without logs', () => {
    expect(agkLogs.run(base([agentk({ level: 'info', msg: 'Starting' })]))[0]).toMatchObject({
      id: 'AGK',
      status: 'ok',
      category: 'healthy',
    });
    expect(agkLogs.run(evidence())[0]!.status).toBe('skip');
    expect(agkLogs.run(evidence({ logs: logs([]) }))[0]!.status).toBe('skip');
  });

  it('calls old lines history (warn), and current lines the present', () => {
    const old = agentk({
      time: minutesAgo(40),
      msg: 'Reverse tunnel',
      error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated',
    });
    expect(agkLogs.run(base([old]))[0]).toMatchObject({ id: 'AGK-UNAUTH', status: 'warn' });
    const fresh = agentk({
      time: minutesAgo(3),
      msg: 'Reverse tunnel',
      error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated',
    });
    expect(agkLogs.run(base([fresh]))[0]).toMatchObject({ id: 'AGK-UNAUTH', status: 'fail' });
  });

  it('downgrades network errors to warnings when GitLab saw the agent connect recently, but not token errors', () => {
    const dns = tunnel(grpc('dial tcp: lookup kas.example.com on 10.96.0.10:53: no such host'));
    const unauth = tunnel('Connect(): rpc error: code = Unauthenticated desc = unauthenticated');
    const fs = agkLogs.run(base([dns, unauth], { gitlab: gitlab() }));
    expect(fs.find((f) => f.id === 'AGK-DNS')!.status).toBe('warn');
    expect(fs.find((f) => f.id === 'AGK-UNAUTH')!.status).toBe('fail');
  });

  it("counts a previous container's lines only while a container crashes", () => {
    const flag = 'Error: unknown flag: --ca-cert-file';
    const crashing = workload({
      pods: [pod('p', { containers: [container({ ready: false, state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 5 })] })],
    });
    const f = agkLogs.run(evidence({ workload: crashing, logs: logs([flag], true, 'p') }))[0]!;
    expect(f).toMatchObject({ id: 'AGK-FLAG', status: 'fail', category: 'agent-args-invalid', layer: 'workload' });
    expect(f.evidence[0]).toContain('p (previous container)');
    expect(f.fix).toContain('--kas-ca-cert <ca-file>');
    const healthy = agkLogs.run(evidence({ workload: workload(), logs: logs([flag], true) }))[0]!;
    expect(healthy.status).toBe('warn');
  });

  it('gives RBAC findings a concrete grant for the verb and resource', () => {
    const line = String.raw`W0520 09:58:12.345678       1 reflector.go:539] failed to list *v1.Pod: pods is forbidden: User "system:serviceaccount:gitlab-agent:gitlab-agent" cannot list resource "pods" in API group "" at the cluster scope`;
    const f = agkLogs.run(base([line]))[0]!;
    expect(f).toMatchObject({ id: 'AGK-RBAC', category: 'agent-rbac-insufficient', layer: 'workload', status: 'fail' });
    expect(f.fix).toBe(
      'kubectl create clusterrole gitlab-agent-list-pods --verb=list --resource=pods && kubectl create clusterrolebinding gitlab-agent-list-pods --clusterrole=gitlab-agent-list-pods --serviceaccount=gitlab-agent:gitlab-agent',
    );
  });

  it('points a redirect at the advertised address, and the trailing slash otherwise', () => {
    const e = evidence({
      workload: workload({ deployment: deployment({}, ['--kas-address=wss://gitlab.example.com/-/kubernetes-agent']) }),
      logs: logs([DOC_301.replace('2021-06-25T21:15:45.335Z', minutesAgo(1))]),
    });
    expect(agkLogs.run(e)[0]!.fix).toBe(
      'gitlab-agent-tui upgrade --release gitlab-agent --namespace gitlab-agent --kas-address wss://gitlab.example.com/-/kubernetes-agent/',
    );
  });

  it('marks the impersonated identity as not-the-agent (a warning)', () => {
    const line = agentk({
      level: 'warn',
      msg: 'Proxied request failed',
      error: 'pods is forbidden: User "gitlab:ci_job:1234" cannot list resource "pods" in API group "" in the namespace "prod"',
    });
    expect(agkLogs.run(base([line]))[0]).toMatchObject({ status: 'warn', category: 'not-the-agent' });
  });

  it('never repeats a proxy password', () => {
    const d = deployment();
    d.containers[0]!.env.push({ name: 'HTTPS_PROXY', value: 'http://bob:s3cret@proxy.corp:3128' });
    const line = tunnel(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": proxyconnect tcp: dial tcp 10.0.0.9:3128: connect: connection refused',
      ),
    );
    const f = agkLogs.run(evidence({ workload: workload({ deployment: d }), logs: logs([line]) }))[0]!;
    expect(f.id).toBe('AGK-PROXY');
    expect(JSON.stringify(f)).not.toContain('s3cret');
    expect(f.cause).toContain('http://***@proxy.corp:3128');
  });
});
