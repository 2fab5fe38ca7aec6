import type { AgentInstall } from '../../discovery/agent-install.js';
import { FLUX_GROUPS } from '../../plan/flux/api-versions.js';
import { CHART_NAME } from '../../plan/helm/release-plan.js';
import type { HelmPort, HelmTarget } from '../../ports/helm.js';
import type { KubeCluster, KubeObject } from '../../ports/kube/index.js';
import { onAgentPath } from './flux-path.js';
import type { ClusterReadings, FluxReadings } from './readings.js';
import { deploymentEvidence } from './to-evidence.js';
import { tokenVolumeOf, agentContainer, caFileOf } from '../../diagnosis/deployment-args.js';
import type { DeploymentEvidence, LogChunk } from '../../diagnosis/evidence.js';

/** How many of agentk's newest log lines are read per container (current and previous). */
const LOG_LINES = 200;

/** A read that may fail (RBAC, a CRD not served): its answer, or undefined, with the reason noted. */
async function tolerate<T>(what: string, notes: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    notes.push(`${what}: ${(err as Error).message}`);
    return undefined;
  }
}

const isAgentChart = (chart: string | undefined) => chart !== undefined && (chart === CHART_NAME || chart.startsWith(`${CHART_NAME}-`));

/** The API server's answer for a kind no served version of the group has (client-node's discovery, or a 404). */
const NOT_SERVED = /Unrecognized API version and kind|could not find the requested resource|\b404\b|not found/i;

/**
 * A kind that is not served by every Flux release (OCIRepository reached v1 later than the rest of the source
 * group; a cluster may serve a source group without it): each served version of the group, newest first,
 * until one serves the kind. None does: no such objects, and nothing to note.
 */
async function listIfServed(cluster: KubeCluster, group: string, versions: string[], kind: string, notes: string[]): Promise<KubeObject[]> {
  for (const version of versions) {
    try {
      return await cluster.listObjects({ apiVersion: `${group}/${version}`, kind });
    } catch (err) {
      if (NOT_SERVED.test((err as Error).message)) continue;
      notes.push(`list ${kind}: ${(err as Error).message}`);
      return [];
    }
  }
  return [];
}

async function readFlux(cluster: KubeCluster, install: AgentInstall, notes: string[]): Promise<FluxReadings | undefined> {
  const served = await tolerate('Flux API discovery', notes, async () => {
    const [source, kustomize, helm] = await Promise.all([
      cluster.servedVersions(FLUX_GROUPS.source),
      cluster.servedVersions(FLUX_GROUPS.kustomize),
      cluster.servedVersions(FLUX_GROUPS.helm),
    ]);
    return { source, kustomize, helm };
  });
  if (!served) return undefined;
  const list = async (group: string, versions: string[], kind: string): Promise<KubeObject[]> => {
    const version = versions[0];
    if (!version) return [];
    return (await tolerate(`list ${kind}`, notes, () => cluster.listObjects({ apiVersion: `${group}/${version}`, kind }))) ?? [];
  };
  const [gitRepositories, kustomizations, helmRepositories, helmCharts, ociRepositories, buckets, helmReleases] = await Promise.all([
    list(FLUX_GROUPS.source, served.source, 'GitRepository'),
    list(FLUX_GROUPS.kustomize, served.kustomize, 'Kustomization'),
    list(FLUX_GROUPS.source, served.source, 'HelmRepository'),
    list(FLUX_GROUPS.source, served.source, 'HelmChart'),
    listIfServed(cluster, FLUX_GROUPS.source, served.source, 'OCIRepository', notes),
    listIfServed(cluster, FLUX_GROUPS.source, served.source, 'Bucket', notes),
    list(FLUX_GROUPS.helm, served.helm, 'HelmRelease'),
  ]);
  const targets = (hr: KubeObject) => {
    const spec = (hr['spec'] ?? {}) as {
      targetNamespace?: string;
      releaseName?: string;
      chart?: { spec?: { chart?: string } };
      chartRef?: { kind?: string };
    };
    const ns = spec.targetNamespace ?? hr.metadata.namespace;
    const name = spec.releaseName ?? (spec.targetNamespace ? `${spec.targetNamespace}-${hr.metadata.name}` : hr.metadata.name);
    const releaseMatches = install.release === undefined || name === install.release || hr.metadata.name === install.release;
    if (ns !== install.namespace) return false;
    // A chartRef (an OCIRepository or HelmChart) does not name the chart: the helm release it makes must be this install's.
    if (spec.chartRef) return install.release !== undefined && (name === install.release || hr.metadata.name === install.release);
    return isAgentChart(spec.chart?.spec?.chart) && releaseMatches;
  };
  const owner =
    install.flux ?? helmReleases.filter(targets).map((hr) => ({ name: hr.metadata.name, namespace: hr.metadata.namespace ?? '' }))[0];
  const managed = owner !== undefined;
  const controllers = managed
    ? await tolerate('list Flux controllers', notes, () =>
        cluster.listObjects({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: owner.namespace,
          labelSelector: 'app.kubernetes.io/part-of=flux',
        }),
      )
    : undefined;
  const path = onAgentPath(
    { gitRepositories, kustomizations, helmRepositories, helmCharts, ociRepositories, buckets, helmReleases },
    owner,
  );
  return { served, ...(controllers ? { controllers } : {}), ...path, managed, ...(owner ? { expectedHelmRelease: owner } : {}) };
}

