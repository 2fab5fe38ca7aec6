import { DOCS } from '../docs.js';
import type { Evidence } from '../evidence.js';
import type { Category, Finding } from '../finding.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';
import { agentContainer, kasAddressOf, proxyEnvOf } from '../deployment-args.js';
import { httpUrlOf, missingTrailingSlash, parseKasUrl, withTrailingSlash } from '../kas-address.js';
import { imageTag, recommendedTag, skew } from '../versions.js';
import { classifyUpgrade } from '../websocket-upgrade.js';
import { classifyChunks, classifyContext } from './agentk-logs.js';
import { gitlabSeesAgentConnected } from './gitlab.js';
import { maskUrlCredentials } from '../../plan/url-credentials.js';

/**
 * The connection verified from this machine and from the Deployment's spec: the --kas-address against
 * /metadata's kas.externalUrl, DNS/TCP/WebSocket probes, the proxy environment, and the version window.
 * Probes from a workstation only approximate the pod's network (DNS, proxy, egress differ), so their
 * network failures are warnings; the agent's own log lines carry the verdict.
 */

const upgradeCmd = (e: Evidence, flags: string) =>
  fill(`gitlab-agent-tui upgrade --release <release> --namespace <namespace> ${flags}`, e.context);

const CONNECTION_FAULTS: ReadonlySet<Category> = new Set([
  'kas-dns',
  'kas-refused',
  'kas-timeout',
  'kas-redirect',
  'kas-scheme-mismatch',
  'websocket-blocked',
  'kas-tls-untrusted-ca',
  'kas-tls-name-mismatch',
  'proxy-error',
]);

/** Does something say the agent is not connected right now? true: yes; false: it is connected; undefined: unknown. */
export function agentDisconnected(e: Evidence): boolean | undefined {
  const seen = gitlabSeesAgentConnected(e);
  if (seen !== undefined) return !seen;
  if (!e.logs) return undefined;
  return classifyChunks(e.logs, classifyContext(e)).some((h) => CONNECTION_FAULTS.has(h.cls.category)) ? true : undefined;
}

const samePath = (a: string, b: string) => (a || '/') === (b || '/');

