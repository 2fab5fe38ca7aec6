/** The install command's inputs, as parsed from flags and env. Anything undefined is asked (or defaulted with --yes). */
export interface InstallOptions {
  kubeconfig?: string;
  context?: string;
  gitlabUrl?: string;
  gitlabCa?: string;
  kasAddress?: string;
  project?: string;
  agent?: string;
  method?: string;
  namespace?: string;
  createNamespace?: boolean;
  release?: string;
  imageTag?: string;
  imageRepository?: string;
  chartVersion?: string;
  chartRepo?: string;
  chart?: string;
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  kasCaCert?: string;
  allowExpiredCa?: boolean;
  serviceAccount?: string;
  existingRole?: string;
  noRbac?: boolean;
  tokenSecret?: string;
  revokeToken?: string;
  values: string[];
  set: string[];
  setString?: string[];
  createConfig?: string;
  valuesOut?: string;
  /** Write helm's full output here (the screen keeps only the last lines). */
  helmLog?: string;
  /** After a failure, remove what this run created without asking. */
  cleanupOnFailure?: boolean;
  yes: boolean;
  dryRun: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
}

export const CREATE_CONFIG_CHOICES = ['none', 'empty', 'user-access', 'ci-access'] as const;
export type CreateConfigChoice = (typeof CREATE_CONFIG_CHOICES)[number];

/** Default waits, shared by the flags' defaults and menu-started installs. */
export const DEFAULT_TIMEOUT = '5m';
export const DEFAULT_CONNECT_TIMEOUT = '3m';
