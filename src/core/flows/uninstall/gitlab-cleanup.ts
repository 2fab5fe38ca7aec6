import { UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { optionSpec } from '../../options/catalogue.js';
import type { OptionId } from '../../options/values.js';
import { agentConfigPath } from '../../plan/agent-config.js';
import type { GitLabClient } from '../../ports/gitlab.js';
import type { AgentRef } from '../../steps/lifecycle/agent-ref.js';

/** What to remove from GitLab besides the cluster side: each asked on its own, default no. */
export interface GitLabCleanup {
  revokeToken: boolean;
  deleteAgent: boolean;
  /** The config file path when it exists and is to be deleted. */
  deleteConfig?: { path: string; branch: string };
  /** The config file path when it exists (kept or deleted). */
  configPath?: string;
  /** Connections GitLab lists for this agent right now (other clusters may use the same agent). */
  connections?: number;
}

async function decide(id: OptionId, given: boolean | undefined, question: string, help: string, io: FlowIO): Promise<boolean> {
  if (given) return true;
  return io.asker.ask({
    kind: 'confirm',
    id: optionSpec(id).flag.slice(2),
    flag: optionSpec(id).flag,
    message: question,
    help,
    default: false,
  });
}

/** Asks (or takes from flags) what to remove in GitLab; read-only until the user has confirmed the whole uninstall. */
export async function planGitLabCleanup(
  client: GitLabClient,
  agent: AgentRef,
  defaultBranch: string | undefined,
  flags: { revokeAgentToken?: boolean; deleteAgent?: boolean; deleteConfig?: boolean },
  io: FlowIO,
): Promise<GitLabCleanup> {
  const connections = (await client.agentConnections(agent.projectPath, agent.agentName).catch(() => undefined))?.length;
  const others = connections
    ? ` GitLab lists ${connections} live connection${connections === 1 ? '' : 's'} of this agent now; any left after the uninstall is another cluster.`
    : '';
  const revokeToken =
    agent.tokenId !== undefined &&
    (await decide(
      'revokeAgentToken',
      flags.revokeAgentToken,
      `Revoke token ${agent.tokenId}, which this install used?`,
      'Nothing else should use it; its Secret is deleted either way.',
      io,
    ));
  const deleteAgent = await decide(
    'deleteAgent',
    flags.deleteAgent,
    `Delete the agent ${agent.agentName} from ${agent.projectPath} in GitLab (with all its tokens)?`,
    `Other clusters registered as the same agent lose their connection.${others}`,
    io,
  );
  const path = agentConfigPath(agent.agentName);
  const branch = defaultBranch ?? 'main';
  const exists = (await client.getFile(agent.projectId, path, branch)) !== undefined;
  if (!exists && flags.deleteConfig)
    throw new UsageError('--delete-config', `${path} does not exist on ${branch} of ${agent.projectPath}`, 'leave out --delete-config');
  const deleteConfig =
    exists &&
    (await decide(
      'deleteConfig',
      flags.deleteConfig,
      `Delete ${path} from ${agent.projectPath} (one commit on ${branch})?`,
      'It stays in the history; CI/CD and user access through this agent end.',
      io,
    ));
  return {
    revokeToken,
    deleteAgent,
    ...(deleteConfig ? { deleteConfig: { path, branch } } : {}),
    ...(exists ? { configPath: path } : {}),
    ...(connections !== undefined ? { connections } : {}),
  };
}
