import { describe, expect, it } from 'vitest';
import { causalChain, rootCause, runChecks, summarize, type Check } from '../../../src/core/diagnosis/check.js';
import { CATALOGUE, diagnose } from '../../../src/core/diagnosis/catalogue.js';
import type { Evidence } from '../../../src/core/diagnosis/evidence.js';
import type { Finding, Layer, Status } from '../../../src/core/diagnosis/finding.js';
import { agentk, container, deployment, event, evidence, flux, gitlab, logs, minutesAgo, pod, workload } from './builders.js';

const f = (id: string, layer: Layer, status: Status, over: Partial<Finding> = {}): Finding => ({
  id,
  layer,
  status,
  category: status === 'ok' ? 'healthy' : 'crash-loop',
  title: id,
  evidence: [],
  cause: '',
  fix: '',
  docsUrl: '',
  ...over,
});
const check = (id: string, layer: Layer, out: Finding[] | (() => Finding[]), dependsOn: string[] = [], fatal = false): Check => ({
  id,
  layer,
  title: id,
  dependsOn,
  fatal,
  run: typeof out === 'function' ? out : () => out,
});
const E = evidence();

describe('runChecks', () => {
  it('skips what depends on a failed fatal check, transitively, naming that check', () => {
    const out = runChecks(
      [
        check('A', 'gitlab', [f('A-X', 'gitlab', 'fail')], [], true),
        check('B', 'gitlab', [f('B', 'gitlab', 'ok')], ['A']),
        check('C', 'connection', [f('C', 'connection', 'ok')], ['B']),
        check('D', 'workload', [f('D', 'workload', 'ok')]),
      ],
      E,
    );
    expect(out.map((x) => `${x.id}:${x.status}`)).toEqual(['A-X:fail', 'B:skip', 'D:ok', 'C:skip']);
    const c = out.find((x) => x.id === 'C')!;
    expect(c).toMatchObject({ category: 'not-checked', evidence: ['skipped: depends on A, which failed'] });
  });

  it('runs dependents of a non-fatal failure, and of a fatal check that only warned', () => {
    const out = runChecks(
      [
        check('A', 'gitlab', [f('A-X', 'gitlab', 'fail')]),
        check('B', 'gitlab', [f('B-W', 'gitlab', 'warn')], [], true),
        check('C', 'gitlab', [f('C', 'gitlab', 'ok')], ['A', 'B']),
      ],
      E,
    );
    expect(out.find((x) => x.id === 'C')!.status).toBe('ok');
  });

  it('runs dependencies first even when listed later, and rejects cycles', () => {
    const seen: string[] = [];
    runChecks([check('B', 'gitlab', () => (seen.push('B'), []), ['A']), check('A', 'gitlab', () => (seen.push('A'), []))], E);
    expect(seen).toEqual(['A', 'B']);
    expect(() => runChecks([check('X', 'gitlab', [], ['Y']), check('Y', 'gitlab', [], ['X'])], E)).toThrow(/cycle/);
  });

  it('turns a throwing check into a warning and an empty one into ok', () => {
    const out = runChecks(
      [
        check('T', 'flux', () => {
          throw new Error('boom');
        }),
        check('E', 'flux', []),
      ],
      E,
    );
    expect(out.map((x) => [x.id, x.status, x.category])).toEqual([
      ['T', 'warn', 'not-checked'],
      ['E', 'ok', 'healthy'],
    ]);
    expect(out[0]!.evidence).toEqual(['check error: boom']);
  });

  it('orders the chain by layer, then catalogue order, then fail > warn > ok', () => {
    const out = runChecks(
      [
        check('N', 'connection', [f('N-OK', 'connection', 'ok'), f('N-F', 'connection', 'fail')]),
        check('W', 'workload', [f('W-W', 'workload', 'warn'), f('W-F', 'workload', 'fail')]),
        check('G', 'gitlab', [f('G', 'gitlab', 'ok')]),
        check('L', 'connection', [f('L-RBAC', 'workload', 'fail')]),
      ],
      E,
    );
    expect(out.map((x) => x.id)).toEqual(['G', 'W-F', 'W-W', 'L-RBAC', 'N-F', 'N-OK']);
  });
});

