import { describe, expect, it } from 'vitest';
import { judgeFlux, type FluxExpectation } from '../../../src/core/delivery/flux/verdict.js';
import type { KubeObject } from '../../../src/core/ports/kube/index.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const e: FluxExpectation = {
  commitId: SHA,
  helmRelease: { namespace: 'flux-system', name: 'prod' },
  rootWithoutKustomization: false,
  fluxPath: 'clusters/prod',
  manifestPath: 'clusters/prod',
  agentName: 'prod',
};

function obj(kind: string, name: string, generation: number, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'x/v1', kind, metadata: { name, namespace: 'flux-system', generation }, status };
}
const cond = (type: string, status: string, reason: string, message: string, observedGeneration = 1) => ({
  type,
  status,
  reason,
  message,
  observedGeneration,
});

describe('the Flux verdict', () => {
  it('waits until the Kustomization applied our commit and the HelmRelease is Ready', () => {
    const ks = obj('Kustomization', 'flux-system', 1, {
      conditions: [cond('Ready', 'True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:old')],
      lastAppliedRevision: 'main@sha1:old',
    });
    expect(judgeFlux({ kustomization: ks }, e)).toMatchObject({ state: 'waiting', progress: expect.stringContaining('commit 01234567') });
    const applied = obj('Kustomization', 'flux-system', 1, {
      conditions: [cond('Ready', 'True', 'ReconciliationSucceeded', 'ok')],
      lastAppliedRevision: `main@sha1:${SHA}`,
    });
    const hr = obj('HelmRelease', 'prod', 1, {
      conditions: [cond('Ready', 'True', 'InstallSucceeded', 'Helm install succeeded for release gitlab-agent-prod/prod.v1')],
    });
    expect(judgeFlux({ kustomization: applied, helmRelease: hr }, e)).toEqual({
      state: 'ready',
      progress: 'HelmRelease flux-system/prod: Helm install succeeded for release gitlab-agent-prod/prod.v1',
    });
  });

  it('ignores conditions of an older generation', () => {
    const hr = obj('HelmRelease', 'prod', 2, { conditions: [cond('Ready', 'True', 'InstallSucceeded', 'old', 1)] });
    expect(judgeFlux({ helmRelease: hr }, { ...e, commitId: undefined }).state).toBe('waiting');
    const failedOld = obj('HelmRelease', 'prod', 2, { conditions: [cond('Ready', 'False', 'InstallFailed', 'old failure', 1)] });
    expect(judgeFlux({ helmRelease: failedOld }, { ...e, commitId: undefined }).state).toBe('waiting');
  });

  it("reports the Kustomization's own message, with the root-without-kustomization advice when it fits", () => {
    const message = 'kustomize build failed: .gitlab/agents/prod/config.yaml: missing Resource metadata';
    const ks = obj('Kustomization', 'flux-system', 1, {
      conditions: [cond('Ready', 'False', 'BuildFailed', message)],
      lastAttemptedRevision: `main@sha1:${SHA}`,
    });
    const v = judgeFlux({ kustomization: ks }, { ...e, fluxPath: '', manifestPath: '' });
    expect(v).toMatchObject({ state: 'failed', message: `Kustomization flux-system/flux-system: ${message}` });
    expect((v as { hint: string }).hint).toMatch(/--add-root-kustomization/);
    // a failure of an older revision is not ours
    const older = obj('Kustomization', 'flux-system', 1, {
      conditions: [cond('Ready', 'False', 'BuildFailed', message)],
      lastAttemptedRevision: 'main@sha1:old',
    });
    expect(judgeFlux({ kustomization: older }, e).state).toBe('waiting');
  });

  it('calls a Kustomization that applied our commit without our HelmRelease a path mismatch', () => {
    const ks = obj('Kustomization', 'flux-system', 1, {
      conditions: [cond('Ready', 'True', 'ReconciliationSucceeded', 'ok')],
      lastAppliedRevision: `main@sha1:${SHA}`,
    });
    const v = judgeFlux({ kustomization: ks }, { ...e, manifestPath: 'apps' });
    expect(v.state).toBe('failed');
    expect((v as { message: string }).message).toMatch(
      /there is no HelmRelease flux-system\/prod: the manifests in "apps" are outside what it reconciles/,
    );
    expect((v as { hint: string }).hint).toMatch(/flux bootstrap --path/);
  });

  it("reports helm-controller's inner message of a failed install, not a bare failure", () => {
    const hr = obj('HelmRelease', 'prod', 1, {
      conditions: [
        cond('Ready', 'False', 'InstallFailed', 'Helm install failed for release gitlab-agent-prod/prod with chart gitlab-agent@2.32.0'),
        cond(
          'Released',
          'False',
          'InstallFailed',
          'Helm install failed: execution error at (gitlab-agent/templates/deployment.yaml:12:3): boom',
        ),
      ],
    });
    const v = judgeFlux({ helmRelease: hr }, e);
    expect(v).toMatchObject({
      state: 'failed',
      message: 'HelmRelease flux-system/prod: Helm install failed: execution error at (gitlab-agent/templates/deployment.yaml:12:3): boom',
    });
  });

  it('reports a source that cannot be fetched', () => {
    const repo = obj('GitRepository', 'flux-system', 1, {
      conditions: [cond('Ready', 'False', 'GitOperationFailed', 'failed to checkout and determine revision: authentication required')],
    });
    expect(judgeFlux({ gitRepository: repo }, e)).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('authentication required'),
    });
  });
});
