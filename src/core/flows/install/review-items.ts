import type { ReviewItem } from '../../kernel/events.js';
import { advancedSummary } from '../../plan/advanced-options.js';
import { agentConfigPath } from '../../plan/agent-config.js';
import { kasAddressWarning } from '../../plan/urls.js';
import { podSecurityLabels } from '../../plan/secure-defaults.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';

/** Every choice on one screen, warnings beside the value they concern. */
export function reviewItems(g: Gathered, c: Checked): ReviewItem[] {
  const { target, settings, ca } = g;
  const token = c.token;
  const delivery = g.delivery.reviewItems(g.plan, c.delivery);
  const { proxy, rbac } = settings;
  return [
    { label: 'Cluster context', value: target.context, answer: 'context' },
    { label: 'GitLab', value: `${target.gitlabUrl} (token from ${g.session.tokenSource})`, answer: 'gitlab-url' },
    { label: 'Project', value: target.projectPath, answer: 'project' },
    {
      label: 'Agent',
      value:
        target.agentId !== undefined ? `${target.agentName} (exists, id ${target.agentId})` : `${target.agentName} (will be registered)`,
      answer: 'agent',
    },
    { label: 'Agent server (KAS)', value: settings.kasAddress, warning: kasAddressWarning(settings.kasAddress) },
    {
      label: 'Namespace',
      answer: 'namespace',
      value:
        c.cluster === undefined
          ? target.namespace
          : c.namespaceExists
            ? `${target.namespace} (exists)`
            : `${target.namespace} (will be created)`,
    },
    ...delivery.placement,
    {
      label: 'agentk image',
      value: `${settings.image.repository ?? 'chart default repository'}:${settings.image.tag ?? "chart's appVersion"}`,
      answer: 'image-tag',
    },
    {
      label: 'Token',
      value: settings.tokenSecret.own
        ? `your Secret ${settings.tokenSecret.name}`
        : token?.reusableTokenId !== undefined
          ? `reuse token ${token.reusableTokenId} in Secret ${settings.tokenSecret.name}`
          : `new token, stored in Secret ${settings.tokenSecret.name} (never in helm values)`,
      warning: token?.revokeTokenId !== undefined ? `token ${token.revokeTokenId} will be revoked first` : undefined,
    },
    {
      label: 'Proxy',
      answer: 'use-proxy',
      value:
        proxy.httpsProxy || proxy.httpProxy
          ? `HTTPS_PROXY=${proxy.httpsProxy ?? '-'} HTTP_PROXY=${proxy.httpProxy ?? '-'} NO_PROXY=${proxy.noProxy ?? '-'}`
          : 'none',
    },
    {
      label: 'KAS CA certificate',
      answer: 'use-kas-ca',
      value:
        ca && settings.kasCa
          ? `${settings.kasCa.path}: ${ca.subject}, valid until ${ca.validTo.toISOString().slice(0, 10)}`
          : 'system trust',
      warning: ca?.expired ? 'expired (accepted with --allow-expired-ca)' : undefined,
    },
    {
      label: 'RBAC',
      answer: 'rbac',
      value:
        rbac.mode === 'cluster-admin'
          ? 'cluster-admin (chart default)'
          : rbac.mode === 'existing-role'
            ? `bind ClusterRole ${rbac.role}`
            : 'no binding (you create it)',
      warning: rbac.mode === 'cluster-admin' ? 'not recommended for production' : undefined,
    },
    ...rbacObjects(c),
    {
      label: 'Container scanning',
      value: settings.containerScanning
        ? 'on (chart default): its own ServiceAccount and a ClusterRole that reads Secrets cluster-wide'
        : 'off (no scanner ServiceAccount, ClusterRole or binding)',
      warning:
        settings.containerScanning && rbac.mode !== 'cluster-admin'
          ? 'wider than the role you chose; --no-container-scanning drops it'
          : undefined,
    },
    {
      label: 'Pod security',
      value: settings.secureDefaults
        ? `restricted securityContext (non-root, read-only root, no capabilities)${c.namespaceExists ? '' : `; new namespace enforces ${podSecurityLabels(settings)['pod-security.kubernetes.io/enforce']}`}`
        : "the chart's empty securityContext (--no-secure-defaults)",
    },
    ...(settings.advanced ? [{ label: 'Advanced options', answer: 'advanced', value: advancedSummary(settings.advanced) }] : []),
    { label: 'Service account', value: settings.serviceAccount ? `existing ${settings.serviceAccount}` : "the chart's own" },
    {
      label: 'Agent config file',
      answer: 'create-config',
      value: settings.createConfig === 'none' ? 'not committed' : `commit ${agentConfigPath(target.agentName)} (${settings.createConfig})`,
    },
    ...delivery.extra,
  ];
}

const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

/** The identities and rights the rendered chart will create, by name: what a reviewer of RBAC wants to see. */
function rbacObjects(c: Checked): ReviewItem[] {
  if (!c.rendered) return [];
  const objects = c.rendered.objects.filter((o) => RBAC_KINDS.includes(o.kind));
  const clusterWide = objects.filter((o) => o.kind.startsWith('Cluster')).length;
  return [
    {
      label: 'Creates (RBAC)',
      value: objects.length === 0 ? 'no ServiceAccount, Role or binding' : objects.map((o) => `${o.kind} ${o.name}`).join(', '),
      warning: clusterWide > 0 ? `${clusterWide} cluster-wide` : undefined,
    },
  ];
}
