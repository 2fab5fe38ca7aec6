import type {
  Condition,
  ContainerSpecEvidence,
  ContainerStatusEvidence,
  DeploymentEvidence,
  DiagnosisContext,
  EnvVarEvidence,
  EventEvidence,
  Evidence,
  FluxEvidence,
  FluxObjectBase,
  GitLabEvidence,
  LocalVerification,
  PodEvidence,
  VolumeEvidence,
  WorkloadEvidence,
} from '../../diagnosis/evidence.js';
import { TOKEN_ID_ANNOTATION } from '../../plan/ownership.js';
import type { KubeObject } from '../../ports/kube/index.js';
import type { ClusterReadings, FluxReadings, GitLabReadings } from './readings.js';

/**
 * Pure: what the ports answered → the Evidence the rules read. Raw Kubernetes objects are read
 * defensively (any field may be missing); nothing here does I/O or reads the clock.
 */

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

function conditions(status: Json): Condition[] {
  return arr(status['conditions']).map((raw) => {
    const c = obj(raw);
    const observedGeneration = num(c['observedGeneration']);
    return {
      type: str(c['type']) ?? '',
      status: str(c['status']) ?? 'Unknown',
      ...(str(c['reason']) ? { reason: str(c['reason']) } : {}),
      ...(str(c['message']) ? { message: str(c['message']) } : {}),
      ...(observedGeneration !== undefined ? { observedGeneration } : {}),
      ...(str(c['lastTransitionTime']) ? { lastTransitionTime: str(c['lastTransitionTime']) } : {}),
    };
  });
}

/** `secretKeyRef proxy/https-proxy`: where a value comes from, never the value. */
function valueFromText(v: Json): string | undefined {
  for (const kind of ['secretKeyRef', 'configMapKeyRef']) {
    const ref = obj(v[kind]);
    if (Object.keys(ref).length > 0) return `${kind} ${str(ref['name']) ?? '?'}/${str(ref['key']) ?? '?'}`;
  }
  const field = str(obj(v['fieldRef'])['fieldPath']);
  if (field) return `fieldRef ${field}`;
  const resource = str(obj(v['resourceFieldRef'])['resource']);
  return resource ? `resourceFieldRef ${resource}` : Object.keys(v).length > 0 ? Object.keys(v).join(',') : undefined;
}

function envOf(raw: unknown): EnvVarEvidence[] {
  return arr(raw).map((e) => {
    const v = obj(e);
    const from = obj(v['valueFrom']);
    const valueFrom = Object.keys(from).length > 0 ? valueFromText(from) : undefined;
    return {
      name: str(v['name']) ?? '',
      ...(str(v['value']) !== undefined ? { value: str(v['value']) } : {}),
      ...(valueFrom ? { valueFrom } : {}),
    };
  });
}

function containerSpec(raw: unknown): ContainerSpecEvidence & { mounts: { name: string; mountPath: string }[] } {
  const c = obj(raw);
  return {
    name: str(c['name']) ?? '',
    image: str(c['image']) ?? '',
    // The chart passes agentk's flags as args; manifests may put them in command.
    args: [...strings(c['command']).slice(1), ...strings(c['args'])],
    env: envOf(c['env']),
    mounts: arr(c['volumeMounts']).map((m) => ({ name: str(obj(m)['name']) ?? '', mountPath: str(obj(m)['mountPath']) ?? '' })),
  };
}

function volumesOf(raw: unknown, mounts: { name: string; mountPath: string }[]): VolumeEvidence[] {
  return arr(raw).map((v) => {
    const volume = obj(v);
    const name = str(volume['name']) ?? '';
    const secret = obj(volume['secret']);
    const configMap = obj(volume['configMap']);
    const source = Object.keys(secret).length > 0 ? secret : configMap;
    const items = arr(source['items'])
      .map((i) => str(obj(i)['key']))
      .filter((k): k is string => k !== undefined);
    const optional = source['optional'];
    const mountPath = mounts.find((m) => m.name === name)?.mountPath;
    return {
      name,
      ...(str(secret['secretName']) ? { secretName: str(secret['secretName']) } : {}),
      ...(str(configMap['name']) ? { configMapName: str(configMap['name']) } : {}),
      ...(items.length > 0 ? { items } : {}),
      ...(typeof optional === 'boolean' ? { optional } : {}),
      ...(mountPath ? { mountPath } : {}),
    };
  });
}

