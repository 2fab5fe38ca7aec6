import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject, ObjectRef } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { hasStatus } from './failures.js';

/** The secret-bearing kind stays with secrets.ts: a token must never pass through a generic object path. */
function refuseSecret(kind: string): void {
  if (kind === 'Secret') throw new Error('Secrets are written only by the token Secret adapter');
}

function describe(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

const asObject = (o: KubernetesObject) => o as unknown as KubeObject;
const header = (ref: ObjectRef) => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
});

/** `GET /apis`: every API group the server serves, with its versions. */
type ApiGroupList = { groups: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[] };

export function listApiGroups(apis: KubeApis): Promise<ApiGroupList> {
  const api = apis.kc.makeApiClient(apis.k8s.ApisApi);
  return apis.call('list API groups', (options) => api.getAPIVersions(options));
}

/** The versions served for `group`, preferred first; `groups` answers GET /apis (shared by concurrent callers). */
export async function servedVersions(
  apis: KubeApis,
  group: string,
  groups: () => Promise<ApiGroupList> = () => listApiGroups(apis),
): Promise<string[]> {
  if (group === '') return ['v1'];
  const list = await groups();
  const found = list.groups.find((g) => g.name === group);
  if (!found) return [];
  const preferred = found.preferredVersion?.version;
  const versions = found.versions.map((v) => v.version);
  return preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
}

export async function getObject(apis: KubeApis, ref: ObjectRef): Promise<KubeObject | undefined> {
  refuseSecret(ref.kind);
  try {
    return asObject(await apis.call(`read ${describe(ref)}`, () => apis.objects.read(header(ref))));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
}

export async function listObjects(
  apis: KubeApis,
  q: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string },
): Promise<KubeObject[]> {
  refuseSecret(q.kind);
  const where = q.namespace ? `in namespace ${q.namespace}` : 'in all namespaces';
  const list = await apis.call(`list ${q.kind} ${where}`, () =>
    apis.objects.list(q.apiVersion, q.kind, q.namespace, undefined, undefined, undefined, undefined, q.labelSelector),
  );
  return list.items.map(asObject);
}

export async function applyObject(
  apis: KubeApis,
  object: KubeObject,
  options: { fieldManager: string; dryRun?: boolean; force?: boolean },
): Promise<KubeObject> {
  refuseSecret(object.kind);
  const ref = { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
  return asObject(
    await apis.call(`${options.dryRun ? 'dry-run apply' : 'apply'} ${describe(ref)}`, () =>
      apis.objects.patch(
        object as unknown as KubernetesObject,
        undefined,
        options.dryRun ? 'All' : undefined,
        options.fieldManager,
        options.force ?? false,
        apis.k8s.PatchStrategy.ServerSideApply,
      ),
    ),
  );
}

export async function patchObject(apis: KubeApis, ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
  refuseSecret(ref.kind);
  const spec = { ...patch, ...header(ref), metadata: { ...(patch.metadata as object | undefined), ...header(ref).metadata } };
  return asObject(
    await apis.call(`patch ${describe(ref)}`, () =>
      apis.objects.patch(spec as KubernetesObject, undefined, undefined, undefined, undefined, apis.k8s.PatchStrategy.MergePatch),
    ),
  );
}

export async function deleteObject(apis: KubeApis, ref: ObjectRef): Promise<void> {
  refuseSecret(ref.kind);
  try {
    await apis.call(`delete ${describe(ref)}`, () => apis.objects.delete(header(ref)));
  } catch (err) {
    if (!hasStatus(err, 404)) throw err;
  }
}
