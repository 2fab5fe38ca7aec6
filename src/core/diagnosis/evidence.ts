/**
 * Everything the diagnosis reads, as plain data. Adapters (kube, GitLab, helm, probes) fill it in; the rules
 * never do I/O and never read the clock (`observedAt` is the clock).
 *
 * Convention: an absent (undefined) section or field means "not collected" (no access, not attempted), and
 * the checks that need it skip; `null` means "looked, and it does not exist".
 */

export interface DiagnosisContext {
  kubeContext?: string;
  namespace: string;
  release?: string;
  agentName?: string;
  projectPath?: string;
  gitlabUrl?: string;
}

// ---------------------------------------------------------------- GitLab

interface GitLabMetadata {
  /** e.g. "18.1.1-ee" */
  version: string;
  kas: {
    enabled: boolean;
    externalUrl: string | null;
    externalK8sProxyUrl?: string | null;
    /** null when KAS is disabled or GitLab could not ask KAS (gitlab-api-real §3.3). */
    version: string | null;
  };
}

export interface GitLabEvidence {
  url: string;
  /** Transport-level answer of the instance (any HTTP answer counts as reachable). */
  reachable: { ok: true } | { ok: false; error: string; code?: string };
  /** The user's token (not the agent's). */
  token?: {
    state: 'valid' | 'unauthorized' | 'revoked' | 'expired' | 'insufficient-scope' | 'missing';
    /** From /personal_access_tokens/self; undefined for tokens that cannot tell (OAuth). */
    scopes?: string[];
    /** GitLab's own words, e.g. "Token was revoked. You have to re-authorize from the user." */
    message?: string;
  };
  metadata?: GitLabMetadata;
  metadataError?: string;
  agent?: {
    projectPath: string;
    projectFound: boolean;
    name: string;
    /** null: no agent of that name is registered in the project. */
    id: number | null;
  };
  /** The token the Secret holds, looked up by its gitlab.com/agent-token-id annotation. */
  agentToken?: {
    /** null: the Secret has no token-id annotation. */
    tokenId: number | null;
    state: 'active' | 'revoked' | 'unknown';
    lastUsedAt?: string | null;
    activeTokens?: number;
  };
  /** The agent config file on the default branch; text null = no such file. */
  configFile?: { path: string; ref: string; text: string | null };
}

// ---------------------------------------------------------------- Flux

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface FluxObjectBase {
  apiVersion?: string;
  name: string;
  namespace: string;
  generation?: number;
  /** status.observedGeneration */
  observedGeneration?: number;
  suspend?: boolean;
  conditions: Condition[];
}

interface SourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

interface GitRepositoryEvidence extends FluxObjectBase {
  url?: string;
  ref?: { branch?: string; tag?: string; semver?: string; commit?: string; name?: string };
  /** status.artifact.revision, e.g. "main@sha1:…" */
  artifactRevision?: string;
}

export interface KustomizationEvidence extends FluxObjectBase {
  path: string;
  sourceRef: SourceRef;
  /** status.inventory.entries[].id, e.g. "flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease" */
  inventory?: string[];
  lastAppliedRevision?: string;
}

interface HelmRepositoryEvidence extends FluxObjectBase {
  url?: string;
}

interface HelmChartEvidence extends FluxObjectBase {
  chart: string;
  version?: string;
  sourceRef: SourceRef;
}

/** An OCIRepository (spec.url "oci://…", spec.ref tag/semver/digest): a chart source of a HelmRelease's chartRef. */
interface OciRepositoryEvidence extends FluxObjectBase {
  url?: string;
  ref?: { tag?: string; semver?: string; digest?: string };
}

/** A Bucket (S3-compatible storage): a chart source of a HelmRelease's chart.spec.sourceRef. */
interface BucketEvidence extends FluxObjectBase {
  endpoint?: string;
  bucketName?: string;
}

export interface HelmReleaseEvidence extends FluxObjectBase {
  chart?: string;
  version?: string;
  /** spec.chart.spec.sourceRef: HelmRepository, GitRepository or Bucket. */
  sourceRef?: SourceRef;
  /** spec.chartRef (helm-controller v2): an OCIRepository or a HelmChart, instead of spec.chart. */
  chartRef?: SourceRef;
  targetNamespace?: string;
  releaseName?: string;
  /** status.helmChart, "<namespace>/<name>" */
  helmChart?: string;
  failures?: number;
  installFailures?: number;
  upgradeFailures?: number;
}

export interface FluxEvidence {
  /** Flux CRDs are served in the cluster. */
  installed: boolean;
  /** Flux controller Deployments (label app.kubernetes.io/part-of=flux). */
  controllers?: { name: string; ready: boolean; image?: string }[];
  /** The install is expected to be Flux-managed (a HelmRelease of the chart, or glab bootstrap's files). */
  managed: boolean;
  gitRepositories: GitRepositoryEvidence[];
  kustomizations: KustomizationEvidence[];
  helmRepositories: HelmRepositoryEvidence[];
  helmCharts: HelmChartEvidence[];
  /** Chart sources other than a HelmRepository (a chart's GitRepository is among gitRepositories). */
  ociRepositories: OciRepositoryEvidence[];
  buckets: BucketEvidence[];
  helmReleases: HelmReleaseEvidence[];
  /** The agent's HelmRelease as glab bootstrap names it (default flux-system/gitlab-agent). */
  expectedHelmRelease?: { name: string; namespace: string };
  /** Where the agent's HelmRelease manifest lives in the repository (from the GitLab API), if known. */
  manifest?: {
    /** Repository-relative file path, e.g. "clusters/prod/gitlab-agent-helm-release.yaml". */
    file: string;
    branch?: string;
    /** Repository-relative paths of every kustomization.yaml in the repository. */
    kustomizationFiles?: string[];
    /** The `resources:` of the kustomization.yaml at the Kustomization's spec.path, when there is one. */
    resourcesAtPath?: string[];
  };
}

