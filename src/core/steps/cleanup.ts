import type { LedgerEntry } from '../kernel/events.js';
import type { GitLabClient } from '../ports/gitlab.js';
import type { KubeNamespaces, KubeSecrets } from '../ports/kube/index.js';

export interface CleanupTargets {
  projectId: number;
  /** Known when the agent existed before the run; else taken from the ledger. */
  agentId?: number;
  cluster?: KubeNamespaces & KubeSecrets;
  client?: GitLabClient;
  /** Removes what the delivery installed (helm: uninstall the release). */
  removeRelease?: (entry: LedgerEntry) => Promise<void>;
}

/**
 * Undoes what this run created, newest first, and says what it did. Only objects this run
 * created are touched; anything it found and reused stays. Each removal is tried on its own,
 * so one failure does not leave the rest behind.
 */
export interface CleanupReport {
  /** One line per thing: removed, could not remove (why), or kept (why). */
  lines: string[];
  /** The entries that are gone now. */
  removed: LedgerEntry[];
}

export async function removeCreated(ledger: LedgerEntry[], t: CleanupTargets): Promise<CleanupReport> {
  const created = ledger.filter((e) => e.created);
  const agentEntry = ledger.find((e) => e.kind === 'agent');
  const agentId = t.agentId ?? (agentEntry ? Number(agentEntry.id) : undefined);
  const report: string[] = [];
  const removed: LedgerEntry[] = [];
  let current: LedgerEntry | undefined;
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      report.push(`removed ${what}`);
      if (current) removed.push(current);
    } catch (err) {
      report.push(`could not remove ${what}: ${(err as Error).message}`);
    }
  };
  const { cluster, client } = t;
  for (const e of [...created].reverse()) {
    current = e;
    if (e.kind === 'release' && t.removeRelease) {
      await attempt(e.description, () => t.removeRelease!(e));
    } else if (e.kind === 'secret' && cluster) {
      const [namespace = '', name = ''] = e.id.split('/');
      await attempt(e.description, () => cluster.deleteSecret(namespace, name));
    } else if (e.kind === 'namespace' && cluster) {
      await attempt(e.description, () => cluster.deleteNamespace(e.id));
    } else if (e.kind === 'token' && client && agentId !== undefined) {
      await attempt(e.description, () => client.revokeToken(t.projectId, agentId, Number(e.id)));
    } else if (e.kind === 'agent' && client) {
      await attempt(e.description, () => client.deleteAgent(t.projectId, Number(e.id)));
    } else if (e.kind === 'url-configuration' && client && agentId !== undefined) {
      await attempt(e.description, () => client.deleteUrlConfiguration(t.projectId, agentId, Number(e.id)));
    } else if (e.kind === 'config-file') {
      report.push(`kept ${e.description} (a commit is history; delete the file yourself if unwanted)`);
    } else if (e.kind === 'commit') {
      report.push(`kept ${e.description} (a commit is history: ${e.undo ?? 'revert it in Git'})`);
    }
  }
  return { lines: report, removed };
}
