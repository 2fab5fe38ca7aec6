import type { Ledger } from '../../kernel/ledger.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { KubeNamespaces } from '../../ports/kube/index.js';

/**
 * Creates the namespace when it is missing: labelled as ours (so uninstall knows it may remove it) and
 * with the Pod Security level the agent passes.
 */
export async function ensureNamespace(
  cluster: KubeNamespaces,
  target: AgentTarget,
  exists: boolean,
  ledger: Ledger,
  labels: Record<string, string> = {},
): Promise<string> {
  if (exists) return `${target.namespace} exists`;
  await cluster.createNamespace(target.namespace, labels);
  ledger.record({
    kind: 'namespace',
    id: target.namespace,
    description: `namespace ${target.namespace}`,
    created: true,
    undo: `kubectl --context ${target.context} delete namespace ${target.namespace}`,
  });
  return `created ${target.namespace}`;
}
