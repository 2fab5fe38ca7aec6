import type { FakeGitLab } from '../../fake-gitlab/server.js';
import { kubectlJson, releaseSelector, type KubeList } from './kube.js';

/**
 * Plays agentk for a token GitLab did not just mint (e.g. --token-secret): once the release's
 * pods have a Ready one, the agent "connects" (its newest active token gets last_used_at).
 * Polls the cluster once a second; stop() ends it.
 */
export function connectWhenReady(
  gl: FakeGitLab,
  agentId: number,
  namespace: string,
  release: string,
): { stop: () => void; connected: () => boolean } {
  let stopped = false;
  let connected = false;
  const loop = async () => {
    while (!stopped && !connected) {
      // KAS names the pod that connected: one of the release's Ready pods, as real GitLab lists it.
      const pods = await kubectlJson<
        KubeList<{ metadata: { name: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }>
      >(['get', 'pods', '-n', namespace, '-l', releaseSelector(release)]).catch(() => undefined);
      const ready = pods?.items.find(
        (p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      if (ready) {
        gl.state.markConnected(agentId, { podName: ready.metadata.name, podNamespace: namespace });
        connected = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return { stop: () => (stopped = true), connected: () => connected };
}
