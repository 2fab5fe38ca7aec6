import { performance } from 'node:perf_hooks';
import { UsageError } from '../../core/kernel/errors.js';
import type { KubeConfigSource, ProbeResult } from '../../core/ports/kube/index.js';
import { buildKubeConfig, type ClientConfig } from './client-config.js';
import { loadClientNode } from './client-node.js';
import { withDeadline } from './deadline.js';
import { DeadlineError, classifyFailure, formatSeconds } from './failures.js';
import { loadKubeconfig, resolveContext, type MergedKubeconfig } from './kubeconfig.js';

/**
 * GET /version through one context, bounded by timeoutMs end to end (exec plugin included).
 * A kubeconfig that cannot be read at all throws UsageError (as listContexts does); a problem with this one
 * context (missing cluster, bad server URL, unreadable token file) is a failed probe, so probing many
 * contexts side by side still reports the others.
 */
export async function probeContext(
  source: KubeConfigSource,
  context: string,
  timeoutMs: number,
  load: (source: KubeConfigSource) => Promise<MergedKubeconfig> = loadKubeconfig,
): Promise<ProbeResult> {
  const merged = await load(source);
  // Loading client-node takes most of a second on first use; that is not the cluster's latency.
  const k8s = await loadClientNode();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let client: ClientConfig | undefined;
  let hungPlugin: string | undefined;
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    // Decided before aborting: once aborted, the plugin run is torn down and no longer "running".
    if (client?.exec?.running) hungPlugin = client.exec.command;
    deadline.abort(new DeadlineError(timeoutMs));
  }, timeoutMs);
  try {
    const resolved = resolveContext(merged, context);
    // Each probe gets its own KubeConfig and its own plugin deadline: probes run side by side.
    client = buildKubeConfig(k8s, resolved, { execTimeoutMs: timeoutMs, signal: deadline.signal });
    const api = client.kc.makeApiClient(k8s.VersionApi);
    const info = await withDeadline(k8s, timeoutMs, (options) => api.getCode({}, options), deadline.signal);
    return { ok: true, serverVersion: info.gitVersion, elapsedMs: elapsed() };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, kind: 'other', message: err.message, elapsedMs: elapsed() };
    if (hungPlugin) {
      const message = `exec plugin "${hungPlugin}" did not finish within ${formatSeconds(timeoutMs)}`;
      return { ok: false, kind: 'timeout', message, elapsedMs: elapsed() };
    }
    const failure = classifyFailure(err, { ...(client ? { server: client.server } : {}), timeoutMs });
    return { ok: false, kind: failure.kind, message: failure.message, elapsedMs: elapsed() };
  } finally {
    clearTimeout(timer);
    // Kills a plugin still running after a failure elsewhere.
    deadline.abort();
  }
}
