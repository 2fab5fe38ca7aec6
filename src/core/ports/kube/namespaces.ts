export interface KubeNamespaces {
  namespaceExists(name: string): Promise<boolean>;
  /** Labelled app.kubernetes.io/managed-by=gitlab-agent-tui: later commands know it is ours. */
  createNamespace(name: string): Promise<void>;
  deleteNamespace(name: string): Promise<void>;
}
