import type { AgentRegistration } from '../ports/kube/index.js';

/** One agent install found in a cluster, however it got there. Plain data, no secrets. */
export interface AgentInstall {
  context: string;
  namespace: string;
  /** How it is managed: a helm release, a Flux HelmRelease, or only a Deployment we cannot attribute. */
  method: 'helm' | 'flux' | 'unknown';
  /** The helm release (or Flux HelmRelease) name. */
  release?: string;
  /** e.g. "gitlab-agent-2.32.0". */
  chart?: string;
  /** helm's status of the current revision: deployed, failed, pending-upgrade, … */
  releaseStatus?: string;
  revision?: number;
  /** The agentk image tag running (from the Deployment), e.g. "v18.6.0". */
  agentVersion?: string;
  deployment?: { name: string; selector?: string; desired: number; ready: number };
  /** Our token Secret, when this tool installed it: the GitLab agent and token it holds, and where it is registered. */
  token?: { secret: string; tokenId?: number; agentId?: number; agentName?: string; registration?: AgentRegistration };
  /** The Flux HelmRelease that manages it (method 'flux'): changes belong in Git, not in helm. */
  flux?: { namespace: string; name: string };
  /** Installed by this tool (our labelled token Secret is beside it). */
  ours: boolean;
}

/** A stable key: where it is and what it is called. */
export function installKey(i: Pick<AgentInstall, 'context' | 'namespace' | 'release'>): string {
  return `${i.context}/${i.namespace}/${i.release ?? '-'}`;
}
