import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnosis/catalogue.js';
import type { ClusterReadings, FluxReadings } from '../../../src/core/flows/troubleshoot/readings.js';
import {
  agentEvents,
  eventEvidence,
  fluxEvidence,
  gitlabEvidence,
  podEvidence,
  toEvidence,
  workloadEvidence,
} from '../../../src/core/flows/troubleshoot/to-evidence.js';
import type { KubeObject } from '../../../src/core/ports/kube/index.js';

const NOW = '2026-03-01T12:00:00Z';
const LONG_AGO = '2026-03-01T11:00:00Z';

/** The Deployment as the gitlab-agent chart renders it and the API server returns it. */
function chartDeployment(over: { secretName?: string; ready?: number; args?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'prod-gitlab-agent-v2',
      namespace: 'gitlab-agent-prod',
      generation: 3,
      labels: { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': 'prod' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': 'prod' } },
      template: {
        spec: {
          serviceAccountName: 'prod-gitlab-agent',
          containers: [
            {
              name: 'agent',
              image: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0',
              args: over.args ?? [
                '--token-file=/etc/agentk/secrets/token',
                '--kas-address',
                'wss://gitlab.example.com/-/kubernetes-agent/',
              ],
              env: [
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'HTTPS_PROXY', valueFrom: { secretKeyRef: { name: 'proxy', key: 'https-proxy' } } },
                { name: 'NO_PROXY', value: '.svc' },
              ],
              volumeMounts: [{ name: 'token-volume', mountPath: '/etc/agentk/secrets' }],
            },
          ],
          volumes: [{ name: 'token-volume', secret: { secretName: over.secretName ?? 'prod-agent-token' } }],
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: over.ready ?? 0,
      availableReplicas: over.ready ?? 0,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
      ],
    },
  };
}

function pendingPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'gitlab-agent-prod', creationTimestamp: LONG_AGO },
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [agent]' },
      ],
      containerStatuses: [
        {
          name: 'agent',
          image: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

function event(
  over: Partial<{ type: string; reason: string; message: string; kind: string; name: string; count: number; lastTimestamp: string }>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e-${Math.random()}`, namespace: 'gitlab-agent-prod', creationTimestamp: LONG_AGO },
    type: over.type ?? 'Warning',
    reason: over.reason ?? 'FailedMount',
    message: over.message ?? 'MountVolume.SetUp failed for volume "token-volume" : secret "prod-agent-token" not found',
    involvedObject: { kind: over.kind ?? 'Pod', name: over.name ?? 'prod-gitlab-agent-v2-7d9f8-abcde', namespace: 'gitlab-agent-prod' },
    count: over.count ?? 12,
    lastTimestamp: over.lastTimestamp ?? '2026-03-01T11:59:00Z',
  };
}

const missingSecret = (): ClusterReadings => ({
  namespace: 'gitlab-agent-prod',
  release: {
    name: 'prod',
    namespace: 'gitlab-agent-prod',
    revision: 1,
    status: 'deployed',
    chart: 'gitlab-agent-2.32.0',
    appVersion: 'v18.6.0',
  },
  deployment: chartDeployment(),
  pods: [pendingPod('prod-gitlab-agent-v2-7d9f8-abcde'), pendingPod('prod-gitlab-agent-v2-7d9f8-fghij')],
  events: [
    event({}),
    event({ type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned' }),
    event({ name: 'other-app-1234', reason: 'BackOff', message: 'unrelated' }),
  ],
  tokenSecret: null,
  logs: [],
});

describe('cluster readings → workload evidence', () => {
  it('reads the Deployment spec: agentk args, env (valueFrom named, never resolved), the token volume with its mount path', () => {
    const w = workloadEvidence(missingSecret())!;
    const d = w.deployment!;
    expect(d).toMatchObject({
      name: 'prod-gitlab-agent-v2',
      generation: 3,
      observedGeneration: 3,
      replicas: 2,
      readyReplicas: 0,
      updatedReplicas: 2,
      statusReplicas: 2,
      serviceAccountName: 'prod-gitlab-agent',
    });
    expect(d.containers[0]!.args).toEqual([
      '--token-file=/etc/agentk/secrets/token',
      '--kas-address',
      'wss://gitlab.example.com/-/kubernetes-agent/',
    ]);
    expect(d.containers[0]!.env).toEqual([
      { name: 'POD_NAMESPACE', valueFrom: 'fieldRef metadata.namespace' },
      { name: 'HTTPS_PROXY', valueFrom: 'secretKeyRef proxy/https-proxy' },
      { name: 'NO_PROXY', value: '.svc' },
    ]);
    expect(d.volumes).toEqual([{ name: 'token-volume', secretName: 'prod-agent-token', mountPath: '/etc/agentk/secrets' }]);
    expect(d.conditions[0]).toEqual({
      type: 'Available',
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    expect(w.tokenSecret).toBeNull();
    expect(w.release).toMatchObject({ name: 'prod', revision: 1, status: 'deployed' });
  });

  it('keeps only Warning events about the Deployment, its ReplicaSets and pods', () => {
    const events = missingSecret().events!.map(eventEvidence);
    expect(events[0]).toEqual({
      type: 'Warning',
      reason: 'FailedMount',
      message: expect.stringContaining('secret "prod-agent-token" not found'),
      kind: 'Pod',
      name: 'prod-gitlab-agent-v2-7d9f8-abcde',
      count: 12,
      lastSeen: '2026-03-01T11:59:00Z',
    });
    const kept = agentEvents(
      [
        ...events,
        eventEvidence(event({ kind: 'ReplicaSet', name: 'prod-gitlab-agent-v2-7d9f8', reason: 'FailedCreate', message: 'forbidden' })),
      ],
      'prod-gitlab-agent-v2',
      [],
    );
    expect(kept.map((e) => `${e.kind}/${e.reason}`)).toEqual(['Pod/FailedMount', 'ReplicaSet/FailedCreate']);
    // events.k8s.io series counts win over the deprecated count
    expect(eventEvidence({ ...event({}), series: { count: 40, lastObservedTime: '2026-03-01T11:58:00Z' } }).count).toBe(40);
  });

  it('reads container states: waiting reason, restarts and the last termination of a crash loop', () => {
    const pod = podEvidence({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: LONG_AGO, deletionTimestamp: NOW },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'agent',
            image: 'agentk:v18.6.0',
            ready: false,
            restartCount: 7,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=agent' } },
            lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: NOW } },
          },
        ],
      },
    });
    expect(pod).toEqual({
      name: 'p',
      phase: 'Running',
      createdAt: LONG_AGO,
      deleting: true,
      conditions: [],
      containers: [
        {
          name: 'agent',
          image: 'agentk:v18.6.0',
          ready: false,
          restartCount: 7,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: 'back-off 5m0s restarting failed container=agent',
          lastTermination: { reason: 'Error', exitCode: 1, finishedAt: NOW },
        },
      ],
    });
    const running = podEvidence({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'q' },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'agent', image: 'i', ready: true, restartCount: 0, state: { running: { startedAt: NOW } } }],
      },
    });
    expect(running.containers[0]).toMatchObject({ state: 'running', ready: true });
  });

  it('the Secret: only whether key token exists and its token-id annotation, never a value', () => {
    const w = workloadEvidence({
      ...missingSecret(),
      tokenSecret: { namespace: 'gitlab-agent-prod', name: 'prod-agent-token', tokenId: 32, managedByUs: true, hasTokenKey: true },
    })!;
    expect(w.tokenSecret).toEqual({ name: 'prod-agent-token', keys: ['token'], annotations: { 'gitlab.com/agent-token-id': '32' } });
    const noKey = workloadEvidence({
      ...missingSecret(),
      tokenSecret: { namespace: 'gitlab-agent-prod', name: 'prod-agent-token', managedByUs: false, hasTokenKey: false },
    })!;
    expect(noKey.tokenSecret).toEqual({ name: 'prod-agent-token', keys: [], annotations: {} });
  });

  it('not read stays undefined (checks skip); looked-and-absent is null', () => {
    expect(workloadEvidence({ namespace: 'x' })).toBeUndefined();
    const w = workloadEvidence({ namespace: 'x', deployment: null })!;
    expect(w.deployment).toBeNull();
    expect('tokenSecret' in w).toBe(false);
    expect('release' in w).toBe(false);
  });

  it('helm history gives the failed revision its description and the last good revision for a rollback', () => {
    const w = workloadEvidence({
      ...missingSecret(),
      release: {
        name: 'prod',
        namespace: 'gitlab-agent-prod',
        revision: 3,
        status: 'failed',
        chart: 'gitlab-agent-2.32.0',
        appVersion: 'v18.6.0',
      },
      history: [
        {
          revision: 1,
          status: 'superseded',
          chart: 'gitlab-agent-2.31.0',
          appVersion: 'v18.5.0',
          updated: '',
          description: 'Install complete',
        },
        {
          revision: 2,
          status: 'superseded',
          chart: 'gitlab-agent-2.32.0',
          appVersion: 'v18.6.0',
          updated: '',
          description: 'Upgrade complete',
        },
        {
          revision: 3,
          status: 'failed',
          chart: 'gitlab-agent-2.32.0',
          appVersion: 'v18.6.0',
          updated: '',
          description: 'Upgrade "prod" failed: context deadline exceeded',
        },
      ],
    })!;
    expect(w.release).toMatchObject({
      revision: 3,
      status: 'failed',
      description: 'Upgrade "prod" failed: context deadline exceeded',
      lastGoodRevision: 2,
    });
  });
});

describe('the mapped evidence diagnosed', () => {
  it('a missing token Secret is the root cause: token-secret-missing, exit-worthy', () => {
    const e = toEvidence(NOW, { namespace: 'gitlab-agent-prod', release: 'prod' }, missingSecret(), undefined);
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'WL-SECRET-MISSING', category: 'token-secret-missing' });
    expect(e.gitlab).toBeUndefined();
    expect(d.findings.find((f) => f.id === 'GL-REACH')?.status).toBe('skip');
  });

  it('a healthy install has no root cause', () => {
    const ready = chartDeployment({ ready: 2 });
    (ready['status'] as Record<string, unknown>)['conditions'] = [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ];
    const running = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, creationTimestamp: LONG_AGO },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'agent', image: 'agentk:v18.6.0', ready: true, restartCount: 0, state: { running: { startedAt: LONG_AGO } } },
        ],
      },
    });
    const readings: ClusterReadings = {
      ...missingSecret(),
      deployment: ready,
      pods: [running('prod-gitlab-agent-v2-7d9f8-abcde'), running('prod-gitlab-agent-v2-7d9f8-fghij')],
      events: [],
      tokenSecret: { namespace: 'gitlab-agent-prod', name: 'prod-agent-token', tokenId: 32, managedByUs: true, hasTokenKey: true },
      logs: [
        {
          pod: 'prod-gitlab-agent-v2-7d9f8-abcde',
          container: 'agent',
          previous: false,
          lines: [
            '{"level":"info","time":"2026-03-01T11:00:00Z","msg":"Feature status change","feature_name":"tunnel","feature_status":true}',
          ],
        },
      ],
    };
    const d = diagnose(toEvidence(NOW, { namespace: 'gitlab-agent-prod', release: 'prod' }, readings, undefined));
    expect(d.rootCause).toBeNull();
    expect(d.category).toBe('healthy');
  });
});

describe('Flux objects → flux evidence', () => {
  const hr: KubeObject = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'gitlab-agent', namespace: 'flux-system', generation: 2 },
    spec: {
      chart: { spec: { chart: 'gitlab-agent', version: '2.x', sourceRef: { kind: 'HelmRepository', name: 'gitlab' } } },
      targetNamespace: 'gitlab-agent-prod',
      releaseName: 'prod',
    },
    status: {
      observedGeneration: 2,
      failures: 3,
      installFailures: 1,
      helmChart: 'flux-system/flux-system-gitlab-agent',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'InstallFailed',
          message: 'Helm install failed for release gitlab-agent-prod/prod with chart gitlab-agent@2.32.0: context deadline exceeded',
          observedGeneration: 2,
        },
      ],
    },
  };
  const ks: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: 'flux-system', generation: 1 },
    spec: { path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: {
      observedGeneration: 1,
      inventory: { entries: [{ id: 'flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease', v: 'v2' }] },
      lastAppliedRevision: 'main@sha1:abc',
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }],
    },
  };
  const flux = (over: Partial<FluxReadings> = {}): FluxReadings => ({
    served: { source: ['v1'], kustomize: ['v1'], helm: ['v2'] },
    controllers: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'helm-controller' },
        spec: { template: { spec: { containers: [{ image: 'ghcr.io/fluxcd/helm-controller:v1.4.0' }] } } },
        status: { readyReplicas: 1 },
      },
    ],
    gitRepositories: [],
    kustomizations: [ks],
    helmRepositories: [],
    helmCharts: [],
    ociRepositories: [],
    buckets: [],
    helmReleases: [hr],
    managed: true,
    expectedHelmRelease: { name: 'gitlab-agent', namespace: 'flux-system' },
    ...over,
  });

  it('reads conditions, generations, inventory and failure counters', () => {
    const f = fluxEvidence(flux());
    expect(f.installed).toBe(true);
    expect(f.controllers).toEqual([{ name: 'helm-controller', ready: true, image: 'ghcr.io/fluxcd/helm-controller:v1.4.0' }]);
    expect(f.kustomizations[0]).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      name: 'flux-system',
      namespace: 'flux-system',
      generation: 1,
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }],
      path: './clusters/prod',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      inventory: ['flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease'],
      lastAppliedRevision: 'main@sha1:abc',
    });
    expect(f.helmReleases[0]).toMatchObject({
      name: 'gitlab-agent',
      chart: 'gitlab-agent',
      version: '2.x',
      targetNamespace: 'gitlab-agent-prod',
      releaseName: 'prod',
      failures: 3,
      installFailures: 1,
      helmChart: 'flux-system/flux-system-gitlab-agent',
    });
    expect(f.helmReleases[0]!.conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'InstallFailed',
      observedGeneration: 2,
    });
  });

  it('CRDs not served: Flux is not installed; a failing HelmRelease is diagnosed', () => {
    expect(fluxEvidence(flux({ served: { source: [], kustomize: [], helm: [] }, kustomizations: [], helmReleases: [] })).installed).toBe(
      false,
    );
    const d = diagnose(
      toEvidence(NOW, { namespace: 'gitlab-agent-prod', release: 'prod' }, { namespace: 'gitlab-agent-prod', flux: flux() }, undefined),
    );
    expect(d.findings.some((f) => f.category === 'flux-helmrelease-failed' && f.status === 'fail')).toBe(true);
  });
});

describe('GitLab answers → gitlab evidence', () => {
  const metadata = {
    version: '18.6.1-ee',
    kas: { enabled: true, externalUrl: 'wss://gitlab.example.com/-/kubernetes-agent/', version: '18.6.1' },
  };
  const project = {
    id: 42,
    pathWithNamespace: 'group/infra',
    name: 'infra',
    webUrl: 'https://gitlab.example.com/group/infra',
    defaultBranch: 'main',
  };

  it('unreachable: only the reach verdict, everything else skips', () => {
    expect(
      gitlabEvidence({
        url: 'https://gitlab.example.com',
        unreachable: { error: 'cannot reach https://gitlab.example.com: getaddrinfo ENOTFOUND' },
      }),
    ).toEqual({
      url: 'https://gitlab.example.com',
      reachable: { ok: false, error: 'cannot reach https://gitlab.example.com: getaddrinfo ENOTFOUND' },
    });
  });

  it('the agent by name in its project, the Secret token revoked (404), the config file absent', () => {
    const g = gitlabEvidence({
      url: 'https://gitlab.example.com',
      user: { state: 'valid' },
      metadata,
      agent: {
        projectPath: 'group/infra',
        name: 'prod',
        project,
        agents: [
          { id: 5, name: 'staging' },
          { id: 9, name: 'prod' },
        ],
      },
      agentToken: { tokenId: 32, token: null, active: [{ id: 33, name: 't', status: 'active' }] },
      configFile: { path: '.gitlab/agents/prod/config.yaml', ref: 'main', text: null },
    });
    expect(g.agent).toEqual({ projectPath: 'group/infra', projectFound: true, name: 'prod', id: 9 });
    expect(g.agentToken).toEqual({ tokenId: 32, state: 'revoked', activeTokens: 1 });
    expect(g.metadata).toEqual(metadata);
    const d = diagnose({ observedAt: NOW, context: { namespace: 'n' }, gitlab: g });
    expect(d.rootCause?.category).toBe('agent-token-revoked');
  });

  it('an agent missing from its project, or a project not found; GitLab before 15.2 says nothing of KAS', () => {
    expect(
      gitlabEvidence({ url: 'u', user: { state: 'valid' }, agent: { projectPath: 'group/infra', name: 'prod', project, agents: [] } }).agent
        ?.id,
    ).toBeNull();
    expect(
      gitlabEvidence({ url: 'u', user: { state: 'valid' }, agent: { projectPath: 'group/gone', name: 'prod', project: null } }).agent,
    ).toEqual({ projectPath: 'group/gone', projectFound: false, name: 'prod', id: null });
    expect(gitlabEvidence({ url: 'u', user: { state: 'valid' }, metadata: { ...metadata, reportsKas: false } }).metadata).toBeUndefined();
  });
});
