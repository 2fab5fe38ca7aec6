import type { Ledger } from '../../kernel/ledger.js';
import { agentsPageUrl, type AgentTarget } from '../../plan/agent-target.js';
import type { GitLabClient } from '../../ports/gitlab.js';

/** Registers the agent in its project, or reuses the one that exists; either way the ledger says which. */
export async function registerAgent(client: GitLabClient, target: AgentTarget, ledger: Ledger): Promise<number> {
  if (target.agentId !== undefined) {
    ledger.record({
      kind: 'agent',
      id: String(target.agentId),
      description: `agent ${target.agentName} (id ${target.agentId}) in ${target.projectPath}`,
      created: false,
    });
    return target.agentId;
  }
  const agent = await client.registerAgent(target.projectId, target.agentName);
  ledger.record({
    kind: 'agent',
    id: String(agent.id),
    description: `agent ${agent.name} (id ${agent.id}) in ${target.projectPath}`,
    created: true,
    undo: `delete agent ${target.agentName}: ${agentsPageUrl(target)}`,
  });
  return agent.id;
}
