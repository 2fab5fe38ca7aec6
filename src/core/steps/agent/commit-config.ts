import type { Ledger } from '../../kernel/ledger.js';
import { agentConfigContent, agentConfigPath } from '../../plan/agent-config.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { CreateConfigChoice } from '../../plan/choices.js';
import type { GitLabClient } from '../../ports/gitlab.js';

/** Commits the config file only when it is missing: an existing configuration is the user's, never overwritten. */
export async function commitAgentConfig(
  client: GitLabClient,
  target: AgentTarget,
  kind: CreateConfigChoice,
  branch: string,
  ledger: Ledger,
): Promise<string> {
  const path = agentConfigPath(target.agentName);
  if ((await client.getFile(target.projectId, path, branch)) !== undefined) return `${path} already exists on ${branch}: left as it is`;
  await client.commitFile(target.projectId, {
    branch,
    path,
    content: agentConfigContent(kind, target.projectPath),
    message: `Add GitLab agent configuration for ${target.agentName}`,
    create: true,
  });
  ledger.record({ kind: 'config-file', id: path, description: `${path} on ${branch}`, created: true });
  return `committed ${path} to ${branch}`;
}
