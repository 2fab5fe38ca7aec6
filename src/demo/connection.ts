import { readySince } from './pod-timeline.js';
import { stringAt } from './release-values.js';
import { currentRevision, type DemoWorld } from './world.js';

/** agentk dials KAS this long after its pod turns Ready. */
const CONNECT_AFTER_MS = 2000;

function sameKas(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '');
  return norm(a) === norm(b);
}

/**
 * Whether agentk is connected to KAS with token `tokenId` right now: some release on a reachable cluster
 * has a Ready pod (for CONNECT_AFTER_MS), points at this GitLab's KAS, and its Secret holds that token,
 * which must still be active, and nothing blocks the way (DemoFaults.connects). This is what lets the
 * simulated GitLab report `last_used_at`.
 */
export function isConnected(world: DemoWorld, tokenId: number): boolean {
  const token = world.gitlab.tokens.find((t) => t.id === tokenId);
  const kas = world.gitlab.metadata.kas.externalUrl;
  if (!token || token.status !== 'active' || !kas || world.faults.connects === false) return false;
  const now = world.time.now();
  for (const cluster of world.clusters.values()) {
    if (cluster.unreachable) continue;
    for (const release of cluster.releases) {
      const values = currentRevision(release).values;
      // A receptive agent is dialled by GitLab (no KAS address) and reads its token from the Secret mounted beside the chart's.
      const receptive = (values['config'] as { receptive?: { enabled?: unknown } } | undefined)?.receptive?.enabled === true;
      const mounted = (values['extraVolumes'] as { name?: string; secret?: { secretName?: string } }[] | undefined)?.find(
        (v) => v?.name === 'agent-token',
      )?.secret?.secretName;
      const secretName = (receptive ? mounted : undefined) ?? stringAt(values, 'config', 'secretName');
      const kasAddress = stringAt(values, 'config', 'kasAddress');
      if (!secretName || (!receptive && (!kasAddress || !sameKas(kasAddress, kas)))) continue;
      const secret = cluster.namespaces.get(release.namespace)?.secrets.get(secretName);
      if (secret?.tokenId !== tokenId) continue;
      const since = readySince(release, now);
      if (since !== undefined && since + CONNECT_AFTER_MS <= now) return true;
    }
  }
  return false;
}
