import { DOCS } from '../docs.js';
import type { Evidence, LogChunk } from '../evidence.js';
import type { Category, Finding, Layer, Status } from '../finding.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';
import { isProblemLine, parseLogLine, textOf, timeOf, type LogLine } from '../log-line.js';
import { kasAddressOf, proxyEnvOf } from '../deployment-args.js';
import { httpUrlOf, parseKasUrl, withTrailingSlash } from '../kas-address.js';
import { recommendedTag } from '../versions.js';
import { gitlabSeesAgentConnected } from './gitlab.js';
import { maskUrlCredentials } from '../../plan/url-credentials.js';

/**
 * agentk log lines → causes. Patterns follow troubleshoot.md §1.3 and GitLab's troubleshooting page, matched
 * on the `error` field and `msg` of warn/error lines only. Network and TLS classes also require the line to
 * be about KAS (a gRPC transport / WebSocket dial marker, a KAS RPC name, or the KAS host): agentk talks to the
 * Kubernetes API too, and `dial tcp 10.96.0.1:443: connect: connection refused` is not a KAS problem.
 * The first class that matches wins, so the order below is deliberate (proxy before refused, DNS before timeout,
 * specific gRPC codes before the "Failed to register agent pod" fallback).
 */

export interface ClassifyContext {
  /** Host of the Deployment's --kas-address. */
  kasHost?: string;
  /** The agent's ServiceAccount, to tell its RBAC errors from an impersonated identity's. */
  serviceAccount?: { namespace: string; name: string };
}

const KAS_MARKER =
  /Error while dialing|WebSocket dial|connection error: desc|authentication handshake failed|failed to send handshake request|GetConfiguration|Reverse tunnel|Connect\(\)|\/-\/kubernetes-agent|Error handling a connection|Failed to register agent pod|rpc error: code = /;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function aboutKas(text: string, ctx: ClassifyContext): boolean {
  if (KAS_MARKER.test(text)) return true;
  return ctx.kasHost !== undefined && new RegExp(`(^|[^A-Za-z0-9.-])${escapeRegExp(ctx.kasHost)}([^A-Za-z0-9-]|$)`).test(text);
}

export interface LogClass {
  id: string;
  category: Category;
  layer: Layer;
  /** fail unless noted; some classes are only worth a warning */
  status: Exclude<Status, 'ok' | 'skip'>;
  title: string;
  /** Needs the line to be about KAS (see aboutKas). */
  kasOnly: boolean;
  /** Whether a successful connection seen by GitLab makes this line a past blip (network/TLS classes). */
  transient: boolean;
  match(text: string, line: LogLine, ctx: ClassifyContext): RegExpExecArray | boolean | null;
}

const re = (r: RegExp) => (text: string) => r.exec(text);

