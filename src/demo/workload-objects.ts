import { chartFullname } from '../core/plan/names.js';
import type { KubeObject } from '../core/ports/kube/index.js';
import type { EventView, PodView, ReadinessSnapshot } from '../core/readiness/snapshot.js';
import { deploymentName, snapshotAt } from './pod-timeline.js';
import { agentImage, replicasOf, stringAt, type Values } from './release-values.js';
import type { DemoTime } from './time.js';
import { currentRevision, type DemoCluster, type DemoRelease } from './world.js';

/**
 * The objects `kubectl get deploy,pods,events` shows for the simulated releases, derived from the pod
 * timeline (so the readiness watch, the logs and these agree), with one addition: a release whose token
 * Secret is gone has pods stuck in ContainerCreating with FailedMount events, as the kubelet reports it.
 * Only the kinds a diagnosis reads: apps/v1 Deployment, v1 Pod, v1 Event, the `kubernetes` Service.
 */

const TOKEN_VOLUME = 'token-volume';
const KUBERNETES_SERVICE_IP = '10.96.0.1';

type Query = { apiVersion: string; kind: string; namespace?: string; labelSelector?: string };

function labelsOf(release: DemoRelease): Record<string, string> {
  return { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': release.name };
}

function matches(labels: Record<string, string>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return labels[k!] === v;
  });
}

function secretNameOf(release: DemoRelease): string {
  return stringAt(currentRevision(release).values, 'config', 'secretName') ?? `${chartFullname(release.name)}-secret`;
}

/** The snapshot as the kubelet would show it when the token Secret does not exist: nothing can start. */
function withoutSecret(s: ReadinessSnapshot, secret: string, iso: string): ReadinessSnapshot {
  const pods = s.pods.map((p): PodView => ({
    ...p,
    phase: 'Pending',
    ready: false,
    containers: p.containers.map((c) => ({ ...c, ready: false, state: 'waiting', reason: 'ContainerCreating', restartCount: 0 })),
  }));
  const events: EventView[] = pods.map((p) => ({
    type: 'Warning',
    reason: 'FailedMount',
    message: `MountVolume.SetUp failed for volume "${TOKEN_VOLUME}" : secret "${secret}" not found`,
    object: p.name,
    kind: 'Pod',
    count: 9,
    lastSeen: iso,
  }));
  return {
    ...s,
    ...(s.deployment ? { deployment: { ...s.deployment, ready: 0, available: 0 } } : {}),
    pods,
    events: [...s.events, ...events],
  };
}

/** The release's Deployment, pods and events now, as the kubelet would report them (a missing token Secret included). */
export function releaseSnapshot(c: DemoCluster, release: DemoRelease, time: DemoTime): ReadinessSnapshot {
  const s = snapshotAt(release, time.now(), time.iso);
  // Only an external Secret (config.secretName) can be missing: the chart renders its own, and a receptive agent's.
  const values = currentRevision(release).values;
  const external = stringAt(values, 'config', 'secretName');
  const receptive = (values['config'] as { receptive?: { enabled?: boolean } } | undefined)?.receptive?.enabled === true;
  if (!external || receptive || c.namespaces.get(release.namespace)?.secrets.has(external)) return s;
  return withoutSecret(s, external, time.iso());
}

function envOf(values: Values): { name: string; value?: string }[] {
  const extra = values['extraEnv'];
  return Array.isArray(extra)
    ? extra.filter(
        (e): e is { name: string; value?: string } =>
          typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string',
      )
    : [];
}

function deploymentObject(c: DemoCluster, release: DemoRelease, time: DemoTime): KubeObject {
  const rev = currentRevision(release);
  const d = releaseSnapshot(c, release, time).deployment;
  const replicas = replicasOf(rev.values);
  const ready = d?.ready ?? 0;
  const kasAddress = stringAt(rev.values, 'config', 'kasAddress') ?? 'wss://kas.gitlab.com';
  const ca = stringAt(rev.values, 'config', 'kasCaCert');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName(release.name), namespace: release.namespace, generation: rev.revision, labels: labelsOf(release) },
    spec: {
      replicas,
      selector: { matchLabels: labelsOf(release) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labelsOf(release) },
        spec: {
          serviceAccountName: chartFullname(release.name),
          containers: [
            {
              name: 'agent',
              image: agentImage(rev.values).image,
              args: [
                '--token-file=/etc/agentk/secrets/token',
                `--kas-address=${kasAddress}`,
                ...(ca ? ['--kas-ca-cert-file=/etc/agentk/config/ca.crt'] : []),
              ],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, ...envOf(rev.values)],
              volumeMounts: [{ name: TOKEN_VOLUME, mountPath: '/etc/agentk/secrets' }],
            },
          ],
          volumes: [{ name: TOKEN_VOLUME, secret: { secretName: secretNameOf(release) } }],
        },
      },
    },
    status: {
      observedGeneration: rev.revision,
      replicas: d?.replicas ?? d?.updated ?? 0,
      updatedReplicas: d?.updated ?? 0,
      readyReplicas: ready,
      availableReplicas: d?.available ?? ready,
      conditions: [
        ready >= replicas
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : {
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
      ],
    },
  };
}

function podObject(release: DemoRelease, p: PodView, createdAt: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: release.namespace,
      labels: labelsOf(release),
      creationTimestamp: p.createdAt ?? createdAt,
      ...(p.deleting ? { deletionTimestamp: createdAt } : {}),
    },
    status: {
      phase: p.phase,
      conditions: p.conditions,
      containerStatuses: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: c.ready,
        restartCount: c.restartCount,
        state: {
          [c.state === 'unknown' ? 'waiting' : c.state]: {
            ...(c.reason ? { reason: c.reason } : {}),
            ...(c.message ? { message: c.message } : {}),
          },
        },
        ...(c.lastTermination ? { lastState: { terminated: c.lastTermination } } : {}),
      })),
    },
  };
}

function eventObject(namespace: string, e: EventView, i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${e.object}.${i}`, namespace, creationTimestamp: e.lastSeen },
    type: e.type,
    reason: e.reason,
    message: e.message,
    involvedObject: { kind: e.kind, name: e.object, namespace },
    count: e.count,
    lastTimestamp: e.lastSeen,
  };
}

/** The synthesized objects a query selects, or undefined when the query is for another kind (the object store's). */
export function workloadObjects(c: DemoCluster, time: DemoTime, q: Query): KubeObject[] | undefined {
  const releases = c.releases.filter((r) => q.namespace === undefined || r.namespace === q.namespace);
  const createdAt = (r: DemoRelease) => time.iso(currentRevision(r).deployedAt);
  if (q.apiVersion === 'apps/v1' && q.kind === 'Deployment') {
    return releases.filter((r) => matches(labelsOf(r), q.labelSelector)).map((r) => deploymentObject(c, r, time));
  }
  if (q.apiVersion === 'v1' && q.kind === 'Pod') {
    return releases
      .filter((r) => matches(labelsOf(r), q.labelSelector))
      .flatMap((r) => releaseSnapshot(c, r, time).pods.map((p) => podObject(r, p, createdAt(r))));
  }
  if (q.apiVersion === 'v1' && q.kind === 'Event') {
    return releases.flatMap((r) => releaseSnapshot(c, r, time).events.map((e, i) => eventObject(r.namespace, e, i)));
  }
  if (q.apiVersion === 'v1' && q.kind === 'Service') {
    return q.namespace === 'default' || q.namespace === undefined
      ? [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'kubernetes', namespace: 'default' },
            spec: { clusterIP: KUBERNETES_SERVICE_IP },
          },
        ]
      : [];
  }
  return undefined;
}
