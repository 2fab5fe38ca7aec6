import type { LedgerEntry } from '../flow/events.js';
import type { FlowIO } from '../flow/outcome.js';
import type { GitLabClient } from '../ports/gitlab.js';
import type { HelmPort } from '../ports/helm.js';
import type { KubeCluster } from '../ports/kube.js';
import { buildHelmUninstallArgs } from '../plan/helm-command.js';
import type { InstallPlan } from '../plan/install-plan.js';

export interface CleanupTargets {
  plan: InstallPlan;
  cluster?: KubeCluster;
  client?: GitLabClient;
  helm: HelmPort;
}

/**
 * Undoes what this run created, newest first, and says what it did. Only objects this run
 * created are touched; anything it found and reused stays. Each removal is tried on its own,
 * so one failure does not leave the rest behind.
 */
export async function removeCreated(ledger: LedgerEntry[], t: CleanupTargets, io: FlowIO): Promise<string[]> {
  const created = ledger.filter((e) => e.created);
  const agentEntry = ledger.find((e) => e.kind === 'agent');
  const agentId = t.plan.agentId ?? (agentEntry ? Number(agentEntry.id) : undefined);
  const report: string[] = [];
  const signal = new AbortController().signal; // cleanup must finish even after the run's own signal fired
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      report.push(`removed ${what}`);
    } catch (err) {
      report.push(`could not remove ${what}: ${(err as Error).message}`);
    }
  };
  const { plan, cluster, client, helm } = t;
  for (const e of [...created].reverse()) {
    if (e.kind === 'release') {
      await attempt(e.description, async () => {
        const r = await helm.run({ args: buildHelmUninstallArgs(plan), onLine: (line, stream) => io.emit({ type: 'helm-line', line, stream }), signal });
        if (r.exitCode !== 0) throw new Error(r.stderrTail.slice(-1)[0] ?? `helm exited with ${r.exitCode}`);
      });
    } else if (e.kind === 'secret' && cluster) {
      await attempt(e.description, () => cluster.deleteSecret(plan.namespace, plan.tokenSecretName));
    } else if (e.kind === 'namespace' && cluster) {
      await attempt(e.description, () => cluster.deleteNamespace(plan.namespace));
    } else if (e.kind === 'token' && client && agentId !== undefined) {
      await attempt(e.description, () => client.revokeToken(plan.projectId, agentId, Number(e.id)));
    } else if (e.kind === 'agent' && client) {
      await attempt(e.description, () => client.deleteAgent(plan.projectId, Number(e.id)));
    } else if (e.kind === 'config-file') {
      report.push(`kept ${e.description} (a commit is history; delete the file yourself if unwanted)`);
    }
  }
  return report;
}