export const netAddress = defineCheck({
  id: 'NET-ADDRESS',
  layer: 'connection',
  title: '--kas-address matches what GitLab advertises',
  dependsOn: ['GL-METADATA'],
  fatal: false,
  run(e, self) {
    const d = e.workload?.deployment;
    if (!d) return [notApplicable(self, 'no Deployment was read')];
    const current = kasAddressOf(d);
    if (current === undefined) return [notApplicable(self, 'the Deployment passes no --kas-address (a receptive agent?)')];
    const advertised = e.gitlab?.metadata?.kas.externalUrl;
    const mine = parseKasUrl(current);
    const theirs = parseKasUrl(advertised);
    const evidence = [`--kas-address=${current}`, `kas.externalUrl: ${advertised ?? '(not read)'}`];
    const subject = { kind: 'Deployment', name: d.name, namespace: e.workload?.namespace ?? e.context.namespace };
    if (!mine) {
      return [
        problem(self, {
          suffix: 'INVALID',
          status: 'fail',
          category: 'kas-scheme-mismatch',
          title: `--kas-address ${current} is not a KAS URL`,
          evidence,
          cause: 'agentk accepts only wss://, ws://, grpcs:// or grpc:// addresses.',
          fix: upgradeCmd(e, `--kas-address ${advertised ?? '<kas-url>'}`),
          docsUrl: DOCS.install,
          subject,
        }),
      ];
    }
    if (mine.websocket && missingTrailingSlash(mine) && (!theirs || theirs.host === mine.host)) {
      return [
        problem(self, {
          suffix: 'TRAILING-SLASH',
          status: 'fail',
          category: 'kas-redirect',
          title: 'The WebSocket KAS address lacks its trailing slash',
          evidence,
          cause:
            'Without the trailing "/", GitLab answers the handshake with 301, which agentk reports as "expected handshake response status code 101 but got 301".',
          fix: upgradeCmd(e, `--kas-address ${theirs?.websocket ? theirs.raw : withTrailingSlash(mine)}`),
          docsUrl: DOCS.websocketDial,
          subject,
        }),
      ];
    }
    if (!theirs)
      return [notApplicable(self, advertised ? `cannot parse kas.externalUrl ${advertised}` : 'GitLab advertises no KAS address')];
    if (mine.tls !== theirs.tls && mine.host === theirs.host) {
      return [
        problem(self, {
          suffix: 'TLS',
          status: 'fail',
          category: 'kas-scheme-mismatch',
          title: `agentk dials ${mine.scheme}://, GitLab advertises ${theirs.scheme}://`,
          evidence,
          cause: mine.tls ? 'agentk expects TLS where KAS speaks plain text.' : 'agentk speaks plain text to an endpoint that expects TLS.',
          fix: upgradeCmd(e, `--kas-address ${theirs.raw}`),
          docsUrl: DOCS.handshakeRequest,
          subject,
        }),
      ];
    }
    if (mine.host !== theirs.host || mine.port !== theirs.port) {
      const down = agentDisconnected(e);
      return [
        problem(self, {
          suffix: 'MISMATCH',
          status: down === true ? 'fail' : 'warn',
          category: 'kas-address-mismatch',
          title: `agentk dials ${mine.host}:${mine.port}, GitLab advertises ${theirs.host}:${theirs.port}`,
          evidence: [
            ...evidence,
            ...(down === true
              ? ['the agent is not connected']
              : down === false
                ? ['the agent is connected anyway (an intended internal address?)']
                : []),
          ],
          cause:
            down === true
              ? 'The Deployment points agentk at another host than the one GitLab advertises for KAS, and the agent does not connect.'
              : 'The Deployment points agentk at another host than the one GitLab advertises; that works only if it reaches the same KAS.',
          fix: upgradeCmd(e, `--kas-address ${theirs.raw}`),
          docsUrl: DOCS.kasAdmin,
          subject,
        }),
      ];
    }
    if (mine.websocket && theirs.websocket && !samePath(mine.path, theirs.path)) {
      return [
        problem(self, {
          suffix: 'PATH',
          status: 'fail',
          category: 'kas-redirect',
          title: `The WebSocket path ${mine.path || '/'} differs from the advertised ${theirs.path || '/'}`,
          evidence,
          cause: 'KAS listens under the advertised path; another path is redirected or answered with 404.',
          fix: upgradeCmd(e, `--kas-address ${theirs.raw}`),
          docsUrl: DOCS.websocketDial,
          subject,
        }),
      ];
    }
    if (!mine.websocket && theirs.websocket) {
      return [
        problem(self, {
          suffix: 'GRPC',
          status: 'warn',
          category: 'kas-scheme-mismatch',
          title: `agentk uses ${mine.scheme}://, GitLab advertises WebSocket (${theirs.scheme}://)`,
          evidence,
          cause:
            'GitLab advertises WebSocket when KAS cannot be reached with HTTP/2 (no TLS at NGINX, a relative URL root, or an HTTP/1.1 load balancer), so gRPC may not get through.',
          fix: upgradeCmd(e, `--kas-address ${theirs.raw}`),
          docsUrl: DOCS.handshakeRequest,
          subject,
        }),
      ];
    }
    return [ok(self, evidence)];
  },
});

export const netDns = defineCheck({
  id: 'NET-DNS',
  layer: 'connection',
  title: 'KAS host resolves (from this machine)',
  dependsOn: [],
  fatal: true,
  run(e, self) {
    const dns = e.local?.dns;
    const kas = parseKasUrl(e.local?.kasAddress);
    if (!dns || !kas) return [notApplicable(self, 'no DNS lookup was tried from this machine')];
    if (dns.ok) return [ok(self, [`${kas.host}: ${dns.addresses.join(', ')}`])];
    return [
      problem(self, {
        suffix: 'FAILED',
        status: 'warn',
        category: 'kas-dns',
        title: `${kas.host} does not resolve from this machine`,
        evidence: [`${dns.code}: ${dns.message}`],
        cause: `${kas.host} has no DNS record this machine can see; if the pods see none either, agentk logs "no such host".`,
        fix: fill(
          'nslookup <host>; in the cluster: kubectl -n <namespace> run dns-check --rm -it --restart=Never --image=busybox:1.36 -- nslookup <host>',
          e.context,
          { host: kas.host },
        ),
        docsUrl: DOCS.websocketDial,
      }),
    ];
  },
});

