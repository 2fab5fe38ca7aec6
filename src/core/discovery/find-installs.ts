import type { HelmPort, HelmRelease, HelmTarget } from '../ports/helm.js';
import type { ExistingAgentDeployment, KubeSecrets, KubeWorkloads } from '../ports/kube/index.js';
import { CHART_NAME } from '../plan/helm/release-plan.js';
import { installKey, type AgentInstall } from './agent-install.js';

function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : undefined;
}

const isAgentChart = (r: HelmRelease) => r.chart === CHART_NAME || r.chart.startsWith(`${CHART_NAME}-`);

/**
 * Every agent install in one context, in one namespace or all the user may see: helm releases of the
 * chart (helm 3 and 4 alike), Deployments running agentk (also those installed without helm), and our
 * token Secrets, joined by namespace and release. Nothing is written.
 */
export async function findInstalls(
  cluster: KubeWorkloads & KubeSecrets,
  helm: Pick<HelmPort, 'listReleases'>,
  target: HelmTarget,
  namespace?: string,
): Promise<AgentInstall[]> {
  const [releases, deployments, secrets] = await Promise.all([
    helm.listReleases(target, namespace).then((all) => all.filter(isAgentChart)),
    cluster.findAgentDeployments(namespace),
    cluster.listTokenSecrets(namespace),
  ]);
  const found = new Map<string, AgentInstall>();
  const deploymentOf = (ns: string, release: string | undefined): ExistingAgentDeployment | undefined =>
    deployments.find((d) => d.namespace === ns && d.release === release);

  for (const r of releases) {
    const d = deploymentOf(r.namespace, r.name);
    const install: AgentInstall = {
      context: target.context,
      namespace: r.namespace,
      method: 'helm',
      release: r.name,
      chart: r.chart,
      releaseStatus: r.status,
      revision: r.revision,
      agentVersion: imageTag(d?.image) ?? (r.appVersion || undefined),
      ...(d ? { deployment: { name: d.name, selector: d.selector, desired: d.desired ?? 0, ready: d.ready ?? 0 } } : {}),
      ours: false,
    };
    found.set(installKey(install), install);
  }
  for (const d of deployments) {
    const key = installKey({ context: target.context, namespace: d.namespace, release: d.release });
    if (found.has(key)) continue;
    found.set(key, {
      context: target.context,
      namespace: d.namespace,
      method: 'unknown',
      release: d.release,
      agentVersion: imageTag(d.image),
      deployment: { name: d.name, selector: d.selector, desired: d.desired ?? 0, ready: d.ready ?? 0 },
      ours: false,
    });
  }
  // Our Secret names its agent; with one install in that namespace it is that install's, else match by agent name.
  for (const s of secrets) {
    const inNamespace = [...found.values()].filter((i) => i.namespace === s.namespace);
    const owner = inNamespace.length === 1 ? inNamespace[0] : inNamespace.find((i) => i.release === s.agentName);
    if (!owner) continue;
    owner.token = { secret: s.name, tokenId: s.tokenId, agentId: s.agentId, agentName: s.agentName };
    owner.ours = true;
  }
  return [...found.values()].sort((a, b) => installKey(a).localeCompare(installKey(b)));
}
