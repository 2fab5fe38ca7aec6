import type { Secret } from '../secret.js';
import type { ReadinessSnapshot } from '../readiness/snapshot.js';

/** Where the kubeconfig comes from: --kubeconfig wins, else KUBECONFIG (several files), else ~/.kube/config. */
export interface KubeConfigSource {
  kubeconfig?: string;
}

export interface KubeContextInfo {
  name: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
  current: boolean;
}

export type ProbeFailureKind = 'unreachable' | 'unauthorized' | 'exec-plugin' | 'tls' | 'timeout' | 'other';

export type ProbeResult =
  | { ok: true; serverVersion: string; elapsedMs: number }
  | { ok: false; kind: ProbeFailureKind; message: string; elapsedMs: number };

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  /** Absent for cluster-scoped resources. */
  namespace?: string;
}

export interface AccessResult extends AccessCheck {
  allowed: boolean;
  reason?: string;
}

/** A gitlab-agent Deployment already in the cluster (found by the chart's labels). */
export interface ExistingAgentDeployment {
  namespace: string;
  name: string;
  /** app.kubernetes.io/instance: the helm release. */
  release?: string;
}

export interface TokenSecretInfo {
  namespace: string;
  name: string;
  /** gitlab.com/agent-token-id annotation. */
  tokenId?: number;
  /** Labelled by this tool (app.kubernetes.io/managed-by=gitlab-agent-tui). */
  managedByUs: boolean;
  hasTokenKey: boolean;
}

export interface TokenSecretSpec {
  namespace: string;
  name: string;
  token: Secret;
  tokenId: number;
  agentName: string;
  agentId: number;
}

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
}

/** One cluster reached through one context. All calls honour short timeouts. */
export interface KubeCluster {
  readonly context: string;
  serverVersion(): Promise<string>;
  canI(checks: AccessCheck[]): Promise<AccessResult[]>;
  namespaceExists(name: string): Promise<boolean>;
  createNamespace(name: string): Promise<void>;
  deleteNamespace(name: string): Promise<void>;
  findAgentDeployments(namespace?: string): Promise<ExistingAgentDeployment[]>;
  getTokenSecret(namespace: string, name: string): Promise<TokenSecretInfo | undefined>;
  /** Create, or replace if it exists; the value travels only in the API request body. */
  writeTokenSecret(spec: TokenSecretSpec): Promise<void>;
  deleteSecret(namespace: string, name: string): Promise<void>;
  /**
   * Watch (never poll) the Deployment, pods and events matching the selector and report each change.
   * Resolves when signal aborts; survives disconnects (resume, relist on 410).
   */
  watchReadiness(
    namespace: string,
    labelSelector: string,
    onSnapshot: (snapshot: ReadinessSnapshot) => void,
    signal: AbortSignal,
  ): Promise<void>;
  podLogs(request: PodLogRequest): Promise<string[]>;
}

export interface KubePort {
  /** Throws UsageError when there is no kubeconfig or it cannot be parsed. */
  listContexts(source: KubeConfigSource): Promise<KubeContextInfo[]>;
  probe(source: KubeConfigSource, context: string, timeoutMs: number): Promise<ProbeResult>;
  cluster(source: KubeConfigSource, context: string): Promise<KubeCluster>;
}
