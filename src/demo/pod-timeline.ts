import { createHash } from 'node:crypto';
import { chartFullname } from '../core/plan/names.js';
import type { ContainerView, EventView, PodView, ReadinessSnapshot } from '../core/readiness/snapshot.js';
import type { PodFailure } from './faults.js';
import { MISSING_IMAGE_TAG, agentImage, replicasOf } from './release-values.js';
import type { DemoRelease, DemoRevision } from './world.js';

/**
 * Pure: what the agent's Deployment, pods and Warning events look like at a given demo instant,
 * derived from the release's revisions. A fresh install starts all pods at once; an upgrade rolls
 * like the chart (maxSurge 1, maxUnavailable 0): one new pod at a time, an old one leaves when it is
 * Ready, and a new pod that never gets Ready stops the rollout with the old pods still serving.
 * A pod never gets Ready when its image tag does not exist, or when its revision carries a podFailure.
 */

/** Demo ms after a pod is created. */
const SCHEDULED = 300;
const STARTED = 1300;
const READY = 2400;
/** Fresh installs: the second pod is a little behind, so pods turn Ready one by one. */
const STAGGER_CREATE = 150;
const STAGGER_READY = 800;
const PULL_FAILED = 1300;
const PULL_BACKOFF = 2600;
/** A crash-looping agent runs this long after it started, then exits 1. */
const CRASHED = STARTED + 600;
/** How long a deleted pod stays visible as terminating. */
const TERMINATING = 1000;
const CONTAINER = 'agent';
const MAX_EVENTS = 20;

interface PodPlan {
  name: string;
  template: string;
  image: string;
  createdAt: number;
  /** undefined: never Ready, stuck for `failure`. */
  readyAt?: number;
  failure?: PodFailure;
  deletingAt?: number;
}