/** A Deployment as the API server returns it (apps/v1). */
export function deploymentEvidence(d: KubeObject): DeploymentEvidence {
  const spec = obj(d['spec']);
  const status = obj(d['status']);
  const pod = obj(obj(spec['template'])['spec']);
  const containers = arr(pod['containers']).map(containerSpec);
  // Mount paths of every container: the agentk container mounts the token Secret.
  const mounts = containers.flatMap((c) => c.mounts);
  const generation = d.metadata.generation ?? 0;
  return {
    name: d.metadata.name,
    generation,
    observedGeneration: num(status['observedGeneration']) ?? 0,
    replicas: num(spec['replicas']) ?? 1,
    readyReplicas: num(status['readyReplicas']) ?? 0,
    availableReplicas: num(status['availableReplicas']) ?? 0,
    updatedReplicas: num(status['updatedReplicas']) ?? 0,
    statusReplicas: num(status['replicas']) ?? 0,
    conditions: conditions(status),
    ...(str(pod['serviceAccountName']) ? { serviceAccountName: str(pod['serviceAccountName']) } : {}),
    containers: containers.map(({ mounts: _mounts, ...c }) => c),
    volumes: volumesOf(pod['volumes'], mounts),
    ...(d.metadata.labels ? { labels: d.metadata.labels } : {}),
  };
}

function containerStatus(raw: unknown): ContainerStatusEvidence {
  const c = obj(raw);
  const state = obj(c['state']);
  const which = (['waiting', 'running', 'terminated'] as const).find((k) => Object.keys(obj(state[k])).length > 0 || k in state);
  const current = which ? obj(state[which]) : {};
  const last = obj(obj(c['lastState'])['terminated']);
  const exitCode = num(last['exitCode']);
  return {
    name: str(c['name']) ?? '',
    image: str(c['image']) ?? '',
    ready: c['ready'] === true,
    restartCount: num(c['restartCount']) ?? 0,
    state: which ?? 'unknown',
    ...(str(current['reason']) ? { reason: str(current['reason']) } : {}),
    ...(str(current['message']) ? { message: str(current['message']) } : {}),
    ...(Object.keys(last).length > 0
      ? {
          lastTermination: {
            ...(str(last['reason']) ? { reason: str(last['reason']) } : {}),
            ...(exitCode !== undefined ? { exitCode } : {}),
            ...(str(last['message']) ? { message: str(last['message']) } : {}),
            ...(str(last['finishedAt']) ? { finishedAt: str(last['finishedAt']) } : {}),
          },
        }
      : {}),
  };
}

/** A Pod (v1): phase, conditions, and each container's state (init containers first). */
export function podEvidence(p: KubeObject): PodEvidence {
  const status = obj(p['status']);
  return {
    name: p.metadata.name,
    phase: str(status['phase']) ?? 'Unknown',
    ...(p.metadata.creationTimestamp ? { createdAt: p.metadata.creationTimestamp } : {}),
    ...(p.metadata['deletionTimestamp'] ? { deleting: true } : {}),
    conditions: conditions(status),
    containers: [...arr(status['initContainerStatuses']), ...arr(status['containerStatuses'])].map(containerStatus),
  };
}

/** An Event (v1 or events.k8s.io/v1 through the core API): count from `series` when it has one. */
export function eventEvidence(e: KubeObject): EventEvidence {
  const involved = obj(e['involvedObject']);
  const series = obj(e['series']);
  const lastSeen = str(e['lastTimestamp']) ?? str(series['lastObservedTime']) ?? str(e['eventTime']) ?? e.metadata.creationTimestamp;
  return {
    type: str(e['type']) ?? 'Normal',
    reason: str(e['reason']) ?? '',
    message: str(e['message']) ?? '',
    kind: str(involved['kind']) ?? '',
    name: str(involved['name']) ?? '',
    count: num(series['count']) ?? num(e['count']) ?? 1,
    ...(lastSeen ? { lastSeen } : {}),
  };
}

/** Warnings about the Deployment, its ReplicaSets (`<deployment>-<hash>`) and the given pods, oldest first. */
export function agentEvents(events: readonly EventEvidence[], deployment: string | undefined, pods: readonly string[]): EventEvidence[] {
  const ours = (e: EventEvidence) =>
    (e.kind === 'Deployment' && e.name === deployment) ||
    (e.kind === 'ReplicaSet' && deployment !== undefined && e.name.startsWith(`${deployment}-`)) ||
    (e.kind === 'Pod' && (pods.includes(e.name) || (deployment !== undefined && e.name.startsWith(`${deployment}-`))));
  return events.filter((e) => e.type === 'Warning' && ours(e)).sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
}