describe('rootCause', () => {
  it('is the first failure in chain order that is not a symptom', () => {
    const chain = [
      f('FLX-HR', 'flux', 'fail', { symptom: true }),
      f('WL-ROLL', 'workload', 'fail', { symptom: true }),
      f('WL-SECRET', 'workload', 'fail'),
      f('AGK', 'connection', 'fail'),
    ];
    expect(rootCause(chain)!.id).toBe('WL-SECRET');
  });
  it('falls back to the first failure when all are symptoms, and is null without failures', () => {
    expect(rootCause([f('W', 'workload', 'warn'), f('S', 'workload', 'fail', { symptom: true })])!.id).toBe('S');
    expect(rootCause([f('W', 'workload', 'warn'), f('O', 'gitlab', 'ok')])).toBeNull();
  });
  it('orders by layer even when given unordered findings', () => {
    expect(rootCause([f('C', 'connection', 'fail'), f('G', 'gitlab', 'fail')])!.id).toBe('G');
  });
});

describe('summarize and causalChain', () => {
  it('says healthy without failures, not-the-agent when a check blames something else', () => {
    expect(summarize([f('A', 'gitlab', 'ok')])).toMatchObject({ rootCause: null, category: 'healthy' });
    expect(summarize([f('A', 'gitlab', 'ok'), f('B', 'workload', 'warn', { category: 'not-the-agent' })]).category).toBe('not-the-agent');
    expect(summarize([f('A', 'workload', 'fail', { category: 'image-pull' })])).toMatchObject({
      rootCause: { id: 'A', category: 'image-pull' },
      category: 'image-pull',
    });
  });
  it('puts the root cause first and drops ok/skip', () => {
    const chain = [
      f('H', 'flux', 'fail', { symptom: true }),
      f('O', 'gitlab', 'ok'),
      f('S', 'workload', 'fail'),
      f('W', 'connection', 'warn'),
    ];
    expect(causalChain(chain).map((x) => x.id)).toEqual(['S', 'H', 'W']);
  });
});

// ------------------------------------------------------------------ whole installs, through the catalogue

const healthyEvidence = (): Evidence =>
  evidence({
    gitlab: gitlab(),
    flux: flux({ managed: false }),
    workload: workload(),
    logs: logs([agentk({ level: 'info', msg: 'Starting', agent_id: 42 })]),
    local: {
      kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/',
      dns: { ok: true, addresses: ['203.0.113.10'] },
      tcp: { ok: true, address: '203.0.113.10:443' },
      tls: {
        systemCa: {
          ok: true,
          chain: [{ subject: 'CN=gitlab.example.com', issuer: "CN=R11,O=Let's Encrypt,C=US", notAfter: '2026-07-01T00:00:00Z' }],
          sans: ['DNS:gitlab.example.com'],
          alpn: 'h2',
        },
      },
      upgrade: { status: 101 },
    },
  });

