import type { KubePort } from '../ports/kube.js';
import type { GitLabPort } from '../ports/gitlab.js';
import type { HelmPort } from '../ports/helm.js';
import type { Clock, FilesPort, GlabConfig } from '../ports/files.js';

/** The outside world as the install flow sees it; the CLI wires real adapters, tests and the demo wire others. */
export interface InstallDeps {
  kube: KubePort;
  gitlab: GitLabPort;
  helm: HelmPort;
  files: FilesPort;
  glab: () => Promise<GlabConfig>;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** Probe timeout for the context picker. */
  probeTimeoutMs?: number;
  /** How often to ask GitLab whether the agent connected. */
  connectPollMs?: number;
}
