import type { GitLabMetadata, GitLabUser } from '../core/ports/gitlab.js';
import type { KubeContextInfo } from '../core/ports/kube/index.js';
import type { Secret } from '../core/kernel/secret.js';
import type { Values } from './release-values.js';
import { seedClusters, seedFiles, seedGitLab } from './seed.js';
import { createDemoTime, type DemoTime } from './time.js';

/**
 * The one simulated world behind every demo port. The ports cannot see each other (the kube port never
 * sees helm's values, GitLab never sees the cluster), so what one writes the others read from here:
 * sim-helm records releases with their values, sim-kube derives the pods from them, sim-gitlab
 * derives "the agent connected" from a Ready release whose Secret holds an active token.
 */

export interface DemoSecret {
  /** Kept as a Secret: never printed, never serialised. */
  token: Secret;
  tokenId?: number;
  managedByUs: boolean;
}

export interface DemoNamespace {
  secrets: Map<string, DemoSecret>;
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
}

export interface DemoRelease {
  name: string;
  namespace: string;
  /** Oldest first; the last one is what runs. */
  revisions: DemoRevision[];
}

export interface DemoCluster {
  info: KubeContextInfo;
  /** Set when the API server cannot be reached: the error text a client sees. */
  unreachable?: string;
  serverVersion: string;
  namespaces: Map<string, DemoNamespace>;
  releases: DemoRelease[];
}

export interface DemoProject {
  id: number;
  path: string;
  name: string;
  defaultBranch: string;
  accessLevel: number;
  /** branch → path → content. */
  files: Map<string, Map<string, string>>;
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
}

export interface DemoWorld {
  time: DemoTime;
  /** By context name, in kubeconfig order. */
  clusters: Map<string, DemoCluster>;
  gitlab: DemoGitLab;
  /** Local files by normalised path. */
  files: Map<string, string>;
  /** Tells watchers (the readiness watch) that the cluster changed. */
  changed(): void;
  onChange(listener: () => void): () => void;
}

export interface DemoWorldOptions {
  /** >1 plays the simulation faster than real time (tests); default 1. */
  timeScale?: number;
}

export function createDemoWorld(options: DemoWorldOptions = {}): DemoWorld {
  const time = createDemoTime(options.timeScale ?? 1);
  const listeners = new Set<() => void>();
  return {
    time,
    clusters: seedClusters(time),
    gitlab: seedGitLab(),
    files: seedFiles(),
    changed: () => {
      for (const listener of [...listeners]) listener();
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function findRelease(cluster: DemoCluster, namespace: string, name: string): DemoRelease | undefined {
  return cluster.releases.find((r) => r.namespace === namespace && r.name === name);
}

export function currentRevision(release: DemoRelease): DemoRevision {
  const last = release.revisions[release.revisions.length - 1];
  if (!last) throw new Error(`release ${release.name} has no revision`);
  return last;
}
