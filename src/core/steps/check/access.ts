import { FlowError } from '../../kernel/errors.js';
import { describeAccess, type RequiredAccess } from '../../plan/describe-access.js';
import type { KubeAccess } from '../../ports/kube/index.js';

/** The same thing as the plan's RequiredAccess: one type for "a right, and why". */
export type NeededAccess = RequiredAccess;

/** Rights the user lacks, each named with why the run needs it. Nothing is created before this passes. */
export async function checkAccess(cluster: KubeAccess & { context: string }, needed: NeededAccess[]): Promise<void> {
  const results = await cluster.canI(needed);
  const missing = needed.filter((_, i) => !results[i]?.allowed);
  if (missing.length > 0) {
    const list = missing.map((m) => `${describeAccess(m)} (to ${m.why})`).join('; ');
    throw new FlowError(
      'preflight',
      `context "${cluster.context}" may not: ${list}`,
      'use a context with these rights, or ask a cluster admin; nothing was created',
    );
  }
}
