import type { KubeNamespaces, KubeObjects } from '../../ports/kube/index.js';

/** Kinds that make a namespace "not empty" for uninstall; what Kubernetes puts into every namespace is ignored. */
const KINDS: { apiVersion: string; kind: string; ignore?: string[] }[] = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'ConfigMap', ignore: ['kube-root-ca.crt'] },
  { apiVersion: 'v1', kind: 'ServiceAccount', ignore: ['default'] },
];

/**
 * What else lives in a namespace ("Deployment web", "Secret db-password"), so a namespace we created is
 * removed only when nothing but our agent was ever put there. Secrets are counted by name only.
 */
export async function namespaceLeftovers(
  cluster: KubeObjects & KubeNamespaces,
  namespace: string,
  secretNames: string[],
): Promise<string[]> {
  const found = await Promise.all(
    KINDS.map(async (k) => {
      const items = await cluster.listObjects({ apiVersion: k.apiVersion, kind: k.kind, namespace });
      return items
        .filter((o) => !o.metadata.deletionTimestamp && !(k.ignore ?? []).includes(o.metadata.name))
        .map((o) => `${k.kind} ${o.metadata.name}`);
    }),
  );
  return [...found.flat(), ...secretNames.map((n) => `Secret ${n}`)];
}
