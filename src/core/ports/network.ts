import type { LocalVerification } from '../diagnosis/evidence.js';
import type { KasHeader } from '../diagnosis/kas-headers.js';

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
  /** The Deployment's --kas-header values: sent on the upgrade request, as agentk sends them on its WebSocket dial. */
  headers?: KasHeader[];
  /**
   * The Deployment's proxy for this address when it applies to the KAS host (HTTP_PROXY for ws://, HTTPS_PROXY
   * for wss://, grpc:// and grpcs://): the probes go through it if it answers from here.
   */
  proxy?: string;
  /**
   * How agentk's Go client uses that proxy. `tunnel` (the default): HTTP CONNECT to KAS, then TLS or gRPC in
   * the tunnel (net/http for https/wss, grpc-go always). `forward`: no CONNECT — the upgrade GET goes to the
   * proxy in absolute form (`GET http://kas…/path`), as net/http sends a plain-http request (ws://).
   */
  proxyMode?: 'tunnel' | 'forward';
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
