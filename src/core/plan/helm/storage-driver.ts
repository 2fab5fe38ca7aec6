import type { HelmRevision } from '../../ports/helm.js';
import type { HelmReleaseRecord } from '../../ports/kube/index.js';

/**
 * Whether helm keeps its releases in Secrets, as helm itself decides (HELM_DRIVER; empty means secrets): then
 * they can be read with one Kubernetes list instead of a helm process.
 */
export function secretsDriver(env: Readonly<Record<string, string | undefined>>): boolean {
  const driver = env.HELM_DRIVER ?? '';
  return driver === '' || driver === 'secret' || driver === 'secrets';
}

/** A stored revision as `helm history` lists it. */
export function historyEntry({ revision, status, chart, appVersion, updated, description }: HelmReleaseRecord): HelmRevision {
  return { revision, status, chart, appVersion, updated, description };
}
