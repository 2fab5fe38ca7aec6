import { agentContainer, argValue, caFileOf, kasAddressOf, kasHeadersOf, proxyEnvOf } from '../../diagnosis/deployment-args.js';
import { maskKasHeader } from '../../diagnosis/kas-headers.js';
import type { DeploymentEvidence, LocalVerification } from '../../diagnosis/evidence.js';
import { parseKasUrl, type KasUrl } from '../../diagnosis/kas-address.js';
import { noProxyCovers } from '../../diagnosis/rules/connection.js';
import type { KasProbeTarget, NetworkPort } from '../../ports/network.js';
import type { ClusterReadings } from './readings.js';
import { maskUrlCredentials } from '../../plan/url-credentials.js';

/** Each probe step (DNS, TCP, TLS, the upgrade) ends within this. */
const PROBE_TIMEOUT_MS = 5000;

export type LocalLook = { local: LocalVerification; notes: string[] } | { skipped: string };

/**
 * The proxy agentk would use for this address, unless NO_PROXY covers the host, and how. Its WebSocket dial
 * goes through Go's net/http (ProxyFromEnvironment): HTTPS_PROXY and a CONNECT tunnel for wss://, HTTP_PROXY
 * and an absolute-form GET to the proxy — no CONNECT — for ws://. grpc-go dials grpc:// and grpcs:// itself
 * and reads only HTTPS_PROXY (as an https:// URL of the address), always with CONNECT.
 */
function proxyFor(
  deployment: DeploymentEvidence | null | undefined,
  kas: KasUrl,
): { value?: string; mode?: 'tunnel' | 'forward'; note?: string } {
  const env = proxyEnvOf(deployment);
  const plainHttp = kas.websocket && !kas.tls;
  const proxy = plainHttp ? env.httpProxy : env.httpsProxy;
  if (!proxy) return {};
  if (env.noProxy?.value !== undefined && noProxyCovers(env.noProxy.value, kas.host)) return {};
  if (proxy.value === undefined)
    return {
      note: `the Deployment's ${proxy.name} comes from ${proxy.valueFrom ?? 'a reference'}, which is not read: KAS was probed directly`,
    };
  return { value: proxy.value, mode: plainHttp ? 'forward' : 'tunnel' };
}

/**
 * Verification from this machine of the address the Deployment dials: DNS, TCP, for wss/grpcs the TLS
 * handshake against the system CAs and — when agentk has its own CA (--kas-ca-cert-file) — against them plus
 * that CA as read from its ConfigMap, and for ws/wss a WebSocket upgrade request (never a token). TLS and the
 * upgrade go through the Deployment's proxy when it has one that answers from here. It approximates the pods'
 * view only: their DNS, proxy and egress can differ.
 */
export async function probeKasFromHere(
  network: NetworkPort | undefined,
  deployment: DeploymentEvidence | null | undefined,
  kasCa: ClusterReadings['kasCa'],
  signal: AbortSignal,
): Promise<LocalLook> {
  if (!network)
    return { skipped: 'verification from this machine is not available here (a simulation): the NET-DNS/TCP/TLS/UPGRADE checks skip' };
  const raw = kasAddressOf(deployment);
  const kas = parseKasUrl(raw);
  if (!raw || !kas) return { skipped: 'no KAS address to verify from this machine (no --kas-address on the Deployment)' };
  const notes: string[] = [];
  const caFile = caFileOf(deployment);
  const ca = caFile && kasCa && 'pem' in kasCa ? kasCa.pem : undefined;
  if (kas.tls && caFile && !ca) {
    notes.push(
      `KAS's certificate was not judged from this machine: agentk uses its own CA (${caFile}${kasCa ? `, from ${kasCa.source}` : ''}), which could not be read${kasCa && 'notRead' in kasCa ? `: ${kasCa.notRead}` : ''}`,
    );
  }
  const proxy = proxyFor(deployment, kas);
  if (proxy.note) notes.push(proxy.note);
  const { headers, invalid } = kas.websocket ? kasHeadersOf(deployment) : { headers: [], invalid: [] };
  for (const raw of invalid)
    notes.push(
      `the Deployment's --kas-header ${JSON.stringify(maskKasHeader(raw))} is not "Name: value" Go can send: the upgrade was probed without it`,
    );
  const target: KasProbeTarget = {
    host: kas.host,
    port: kas.port,
    tls: kas.tls,
    serverName: argValue(agentContainer(deployment)?.args ?? [], '--kas-tls-server-name') ?? kas.host,
    judgeTls: !(caFile && !ca),
    ...(ca ? { configuredCa: ca } : {}),
    ...(kas.websocket ? { upgradePath: kas.path || '/' } : {}),
    ...(headers.length ? { headers } : {}),
    ...(proxy.value ? { proxy: proxy.value, proxyMode: proxy.mode ?? 'tunnel' } : {}),
  };
  const { proxyNote, ...result } = await network.probeKas(target, PROBE_TIMEOUT_MS, signal);
  if (proxyNote) notes.push(proxyNote);
  return {
    local: {
      kasAddress: raw,
      ...result,
      ...(result.viaProxy ? { viaProxy: maskUrlCredentials(result.viaProxy) } : {}),
      // Names only: a header's value may be a credential.
      ...(result.upgrade && headers.length ? { upgradeHeaders: headers.map((h) => maskKasHeader(`${h.name}: ${h.value}`)) } : {}),
    },
    notes,
  };
}
