import type { ReadinessSnapshot } from '../../readiness/snapshot.js';

/** A gitlab-agent Deployment already in the cluster (found by the chart's labels). */
export interface ExistingAgentDeployment {
  namespace: string;
  name: string;
  /** app.kubernetes.io/instance: the helm release. */
  release?: string;
  /** The agentk container's image, e.g. registry…/agentk:v18.6.0. */
  image?: string;
  /** spec.selector.matchLabels as a label selector: how to find its pods. */
  selector?: string;
  desired?: number;
  ready?: number;
  /** metadata.labels: who manages it (Flux's helm-controller labels what it installs). */
  labels?: Record<string, string>;
}

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
}

/** The agent's Deployments and pods: found, watched until Ready, and their logs read. */
export interface KubeWorkloads {
  findAgentDeployments(namespace?: string): Promise<ExistingAgentDeployment[]>;
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