export const netTcp = defineCheck({
  id: 'NET-TCP',
  layer: 'connection',
  title: 'KAS port accepts connections (from this machine)',
  dependsOn: ['NET-DNS'],
  fatal: true,
  run(e, self) {
    const tcp = e.local?.tcp;
    const kas = parseKasUrl(e.local?.kasAddress);
    if (!tcp || !kas) return [notApplicable(self, 'no TCP connection was tried from this machine')];
    if (tcp.ok) return [ok(self, [`connected to ${tcp.address}`])];
    const refused = tcp.code === 'ECONNREFUSED';
    return [
      problem(self, {
        suffix: refused ? 'REFUSED' : 'TIMEOUT',
        status: 'warn',
        category: refused ? 'kas-refused' : 'kas-timeout',
        title: refused ? `${kas.host}:${kas.port} refuses connections` : `${kas.host}:${kas.port} does not answer`,
        evidence: [
          `${tcp.code}: ${tcp.message}`,
          ...(e.local?.viaProxy ? [`through the proxy ${maskUrlCredentials(e.local.viaProxy)}`] : []),
        ],
        cause: refused
          ? 'Nothing listens on that port (wrong port, KAS down, a load balancer without backends).'
          : 'Packets to that port are dropped (firewall) or no route exists from here.',
        fix: fill(`curl -sv ${httpUrlOf(kas)} (from this machine and from a pod in <namespace>)`, e.context),
        docsUrl: DOCS.websocketDial,
      }),
    ];
  },
});

export const netUpgrade = defineCheck({
  id: 'NET-UPGRADE',
  layer: 'connection',
  title: 'WebSocket upgrade answered with 101 (from this machine)',
  dependsOn: ['NET-TCP'],
  fatal: false,
  run(e, self) {
    const up = e.local?.upgrade;
    const kas = parseKasUrl(e.local?.kasAddress);
    if (!up || !kas) return [notApplicable(self, 'no WebSocket upgrade was tried from this machine')];
    if (!kas.websocket) return [notApplicable(self, `${kas.scheme}:// does not use WebSocket`)];
    const verdict = classifyUpgrade(kas, up, e.local?.upgradeHeaders);
    if (verdict.kind === 'not-tried') return [notApplicable(self, `the upgrade request could not be made: ${verdict.why}`)];
    const via = e.local?.viaProxy ? [`through the proxy ${maskUrlCredentials(e.local.viaProxy)} (the Deployment's)`] : [];
    if (verdict.kind === 'passes') return [ok(self, [verdict.line, ...via])];
    const advertised = parseKasUrl(e.gitlab?.metadata?.kas.externalUrl);
    const target = advertised?.websocket ? advertised.raw : withTrailingSlash(kas);
    const status = 'status' in up ? up.status : undefined;
    const wrongPath =
      status === 404 && advertised?.websocket === true && advertised.host === kas.host && !samePath(advertised.path, kas.path);
    if (verdict.kind === 'redirect' || wrongPath) {
      const location = verdict.kind === 'redirect' ? verdict.location : undefined;
      return [
        problem(self, {
          suffix: status === 404 ? '404' : '3XX',
          status: 'fail',
          category: 'kas-redirect',
          title:
            status === 404
              ? `The WebSocket path ${kas.path || '/'} does not exist (404); GitLab advertises ${advertised?.path}`
              : `The WebSocket handshake is redirected (${status})`,
          evidence: [verdict.line, ...via],
          cause:
            status === 404
              ? 'Nothing serves KAS under this path.'
              : 'The server redirects the handshake, which agentk does not follow: usually a missing trailing slash or http→https.',
          fix: upgradeCmd(e, `--kas-address ${location && /^https?:\/\//.test(location) ? location.replace(/^http/, 'ws') : target}`),
          docsUrl: DOCS.websocketDial,
        }),
      ];
    }
    if (verdict.kind === 'unavailable') {
      return [
        problem(self, {
          suffix: '5XX',
          status: 'warn',
          category: 'kas-unavailable',
          title: `The server in front of KAS answers ${status}`,
          evidence: [verdict.line, ...via],
          cause: 'The reverse proxy in front of KAS cannot reach KAS behind it (KAS down or restarting).',
          fix: 'A GitLab administrator checks KAS: sudo gitlab-ctl status gitlab-kas (Helm chart: kubectl get pods -l app=kas)',
          docsUrl: DOCS.kasAdmin,
        }),
      ];
    }
    // From this machine only: a blocked upgrade fails when the agent is not connected either, else it warns
    // (the pods may take another path to KAS).
    const down = agentDisconnected(e);
    return [
      problem(self, {
        suffix: 'BLOCKED',
        status: down === true ? 'fail' : 'warn',
        category: 'websocket-blocked',
        title: `The WebSocket upgrade to KAS is not passed (${status ?? 'connection closed'})`,
        evidence: [
          verdict.line,
          ...via,
          ...(down === true
            ? ['the agent is not connected']
            : down === false
              ? ["the agent is connected anyway: its path to KAS differs from this machine's"]
              : []),
        ],
        cause: `A proxy, load balancer or gateway between here and KAS does not pass the WebSocket upgrade: ${verdict.why}.`,
        fix:
          status === 401 || status === 403
            ? `Exempt ${httpUrlOf(kas)} from the login/SSO proxy, so the upgrade reaches KAS`
            : `Let the front end pass WebSocket upgrades to ${httpUrlOf(kas)} (HTTP/1.1 with the Upgrade and Connection headers), or use grpcs:// through an HTTP/2 front end: ${upgradeCmd(e, `--kas-address grpcs://${kas.host}${kas.port === 443 ? '' : `:${kas.port}`}`)}`,
        docsUrl: DOCS.websocketDial,
      }),
    ];
  },
});

