/** Everything an install will do, decided before anything is created. Plain data, no secrets. */

export type ChartSource =
  | { kind: 'repo'; repo: string; name: string }
  /** A local directory, a .tgz, or an oci:// reference. */
  | { kind: 'ref'; ref: string };

export type RbacChoice =
  | { mode: 'cluster-admin' }
  | { mode: 'existing-role'; role: string }
  | { mode: 'none' };

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface InstallPlan {
  kubeconfig?: string;
  context: string;
  gitlabUrl: string;
  projectId: number;
  projectPath: string;
  agentName: string;
  /** Known when the agent already exists. */
  agentId?: number;
  kasAddress: string;
  namespace: string;
  createNamespace: boolean;
  release: string;
  chart: ChartSource;
  chartVersion?: string;
  imageTag?: string;
  imageRepository?: string;
  proxy: ProxySettings;
  kasCaCertPath?: string;
  kasCaCertPem?: string;
  rbac: RbacChoice;
  /** An existing service account instead of the chart's own. */
  serviceAccount?: string;
  tokenSecretName: string;
  /** --token-secret: the user's own Secret, so we create no token. */
  ownTokenSecret: boolean;
  valuesFiles: string[];
  sets: string[];
  /** --set-string: values helm must keep as strings (annotations, "true"). */
  setStrings: string[];
  createConfig: 'none' | 'empty' | 'ci-access' | 'user-access';
  timeoutMs: number;
}

export const DEFAULT_CHART_REPO = 'https://charts.gitlab.io';
export const CHART_NAME = 'gitlab-agent';
