import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ReadinessSnapshot } from '../../core/readiness/snapshot.js';
import type { WatchEventType } from './list-watch.js';
import { eventLastSeen, toDeploymentView, toEventView, toPodView } from './snapshot-mapping.js';

/**
 * What the three readiness watches have seen so far, and the snapshot derived from it. Pure (no I/O).
 *
 * Events are watched for the whole namespace (they carry no labels), so they are filtered here: a Warning
 * counts when it is about one of our Deployments, one of our pods (any pod seen during this watch, so the
 * events of a crashed, replaced pod stay visible) or one of our ReplicaSets. A ReplicaSet is ours when a
 * pod names it as owner, or when it is named `<deployment>-<pod-template-hash>`: FailedCreate (quota,
 * PodSecurity) happens exactly when the ReplicaSet has no pods to tell us its name.
 */

export type ReadinessKind = 'deployments' | 'pods' | 'events';

/** Bounds on memory and on what the UI has to show. */
const MAX_STORED_EVENTS = 200;
export const MAX_SNAPSHOT_EVENTS = 20;

interface Named {
  metadata?: { name?: string };
}

function nameOf(o: Named): string {
  return o.metadata?.name ?? '';
}

function byName<T extends Named>(a: T, b: T): number {
  return nameOf(a).localeCompare(nameOf(b));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class ReadinessState {
  readonly deployments = new Map<string, V1Deployment>();
  readonly pods = new Map<string, V1Pod>();
  readonly events = new Map<string, CoreV1Event>();
  readonly #seenPods = new Set<string>();
  readonly #ownerReplicaSets = new Set<string>();

  reset(kind: 'deployments', items: V1Deployment[]): void;
  reset(kind: 'pods', items: V1Pod[]): void;
  reset(kind: 'events', items: CoreV1Event[]): void;
  reset(kind: ReadinessKind, items: (V1Deployment | V1Pod | CoreV1Event)[]): void {
    this.#map(kind).clear();
    for (const item of items) this.apply(kind, 'ADDED', item);
  }

  apply(kind: ReadinessKind, type: WatchEventType, object: V1Deployment | V1Pod | CoreV1Event): void {
    const name = nameOf(object);
    if (!name) return;
    const map = this.#map(kind) as Map<string, typeof object>;
    if (type === 'DELETED') {
      map.delete(name);
      return;
    }
    if (kind === 'events') {
      // Only warnings matter, and a namespace can hold thousands of events.
      if ((object as CoreV1Event).type !== 'Warning') return;
      map.set(name, object);
      this.#trimEvents();
      return;
    }
    if (kind === 'pods') this.#notePod(object as V1Pod);
    map.set(name, object);
  }

  #map(kind: ReadinessKind): Map<string, unknown> {
    return kind === 'deployments' ? this.deployments : kind === 'pods' ? this.pods : this.events;
  }

  #notePod(pod: V1Pod): void {
    this.#seenPods.add(nameOf(pod));
    for (const ref of pod.metadata?.ownerReferences ?? []) {
      if (ref.kind === 'ReplicaSet') this.#ownerReplicaSets.add(ref.name);
    }
  }

  #trimEvents(): void {
    if (this.events.size <= MAX_STORED_EVENTS) return;
    const oldest = [...this.events.entries()].sort(([, a], [, b]) => eventLastSeen(a).localeCompare(eventLastSeen(b)));
    for (const [name] of oldest.slice(0, this.events.size - MAX_STORED_EVENTS)) this.events.delete(name);
  }

  #isOurs(event: CoreV1Event): boolean {
    const kind = event.involvedObject?.kind;
    const name = event.involvedObject?.name ?? '';
    if (kind === 'Pod') return this.#seenPods.has(name);
    if (kind === 'Deployment') return this.deployments.has(name);
    if (kind === 'ReplicaSet') {
      if (this.#ownerReplicaSets.has(name)) return true;
      // pod-template-hash: up to 10 characters from Kubernetes' safe alphabet, no dashes.
      return [...this.deployments.keys()].some((d) => new RegExp(`^${escapeRegExp(d)}-[a-z0-9]{1,10}$`).test(name));
    }
    return false;
  }

  snapshot(): ReadinessSnapshot {
    // Several Deployments can match a selector only by accident (e.g. a leftover); report the first by name.
    const deployment = [...this.deployments.values()].sort(byName)[0];
    const events = [...this.events.values()]
      .filter((e) => this.#isOurs(e))
      .map(toEventView)
      .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))
      .slice(-MAX_SNAPSHOT_EVENTS);
    return {
      ...(deployment ? { deployment: toDeploymentView(deployment) } : {}),
      pods: [...this.pods.values()].sort(byName).map(toPodView),
      events,
    };
  }
}
