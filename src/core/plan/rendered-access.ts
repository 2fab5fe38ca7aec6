import { parseAllDocuments } from 'yaml';
import type { RequiredAccess } from './describe-access.js';

/** One object a delivery will create (helm: `helm template`'s output). */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** As rendered; absent means the release namespace (or cluster scope for cluster-scoped kinds). */
  namespace?: string;
}

/** Kinds that live outside namespaces (the ones a chart plausibly renders). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
]);

/** The objects in a rendered manifest; documents without kind (comments, empty) are skipped. */
export function renderedObjects(manifest: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const o = doc.toJS() as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') continue;
    const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
    out.push({ apiVersion: o.apiVersion, kind: o.kind, name: String(o.metadata?.name ?? ''), ...(namespace ? { namespace } : {}) });
  }
  return out;
}

/** The API resource of a kind, as RBAC names it: ServiceAccount → serviceaccounts, NetworkPolicy → networkpolicies. */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/**
 * Every right needed to create what was rendered, one per verb × resource × namespace, each naming the
 * first object that needs it. helm 3 creates objects (and patches them on upgrade); helm 4 and
 * `kubectl apply --server-side` apply them, which is a patch that may create.
 */
export function renderedAccess(
  objects: readonly RenderedObject[],
  releaseNamespace: string,
  how: { upgrading: boolean; serverSideApply: boolean },
): RequiredAccess[] {
  const verbs = ['create', ...(how.upgrading || how.serverSideApply ? ['patch'] : [])];
  const seen = new Map<string, RequiredAccess>();
  for (const o of objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
    const resource = resourceOf(o.kind);
    const namespace = CLUSTER_SCOPED.has(o.kind) ? undefined : (o.namespace ?? releaseNamespace);
    for (const verb of verbs) {
      const key = `${verb} ${group} ${resource} ${namespace ?? ''}`;
      if (!seen.has(key))
        seen.set(key, {
          verb,
          group,
          resource,
          ...(namespace ? { namespace } : {}),
          why: `${verb === 'create' ? 'create' : 'apply'} ${o.kind} ${o.name}, which the chart renders`,
        });
    }
  }
  return [...seen.values()];
}
