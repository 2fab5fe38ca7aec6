import type { AccessCheck } from '../ports/kube/index.js';

/** A right a run needs, with why: shown when it is missing. */
export interface RequiredAccess extends AccessCheck {
  why: string;
}

/** "create namespaces (cluster-wide)", "get secrets in namespace x": how a permission reads in messages. */
export function describeAccess(check: AccessCheck): string {
  const res = check.group ? `${check.resource}.${check.group}` : check.resource;
  return `${check.verb} ${res}${check.namespace ? ` in namespace ${check.namespace}` : ' (cluster-wide)'}`;
}
