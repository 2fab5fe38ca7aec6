import type { FakeGitLab } from '../../fake-gitlab/server.js';
import type { Deployment, Secret } from './agent-objects.js';
import { kubectlJson, type KubeList } from './kube.js';

/**
 * What KAS reports for the agentk pods of the e2e cluster, as real GitLab would (gitlab-api-real.md,
 * divergence 3): each Ready pod of an agent Deployment "connects" (named) with the token in the
 * Secret it mounts, so nothing connects before the pods are Ready, and a token this GitLab does not
 * know (or has revoked) never does. While such pods stay Ready, KAS keeps refreshing the token's
 * last_used_at, old pods included, as real KAS does. Several fake GitLabs can share the cluster:
 * each only knows its own tokens.
 */
export function simulateKasConnections(gl: FakeGitLab, pollMs = 500): { stop: () => void } {
  let stopped = false;
  /** Deployment uid@generation#token id → the connection made for it. */
  const made = new Map<string, number>();

  const tokenInSecret = async (namespace: string, deployment: Deployment): Promise<string | undefined> => {
    for (const volume of deployment.spec.template.spec.volumes ?? []) {
      if (!volume.secret) continue;
      const secret = await kubectlJson<Secret>(['get', 'secret', volume.secret.secretName, '-n', namespace]).catch(() => undefined);
      const token = secret?.data?.['token'];
      if (token) return Buffer.from(token, 'base64').toString('utf8').trim();
    }
    return undefined;
  };

  /** The Deployment's Ready pods (not terminating): each one is an agentk that connects. */
  const readyPodsOf = async (
    namespace: string,
    deployment: Deployment & { spec: { selector?: { matchLabels?: Record<string, string> } } },
  ): Promise<{ name: string; uid: string }[]> => {
    const match = deployment.spec.selector?.matchLabels;
    if (!match) return [];
    const selector = Object.entries(match)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await kubectlJson<
      KubeList<{
        metadata: { name: string; uid?: string; deletionTimestamp?: string };
        status?: { conditions?: { type: string; status: string }[] };
      }>
    >(['get', 'pods', '-n', namespace, '-l', selector]).catch(() => undefined);
    return (pods?.items ?? [])
      .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((p) => ({ name: p.metadata.name, uid: p.metadata.uid ?? p.metadata.name }));
  };

  const tick = async () => {
    const list = await kubectlJson<KubeList<Deployment & { metadata: { uid?: string; generation?: number } }>>([
      'get',
      'deployments',
      '-A',
    ]).catch(() => undefined);
    if (!list) return;
    const seen = new Set<string>();
    // Real KAS sees whoever connects: any Deployment running the agent container, whatever its labels (nameOverride).
    for (const deployment of list.items.filter((d) =>
      d.spec.template.spec.containers.some((c) => c.name === 'gitlab-agent' || c.name === 'agentk'),
    )) {
      if ((deployment.status?.readyReplicas ?? 0) === 0) continue;
      // agentk dials the address it was given: only GitLab's own agent server answers (receptive agents dial nothing).
      const dials = deployment.spec.template.spec.containers
        .flatMap((c) => c.args ?? [])
        .find((a) => a.startsWith('--kas-address='))
        ?.slice('--kas-address='.length);
      const advertised = gl.state.metadata.kas.externalUrl;
      if (dials && advertised && dials.replace(/\/+$/, '') !== advertised.replace(/\/+$/, '')) continue;
      const namespace = deployment.metadata.namespace ?? 'default';
      const value = await tokenInSecret(namespace, deployment);
      const token = [...gl.state.agentTokens.values()].find((t) => t.value === value && t.status === 'active');
      if (!token || !gl.state.agents.has(token.agentId)) continue;
      // One connection per Ready pod, named as GitLab's connections list names it.
      for (const pod of await readyPodsOf(namespace, deployment)) {
        const key = `${pod.uid}#${token.id}`;
        seen.add(key);
        if (made.has(key)) {
          token.lastUsedAt = gl.state.timestamp();
          continue;
        }
        const connection = gl.state.markConnected(token.agentId, { tokenId: token.id, podNamespace: namespace, podName: pod.name });
        made.set(key, connection.connectionId);
      }
    }
    // Pods gone (uninstalled, rolled over, namespace deleted): their connections end.
    for (const [key, connectionId] of made) {
      if (seen.has(key)) continue;
      made.delete(key);
      const index = gl.state.connections.findIndex((c) => c.connectionId === connectionId);
      if (index >= 0) gl.state.connections.splice(index, 1);
    }
  };

  const loop = async () => {
    while (!stopped) {
      await tick();
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  void loop();
  return { stop: () => void (stopped = true) };
}
