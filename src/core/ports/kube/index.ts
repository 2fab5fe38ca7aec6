import type { KubeAccess } from './access.js';
import type { KubeHelmReleases } from './helm-releases.js';
import type { KubeConfigSource, KubeContextInfo, ProbeResult } from './config.js';
import type { KubeNamespaces } from './namespaces.js';
import type { KubeObjects } from './objects.js';
import type { KubeSecrets } from './secrets.js';
import type { KubeWorkloads } from './workloads.js';

export type * from './access.js';
export type * from './config.js';
export type * from './helm-releases.js';
export type * from './namespaces.js';
export type * from './objects.js';
export type * from './secrets.js';
export type * from './workloads.js';

/**
 * One cluster reached through one context, by concern; a step asks for the concern it needs
 * (KubeAccess, KubeSecrets, …). All calls honour short timeouts.
 */
export interface KubeCluster extends KubeAccess, KubeNamespaces, KubeSecrets, KubeWorkloads, KubeObjects, KubeHelmReleases {
  readonly context: string;
  serverVersion(): Promise<string>;
}

export interface KubePort {
  /** Throws UsageError when there is no kubeconfig or it cannot be parsed. */
  listContexts(source: KubeConfigSource): Promise<KubeContextInfo[]>;
  probe(source: KubeConfigSource, context: string, timeoutMs: number): Promise<ProbeResult>;
  cluster(source: KubeConfigSource, context: string): Promise<KubeCluster>;
}
