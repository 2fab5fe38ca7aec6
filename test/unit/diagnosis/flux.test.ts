import { describe, expect, it } from 'vitest';
import type { Condition, FluxEvidence } from '../../../src/core/diagnosis/evidence.js';
import {
  AGENT_CONFIG_DECODE,
  flxGitRepository,
  flxHelmRelease,
  flxHelmRepository,
  flxInstalled,
  flxKustomization,
  normPath,
  readyState,
} from '../../../src/core/diagnosis/rules/flux.js';
import { evidence, flux } from './builders.js';

/** Conditions as the Flux controllers write them (reason + message strings from troubleshoot.md §2 and flux2 issues). */
const notReady = (reason: string, message: string, observedGeneration = 1): Condition => ({
  type: 'Ready',
  status: 'False',
  reason,
  message,
  observedGeneration,
});

function withKustomization(c: Condition[], path = './clusters/prod', over: Partial<FluxEvidence> = {}) {
  const f = flux(over);
  f.kustomizations[0] = { ...f.kustomizations[0]!, path, conditions: c };
  return evidence({ flux: f });
}

describe('readyState (current generation only)', () => {
  it('trusts a Ready condition of the current generation', () => {
    expect(
      readyState({ name: 'x', namespace: 'y', generation: 2, conditions: [{ type: 'Ready', status: 'True', observedGeneration: 2 }] })
        .stale,
    ).toBe(false);
  });
  it('calls a condition of an older generation stale, and also a never-observed object', () => {
    expect(
      readyState({ name: 'x', namespace: 'y', generation: 3, conditions: [{ type: 'Ready', status: 'False', observedGeneration: 2 }] })
        .stale,
    ).toBe(true);
    expect(readyState({ name: 'x', namespace: 'y', generation: 1, observedGeneration: 0, conditions: [] }).stale).toBe(true);
    expect(
      readyState({ name: 'x', namespace: 'y', generation: 4, observedGeneration: 4, conditions: [{ type: 'Ready', status: 'True' }] })
        .stale,
    ).toBe(false);
  });
  it('normalises Flux paths', () => {
    expect(['./clusters/prod/', 'clusters/prod', './', '.', '', '/'].map(normPath)).toEqual([
      'clusters/prod',
      'clusters/prod',
      '',
      '',
      '',
      '',
    ]);
  });
});

describe('FLX-INSTALLED', () => {
  it('skips installs that are not Flux-managed', () => {
    expect(flxInstalled.run(evidence({ flux: flux({ managed: false }) }))[0]!.status).toBe('skip');
    expect(flxInstalled.run(evidence())[0]!.status).toBe('skip');
  });
  it('fails when Flux is missing or its controllers are down', () => {
    expect(flxInstalled.run(evidence({ flux: flux({ installed: false }) }))[0]).toMatchObject({
      id: 'FLX-INSTALLED-MISSING',
      status: 'fail',
      category: 'flux-not-installed',
    });
    const down = flux({ controllers: [{ name: 'helm-controller', ready: false, image: 'ghcr.io/fluxcd/helm-controller:v1.4.0' }] });
    expect(flxInstalled.run(evidence({ flux: down }))[0]).toMatchObject({
      id: 'FLX-INSTALLED-NOT-READY',
      status: 'fail',
      category: 'flux-not-installed',
    });
  });
  it('is ok with controllers ready', () => {
    expect(flxInstalled.run(evidence({ flux: flux() }))[0]!.status).toBe('ok');
  });
});

