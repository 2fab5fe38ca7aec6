import type { V1Deployment } from '@kubernetes/client-node';
import type { ExistingAgentDeployment } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { mapConcurrent } from './concurrency.js';
import { hasStatus } from './failures.js';

/**
 * Every release-made Deployment; which of them run agentk is decided on the object. Not the chart's name
 * label: `nameOverride` changes it (real-chart §3), while `app.kubernetes.io/instance` always names the release.
 */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const AGENT_SELECTOR = INSTANCE_LABEL;

/** The gitlab-agent chart's (helm.sh/chart "gitlab-agent-<version>"), or a Deployment running agentk. */
function runsAgentk(d: V1Deployment): boolean {
  if (/^gitlab-agent-\d/.test(d.metadata?.labels?.['helm.sh/chart'] ?? '')) return true;
  return (d.spec?.template?.spec?.containers ?? []).some((c) => c.name === 'gitlab-agent' || /\/agentk(:|@|$)/.test(c.image ?? ''));
}
/** Namespaces to look in when we may list neither all Deployments nor all namespaces. */
const WELL_KNOWN_NAMESPACES = ['gitlab-agent'];

/** The agentk container: the chart names it gitlab-agent; older or hand-made ones run agentk's image. */
function agentContainer(d: V1Deployment) {
  const containers = d.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === 'gitlab-agent') ?? containers.find((c) => c.image?.includes('agentk')) ?? containers[0];
}

function toExisting(items: V1Deployment[]): ExistingAgentDeployment[] {
  return items.filter(runsAgentk).map((d) => {
    const release = d.metadata?.labels?.[INSTANCE_LABEL];
    const image = agentContainer(d)?.image;
    const match = d.spec?.selector?.matchLabels;
    const selector = match
      ? Object.entries(match)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : undefined;
    return {
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      ...(release ? { release } : {}),
      ...(image ? { image } : {}),
      ...(selector ? { selector } : {}),
      desired: d.spec?.replicas ?? 1,
      ready: d.status?.readyReplicas ?? 0,
      ...(d.metadata?.labels ? { labels: { ...d.metadata.labels } } : {}),
    };
  });
}

async function listIn(apis: KubeApis, namespace: string): Promise<ExistingAgentDeployment[]> {
  const list = await apis.call(`list Deployments in namespace ${namespace}`, (options) =>
    apis.apps.listNamespacedDeployment({ namespace, labelSelector: AGENT_SELECTOR }, options),
  );
  return toExisting(list.items);
}

/**
 * gitlab-agent Deployments in `namespace`, or in the whole cluster when it is undefined.
 *
 * Users with namespace-scoped RBAC get 403 on the cluster-wide list. Then we return what we can see:
 * we list namespaces and look in each (skipping those that answer 403); if listing namespaces is
 * forbidden too, we look only in the context's namespace and `gitlab-agent`. So with narrow rights an
 * empty answer means "none that you can see", not "none in the cluster".
 */
export async function findAgentDeployments(apis: KubeApis, namespace?: string): Promise<ExistingAgentDeployment[]> {
  if (namespace !== undefined) return listIn(apis, namespace);
  try {
    const list = await apis.call('list Deployments in all namespaces', (options) =>
      apis.apps.listDeploymentForAllNamespaces({ labelSelector: AGENT_SELECTOR }, options),
    );
    return toExisting(list.items);
  } catch (err) {
    if (!hasStatus(err, 403)) throw err;
  }
  let namespaces: string[];
  try {
    const list = await apis.call('list namespaces', (options) => apis.core.listNamespace({}, options));
    namespaces = list.items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  } catch (err) {
    if (!hasStatus(err, 403)) throw err;
    namespaces = [...new Set([...(apis.defaultNamespace ? [apis.defaultNamespace] : []), ...WELL_KNOWN_NAMESPACES])];
  }
  const found = await mapConcurrent(namespaces, 8, async (ns) => {
    try {
      return await listIn(apis, ns);
    } catch (err) {
      if (hasStatus(err, 403) || hasStatus(err, 404)) return [];
      throw err;
    }
  });
  return found.flat();
}
