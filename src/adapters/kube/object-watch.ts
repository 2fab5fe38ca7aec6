import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject, ObjectQuery } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { runListWatch } from './list-watch.js';

/** apiVersion + kind → the collection's plural, from the API server's discovery document. */
async function pluralOf(apis: KubeApis, apiVersion: string, kind: string): Promise<string> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const list =
    group === ''
      ? await apis.call(`discover ${apiVersion}`, (o) => apis.core.getAPIResources({}, o))
      : await apis.call(`discover ${apiVersion}`, (o) =>
          apis.kc.makeApiClient(apis.k8s.CustomObjectsApi).getAPIResources({ group: group!, version: version! }, o),
        );
  const found = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!found) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
  return found.name;
}

/**
 * Watches (never polls) the objects of one kind in one namespace and calls onChange with the whole
 * current set after the list and after every event; resumes and relists like the readiness watch.
 */
export async function watchObjects(
  apis: KubeApis,
  query: ObjectQuery,
  onChange: (objects: KubeObject[]) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const plural = await pluralOf(apis, query.apiVersion, query.kind);
  const base = query.apiVersion.includes('/') ? `/apis/${query.apiVersion}` : `/api/${query.apiVersion}`;
  const current = new Map<string, KubeObject>();
  const report = () => onChange([...current.values()].map((o) => structuredClone(o)));
  await runListWatch<KubernetesObject>(
    { k8s: apis.k8s, kc: apis.kc, server: apis.server, listTimeoutMs: apis.timeoutMs, signal },
    {
      what: `${query.kind} in namespace ${query.namespace}`,
      path: `${base}/namespaces/${encodeURIComponent(query.namespace)}/${plural}`,
      ...(query.labelSelector ? { labelSelector: query.labelSelector } : {}),
      list: () =>
        apis.objects.list(query.apiVersion, query.kind, query.namespace, undefined, undefined, undefined, undefined, query.labelSelector),
      onReset: (items) => {
        current.clear();
        for (const item of items)
          current.set(item.metadata?.name ?? '', { ...(item as unknown as KubeObject), apiVersion: query.apiVersion, kind: query.kind });
        report();
      },
      onEvent: (type, object) => {
        const name = object.metadata?.name ?? '';
        if (type === 'DELETED') current.delete(name);
        else current.set(name, object as unknown as KubeObject);
        report();
      },
      // A kind the user may not watch will not become watchable by retrying.
      onError: (error) => (error.status === 401 || error.status === 403 || error.status === 404 ? 'fail' : 'retry'),
    },
  );
}
