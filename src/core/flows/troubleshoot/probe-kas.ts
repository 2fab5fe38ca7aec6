import { agentContainer, argValue, caFileOf, kasAddressOf } from '../../diagnosis/deployment-args.js';
import type { DeploymentEvidence, LocalVerification } from '../../diagnosis/evidence.js';
import { parseKasUrl } from '../../diagnosis/kas-address.js';
import type { NetworkPort } from '../../ports/network.js';

/** Each probe step (DNS, TCP, TLS) ends within this. */
const PROBE_TIMEOUT_MS = 5000;

export type LocalLook = { local: LocalVerification; note?: string } | { skipped: string };

/**
 * Verification from this machine of the address the Deployment dials: DNS, TCP and, for wss/grpcs, TLS
 * against the system CAs. When agentk verifies KAS with its own CA (--kas-ca-cert-file) this version does
 * not read that CA, so TLS is not judged (a system-CA failure would be a false alarm). It approximates the
 * pods' view only: their DNS, proxy and egress can differ.
 */
export async function probeKasFromHere(network: NetworkPort | undefined, deployment: DeploymentEvidence | null | undefined, signal: AbortSignal): Promise<LocalLook> {
  if (!network) return { skipped: 'verification from this machine is not available here (a simulation): the NET-DNS/TCP/TLS/UPGRADE checks skip' };
  const raw = kasAddressOf(deployment);
  const kas = parseKasUrl(raw);
  if (!raw || !kas) return { skipped: 'no KAS address to verify from this machine (no --kas-address on the Deployment)' };
  const ownCa = caFileOf(deployment) !== undefined;
  const serverName = argValue(agentContainer(deployment)?.args ?? [], '--kas-tls-server-name') ?? kas.host;
  const result = await network.probeKas({ host: kas.host, port: kas.port, tls: kas.tls && !ownCa, serverName }, PROBE_TIMEOUT_MS, signal);
  return {
    local: { kasAddress: raw, ...result },
    ...(kas.tls && ownCa ? { note: "KAS's certificate was not verified from this machine: agentk uses its own CA (--kas-ca-cert-file), which this version does not read" } : {}),
  };
}
