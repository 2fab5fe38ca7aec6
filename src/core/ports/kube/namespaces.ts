/** What uninstall needs to know about a namespace before it may remove it. */
export interface NamespaceInfo {
  name: string;
  /** Labelled app.kubernetes.io/managed-by=gitlab-agent-tui: this tool created it. */
  managedByUs: boolean;
  /** Already being deleted (phase Terminating). */
  terminating: boolean;
  /** The names of the Secrets in it (names only, never a value), to tell whether it is empty. */
  secretNames: string[];
}

export interface KubeNamespaces {
  namespaceExists(name: string): Promise<boolean>;
  /** undefined when it does not exist. */
  namespaceInfo(name: string): Promise<NamespaceInfo | undefined>;
  /** Labelled app.kubernetes.io/managed-by=gitlab-agent-tui: later commands know it is ours. */
  /** Labelled as ours, plus `labels` (Pod Security levels). */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  deleteNamespace(name: string): Promise<void>;
}
