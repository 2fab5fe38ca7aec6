import type { NamespaceInfo } from '../../core/ports/kube/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/plan/ownership.js';
import type { KubeApis } from './apis.js';
import { hasStatus } from './failures.js';

/** 404 → false. A 403 is an error: we cannot tell, and guessing would mislead the next step. */
export async function namespaceExists(apis: KubeApis, name: string): Promise<boolean> {
  try {
    await apis.call(`read namespace ${name}`, (options) => apis.core.readNamespace({ name }, options));
    return true;
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw err;
  }
}

/** Idempotent: a namespace that appeared meanwhile (409 AlreadyExists) is fine. Labelled as ours, for uninstall. */
export async function createNamespace(apis: KubeApis, name: string, labels: Record<string, string> = {}): Promise<void> {
  try {
    await apis.call(`create namespace ${name}`, (options) =>
      apis.core.createNamespace(
        { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } } },
        options,
      ),
    );
  } catch (err) {
    if (!hasStatus(err, 409)) throw err;
  }
}

/** Idempotent (404 is fine). Returns once the API accepted it; the namespace then terminates in the background. */
export async function deleteNamespace(apis: KubeApis, name: string): Promise<void> {
  try {
    await apis.call(`delete namespace ${name}`, (options) => apis.core.deleteNamespace({ name }, options));
  } catch (err) {
    if (!hasStatus(err, 404)) throw err;
  }
}

/** Ownership label, phase and the names of its Secrets (metadata only: values are never read here). */
export async function namespaceInfo(apis: KubeApis, name: string): Promise<NamespaceInfo | undefined> {
  let ns;
  try {
    ns = await apis.call(`read namespace ${name}`, (options) => apis.core.readNamespace({ name }, options));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
  const secrets = await apis.call(`list Secrets in namespace ${name}`, (options) =>
    apis.core.listNamespacedSecret({ namespace: name }, options),
  );
  return {
    name,
    managedByUs: ns.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
    terminating: ns.status?.phase === 'Terminating',
    secretNames: secrets.items.map((s) => s.metadata?.name ?? '').filter((n) => n !== ''),
  };
}