export const LOG_CLASSES: readonly LogClass[] = [
  {
    id: 'AGK-PROXY',
    category: 'proxy-error',
    layer: 'connection',
    status: 'fail',
    title: 'The HTTP proxy fails agentk',
    kasOnly: false,
    transient: true,
    match: re(/proxyconnect tcp|Proxy Authentication Required|failed to do connect handshake|proxy: unknown scheme|socks connect/),
  },
  {
    id: 'AGK-X509-CA',
    category: 'kas-tls-untrusted-ca',
    layer: 'connection',
    status: 'fail',
    title: "KAS's certificate is signed by an unknown authority",
    kasOnly: true,
    transient: false,
    match: re(/x509: certificate signed by unknown authority/),
  },
  {
    id: 'AGK-X509-NAME',
    category: 'kas-tls-name-mismatch',
    layer: 'connection',
    status: 'fail',
    title: "KAS's certificate does not name the host agentk dials",
    kasOnly: true,
    transient: false,
    match: re(
      /x509: certificate is valid for (.+?), not ([^\s"\\]+)|x509: cannot validate certificate for ([^\s"\\]+) because it doesn't contain any IP SANs|x509: certificate is not valid for any names, but wanted to match ([^\s"\\]+)|x509: certificate relies on legacy Common Name field/,
    ),
  },
  {
    id: 'AGK-X509-TIME',
    category: 'kas-tls-expired',
    layer: 'connection',
    status: 'fail',
    title: "KAS's certificate is expired or not yet valid",
    kasOnly: true,
    transient: false,
    match: re(/x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) ([^\s"\\]+))?/),
  },
  {
    id: 'AGK-HS-3XX',
    category: 'kas-redirect',
    layer: 'connection',
    status: 'fail',
    title: 'The WebSocket handshake is redirected',
    kasOnly: false,
    transient: false,
    match: re(/expected handshake response status code 101 but got (30[0-9])/),
  },
  {
    id: 'AGK-HS-404',
    category: 'kas-redirect',
    layer: 'connection',
    status: 'fail',
    title: 'The WebSocket path does not exist (404)',
    kasOnly: false,
    transient: false,
    match: re(/expected handshake response status code 101 but got (404)/),
  },
  {
    id: 'AGK-HS-5XX',
    category: 'kas-unavailable',
    layer: 'connection',
    status: 'fail',
    title: 'The server in front of KAS answers the handshake with a server error',
    kasOnly: false,
    transient: true,
    match: re(/expected handshake response status code 101 but got (5\d\d)/),
  },
  {
    id: 'AGK-HS-BLOCKED',
    category: 'websocket-blocked',
    layer: 'connection',
    status: 'fail',
    title: 'Something in front of KAS refuses the WebSocket upgrade',
    kasOnly: false,
    transient: false,
    match: re(/expected handshake response status code 101 but got ((?!101)\d{3})/),
  },
  {
    id: 'AGK-SCHEME',
    category: 'kas-scheme-mismatch',
    layer: 'connection',
    status: 'fail',
    title: 'agentk and the endpoint speak different protocols',
    kasOnly: true,
    transient: false,
    match: re(
      /malformed HTTP response|server gave HTTP response to HTTPS client|first record does not look like a TLS handshake|http2: frame too large|error reading server preface|received unexpected content-type/,
    ),
  },
  {
    id: 'AGK-DNS',
    category: 'kas-dns',
    layer: 'connection',
    status: 'fail',
    title: 'The KAS host does not resolve in the cluster',
    kasOnly: false,
    transient: true,
    match(text, _line, ctx) {
      const m =
        /lookup ([^\s:"\\]+)(?: on [\d.:[\]a-fA-F]+)?: (no such host|server misbehaving|i\/o timeout|Temporary failure in name resolution|no answer from DNS server)/.exec(
          text,
        );
      if (!m) return null;
      return aboutKas(text, ctx) || m[1] === ctx.kasHost ? m : null;
    },
  },
  {
    id: 'AGK-REFUSED',
    category: 'kas-refused',
    layer: 'connection',
    status: 'fail',
    title: 'Nothing listens at the KAS address',
    kasOnly: true,
    transient: true,
    match: re(/dial tcp ([^\s"\\]+): connect: connection refused/),
  },
  {
    id: 'AGK-TIMEOUT',
    category: 'kas-timeout',
    layer: 'connection',
    status: 'fail',
    title: 'Connections to KAS time out',
    kasOnly: true,
    transient: true,
    match: re(
      /i\/o timeout|TLS handshake timeout|context deadline exceeded|connect: no route to host|connect: network is unreachable|code = DeadlineExceeded/,
    ),
  },
  {
    id: 'AGK-WRONG-AGENT',
    category: 'token-rejected',
    layer: 'connection',
    status: 'fail',
    title: 'The token belongs to another agent',
    kasOnly: false,
    transient: false,
    match: re(/provided agent token belongs to a different agent/),
  },
  {
    id: 'AGK-UNAUTH',
    category: 'token-rejected',
    layer: 'connection',
    status: 'fail',
    title: "KAS rejects the agent's token (Unauthenticated)",
    kasOnly: false,
    transient: false,
    match: re(/code = Unauthenticated/),
  },
  {
    id: 'AGK-FORBIDDEN',
    category: 'token-rejected',
    layer: 'connection',
    status: 'fail',
    title: 'GitLab denies the agent (PermissionDenied)',
    kasOnly: false,
    transient: false,
    match: re(/code = PermissionDenied/),
  },
  {
    id: 'AGK-NOTFOUND',
    category: 'agent-not-registered',
    layer: 'connection',
    status: 'fail',
    title: 'KAS does not know this agent',
    kasOnly: false,
    transient: false,
    match: re(/code = NotFound desc = agent not found/),
  },
  {
    id: 'AGK-GZIP',
    category: 'version-skew',
    layer: 'connection',
    status: 'fail',
    title: 'agentk is newer than KAS (gzip decompressor missing)',
    kasOnly: false,
    transient: false,
    match: re(/Decompressor is not installed for grpc-encoding/),
  },
  {
    id: 'AGK-UNIMPLEMENTED',
    category: 'version-skew',
    layer: 'connection',
    status: 'fail',
    title: 'KAS does not implement what agentk calls',
    kasOnly: false,
    transient: false,
    match: re(/code = Unimplemented/),
  },
  {
    id: 'AGK-KAS-UPSTREAM',
    category: 'kas-unavailable',
    layer: 'connection',
    status: 'fail',
    title: 'KAS answers, but fails behind it (Unavailable)',
    kasOnly: false,
    transient: true,
    match: (text) => (/code = Unavailable desc = unavailable/.test(text) && !/connection error/.test(text) ? true : null),
  },
  {
    id: 'AGK-REGISTER',
    category: 'version-skew',
    layer: 'connection',
    status: 'fail',
    title: 'agentk cannot register its pod with KAS',
    kasOnly: false,
    transient: false,
    match: (_text, line) => (/Failed to register agent pod/.test(line.msg ?? '') ? true : null),
  },
  {
    id: 'AGK-RBAC',
    category: 'agent-rbac-insufficient',
    layer: 'workload',
    status: 'fail',
    title: "The agent's ServiceAccount lacks permissions",
    kasOnly: false,
    transient: false,
    match(text, _line, ctx) {
      const m =
        /is forbidden: User \\?"system:serviceaccount:([^:"\\]+):([^"\\]+)\\?" cannot (\S+) resource \\?"([^"\\]+)\\?"(?: in API group \\?"([^"\\]*)\\?")?(?: (?:at the cluster scope|in the namespace \\?"([^"\\]+)\\?"))?/.exec(
          text,
        );
      if (!m) return null;
      const sa = ctx.serviceAccount;
      return !sa || (m[1] === sa.namespace && m[2] === sa.name) ? m : null;
    },
  },
  {
    id: 'AGK-IMPERSONATED',
    category: 'not-the-agent',
    layer: 'workload',
    status: 'warn',
    title: 'Kubernetes denies an identity the agent impersonates',
    kasOnly: false,
    transient: false,
    match: re(/is forbidden: User \\?"(gitlab:[^"\\]+)\\?" cannot (\S+) resource \\?"([^"\\]+)\\?"/),
  },
  {
    id: 'AGK-FLAG',
    category: 'agent-args-invalid',
    layer: 'workload',
    status: 'fail',
    title: 'agentk rejects its command line',
    kasOnly: false,
    transient: false,
    match: re(/unknown (?:shorthand )?flag: ('?[^\s']+'?)|flag provided but not defined: (\S+)/),
  },
  {
    id: 'AGK-TOKENFILE',
    category: 'token-secret-missing',
    layer: 'workload',
    status: 'fail',
    title: 'agentk cannot read its token file',
    kasOnly: false,
    transient: false,
    match: re(/open (\S*token\S*): no such file or directory/),
  },
  {
    id: 'AGK-LEGACY-GITOPS',
    category: 'agent-config-invalid',
    layer: 'gitlab',
    status: 'warn',
    title: 'The removed agent-side GitOps module is still configured',
    kasOnly: false,
    transient: false,
    match: (text, line) => (line.modName === 'gitops' && /project not found|inventory policy prevented actuation/.test(text) ? true : null),
  },
];

export interface Classified {
  cls: LogClass;
  line: LogLine;
  match: RegExpExecArray | null;
}

/** The class of one warn/error line, or undefined (info lines, and lines no class explains). */
export function classifyLine(raw: string, ctx: ClassifyContext): Classified | undefined {
  const line = parseLogLine(raw);
  if (!isProblemLine(line)) return undefined;
  const text = textOf(line);
  const kas = aboutKas(text, ctx);
  for (const cls of LOG_CLASSES) {
    if (cls.kasOnly && !kas) continue;
    const m = cls.match(text, line, ctx);
    if (m) return { cls, line, match: m === true ? null : m };
  }
  return undefined;
}

export function classifyContext(e: Evidence): ClassifyContext {
  const ctx: ClassifyContext = {};
  const host = parseKasUrl(kasAddressOf(e.workload?.deployment))?.host;
  if (host) ctx.kasHost = host;
  const sa = e.workload?.deployment?.serviceAccountName;
  if (sa) ctx.serviceAccount = { namespace: e.workload?.namespace ?? e.context.namespace, name: sa };
  return ctx;
}

export interface Hit extends Classified {
  chunk: LogChunk;
}

export function classifyChunks(chunks: readonly LogChunk[], ctx: ClassifyContext): Hit[] {
  const hits: Hit[] = [];
  for (const chunk of chunks) {
    for (const raw of chunk.lines) {
      const c = classifyLine(raw, ctx);
      if (c) hits.push({ ...c, chunk });
    }
  }
  return hits;
}

/** A line older than this (by its own time field) in a running container is history, not the present. */
const RECENT_MS = 15 * 60_000;
const MAX_EVIDENCE_LINES = 3;

function proxyName(p: ReturnType<typeof proxyEnvOf>): string {
  const v = p.httpsProxy?.value ?? p.httpProxy?.value;
  return v ? ` ${maskUrlCredentials(v)}` : '';
}

function fixFor(cls: LogClass, hit: Hit, e: Evidence): { cause: string; fix: string; docsUrl: string } {
  const d = e.workload?.deployment;
  const current = kasAddressOf(d);
  const kas = parseKasUrl(current);
  const advertised = e.gitlab?.metadata?.kas.externalUrl ?? undefined;
  const adv = parseKasUrl(advertised);
  const proxy = proxyEnvOf(d);
  const upgrade = (flags: string) => fill(`gitlab-agent-tui upgrade --release <release> --namespace <namespace> ${flags}`, e.context);
  const useAdvertised =
    adv && kas && (adv.host !== kas.host || adv.port !== kas.port || adv.scheme !== kas.scheme)
      ? upgrade(`--kas-address ${adv.raw}`)
      : undefined;
  const m = hit.match;
  const host = kas?.host ?? '<kas-host>';
  switch (cls.id) {
    case 'AGK-PROXY':
      return {
        cause: `agentk's connection through the proxy${proxyName(proxy)} fails: the proxy is unreachable, the proxy URL is wrong, or the proxy wants authentication.`,
        fix: upgrade('--https-proxy <proxy-url> --no-proxy <kubernetes-service-ip>,.svc,.cluster.local'),
        docsUrl: DOCS.httpProxy,
      };
    case 'AGK-X509-CA':
      return {
        cause: proxy.httpsProxy
          ? "agentk does not trust the CA that signed KAS's certificate; with a proxy set this is often the proxy's TLS-intercepting CA."
          : "KAS's certificate is signed by a CA (internal or self-signed) that agentk does not trust.",
        fix: upgrade('--kas-ca-cert <ca-file>'),
        docsUrl: DOCS.unknownAuthority,
      };
    case 'AGK-X509-NAME': {
      const valid = m?.[1];
      return {
        cause: valid
          ? `KAS's certificate is valid for ${valid}, not for ${m?.[2] ?? host}, the host agentk dials.`
          : `KAS's certificate does not name ${m?.[3] ?? m?.[4] ?? host} (an IP address or another name is dialled).`,
        fix:
          useAdvertised ??
          upgrade('--kas-address <address-with-a-name-in-the-certificate>') +
            ' (or --set extraArgs={--kas-tls-server-name=<name-in-certificate>})',
        docsUrl: DOCS.troubleshooting,
      };
    }
    case 'AGK-X509-TIME':
      return {
        cause:
          m?.[2] === 'before'
            ? "KAS's certificate is not valid yet for the pod's clock: the node's clock is behind."
            : "KAS's certificate has expired (or the node's clock is ahead).",
        fix:
          m?.[2] === 'before'
            ? 'Fix the node clock (NTP) on the nodes running agentk'
            : 'A GitLab administrator renews the KAS certificate; check the node clocks (NTP)',
        docsUrl: DOCS.troubleshooting,
      };
    case 'AGK-HS-3XX':
    case 'AGK-HS-404': {
      const code = m?.[1] ?? '';
      const target = adv?.websocket ? adv.raw : kas ? withTrailingSlash(kas) : '<wss-url-with-trailing-slash>';
      return {
        cause:
          code === '404'
            ? 'The WebSocket path of the KAS address does not exist on that server (404).'
            : `The server redirects the WebSocket handshake (${code}): usually the /-/kubernetes-agent path lacks its trailing slash, or ws:// is redirected to https.`,
        fix: upgrade(`--kas-address ${target}`),
        docsUrl: DOCS.websocketDial,
      };
    }
    case 'AGK-HS-5XX':
      return {
        cause: `The reverse proxy in front of KAS answers ${m?.[1] ?? '5xx'}: KAS is down or unreachable behind it.`,
        fix: 'A GitLab administrator checks KAS: sudo gitlab-ctl status gitlab-kas; sudo gitlab-ctl tail gitlab-kas',
        docsUrl: DOCS.kasAdmin,
      };
    case 'AGK-HS-BLOCKED':
      return {
        cause: `A proxy, load balancer or SSO gateway in front of KAS answers the WebSocket upgrade with ${m?.[1] ?? 'a non-101 status'} instead of 101 Switching Protocols.`,
        fix:
          adv && !adv.websocket
            ? upgrade(`--kas-address ${adv.raw}`)
            : `Let the front end pass WebSocket upgrades (HTTP/1.1, Upgrade and Connection headers) for ${kas ? httpUrlOf(kas) : 'the KAS path'}, or use grpcs:// if it speaks HTTP/2 to KAS`,
        docsUrl: DOCS.websocketDial,
      };
    case 'AGK-SCHEME':
      return {
        cause: `agentk dials ${kas?.scheme ?? 'one scheme'}:// but the endpoint speaks another protocol (HTTP/2 gRPC vs WebSocket, or TLS vs plain text).`,
        fix: useAdvertised ?? upgrade(`--kas-address <the address GET /api/v4/metadata advertises as kas.externalUrl>`),
        docsUrl: DOCS.handshakeRequest,
      };
    case 'AGK-DNS':
      return {
        cause: `The host ${m?.[1] ?? host} does not resolve inside the cluster (a typo, or a name that only exists outside the cluster).`,
        fix:
          useAdvertised ??
          fill(
            'Check cluster DNS: kubectl -n <namespace> run dns-check --rm -it --restart=Never --image=busybox:1.36 -- nslookup <host>; if the name only resolves outside the cluster, add hostAliases: --set hostAliases[0].ip=<ip> --set hostAliases[0].hostnames[0]=<host>',
            e.context,
            { host: m?.[1] ?? kas?.host },
          ),
        docsUrl: DOCS.websocketDial,
      };
    case 'AGK-REFUSED':
      return {
        cause: `Nothing accepts connections at ${m?.[1] ?? host} (a wrong port, KAS not listening, or a load balancer without a backend).`,
        fix:
          useAdvertised ??
          fill(`Check the port: curl -sv ${kas ? httpUrlOf(kas) : '<kas-url>'} from a machine in the cluster's network`, e.context),
        docsUrl: DOCS.websocketDial,
      };
    case 'AGK-TIMEOUT':
      return {
        cause: proxy.httpsProxy
          ? 'Connections to KAS time out even through the configured proxy (the proxy or a firewall drops them).'
          : 'Connections to KAS time out: egress from the cluster is blocked (firewall, NetworkPolicy) or a proxy is required.',
        fix: proxy.httpsProxy
          ? `Check that the proxy${proxyName(proxy)} lets CONNECT to ${host}:${kas?.port ?? 443} through`
          : `Open egress to ${host}:${kas?.port ?? 443}, or ${upgrade('--https-proxy <proxy-url> --no-proxy <kubernetes-service-ip>,.svc,.cluster.local')}`,
        docsUrl: DOCS.httpProxy,
      };
    case 'AGK-WRONG-AGENT':
    case 'AGK-UNAUTH':
    case 'AGK-FORBIDDEN':
      return {
        cause:
          cls.id === 'AGK-WRONG-AGENT'
            ? 'The Secret holds a token created for a different agent.'
            : cls.id === 'AGK-FORBIDDEN'
              ? 'GitLab answered 403 for this agent: the agent or its project is not accessible any more.'
              : "KAS rejects the agent's token (GitLab answered 401): the token is invalid, revoked or of a deleted agent.",
        fix: fill(
          'Create a new token for <agent> in GitLab, write it into the token Secret (key token), then kubectl -n <namespace> rollout restart deployment of the agent',
          e.context,
        ),
        docsUrl: DOCS.agentsApi,
      };
    case 'AGK-NOTFOUND':
      return {
        cause: 'KAS finds no agent for this token: the agent was deleted or the token belongs to no registered agent.',
        fix: fill('gitlab-agent-tui install --project <project> --agent <agent> --namespace <namespace>', e.context),
        docsUrl: DOCS.registerAgent,
      };
    case 'AGK-GZIP':
    case 'AGK-UNIMPLEMENTED':
    case 'AGK-REGISTER': {
      const tag = recommendedTag(e.gitlab?.metadata?.kas.version, e.gitlab?.metadata?.version);
      return {
        cause:
          cls.id === 'AGK-REGISTER'
            ? "KAS refuses agentk's registration, which GitLab attributes to agentk and KAS running different versions (or KAS being unhealthy)."
            : 'agentk uses a protocol feature this KAS does not have: agentk is newer than KAS.',
        fix: upgrade(`--image-tag ${tag ?? 'v<gitlab-major>.<gitlab-minor>.0'}`),
        docsUrl: cls.id === 'AGK-GZIP' ? DOCS.decompressor : cls.id === 'AGK-REGISTER' ? DOCS.registerPod : DOCS.versionCompat,
      };
    }
    case 'AGK-KAS-UPSTREAM':
      return {
        cause:
          'agentk reaches KAS, but KAS fails when it calls GitLab (for example its own certificate or address problems): an administrator-side fault.',
        fix: "A GitLab administrator reads the KAS log (sudo gitlab-ctl tail gitlab-kas) and checks gitlab_kas['gitlab_address'] and /etc/gitlab/trusted-certs",
        docsUrl: DOCS.kasAdmin,
      };
    case 'AGK-RBAC': {
      const [, ns, sa, verb, resource, group, namespace] = m ?? [];
      const res = group ? `${resource}.${group}` : (resource ?? '<resource>');
      return {
        cause: `Kubernetes forbids the agent's ServiceAccount ${ns}:${sa} to ${verb} ${res}${namespace ? ` in ${namespace}` : ' cluster-wide'}, which agentk needs.`,
        fix: namespace
          ? `kubectl -n ${namespace} create role gitlab-agent-${verb}-${resource} --verb=${verb} --resource=${res} && kubectl -n ${namespace} create rolebinding gitlab-agent-${verb}-${resource} --role=gitlab-agent-${verb}-${resource} --serviceaccount=${ns}:${sa}`
          : `kubectl create clusterrole gitlab-agent-${verb}-${resource} --verb=${verb} --resource=${res} && kubectl create clusterrolebinding gitlab-agent-${verb}-${resource} --clusterrole=gitlab-agent-${verb}-${resource} --serviceaccount=${ns}:${sa}`,
        docsUrl: DOCS.rbac,
      };
    }
    case 'AGK-IMPERSONATED':
      return {
        cause: `The agent forwarded a request as ${m?.[1] ?? 'an impersonated identity'} and Kubernetes denied it: that identity's RBAC, not the agent, is the fault.`,
        fix: `Grant ${m?.[1] ?? '<identity>'} the access in the cluster, e.g. kubectl create rolebinding <name> --clusterrole=<role> --user=${m?.[1] ?? '<identity>'} -n <target-namespace>`,
        docsUrl: DOCS.rbac,
      };
    case 'AGK-FLAG':
      return {
        cause: `agentk does not accept ${m?.[1] ?? m?.[2] ?? 'a flag'}: --ca-cert-file was removed in GitLab 17.0 (now --kas-ca-cert-file), other flags come from extraArgs.`,
        fix: upgrade('--kas-ca-cert <ca-file>') + ' and drop the old flag from extraArgs (config.caCert → config.kasCaCert)',
        docsUrl: DOCS.chartValues,
      };
    case 'AGK-TOKENFILE':
      return {
        cause: 'The token Secret is mounted but has no key "token", so /etc/agentk/secrets/token does not exist.',
        fix: fill(
          'kubectl -n <namespace> create secret generic <secret> --from-file=token=<token-file> --dry-run=client -o yaml | kubectl apply -f -',
          e.context,
          {
            secret: e.workload?.tokenSecret?.name,
          },
        ),
        docsUrl: DOCS.secrets,
      };
    case 'AGK-LEGACY-GITOPS':
      return {
        cause: 'The agent config still uses gitops: (agent-side GitOps), which GitLab removed in 17.0.',
        fix: fill('Remove gitops: from .gitlab/agents/<agent>/config.yaml in <project> and deploy the manifests with Flux', e.context),
        docsUrl: DOCS.migrateToFlux,
      };
    default:
      return { cause: cls.title, fix: '', docsUrl: DOCS.troubleshooting };
  }
}

/** Is any agent container not ready right now (so its previous container's last words explain the present)? */
function crashing(e: Evidence): boolean {
  return (e.workload?.pods ?? []).some((p) =>
    p.containers.some((c) => !c.ready && (c.reason === 'CrashLoopBackOff' || c.restartCount > 0)),
  );
}

export const agkLogs = defineCheck({
  id: 'AGK',
  layer: 'connection',
  title: "agentk's log lines",
  dependsOn: [],
  fatal: false,
  run(e, self) {
    const chunks = e.logs;
    if (!chunks) return [notApplicable(self, 'the agent logs were not read')];
    const lines = chunks.reduce((n, c) => n + c.lines.length, 0);
    if (lines === 0) return [notApplicable(self, 'no agent log lines (no pod has started yet?)')];
    const hits = classifyChunks(chunks, classifyContext(e));
    const now = Date.parse(e.observedAt);
    const connected = gitlabSeesAgentConnected(e);
    const isCrashing = crashing(e);
    const byId = new Map<string, Hit[]>();
    for (const h of hits) byId.set(h.cls.id, [...(byId.get(h.cls.id) ?? []), h]);
    const findings: Finding[] = [];
    for (const cls of LOG_CLASSES) {
      const group = byId.get(cls.id);
      if (!group) continue;
      // Present or past? The newest line of the class decides.
      const fresh = group.some((h) => {
        if (h.chunk.previous) return isCrashing;
        const t = timeOf(h.line);
        return t === undefined || Number.isNaN(now) || now - t <= RECENT_MS;
      });
      let status: Exclude<Status, 'ok' | 'skip'> = cls.status;
      const notes: string[] = [];
      if (!fresh) {
        status = 'warn';
        notes.push('not seen in the last 15 minutes');
      } else if (cls.transient && connected === true) {
        status = 'warn';
        notes.push('GitLab saw the agent connect in the last 8 minutes: an intermittent problem');
      }
      const pods = [...new Set(group.map((h) => `${h.chunk.pod}${h.chunk.previous ? ' (previous container)' : ''}`))];
      const distinct = [...new Set(group.map((h) => h.line.raw))].slice(-MAX_EVIDENCE_LINES);
      const { cause, fix, docsUrl } = fixFor(cls, group[group.length - 1]!, e);
      findings.push(
        problem(self, {
          suffix: cls.id.replace(/^AGK-/, ''),
          status,
          category: cls.category,
          layer: cls.layer,
          title: cls.title,
          evidence: [`${group.length} matching line(s) in ${pods.join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''}`, ...distinct],
          cause,
          fix,
          docsUrl,
        }),
      );
    }
    if (findings.length) return findings;
    return [ok(self, [`${lines} line(s) from ${chunks.length} container log(s): no known problem pattern`])];
  },
});

const AGENTK_LOG_CHECKS = [agkLogs];

/** Categories the log classifier can name, for the vocabulary test and the UI legend. */
export const LOG_CATEGORIES: ReadonlySet<Category> = new Set(LOG_CLASSES.map((c) => c.category));
