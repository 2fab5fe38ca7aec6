import type { HelmPort, HelmReleaseRef, HelmRevision } from '../../ports/helm.js';
import type { KubeHelmReleases } from '../../ports/kube/index.js';
import { historyEntry, secretsDriver } from '../../plan/helm/storage-driver.js';

/** What an upgrade reads of a deployed release before it changes anything. */
export interface ReleaseState {
  /** The user-supplied values of the newest revision (`helm get values`). */
  values: Record<string, unknown>;
  /** Its rendered objects (`helm get manifest`). */
  manifest: string;
  history: HelmRevision[];
  /** Where it was read from, for tests and the bench. */
  source: 'release-secrets' | 'helm';
}

/**
 * The release's values, manifest and history: from helm's own release Secrets in one Kubernetes list
 * (what `helm get values`, `helm get manifest` and `helm history` read, without three helm processes),
 * or through helm when its storage driver is not secrets, nothing is stored there, or the list fails
 * (RBAC may allow helm what it denies us, e.g. through another kubeconfig user: helm decides then).
 */
export async function readRelease(
  cluster: Pick<KubeHelmReleases, 'helmReleaseRecords'>,
  helm: Pick<HelmPort, 'getValues' | 'getManifest' | 'history'>,
  ref: HelmReleaseRef,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ReleaseState> {
  if (secretsDriver(env)) {
    const records = await cluster.helmReleaseRecords(ref.namespace, ref.release).catch(() => []);
    const newest = records.at(-1);
    if (newest) {
      return {
        values: newest.values,
        manifest: newest.manifest,
        history: records.map(historyEntry),
        source: 'release-secrets',
      };
    }
  }
  const [values, manifest, history] = await Promise.all([helm.getValues(ref), helm.getManifest(ref), helm.history(ref).catch(() => [])]);
  return { values, manifest, history, source: 'helm' };
}
