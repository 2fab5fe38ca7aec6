import { agentContainer, argValue, caFileOf, kasAddressOf, proxyEnvOf } from '../../diagnosis/deployment-args.js';
import type { DeploymentEvidence, LocalVerification } from '../../diagnosis/evidence.js';
import { parseKasUrl } from '../../diagnosis/kas-address.js';
import { noProxyCovers } from '../../diagnosis/rules/connection.js';
import type { KasProbeTarget, NetworkPort } from '../../ports/network.js';
import type { ClusterReadings } from './readings.js';
import { maskUrlCredentials } from '../../plan/url-credentials.js';

/** Each probe step (DNS, TCP, TLS, the upgrade) ends within this. */
const PROBE_TIMEOUT_MS = 5000;

export type LocalLook = { local: LocalVerification; notes: string[] } | { skipped: string };

/** The proxy Go would use for this address: HTTPS_PROXY for TLS, HTTP_PROXY for plain text, unless NO_PROXY covers the host. */
function proxyFor(deployment: DeploymentEvidence | null | undefined, host: string, tls: boolean): { value?: string; note?: string } {
  const env = proxyEnvOf(deployment);
  const proxy = tls ? env.httpsProxy : env.httpProxy;
  if (!proxy) return {};
  if (env.noProxy?.value !== undefined && noProxyCovers(env.noProxy.value, host)) return {};
  if (proxy.value === undefined)
    return {
      note: `the Deployment's ${proxy.name} comes from ${proxy.valueFrom ?? 'a reference'}, which is not read: KAS was probed directly`,
    };
  return { value: proxy.value };
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
  const proxy = proxyFor(deployment, kas.host, kas.tls);
  if (proxy.note) notes.push(proxy.note);
  const target: KasProbeTarget = {
    host: kas.host,
    port: kas.port,
    tls: kas.tls,
    serverName: argValue(agentContainer(deployment)?.args ?? [], '--kas-tls-server-name') ?? kas.host,
    judgeTls: !(caFile && !ca),
    ...(ca ? { configuredCa: ca } : {}),
    ...(kas.websocket ? { upgradePath: kas.path || '/' } : {}),
    ...(proxy.value ? { proxy: proxy.value } : {}),
  };
  const { proxyNote, ...result } = await network.probeKas(target, PROBE_TIMEOUT_MS, signal);
  if (proxyNote) notes.push(proxyNote);
  return { local: { kasAddress: raw, ...result, ...(result.viaProxy ? { viaProxy: maskUrlCredentials(result.viaProxy) } : {}) }, notes };
}
