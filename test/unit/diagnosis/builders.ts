/** Realistic evidence for the diagnosis tests: the real chart's shapes (real-chart.md), GitLab's API answers. */
import type {
  ContainerStatusEvidence,
  DeploymentEvidence,
  EventEvidence,
  Evidence,
  FluxEvidence,
  GitLabEvidence,
  PodEvidence,
  WorkloadEvidence,
} from '../../../src/core/diagnosis/evidence.js';
import type { Check } from '../../../src/core/diagnosis/check.js';
import type { Finding } from '../../../src/core/diagnosis/finding.js';

export const NOW = '2026-05-20T10:00:00.000Z';
export const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

export const KAS = 'wss://gitlab.example.com/-/kubernetes-agent/';
export const IMAGE = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0';

export function deployment(over: Partial<DeploymentEvidence> = {}, args?: string[]): DeploymentEvidence {
  return {
    name: 'gitlab-agent-v2',
    generation: 3,
    observedGeneration: 3,
    replicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    updatedReplicas: 2,
    statusReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: 'ReplicaSet "gitlab-agent-v2-7c9d8f6b5d" has successfully progressed.',
      },
    ],
    serviceAccountName: 'gitlab-agent',
    containers: [
      {
        name: 'gitlab-agent',
        image: IMAGE,
        args: args ?? ['--token-file=/etc/agentk/secrets/token', `--kas-address=${KAS}`],
        env: [
          { name: 'POD_NAMESPACE', valueFrom: 'fieldRef metadata.namespace' },
          { name: 'POD_NAME', valueFrom: 'fieldRef metadata.name' },
        ],
      },
    ],
    volumes: [{ name: 'secret-volume', secretName: 'gitlab-agent-token', mountPath: '/etc/agentk/secrets' }],
    ...over,
  };
}

export function container(over: Partial<ContainerStatusEvidence> = {}): ContainerStatusEvidence {
  return { name: 'gitlab-agent', image: IMAGE, ready: true, restartCount: 0, state: 'running', ...over };
}

export function pod(name: string, over: Partial<PodEvidence> = {}): PodEvidence {
  return {
    name,
    phase: 'Running',
    createdAt: minutesAgo(30),
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containers: [container()],
    ...over,
  };
}

export function event(reason: string, message: string, over: Partial<EventEvidence> = {}): EventEvidence {
  return { type: 'Warning', reason, message, kind: 'Pod', name: 'gitlab-agent-v2-7c9d8f6b5d-abcde', count: 3, ...over };
}

export function workload(over: Partial<WorkloadEvidence> = {}): WorkloadEvidence {
  return {
    namespace: 'gitlab-agent',
    release: {
      name: 'gitlab-agent',
      namespace: 'gitlab-agent',
      revision: 2,
      status: 'deployed',
      chart: 'gitlab-agent-2.34.0',
      appVersion: 'v19.6.0',
    },
    deployment: deployment(),
    tokenSecret: { name: 'gitlab-agent-token', keys: ['token'], annotations: { 'gitlab.com/agent-token-id': '77' } },
    pods: [pod('gitlab-agent-v2-7c9d8f6b5d-abcde'), pod('gitlab-agent-v2-7c9d8f6b5d-fghij')],
    events: [],
    kubernetesServiceIp: '10.96.0.1',
    ...over,
  };
}

export function gitlab(over: Partial<GitLabEvidence> = {}): GitLabEvidence {
  return {
    url: 'https://gitlab.example.com',
    reachable: { ok: true },
    token: { state: 'valid', scopes: ['api'] },
    metadata: {
      version: '18.6.1-ee',
      kas: {
        enabled: true,
        externalUrl: KAS,
        externalK8sProxyUrl: 'https://gitlab.example.com/-/kubernetes-agent/k8s-proxy/',
        version: '18.6.1',
      },
    },
    agent: { projectPath: 'group/infra', projectFound: true, name: 'prod', id: 42 },
    agentToken: { tokenId: 77, state: 'active', lastUsedAt: minutesAgo(2), activeTokens: 1 },
    configFile: {
      path: '.gitlab/agents/prod/config.yaml',
      ref: 'main',
      text: 'user_access:\n  access_as:\n    agent: {}\n  projects:\n    - id: group/infra\n',
    },
    ...over,
  };
}

