/** What the readiness watch sees, reduced to what a diagnosis needs. Plain data: no client-node types. */

export interface ContainerView {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  lastTermination?: { reason?: string; message?: string; exitCode?: number };
}

export interface PodView {
  name: string;
  phase: string;
  ready: boolean;
  deleting: boolean;
  /** metadata.creationTimestamp (ISO), to tell this rollout's pods from older ones. */
  createdAt?: string;
  containers: ContainerView[];
  /** PodScheduled=False etc. */
  conditions: { type: string; status: string; reason?: string; message?: string }[];
}

export interface EventView {
  type: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  /** Name of the object the event is about. */
  object: string;
  kind: string;
  count: number;
  lastSeen: string;
}

export interface DeploymentView {
  name: string;
  desired: number;
  ready: number;
  available: number;
  updated: number;
  /** status.replicas: pods of every revision; more than `updated` means old pods are still around. */
  replicas?: number;
  /** The controller has seen the latest spec (observedGeneration >= generation). */
  observed?: boolean;
}

export interface ReadinessSnapshot {
  deployment?: DeploymentView;
  pods: PodView[];
  /** Warning events for the Deployment, its ReplicaSets and pods, newest last. */
  events: EventView[];
}