/** Newest lines of each agentk container, and of its previous run when it restarted. Unreadable logs are skipped. */
async function readLogs(
  cluster: KubeCluster,
  namespace: string,
  container: string | undefined,
  pods: KubeObject[],
  notes: string[],
): Promise<LogChunk[]> {
  const requests: { pod: string; container: string; previous: boolean }[] = [];
  for (const pod of pods) {
    const statuses =
      (pod['status'] as { containerStatuses?: { name: string; restartCount?: number; state?: Record<string, unknown> }[] } | undefined)
        ?.containerStatuses ?? [];
    const agent = statuses.find((s) => s.name === container) ?? statuses[0];
    if (!agent) continue;
    const started = agent.state?.['running'] !== undefined || agent.state?.['terminated'] !== undefined || (agent.restartCount ?? 0) > 0;
    if (started) requests.push({ pod: pod.metadata.name, container: agent.name, previous: false });
    if ((agent.restartCount ?? 0) > 0) requests.push({ pod: pod.metadata.name, container: agent.name, previous: true });
  }
  const chunks = await Promise.all(
    requests.map(async (r) => {
      const lines = await tolerate(`logs of ${r.pod}${r.previous ? ' (previous)' : ''}`, notes, () =>
        cluster.podLogs({ namespace, pod: r.pod, container: r.container, previous: r.previous, tailLines: LOG_LINES }),
      );
      return lines ? [{ pod: r.pod, container: r.container, previous: r.previous, lines }] : [];
    }),
  );
  return chunks.flat();
}

/**
 * The CA file agentk is given (--kas-ca-cert-file) comes from a ConfigMap volume mounted at its directory
 * (the chart's `config.kasCaCert`, our advanced method's `<fullname>-kas-ca`): read it, so the doctor can
 * verify KAS with the CA agentk uses. A CA in a Secret volume is not read (Secret values never are).
 */
async function readKasCa(cluster: KubeCluster, namespace: string, spec: DeploymentEvidence | undefined): Promise<ClusterReadings['kasCa']> {
  const file = caFileOf(spec);
  if (!spec || !file) return undefined;
  const slash = file.lastIndexOf('/');
  const dir = file.slice(0, slash).replace(/\/$/, '') || '/';
  const base = file.slice(slash + 1);
  const volume = spec.volumes.find((v) => v.mountPath !== undefined && (v.mountPath.replace(/\/$/, '') || '/') === dir);
  if (!volume) return { source: file, notRead: `no volume of the Deployment is mounted at ${dir}` };
  if (!volume.configMapName)
    return {
      source: file,
      notRead: volume.secretName
        ? `it comes from Secret ${volume.secretName}, whose values are never read`
        : `volume ${volume.name} is not a ConfigMap`,
    };
  const source = `ConfigMap ${namespace}/${volume.configMapName}`;
  try {
    const cm = await cluster.getObject({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: volume.configMapName });
    if (!cm) return { source, notRead: 'it does not exist' };
    const pem = ((cm['data'] ?? {}) as Record<string, string>)[base];
    return pem ? { source: `${source} (key ${base})`, pem } : { source, notRead: `it has no key ${base}` };
  } catch (err) {
    return { source, notRead: (err as Error).message };
  }
}

