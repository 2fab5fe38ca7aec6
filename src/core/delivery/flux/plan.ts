import type { FluxApiVersions } from '../../plan/flux/api-versions.js';
import type { ObjectRef } from '../../ports/kube/index.js';

/** What the Flux bootstrap commits and where. */
export interface FluxPlan {
  /** The HelmRelease's (and Helm release's) name. */
  release: string;
  chartRepo: string;
  chartVersion?: string;
  /** Given with --manifest-path; otherwise asked once the Kustomization's path is known. */
  manifestPath?: string;
  mergeRequest: boolean;
  addRootKustomization?: boolean;
}

/** One file change of the commit. */
export interface FluxFileChange {
  action: 'create' | 'update';
  path: string;
  content: string;
}

/** What preflight found in the cluster and the repository; apply adds what it did. */
export interface FluxState {
  kustomization: ObjectRef & { path: string };
  gitRepository: ObjectRef & { url: string; branch: string };
  /** Where the HelmRepository and HelmRelease live: the Kustomization's namespace. */
  fluxNamespace: string;
  apiVersions: FluxApiVersions;
  manifestPath: string;
  /** Our directory in the repository. */
  dir: string;
  changes: FluxFileChange[];
  /** Flux reconciles the root and there is no kustomization.yaml there (and none is added). */
  rootWithoutKustomization: boolean;
  /** Set by apply. */
  commitId?: string;
  mergeRequestUrl?: string;
  requestedAt?: string;
}

export const RECONCILE_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
