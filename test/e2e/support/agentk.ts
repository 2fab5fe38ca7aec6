import type { FakeGitLab } from '../../fake-gitlab/server.js';
import { kubectlJson, releaseSelector, type KubeList } from './kube.js';
import type { Deployment } from './agent-objects.js';

/**
 * Plays agentk for a token GitLab did not just mint (e.g. --token-secret): once the release's
 * Deployment has a Ready replica, the agent "connects" (its newest active token gets last_used_at).
 * Polls the cluster once a second; stop() ends it.
 */
export function connectWhenReady(gl: FakeGitLab, agentId: number, namespace: string, release: string): { stop: () => void; connected: () => boolean } {
  let stopped = false;
  let connected = false;
  const loop = async () => {
    while (!stopped && !connected) {
      const list = await kubectlJson<KubeList<Deployment>>(['get', 'deployments', '-n', namespace, '-l', releaseSelector(release)]).catch(() => undefined);
      if (list?.items.some((d) => (d.status?.readyReplicas ?? 0) > 0)) {
        gl.state.markConnected(agentId);
        connected = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return { stop: () => (stopped = true), connected: () => connected };
}
