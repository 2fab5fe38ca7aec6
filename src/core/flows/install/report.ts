import { ExitCode } from '../../kernel/errors.js';
import type { LedgerEntry } from '../../kernel/events.js';
import type { FlowOutcome, ResultSection } from '../../kernel/outcome.js';
import { agentPageUrl } from '../../plan/agent-target.js';
import type { CommandLine } from '../../plan/command-line.js';
import { installNextSteps, type NextStep } from '../../plan/next-steps.js';
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
  /** Status, the agent's page, upgrade and the complete uninstall, with this context and namespace. */
  nextSteps: NextStep[];
  /** After an interactive run: the same install as one command line without questions (never a token). */
  equivalentCommand?: string;
}

const EQUIVALENT_TITLE = 'The same install without questions (for CI; the GitLab token comes from GITLAB_TOKEN):';

/** The equivalent command as a result section: raw, one flag a line, to copy. */
export function equivalentSection(command: CommandLine): ResultSection {
  return { kind: 'code', title: EQUIVALENT_TITLE, text: command.text };
}

/** The success report: where everything is, and what to run next. */
export function installedOutcome(
  g: Gathered,
  a: Applied,
  connection: string,
  ledger: LedgerEntry[],
  equivalent?: CommandLine,
): FlowOutcome<InstallResult> {
  const { target, settings } = g;
  const release = g.delivery.nameOf(g.plan);
  const page = agentPageUrl(target);
  // The agent, its namespace and the release are in the ledger; the page and the commands in the next steps.
  const details = [
    `Token: ${a.tokenId !== undefined ? `id ${a.tokenId}` : 'your own'} in Secret ${target.namespace}/${settings.tokenSecret.name}`,
    `Release ${release} in namespace ${target.namespace} on context ${target.context}`,
    `GitLab sees it: ${connection}`,
  ];
  const next = installNextSteps({
    target,
    method: g.delivery.method,
    release,
    configFile: ledger.some((e) => e.kind === 'config-file' && e.created),
    uninstallHint: g.delivery.uninstallHint?.(target, g.plan),
  });
  return {
    exitCode: ExitCode.ok,
    headline: `Agent ${target.agentName} is installed, Ready and connected.`,
    details,
    ledger,
    sections: [{ kind: 'lines', title: 'Next steps:', lines: next.lines }, ...(equivalent ? [equivalentSection(equivalent)] : [])],
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
      nextSteps: next.steps,
      ...(equivalent ? { equivalentCommand: equivalent.line } : {}),
    },
  };
}
