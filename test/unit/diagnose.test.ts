import { describe, expect, it } from 'vitest';
import { diagnoseReadiness } from '../../src/core/readiness/diagnose.js';
import type { ContainerView, PodView, ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';

const container = (over: Partial<ContainerView> = {}): ContainerView => ({
  name: 'agent',
  image: 'agentk:v18.6.0',
  ready: false,
  restartCount: 0,
  state: 'waiting',
  ...over,
});
const pod = (name: string, over: Partial<PodView> = {}): PodView => ({
  name,
  phase: 'Pending',
  ready: false,
  deleting: false,
  containers: [container()],
  conditions: [],
  ...over,
});
const snap = (pods: PodView[], ready = 0, over: Partial<ReadinessSnapshot> = {}): ReadinessSnapshot => ({
  deployment: { name: 'prod-gitlab-agent-v2', desired: 2, ready, available: ready, updated: 2 },
  pods,
  events: [],
  ...over,
});

describe('readiness diagnosis', () => {
  it('is ready only when every desired pod of the new revision is Ready', () => {
    const readyPod = (n: string) => pod(n, { phase: 'Running', ready: true, containers: [container({ ready: true, state: 'running' })] });
    expect(diagnoseReadiness(snap([readyPod('a'), pod('b')], 1), 1000).state).toBe('waiting');
    expect(diagnoseReadiness(snap([readyPod('a'), readyPod('b')], 2), 1000)).toEqual({ state: 'ready', progress: '2/2 pods ready' });
  });
  it('waits while there is no Deployment yet', () => {
    expect(diagnoseReadiness({ pods: [], events: [] }, 0).state).toBe('waiting');
  });
  it('fails at once on an image pull error, naming the image and the fix', () => {
    const v = diagnoseReadiness(
      snap([pod('a', { containers: [container({ reason: 'ImagePullBackOff', image: 'agentk:does-not-exist' })] })]),
      500,
    );
    expect(v.state).toBe('failed');
    if (v.state !== 'failed') return;
    expect(v.findings[0]).toMatchObject({ code: 'IMAGE_PULL', pod: 'a' });
    expect(v.findings[0]!.summary).toContain('agentk:does-not-exist');
    expect(v.findings[0]!.next).toContain('--image-tag');
  });
  it('fails on CrashLoopBackOff with the termination message', () => {
    const v = diagnoseReadiness(
      snap([
        pod('a', {
          phase: 'Running',
          containers: [
            container({ reason: 'CrashLoopBackOff', restartCount: 4, lastTermination: { exitCode: 1, message: 'unauthenticated' } }),
          ],
        }),
      ]),
      500,
    );
    expect(v.state).toBe('failed');
    if (v.state === 'failed') expect(v.findings[0]!.summary).toContain('4 restarts, last exit 1: unauthenticated');
  });
  it('gives scheduling and mount problems a grace period', () => {
    const events = [
      { type: 'Warning', reason: 'FailedMount', message: 'secret "x" not found', object: 'a', kind: 'Pod', count: 3, lastSeen: '' },
    ];
    const s = snap([pod('a')], 0, { events });
    expect(diagnoseReadiness(s, 10_000).state).toBe('waiting');
    const late = diagnoseReadiness(s, 61_000);
    expect(late.state).toBe('failed');
    if (late.state === 'failed') expect(late.findings[0]!.code).toBe('FAILED_MOUNT');
  });
  it('reports an unschedulable pod from its PodScheduled condition', () => {
    const s = snap([
      pod('a', { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] }),
    ]);
    const v = diagnoseReadiness(s, 70_000);
    expect(v.state === 'failed' && v.findings[0]!.summary).toContain('0/1 nodes are available');
  });

  it('is not ready mid-rollout while old pods remain or the new spec is not yet observed', () => {
    const readyPod = (n: string) => pod(n, { phase: 'Running', ready: true, containers: [container({ ready: true, state: 'running' })] });
    const pods = [readyPod('new-a'), readyPod('old-b'), pod('new-b')];
    const deployment = { name: 'd', desired: 2, ready: 2, available: 2, updated: 2, replicas: 3, observed: true };
    expect(diagnoseReadiness({ deployment, pods, events: [] }, 0).state).toBe('waiting');
    const unobserved = { ...deployment, replicas: 2, observed: false };
    expect(diagnoseReadiness({ deployment: unobserved, pods: [readyPod('a'), readyPod('b')], events: [] }, 0).state).toBe('waiting');
  });
  it('during a rollout judges only the pods of this rollout', () => {
    const start = Date.parse('2026-01-01T00:10:00Z');
    const oldBroken = pod('old', { createdAt: '2026-01-01T00:00:00Z', containers: [container({ reason: 'ImagePullBackOff' })] });
    const fresh = pod('new', { createdAt: '2026-01-01T00:10:01Z' });
    const deployment = { name: 'd', desired: 1, ready: 0, available: 0, updated: 1, replicas: 2, observed: true };
    expect(diagnoseReadiness({ deployment, pods: [oldBroken, fresh], events: [] }, 1000, 60_000, start).state).toBe('waiting');
    const freshBroken = { ...fresh, containers: [container({ reason: 'ErrImagePull' })] };
    expect(diagnoseReadiness({ deployment, pods: [oldBroken, freshBroken], events: [] }, 1000, 60_000, start).state).toBe('failed');
  });
});
