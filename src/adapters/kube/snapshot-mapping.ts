import type { CoreV1Event, V1Container, V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ContainerView, DeploymentView, EventView, PodView } from '../../core/readiness/snapshot.js';

/**
 * client-node objects → the plain views of a ReadinessSnapshot. Pure. Objects come from two places with
 * different shapes at runtime: list calls deserialize timestamps to Date, watch events carry the JSON
 * strings. Every timestamp therefore goes through toIso().
 */

function toIso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  return undefined;
}

function text(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function toContainerView(spec: V1Container | undefined, status: V1ContainerStatus | undefined): ContainerView {
  const state = status?.state;
  const last = status?.lastState?.terminated;
  let view: Pick<ContainerView, 'state' | 'reason' | 'message'>;
  if (state?.waiting) {
    view = { state: 'waiting', reason: text(state.waiting.reason), message: text(state.waiting.message) };
  } else if (state?.terminated) {
    const t = state.terminated;
    view = { state: 'terminated', reason: text(t.reason) ?? `exit code ${t.exitCode}`, message: text(t.message) };
  } else if (state?.running) {
    view = { state: 'running' };
  } else {
    view = { state: 'unknown' };
  }
  const out: ContainerView = {
    name: spec?.name ?? status?.name ?? '',
    // The image asked for (spec) reads better than the resolved digest the kubelet reports.
    image: spec?.image ?? status?.image ?? '',
    ready: status?.ready === true,
    restartCount: status?.restartCount ?? 0,
    state: view.state,
  };
  if (view.reason !== undefined) out.reason = view.reason;
  if (view.message !== undefined) out.message = view.message;
  if (last) {
    out.lastTermination = {
      ...(text(last.reason) ? { reason: last.reason } : {}),
      ...(text(last.message) ? { message: last.message } : {}),
      exitCode: last.exitCode,
    };
  }
  return out;
}

/** An init container that finished with exit code 0 has nothing left to say. */
function initDone(status: V1ContainerStatus | undefined): boolean {
  return status?.state?.terminated?.exitCode === 0;
}

export function toPodView(pod: V1Pod): PodView {
  const status = pod.status;
  const byName = (list: V1ContainerStatus[] | undefined) => new Map((list ?? []).map((s) => [s.name, s]));
  const initStatuses = byName(status?.initContainerStatuses);
  const statuses = byName(status?.containerStatuses);
  // Unfinished init containers first (Init:CrashLoopBackOff blocks the pod), then the app containers.
  const containers = [
    ...(pod.spec?.initContainers ?? [])
      .filter((c) => !initDone(initStatuses.get(c.name)))
      .map((c) => toContainerView(c, initStatuses.get(c.name))),
    ...(pod.spec?.containers ?? []).map((c) => toContainerView(c, statuses.get(c.name))),
  ];
  const conditions = (status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(text(c.reason) ? { reason: c.reason } : {}),
    ...(text(c.message) ? { message: c.message } : {}),
  }));
  return {
    name: pod.metadata?.name ?? '',
    phase: status?.phase ?? 'Unknown',
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    deleting: toIso(pod.metadata?.deletionTimestamp) !== undefined,
    createdAt: toIso(pod.metadata?.creationTimestamp),
    containers,
    conditions,
  };
}

export function toDeploymentView(deployment: V1Deployment): DeploymentView {
  return {
    name: deployment.metadata?.name ?? '',
    // The API defaults replicas to 1; a missing value means 1, not 0.
    desired: deployment.spec?.replicas ?? 1,
    ready: deployment.status?.readyReplicas ?? 0,
    available: deployment.status?.availableReplicas ?? 0,
    updated: deployment.status?.updatedReplicas ?? 0,
    replicas: deployment.status?.replicas ?? 0,
    // Until the controller has seen the new spec, its counts describe the previous one.
    observed: (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0),
  };
}

/** When the event was last seen: core/v1 events fill different fields depending on who recorded them. */
export function eventLastSeen(event: CoreV1Event): string {
  return (
    toIso(event.lastTimestamp) ??
    toIso(event.series?.lastObservedTime) ??
    toIso(event.eventTime) ??
    toIso(event.firstTimestamp) ??
    toIso(event.metadata?.creationTimestamp) ??
    ''
  );
}

export function toEventView(event: CoreV1Event): EventView {
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    object: event.involvedObject?.name ?? '',
    kind: event.involvedObject?.kind ?? '',
    count: event.count ?? event.series?.count ?? 1,
    lastSeen: eventLastSeen(event),
  };
}