function releaseEvidence(r: ClusterReadings): WorkloadEvidence['release'] {
  if (r.release === undefined || r.release === null) return r.release;
  const rel = r.release;
  const history = [...(r.history ?? [])].sort((a, b) => a.revision - b.revision);
  const current = history.find((h) => h.revision === rel.revision);
  const good = history.filter((h) => h.revision < rel.revision && (h.status === 'deployed' || h.status === 'superseded')).at(-1);
  return {
    name: rel.name,
    namespace: rel.namespace,
    revision: rel.revision,
    status: rel.status,
    ...(rel.chart ? { chart: rel.chart } : {}),
    ...(rel.appVersion ? { appVersion: rel.appVersion } : {}),
    ...(current?.description ? { description: current.description } : {}),
    ...(good ? { lastGoodRevision: good.revision } : {}),
  };
}

/** The workload layer; undefined when the Deployment could not be read at all. */
export function workloadEvidence(r: ClusterReadings): WorkloadEvidence | undefined {
  if (r.deployment === undefined) return undefined;
  const deployment = r.deployment === null ? null : deploymentEvidence(r.deployment);
  const pods = (r.pods ?? []).map(podEvidence);
  const events = agentEvents(
    (r.events ?? []).map(eventEvidence),
    deployment?.name,
    pods.map((p) => p.name),
  );
  const release = releaseEvidence(r);
  const secret = r.tokenSecret;
  const ip = r.kubernetesService ? str(obj(r.kubernetesService['spec'])['clusterIP']) : undefined;
  return {
    namespace: r.namespace,
    ...(release !== undefined ? { release } : {}),
    deployment,
    ...(secret !== undefined
      ? {
          tokenSecret:
            secret === null
              ? null
              : {
                  name: secret.name,
                  // Only whether the key exists: the value is never read into evidence.
                  keys: secret.hasTokenKey ? ['token'] : [],
                  annotations: secret.tokenId !== undefined ? { [TOKEN_ID_ANNOTATION]: String(secret.tokenId) } : {},
                },
        }
      : {}),
    pods,
    events,
    ...(ip ? { kubernetesServiceIp: ip } : {}),
  };
}

function fluxBase(o: KubeObject): FluxObjectBase & { spec: Json; status: Json } {
  const spec = obj(o['spec']);
  const status = obj(o['status']);
  const observedGeneration = num(status['observedGeneration']);
  return {
    apiVersion: o.apiVersion,
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    ...(o.metadata.generation !== undefined ? { generation: o.metadata.generation } : {}),
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    ...(spec['suspend'] === true ? { suspend: true } : {}),
    conditions: conditions(status),
    spec,
    status,
  };
}

const strip = <T extends { spec: Json; status: Json }>({ spec: _s, status: _t, ...rest }: T) => rest;

function sourceRef(v: unknown): { kind: string; name: string; namespace?: string } {
  const s = obj(v);
  return { kind: str(s['kind']) ?? '', name: str(s['name']) ?? '', ...(str(s['namespace']) ? { namespace: str(s['namespace']) } : {}) };
}

