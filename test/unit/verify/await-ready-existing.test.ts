import { describe, expect, it } from 'vitest';
import type { FlowIO } from '../../../src/core/kernel/io.js';
import type { Clock } from '../../../src/core/ports/clock.js';
import type { KubeWorkloads } from '../../../src/core/ports/kube/index.js';
import type { ReadinessSnapshot } from '../../../src/core/readiness/snapshot.js';
import { watchUntilReady } from '../../../src/core/steps/verify/await-ready.js';

/** An upgrade's watch starts before helm: the old, Ready pods must not count, the new spec's rollout must. */

const clock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => clearTimeout(t));
    }),
};
const io: FlowIO = {
  asker: {
    ask: async () => {
      throw new Error('no questions');
    },
  },
  emit: () => undefined,
  signal: new AbortController().signal,
};

const pod = (name: string) => ({
  name,
  phase: 'Running',
  ready: true,
  deleting: false,
  containers: [{ name: 'agent', image: 'agentk:v1', ready: true, restartCount: 0, state: 'running' as const }],
  conditions: [],
});
const snapshot = (observed: boolean): ReadinessSnapshot => ({
  deployment: { name: 'agent', desired: 2, ready: 2, available: 2, updated: 2, replicas: 2, observed },
  pods: [pod('a'), pod('b')],
  events: [],
});

function fakeCluster() {
  let push: (s: ReadinessSnapshot) => void = () => undefined;
  const cluster = {
    watchReadiness: async (_ns: string, _sel: string, onSnapshot: (s: ReadinessSnapshot) => void, signal: AbortSignal) => {
      push = onSnapshot;
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    },
  } as unknown as KubeWorkloads;
  return { cluster, push: (s: ReadinessSnapshot) => push(s) };
}

const settled = async (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((r) => setTimeout(() => r('pending'), 30)),
  ]);

describe('watchUntilReady on an existing workload', () => {
  it('the old Ready pods do not count before arm(); after it they do (helm changed nothing in the Deployment)', async () => {
    const f = fakeCluster();
    const watch = watchUntilReady(f.cluster, { namespace: 'ns', selector: 'app=a' }, 10_000, clock, io, { existing: true });
    await new Promise((r) => setTimeout(r, 0));
    f.push(snapshot(true));
    expect(await settled(watch.done)).toBe('pending');
    watch.arm();
    expect(await settled(watch.done)).toBe('resolved');
  });

  it('a new spec showing up (observed → not observed) arms it: the rollout is Ready without waiting for helm to return', async () => {
    const f = fakeCluster();
    const watch = watchUntilReady(f.cluster, { namespace: 'ns', selector: 'app=a' }, 10_000, clock, io, { existing: true });
    await new Promise((r) => setTimeout(r, 0));
    f.push(snapshot(true));
    f.push(snapshot(false));
    expect(await settled(watch.done)).toBe('pending');
    f.push(snapshot(true));
    expect(await settled(watch.done)).toBe('resolved');
    watch.stop();
  });

  it('a spec pending at the start is an older change: its rollout does not arm the watch', async () => {
    const f = fakeCluster();
    const watch = watchUntilReady(f.cluster, { namespace: 'ns', selector: 'app=a' }, 10_000, clock, io, { existing: true });
    await new Promise((r) => setTimeout(r, 0));
    f.push(snapshot(false));
    f.push(snapshot(true));
    expect(await settled(watch.done)).toBe('pending');
    watch.stop();
  });
});

describe('watchUntilReady on an existing workload that is broken', () => {
  const crashing = (name: string) => ({
    ...pod(name),
    ready: false,
    containers: [
      { name: 'agent', image: 'agentk:v1', ready: false, restartCount: 7, state: 'waiting' as const, reason: 'CrashLoopBackOff' },
    ],
  });
  const broken = (observed: boolean): ReadinessSnapshot => ({
    deployment: { name: 'agent', desired: 2, ready: 0, available: 0, updated: 2, replicas: 2, observed },
    pods: [crashing('old-a'), crashing('old-b')],
    events: [],
  });

  it("the old pods' crash loop is not this upgrade's failure, even on the snapshot that arms the watch", async () => {
    const f = fakeCluster();
    const watch = watchUntilReady(f.cluster, { namespace: 'ns', selector: 'app=a' }, 10_000, clock, io, { existing: true });
    await new Promise((r) => setTimeout(r, 0));
    f.push(broken(true));
    f.push(broken(false)); // the new spec is applied; its controller has not caught up: status and pods are the old ones
    expect(await settled(watch.done)).toBe('pending');
    f.push({ ...snapshot(true), pods: [pod('new-a'), pod('new-b')] });
    expect(await settled(watch.done)).toBe('resolved');
  });

  it('--timeout counts from when the new spec is applied, not while helm is still running', async () => {
    const f = fakeCluster();
    const watch = watchUntilReady(f.cluster, { namespace: 'ns', selector: 'app=a' }, 60, clock, io, { existing: true });
    await new Promise((r) => setTimeout(r, 100)); // helm runs longer than the timeout
    expect(await settled(watch.done)).toBe('pending');
    watch.arm();
    await new Promise((r) => setTimeout(r, 100));
    expect(await settled(watch.done)).toBe('rejected');
  });
});
