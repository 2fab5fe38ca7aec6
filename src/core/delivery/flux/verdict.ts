import type { KubeObject } from '../../ports/kube/index.js';

/** Where the Flux reconciliation stands, judged from the objects as they are now. */
export type FluxVerdict =
  { state: 'waiting'; progress: string } | { state: 'ready'; progress: string } | { state: 'failed'; message: string; hint: string };

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

type Status = {
  conditions?: Condition[];
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  lastHandledReconcileAt?: string;
  artifact?: { revision?: string };
};

const statusOf = (o: KubeObject): Status => (o['status'] as Status | undefined) ?? {};

/** A condition that describes the object's current spec (Flux sets observedGeneration on each). */
function current(o: KubeObject, type: string): Condition | undefined {
  const c = statusOf(o).conditions?.find((x) => x.type === type);
  if (!c) return undefined;
  const generation = o.metadata.generation;
  return c.observedGeneration === undefined || generation === undefined || c.observedGeneration >= generation ? c : undefined;
}

const name = (o: KubeObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

export interface FluxObjects {
  gitRepository?: KubeObject;
  kustomization?: KubeObject;
  helmRelease?: KubeObject;
}

export interface FluxExpectation {
  /** Our commit (absent with a merge request, or when nothing changed). */
  commitId?: string;
  helmRelease: { namespace: string; name: string };
  /** Flux reconciles the repository root without a kustomization.yaml. */
  rootWithoutKustomization: boolean;
  fluxPath: string;
  manifestPath: string;
  agentName: string;
}

function kustomizationHint(message: string, e: FluxExpectation): string {
  if (
    /\.gitlab\/agents|missing Resource metadata|apiVersion.*not set|kind.*not set|Object 'Kind' is missing|no matches for kind/i.test(
      message,
    ) ||
    e.rootWithoutKustomization
  ) {
    return (
      `Flux reconciles ${e.fluxPath ? `"${e.fluxPath}"` : 'the repository root'} without a kustomization.yaml, so it tries to apply every YAML file there, ` +
      `including .gitlab/agents/${e.agentName}/config.yaml, which is not a Kubernetes manifest: re-run with --add-root-kustomization, or point Flux at a subdirectory (GitLab's advice)`
    );
  }
  return 'fix what Flux reports above in the repository; it retries at its interval (or run: flux reconcile kustomization --with-source)';
}

/**
 * The verdict from the GitRepository, Kustomization and HelmRelease: only conditions of their current
 * generation count, a failure always carries Flux's own message, and a Kustomization that applied our
 * commit without making our HelmRelease means the manifests are outside what Flux reconciles.
 */
export function judgeFlux(o: FluxObjects, e: FluxExpectation): FluxVerdict {
  const { gitRepository: repo, kustomization: ks, helmRelease: hr } = o;
  const wanted = `HelmRelease ${e.helmRelease.namespace}/${e.helmRelease.name}`;
  if (repo) {
    const ready = current(repo, 'Ready');
    if (ready?.status === 'False' && ready.reason !== 'Progressing') {
      return {
        state: 'failed',
        message: `${name(repo)}: ${oneLine(ready.message) || ready.reason}`,
        hint: 'Flux cannot fetch the repository: check its deploy key or token (flux get sources git)',
      };
    }
  }
  const has = (revision: string | undefined) => e.commitId === undefined || (revision ?? '').includes(e.commitId);
  let applied = e.commitId === undefined;
  if (ks) {
    const s = statusOf(ks);
    const ready = current(ks, 'Ready');
    if (
      ready?.status === 'False' &&
      ready.reason !== 'Progressing' &&
      ready.reason !== 'DependencyNotReady' &&
      has(s.lastAttemptedRevision)
    ) {
      const message = oneLine(ready.message) || ready.reason || 'not Ready';
      return { state: 'failed', message: `${name(ks)}: ${message}`, hint: kustomizationHint(message, e) };
    }
    applied = ready?.status === 'True' && has(s.lastAppliedRevision);
  }
  if (!hr) {
    if (applied && ks && e.commitId !== undefined) {
      return {
        state: 'failed',
        message: `${name(ks)} applied revision ${statusOf(ks).lastAppliedRevision} but there is no ${wanted}: the manifests in "${e.manifestPath || '/'}" are outside what it reconciles`,
        hint: 'the manifest path must be the path Flux was bootstrapped with (flux bootstrap --path) or below it: pass that as --manifest-path',
      };
    }
    return {
      state: 'waiting',
      progress: ks
        ? `waiting for ${name(ks)} to apply ${e.commitId ? `commit ${e.commitId.slice(0, 8)}` : 'the manifests'}`
        : 'waiting for the Kustomization',
    };
  }
  const ready = current(hr, 'Ready');
  if (ready?.status === 'True') return { state: 'ready', progress: `${name(hr)}: ${oneLine(ready.message) || 'Ready'}` };
  const stalled = current(hr, 'Stalled');
  const released = current(hr, 'Released');
  const failed = ready?.status === 'False' && ready.reason !== 'Progressing';
  if (failed || stalled?.status === 'True') {
    // helm-controller puts helm's own error in Released when Ready only says the action failed.
    const inner =
      oneLine(released?.status === 'False' ? released.message : undefined) ||
      oneLine(ready?.message) ||
      oneLine(stalled?.message) ||
      ready?.reason ||
      'not Ready';
    return {
      state: 'failed',
      message: `${name(hr)}: ${inner}`,
      hint: `helm-controller's message is above; see kubectl -n ${e.helmRelease.namespace} describe helmrelease ${e.helmRelease.name}, fix the values in Git and Flux retries`,
    };
  }
  return { state: 'waiting', progress: `${name(hr)}: ${oneLine(ready?.message) || 'reconciling'}` };
}
