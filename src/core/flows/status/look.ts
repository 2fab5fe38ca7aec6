import type { AgentInstall } from '../../discovery/agent-install.js';
import { findInstalls } from '../../discovery/find-installs.js';
import type { GitLabClient } from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';
import type { KubeConfigSource } from '../../ports/kube/index.js';
import { probeFailureMessage } from '../../steps/target/choose-context.js';
import type { AgentResolver } from '../../steps/lifecycle/agent-ref.js';
import type { GitLabView } from './install-status.js';

export type ContextLook =
  | { context: string; reachable: true; installs: { install: AgentInstall; gitlab: GitLabView }[] }
  | { context: string; reachable: false; error: string };

/** GitLab's side of one install: its agent, its token's age and last use, live connections. Never throws. */
async function askGitLab(
  install: AgentInstall,
  client: GitLabClient | undefined,
  resolver: AgentResolver | undefined,
  why: string,
): Promise<GitLabView> {
  if (!client || !resolver) return { known: false, why };
  try {
    const found = await resolver.resolve(install);
    if ('missing' in found) return { known: false, why: found.missing };
    const { ref } = found;
    const [token, connections] = await Promise.all([
      ref.tokenId !== undefined
        ? client.getToken(ref.projectId, ref.agentId, ref.tokenId).then((t) => t ?? null)
        : Promise.resolve(undefined),
      client.agentConnections(ref.projectPath, ref.agentName).catch(() => undefined),
    ]);
    return { known: true, agent: ref, ...(token !== undefined ? { token } : {}), ...(connections !== undefined ? { connections } : {}) };
  } catch (err) {
    return { known: false, why: `GitLab: ${(err as Error).message}` };
  }
}

/**
 * One context: probed first (an unreachable one ends at the probe timeout, without holding up the
 * others), then its installs found and GitLab asked about each. Never throws: failures are the answer.
 */
export async function lookAt(
  context: string,
  source: KubeConfigSource,
  namespace: string | undefined,
  ports: Ports,
  gitlab: () => Promise<{ client?: GitLabClient; resolver?: AgentResolver; why: string }>,
): Promise<ContextLook> {
  const probe = await ports.kube.probe(source, context, ports.probeTimeoutMs ?? 4000);
  if (!probe.ok)
    return { context, reachable: false, error: probeFailureMessage(context, probe).message.replace(`context "${context}": `, '') };
  try {
    const cluster = await ports.kube.cluster(source, context);
    const installs = await findInstalls(cluster, ports.helm, { kubeconfig: source.kubeconfig, context }, namespace);
    const g = await gitlab();
    return {
      context,
      reachable: true,
      installs: await Promise.all(
        installs.map(async (install) => ({ install, gitlab: await askGitLab(install, g.client, g.resolver, g.why) })),
      ),
    };
  } catch (err) {
    return { context, reachable: false, error: (err as Error).message };
  }
}