// ---------------------------------------------------------------- proxy

/** IPv4 dotted quad → number, or undefined. */
function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** Go's NO_PROXY semantics (golang.org/x/net/http/httpproxy): "*", IPs, CIDRs, "a.b" (and subdomains), ".a.b" (subdomains only). */
export function noProxyCovers(noProxy: string, host: string): boolean {
  const h = host.toLowerCase();
  const hIp = ipv4(h);
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      const [base = '', bits = ''] = entry.split('/');
      const b = ipv4(base);
      const n = Number(bits);
      if (b !== undefined && hIp !== undefined && n >= 0 && n <= 32) {
        const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
        if ((b & mask) >>> 0 === (hIp & mask) >>> 0) return true;
      }
      continue;
    }
    entry = entry.replace(/:\d+$/, '');
    if (ipv4(entry) !== undefined || hIp !== undefined) {
      if (entry === h) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (h.endsWith(entry)) return true;
    } else if (h === entry || h.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

export const netProxy = defineCheck({
  id: 'NET-PROXY',
  layer: 'connection',
  title: 'Proxy environment of agentk',
  dependsOn: [],
  fatal: false,
  run(e, self) {
    const d = e.workload?.deployment;
    if (!d) return [notApplicable(self, 'no Deployment was read')];
    const p = proxyEnvOf(d);
    const proxy = p.httpsProxy ?? p.httpProxy;
    if (!proxy) return [ok(self, ['no HTTP(S)_PROXY in the agentk container'])];
    const env = (v: typeof proxy) =>
      `${v.name}=${v.value !== undefined ? maskUrlCredentials(v.value) : `(from ${v.valueFrom ?? 'a reference'})`}`;
    const evidence = [env(proxy), ...(p.noProxy ? [env(p.noProxy)] : ['no NO_PROXY'])];
    if (proxy.value === undefined) return [ok(self, [...evidence, 'the proxy value comes from a reference and was not read'])];
    const out: Finding[] = [];
    let parsed: URL | undefined;
    try {
      parsed = new URL(proxy.value.includes('://') ? proxy.value : `http://${proxy.value}`);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:', 'socks5:', 'socks5h:'].includes(parsed.protocol) || !parsed.hostname) {
      out.push(
        problem(self, {
          suffix: 'INVALID',
          status: 'fail',
          category: 'proxy-error',
          title: `${proxy.name} is not a proxy URL`,
          evidence,
          cause: 'Go ignores or rejects a proxy setting that is not an http://, https:// or socks5:// URL.',
          fix: upgradeCmd(e, '--https-proxy http://<proxy-host>:<port>'),
          docsUrl: DOCS.httpProxy,
        }),
      );
    }
    const noProxy = p.noProxy?.value ?? '';
    const apiIp = e.workload?.kubernetesServiceIp;
    if (apiIp && !noProxyCovers(noProxy, apiIp)) {
      out.push(
        problem(self, {
          suffix: 'NO-PROXY-API',
          status: 'warn',
          category: 'proxy-error',
          title: `NO_PROXY does not cover the Kubernetes API (${apiIp})`,
          evidence,
          cause: `agentk reaches the Kubernetes API at https://${apiIp}:443 (an IP, which .svc or .cluster.local do not match), so with this NO_PROXY those calls go to the proxy too.`,
          fix: upgradeCmd(e, `--no-proxy ${[noProxy, apiIp, '.svc', '.cluster.local'].filter(Boolean).join(',')}`),
          docsUrl: DOCS.httpProxy,
        }),
      );
    }
    const kas = parseKasUrl(kasAddressOf(d));
    if (kas && noProxy && noProxyCovers(noProxy, kas.host)) {
      out.push(
        problem(self, {
          suffix: 'KAS-BYPASS',
          status: 'warn',
          category: 'proxy-error',
          title: `NO_PROXY exempts the KAS host ${kas.host}`,
          evidence,
          cause:
            'agentk connects to KAS directly, not through the proxy; if the cluster needs the proxy for egress, the connection times out.',
          fix: upgradeCmd(e, `--no-proxy <the same list without ${kas.host}>`),
          docsUrl: DOCS.httpProxy,
        }),
      );
    }
    return out.length ? out : [ok(self, evidence)];
  },
});

// ---------------------------------------------------------------- versions

export const netVersion = defineCheck({
  id: 'NET-VERSION',
  layer: 'connection',
  title: 'agentk version within one minor of GitLab',
  dependsOn: ['GL-METADATA'],
  fatal: false,
  run(e, self) {
    const m = e.gitlab?.metadata;
    const d = e.workload?.deployment;
    if (!m) return [notApplicable(self, 'the GitLab version was not read')];
    const image = agentContainer(d)?.image;
    if (!image) return [notApplicable(self, 'no agentk image was read')];
    const tag = imageTag(image);
    const server = m.kas.version ?? m.version;
    const verdict = skew(tag, server);
    const evidence = [`agentk image: ${image}`, `GitLab ${m.version}, KAS ${m.kas.version ?? 'unknown'}`];
    const podImages = [
      ...new Set(
        (e.workload?.pods ?? []).flatMap((p) => p.containers.filter((c) => c.name === agentContainer(d)?.name).map((c) => c.image)),
      ),
    ];
    if (podImages.length > 1) evidence.push(`pods run ${podImages.join(' and ')} (mid-rollout?)`);
    if (verdict.kind === 'unknown') return [notApplicable(self, verdict.why)];
    if (verdict.kind === 'supported') return [ok(self, evidence)];
    const recommended = recommendedTag(m.kas.version, m.version);
    return [
      problem(self, {
        suffix: 'SKEW',
        status: 'fail',
        category: 'version-skew',
        title: `agentk ${tag} is ${verdict.distance} minor releases ${verdict.agentNewer ? 'ahead of' : 'behind'} ${m.kas.version ? 'KAS' : 'GitLab'} ${server}`,
        evidence,
        cause: `GitLab supports agentk at its own major.minor or one minor either side; ${verdict.agentNewer ? 'a newer agentk uses protocol features this KAS lacks' : 'an older agentk may lack what this KAS expects'}.`,
        fix: upgradeCmd(e, `--image-tag ${recommended ?? 'v<gitlab-major>.<gitlab-minor>.0'}`),
        docsUrl: DOCS.versionCompat,
      }),
    ];
  },
});

const CONNECTION_CHECKS = [netAddress, netDns, netTcp, netUpgrade, netProxy, netVersion];
