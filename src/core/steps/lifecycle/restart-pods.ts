import type { KubeObjects } from '../../ports/kube/index.js';

/** The annotation `kubectl rollout restart` sets: a rolling restart under the Deployment's own strategy. */
const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/**
 * Restarts the pods as `kubectl rollout restart` does: a pod-template annotation, so the Deployment
 * rolls them under its own strategy (the chart's maxUnavailable 0 keeps Ready pods throughout).
 * Helm leaves an annotation it did not render alone on its next upgrade. Returns the new generation.
 */
export async function restartDeployment(cluster: KubeObjects, namespace: string, name: string, at: Date): Promise<number | undefined> {
  const patched = await cluster.patchObject(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
    { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at.toISOString() } } } } },
  );
  return patched.metadata.generation;
}

/** Why a restart of this Deployment would leave no Ready pod for a moment, or undefined when it would not. */
export async function restartGap(cluster: KubeObjects, namespace: string, name: string): Promise<string | undefined> {
  const d = await cluster.getObject({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  const spec = d?.spec as
    { replicas?: number; strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } } } | undefined;
  if (!spec) return undefined;
  if (spec.strategy?.type === 'Recreate') return `Deployment ${name} uses the Recreate strategy: every pod stops before the new ones start`;
  const replicas = spec.replicas ?? 1;
  const unavailable = spec.strategy?.rollingUpdate?.maxUnavailable;
  const max =
    typeof unavailable === 'string' && unavailable.endsWith('%')
      ? Math.floor((replicas * Number(unavailable.slice(0, -1))) / 100)
      : Number(unavailable ?? 0);
  if (Number.isFinite(max) && max >= replicas) return `Deployment ${name} allows ${max} of ${replicas} pods to be unavailable at once`;
  return undefined;
}
