/**
 * Flux in the e2e cluster without its controllers: the CRDs as released (test/e2e/fixtures/flux-crds),
 * three Deployments named like the controllers (kwok makes their pods Ready), a GitRepository and a
 * Kustomization pointing at the fake GitLab's project. Tests play the controllers by writing statuses.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { e2eEnv } from './env.js';
import { kubectl, kubectlApply, kubectlJson, type KubeObject } from './kube.js';
import { ROOT } from './paths.js';
import { pollUntil } from './poll.js';

export const FLUX_CRDS = join(ROOT, 'test/e2e/fixtures/flux-crds');
export const FLUX_NS = 'flux-system';

const CRDS = [
  'gitrepositories.source.toolkit.fluxcd.io',
  'helmrepositories.source.toolkit.fluxcd.io',
  'ocirepositories.source.toolkit.fluxcd.io',
  'kustomizations.kustomize.toolkit.fluxcd.io',
  'helmreleases.helm.toolkit.fluxcd.io',
];

export async function installFlux(): Promise<void> {
  await kubectl(['apply', '--server-side', '-f', FLUX_CRDS]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...CRDS.map((c) => `crd/${c}`)]);
  await kubectl(['create', 'namespace', FLUX_NS], { allowFail: true });
  const deployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: FLUX_NS, labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:e2e` }] } },
    },
  });
  await kubectlApply(['source-controller', 'kustomize-controller', 'helm-controller'].map((n) => stringify(deployment(n))).join('---\n'));
  for (const n of ['source-controller', 'kustomize-controller', 'helm-controller']) {
    await kubectl(['rollout', 'status', `deployment/${n}`, '-n', FLUX_NS, '--timeout=60s']);
  }
}

/** What flux bootstrap gitlab leaves: GitRepository + Kustomization "flux-system" for the project at `path`. */
export async function bootstrapFlux(repoUrl: string, path: string): Promise<void> {
  await kubectlApply(
    [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'flux-system', namespace: FLUX_NS },
        spec: { interval: '1m', url: repoUrl, ref: { branch: 'main' }, secretRef: { name: 'flux-system' } },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'flux-system', namespace: FLUX_NS },
        spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      },
    ]
      .map((o) => stringify(o))
      .join('---\n'),
  );
  await kubectl(['patch', 'kustomization', 'flux-system', '-n', FLUX_NS, '--type=merge', '-p', JSON.stringify({ spec: { path } })]);
}

export async function fluxObject(kind: string, name: string): Promise<(KubeObject & { status?: Record<string, unknown> }) | undefined> {
  const r = await kubectl(['get', kind, name, '-n', FLUX_NS, '-o', 'json'], { allowFail: true });
  return r.code === 0 ? (JSON.parse(r.stdout) as KubeObject) : undefined;
}

/** Waits for the CLI's reconcile request newer than `after` (an ISO time, or any). */
/** The reconcile request on GitRepository flux-system now (undefined: none yet). */
export async function lastReconcileRequest(): Promise<string | undefined> {
  return (await fluxObject('gitrepository', 'flux-system'))?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
}

/**
 * Waits for a reconcile request other than `previous`. Compared by value, not by time: the previous
 * run's request can be less than a second old, and a stale one would be played with a stale commit.
 */
export async function reconcileRequested(previous?: string): Promise<string> {
  return pollUntil(
    async () => {
      const at = await lastReconcileRequest();
      return at && at !== previous ? at : undefined;
    },
    'the reconcile.fluxcd.io/requestedAt annotation on GitRepository flux-system',
    60_000,
    200,
  );
}

/** Writes an object's status (as its controller would), conditions stamped with its current generation. */
export async function writeStatus(
  kind: string,
  name: string,
  status: Record<string, unknown> & { conditions?: Record<string, unknown>[] },
  namespace = FLUX_NS,
): Promise<void> {
  const o = await kubectlJson<KubeObject & { metadata: { generation?: number } }>(['get', kind, name, '-n', namespace]);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = status.conditions?.map((c) => ({ lastTransitionTime: now, observedGeneration: o.metadata.generation, ...c }));
  const body = { status: { observedGeneration: o.metadata.generation, ...status, ...(conditions ? { conditions } : {}) } };
  const dir = mkdtempSync(join(e2eEnv().runDir, 'status-'));
  const file = join(dir, 'status.json');
  writeFileSync(file, JSON.stringify(body));
  await kubectl(['patch', kind, name, '-n', namespace, '--subresource=status', '--type=merge', '--patch-file', file]);
}

export const ready = (reason: string, message: string) => ({ type: 'Ready', status: 'True', reason, message });
export const notReady = (reason: string, message: string) => ({ type: 'Ready', status: 'False', reason, message });
