import type { Clock } from './clock.js';
import type { FilesPort } from './files.js';
import type { GitLabPort } from './gitlab.js';
import type { GlabConfig } from './glab.js';
import type { HelmPort } from './helm.js';
import type { KubePort } from './kube/index.js';
import type { NetworkPort } from './network.js';

/** The outside world as every flow sees it; the CLI wires real adapters, tests and the demo wire others. */
export interface Ports {
  kube: KubePort;
  gitlab: GitLabPort;
  helm: HelmPort;
  files: FilesPort;
  glab: () => Promise<GlabConfig>;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** Probes from this machine (DNS, TCP, TLS, the WebSocket upgrade to KAS); absent where there is no network to probe (the demo). */
  network?: NetworkPort;
  /** Probe timeout for the context picker. */
  probeTimeoutMs?: number;
  /** How often to ask GitLab whether the agent connected. */
  connectPollMs?: number;
}
