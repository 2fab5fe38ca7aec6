import type { CallOptions, ClientNode, KubeConfig } from './client-node.js';
import { withDeadline } from './deadline.js';
import { KubeApiError, kubeError } from './failures.js';

/**
 * A list-then-watch loop with resume, our replacement for client-node's informer (ListWatch), which stops
 * for good on any error other than 410 and timeout, has no list timeout, and reports an error when it is
 * stopped on purpose. Behaviour:
 * - list (with a deadline), then watch from the list's resourceVersion;
 * - a watch that ends normally (client-node's 30 s inactivity timeout, the server closing it) resumes from
 *   the last resourceVersion seen, without listing again;
 * - 410 Gone (as an ERROR event or as the HTTP status) clears the resourceVersion: list again;
 * - other errors back off (0.5 s doubling to 30 s) and start over, unless onError says 'stop' or 'fail';
 * - the loop returns when `signal` aborts, and closes its watch connection.
 */

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface KubeObjectLike {
  metadata?: { name?: string; resourceVersion?: string };
}

interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export type ErrorDecision = 'retry' | 'stop' | 'fail';

export interface ListWatchSpec<T extends KubeObjectLike> {
  /** For messages: e.g. "pods in namespace gitlab-agent". */
  what: string;
  /** Collection path, e.g. /api/v1/namespaces/ns/pods. */
  path: string;
  labelSelector?: string;
  list(options: CallOptions): Promise<ListResult<T>>;
  /** After every (re)list: the complete current set. */
  onReset(items: T[]): void;
  onEvent(type: WatchEventType, object: T): void;
  /** Default 'retry'. 'stop' ends this loop quietly; 'fail' ends it by rejecting with the error. */
  onError?(error: KubeApiError): ErrorDecision;
}

export interface ListWatchDeps {
  k8s: ClientNode;
  kc: KubeConfig;
  server: string;
  /** Deadline for each list call. */
  listTimeoutMs: number;
  signal: AbortSignal;
  backoff?: { initialMs: number; maxMs: number };
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };
/** A watch that lived this long was healthy even if it saw nothing: resume at once. */
const HEALTHY_WATCH_MS = 5_000;

type WatchEnd = { kind: 'ended'; events: number; healthy: boolean } | { kind: 'gone' } | { kind: 'aborted' };

class WatchStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super(`watch ERROR event (${statusCode})`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function isGone(err: unknown): boolean {
  if (err instanceof KubeApiError) return err.status === 410;
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  return e?.statusCode === 410 || e?.code === 410;
}

/** One watch connection. Resolves when it ends normally, on 410, or on abort; rejects on errors. */
function watchOnce<T extends KubeObjectLike>(
  deps: ListWatchDeps,
  spec: ListWatchSpec<T>,
  resourceVersion: string,
  onResourceVersion: (rv: string) => void,
): Promise<WatchEnd> {
  const { signal } = deps;
  return new Promise<WatchEnd>((resolve, reject) => {
    const started = Date.now();
    let events = 0;
    let settled = false;
    let controller: AbortController | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      outcome();
    };
    const onAbort = (): void => finish(() => resolve({ kind: 'aborted' }));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const query = {
      resourceVersion,
      allowWatchBookmarks: true,
      ...(spec.labelSelector ? { labelSelector: spec.labelSelector } : {}),
    };
    // apiObj is untyped JSON straight off the wire (dates are strings, not Date).
    const onLine = (phase: string, apiObj: unknown): void => {
      if (settled) return;
      const object = apiObj as (T & { code?: unknown }) | null;
      if (phase === 'ERROR') {
        const code = typeof object?.code === 'number' ? object.code : 500;
        if (code === 410) finish(() => resolve({ kind: 'gone' }));
        else finish(() => reject(new WatchStatusError(code, JSON.stringify(object))));
        return;
      }
      const rv = object?.metadata?.resourceVersion;
      if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') {
        events++;
        spec.onEvent(phase, object as T);
      }
      // BOOKMARK events only move the resourceVersion forward.
      if (rv) onResourceVersion(rv);
    };
    const onDone = (err: unknown): void => {
      if (settled) return;
      const timedOut = (err as { name?: unknown } | null)?.name === 'TimeoutError';
      if (err && !timedOut) {
        finish(() => (isGone(err) ? resolve({ kind: 'gone' }) : reject(err)));
        return;
      }
      // client-node's 30 s inactivity timeout is the normal way a quiet watch ends.
      const healthy = timedOut || events > 0 || Date.now() - started >= HEALTHY_WATCH_MS;
      finish(() => resolve({ kind: 'ended', events, healthy }));
    };
    new deps.k8s.Watch(deps.kc).watch(spec.path, query, onLine, onDone).then(
      (c) => {
        controller = c;
        // Aborted while connecting: client-node only hands us the controller once headers arrived.
        if (settled) c.abort();
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}

export async function runListWatch<T extends KubeObjectLike>(deps: ListWatchDeps, spec: ListWatchSpec<T>): Promise<void> {
  const { signal } = deps;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  let resourceVersion = '';
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (!resourceVersion) {
        let list: ListResult<T>;
        try {
          list = await withDeadline(deps.k8s, deps.listTimeoutMs, (options) => spec.list(options), signal);
        } catch (err) {
          throw kubeError(`list ${spec.what}`, err, { server: deps.server, timeoutMs: deps.listTimeoutMs });
        }
        if (signal.aborted) break;
        resourceVersion = list.metadata?.resourceVersion ?? '';
        spec.onReset(list.items);
      }
      const end = await watchOnce(deps, spec, resourceVersion, (rv) => {
        resourceVersion = rv;
      });
      if (end.kind === 'aborted') break;
      if (end.kind === 'gone') {
        resourceVersion = '';
        failures = 0;
        continue;
      }
      failures = end.healthy ? 0 : failures + 1;
    } catch (err) {
      if (signal.aborted) break;
      if (isGone(err)) {
        resourceVersion = '';
        continue;
      }
      const error = kubeError(`watch ${spec.what}`, err, { server: deps.server });
      const decision = spec.onError?.(error) ?? 'retry';
      if (decision === 'stop') return;
      if (decision === 'fail') throw error;
      failures++;
    }
    if (failures > 0) await sleep(Math.min(backoff.initialMs * 2 ** (failures - 1), backoff.maxMs), signal);
  }
}
