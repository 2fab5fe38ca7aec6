import type { LocalVerification } from '../diagnosis/evidence.js';

/** Where to probe: the KAS host and port the agent's --kas-address names, and whether it speaks TLS. */
export interface KasProbeTarget {
  host: string;
  port: number;
  tls: boolean;
  /** The name the certificate must carry (--kas-tls-server-name, else the host). */
  serverName: string;
  /**
   * Judge the certificate: a handshake against the system CAs, and one more against them plus `configuredCa`
   * when given. False when agentk uses a CA that could not be read (a system-CA verdict would be a false alarm).
   */
  judgeTls?: boolean;
  /** The CA agentk verifies KAS with (--kas-ca-cert-file, PEM as its ConfigMap holds it). */
  configuredCa?: string;
  /** For ws:// and wss://: the path agentk's WebSocket dial GETs; a GET with Upgrade: websocket is sent there (never a token). */
  upgradePath?: string;
  /** The Deployment's HTTPS_PROXY (HTTP_PROXY for ws://) when it applies to the KAS host: TLS and the upgrade go through it if it answers from here. */
  proxy?: string;
}

/** What this machine saw of KAS: DNS, then TCP, then (for wss/grpcs) TLS handshakes, then the WebSocket upgrade. */
export type KasProbeResult = Pick<LocalVerification, 'dns' | 'tcp' | 'tls' | 'upgrade' | 'viaProxy'> & {
  /** Why the Deployment's proxy was not used from here (it did not answer, it refused the tunnel, a scheme we do not speak). */
  proxyNote?: string;
};

/**
 * Verification from this machine, for the doctor: read-only network probes that never send a token.
 * Each step runs only when the one before it worked; every step ends within `timeoutMs`.
 */
export interface NetworkPort {
  probeKas(target: KasProbeTarget, timeoutMs: number, signal: AbortSignal): Promise<KasProbeResult>;
}
