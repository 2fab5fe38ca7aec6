import type { ReviewItem } from '../flow/events.js';
import type { CaCertInfo } from '../plan/ca-cert.js';
import type { InstallPlan } from '../plan/install-plan.js';
import { kasAddressWarning } from '../plan/urls.js';
import type { PreflightResult } from './preflight.js';

/** Every choice on one screen, warnings beside the value they concern. */
export function reviewItems(plan: InstallPlan, pre: PreflightResult | undefined, ca: CaCertInfo | undefined, tokenSource: string): ReviewItem[] {
  const chart =
    plan.chart.kind === 'repo'
      ? `${plan.chart.name} ${plan.chartVersion ?? '(newest)'} from ${plan.chart.repo}`
      : `${plan.chart.ref}${plan.chartVersion ? ` ${plan.chartVersion}` : ''}`;
  const items: ReviewItem[] = [
    { label: 'Cluster context', value: plan.context },
    { label: 'GitLab', value: `${plan.gitlabUrl} (token from ${tokenSource})` },
    { label: 'Project', value: plan.projectPath },
    { label: 'Agent', value: plan.agentId !== undefined ? `${plan.agentName} (exists, id ${plan.agentId})` : `${plan.agentName} (will be registered)` },
    { label: 'Agent server (KAS)', value: plan.kasAddress, warning: kasAddressWarning(plan.kasAddress) },
    {
      label: 'Namespace',
      value: pre === undefined ? plan.namespace : pre.namespaceExists ? `${plan.namespace} (exists)` : `${plan.namespace} (will be created)`,
    },
    { label: 'Helm release', value: pre?.releaseExists ? `${plan.release} (exists: upgrade)` : plan.release },
    { label: 'Chart', value: chart },
    { label: 'agentk image', value: `${plan.imageRepository ?? 'chart default repository'}:${plan.imageTag ?? "chart's appVersion"}` },
    {
      label: 'Token',
      value: plan.ownTokenSecret
        ? `your Secret ${plan.tokenSecretName}`
        : pre?.reusableTokenId !== undefined
          ? `reuse token ${pre.reusableTokenId} in Secret ${plan.tokenSecretName}`
          : `new token, stored in Secret ${plan.tokenSecretName} (never in helm values)`,
      warning: pre?.revokeTokenId !== undefined ? `token ${pre.revokeTokenId} will be revoked first` : undefined,
    },
    {
      label: 'Proxy',
      value: plan.proxy.httpsProxy || plan.proxy.httpProxy ? `HTTPS_PROXY=${plan.proxy.httpsProxy ?? '-'} HTTP_PROXY=${plan.proxy.httpProxy ?? '-'} NO_PROXY=${plan.proxy.noProxy ?? '-'}` : 'none',
    },
    {
      label: 'KAS CA certificate',
      value: ca ? `${plan.kasCaCertPath}: ${ca.subject}, valid until ${ca.validTo.toISOString().slice(0, 10)}` : 'system trust',
      warning: ca?.expired ? 'expired (accepted with --allow-expired-ca)' : undefined,
    },
    {
      label: 'RBAC',
      value: plan.rbac.mode === 'cluster-admin' ? 'cluster-admin (chart default)' : plan.rbac.mode === 'existing-role' ? `bind ClusterRole ${plan.rbac.role}` : 'no binding (you create it)',
      warning: plan.rbac.mode === 'cluster-admin' ? 'not recommended for production' : undefined,
    },
    { label: 'Service account', value: plan.serviceAccount ? `existing ${plan.serviceAccount}` : "the chart's own" },
    { label: 'Agent config file', value: plan.createConfig === 'none' ? 'not committed' : `commit .gitlab/agents/${plan.agentName}/config.yaml (${plan.createConfig})` },
  ];
  if (plan.valuesFiles.length) items.push({ label: 'Extra values files', value: plan.valuesFiles.join(', ') });
  if (plan.sets.length) items.push({ label: 'Extra --set', value: plan.sets.join(' ') });
  if (plan.setStrings.length) items.push({ label: 'Extra --set-string', value: plan.setStrings.join(' ') });
  return items;
}
