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

/** A helm command whose stdout is the result (template, get manifest): kept in memory up to a bound. */
export interface HelmCapture {
  args: string[];
  stdin?: string;
  signal: AbortSignal;
}

export interface HelmCaptureResult extends HelmRunResult {
  stdout: string;
  /** stdout was cut at the bound (the caller must not trust it whole). */
  truncated: boolean;
}

/** One revision of a release, as `helm history` lists it. */
export interface HelmRevision {
  revision: number;
  status: string;
  chart: string;
  appVersion: string;
  updated: string;
  description: string;
}

/** Where a release is: the cluster (kubeconfig + context), its namespace and name. */
export interface HelmReleaseRef extends HelmTarget {
  namespace: string;
  release: string;
}

export interface HelmPort {
  /** Throws FlowError when helm is not found. */
  version(): Promise<HelmVersion>;
  listReleases(target: HelmTarget, namespace?: string): Promise<HelmRelease[]>;
  /** The user-supplied values of the current revision (`helm get values -o json`), as upgrades must carry them on. */
  getValues(ref: HelmReleaseRef): Promise<Record<string, unknown>>;
  /** The rendered objects of the current revision (`helm get manifest`): what the release owns. */
  getManifest(ref: HelmReleaseRef): Promise<string>;
  history(ref: HelmReleaseRef): Promise<HelmRevision[]>;
  /** Streams output line by line; ends helm's whole process group when signal aborts. */
  run(run: HelmRun): Promise<HelmRunResult>;
  /** Runs helm and returns its stdout (template, rollback --dry-run …), bounded in size. */
  capture(run: HelmCapture): Promise<HelmCaptureResult>;
}