const withUndefinedOut = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The Flux layer from the objects listed (CRDs not served: `installed` false, lists empty). */
export function fluxEvidence(f: FluxReadings): FluxEvidence {
  const installed = f.served.source.length > 0 && f.served.kustomize.length > 0 && f.served.helm.length > 0;
  return {
    installed,
    ...(f.controllers
      ? {
          controllers: f.controllers.map((c) => {
            const containers = arr(obj(obj(obj(c['spec'])['template'])['spec'])['containers']);
            const image = str(obj(containers[0])['image']);
            return { name: c.metadata.name, ready: (num(obj(c['status'])['readyReplicas']) ?? 0) >= 1, ...(image ? { image } : {}) };
          }),
        }
      : {}),
    managed: f.managed,
    gitRepositories: f.gitRepositories.map((o) => {
      const b = fluxBase(o);
      const ref = obj(b.spec['ref']);
      return withUndefinedOut({
        ...strip(b),
        url: str(b.spec['url']),
        ref: Object.keys(ref).length > 0 ? (ref as { branch?: string }) : undefined,
        artifactRevision: str(obj(b.status['artifact'])['revision']),
      });
    }),
    kustomizations: f.kustomizations.map((o) => {
      const b = fluxBase(o);
      const inventory = arr(obj(b.status['inventory'])['entries'])
        .map((e) => str(obj(e)['id']))
        .filter((x): x is string => x !== undefined);
      return withUndefinedOut({
        ...strip(b),
        path: str(b.spec['path']) ?? '',
        sourceRef: sourceRef(b.spec['sourceRef']),
        inventory: b.status['inventory'] !== undefined ? inventory : undefined,
        lastAppliedRevision: str(b.status['lastAppliedRevision']),
      });
    }),
    helmRepositories: f.helmRepositories.map((o) => {
      const b = fluxBase(o);
      return withUndefinedOut({ ...strip(b), url: str(b.spec['url']) });
    }),
    helmCharts: f.helmCharts.map((o) => {
      const b = fluxBase(o);
      return withUndefinedOut({
        ...strip(b),
        chart: str(b.spec['chart']) ?? '',
        version: str(b.spec['version']),
        sourceRef: sourceRef(b.spec['sourceRef']),
      });
    }),
    ociRepositories: f.ociRepositories.map((o) => {
      const b = fluxBase(o);
      const ref = obj(b.spec['ref']);
      return withUndefinedOut({
        ...strip(b),
        url: str(b.spec['url']),
        ref: Object.keys(ref).length > 0 ? (ref as { tag?: string; semver?: string; digest?: string }) : undefined,
      });
    }),
    buckets: f.buckets.map((o) => {
      const b = fluxBase(o);
      return withUndefinedOut({ ...strip(b), endpoint: str(b.spec['endpoint']), bucketName: str(b.spec['bucketName']) });
    }),
    helmReleases: f.helmReleases.map((o) => {
      const b = fluxBase(o);
      const chart = obj(obj(b.spec['chart'])['spec']);
      return withUndefinedOut({
        ...strip(b),
        chart: str(chart['chart']),
        version: str(chart['version']),
        sourceRef: Object.keys(obj(chart['sourceRef'])).length > 0 ? sourceRef(chart['sourceRef']) : undefined,
        chartRef: Object.keys(obj(b.spec['chartRef'])).length > 0 ? sourceRef(b.spec['chartRef']) : undefined,
        targetNamespace: str(b.spec['targetNamespace']),
        releaseName: str(b.spec['releaseName']),
        helmChart: str(b.status['helmChart']),
        failures: num(b.status['failures']),
        installFailures: num(b.status['installFailures']),
        upgradeFailures: num(b.status['upgradeFailures']),
      });
    }),
    ...(f.expectedHelmRelease ? { expectedHelmRelease: f.expectedHelmRelease } : {}),
  };
}

/** The GitLab layer from its answers; `reachable` false skips everything after it. */
export function gitlabEvidence(g: GitLabReadings): GitLabEvidence {
  if (g.unreachable)
    return {
      url: g.url,
      reachable: { ok: false, error: g.unreachable.error, ...(g.unreachable.code ? { code: g.unreachable.code } : {}) },
    };
  const m = g.metadata;
  return {
    url: g.url,
    reachable: { ok: true },
    ...(g.user ? { token: g.user } : {}),
    // GitLab before 15.2 has no /metadata: nothing is known about KAS, so the KAS checks skip.
    ...(m && m.reportsKas !== false
      ? { metadata: { version: m.version, kas: { enabled: m.kas.enabled, externalUrl: m.kas.externalUrl, version: m.kas.version } } }
      : {}),
    ...(g.metadataError ? { metadataError: g.metadataError } : {}),
    ...(g.agent
      ? {
          agent: {
            projectPath: g.agent.project?.pathWithNamespace ?? g.agent.projectPath,
            projectFound: g.agent.project !== null,
            name: g.agent.name,
            id: g.agent.agents?.find((a) => a.name === g.agent!.name)?.id ?? null,
          },
        }
      : {}),
    ...(g.agentToken
      ? {
          agentToken: {
            tokenId: g.agentToken.tokenId,
            state:
              g.agentToken.token === null
                ? 'revoked'
                : g.agentToken.token?.status === 'active'
                  ? 'active'
                  : g.agentToken.token?.status === 'revoked'
                    ? 'revoked'
                    : 'unknown',
            ...(g.agentToken.token && g.agentToken.token.lastUsedAt !== undefined ? { lastUsedAt: g.agentToken.token.lastUsedAt } : {}),
            ...(g.agentToken.active ? { activeTokens: g.agentToken.active.filter((t) => t.status === 'active').length } : {}),
          },
        }
      : {}),
    ...(g.configFile ? { configFile: g.configFile } : {}),
  };
}

/** All of it: one install's Evidence. */
export function toEvidence(
  observedAt: string,
  context: DiagnosisContext,
  cluster: ClusterReadings,
  gitlab: GitLabReadings | undefined,
  local?: LocalVerification,
): Evidence {
  const workload = workloadEvidence(cluster);
  return {
    observedAt,
    context,
    ...(gitlab ? { gitlab: gitlabEvidence(gitlab) } : {}),
    ...(cluster.flux ? { flux: fluxEvidence(cluster.flux) } : {}),
    ...(workload ? { workload } : {}),
    ...(cluster.logs ? { logs: cluster.logs } : {}),
    ...(local ? { local } : {}),
  };
}
