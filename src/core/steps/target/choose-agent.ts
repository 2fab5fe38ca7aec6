import type { FlowIO } from '../../kernel/io.js';
import { agentNameProblem } from '../../plan/names.js';
import type { GitLabAgent, GitLabProject } from '../../ports/gitlab.js';
import { aboutOption } from '../ask.js';
import type { GitLabSession } from './connect-gitlab.js';

export interface ChosenAgent {
  name: string;
  existing?: GitLabAgent;
}

/** Agent name checked as a DNS label inline; an existing agent of that name is offered for reuse. */
export async function chooseAgent(
  given: string | undefined,
  project: GitLabProject,
  session: GitLabSession,
  io: FlowIO,
): Promise<ChosenAgent> {
  const agents = await session.client.listAgents(project.id);
  for (;;) {
    const name = given ?? (await io.asker.ask({ kind: 'input', ...aboutOption('agent'), validate: agentNameProblem }));
    const existing = agents.find((a) => a.name === name);
    if (!existing) return { name };
    // Named on the command line: that is the agent meant. Flag mode answers the question below with its default.
    if (given !== undefined) return { name, existing };
    const reuse = await io.asker.ask({
      kind: 'confirm',
      id: 'reuse-agent',
      message: `Agent "${name}" already exists in ${project.pathWithNamespace} (id ${existing.id}). Install that agent?`,
      default: true,
    });
    if (reuse) return { name, existing };
  }
}
