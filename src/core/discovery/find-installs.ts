import type { HelmPort, HelmRelease, HelmTarget } from '../ports/helm.js';
import type { ExistingAgentDeployment, KubeSecrets, KubeWorkloads } from '../ports/kube/index.js';
import { CHART_NAME } from '../plan/helm/release-plan.js';
import { FLUX_HELMRELEASE_NAME_LABEL, FLUX_HELMRELEASE_NAMESPACE_LABEL } from '../plan/ownership.js';
import { installKey, type AgentInstall } from './agent-install.js';

function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : undefined;
}

/** The HelmRelease that Flux's helm-controller labelled the Deployment with, if any. */
function fluxOwner(d: ExistingAgentDeployment | undefined): AgentInstall['flux'] {
  const name = d?.labels?.[FLUX_HELMRELEASE_NAME_LABEL];
  if (!d || !name) return undefined;
  return { name, namespace: d.labels?.[FLUX_HELMRELEASE_NAMESPACE_LABEL] ?? d.namespace };
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
    const flux = fluxOwner(d);
    const install: AgentInstall = {
      context: target.context,
      namespace: r.namespace,
      // helm-controller keeps helm's release records too: the release is Flux's to change.
      method: flux ? 'flux' : 'helm',
      ...(flux ? { flux } : {}),
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
    const flux = fluxOwner(d);
    found.set(key, {
      context: target.context,
      namespace: d.namespace,
      method: flux ? 'flux' : 'unknown',
      ...(flux ? { flux } : {}),
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
    owner.token = {
      secret: s.name,
      tokenId: s.tokenId,
      agentId: s.agentId,
      agentName: s.agentName,
      ...(s.registration ? { registration: s.registration } : {}),
    };
    owner.ours = true;
  }
  return [...found.values()].sort((a, b) => installKey(a).localeCompare(installKey(b)));
}
