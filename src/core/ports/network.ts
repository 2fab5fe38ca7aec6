import type { LocalVerification } from '../diagnosis/evidence.js';

/** Where to probe: the KAS host and port the agent's --kas-address names, and whether it speaks TLS. */
export interface KasProbeTarget {
  host: string;
  port: number;
  tls: boolean;
  /** The name the certificate must carry (--kas-tls-server-name, else the host). */
  serverName: string;
}

/** What this machine saw of KAS: DNS, then TCP, then (for wss/grpcs) a TLS handshake against the system CAs. */
export type KasProbeResult = Pick<LocalVerification, 'dns' | 'tcp' | 'tls'>;

/**
 * Verification from this machine, for the doctor: read-only network probes that never send a token.
 * Each step runs only when the one before it worked; every step ends within `timeoutMs`.
 */
export interface NetworkPort {
  probeKas(target: KasProbeTarget, timeoutMs: number, signal: AbortSignal): Promise<KasProbeResult>;
}
