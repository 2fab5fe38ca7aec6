import { describe, expect, it } from 'vitest';
import { wlPods, wlRelease, wlRollout, wlSecret, workloadVerdict } from '../../../src/core/diagnosis/rules/workload.js';
import { agentk, container, deployment, event, evidence, gitlab, IMAGE, logs, minutesAgo, pod, workload } from './builders.js';

/* Event and status texts as the kubelet, scheduler and controllers write them (troubleshoot.md §4.3). */
const POD = 'gitlab-agent-v2-7c9d8f6b5d-abcde';
const MOUNT_TOKEN = 'MountVolume.SetUp failed for volume "secret-volume" : secret "gitlab-agent-token" not found';
const MOUNT_KEY = 'MountVolume.SetUp failed for volume "token-volume" : references non-existent secret key: token';
const MOUNT_CA = 'MountVolume.SetUp failed for volume "config-volume" : configmap "gitlab-agent" not found';
const SCHEDULING =
  '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
const PSA =
  'Error creating: pods "gitlab-agent-v2-7c9d8f6b5d-x2x7k" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "gitlab-agent" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "gitlab-agent" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "gitlab-agent" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "gitlab-agent" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';
const QUOTA =
  'Error creating: pods "gitlab-agent-v2-7c9d8f6b5d-x2x7k" is forbidden: exceeded quota: compute-resources, requested: pods=1, used: pods=10, limited: pods=10';
const BAD_TAG = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:18.6.0';
const PULL_NOT_FOUND = `Failed to pull image "${BAD_TAG}": rpc error: code = NotFound desc = failed to pull and unpack image "${BAD_TAG}": failed to resolve reference "${BAD_TAG}": ${BAD_TAG}: not found`;
const PULL_TIMEOUT = `Failed to pull image "${IMAGE}": rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": failed to do request: Head "https://registry.gitlab.com/v2/gitlab-org/cluster-integration/gitlab-agent/agentk/manifests/v18.6.0": dial tcp 172.65.251.78:443: i/o timeout`;
const CRASH_BACKOFF = `Back-off restarting failed container gitlab-agent in pod ${POD}_gitlab-agent(0e5a2c1d-4b7f-4a53-9d7e-2f1c3a9b8e11)`;
const LIVENESS = 'Liveness probe failed: Get "http://10.244.0.17:8080/liveness": dial tcp 10.244.0.17:8080: connect: connection refused';

const pending = (over = {}) =>
  pod(POD, { phase: 'Pending', containers: [container({ ready: false, state: 'waiting', reason: 'ContainerCreating' })], ...over });

describe('WL-RELEASE', () => {
  it('is ok for a deployed release', () => {
    expect(wlRelease.run(evidence({ workload: workload() }))[0]!.status).toBe('ok');
  });
  it('fails a failed release, as a symptom when helm timed out waiting', () => {
    const w = workload({
      release: {
        name: 'gitlab-agent',
        namespace: 'gitlab-agent',
        revision: 3,
        status: 'failed',
        description: 'Upgrade "gitlab-agent" failed: context deadline exceeded',
      },
    });
    expect(wlRelease.run(evidence({ workload: w }))[0]).toMatchObject({
      id: 'WL-RELEASE-FAILED',
      status: 'fail',
      category: 'release-failed',
      symptom: true,
    });
    const real = workload({
      release: {
        name: 'gitlab-agent',
        namespace: 'gitlab-agent',
        revision: 3,
        status: 'failed',
        description: 'Upgrade "gitlab-agent" failed: cannot patch "gitlab-agent-v2" with kind Deployment: field is immutable',
      },
    });
    expect(wlRelease.run(evidence({ workload: real }))[0]!.symptom).toBeUndefined();
  });
  it('fails a release stuck pending-upgrade with a rollback to the last good revision', () => {
    const w = workload({
      release: { name: 'gitlab-agent', namespace: 'gitlab-agent', revision: 4, status: 'pending-upgrade', lastGoodRevision: 3 },
    });
    const f = wlRelease.run(evidence({ workload: w }))[0]!;
    expect(f).toMatchObject({ id: 'WL-RELEASE-PENDING', status: 'fail', category: 'release-failed' });
    expect(f.fix).toBe('helm rollback gitlab-agent 3 -n gitlab-agent');
  });
  it('fails when nothing is installed, skips when installed without helm', () => {
    expect(wlRelease.run(evidence({ workload: workload({ release: null, deployment: null }) }))[0]).toMatchObject({
      id: 'WL-RELEASE-MISSING',
      status: 'fail',
    });
    expect(wlRelease.run(evidence({ workload: workload({ release: null }) }))[0]!.status).toBe('skip');
  });
});

