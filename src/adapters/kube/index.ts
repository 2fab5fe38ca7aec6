import type { KubeCluster, KubeConfigSource, KubeContextInfo, KubePort, ProbeResult } from '../../core/ports/kube/index.js';
import { createKubeApis } from './apis.js';
import { buildKubeConfig } from './client-config.js';
import { loadClientNode } from './client-node.js';
import { ClientNodeCluster } from './cluster.js';
import { contextInfos, loadKubeconfig, resolveContext, type MergedKubeconfig } from './kubeconfig.js';
import { probeContext } from './probe.js';
import type { ReadinessWatchOptions } from './readiness-watch.js';

export { KubeApiError } from './failures.js';
export interface KubePortOptions {
  /** Deadline for each API call of a KubeCluster (and each list of the readiness watch). Default 10 s. */
  callTimeoutMs?: number;
  /** Deadline for one exec credential plugin run inside a KubeCluster. Default 30 s (cloud CLIs can be slow). */
  execTimeoutMs?: number;
  readiness?: ReadinessWatchOptions;
}

/**
 * The Kubernetes adapter. listContexts never loads client-node (it only reads YAML); probe and cluster load
 * it on first use.
 */
export function createKubePort(options: KubePortOptions = {}): KubePort {
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const execTimeoutMs = options.execTimeoutMs ?? 30_000;
  // The picker probes every context at once: read and parse the kubeconfig once for such a burst, not once
  // per context (≈30 ms of YAML parsing each for 50 contexts, all on the thread that draws the TUI).
  let recent: { key: string; at: number; merged: Promise<MergedKubeconfig> } | undefined;
  const loadForProbe = (source: KubeConfigSource): Promise<MergedKubeconfig> => {
    const key = JSON.stringify(source);
    if (!recent || recent.key !== key || Date.now() - recent.at > 1000) recent = { key, at: Date.now(), merged: loadKubeconfig(source) };
    return recent.merged;
  };
  return {
    async listContexts(source: KubeConfigSource): Promise<KubeContextInfo[]> {
      return contextInfos(await loadKubeconfig(source));
    },

    probe(source: KubeConfigSource, context: string, timeoutMs: number): Promise<ProbeResult> {
      return probeContext(source, context, timeoutMs, loadForProbe);
    },

    async cluster(source: KubeConfigSource, context: string): Promise<KubeCluster> {
      const merged = await loadKubeconfig(source);
      const resolved = resolveContext(merged, context);
      const k8s = await loadClientNode();
      const client = buildKubeConfig(k8s, resolved, { execTimeoutMs });
      const apis = createKubeApis(k8s, client, context, callTimeoutMs, resolved.namespace);
      return new ClientNodeCluster(apis, options.readiness);
    },
  };
}