export function flux(over: Partial<FluxEvidence> = {}): FluxEvidence {
  return {
    installed: true,
    managed: true,
    controllers: [
      { name: 'source-controller', ready: true },
      { name: 'kustomize-controller', ready: true },
      { name: 'helm-controller', ready: true },
    ],
    gitRepositories: [
      {
        name: 'flux-system',
        namespace: 'flux-system',
        generation: 1,
        observedGeneration: 1,
        url: 'ssh://git@gitlab.example.com/group/infra',
        ref: { branch: 'main' },
        artifactRevision: 'main@sha1:c76fa2a1176de2c33ecf842ccef8608632b5b474',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Succeeded',
            message: "stored artifact for revision 'main@sha1:c76fa2a1176de2c33ecf842ccef8608632b5b474'",
            observedGeneration: 1,
          },
        ],
      },
    ],
    kustomizations: [
      {
        name: 'flux-system',
        namespace: 'flux-system',
        generation: 1,
        observedGeneration: 1,
        path: './clusters/prod',
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        inventory: [
          'flux-system_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease',
          'flux-system_gitlab_source.toolkit.fluxcd.io_HelmRepository',
        ],
        lastAppliedRevision: 'main@sha1:c76fa2a1176de2c33ecf842ccef8608632b5b474',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message: 'Applied revision: main@sha1:c76fa2a1176de2c33ecf842ccef8608632b5b474',
            observedGeneration: 1,
          },
        ],
      },
    ],
    helmRepositories: [
      {
        name: 'gitlab',
        namespace: 'flux-system',
        generation: 1,
        observedGeneration: 1,
        url: 'https://charts.gitlab.io',
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Succeeded', message: "stored artifact: revision 'sha256:3f1…'", observedGeneration: 1 },
        ],
      },
    ],
    helmCharts: [
      {
        name: 'flux-system-gitlab-agent',
        namespace: 'flux-system',
        generation: 1,
        observedGeneration: 1,
        chart: 'gitlab-agent',
        sourceRef: { kind: 'HelmRepository', name: 'gitlab' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ChartPullSucceeded',
            message: "pulled 'gitlab-agent' chart with version '2.34.0'",
            observedGeneration: 1,
          },
        ],
      },
    ],
    ociRepositories: [],
    buckets: [],
    helmReleases: [
      {
        name: 'gitlab-agent',
        namespace: 'flux-system',
        generation: 1,
        observedGeneration: 1,
        chart: 'gitlab-agent',
        targetNamespace: 'gitlab-agent',
        releaseName: 'gitlab-agent',
        helmChart: 'flux-system/flux-system-gitlab-agent',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'InstallSucceeded',
            message: 'Helm install succeeded for release gitlab-agent/gitlab-agent.v1 with chart gitlab-agent@2.34.0',
            observedGeneration: 1,
          },
          {
            type: 'Released',
            status: 'True',
            reason: 'InstallSucceeded',
            message: 'Helm install succeeded for release gitlab-agent/gitlab-agent.v1 with chart gitlab-agent@2.34.0',
            observedGeneration: 1,
          },
        ],
      },
    ],
    expectedHelmRelease: { name: 'gitlab-agent', namespace: 'flux-system' },
    ...over,
  };
}

export function evidence(over: Partial<Evidence> = {}): Evidence {
  return {
    observedAt: NOW,
    context: {
      namespace: 'gitlab-agent',
      release: 'gitlab-agent',
      agentName: 'prod',
      projectPath: 'group/infra',
      gitlabUrl: 'https://gitlab.example.com',
      kubeContext: 'prod-eu',
    },
    ...over,
  };
}

/** One JSON line exactly as agentk (zap) prints it. */
export function agentk(fields: {
  level?: string;
  time?: string;
  msg: string;
  mod_name?: string;
  error?: string;
  agent_id?: number;
}): string {
  const { level = 'error', time = minutesAgo(1), ...rest } = fields;
  return JSON.stringify({ level, time, ...rest });
}

export const logs = (lines: string[], previous = false, podName = 'gitlab-agent-v2-7c9d8f6b5d-abcde') => [
  { pod: podName, container: 'gitlab-agent', previous, lines },
];

export function run(check: Check, e: Evidence): Finding[] {
  return check.run(e);
}

export const statuses = (fs: Finding[]) => fs.map((f) => `${f.id}:${f.status}:${f.category}`);