describe('WL-SECRET', () => {
  it('fails a missing token Secret, naming it from the Deployment volume, with a placeholder instead of a token', () => {
    const f = wlSecret.run(evidence({ workload: workload({ tokenSecret: null }) }))[0]!;
    expect(f).toMatchObject({
      id: 'WL-SECRET-MISSING',
      status: 'fail',
      category: 'token-secret-missing',
      subject: { kind: 'Secret', name: 'gitlab-agent-token' },
    });
    expect(f.fix).toContain('kubectl -n gitlab-agent create secret generic gitlab-agent-token --from-file=token=<token-file>');
  });
  it('fails a Secret without the key token', () => {
    expect(
      wlSecret.run(
        evidence({ workload: workload({ tokenSecret: { name: 'gitlab-agent-token', keys: ['agent-token'], annotations: {} } }) }),
      )[0],
    ).toMatchObject({
      id: 'WL-SECRET-NO-KEY',
      category: 'token-secret-missing',
    });
  });
  it('is ok with the key, and skips when the Secret could not be read', () => {
    expect(wlSecret.run(evidence({ workload: workload() }))[0]!.status).toBe('ok');
    expect(wlSecret.run(evidence({ workload: workload({ tokenSecret: undefined }) }))[0]!.status).toBe('skip');
  });
});

describe('WL-ROLLOUT', () => {
  it('follows kubectl rollout status', () => {
    expect(wlRollout.run(evidence({ workload: workload() }))[0]!.evidence[0]).toBe('deployment "gitlab-agent-v2" successfully rolled out');
    const w = workload({ deployment: deployment({ availableReplicas: 1, readyReplicas: 1 }) });
    expect(wlRollout.run(evidence({ workload: w }))[0]).toMatchObject({
      status: 'warn',
      category: 'rollout-stalled',
      title: 'Waiting for rollout: 1 of 2 updated replicas are available',
    });
    const spec = workload({ deployment: deployment({ generation: 4 }) });
    expect(wlRollout.run(evidence({ workload: spec }))[0]!.title).toBe('Waiting for deployment spec update to be observed');
    const old = workload({ deployment: deployment({ statusReplicas: 3 }) });
    expect(wlRollout.run(evidence({ workload: old }))[0]!.title).toBe('Waiting for rollout: 1 old replicas are pending termination');
  });
  it('fails a rollout past its deadline, as a symptom', () => {
    const d = deployment({ readyReplicas: 0, availableReplicas: 0 });
    d.conditions = [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "gitlab-agent-v2-7c9d8f6b5d" has timed out progressing.',
      },
    ];
    const f = wlRollout.run(evidence({ workload: workload({ deployment: d }) }))[0]!;
    expect(f).toMatchObject({
      id: 'WL-ROLLOUT-DEADLINE',
      status: 'fail',
      symptom: true,
      title: 'deployment "gitlab-agent-v2" exceeded its progress deadline',
    });
  });
  it('warns when scaled to zero', () => {
    expect(
      wlRollout.run(
        evidence({
          workload: workload({
            deployment: deployment({ replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, statusReplicas: 0 }),
          }),
        }),
      )[0]!.id,
    ).toBe('WL-ROLLOUT-ZERO');
  });
});

