import type { AdvancedSettings } from './advanced-options.js';
import type { CreateConfigChoice } from './choices.js';

/** What every delivery gives the agent, decided before anything is created. Plain data, no secrets. */

export type RbacChoice = { mode: 'cluster-admin' } | { mode: 'existing-role'; role: string } | { mode: 'none' };

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface AgentSettings {
  kasAddress: string;
  image: { tag?: string; repository?: string };
  proxy: ProxySettings;
  /** The CA KAS is signed with: the file named and its PEM text. */
  kasCa?: { path: string; pem: string };
  rbac: RbacChoice;
  /**
   * The chart's operational container scanning (on by default). It brings its own ServiceAccount and a
   * ClusterRole + binding that read Secrets cluster-wide, whatever `rbac` says.
   */
  containerScanning: boolean;
  /** A restricted-compliant pod and container securityContext (the chart ships them empty). */
  secureDefaults: boolean;
  /** Replicas, resources, placement, pull secrets, pod metadata, KAS headers and TLS server name. */
  advanced?: AdvancedSettings;
  /** An existing service account instead of the chart's own. */
  serviceAccount?: string;
  /** The Secret (key "token") the agent reads; `own`: the user's, so we create no token. */
  tokenSecret: { name: string; own: boolean };
  createConfig: CreateConfigChoice;
  /** Known once the token is stored (apply): the token id the pods must run with, so a new one rolls them. */
  rollout?: { tokenId?: number };
}
