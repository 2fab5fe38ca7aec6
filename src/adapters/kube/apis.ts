import type { AppsV1Api, AuthorizationV1Api, CoreV1Api, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import type { CallOptions, ClientNode, KubeConfig } from './client-node.js';
import type { ClientConfig } from './client-config.js';
import { withDeadline } from './deadline.js';
import { sharedDiscovery } from './shared-discovery.js';
import { ExecPluginError } from './exec-credential.js';
import { DeadlineError, formatSeconds, kubeError } from './failures.js';

/** Everything an operation on one cluster needs; built once per KubeCluster. */
export interface KubeApis {
  k8s: ClientNode;
  kc: KubeConfig;
  context: string;
  server: string;
  /** The context's namespace, if it sets one. */
  defaultNamespace?: string;
  timeoutMs: number;
  core: CoreV1Api;
  apps: AppsV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
  /** Any kind by apiVersion and kind (discovery maps it to its resource). */
  objects: KubernetesObjectApi;
  /**
   * Runs one API call within timeoutMs; any failure becomes a KubeApiError naming `action`
   * (e.g. "create Secret ns/name"), with the HTTP status kept for callers that expect 404 or 409.
   */
  call<T>(action: string, run: (options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createKubeApis(
  k8s: ClientNode,
  client: ClientConfig,
  context: string,
  timeoutMs: number,
  defaultNamespace?: string,
): KubeApis {
  const { kc, server } = client;
  return {
    k8s,
    kc,
    context,
    server,
    ...(defaultNamespace ? { defaultNamespace } : {}),
    timeoutMs,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    authz: kc.makeApiClient(k8s.AuthorizationV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
    objects: sharedDiscovery(k8s.KubernetesObjectApi.makeApiClient(kc), timeoutMs),
    async call<T>(action: string, run: (options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<T> {
      try {
        return await withDeadline(k8s, timeoutMs, run, signal);
      } catch (err) {
        // The deadline passed while the credential plugin was still running: blame the plugin, not the network.
        if (err instanceof DeadlineError && client.exec?.running) {
          const hung = new ExecPluginError(client.exec.command, 'timeout', `did not finish within ${formatSeconds(timeoutMs)}`);
          throw kubeError(action, hung, { server, timeoutMs });
        }
        throw kubeError(action, err, { server, timeoutMs });
      }
    },
  };
}