describe('WL-PODS', () => {
  const run = (over: Parameters<typeof workload>[0], extra = {}) => wlPods.run(evidence({ workload: workload(over), ...extra }));

  it('is ok for running, ready pods', () => {
    expect(run({})[0]!.status).toBe('ok');
  });

  it('fails an image pull at once, telling a missing tag from an unreachable registry', () => {
    const p = pod(POD, {
      phase: 'Pending',
      containers: [
        container({
          ready: false,
          state: 'waiting',
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${BAD_TAG}"`,
          image: BAD_TAG,
        }),
      ],
      createdAt: minutesAgo(0.2),
    });
    const f = run({ pods: [p], events: [event('Failed', PULL_NOT_FOUND)] }, { gitlab: gitlab() })[0]!;
    expect(f).toMatchObject({ id: 'WL-PODS-IMAGE-PULL', status: 'fail', category: 'image-pull' });
    expect(f.evidence).toContain(`Failed Pod/${POD} (x3): ${PULL_NOT_FOUND}`);
    expect(f.cause).toContain('tag does not exist');
    expect(f.fix).toBe('gitlab-agent-tui upgrade --release gitlab-agent --namespace gitlab-agent --image-tag v18.6.1');
    const g = run({ pods: [p], events: [event('Failed', PULL_TIMEOUT)] })[0]!;
    expect(g.cause).toContain('cannot reach the registry');
    expect(g.fix).toContain('--image-repository <mirror>/agentk');
  });

  it('fails a crash loop and calls it a symptom when the previous log names the cause', () => {
    const crashing = pod(POD, {
      containers: [
        container({
          ready: false,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 6,
          lastTermination: { reason: 'Error', exitCode: 1 },
        }),
      ],
    });
    const plain = run({ pods: [crashing], events: [event('BackOff', CRASH_BACKOFF)] })[0]!;
    expect(plain).toMatchObject({ id: 'WL-PODS-CRASH-LOOP', status: 'fail', category: 'crash-loop' });
    expect(plain.symptom).toBeUndefined();
    expect(plain.evidence[0]).toBe(`pod/${POD} container gitlab-agent: CrashLoopBackOff, 6 restarts, last exit 1 (Error)`);
    expect(plain.fix).toBe(`kubectl -n gitlab-agent logs ${POD} -c gitlab-agent --previous`);
    const explained = run({ pods: [crashing] }, { logs: logs(['Error: unknown flag: --ca-cert-file'], true, POD) })[0]!;
    expect(explained).toMatchObject({ category: 'crash-loop', symptom: true });
    expect(explained.evidence).toContain('Error: unknown flag: --ca-cert-file');
    expect(explained.cause).toContain('agent-args-invalid');
  });

  it('reads the termination message (FallbackToLogsOnError) when there are no previous logs', () => {
    const msg = agentk({ msg: 'Reverse tunnel', error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated' });
    const p = pod(POD, {
      containers: [
        container({
          ready: false,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 4,
          lastTermination: { reason: 'Error', exitCode: 1, message: msg },
        }),
      ],
    });
    expect(run({ pods: [p] })[0]).toMatchObject({ category: 'crash-loop', symptom: true });
  });

  it('fails OOMKilled rather than a generic crash loop', () => {
    const p = pod(POD, {
      containers: [
        container({
          ready: false,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 3,
          lastTermination: { reason: 'OOMKilled', exitCode: 137 },
        }),
      ],
    });
    const f = run({ pods: [p] });
    expect(f.map((x) => x.category)).toEqual(['oom-killed']);
    expect(f[0]!.fix).toContain('resources.limits.memory');
  });

  it('ties a FailedMount of the token Secret to token-secret-missing, after a grace period', () => {
    const young = run({ pods: [pending({ createdAt: minutesAgo(0.5) })], events: [event('FailedMount', MOUNT_TOKEN)] })[0]!;
    expect(young).toMatchObject({ id: 'WL-PODS-MOUNT-TOKEN', status: 'warn', category: 'token-secret-missing' });
    const old = run({ pods: [pending({ createdAt: minutesAgo(5) })], events: [event('FailedMount', MOUNT_TOKEN)] })[0]!;
    expect(old.status).toBe('fail');
    expect(run({ pods: [pending()], events: [event('FailedMount', MOUNT_KEY)] })[0]!.category).toBe('token-secret-missing');
  });

  it('does not take a missing CA ConfigMap for a missing token', () => {
    const f = run({ pods: [pending()], events: [event('FailedMount', MOUNT_CA)] })[0]!;
    expect(f).toMatchObject({ id: 'WL-PODS-MOUNT', category: 'container-config-error' });
    expect(f.fix).toContain('--kas-ca-cert <ca-file>');
  });

  it('reports FailedScheduling and PodScheduled=False verbatim', () => {
    const p = pending({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SCHEDULING }] });
    const f = run({ pods: [p], events: [event('FailedScheduling', SCHEDULING, { count: 1 })] })[0]!;
    expect(f).toMatchObject({ id: 'WL-PODS-UNSCHEDULABLE', status: 'fail', category: 'unschedulable' });
    expect(f.evidence).toEqual([
      `pod/${POD}: Ready=False Unschedulable: ${SCHEDULING}`.replace('Ready=False', 'PodScheduled=False'),
      `FailedScheduling Pod/${POD}: ${SCHEDULING}`,
    ]);
  });

  it('recognises a Pod Security rejection from the ReplicaSet event or the Deployment condition', () => {
    const rs = event('FailedCreate', PSA, { kind: 'ReplicaSet', name: 'gitlab-agent-v2-7c9d8f6b5d', count: 12 });
    const f = run({ pods: [], events: [rs] })[0]!;
    expect(f).toMatchObject({ id: 'WL-PODS-POD-SECURITY', status: 'fail', category: 'pod-security-rejected' });
    expect(f.title).toContain('restricted:latest');
    expect(f.fix).toContain('securityContext.allowPrivilegeEscalation=false');
    const d = deployment({ readyReplicas: 0, availableReplicas: 0 });
    d.conditions.push({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: PSA.replace('Error creating: ', '') });
    expect(run({ pods: [], events: [], deployment: d })[0]!.category).toBe('pod-security-rejected');
  });

  it('does not call a quota rejection a Pod Security one', () => {
    const f = run({ pods: [], events: [event('FailedCreate', QUOTA, { kind: 'ReplicaSet', name: 'gitlab-agent-v2-7c9d8f6b5d' })] })[0]!;
    expect(f).toMatchObject({ id: 'WL-PODS-CREATE-REJECTED', category: 'pod-create-rejected' });
    expect(f.cause).toContain('ResourceQuota');
  });

  it('flags CreateContainerConfigError', () => {
    const p = pod(POD, {
      phase: 'Pending',
      containers: [
        container({
          ready: false,
          state: 'waiting',
          reason: 'CreateContainerConfigError',
          message: 'secret "proxy-credentials" not found',
        }),
      ],
    });
    expect(run({ pods: [p] })[0]).toMatchObject({ id: 'WL-PODS-CONFIG', status: 'fail', category: 'container-config-error' });
  });

  it('warns for failing probes only when nothing else explains the pod (a liveness refusal is not a KAS refusal)', () => {
    const f = run({ events: [event('Unhealthy', LIVENESS)] });
    expect(f.map((x) => [x.status, x.category])).toEqual([['warn', 'rollout-stalled']]);
  });

  it('ignores Normal events and terminating pods', () => {
    const normal = event('Pulled', `Successfully pulled image "${IMAGE}" in 1.2s`, { type: 'Normal' });
    const dying = pod('old', { deleting: true, containers: [container({ ready: false, state: 'waiting', reason: 'ImagePullBackOff' })] });
    expect(run({ events: [normal], pods: [pod(POD), dying] })[0]!.status).toBe('ok');
  });
});

