import { FlowError } from '../../kernel/errors.js';
import { describeAccess } from '../../plan/describe-access.js';
import type { AccessCheck, KubeAccess } from '../../ports/kube/index.js';

export interface NeededAccess extends AccessCheck {
  /** Why the run needs it, shown when it is missing. */
  why: string;
}

/** Rights the user lacks, each named with why the run needs it. Nothing is created before this passes. */
export async function checkAccess(cluster: KubeAccess & { context: string }, needed: NeededAccess[]): Promise<void> {
  const results = await cluster.canI(needed);
  const missing = needed.filter((_, i) => !results[i]?.allowed);
  if (missing.length > 0) {
    const list = missing.map((m) => `${describeAccess(m)} (to ${m.why})`).join('; ');
    throw new FlowError('preflight', `context "${cluster.context}" may not: ${list}`, 'use a context with these rights, or ask a cluster admin; nothing was created');
  }
}
