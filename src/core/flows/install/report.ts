import { ExitCode } from '../../kernel/errors.js';
import type { LedgerEntry } from '../../kernel/events.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { agentPageUrl } from '../../plan/agent-target.js';
import type { Applied } from './apply.js';
import type { Gathered } from './gather.js';

/** What `install --output json` prints on success (README documents it). */
export interface InstallResult {
  schemaVersion: 1;
  context: string;
  namespace: string;
  method: string;
  /** The delivery's name for the workload (helm: the release). */
  release: string;
  agent: { name: string; id: number; project: string; url: string };
  token: { id?: number; secret: string; own: boolean };
  connection: string;
  ledger: LedgerEntry[];
}

/** The success report: where everything is, and what to run next. */
export function installedOutcome(g: Gathered, a: Applied, connection: string, ledger: LedgerEntry[]): FlowOutcome<InstallResult> {
  const { target, settings } = g;
  const release = g.delivery.nameOf(g.plan);
  const page = agentPageUrl(target);
  const details = [
    `Agent ${target.agentName} (id ${a.agentId}): ${page}`,
    `Token: ${a.tokenId !== undefined ? `id ${a.tokenId}` : 'your own'} in Secret ${target.namespace}/${settings.tokenSecret.name}`,
    `Release ${release} in namespace ${target.namespace} on context ${target.context}`,
    `GitLab sees it: ${connection}`,
    `Upgrade: run this install again with the same answers and a new --image-tag or --chart-version`,
    `Uninstall: ${g.delivery.uninstallHint?.(target, g.plan) ?? `helm uninstall ${release} -n ${target.namespace} --kube-context ${target.context}`}, then delete the agent in GitLab`,
  ];
  return {
    exitCode: ExitCode.ok,
    headline: `Agent ${target.agentName} is installed, Ready and connected.`,
    details,
    ledger,
    data: {
      schemaVersion: 1,
      context: target.context,
      namespace: target.namespace,
      method: g.delivery.method,
      release,
      agent: { name: target.agentName, id: a.agentId, project: target.projectPath, url: page },
      token: { id: a.tokenId, secret: `${target.namespace}/${settings.tokenSecret.name}`, own: settings.tokenSecret.own },
      connection,
      ledger,
    },
  };
}
