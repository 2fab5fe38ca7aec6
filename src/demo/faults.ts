import type { AgentConnection } from '../core/ports/gitlab.js';
import type { AccessCheck, ProbeResult } from '../core/ports/kube/index.js';

/**
 * The two parts of the world that exist for tests: what reached GitLab and helm (`record`), and ways to
 * make the world misbehave (`faults`). The demo leaves both alone: it records into a log nobody reads,
 * and runs with no faults. Every fault is read at the moment it matters, so a test may set it at any time.
 */

/** One helm process as it was started. */
export interface DemoHelmRun {
  args: string[];
  stdin?: string;
}

export interface DemoRecord {
  /** Every GitLab API request, as method and path like GitLab's API docs write them: "GET /projects/42". */
  gitlab: string[];
  /** Every helm process (install, upgrade, uninstall), in order; `helm template` renders are not processes that change anything and are not listed. */
  helm: DemoHelmRun[];
}

/** Container reasons a pod can be stuck with; any other kubelet reason works too and is shown as given. */
export type PodFailure = 'ImagePullBackOff' | 'ErrImagePull' | 'CrashLoopBackOff' | 'CreateContainerConfigError' | (string & {});

export interface DemoFaults {
  /** Access checks (`kubectl auth can-i`) answered "no", by check and context. */
  denied?: (check: AccessCheck, context: string) => boolean;
  /** Probe results by context name, answered instead of the simulated probe (the cluster itself still works). */
  probes?: Record<string, ProbeResult>;
  /** helm upgrade exits 1 with "Error: <this>" once it has prepared, before it creates anything. */
  helmError?: string;
  /**
   * Called when a helm process has started and printed its first lines (for an upgrade: before it creates
   * anything). helm waits for a returned promise; an abort of its signal meanwhile stops helm as Ctrl-C does.
   */
  onHelm?: (run: DemoHelmRun) => void | Promise<void>;
  /** The pods of every revision helm deploys while this is set never become Ready: their container is stuck with this reason. */
  podFailure?: PodFailure;
  /** false: agentk never reaches KAS, so GitLab never sees the agent's token used. Default true. */
  connects?: boolean;
  /** What GitLab's GraphQL lists as the agent's connections; undefined (default) = GitLab cannot tell, as for a non-Maintainer. */
  agentConnections?: AgentConnection[];
}

export function emptyRecord(): DemoRecord {
  return { gitlab: [], helm: [] };
}