// ---------------------------------------------------------------- Workload

interface HelmReleaseStatusEvidence {
  name: string;
  namespace: string;
  revision: number;
  /** helm's status: deployed, failed, pending-install, pending-upgrade, pending-rollback, superseded, uninstalling… */
  status: string;
  chart?: string;
  appVersion?: string;
  /** helm's release description, e.g. `Upgrade "x" failed: context deadline exceeded`. */
  description?: string;
  /** The newest revision with status deployed/superseded, for a rollback. */
  lastGoodRevision?: number;
}

export interface EnvVarEvidence {
  name: string;
  value?: string;
  /** e.g. "secretKeyRef proxy/https-proxy"; the value itself is never collected. */
  valueFrom?: string;
}

export interface VolumeEvidence {
  name: string;
  secretName?: string;
  configMapName?: string;
  /** items[].key, when only some keys are projected */
  items?: string[];
  optional?: boolean;
  mountPath?: string;
}

export interface ContainerSpecEvidence {
  name: string;
  image: string;
  args: string[];
  env: EnvVarEvidence[];
}

export interface DeploymentEvidence {
  name: string;
  generation: number;
  observedGeneration: number;
  /** spec.replicas */
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  /** status.replicas: pods of every revision */
  statusReplicas: number;
  conditions: Condition[];
  serviceAccountName?: string;
  containers: ContainerSpecEvidence[];
  volumes: VolumeEvidence[];
  labels?: Record<string, string>;
}

interface SecretEvidence {
  name: string;
  /** data keys only; values are never collected */
  keys: string[];
  annotations: Record<string, string>;
}

export interface ContainerStatusEvidence {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  lastTermination?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string };
}

export interface PodEvidence {
  name: string;
  phase: string;
  createdAt?: string;
  deleting?: boolean;
  conditions: Condition[];
  containers: ContainerStatusEvidence[];
}

export interface EventEvidence {
  type: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  /** involvedObject */
  kind: string;
  name: string;
  count: number;
  lastSeen?: string;
}

export interface WorkloadEvidence {
  namespace: string;
  /** null: no helm release found (Flux's helm-controller also writes helm release records). */
  release?: HelmReleaseStatusEvidence | null;
  deployment?: DeploymentEvidence | null;
  /** The Secret the Deployment mounts at /etc/agentk/secrets; null = it does not exist. */
  tokenSecret?: SecretEvidence | null;
  pods: PodEvidence[];
  /** Warning events of the Deployment, its ReplicaSets and pods. */
  events: EventEvidence[];
  /** The `kubernetes` Service ClusterIP (KUBERNETES_SERVICE_HOST inside the pods). */
  kubernetesServiceIp?: string;
}

// ---------------------------------------------------------------- agentk logs

export interface LogChunk {
  pod: string;
  container: string;
  /** `kubectl logs --previous`: the last terminated container. */
  previous: boolean;
  /** Raw lines, JSON or not, oldest first. */
  lines: string[];
}

// ---------------------------------------------------------------- verification from this machine

interface TlsCertEvidence {
  subject: string;
  issuer: string;
  notBefore?: string;
  notAfter?: string;
}

export interface TlsProbeEvidence {
  ok: boolean;
  /** Node's error code: UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID… */
  code?: string;
  message?: string;
  /** Leaf first. */
  chain: TlsCertEvidence[];
  /** The leaf's subjectAltName entries, e.g. ["DNS:kas.example.com", "IP Address:10.0.0.5"]. */
  sans: string[];
  /** ALPN protocol the server selected when offered h2 and http/1.1; false when none. */
  alpn?: string | false;
}

export interface LocalVerification {
  /** The address probed: the Deployment's --kas-address. */
  kasAddress: string;
  dns?: { ok: true; addresses: string[] } | { ok: false; code: string; message: string };
  tcp?: { ok: true; address: string } | { ok: false; code: string; message: string };
  tls?: { systemCa: TlsProbeEvidence; configuredCa?: TlsProbeEvidence };
  /** A GET with Upgrade: websocket to the ws(s) URL (no token in it). */
  upgrade?: UpgradeAnswer;
  /** The Deployment's --kas-header values the upgrade carried, as "Name: ********" (a value may be a credential). */
  upgradeHeaders?: string[];
  /** The proxy the TLS handshake and the upgrade went through (the Deployment's HTTPS_PROXY, or HTTP_PROXY for ws://), credentials masked. */
  viaProxy?: string;
}

/**
 * What the WebSocket upgrade request got back. `status`: an HTTP answer (its status line and the headers that
 * tell what answered); `closed`: the server closed, reset or left silent the connection after the request,
 * before any status line (a proxy that drops upgrades); `error`: the request could not be made at all.
 */
export type UpgradeAnswer =
  | {
      status: number;
      /** Verbatim, e.g. "HTTP/1.1 426 Upgrade Required". */
      statusLine?: string;
      location?: string;
      contentType?: string;
      server?: string;
      /** For 101: whether Sec-WebSocket-Accept is the one RFC 6455 derives from our key. */
      acceptValid?: boolean;
      /** The <title> of an HTML answer (a login page, an error page). */
      htmlTitle?: string;
    }
  | { closed: string }
  | { error: string };

// ---------------------------------------------------------------- all of it

export interface Evidence {
  /** When the evidence was collected (ISO 8601). */
  observedAt: string;
  context: DiagnosisContext;
  gitlab?: GitLabEvidence;
  flux?: FluxEvidence;
  workload?: WorkloadEvidence;
  logs?: LogChunk[];
  local?: LocalVerification;
}
