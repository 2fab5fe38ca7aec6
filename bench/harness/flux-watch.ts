// Flux watch bench harness (bench/flux.mjs runs it; bundled into bench/.build/flux-watch/flux-watch.js).
// The cluster serves Flux's CRDs (test/e2e/fixtures/flux-crds). For each sample: a HelmRelease, our kube
// adapter's watchObjects on HelmReleases of its namespace, and `kubectl wait --for=condition=Ready` on it
// (what a person would run). Then the test writes status Ready, as helm-controller would. Recorded, epoch ms:
//   written   the status write was sent
//   adapter   our watch reported the HelmRelease with Ready=True
//   kubectl   kubectl wait exited 0
// env: GLAT_BENCH_OUT, GLAT_BENCH_KUBECONFIG, GLAT_BENCH_CONTEXT, GLAT_BENCH_KUBECTL, GLAT_BENCH_SAMPLES (default 8)
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { createKubePort } from '../../src/adapters/kube/index.js';

const now = () => performance.timeOrigin + performance.now();
const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const outFile = need('GLAT_BENCH_OUT');
const kubeconfig = need('GLAT_BENCH_KUBECONFIG');
const context = need('GLAT_BENCH_CONTEXT');
const kubectl = need('GLAT_BENCH_KUBECTL');
const samples = Number(process.env.GLAT_BENCH_SAMPLES ?? 8);
const NS = 'flux-bench';
const HR = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases' };

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
kc.setCurrentContext(context);
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const cluster = await createKubePort().cluster({ kubeconfig }, context);
await core.createNamespace({ body: { metadata: { name: NS } } }).catch(() => undefined);

const results: Record<string, number | string>[] = [];
for (let i = 0; i < samples; i++) {
  const name = `bench-${i}`;
  const sample: Record<string, number | string> = { name };
  await custom.createNamespacedCustomObject({
    ...HR,
    namespace: NS,
    body: {
      apiVersion: `${HR.group}/${HR.version}`,
      kind: 'HelmRelease',
      metadata: { name },
      spec: { interval: '10m', chart: { spec: { chart: 'x', sourceRef: { kind: 'HelmRepository', name: 'x' } } } },
    },
  });
  const stop = new AbortController();
  const ours = new Promise<void>((resolve) => {
    void cluster.watchObjects(
      { apiVersion: `${HR.group}/${HR.version}`, kind: 'HelmRelease', namespace: NS },
      (objects) => {
        const o = objects.find((x) => x.metadata.name === name) as
          { status?: { conditions?: { type: string; status: string }[] } } | undefined;
        if (o?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && sample.adapter === undefined) {
          sample.adapter = now();
          resolve();
        }
      },
      stop.signal,
    );
  });
  const theirs = new Promise<void>((resolve) => {
    const child = spawn(
      kubectl,
      ['--kubeconfig', kubeconfig, '--context', context, 'wait', '-n', NS, '--for=condition=Ready', `helmrelease/${name}`, '--timeout=60s'],
      { stdio: 'ignore' },
    );
    child.on('exit', (code) => {
      if (code === 0) sample.kubectl = now();
      else sample.error = `kubectl wait exited ${code}`;
      resolve();
    });
  });
  // Both have listed and are waiting.
  await new Promise((r) => setTimeout(r, 1500));
  const generation = 1;
  // From the moment the write is sent: the watch event can arrive before the PATCH's own answer.
  sample.written = now();
  await custom.patchNamespacedCustomObjectStatus(
    {
      ...HR,
      namespace: NS,
      name,
      body: {
        status: {
          observedGeneration: generation,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'InstallSucceeded',
              message: 'bench',
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
              observedGeneration: generation,
            },
          ],
        },
      },
    },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await Promise.race([Promise.all([ours, theirs]), new Promise((r) => setTimeout(r, 30_000))]);
  stop.abort();
  if (sample.adapter === undefined) sample.error = 'our watch never saw Ready';
  results.push(sample);
}
writeFileSync(`${outFile}.tmp`, JSON.stringify({ samples: results }));
renameSync(`${outFile}.tmp`, outFile);
process.exit(0);
