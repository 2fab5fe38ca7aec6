import type { LogChunk } from '../../diagnosis/evidence.js';
import type { GitLabAgent, GitLabAgentToken, GitLabMetadata, GitLabProject } from '../../ports/gitlab.js';
import type { HelmRelease, HelmRevision } from '../../ports/helm.js';
import type { KubeObject, TokenSecretInfo } from '../../ports/kube/index.js';

/**
 * What the ports answered about one install's cluster side, as they answered it (raw Kubernetes objects,
 * helm's release, the token Secret's metadata). `toEvidence` turns it into Evidence. A field left
 * undefined was not read (no access, a failed call): the checks that need it skip.
 */
export interface ClusterReadings {
  namespace: string;
  /** null: helm has no release of the chart here. */
  release?: HelmRelease | null;
  history?: HelmRevision[];
  /** null: no such Deployment. */
  deployment?: KubeObject | null;
  pods?: KubeObject[];
  /** Every event in the namespace; only the Warnings about the Deployment, its ReplicaSets and pods are kept. */
  events?: KubeObject[];
  /** The Secret the Deployment mounts (metadata only: the value never leaves the adapter); null: it does not exist. */
  tokenSecret?: TokenSecretInfo | null;
  logs?: LogChunk[];
  /** default/kubernetes */
  kubernetesService?: KubeObject | null;
  /**
   * The CA agentk verifies KAS with (--kas-ca-cert-file), read from the ConfigMap mounted at that path (the
   * chart's `<fullname>` ConfigMap, key ca.crt). Absent: no such flag, or not read (then `notRead` says why).
   */
  kasCa?: { source: string; pem: string } | { source: string; notRead: string };
  flux?: FluxReadings;
}

export interface FluxReadings {
  /** Served versions of Flux's source, kustomize and helm groups ([] when not served). */
  served: { source: string[]; kustomize: string[]; helm: string[] };
  controllers?: KubeObject[];
  gitRepositories: KubeObject[];
  kustomizations: KubeObject[];
  helmRepositories: KubeObject[];
  helmCharts: KubeObject[];
  /** OCIRepositories and Buckets: chart sources a HelmRelease may name (listed when their kind is served). */
  ociRepositories: KubeObject[];
  buckets: KubeObject[];
  helmReleases: KubeObject[];
  /** The install is Flux-managed (its Deployment carries helm-controller's labels, or a HelmRelease of the chart targets it). */
  managed: boolean;
  expectedHelmRelease?: { name: string; namespace: string };
}

/** What GitLab answered, call by call. Absent: not asked. */
export interface GitLabReadings {
  url: string;
  /** undefined: GitLab answered; else the transport error. */
  unreachable?: { error: string; code?: string };
  user?: { state: 'valid' | 'unauthorized' | 'revoked' | 'expired' | 'insufficient-scope'; scopes?: string[]; message?: string };
  metadata?: GitLabMetadata;
  metadataError?: string;
  /** Where the agent should be registered; project null: not found or not visible. */
  agent?: { projectPath: string; name: string; project: GitLabProject | null; agents?: GitLabAgent[] };
  /** The Secret's token, by its id annotation: null = GitLab answered 404 (revoked or gone). */
  agentToken?: { tokenId: number | null; token?: GitLabAgentToken | null; active?: GitLabAgentToken[] };
  configFile?: { path: string; ref: string; text: string | null };
}