/** Kubernetes' random-suffix alphabet (no vowels, no look-alikes), fed by a hash so names are stable. */
function suffix(seed: string, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export function deploymentName(release: string): string {
  return `${chartFullname(release)}-v2`;
}

/** Why this revision's pods never get Ready, or undefined when they do. */
function failureOf(rev: DemoRevision, tag: string): PodFailure | undefined {
  return rev.podFailure ?? (tag === MISSING_IMAGE_TAG ? 'ErrImagePull' : undefined);
}

function plans(release: DemoRelease): PodPlan[] {
  const pods: PodPlan[] = [];
  let previousTemplate: string | undefined;
  for (const rev of release.revisions) {
    // A failing revision is a new pod template even with the same values (say, a new broken image behind the same tag).
    const template = suffix(JSON.stringify(rev.values) + (rev.podFailure ? `|${rev.podFailure}` : ''), 10);
    // Same pod template: the Deployment does not change, no pod is replaced.
    if (template === previousTemplate) continue;
    previousTemplate = template;
    const { image, tag } = agentImage(rev.values);
    const failure = failureOf(rev, tag);
    const replicas = replicasOf(rev.values);
    const t0 = rev.deployedAt;
    const live = pods.filter((p) => p.deletingAt === undefined);
    const newPod = (i: number, at: number, readyDelay: number): PodPlan => ({
      name: `${deploymentName(release.name)}-${template}-${suffix(`${template}/${i}`, 5)}`,
      template,
      image,
      createdAt: at,
      readyAt: failure ? undefined : at + readyDelay,
      failure,
    });
    const healthy = live.length > 0 && live.every((p) => p.readyAt !== undefined && p.readyAt <= t0);
    if (!healthy) {
      for (const p of live) p.deletingAt = t0;
      for (let i = 0; i < replicas; i++) pods.push(newPod(i, t0 + i * STAGGER_CREATE, READY + i * STAGGER_READY));
      continue;
    }
    let at = t0;
    for (let i = 0; i < replicas; i++) {
      const pod = newPod(i, at, READY);
      pods.push(pod);
      if (pod.readyAt === undefined) break;
      const old = live[i];
      if (old) old.deletingAt = pod.readyAt;
      at = pod.readyAt;
    }
    const rolledOut = pods.filter((p) => p.template === template && p.readyAt !== undefined).length === replicas;
    if (rolledOut) for (const old of live.slice(replicas)) old.deletingAt = at;
  }
  return pods;
}

function visible(p: PodPlan, t: number): boolean {
  return p.createdAt <= t && (p.deletingAt === undefined || t < p.deletingAt + TERMINATING);
}

function deleting(p: PodPlan, t: number): boolean {
  return p.deletingAt !== undefined && t >= p.deletingAt;
}

function pullError(image: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
}

function podView(p: PodPlan, t: number): PodView {
  const age = t - p.createdAt;
  const container: ContainerView = { name: CONTAINER, image: p.image, ready: false, restartCount: 0, state: 'unknown' };
  const scheduled = { type: 'PodScheduled', status: 'True' };
  const notReady = (type: string) => ({
    type,
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${CONTAINER}]`,
  });
  const base = { name: p.name, deleting: deleting(p, t) };
  if (age < SCHEDULED) return { ...base, phase: 'Pending', ready: false, containers: [container], conditions: [] };

  const starting = [scheduled, { type: 'Initialized', status: 'True' }, notReady('Ready'), notReady('ContainersReady')];
  const waiting = (reason: string, message?: string): PodView => ({
    ...base,
    phase: 'Pending',
    ready: false,
    containers: [{ ...container, state: 'waiting', reason, ...(message ? { message } : {}) }],
    conditions: starting,
  });
  if (p.readyAt === undefined) return stuckView(p, age, base, waiting, starting);
  if (age < STARTED) return waiting('ContainerCreating');
  const ready = t >= p.readyAt;
  return {
    ...base,
    phase: 'Running',
    ready,
    containers: [{ ...container, state: 'running', ready }],
    conditions: ready
      ? [scheduled, { type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }]
      : starting,
  };
}

/** A pod that never gets Ready, as kubelet reports it `age` demo ms after creation. */
function stuckView(
  p: PodPlan,
  age: number,
  base: Pick<PodView, 'name' | 'deleting'>,
  waiting: (reason: string, message?: string) => PodView,
  starting: PodView['conditions'],
): PodView {
  switch (p.failure) {
    case 'ErrImagePull':
      if (age < PULL_FAILED) return waiting('ContainerCreating');
      if (age < PULL_BACKOFF) return waiting('ErrImagePull', pullError(p.image));
      return waiting('ImagePullBackOff', `Back-off pulling image "${p.image}"`);
    case 'ImagePullBackOff':
      if (age < PULL_FAILED) return waiting('ContainerCreating');
      return waiting('ImagePullBackOff', `Back-off pulling image "${p.image}"`);
    case 'CrashLoopBackOff': {
      if (age < STARTED) return waiting('ContainerCreating');
      const agent = { name: CONTAINER, image: p.image, ready: false };
      if (age < CRASHED)
        return {
          ...base,
          phase: 'Running',
          ready: false,
          containers: [{ ...agent, restartCount: 0, state: 'running' }],
          conditions: starting,
        };
      const container: ContainerView = {
        ...agent,
        restartCount: 1,
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        message: `back-off 10s restarting failed container=${CONTAINER} pod=${p.name}`,
        lastTermination: { reason: 'Error', exitCode: 1 },
      };
      return { ...base, phase: 'Running', ready: false, containers: [container], conditions: starting };
    }
    default:
      if (age < STARTED) return waiting('ContainerCreating');
      return waiting(p.failure ?? 'ContainerCreating');
  }
}

/** The demo instants (after creation) at which a stuck pod's view or events change. */
function stuckSteps(failure: PodFailure | undefined): number[] {
  switch (failure) {
    case 'ErrImagePull':
      return [PULL_FAILED, PULL_BACKOFF];
    case 'ImagePullBackOff':
      return [PULL_FAILED];
    case 'CrashLoopBackOff':
      return [STARTED, CRASHED];
    default:
      return [STARTED];
  }
}

function warnings(p: PodPlan, t: number, iso: (at: number) => string): EventView[] {
  if (p.readyAt !== undefined) return [];
  const event = (at: number, message: string, reason = 'Failed'): EventView[] =>
    t >= p.createdAt + at
      ? [{ type: 'Warning', reason, message, object: p.name, kind: 'Pod', count: 1, lastSeen: iso(p.createdAt + at) }]
      : [];
  switch (p.failure) {
    case 'ErrImagePull':
      return [
        ...event(PULL_FAILED, `Failed to pull image "${p.image}": ${pullError(p.image)}`),
        ...event(PULL_FAILED, 'Error: ErrImagePull'),
        ...event(PULL_BACKOFF, 'Error: ImagePullBackOff'),
      ];
    case 'ImagePullBackOff':
      return event(PULL_FAILED, 'Error: ImagePullBackOff');
    case 'CrashLoopBackOff':
      return event(CRASHED, `Back-off restarting failed container ${CONTAINER} in pod ${p.name}`, 'BackOff');
    default:
      return event(STARTED, `Error: ${p.failure ?? 'ContainerCreating'}`);
  }
}

/**
 * What a readiness watch on this release reports at demo time `t`. Events are Warnings only, as the
 * real adapter delivers them (see ReadinessSnapshot).
 */
export function snapshotAt(release: DemoRelease | undefined, t: number, iso: (at: number) => string): ReadinessSnapshot {
  const started = release?.revisions.filter((r) => r.deployedAt <= t) ?? [];
  const current = started[started.length - 1];
  if (!release || !current) return { pods: [], events: [] };
  const all = plans(release).filter((p) => p.createdAt <= t);
  const shown = all.filter((p) => visible(p, t));
  const pods = shown.map((p) => podView(p, t)).sort((a, b) => a.name.localeCompare(b.name));
  const active = shown.filter((p) => !deleting(p, t));
  const ready = active.filter((p) => p.readyAt !== undefined && t >= p.readyAt).length;
  const template = all[all.length - 1]?.template;
  const events = all
    .flatMap((p) => warnings(p, t, iso))
    .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))
    .slice(-MAX_EVENTS);
  return {
    deployment: {
      name: deploymentName(release.name),
      desired: replicasOf(current.values),
      ready,
      available: ready,
      updated: active.filter((p) => p.template === template).length,
    },
    pods,
    events,
  };
}

/** The next demo instant after `t` at which the snapshot changes; undefined when it is settled. */
export function nextChangeAfter(release: DemoRelease | undefined, t: number): number | undefined {
  if (!release) return undefined;
  const times = [
    ...release.revisions.map((r) => r.deployedAt),
    ...plans(release).flatMap((p) => {
      const lifecycle = [p.createdAt, p.createdAt + SCHEDULED];
      if (p.readyAt === undefined) lifecycle.push(...stuckSteps(p.failure).map((step) => p.createdAt + step));
      else lifecycle.push(p.createdAt + STARTED, p.readyAt);
      if (p.deletingAt !== undefined) lifecycle.push(p.deletingAt, p.deletingAt + TERMINATING);
      return lifecycle;
    }),
  ].filter((x) => x > t);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Since when some agent pod of this release has been Ready (and so able to connect), or undefined. */
export function readySince(release: DemoRelease, t: number): number | undefined {
  const since = plans(release)
    .filter((p) => visible(p, t) && p.readyAt !== undefined && p.readyAt <= t)
    .map((p) => p.readyAt!);
  return since.length > 0 ? Math.min(...since) : undefined;
}

/** The pod's container, for log requests; undefined when no such pod is there now. */
export function podAt(release: DemoRelease, name: string, t: number): PodView | undefined {
  const plan = plans(release).find((p) => p.name === name && visible(p, t));
  return plan ? podView(plan, t) : undefined;
}
