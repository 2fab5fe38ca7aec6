export const DEFAULT_CHART_REPO = 'https://charts.gitlab.io';
export const CHART_NAME = 'gitlab-agent';

type ChartSource =
  | { kind: 'repo'; repo: string; name: string }
  /** A local directory, a .tgz, or an oci:// reference. */
  | { kind: 'ref'; ref: string };

/** What the Helm delivery installs, and from where. */
export interface HelmReleasePlan {
  release: string;
  chart: ChartSource;
  chartVersion?: string;
  valuesFiles: string[];
  sets: string[];
  /** --set-string: values helm must keep as strings (annotations, "true"). */
  setStrings: string[];
}

/** helm's view of the cluster: the same kubeconfig and context the user picked, and the namespace. */
export interface HelmPlacement {
  kubeconfig?: string;
  context: string;
  namespace: string;
}
