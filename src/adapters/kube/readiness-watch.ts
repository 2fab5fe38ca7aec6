import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ReadinessSnapshot } from '../../core/readiness/snapshot.js';
import type { KubeApis } from './apis.js';
import { coalesce } from './coalesce.js';
import { runListWatch, type ErrorDecision, type ListWatchDeps, type ListWatchSpec } from './list-watch.js';
import { ReadinessState, type ReadinessKind } from './readiness-state.js';
import type { KubeApiError } from './failures.js';

export interface ReadinessWatchOptions {
  /** Snapshots are emitted at most this often (a burst of pod updates becomes one snapshot). */
  coalesceMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * Watches (never polls) the Deployments and pods matching `labelSelector` and the events of `namespace`,
 * and calls onSnapshot with a fresh ReadinessSnapshot whenever what it reports changed.
 *
 * - The first snapshot comes once all three have listed (or failed once), so it is never a half picture.
 * - Each watch resumes after disconnects and relists on 410 (see list-watch.ts).
 * - 401/403 on Deployments or pods rejects: nothing to wait for. 403 on events is tolerated (no events).
 * - Resolves when `signal` aborts, after closing every watch. If onSnapshot throws, rejects with that.
 */
export async function watchReadiness(
  apis: KubeApis,
  namespace: string,
  labelSelector: string,
  onSnapshot: (snapshot: ReadinessSnapshot) => void,
  signal: AbortSignal,
  options: ReadinessWatchOptions = {},
): Promise<void> {
  if (signal.aborted) return;
  const state = new ReadinessState();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });

  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
    stop.abort(error);
  };

  const ready = new Set<ReadinessKind>();
  let lastKey = '';
  const emitter = coalesce(() => {
    if (stop.signal.aborted || ready.size < 3) return false;
    const snapshot = state.snapshot();
    const key = JSON.stringify(snapshot);
    if (key === lastKey) return false;
    lastKey = key;
    try {
      onSnapshot(snapshot);
    } catch (err) {
      fail(err);
    }
    return true;
  }, options.coalesceMs ?? 50);
  const markReady = (kind: ReadinessKind): void => {
    ready.add(kind);
    emitter.trigger();
  };

  const deps: ListWatchDeps = {
    k8s: apis.k8s,
    kc: apis.kc,
    server: apis.server,
    listTimeoutMs: apis.timeoutMs,
    signal: stop.signal,
    ...(options.backoff ? { backoff: options.backoff } : {}),
  };
  const ns = encodeURIComponent(namespace);
  const where = `in namespace ${namespace}`;

  const essential =
    (kind: ReadinessKind) =>
    (error: KubeApiError): ErrorDecision => {
      markReady(kind);
      return error.status === 401 || error.status === 403 ? 'fail' : 'retry';
    };
  const loop = <T extends V1Deployment | V1Pod | CoreV1Event>(
    kind: ReadinessKind,
    spec: Omit<ListWatchSpec<T>, 'onReset' | 'onEvent'>,
  ): Promise<void> =>
    runListWatch<T>(deps, {
      ...spec,
      onReset: (items) => {
        // The overloads of reset() pair each kind with its type; `kind` and T travel together here.
        (state.reset as (k: ReadinessKind, i: T[]) => void)(kind, items);
        markReady(kind);
      },
      onEvent: (type, object) => {
        state.apply(kind, type, object);
        emitter.trigger();
      },
    }).catch(fail);

  await Promise.all([
    loop<V1Deployment>('deployments', {
      what: `Deployments ${where}`,
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      labelSelector,
      list: (o) => apis.apps.listNamespacedDeployment({ namespace, labelSelector }, o),
      onError: essential('deployments'),
    }),
    loop<V1Pod>('pods', {
      what: `pods ${where}`,
      path: `/api/v1/namespaces/${ns}/pods`,
      labelSelector,
      list: (o) => apis.core.listNamespacedPod({ namespace, labelSelector }, o),
      onError: essential('pods'),
    }),
    loop<CoreV1Event>('events', {
      what: `events ${where}`,
      path: `/api/v1/namespaces/${ns}/events`,
      list: (o) => apis.core.listNamespacedEvent({ namespace }, o),
      onError: (error) => {
        markReady('events');
        if (error.status === 401) return 'fail';
        // Events only explain; without the right to read them the watch is still useful.
        return error.status === 403 ? 'stop' : 'retry';
      },
    }),
  ]);
  emitter.cancel();
  signal.removeEventListener('abort', onAbort);
  if (failure) throw failure.error;
}
