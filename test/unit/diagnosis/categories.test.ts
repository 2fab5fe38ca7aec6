import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnosis/catalogue.js';
import type { Evidence } from '../../../src/core/diagnosis/evidence.js';
import { CATEGORIES, isCategory, type Category } from '../../../src/core/diagnosis/finding.js';
import { LOG_CATEGORIES } from '../../../src/core/diagnosis/rules/agentk-logs.js';
import { agentk, container, deployment, event, evidence, flux, gitlab, logs, minutesAgo, pod, workload } from './builders.js';

/**
 * The vocabulary table: every category with an install that produces it through the real catalogue.
 * Typed as Record<Category, …>, so a category added to finding.ts without a producing scenario does not compile.
 */
const base = (over: Partial<Evidence> = {}) => evidence({ gitlab: gitlab(), workload: workload(), ...over });
const withLog = (line: string, previous = false) => base({ logs: logs([line], previous) });
const ws = (inner: string) =>
  agentk({
    msg: 'Reverse tunnel',
    mod_name: 'reverse_tunnel',
    error: `Connect(): rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing failed to WebSocket dial: ${inner}"`,
  });
const notReady = (reason: string, message: string) => [{ type: 'Ready', status: 'False', reason, message, observedGeneration: 1 }];
const withFlux = (mutate: (f: ReturnType<typeof flux>) => void) => {
  const f = flux();
  mutate(f);
  return base({ flux: f });
};
const withPods = (over: Parameters<typeof workload>[0]) =>
  base({ workload: workload({ deployment: deployment({ readyReplicas: 0, availableReplicas: 0 }), ...over }) });
const waiting = (reason: string, extra = {}) => [
  pod('p', { phase: 'Pending', containers: [container({ ready: false, state: 'waiting', reason, ...extra })] }),
];

