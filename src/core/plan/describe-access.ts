import type { AccessCheck } from '../ports/kube/index.js';

/** "create namespaces (cluster-wide)", "get secrets in namespace x": how a permission reads in messages. */
export function describeAccess(check: AccessCheck): string {
  const res = check.group ? `${check.resource}.${check.group}` : check.resource;
  return `${check.verb} ${res}${check.namespace ? ` in namespace ${check.namespace}` : ' (cluster-wide)'}`;
}