describe('the catalogue on whole installs', () => {
  it('has unique check ids, known dependencies, and every layer', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATALOGUE) for (const d of c.dependsOn) expect(ids).toContain(d);
    expect(new Set(CATALOGUE.map((c) => c.layer))).toEqual(new Set(['gitlab', 'flux', 'workload', 'connection']));
  });

  it('finds a healthy install healthy', () => {
    const d = diagnose(healthyEvidence());
    expect(d.findings.filter((x) => x.status === 'fail' || x.status === 'warn')).toEqual([]);
    expect(d).toMatchObject({ rootCause: null, category: 'healthy' });
  });

  it('traces a missing Secret through FailedMount, the rollout deadline and the HelmRelease timeout to the Secret', () => {
    const e = healthyEvidence();
    e.flux = flux();
    e.flux.helmReleases[0]!.conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'InstallFailed',
        message: 'Helm install failed for release gitlab-agent/gitlab-agent with chart gitlab-agent@2.34.0: context deadline exceeded',
        observedGeneration: 1,
      },
    ];
    const d0 = deployment({ readyReplicas: 0, availableReplicas: 0 });
    d0.conditions = [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "gitlab-agent-v2-7c9d8f6b5d" has timed out progressing.',
      },
    ];
    e.workload = workload({
      release: {
        name: 'gitlab-agent',
        namespace: 'gitlab-agent',
        revision: 1,
        status: 'failed',
        description: 'Release "gitlab-agent" failed: context deadline exceeded',
      },
      deployment: d0,
      tokenSecret: null,
      pods: [
        pod('gitlab-agent-v2-7c9d8f6b5d-abcde', {
          phase: 'Pending',
          createdAt: minutesAgo(10),
          containers: [container({ ready: false, state: 'waiting', reason: 'ContainerCreating' })],
        }),
      ],
      events: [
        event('FailedMount', 'MountVolume.SetUp failed for volume "secret-volume" : secret "gitlab-agent-token" not found', { count: 14 }),
      ],
    });
    e.logs = [];
    e.local = undefined;
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'WL-SECRET-MISSING', category: 'token-secret-missing' });
    expect(causalChain(d.findings).map((x) => x.id)).toEqual([
      'WL-SECRET-MISSING',
      'FLX-HELMRELEASE-FAILED',
      'WL-RELEASE-FAILED',
      'WL-ROLLOUT-DEADLINE',
      'WL-PODS-MOUNT-TOKEN',
    ]);
  });

  it('blames the revoked token before the Unauthenticated log lines it causes', () => {
    const e = healthyEvidence();
    e.gitlab!.agentToken = { tokenId: 77, state: 'revoked' };
    e.logs = logs([
      agentk({
        msg: 'Reverse tunnel',
        mod_name: 'reverse_tunnel',
        error: 'Connect(): rpc error: code = Unauthenticated desc = unauthenticated',
      }),
    ]);
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'GL-AGENT-TOKEN-REVOKED', category: 'agent-token-revoked' });
    expect(d.findings.find((x) => x.id === 'AGK-UNAUTH')!.status).toBe('fail');
  });

  it('skips the GitLab-dependent checks when GitLab is unreachable, and still checks the cluster', () => {
    const e = healthyEvidence();
    e.gitlab = gitlab({ reachable: { ok: false, code: 'ENOTFOUND', error: 'getaddrinfo ENOTFOUND gitlab.example.com' } });
    const d = diagnose(e);
    expect(d.rootCause!.category).toBe('gitlab-unreachable');
    const skipped = d.findings.filter((x) => x.status === 'skip').map((x) => x.id);
    expect(skipped).toEqual(
      expect.arrayContaining(['GL-TOKEN', 'GL-METADATA', 'GL-AGENT', 'GL-AGENT-TOKEN', 'GL-CONFIG', 'NET-ADDRESS', 'NET-VERSION']),
    );
    expect(d.findings.find((x) => x.id === 'NET-VERSION')!.evidence).toEqual(['skipped: depends on GL-REACH, which failed']);
    expect(d.findings.find((x) => x.id === 'WL-PODS')!.status).toBe('ok');
  });

  it('names the removed flag behind a crash loop', () => {
    const e = healthyEvidence();
    e.workload = workload({
      deployment: deployment({ readyReplicas: 0, availableReplicas: 0 }),
      pods: [
        pod('p1', {
          containers: [
            container({
              ready: false,
              state: 'waiting',
              reason: 'CrashLoopBackOff',
              restartCount: 7,
              lastTermination: { exitCode: 1, reason: 'Error' },
            }),
          ],
        }),
      ],
    });
    e.logs = logs(['Error: unknown flag: --ca-cert-file'], true, 'p1');
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'AGK-FLAG', category: 'agent-args-invalid' });
    expect(d.findings.find((x) => x.id === 'WL-PODS-CRASH-LOOP')).toMatchObject({ status: 'fail', symptom: true });
  });

  it('puts the Flux root-without-kustomization first when the HelmRelease never appeared', () => {
    const e = healthyEvidence();
    e.flux = flux({ helmReleases: [] });
    e.flux.kustomizations[0] = {
      ...e.flux.kustomizations[0]!,
      path: './',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'BuildFailed',
          message:
            'failed to decode Kubernetes YAML from /tmp/kustomization-2650962416/.gitlab/agents/prod/config.yaml: missing Resource metadata <nil>',
          observedGeneration: 1,
        },
      ],
    };
    e.workload = workload({ release: null, deployment: null, tokenSecret: undefined, pods: [] });
    e.logs = [];
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'FLX-KUSTOMIZATION-ROOT', category: 'flux-root-without-kustomization' });
  });

  it('names the wrong --kas-address when the agent cannot connect', () => {
    const e = healthyEvidence();
    e.workload = workload({
      deployment: deployment({}, ['--token-file=/etc/agentk/secrets/token', '--kas-address=wss://gitlab.example.org/-/kubernetes-agent/']),
    });
    e.gitlab!.agentToken = { tokenId: 77, state: 'active', lastUsedAt: minutesAgo(90) };
    e.logs = logs([
      agentk({
        level: 'warn',
        msg: 'GetConfiguration failed',
        error:
          'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\"https://gitlab.example.org/-/kubernetes-agent/\\": dial tcp: lookup gitlab.example.org on 10.96.0.10:53: no such host"',
      }),
    ]);
    e.local = undefined;
    const d = diagnose(e);
    expect(d.rootCause).toEqual({ id: 'NET-ADDRESS-MISMATCH', category: 'kas-address-mismatch' });
    expect(d.findings.find((x) => x.id === 'AGK-DNS')!.status).toBe('fail');
  });

  it('reports an untrusted CA from the log line and the local handshake', () => {
    const e = healthyEvidence();
    e.logs = logs([
      agentk({
        msg: 'Reverse tunnel',
        mod_name: 'reverse_tunnel',
        error:
          'Connect(): rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing failed to WebSocket dial: failed to send handshake request: Get \\"https://gitlab.example.com/-/kubernetes-agent/\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
      }),
    ]);
    e.local!.tls = {
      systemCa: {
        ok: false,
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'self-signed certificate in certificate chain',
        chain: [
          { subject: 'CN=gitlab.example.com', issuer: 'CN=Corp Root' },
          { subject: 'CN=Corp Root', issuer: 'CN=Corp Root' },
        ],
        sans: ['DNS:gitlab.example.com'],
      },
    };
    const d = diagnose(e);
    expect(d.rootCause!.category).toBe('kas-tls-untrusted-ca');
    expect(d.findings.filter((x) => x.category === 'kas-tls-untrusted-ca').map((x) => x.id)).toEqual(['AGK-X509-CA', 'NET-TLS-CA']);
  });

  it('reports version skew', () => {
    const e = healthyEvidence();
    e.workload!.deployment!.containers[0]!.image = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v19.6.0';
    expect(diagnose(e).rootCause).toEqual({ id: 'NET-VERSION-SKEW', category: 'version-skew' });
  });

  it('says not-the-agent when only an impersonated identity is denied', () => {
    const e = healthyEvidence();
    e.logs = logs([
      agentk({
        level: 'warn',
        msg: 'Proxied request failed',
        error:
          'deployments.apps is forbidden: User "gitlab:ci_job:991" cannot create resource "deployments" in API group "apps" in the namespace "prod"',
      }),
    ]);
    expect(diagnose(e)).toMatchObject({ rootCause: null, category: 'not-the-agent' });
  });
});
