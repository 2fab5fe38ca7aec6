import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { toDeploymentView, toEventView, toPodView } from '../../src/adapters/kube/snapshot-mapping.js';
import { diagnoseReadiness } from '../../src/core/readiness/diagnose.js';

/** Watch events carry JSON strings where list results carry Date objects; both must map the same. */
function crashingPod(dates: 'string' | 'Date'): V1Pod {
  const at = (iso: string) => (dates === 'Date' ? new Date(iso) : iso) as Date;
  return {
    metadata: { name: 'agent-x', deletionTimestamp: at('2026-11-25T10:00:00Z') },
    spec: {
      initContainers: [
        { name: 'done-init', image: 'busybox' },
        { name: 'stuck-init', image: 'busybox' },
      ],
      containers: [{ name: 'agent', image: 'registry.gitlab.com/agentk:v19.4.0' }],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [agent]' }],
      initContainerStatuses: [
        {
          name: 'done-init',
          image: 'busybox',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed' } },
        },
        {
          name: 'stuck-init',
          image: 'busybox',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { running: { startedAt: at('2026-11-25T09:00:00Z') } },
        },
      ],
      containerStatuses: [
        {
          name: 'agent',
          image: 'registry.gitlab.com/agentk@sha256:abc',
          imageID: '',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'invalid token\n', finishedAt: at('2026-11-25T09:59:00Z') } },
        },
      ],
    },
  };
}

describe('toPodView', () => {
  it('maps phase, Ready, deletion, container states and the last termination', () => {
    const view = toPodView(crashingPod('string'));
    expect(view).toEqual({
      name: 'agent-x',
      phase: 'Running',
      ready: false,
      deleting: true,
      containers: [
        { name: 'stuck-init', image: 'busybox', ready: false, restartCount: 0, state: 'running' },
        {
          name: 'agent',
          image: 'registry.gitlab.com/agentk:v19.4.0',
          ready: false,
          restartCount: 5,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: 'back-off 2m40s restarting failed container',
          lastTermination: { reason: 'Error', message: 'invalid token\n', exitCode: 1 },
        },
      ],
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [agent]' }],
    });
    expect(toPodView(crashingPod('Date'))).toEqual(view);
  });

  it('a pod the scheduler cannot place: no container statuses yet, PodScheduled=False', () => {
    const view = toPodView({
      metadata: { name: 'pending' },
      spec: { containers: [{ name: 'agent', image: 'agentk' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }],
      },
    });
    expect(view.containers).toEqual([{ name: 'agent', image: 'agentk', ready: false, restartCount: 0, state: 'unknown' }]);
    expect(view.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' },
    ]);
    expect(diagnoseReadiness({ pods: [view], events: [] }, 120_000)).toMatchObject({
      state: 'failed',
      findings: [{ code: 'UNSCHEDULABLE' }],
    });
  });

  it('a terminated container without a reason gets its exit code as reason', () => {
    const view = toPodView({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'agent', image: 'agentk' }] },
      status: {
        containerStatuses: [
          { name: 'agent', image: 'agentk', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } },
        ],
      },
    });
    expect(view.containers[0]).toMatchObject({ state: 'terminated', reason: 'exit code 137' });
    expect(view.phase).toBe('Unknown');
  });

  it('feeds the core diagnosis: a crash loop is found', () => {
    const pod = { ...crashingPod('string'), metadata: { name: 'agent-x' } };
    const verdict = diagnoseReadiness({ pods: [toPodView(pod)], events: [] }, 1000);
    expect(verdict).toMatchObject({ state: 'failed', findings: [{ code: 'CRASH_LOOP', pod: 'agent-x' }] });
  });
});

describe('toDeploymentView', () => {
  it('reads desired/ready/available/updated; missing replicas means 1', () => {
    const d: V1Deployment = {
      metadata: { name: 'a-v2', generation: 3 },
      spec: { selector: {}, template: {}, replicas: 2 },
      status: { readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2, replicas: 3, observedGeneration: 3 },
    };
    expect(toDeploymentView(d)).toEqual({ name: 'a-v2', desired: 2, ready: 1, available: 1, updated: 2, replicas: 3, observed: true });
    expect(toDeploymentView({ metadata: { name: 'b' }, spec: { selector: {}, template: {} } })).toEqual({
      name: 'b',
      desired: 1,
      ready: 0,
      available: 0,
      updated: 0,
      replicas: 0,
      observed: true,
    });
    expect(toDeploymentView({ ...d, status: { ...d.status, observedGeneration: 2 } }).observed).toBe(false);
  });
});

describe('toEventView', () => {
  it('takes lastSeen from whichever field the recorder filled', () => {
    const base: CoreV1Event = {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'FailedMount',
      message: ' MountVolume.SetUp failed \n',
      type: 'Warning',
    };
    expect(toEventView({ ...base, count: 3, lastTimestamp: new Date('2026-11-25T09:00:00Z') })).toEqual({
      type: 'Warning',
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed',
      object: 'p',
      kind: 'Pod',
      count: 3,
      lastSeen: '2026-11-25T09:00:00.000Z',
    });
    // events.k8s.io-style recorders: eventTime + series, no lastTimestamp or count.
    const series = toEventView({
      ...base,
      eventTime: '2026-11-25T09:00:01.123456Z' as unknown as Date,
      series: { count: 7, lastObservedTime: '2026-11-25T09:05:00.000001Z' as unknown as Date },
    });
    expect(series).toMatchObject({ count: 7, lastSeen: '2026-11-25T09:05:00.000Z' });
    expect(toEventView({ ...base, metadata: { name: 'e', creationTimestamp: new Date('2026-11-25T08:00:00Z') } }).lastSeen).toBe(
      '2026-11-25T08:00:00.000Z',
    );
  });
});
