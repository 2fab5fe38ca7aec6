import type { AccessCheck } from '../../ports/kube/index.js';
import type { AgentSettings } from '../agent-settings.js';
import type { AgentTarget } from '../agent-target.js';

export interface RequiredAccess extends AccessCheck {
  /** Why the install needs it, shown when it is missing. */
  why: string;
}

/** What the user must be allowed to do for a Helm install, checked by SelfSubjectAccessReview before anything is created. */
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
    { verb: 'create', group: 'apps', resource: 'deployments', namespace: ns, why: 'run agentk' },
    { verb: 'watch', group: '', resource: 'pods', namespace: ns, why: 'watch the agent pods become Ready' },
  );
  if (!settings.serviceAccount) {
    checks.push({ verb: 'create', group: '', resource: 'serviceaccounts', namespace: ns, why: "create the agent's service account" });
  }
  if (settings.rbac.mode !== 'none') {
    checks.push({
      verb: 'create',
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterrolebindings',
      why: settings.rbac.mode === 'cluster-admin' ? 'bind the agent to cluster-admin' : `bind the agent to ${settings.rbac.role}`,
    });
  }
  if (settings.containerScanning) {
    const why = "create the chart's container-scanning RBAC (or pass --no-container-scanning)";
    checks.push(
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', why },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', why },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: ns, why },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: ns, why },
      { verb: 'create', group: '', resource: 'serviceaccounts', namespace: ns, why },
    );
  }
  if (settings.kasCa) {
    checks.push({ verb: 'create', group: '', resource: 'configmaps', namespace: ns, why: 'store the KAS CA certificate' });
  }
  return checks;
}