/**
 * Everything the cluster says about one install, through the ports only, read-only: the helm release (and
 * its history when it is not deployed), the Deployment, its pods, the namespace's events, the token Secret's metadata, agentk's
 * recent logs (and the previous container's), the `kubernetes` Service, and Flux's objects. A read that
 * fails is left out (its checks skip) and noted.
 */
export async function collectCluster(
  cluster: KubeCluster,
  helm: Pick<HelmPort, 'listReleases' | 'history'>,
  target: HelmTarget,
  install: AgentInstall,
  notes: string[],
): Promise<ClusterReadings> {
  const namespace = install.namespace;
  const name = install.deployment?.name;
  const release = install.release;
  // helm history matters only for a release that is not deployed (the failed revision's description, the last
  // good one to roll back to): for a deployed one, one helm process fewer on the critical path.
  const readRelease = async () => {
    if (release === undefined) return { helmRelease: null, history: undefined };
    const helmRelease = await tolerate(
      'helm list',
      notes,
      async () => (await helm.listReleases(target, namespace)).find((r) => r.name === release && isAgentChart(r.chart)) ?? null,
    );
    const wanted =
      install.method !== 'unknown' && (helmRelease === undefined || (helmRelease !== null && helmRelease.status !== 'deployed'));
    const history = wanted ? await tolerate('helm history', notes, () => helm.history({ ...target, namespace, release })) : undefined;
    return { helmRelease, history };
  };
  const deploymentRead =
    name === undefined
      ? Promise.resolve(null)
      : tolerate(
          `read Deployment ${name}`,
          notes,
          async () => (await cluster.getObject({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name })) ?? null,
        );
  const podsRead = install.deployment?.selector
    ? tolerate('list pods', notes, () =>
        cluster.listObjects({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: install.deployment!.selector }),
      )
    : Promise.resolve([]);
  // What depends only on the Deployment and its pods (the Secret, the logs, agentk's CA) starts as soon as they
  // are in, without waiting for helm, the events or Flux's discovery.
  const specRead = deploymentRead.then((d) => (d ? deploymentEvidence(d) : undefined));
  const dependents = Promise.all([specRead, podsRead]).then(([spec, pods]) => {
    const secretName = tokenVolumeOf(spec)?.secretName ?? install.token?.secret;
    return Promise.all([
      secretName === undefined
        ? Promise.resolve(undefined)
        : tolerate(`read Secret ${secretName}`, notes, async () => (await cluster.getTokenSecret(namespace, secretName)) ?? null),
      readLogs(cluster, namespace, agentContainer(spec)?.name, pods ?? [], notes),
      readKasCa(cluster, namespace, spec),
    ]);
  });
  const [{ helmRelease, history }, deployment, pods, events, kubernetesService, flux, [tokenSecret, logs, kasCa]] = await Promise.all([
    readRelease(),
    deploymentRead,
    podsRead,
    tolerate('list events', notes, () => cluster.listObjects({ apiVersion: 'v1', kind: 'Event', namespace })),
    tolerate(
      'read Service default/kubernetes',
      notes,
      async () => (await cluster.getObject({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'kubernetes' })) ?? null,
    ),
    readFlux(cluster, install, notes),
    dependents,
  ]);
  return {
    namespace,
    ...(helmRelease !== undefined ? { release: helmRelease } : {}),
    ...(history ? { history } : {}),
    ...(deployment !== undefined ? { deployment } : {}),
    ...(pods ? { pods } : {}),
    ...(events ? { events } : {}),
    ...(tokenSecret !== undefined ? { tokenSecret } : {}),
    logs,
    ...(kubernetesService !== undefined ? { kubernetesService } : {}),
    ...(kasCa ? { kasCa } : {}),
    ...(flux ? { flux } : {}),
  };
}
