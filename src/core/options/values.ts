/**
 * Every option's value after parsing, by option id. A command takes the subset it declares.
 * Absent (undefined) means "not given": the flow asks, or takes the default.
 */
export interface OptionValues {
  // Where: cluster, GitLab, project, agent.
  kubeconfig?: string;
  context?: string;
  gitlabUrl?: string;
  gitlabCa?: string;
  project?: string;
  agent?: string;
  // How the agent is delivered.
  method?: string;
  namespace?: string;
  createNamespace?: boolean;
  release?: string;
  chartVersion?: string;
  chartRepo?: string;
  chart?: string;
  values: string[];
  set: string[];
  setString?: string[];
  // Flux, advanced and receptive deliveries; export as code.
  manifestPath?: string;
  mergeRequest?: boolean;
  addRootKustomization?: boolean;
  manifestsDir?: string;
  receptiveUrl?: string;
  exportDir?: string;
  exportFormat?: string;
  // What the agent gets.
  kasAddress?: string;
  imageTag?: string;
  imageRepository?: string;
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  kasCaCert?: string;
  allowExpiredCa?: boolean;
  serviceAccount?: string;
  existingRole?: string;
  noRbac?: boolean;
  containerScanning?: boolean;
  secureDefaults?: boolean;
  // The chart options people need beyond the basics (raw texts; see plan/advanced-options).
  replicas?: string;
  requests?: string;
  limits?: string;
  nodeSelector?: string[];
  toleration?: string[];
  priorityClass?: string;
  imagePullSecret?: string[];
  podLabel?: string[];
  podAnnotation?: string[];
  kasHeader?: string[];
  kasTlsServerName?: string;
  tokenSecret?: string;
  revokeToken?: string;
  createConfig?: string;
  // How the run behaves.
  valuesOut?: string;
  helmLog?: string;
  cleanupOnFailure?: boolean;
  dryRun: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  output: 'text' | 'json';
  // Lifecycle: which installs, and what else to do.
  contexts: string[];
  allContexts?: boolean;
  rollbackOnFailure?: boolean;
  continueOnFailure?: boolean;
  revokeAgentToken?: boolean;
  deleteAgent?: boolean;
  deleteConfig?: boolean;
  fix?: boolean;
  bundle?: string;
}

export type OptionId = keyof OptionValues;