describe('workloadVerdict (the install readiness semantics)', () => {
  const notReady = deployment({ readyReplicas: 0, availableReplicas: 0 });
  it('is ready as kubectl rollout status says', () => {
    expect(workloadVerdict(workload(), 1_000)).toEqual({ state: 'ready', progress: '2/2 pods ready' });
  });
  it('fails image pull and crash loop at once', () => {
    const pull = workload({
      deployment: notReady,
      pods: [pod(POD, { containers: [container({ ready: false, state: 'waiting', reason: 'ErrImagePull' })] })],
    });
    expect(workloadVerdict(pull, 500).state).toBe('failed');
    const crash = workload({
      deployment: notReady,
      pods: [
        pod(POD, {
          containers: [
            container({ ready: false, state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 2, lastTermination: { exitCode: 1 } }),
          ],
        }),
      ],
    });
    expect(workloadVerdict(crash, 500).state).toBe('failed');
  });
  it('gives mount and scheduling problems the grace period', () => {
    const mount = workload({ deployment: notReady, pods: [pending()], events: [event('FailedMount', MOUNT_TOKEN)] });
    const early = workloadVerdict(mount, 10_000);
    expect(early.state).toBe('waiting');
    expect(early.state !== 'ready' && early.findings[0]!.category).toBe('token-secret-missing');
    expect(workloadVerdict(mount, 61_000).state).toBe('failed');
    const sched = workload({
      deployment: notReady,
      pods: [pending({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SCHEDULING }] })],
    });
    expect(workloadVerdict(sched, 10_000).state).toBe('waiting');
    expect(workloadVerdict(sched, 60_000).state).toBe('failed');
  });
  it('waits while pods start', () => {
    expect(workloadVerdict(workload({ deployment: notReady, pods: [pending()] }), 5_000)).toMatchObject({
      state: 'waiting',
      progress: '0/2 pods ready',
    });
  });
});
