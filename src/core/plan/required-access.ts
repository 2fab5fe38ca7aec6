import type { AccessCheck } from '../ports/kube.js';
import type { InstallPlan } from './install-plan.js';

export interface RequiredAccess extends AccessCheck {
  /** Why the install needs it, shown when it is missing. */
  why: string;
}

/** What the user must be allowed to do for this plan, checked by SelfSubjectAccessReview before anything is created. */
export function requiredAccess(plan: InstallPlan, namespaceExists: boolean): RequiredAccess[] {
  const ns = plan.namespace;
  const checks: RequiredAccess[] = [];
  if (!namespaceExists && plan.createNamespace) {
    checks.push({ verb: 'create', group: '', resource: 'namespaces', why: `create namespace ${ns}` });
  }
  if (!plan.ownTokenSecret) {
    checks.push({ verb: 'create', group: '', resource: 'secrets', namespace: ns, why: 'store the agent token' });
    checks.push({ verb: 'update', group: '', resource: 'secrets', namespace: ns, why: 'replace the agent token on re-runs' });
  }
  checks.push(
    { verb: 'get', group: '', resource: 'secrets', namespace: ns, why: 'helm keeps its release records in Secrets' },
    { verb: 'create', group: 'apps', resource: 'deployments', namespace: ns, why: 'run agentk' },
    { verb: 'watch', group: '', resource: 'pods', namespace: ns, why: 'watch the agent pods become Ready' },
  );
  if (!plan.serviceAccount) {
    checks.push({ verb: 'create', group: '', resource: 'serviceaccounts', namespace: ns, why: "create the agent's service account" });
  }
  if (plan.rbac.mode !== 'none') {
    checks.push({
      verb: 'create',
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterrolebindings',
      why: plan.rbac.mode === 'cluster-admin' ? 'bind the agent to cluster-admin' : `bind the agent to ${plan.rbac.role}`,
    });
  }
  if (plan.kasCaCertPem) {
    checks.push({ verb: 'create', group: '', resource: 'configmaps', namespace: ns, why: 'store the KAS CA certificate' });
  }
  return checks;
}

export function describeAccess(check: AccessCheck): string {
  const res = check.group ? `${check.resource}.${check.group}` : check.resource;
  return `${check.verb} ${res}${check.namespace ? ` in namespace ${check.namespace}` : ' (cluster-wide)'}`;
}
