import type { GitLabMetadata, GitLabUser } from '../core/ports/gitlab.js';
import type { AgentRegistration, KubeContextInfo, KubeObject, KubeObjects } from '../core/ports/kube/index.js';
import type { Secret } from '../core/kernel/secret.js';
import type { DemoFaults, DemoRecord, PodFailure } from './faults.js';
import type { Values } from './release-values.js';
import type { DemoTime } from './time.js';

/** The shapes of the simulated world (see world.ts for how the ports share it). */

interface DemoSecret {
  /** Kept as a Secret: never printed, never serialised. */
  token: Secret;
  tokenId?: number;
  managedByUs: boolean;
  agentId?: number;
  agentName?: string;
  registration?: AgentRegistration;
}

export interface DemoNamespace {
  secrets: Map<string, DemoSecret>;
  /** Created by this tool (labelled app.kubernetes.io/managed-by). */
  managedByUs?: boolean;
}

export interface DemoRevision {
  revision: number;
  /** Demo ms at which helm created the objects (pods start from here). */
  deployedAt: number;
  /** User-supplied values merged over the chart's defaults. */
  values: Values;
  /** Just the user-supplied values (`helm get values`). */
  userValues?: Values;
  status: 'pending-install' | 'pending-upgrade' | 'deployed' | 'failed';
  chartVersion: string;
  appVersion: string;
  /** Set from DemoFaults.podFailure when helm deployed this revision: its pods never become Ready. */
  podFailure?: PodFailure;
}

export interface DemoRelease {
  name: string;
  namespace: string;
  /** Oldest first; the last one is what runs. */
  revisions: DemoRevision[];
  /** Not helm's: our own manifests, applied server-side (the advanced install); helm does not list it. */
  manifests?: boolean;
}

export interface DemoCluster {
  info: KubeContextInfo;
  /** Set when the API server cannot be reached: the error text a client sees. */
  unreachable?: string;
  serverVersion: string;
  namespaces: Map<string, DemoNamespace>;
  releases: DemoRelease[];
  /** API groups beyond the built-in ones, with their versions (e.g. Flux's), for discovery. */
  servedGroups?: Record<string, string[]>;
  /** Objects of other kinds (Flux resources, applied manifests); made on first use. */
  objects?: KubeObjects & { all(): KubeObject[] };
}

export interface DemoProject {
  id: number;
  path: string;
  name: string;
  defaultBranch: string;
  accessLevel: number;
  /** branch → path → content. */
  files: Map<string, Map<string, string>>;
  /** How many merge requests were opened (their iids count up). */
  mergeRequests?: number;
}

export interface DemoAgent {
  id: number;
  projectId: number;
  name: string;
  createdAt: string;
}

export interface DemoToken {
  id: number;
  agentId: number;
  name: string;
  description: string;
  status: 'active' | 'revoked';
  createdAt: string;
  lastUsedAt: string | null;
}

export interface DemoGitLab {
  user: GitLabUser;
  metadata: GitLabMetadata;
  scopes: string[];
  projects: DemoProject[];
  agents: DemoAgent[];
  tokens: DemoToken[];
  nextAgentId: number;
  nextTokenId: number;
  /** Receptive agents' URL configurations (only with faults.receptiveAgents). */
  urlConfigurations?: { id: number; agentId: number; url: string; publicKey: string }[];
}

export interface DemoWorld {
  time: DemoTime;
  /** By context name, in kubeconfig order. */
  clusters: Map<string, DemoCluster>;
  gitlab: DemoGitLab;
  /** Local files by normalised path. */
  files: Map<string, string>;
  /** What reached GitLab and helm (see faults.ts). */
  record: DemoRecord;
  /** Misbehaviour tests ask for; empty in the demo. */
  faults: DemoFaults;
  /** Tells watchers (the readiness watch) that the cluster changed. */
  changed(): void;
  onChange(listener: () => void): () => void;
}
