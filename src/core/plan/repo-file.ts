/** A file of code a GitOps or IaC user commits (Flux manifests, a kustomize package, Terraform). */
export interface RepoFile {
  /** Relative to the directory it is written to. */
  path: string;
  content: string;
}
