import type { ContainerView, EventView, PodView, ReadinessSnapshot } from './snapshot.js';

export interface Finding {
  /** Stable id, e.g. IMAGE_PULL, CRASH_LOOP. */
  code: string;
  pod?: string;
  summary: string;
  /** What the user should do next. */
  next: string;
}

export type ReadinessVerdict =
  | { state: 'waiting'; progress: string; findings: Finding[] }
  | { state: 'ready'; progress: string }
  | { state: 'failed'; progress: string; findings: Finding[] };

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

function progressOf(snapshot: ReadinessSnapshot): string {
  const live = snapshot.pods.filter((p) => !p.deleting);
  const desired = snapshot.deployment?.desired ?? live.length;
  const ready = live.filter((p) => p.ready).length;
  return `${ready}/${desired} pods ready`;
}

function containerFinding(pod: PodView, c: ContainerView): Finding | undefined {
  const reason = c.reason ?? '';
  if (IMAGE_PULL.has(reason)) {
    return {
      code: 'IMAGE_PULL',
      pod: pod.name,
      summary: `${reason}: cannot pull image ${c.image}${c.message ? ` (${c.message})` : ''}`,
      next: 'Check --image-tag and --image-repository (the tag must exist, with its v prefix), and that the cluster can reach the registry or has imagePullSecrets.',
    };
  }
  if (reason === 'CrashLoopBackOff' || (c.restartCount >= 3 && !c.ready)) {
    const last = c.lastTermination;
    const detail = last?.message ? `: ${last.message.trim().split('\n').slice(-1)[0]}` : '';
    return {
      code: 'CRASH_LOOP',
      pod: pod.name,
      summary: `agentk keeps crashing (${c.restartCount} restarts, last exit ${last?.exitCode ?? '?'}${detail})`,
      next: 'Read the agent log lines below; run `gitlab-agent-tui troubleshoot` for a full diagnosis.',
    };
  }
  if (CONFIG_ERRORS.has(reason)) {
    return {
      code: 'CONTAINER_CONFIG',
      pod: pod.name,
      summary: `${reason}${c.message ? `: ${c.message}` : ''}`,
      next: 'A referenced Secret, ConfigMap or key is missing: check --token-secret and the CA certificate.',
    };
  }
  return undefined;
}

function eventFindings(events: EventView[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (e.type !== 'Warning' || seen.has(e.reason)) continue;
    if (e.reason === 'FailedMount') {
      seen.add(e.reason);
      out.push({
        code: 'FAILED_MOUNT',
        pod: e.object,
        summary: `FailedMount: ${e.message}`,
        next: 'The token Secret or CA ConfigMap the pod mounts is missing: check --token-secret (key "token") and the namespace.',
      });
    } else if (e.reason === 'FailedScheduling') {
      seen.add(e.reason);
      out.push({
        code: 'UNSCHEDULABLE',
        pod: e.object,
        summary: `FailedScheduling: ${e.message}`,
        next: 'No node can run the pod: check node capacity, taints/tolerations and nodeSelector.',
      });
    } else if (e.reason === 'FailedCreate') {
      seen.add(e.reason);
      out.push({
        code: 'FAILED_CREATE',
        pod: e.object,
        summary: `FailedCreate: ${e.message}`,
        next: 'The ReplicaSet cannot create pods: check quotas, PodSecurity admission and the service account.',
      });
    }
  }
  return out;
}

/**
 * Pure: decides from one snapshot whether the agent is Ready, still starting, or stuck.
 * Image pull and crash loops are final at once (kubelet will only back off further);
 * scheduling and mount problems count as failures only after `graceMs`, since they often heal.
 */
export function diagnoseReadiness(
  snapshot: ReadinessSnapshot,
  elapsedMs: number,
  graceMs = 60_000,
  rolloutStart?: number,
): ReadinessVerdict {
  const progress = progressOf(snapshot);
  const live = snapshot.pods.filter((p) => !p.deleting);
  const desired = snapshot.deployment?.desired ?? 0;
  // As `kubectl rollout status`: the new spec observed, every replica updated, no old pods left, all Ready.
  const d = snapshot.deployment;
  const deploymentDone =
    d !== undefined &&
    d.observed !== false &&
    d.updated >= desired &&
    (d.replicas ?? d.updated) <= d.updated &&
    d.ready >= desired &&
    live.filter((p) => p.ready).length >= desired;
  if (deploymentDone && desired > 0) return { state: 'ready', progress };

  // While old pods are still around (a rollout), only this rollout's pods are judged: an old pod's
  // ImagePullBackOff is what the upgrade may be fixing.
  const rollingOut = d !== undefined && (d.replicas ?? d.updated) > d.updated;
  const judged =
    rollingOut && rolloutStart !== undefined ? live.filter((p) => !p.createdAt || Date.parse(p.createdAt) >= rolloutStart - 2000) : live;
  const hard: Finding[] = [];
  for (const pod of judged) {
    for (const c of pod.containers) {
      const f = containerFinding(pod, c);
      if (f) hard.push(f);
    }
  }
  const judgedNames = new Set(judged.map((p) => p.name));
  const soft = eventFindings(snapshot.events).filter((f) => !f.pod || judgedNames.has(f.pod) || !live.some((p) => p.name === f.pod));
  for (const pod of judged) {
    const unscheduled = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled && !soft.some((f) => f.code === 'UNSCHEDULABLE')) {
      soft.push({
        code: 'UNSCHEDULABLE',
        pod: pod.name,
        summary: `Pending: ${unscheduled.reason ?? 'Unschedulable'}${unscheduled.message ? ` (${unscheduled.message})` : ''}`,
        next: 'No node can run the pod: check node capacity, taints/tolerations and nodeSelector.',
      });
    }
  }
  const hardFinal = hard.filter((f) => f.code !== 'CONTAINER_CONFIG' || elapsedMs >= graceMs);
  if (hardFinal.length > 0) return { state: 'failed', progress, findings: [...hardFinal, ...soft] };
  if (soft.length > 0 && elapsedMs >= graceMs) return { state: 'failed', progress, findings: soft };
  return { state: 'waiting', progress, findings: [...hard, ...soft] };
}
