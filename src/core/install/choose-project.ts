import { UsageError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import { GitLabApiError, type GitLabAgent, type GitLabProject } from '../ports/gitlab.js';
import { agentNameProblem } from '../plan/names.js';
import type { GitLabSession } from './connect-gitlab.js';

const MAINTAINER = 40;

/** The agent's configuration project: by --project, or searched as the user types among projects they maintain. */
export async function chooseProject(flag: string | undefined, session: GitLabSession, io: FlowIO): Promise<GitLabProject> {
  const wanted =
    flag ??
    (await io.asker.ask({
      kind: 'search',
      id: 'project',
      flag: '--project',
      message: 'Project that holds the agent (path or id)',
      help: 'Type to search projects you maintain; the agent configuration lives in .gitlab/agents/<name>/ there.',
      source: async (term) => {
        const found = await session.client.searchProjects(term);
        return found.map((p) => ({ value: p.pathWithNamespace, label: p.pathWithNamespace, hint: p.name }));
      },
      validate: (v) => (v.trim() ? undefined : 'enter a project path like group/project, or its id'),
    }));
  let project: GitLabProject;
  try {
    project = await session.client.project(wanted.trim());
  } catch (err) {
    if (err instanceof GitLabApiError && (err.status === 404 || err.status === 403)) {
      throw new UsageError('--project', `project "${wanted}" was not found or ${session.user.username} cannot see it`, 'check the path (group/project) or id');
    }
    throw err;
  }
  if (project.accessLevel !== undefined && project.accessLevel < MAINTAINER) {
    throw new UsageError('--project', `${session.user.username} is not a Maintainer of ${project.pathWithNamespace}, which registering an agent requires`, 'ask for the Maintainer role or pick another project');
  }
  return project;
}

export interface ChosenAgent {
  name: string;
  existing?: GitLabAgent;
}

/** Agent name checked as a DNS label inline; an existing agent of that name is offered for reuse. */
export async function chooseAgent(flag: string | undefined, project: GitLabProject, session: GitLabSession, io: FlowIO, yes: boolean): Promise<ChosenAgent> {
  const agents = await session.client.listAgents(project.id);
  for (;;) {
    const name =
      flag ??
      (await io.asker.ask({
        kind: 'input',
        id: 'agent',
        flag: '--agent',
        message: 'Agent name',
        help: 'Lowercase letters, digits and "-", at most 63; unique in the project.',
        placeholder: 'e.g. production',
        validate: agentNameProblem,
      }));
    const existing = agents.find((a) => a.name === name);
    if (!existing) return { name };
    if (flag !== undefined || yes) return { name, existing };
    const reuse = await io.asker.ask({
      kind: 'confirm',
      id: 'reuse-agent',
      message: `Agent "${name}" already exists in ${project.pathWithNamespace} (id ${existing.id}). Install that agent?`,
      default: true,
    });
    if (reuse) return { name, existing };
  }
}