const PRODUCERS: Record<Category, () => Evidence> = {
  healthy: () => base(),
  'not-checked': () =>
    base({ gitlab: gitlab({ reachable: { ok: false, error: 'getaddrinfo ENOTFOUND gitlab.example.com', code: 'ENOTFOUND' } }) }),
  'gitlab-unreachable': () =>
    base({ gitlab: gitlab({ reachable: { ok: false, error: 'connect ETIMEDOUT 203.0.113.1:443', code: 'ETIMEDOUT' } }) }),
  'gitlab-token-invalid': () =>
    base({
      gitlab: gitlab({ token: { state: 'expired', message: 'Token is expired. You can either do re-authorization or token refresh.' } }),
    }),
  'gitlab-token-scope': () => base({ gitlab: gitlab({ token: { state: 'insufficient-scope' } }) }),
  'agent-not-registered': () =>
    base({ gitlab: gitlab({ agent: { projectPath: 'group/infra', projectFound: true, name: 'prod', id: null } }) }),
  'agent-token-revoked': () => base({ gitlab: gitlab({ agentToken: { tokenId: 77, state: 'revoked' } }) }),
  'kas-disabled': () =>
    base({ gitlab: gitlab({ metadata: { version: '18.6.1-ee', kas: { enabled: false, externalUrl: null, version: null } } }) }),
  'agent-config-invalid': () =>
    base({
      gitlab: gitlab({ configFile: { path: '.gitlab/agents/prod/config.yaml', ref: 'main', text: 'gitops:\n  manifest_projects: []\n' } }),
    }),
  'flux-not-installed': () => base({ flux: flux({ installed: false }) }),
  'flux-source-failed': () =>
    withFlux(
      (f) =>
        (f.gitRepositories[0]!.conditions = notReady(
          'GitOperationFailed',
          "failed to checkout and determine revision: unable to clone 'ssh://git@gitlab.example.com/group/infra': EOF",
        )),
    ),
  'flux-path-mismatch': () => base({ flux: flux({ helmReleases: [] }) }),
  'flux-root-without-kustomization': () =>
    withFlux(
      (f) =>
        (f.kustomizations[0]!.conditions = notReady(
          'BuildFailed',
          'failed to decode Kubernetes YAML from /tmp/kustomization-1/.gitlab/agents/prod/config.yaml: missing Resource metadata <nil>',
        )),
    ),
  'flux-kustomization-failed': () =>
    withFlux(
      (f) =>
        (f.kustomizations[0]!.conditions = notReady(
          'ReconciliationFailed',
          'HelmRelease/flux-system/gitlab-agent dry-run failed: no matches for kind "HelmRelease" in version "helm.toolkit.fluxcd.io/v2beta1"',
        )),
    ),
  'flux-helmrelease-failed': () =>
    withFlux(
      (f) =>
        (f.helmReleases[0]!.conditions = notReady(
          'UpgradeFailed',
          'Helm upgrade failed for release gitlab-agent/gitlab-agent with chart gitlab-agent@2.34.0: field is immutable',
        )),
    ),
  'flux-suspended': () => withFlux((f) => (f.helmReleases[0]!.suspend = true)),
  'release-failed': () =>
    base({
      workload: workload({
        release: { name: 'gitlab-agent', namespace: 'gitlab-agent', revision: 3, status: 'pending-upgrade', lastGoodRevision: 2 },
      }),
    }),
  'token-secret-missing': () => base({ workload: workload({ tokenSecret: null }) }),
  'image-pull': () =>
    withPods({
      pods: waiting('ErrImagePull', { message: 'rpc error: code = NotFound desc = failed to pull and unpack image: not found' }),
    }),
  'crash-loop': () => withPods({ pods: waiting('CrashLoopBackOff', { restartCount: 5, lastTermination: { exitCode: 2 } }) }),
  'oom-killed': () =>
    withPods({ pods: waiting('CrashLoopBackOff', { restartCount: 5, lastTermination: { reason: 'OOMKilled', exitCode: 137 } }) }),
  unschedulable: () =>
    withPods({
      pods: [
        pod('p', {
          phase: 'Pending',
          createdAt: minutesAgo(5),
          conditions: [
            { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' },
          ],
          containers: [],
        }),
      ],
    }),
  'pod-security-rejected': () =>
    withPods({
      pods: [],
      events: [
        event(
          'FailedCreate',
          'Error creating: pods "x" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (volume "host")',
          { kind: 'ReplicaSet', name: 'rs' },
        ),
      ],
    }),
  'pod-create-rejected': () =>
    withPods({
      pods: [],
      events: [
        event(
          'FailedCreate',
          'Error creating: admission webhook "validation.gatekeeper.sh" denied the request: [k8srequiredlabels] you must provide labels: {"team"}',
          { kind: 'ReplicaSet', name: 'rs' },
        ),
      ],
    }),
  'container-config-error': () => withPods({ pods: waiting('CreateContainerConfigError', { message: 'secret "proxy" not found' }) }),
  'rollout-stalled': () =>
    base({
      workload: workload({
        deployment: deployment({ replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, statusReplicas: 0 }),
      }),
    }),
  'agent-args-invalid': () => withLog('Error: unknown flag: --ca-cert-file'),
  'agent-rbac-insufficient': () =>
    withLog(
      'E0520 09:58:12.345678       1 reflector.go:539] failed to list *v1.Secret: secrets is forbidden: User "system:serviceaccount:gitlab-agent:gitlab-agent" cannot list resource "secrets" in API group "" at the cluster scope',
    ),
  'kas-dns': () =>
    base({
      gitlab: gitlab({ agentToken: { tokenId: 77, state: 'active', lastUsedAt: null } }),
      logs: logs([
        ws(
          'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": dial tcp: lookup gitlab.example.com on 10.96.0.10:53: no such host',
        ),
      ]),
    }),
  'kas-refused': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": dial tcp 203.0.113.10:443: connect: connection refused',
      ),
    ),
  'kas-timeout': () =>
    withLog(
      ws('failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": dial tcp 203.0.113.10:443: i/o timeout'),
    ),
  'kas-redirect': () => withLog(ws('expected handshake response status code 101 but got 301')),
  'kas-scheme-mismatch': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": http: server gave HTTP response to HTTPS client',
      ),
    ),
  'kas-address-mismatch': () => base({ workload: workload({ deployment: deployment({}, ['--kas-address=wss://kas.internal.example/']) }) }),
  'kas-tls-untrusted-ca': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": x509: certificate signed by unknown authority',
      ),
    ),
  'kas-tls-name-mismatch': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": x509: certificate is valid for ingress.local, not gitlab.example.com',
      ),
    ),
  'kas-tls-expired': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": x509: certificate has expired or is not yet valid: current time 2026-05-20T09:59:00Z is after 2026-05-01T00:00:00Z',
      ),
    ),
  'proxy-error': () =>
    withLog(
      ws(
        'failed to send handshake request: Get "https://gitlab.example.com/-/kubernetes-agent/": proxyconnect tcp: dial tcp 10.0.0.9:3128: i/o timeout',
      ),
    ),
  'websocket-blocked': () => withLog(ws('expected handshake response status code 101 but got 426')),
  'token-rejected': () =>
    withLog(agentk({ msg: 'Reverse tunnel', error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated' })),
  'version-skew': () =>
    withLog(
      agentk({
        level: 'warn',
        msg: 'GetConfiguration.Recv failed',
        error: 'rpc error: code = Unimplemented desc = grpc: Decompressor is not installed for grpc-encoding "gzip"',
      }),
    ),
  'kas-unavailable': () =>
    withLog(agentk({ level: 'warn', msg: 'GetConfiguration.Recv failed', error: 'rpc error: code = Unavailable desc = unavailable' })),
  'not-the-agent': () =>
    withLog(
      agentk({
        level: 'warn',
        msg: 'Proxied request failed',
        error: 'pods is forbidden: User "gitlab:user:alice" cannot list resource "pods" in API group "" in the namespace "default"',
      }),
    ),
};

describe('the category vocabulary', () => {
  it("keeps the issue's 35 categories, in order, never renamed", () => {
    expect(CATEGORIES.slice(0, 35)).toEqual([
      'healthy',
      'gitlab-unreachable',
      'gitlab-token-invalid',
      'gitlab-token-scope',
      'agent-not-registered',
      'agent-token-revoked',
      'kas-disabled',
      'agent-config-invalid',
      'flux-not-installed',
      'flux-source-failed',
      'flux-path-mismatch',
      'flux-root-without-kustomization',
      'flux-helmrelease-failed',
      'release-failed',
      'token-secret-missing',
      'image-pull',
      'crash-loop',
      'oom-killed',
      'unschedulable',
      'pod-security-rejected',
      'agent-rbac-insufficient',
      'kas-dns',
      'kas-refused',
      'kas-timeout',
      'kas-redirect',
      'kas-scheme-mismatch',
      'kas-tls-untrusted-ca',
      'kas-tls-name-mismatch',
      'kas-tls-expired',
      'proxy-error',
      'websocket-blocked',
      'token-rejected',
      'version-skew',
      'kas-unavailable',
      'not-the-agent',
    ]);
    expect(new Set(CATEGORIES).size).toBe(CATEGORIES.length);
    expect(isCategory('kas-dns')).toBe(true);
    expect(isCategory('kas-dnss')).toBe(false);
  });

  it.each(CATEGORIES.map((c) => [c]))('%s is produced by a rule', (category) => {
    const d = diagnose(PRODUCERS[category]());
    expect(d.findings.map((f) => f.category)).toContain(category);
  });

  it('documents every category in the table at the top of finding.ts', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../src/core/diagnosis/finding.ts', import.meta.url), 'utf8');
    for (const c of CATEGORIES) expect(doc).toContain(`| \`${c}\` |`);
  });

  it('lets the agentk log classifier name only categories of the vocabulary', () => {
    for (const c of LOG_CATEGORIES) expect(isCategory(c)).toBe(true);
  });

  it('finds a healthy Flux-managed install healthy too', () => {
    const d = diagnose(base({ flux: flux(), logs: logs([agentk({ level: 'info', msg: 'Starting' })]) }));
    expect(d.findings.filter((f) => f.status !== 'ok' && f.status !== 'skip')).toEqual([]);
    expect(d.category).toBe('healthy');
  });
});
