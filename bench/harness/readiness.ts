// Readiness bench harness (bench/readiness.mjs runs it; bundled into bench/.build/readiness/readiness.js).
// For each sample: a fresh namespace, our kube adapter's watchReadiness on the chart's labels, and two
// reference watches (client-node's plain Watch on pods and on Deployments). Then a Deployment whose pod
// kwok makes Ready 2 s later (annotation e2e.test/ready-delay). Recorded, in epoch ms:
//   podReadyWritten   the reference pod watch sees the Ready condition turn True (≈ when it was written)
//   deployReadyWritten the reference Deployment watch sees readyReplicas reach the desired count
//   adapterPodReady   watchReadiness reports that pod ready
//   adapterVerdict    diagnoseReadiness over that snapshot says 'ready' (what the TUI shows as Ready)
//
// env: GLAT_BENCH_OUT, GLAT_BENCH_KUBECONFIG, GLAT_BENCH_CONTEXT, GLAT_BENCH_SAMPLES (default 8)
import { renameSync, writeFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { createKubePort } from '../../src/adapters/kube/index.js';
import { diagnoseReadiness } from '../../src/core/readiness/diagnose.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';

const now = () => performance.timeOrigin + performance.now();
const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const outFile = need('GLAT_BENCH_OUT');
const kubeconfig = need('GLAT_BENCH_KUBECONFIG');
const context = need('GLAT_BENCH_CONTEXT');
const samples = Number(process.env.GLAT_BENCH_SAMPLES ?? 8);
const READY_DELAY = '2s';

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
kc.setCurrentContext(context);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const port = createKubePort();
const cluster = await port.cluster({ kubeconfig }, context);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);
}

interface Sample {
  namespace: string;
  podReadyWritten?: number;
  deployReadyWritten?: number;
  adapterPodReady?: number;
  adapterVerdict?: number;
  snapshots: number;
  error?: string;
}

async function sample(i: number): Promise<Sample> {
  const namespace = `glat-bench-ready-${process.pid}-${i}`;
  const release = `r${i}`;
  const selector = `app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=${release}`;
  const s: Sample = { namespace, snapshots: 0 };
  const stop = new AbortController();
  const refs: { abort(): void }[] = [];
  await cluster.createNamespace(namespace);
  try {
    const started = now();
    let firstSnapshot: () => void = () => {};
    const listed = new Promise<void>((resolve) => (firstSnapshot = resolve));
    let verdictReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (verdictReady = resolve));
    const onSnapshot = (snapshot: ReadinessSnapshot) => {
      const at = now();
      s.snapshots += 1;
      firstSnapshot();
      if (s.adapterPodReady === undefined && snapshot.pods.some((p) => p.ready)) s.adapterPodReady = at;
      if (s.adapterVerdict === undefined && diagnoseReadiness(snapshot, at - started, undefined, started - 1000).state === 'ready') {
        s.adapterVerdict = at;
        verdictReady();
      }
    };
    const watching = cluster.watchReadiness(namespace, selector, onSnapshot, stop.signal);
    watching.catch((err: unknown) => (s.error ??= `watchReadiness: ${String(err)}`));
    await withTimeout(listed, 15_000, 'first readiness snapshot');

    // Reference watches: the plain client-node Watch, nothing of ours in between.
    const watch = new k8s.Watch(kc);
    const done = () => {};
    refs.push(
      await watch.watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { labelSelector: selector },
        (_phase, pod: k8s.V1Pod) => {
          const readyCondition = pod.status?.conditions?.find((c) => c.type === 'Ready');
          if (s.podReadyWritten === undefined && readyCondition?.status === 'True') s.podReadyWritten = now();
        },
        done,
      ),
      await watch.watch(
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        { labelSelector: selector },
        (_phase, d: k8s.V1Deployment) => {
          if (s.deployReadyWritten === undefined && (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1)) s.deployReadyWritten = now();
        },
        done,
      ),
    );

    const labels = { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': release };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: `${release}-gitlab-agent-v2`, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { 'e2e.test/ready-delay': READY_DELAY } },
            spec: {
              containers: [{ name: 'agent', image: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0' }],
            },
          },
        },
      },
    });
    await withTimeout(ready, 30_000, 'Ready verdict');
    // The reference watches may trail ours by a moment.
    const until = Date.now() + 2000;
    while ((s.podReadyWritten === undefined || s.deployReadyWritten === undefined) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
  } catch (err) {
    s.error ??= String(err);
  } finally {
    stop.abort();
    for (const r of refs) r.abort();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
  return s;
}

const results: Sample[] = [];
for (let i = 0; i < samples; i++) results.push(await sample(i));
writeFileSync(`${outFile}.tmp`, JSON.stringify({ samples: results }));
renameSync(`${outFile}.tmp`, outFile);
process.exit(0);
