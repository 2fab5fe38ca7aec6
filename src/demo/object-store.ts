import { FlowError } from '../core/kernel/errors.js';
import type { KubeObject, KubeObjects, ObjectRef } from '../core/ports/kube/index.js';

const keyOf = (r: Pick<ObjectRef, 'apiVersion' | 'kind' | 'namespace' | 'name'>) =>
  `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Objects of any kind kept in memory, as a simulated API server keeps them: server-side apply stores
 * (or, dry run, only checks) the object; a merge patch changes fields; served groups come from `served`.
 */
export function createObjectStore(
  served: Readonly<Record<string, string[]>> = {},
  onStoreChange: () => void = () => undefined,
): KubeObjects & { all(): KubeObject[] } {
  const objects = new Map<string, KubeObject>();
  const watchers = new Set<() => void>();
  let version = 1;
  const onChange = () => {
    onStoreChange();
    for (const watcher of [...watchers]) watcher();
  };
  const matching = (q: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string }) =>
    [...objects.values()]
      .filter(
        (o) => o.apiVersion === q.apiVersion && o.kind === q.kind && (q.namespace === undefined || o.metadata.namespace === q.namespace),
      )
      .filter(
        (o) =>
          !q.labelSelector ||
          q.labelSelector.split(',').every((term) => {
            const [k, v] = term.split('=');
            return o.metadata.labels?.[k!] === v;
          }),
      )
      .map((o) => structuredClone(o));
  return {
    all: () => [...objects.values()],
    servedVersions: async (group) => (group === '' ? ['v1'] : (served[group] ?? [])),
    getObject: async (ref) => structuredClone(objects.get(keyOf(ref))),
    listObjects: async (q) => matching(q),
    // Like a watch: the current set at once, then again after every change, until the signal aborts.
    watchObjects: (q, onObjects, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        let last = '';
        const report = () => {
          const now = matching(q);
          const key = JSON.stringify(now);
          if (key === last) return;
          last = key;
          onObjects(now);
        };
        watchers.add(report);
        signal.addEventListener(
          'abort',
          () => {
            watchers.delete(report);
            resolve();
          },
          { once: true },
        );
        report();
      }),
    applyObject: async (object, options) => {
      if (object.kind === 'Secret') throw new FlowError('kubernetes', 'Secrets are written only by the token Secret adapter');
      const key = keyOf({ ...object, namespace: object.metadata.namespace, name: object.metadata.name });
      const previous = objects.get(key);
      const stored: KubeObject = {
        ...(mergePatch(previous, object) as KubeObject),
        metadata: {
          ...previous?.metadata,
          ...object.metadata,
          resourceVersion: String(version++),
          generation: (previous?.metadata.generation ?? 0) + 1,
        },
      };
      if (!options.dryRun) {
        objects.set(key, stored);
        onChange();
      }
      return structuredClone(stored);
    },
    patchObject: async (ref, patch) => {
      const key = keyOf(ref);
      const previous = objects.get(key);
      if (!previous) throw new FlowError('kubernetes', `patch ${ref.kind} ${ref.name}: not found`);
      const next = mergePatch(previous, patch) as KubeObject;
      objects.set(key, next);
      onChange();
      return structuredClone(next);
    },
    deleteObject: async (ref) => {
      if (objects.delete(keyOf(ref))) onChange();
    },
  };
}
