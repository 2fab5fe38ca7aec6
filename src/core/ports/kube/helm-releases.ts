import type { HelmRelease } from '../helm.js';

/**
 * One revision of a helm release as helm's own storage holds it (helm 3 and 4, storage driver
 * "secrets": Secret `sh.helm.release.v1.<release>.v<revision>`, labels owner=helm, name, status,
 * version; `data.release` is base64 of gzipped JSON). Read in one list instead of `helm get values`,
 * `helm get manifest` and `helm history`, three processes.
 */
export interface HelmReleaseRecord {
  revision: number;
  /** deployed, superseded, failed, pending-upgrade, … */
  status: string;
  /** "gitlab-agent-2.32.0", as helm list and history print it. */
  chart: string;
  appVersion: string;
  /** The user-supplied values (what `helm get values` prints). */
  values: Record<string, unknown>;
  /** What `helm get manifest` prints. */
  manifest: string;
  updated: string;
  description: string;
}

export interface KubeHelmReleases {
  /**
   * What `helm list --all --namespace <ns>` shows, from helm's release Secrets in one list: the newest stored
   * revision of each release. [] when helm keeps none in Secrets there. Throws when they cannot be read.
   */
  helmReleaseList(namespace: string): Promise<HelmRelease[]>;
  /**
   * Every stored revision of a release, oldest first; [] when helm keeps none in Secrets here (another
   * storage driver, no such release). Throws when the Secrets cannot be read or decoded.
   */
  helmReleaseRecords(namespace: string, release: string): Promise<HelmReleaseRecord[]>;
}
