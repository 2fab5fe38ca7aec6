import { historyEntry, secretsDriver } from '../../plan/helm/storage-driver.js';
import type { HelmPort } from '../../ports/helm.js';
import type { KubeHelmReleases } from '../../ports/kube/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether the doctor reads a namespace's helm releases from helm's Secrets: helm's default storage, and a
 * namespace to look in. Across every namespace helm answers instead: one list would bring back the payload of
 * every release in the cluster at once.
 */
export function readsFromSecrets(env: Env, namespace: string | undefined): namespace is string {
  return namespace !== undefined && secretsDriver(env);
}

/**
 * `helm list` and `helm history` for the doctor. Where helm keeps its releases in Secrets, one Kubernetes list
 * answers what either would, with no helm process: another Go program starting beside the API server it asks,
 * on the same few cores, costs more than the list. helm answers where that does not apply: another storage
 * driver, every namespace, Secrets this user may not list, or no revisions stored there.
 */
export function releaseSource(
  cluster: KubeHelmReleases,
  helm: Pick<HelmPort, 'listReleases' | 'history'>,
  env: Env,
): Pick<HelmPort, 'listReleases' | 'history'> {
  return {
    async listReleases(target, namespace) {
      if (readsFromSecrets(env, namespace)) {
        const listed = await cluster.helmReleaseList(namespace).catch(() => undefined);
        if (listed) return listed;
      }
      return helm.listReleases(target, namespace);
    },
    async history(ref) {
      if (secretsDriver(env)) {
        const records = await cluster.helmReleaseRecords(ref.namespace, ref.release).catch(() => []);
        if (records.length > 0) return records.map(historyEntry);
      }
      return helm.history(ref);
    },
  };
}
