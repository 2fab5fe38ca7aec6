import type { AgentSettings } from '../agent-settings.js';
import type { AgentTarget } from '../agent-target.js';
import type { RequiredAccess } from '../describe-access.js';

/**
 * What the user must be allowed to do for a Helm install besides creating the chart's objects (those come
 * from the rendered chart, see rendered-access.ts): the namespace, our token Secret, helm's release records
 * and the readiness watch. Checked by SelfSubjectAccessReview before anything is created.
 */
export function requiredAccess(target: AgentTarget, settings: AgentSettings, namespaceExists: boolean): RequiredAccess[] {
  const ns = target.namespace;
  const checks: RequiredAccess[] = [];
  if (!namespaceExists && target.createNamespace) {
    checks.push({ verb: 'create', group: '', resource: 'namespaces', why: `create namespace ${ns}` });
  }
  if (!settings.tokenSecret.own) {
    checks.push({ verb: 'create', group: '', resource: 'secrets', namespace: ns, why: 'store the agent token' });
    checks.push({ verb: 'update', group: '', resource: 'secrets', namespace: ns, why: 'replace the agent token on re-runs' });
  }
  checks.push(
    { verb: 'get', group: '', resource: 'secrets', namespace: ns, why: 'helm keeps its release records in Secrets' },
    ...(settings.tokenSecret.own
      ? [{ verb: 'create', group: '', resource: 'secrets', namespace: ns, why: 'helm records the release in a Secret' }]
      : []),
    { verb: 'watch', group: '', resource: 'pods', namespace: ns, why: 'watch the agent pods become Ready' },
  );
  return checks;
}