describe('FLX-GITREPO', () => {
  it('fails an authentication failure with the message as Flux wrote it', () => {
    const f = flux();
    const msg =
      "failed to checkout and determine revision: unable to clone 'ssh://git@gitlab.example.com/group/infra': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain";
    f.gitRepositories[0]!.conditions = [
      notReady('GitOperationFailed', msg),
      { type: 'FetchFailed', status: 'True', reason: 'GitOperationFailed', message: msg },
    ];
    const found = flxGitRepository.run(evidence({ flux: f }))[0]!;
    expect(found).toMatchObject({ id: 'FLX-GITREPO-FAILED', status: 'fail', category: 'flux-source-failed' });
    expect(found.evidence[0]).toBe(`Ready=False GitOperationFailed: ${msg}`);
    expect(found.cause).toContain('authenticate');
  });
  it('reports a failure of an older generation as a warning only', () => {
    const f = flux();
    f.gitRepositories[0]!.generation = 2;
    f.gitRepositories[0]!.conditions = [notReady('GitOperationFailed', 'unable to clone', 1)];
    expect(flxGitRepository.run(evidence({ flux: f }))[0]).toMatchObject({ status: 'warn' });
  });
  it('fails when Flux tracks another branch than the agent manifests', () => {
    const f = flux({ manifest: { file: 'clusters/prod/gitlab-agent-helm-release.yaml', branch: 'agents' } });
    expect(flxGitRepository.run(evidence({ flux: f }))[0]).toMatchObject({
      id: 'FLX-GITREPO-BRANCH',
      status: 'fail',
      category: 'flux-path-mismatch',
    });
  });
  it('warns for a suspended source and is ok when Ready', () => {
    const f = flux();
    f.gitRepositories[0]!.suspend = true;
    expect(flxGitRepository.run(evidence({ flux: f }))[0]).toMatchObject({ status: 'warn', category: 'flux-suspended' });
    expect(flxGitRepository.run(evidence({ flux: flux() }))[0]!.status).toBe('ok');
  });
});

