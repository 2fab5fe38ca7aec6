import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKubePort, KubeApiError } from '../../src/adapters/kube/index.js';
import type { KubeCluster } from '../../src/core/ports/kube/index.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { FakeKube, startFakeKube, type KubeObject } from '../fake-kube/server.js';
import { TempDir } from '../fake-kube/kubeconfig.js';

const NS = 'gitlab-agent';
const SELECTOR = 'app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=prod';
const LABELS = { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': 'prod' };
const DEPLOYMENT = 'prod-gitlab-agent-v2';
const RS = `${DEPLOYMENT}-7d9f8c6b5`;

let api: FakeKube;
let dir: TempDir;
let cluster: KubeCluster;

function deployment(ready: number, desired = 2): KubeObject {
  return {
    metadata: { name: DEPLOYMENT, namespace: NS, labels: LABELS },
    spec: { replicas: desired },
    status: { readyReplicas: ready, availableReplicas: ready, updatedReplicas: desired, replicas: desired },
  };
}

function pod(
  name: string,
  options: {
    ready?: boolean;
    waiting?: { reason: string; message?: string };
    restarts?: number;
    deleting?: boolean;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  const ready = options.ready ?? false;
  return {
    metadata: {
      name,
      namespace: NS,
      labels: options.labels ?? LABELS,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: RS, uid: 'rs-uid' }],
      ...(options.deleting ? { deletionTimestamp: '2026-11-25T10:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'agent', image: 'registry.gitlab.com/agentk:v19.4.0' }] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
      containerStatuses: [
        {
          name: 'agent',
          image: 'registry.gitlab.com/agentk@sha256:abc',
          imageID: '',
          ready,
          restartCount: options.restarts ?? 0,
          state: options.waiting ? { waiting: options.waiting } : { running: { startedAt: '2026-11-25T09:00:00Z' } },
        },
      ],
    },
  };
}

function event(name: string, kind: string, object: string, reason: string, type = 'Warning', at = '2026-11-25T09:00:00Z'): KubeObject {
  return {
    metadata: { name, namespace: NS },
    involvedObject: { kind, name: object, namespace: NS },
    reason,
    message: `${reason} happened`,
    type,
    count: 1,
    lastTimestamp: at,
  };
}

/** Collects snapshots and lets a test wait for one that matches. */
class Recorder {
  readonly snapshots: { at: number; snapshot: ReadinessSnapshot }[] = [];
  #waiters: { test: (s: ReadinessSnapshot) => boolean; resolve: (s: ReadinessSnapshot) => void }[] = [];

  readonly onSnapshot = (snapshot: ReadinessSnapshot): void => {
    this.snapshots.push({ at: Date.now(), snapshot });
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.test(snapshot)) return true;
      w.resolve(snapshot);
      return false;
    });
  };

  get last(): ReadinessSnapshot | undefined {
    return this.snapshots.at(-1)?.snapshot;
  }

  until(test: (s: ReadinessSnapshot) => boolean, timeoutMs = 3000): Promise<ReadinessSnapshot> {
    const last = this.last;
    if (last && test(last)) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching snapshot; last: ${JSON.stringify(this.last)}`)), timeoutMs);
      this.#waiters.push({
        test,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      });
    });
  }
}

const listsOf = (resource: string) =>
  api.requests.filter(
    (r) => r.path === `/api${resource === 'deployments' ? 's/apps' : ''}/v1/namespaces/${NS}/${resource}` && !r.query.has('watch'),
  );
const watchesOf = (resource: string) =>
  api.requests.filter(
    (r) =>
      r.path === `/api${resource === 'deployments' ? 's/apps' : ''}/v1/namespaces/${NS}/${resource}` && r.query.get('watch') === 'true',
  );

async function waitUntil(check: () => boolean, timeoutMs = 2000, everyMs = 10): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}

/** The first snapshot comes after the lists; the watches connect just after. */
const watching = (): Promise<void> => waitUntil(() => api.openWatches === 3);

let controller: AbortController;
let recorder: Recorder;
let running: Promise<void> | undefined;

function start(): Promise<void> {
  running = cluster.watchReadiness(NS, SELECTOR, recorder.onSnapshot, controller.signal);
  return running;
}

beforeAll(async () => {
  api = await startFakeKube();
  dir = await TempDir.create();
  const kubeconfig = await dir.kubeconfig('config', { contexts: [{ name: 'fake', server: api.url }] });
  const port = createKubePort({ callTimeoutMs: 2000, readiness: { coalesceMs: 50, backoff: { initialMs: 50, maxMs: 200 } } });
  cluster = await port.cluster({ kubeconfig }, 'fake');
});

afterAll(async () => {
  await api.close();
  await dir.remove();
});

beforeEach(() => {
  for (const r of ['pods', 'deployments', 'events'] as const)
    for (const o of api.list(r)) api.remove(r, o.metadata.namespace, o.metadata.name);
  api.forbid = () => false;
  api.requests.length = 0;
  controller = new AbortController();
  recorder = new Recorder();
  running = undefined;
});

afterEach(async () => {
  controller.abort();
  await running?.catch(() => undefined);
  // A watch aborted while connecting is still sent, and closes once its headers arrive (client-node hands
  // out the abort handle only then); wait until the server is quiet so it stays out of the next test's log.
  let seen = -1;
  await waitUntil(
    () => {
      const quiet = api.openWatches === 0 && api.requests.length === seen;
      seen = api.requests.length;
      return quiet;
    },
    5000,
    100,
  );
});

describe('watchReadiness', () => {
  it('lists, then reports one complete first snapshot with only our warnings', async () => {
    api.upsert('deployments', deployment(0));
    api.upsert('pods', pod('agent-a', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } }));
    api.upsert('pods', pod('other', { labels: { app: 'web' } }));
    api.upsert('events', event('e1', 'Pod', 'agent-a', 'Failed', 'Warning', '2026-11-25T09:00:02Z'));
    api.upsert('events', event('e2', 'Pod', 'agent-a', 'Pulling', 'Normal'));
    api.upsert('events', event('e3', 'Pod', 'other', 'BackOff'));
    api.upsert('events', event('e4', 'ReplicaSet', RS, 'FailedCreate', 'Warning', '2026-11-25T09:00:01Z'));
    api.upsert('events', event('e5', 'Deployment', DEPLOYMENT, 'ProgressDeadlineExceeded', 'Warning', '2026-11-25T09:00:03Z'));
    api.upsert('events', event('e6', 'ReplicaSet', 'unrelated-7d9f8c6b5', 'FailedCreate'));
    void start();

    const first = await recorder.until(() => true);
    expect(recorder.snapshots).toHaveLength(1);
    expect(first).toEqual({
      deployment: { name: DEPLOYMENT, desired: 2, ready: 0, available: 0, updated: 2, replicas: 2, observed: true },
      pods: [
        {
          name: 'agent-a',
          phase: 'Running',
          ready: false,
          deleting: false,
          createdAt: expect.any(String),
          containers: [
            {
              name: 'agent',
              image: 'registry.gitlab.com/agentk:v19.4.0',
              ready: false,
              restartCount: 0,
              state: 'waiting',
              reason: 'ImagePullBackOff',
              message: 'Back-off pulling image',
            },
          ],
          conditions: [
            { type: 'PodScheduled', status: 'True' },
            { type: 'Ready', status: 'False' },
          ],
        },
      ],
      // Newest last; Normal events and events about other objects are dropped.
      events: [
        {
          type: 'Warning',
          reason: 'FailedCreate',
          message: 'FailedCreate happened',
          object: RS,
          kind: 'ReplicaSet',
          count: 1,
          lastSeen: '2026-11-25T09:00:01.000Z',
        },
        {
          type: 'Warning',
          reason: 'Failed',
          message: 'Failed happened',
          object: 'agent-a',
          kind: 'Pod',
          count: 1,
          lastSeen: '2026-11-25T09:00:02.000Z',
        },
        {
          type: 'Warning',
          reason: 'ProgressDeadlineExceeded',
          message: 'ProgressDeadlineExceeded happened',
          object: DEPLOYMENT,
          kind: 'Deployment',
          count: 1,
          lastSeen: '2026-11-25T09:00:03.000Z',
        },
      ],
    });
    expect(listsOf('pods')[0]?.query.get('labelSelector')).toBe(SELECTOR);
    expect(listsOf('deployments')[0]?.query.get('labelSelector')).toBe(SELECTOR);
  });

  it('reports changes as they happen (watch, not poll), Ready within the coalescing window', async () => {
    api.upsert('deployments', deployment(0, 1));
    api.upsert('pods', pod('agent-a'));
    void start();
    await recorder.until((s) => s.pods.length === 1);
    await sleep(120); // let the coalescing window pass, so the next change goes out at once

    const changed = Date.now();
    api.upsert('pods', pod('agent-a', { ready: true }));
    api.upsert('deployments', deployment(1, 1));
    const ready = await recorder.until((s) => s.pods[0]?.ready === true && s.deployment?.ready === 1);
    const latency = recorder.snapshots.find((s) => s.snapshot === ready)!.at - changed;
    // 50 ms coalescing at most, plus the wire; generous for a loaded 2-core CI box (kube-coalesce pins the 50 ms).
    expect(latency).toBeLessThan(250);

    // Steady state: one list per resource, then only the open watches.
    await sleep(300);
    expect(listsOf('pods')).toHaveLength(1);
    expect(listsOf('deployments')).toHaveLength(1);
    expect(listsOf('events')).toHaveLength(1);
    expect(watchesOf('pods')).toHaveLength(1);
  });

  it('coalesces a burst into few snapshots and ends on the latest state', async () => {
    api.upsert('pods', pod('agent-a'));
    void start();
    await recorder.until((s) => s.pods.length === 1);
    const before = recorder.snapshots.length;
    const started = Date.now();
    for (let i = 1; i <= 40; i++) api.upsert('pods', pod('agent-a', { restarts: i }));
    const last = await recorder.until((s) => s.pods[0]?.containers[0]?.restartCount === 40);
    const took = Date.now() - started;
    const emitted = recorder.snapshots.length - before;
    expect(last.pods[0]?.containers[0]?.restartCount).toBe(40);
    expect(emitted).toBeLessThanOrEqual(Math.ceil(took / 50) + 2);
    expect(emitted).toBeLessThan(40);
  });

  it('a dropped connection resumes from the last resourceVersion without listing again', async () => {
    api.upsert('pods', pod('agent-a'));
    void start();
    await recorder.until((s) => s.pods.length === 1);
    api.upsert('pods', pod('agent-a', { restarts: 1 }));
    await recorder.until((s) => s.pods[0]?.containers[0]?.restartCount === 1);
    await watching();
    const seenRv = api.get('pods', NS, 'agent-a')!.metadata.resourceVersion;

    api.dropWatches();
    api.upsert('pods', pod('agent-a', { restarts: 2 })); // happens while disconnected
    await recorder.until((s) => s.pods[0]?.containers[0]?.restartCount === 2);

    expect(listsOf('pods')).toHaveLength(1);
    const resumed = watchesOf('pods').at(-1)!;
    expect(watchesOf('pods').length).toBeGreaterThanOrEqual(2);
    expect(Number(resumed.query.get('resourceVersion'))).toBeGreaterThanOrEqual(Number(seenRv));
  });

  it('a watch the server ends cleanly resumes at once', async () => {
    void start();
    await recorder.until(() => true);
    await watching();
    api.endWatches();
    await sleep(30);
    api.upsert('pods', pod('agent-b'));
    await recorder.until((s) => s.pods.some((p) => p.name === 'agent-b'));
    expect(listsOf('pods')).toHaveLength(1);
  });

  it('410 Gone on resume → relists, and objects deleted in the gap disappear', async () => {
    api.upsert('pods', pod('agent-a'));
    api.upsert('pods', pod('agent-b'));
    void start();
    await recorder.until((s) => s.pods.length === 2);
    await watching();

    api.dropWatches();
    api.remove('pods', NS, 'agent-a');
    api.compact(); // the resume's resourceVersion is now too old: the server answers ERROR 410
    const after = await recorder.until((s) => s.pods.length === 1);
    expect(after.pods.map((p) => p.name)).toEqual(['agent-b']);
    expect(listsOf('pods').length).toBeGreaterThanOrEqual(2);
  });

  it('a 410 ERROR event on an open watch → relists', async () => {
    api.upsert('pods', pod('agent-a'));
    void start();
    await recorder.until((s) => s.pods.length === 1);
    await watching();
    api.sendGone();
    await sleep(100);
    expect(listsOf('pods')).toHaveLength(2);
    api.upsert('pods', pod('agent-a', { ready: true }));
    await recorder.until((s) => s.pods[0]?.ready === true);
  });

  it('marks pods being deleted', async () => {
    api.upsert('pods', pod('agent-a', { ready: true }));
    void start();
    await recorder.until((s) => s.pods.length === 1);
    api.upsert('pods', pod('agent-a', { ready: true, deleting: true }));
    await recorder.until((s) => s.pods[0]?.deleting === true);
    api.remove('pods', NS, 'agent-a');
    await recorder.until((s) => s.pods.length === 0);
  });

  it('cannot read events (403) → still reports pods, without events', async () => {
    api.forbid = (a) => a.resource === 'events';
    api.upsert('pods', pod('agent-a'));
    void start();
    const first = await recorder.until(() => true);
    expect(first.pods).toHaveLength(1);
    expect(first.events).toEqual([]);
  });

  it('cannot read pods (403) → rejects with a readable error', async () => {
    api.forbid = (a) => a.resource === 'pods';
    const err = await start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).message).toBe(
      `list pods in namespace ${NS}: pods is forbidden: User "tester" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );
    await waitUntil(() => api.openWatches === 0);
  });

  it('stops cleanly when the signal aborts: resolves, closes every watch, reports nothing more', async () => {
    api.upsert('pods', pod('agent-a'));
    const done = start();
    await recorder.until((s) => s.pods.length === 1);
    await watching();

    const count = recorder.snapshots.length;
    const stopped = Date.now();
    controller.abort();
    await done;
    expect(Date.now() - stopped).toBeLessThan(200);
    api.upsert('pods', pod('agent-a', { ready: true }));
    await sleep(100);
    expect(recorder.snapshots.length).toBe(count);
    expect(api.openWatches).toBe(0);
  });

  it('an already aborted signal resolves at once without a request', async () => {
    controller.abort();
    await start();
    expect(api.requests).toHaveLength(0);
  });

  it('if onSnapshot throws, rejects with that error and stops watching', async () => {
    const boom = new Error('ui exploded');
    const err = await cluster
      .watchReadiness(
        NS,
        SELECTOR,
        () => {
          throw boom;
        },
        controller.signal,
      )
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
    await waitUntil(() => api.openWatches === 0);
  });
});
