/** How helm reaches the cluster: the same kubeconfig and context the user picked. */
export interface HelmTarget {
  kubeconfig?: string;
  context: string;
}

export interface HelmVersion {
  /** e.g. "v3.21.4" */
  version: string;
  major: number;
}

export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  appVersion: string;
}

export type HelmStream = 'stdout' | 'stderr';

export interface HelmRun {
  /** Full argv after the helm binary. Never contains a secret. */
  args: string[];
  /** Written to helm's stdin (values for `-f -`). */
  stdin?: string;
  onLine: (line: string, stream: HelmStream) => void;
  signal: AbortSignal;
}

export interface HelmRunResult {
  exitCode: number;
  /** The last stderr lines, for the error message. */
  stderrTail: string[];
}

export interface HelmPort {
  /** Throws FlowError when helm is not found. */
  version(): Promise<HelmVersion>;
  listReleases(target: HelmTarget, namespace?: string): Promise<HelmRelease[]>;
  /** Streams output line by line; ends helm's whole process group when signal aborts. */
  run(run: HelmRun): Promise<HelmRunResult>;
}