describe('FLX-KUSTOMIZATION', () => {
  it('recognises the repository root walking into .gitlab/agents/<agent>/config.yaml (current Flux)', () => {
    const e = withKustomization(
      [
        notReady(
          'BuildFailed',
          'failed to decode Kubernetes YAML from /tmp/kustomization-1443093643/.gitlab/agents/prod/config.yaml: missing Resource metadata <nil>',
        ),
      ],
      './',
    );
    const f = flxKustomization.run(e)[0]!;
    expect(f).toMatchObject({ id: 'FLX-KUSTOMIZATION-ROOT', status: 'fail', category: 'flux-root-without-kustomization' });
    expect(f.title).toContain('.gitlab/agents/prod/config.yaml');
    expect(f.fix).toContain('--manifest-path <flux-path>');
    expect(f.docsUrl).toBe('https://docs.gitlab.com/user/clusters/agent/install/#error-failed-to-reconcile-the-gitlab-agent');
  });
  it('recognises the older wording too (kustomize create failed, /tmp/flux-system…)', () => {
    const msg =
      'kustomize create failed: failed to decode Kubernetes YAML from /tmp/flux-system171464111/.gitlab/agents/my-agent/config.yaml: missing Resource metadata';
    expect(AGENT_CONFIG_DECODE.exec(msg)?.[2]).toBe('my-agent');
    expect(flxKustomization.run(withKustomization([notReady('BuildFailed', msg)], './'))[0]!.category).toBe(
      'flux-root-without-kustomization',
    );
  });
  it('does not blame the agent config for another file that fails to decode', () => {
    const msg =
      'failed to decode Kubernetes YAML from /tmp/kustomization-1443093643/clusters/home/clickhouse/kustomizeconfig.yaml: missing Resource metadata <nil>';
    const f = flxKustomization.run(withKustomization([notReady('BuildFailed', msg)]))[0]!;
    expect(f).toMatchObject({ id: 'FLX-KUSTOMIZATION-FAILED', category: 'flux-kustomization-failed', status: 'fail' });
    expect(f.symptom).toBeUndefined();
  });
  it('calls a missing spec.path a path mismatch', () => {
    const msg = 'kustomization path not found: stat /tmp/kustomization-417981261/clusters/prod: no such file or directory';
    expect(flxKustomization.run(withKustomization([notReady('ArtifactFailed', msg)]))[0]).toMatchObject({
      id: 'FLX-KUSTOMIZATION-PATH-NOT-FOUND',
      category: 'flux-path-mismatch',
    });
  });
  it('fails when the agent manifest lies outside every spec.path (flux --path vs glab --manifest-path)', () => {
    const f = flux({ manifest: { file: 'gitlab-agent-helm-release.yaml' } });
    const found = flxKustomization.run(evidence({ flux: f }))[0]!;
    expect(found).toMatchObject({ id: 'FLX-KUSTOMIZATION-PATH', status: 'fail', category: 'flux-path-mismatch' });
    expect(found.fix).toBe('glab cluster agent bootstrap prod --manifest-path clusters/prod');
    expect(found.evidence).toContain('Kustomization/flux-system/flux-system spec.path: ./clusters/prod');
  });
  it('accepts a manifest below spec.path, at any depth', () => {
    expect(
      flxKustomization.run(evidence({ flux: flux({ manifest: { file: 'clusters/prod/agents/gitlab-agent-helm-release.yaml' } }) }))[0]!
        .status,
    ).toBe('ok');
    const root = flux({ manifest: { file: 'gitlab-agent-helm-release.yaml' } });
    root.kustomizations[0]!.path = './';
    expect(flxKustomization.run(evidence({ flux: root }))[0]!.status).toBe('ok');
  });
  it('fails when a hand-written kustomization.yaml does not list the agent manifest', () => {
    const f = flux({ manifest: { file: 'clusters/prod/gitlab-agent-helm-release.yaml', resourcesAtPath: ['apps.yaml', 'infra/'] } });
    expect(flxKustomization.run(evidence({ flux: f }))[0]).toMatchObject({
      id: 'FLX-KUSTOMIZATION-NOT-LISTED',
      category: 'flux-path-mismatch',
    });
    const listed = flux({
      manifest: {
        file: 'clusters/prod/gitlab-agent-helm-release.yaml',
        resourcesAtPath: ['apps.yaml', './gitlab-agent-helm-release.yaml'],
      },
    });
    expect(flxKustomization.run(evidence({ flux: listed }))[0]!.status).toBe('ok');
  });
  it('predicts the root problem before Flux has reconciled', () => {
    const f = flux({ manifest: { file: 'gitlab-agent-helm-release.yaml', kustomizationFiles: ['apps/kustomization.yaml'] } });
    f.kustomizations[0] = {
      ...f.kustomizations[0]!,
      path: './',
      generation: 2,
      conditions: [
        { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress', observedGeneration: 1 },
      ],
    };
    const found = flxKustomization.run(evidence({ flux: f }));
    expect(found.map((x) => x.id)).toContain('FLX-KUSTOMIZATION-ROOT');
    expect(found.find((x) => x.id === 'FLX-KUSTOMIZATION-ROOT')!.status).toBe('warn');
  });
  it('does not predict it when the root has a kustomization.yaml, or when Flux is Ready anyway', () => {
    const f = flux({ manifest: { file: 'gitlab-agent-helm-release.yaml', kustomizationFiles: ['kustomization.yaml'] } });
    f.kustomizations[0]!.path = './';
    f.kustomizations[0]!.conditions = [{ type: 'Ready', status: 'Unknown', reason: 'Progressing', observedGeneration: 1 }];
    expect(flxKustomization.run(evidence({ flux: f })).map((x) => x.id)).not.toContain('FLX-KUSTOMIZATION-ROOT');
    const ready = flux({ manifest: { file: 'gitlab-agent-helm-release.yaml', kustomizationFiles: [] } });
    ready.kustomizations[0]!.path = './';
    expect(flxKustomization.run(evidence({ flux: ready }))[0]!.status).toBe('ok');
  });
  it('marks dependency and health-check failures as symptoms', () => {
    expect(
      flxKustomization.run(withKustomization([notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready")]))[0]!.symptom,
    ).toBe(true);
    const health = notReady(
      'HealthCheckFailed',
      "health check failed after 9m30s: timeout waiting for: [HelmRelease/flux-system/gitlab-agent status: 'InProgress']",
    );
    expect(flxKustomization.run(withKustomization([health]))[0]).toMatchObject({ category: 'flux-kustomization-failed', symptom: true });
  });
  it('warns for a suspended Kustomization with the resume command', () => {
    const f = flux();
    f.kustomizations[0]!.suspend = true;
    expect(flxKustomization.run(evidence({ flux: f }))[0]).toMatchObject({
      category: 'flux-suspended',
      fix: 'flux resume kustomization flux-system -n flux-system',
    });
  });
});

describe('FLX-HELMREPO', () => {
  it('fails an unreachable chart repository', () => {
    const f = flux();
    f.helmRepositories[0]!.conditions = [
      notReady(
        'Failed',
        'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://charts.gitlab.io/index.yaml : 404 Not Found',
      ),
    ];
    expect(flxHelmRepository.run(evidence({ flux: f }))[0]).toMatchObject({
      id: 'FLX-HELMREPO-FAILED',
      status: 'fail',
      category: 'flux-source-failed',
    });
  });
  it('names a chart version that does not exist', () => {
    const f = flux();
    f.helmCharts[0]!.conditions = [
      notReady(
        'InvalidChartReference',
        "invalid chart reference: failed to get chart version for remote reference: no 'gitlab-agent' chart with version matching '9.9.9' found",
      ),
    ];
    const found = flxHelmRepository.run(evidence({ flux: f }))[0]!;
    expect(found).toMatchObject({ id: 'FLX-HELMREPO-CHART-FAILED', category: 'flux-source-failed' });
    expect(found.cause).toContain('does not exist');
  });
  it("names a failing OCIRepository (a HelmRelease's chartRef) with its URL and tag, and the source-controller message as evidence", () => {
    const message =
      'failed to determine artifact digest: GET https://registry.example.com/v2/charts/gitlab-agent/manifests/2.32.0: UNAUTHORIZED: authentication required';
    const f = flux({
      helmRepositories: [],
      helmCharts: [],
      ociRepositories: [
        {
          name: 'gitlab-agent-chart',
          namespace: 'flux-system',
          generation: 1,
          observedGeneration: 1,
          url: 'oci://registry.example.com/charts/gitlab-agent',
          ref: { tag: '2.32.0' },
          conditions: [notReady('OCIArtifactPullFailed', message)],
        },
      ],
    });
    const found = flxHelmRepository.run(evidence({ flux: f }))[0]!;
    expect(found).toMatchObject({
      id: 'FLX-HELMREPO-OCI-FAILED',
      status: 'fail',
      category: 'flux-source-failed',
      title: 'OCIRepository/flux-system/gitlab-agent-chart not Ready (oci://registry.example.com/charts/gitlab-agent:2.32.0)',
      evidence: [`Ready=False OCIArtifactPullFailed: ${message}`],
      fix: expect.stringContaining('flux reconcile source oci gitlab-agent-chart -n flux-system'),
    });
    // The HelmRelease waiting for it is a symptom, not the cause.
    f.helmReleases[0]!.conditions = [notReady('ArtifactFailed', `OCIRepository 'flux-system/gitlab-agent-chart' is not ready: ${message}`)];
    expect(flxHelmRelease.run(evidence({ flux: f }))[0]).toMatchObject({ id: 'FLX-HELMRELEASE-FAILED', symptom: true });
  });
  it('names a failing Bucket chart source', () => {
    const f = flux({
      buckets: [
        {
          name: 'charts',
          namespace: 'flux-system',
          endpoint: 'minio.example.com',
          bucketName: 'helm',
          conditions: [notReady('BucketOperationFailed', "bucket 'helm' does not exist")],
        },
      ],
    });
    const found = flxHelmRepository.run(evidence({ flux: f })).find((x) => x.status !== 'ok')!;
    expect(found).toMatchObject({
      id: 'FLX-HELMREPO-BUCKET-FAILED',
      category: 'flux-source-failed',
      title: expect.stringContaining('(minio.example.com/helm)'),
    });
  });
  it('is ok for Ready sources and for OCI repositories without conditions', () => {
    const f = flux();
    f.helmRepositories[0]!.conditions = [];
    f.helmRepositories[0]!.generation = undefined;
    expect(flxHelmRepository.run(evidence({ flux: f }))[0]!.status).toBe('ok');
  });
});

describe('FLX-HELMRELEASE', () => {
  const hr = (conditions: Condition[], over = {}) => {
    const f = flux();
    f.helmReleases[0] = { ...f.helmReleases[0]!, conditions, ...over };
    return evidence({ flux: f });
  };
  it("fails a missing HelmRelease with glab's own words", () => {
    const f = flux({ helmReleases: [] });
    const found = flxHelmRelease.run(evidence({ flux: f }))[0]!;
    expect(found).toMatchObject({ id: 'FLX-HELMRELEASE-MISSING', status: 'fail', category: 'flux-path-mismatch' });
    expect(found.evidence).toEqual([`HelmRelease object 'gitlab-agent' not found in "flux-system" namespace`]);
    expect(found.symptom).toBeUndefined();
  });
  it('calls the missing HelmRelease a symptom when the Kustomization itself failed', () => {
    const f = flux({ helmReleases: [] });
    f.kustomizations[0]!.conditions = [
      notReady(
        'BuildFailed',
        'failed to decode Kubernetes YAML from /tmp/kustomization-1/.gitlab/agents/prod/config.yaml: missing Resource metadata <nil>',
      ),
    ];
    expect(flxHelmRelease.run(evidence({ flux: f }))[0]!.symptom).toBe(true);
  });
  it('treats an install that timed out waiting for pods as a symptom', () => {
    const found = flxHelmRelease.run(
      hr([
        notReady(
          'InstallFailed',
          'Helm install failed for release gitlab-agent/gitlab-agent with chart gitlab-agent@2.34.0: context deadline exceeded',
        ),
      ]),
    )[0]!;
    expect(found).toMatchObject({ id: 'FLX-HELMRELEASE-FAILED', status: 'fail', category: 'flux-helmrelease-failed', symptom: true });
  });
  it('fails a stalled release (retries exhausted) and offers the reset', () => {
    const found = flxHelmRelease.run(
      hr(
        [
          notReady(
            'InstallFailed',
            "Helm install failed for release gitlab-agent/gitlab-agent with chart gitlab-agent@2.34.0: failed early due to stalled resources: [Deployment/gitlab-agent/gitlab-agent-v2 status: 'Failed']",
          ),
          {
            type: 'Stalled',
            status: 'True',
            reason: 'RetriesExceeded',
            message: 'Failed to install after 1 attempt(s)',
            observedGeneration: 1,
          },
        ],
        { installFailures: 1 },
      ),
    )[0]!;
    expect(found).toMatchObject({ id: 'FLX-HELMRELEASE-STALLED', category: 'flux-helmrelease-failed' });
    expect(found.evidence).toContain('Stalled=True RetriesExceeded: Failed to install after 1 attempt(s)');
    expect(found.fix).toContain('flux reconcile helmrelease gitlab-agent -n flux-system --reset --force');
  });
  it('fails a genuine upgrade error as a cause, not a symptom', () => {
    const found = flxHelmRelease.run(
      hr([
        notReady(
          'UpgradeFailed',
          'Helm upgrade failed for release gitlab-agent/gitlab-agent with chart gitlab-agent@2.34.0: cannot patch "gitlab-agent-v2" with kind Deployment: Deployment.apps "gitlab-agent-v2" is invalid: spec.selector: Invalid value: v1.LabelSelector{}: field is immutable',
        ),
      ]),
    )[0]!;
    expect(found.symptom).toBeUndefined();
  });
  it('treats a chart that is not ready as a symptom of the source', () => {
    const found = flxHelmRelease.run(
      hr([
        notReady(
          'ArtifactFailed',
          "HelmChart 'flux-system/flux-system-gitlab-agent' is not ready: invalid chart reference: no 'gitlab-agent' chart with version matching '9.9.9' found",
        ),
      ]),
    )[0]!;
    expect(found.symptom).toBe(true);
  });
  it('is ok when Ready, warns when not yet reconciled', () => {
    expect(flxHelmRelease.run(evidence({ flux: flux() }))[0]!.status).toBe('ok');
    expect(
      flxHelmRelease.run(
        hr([{ type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Fulfilling prerequisites', observedGeneration: 1 }], {
          generation: 2,
        }),
      )[0]!.status,
    ).toBe('warn');
  });
});
