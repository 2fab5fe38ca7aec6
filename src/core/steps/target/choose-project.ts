import type { FlowIO } from '../../kernel/io.js';
import { optionError } from '../../options/catalogue.js';
import { GitLabApiError, MAINTAINER_ACCESS, type GitLabProject } from '../../ports/gitlab.js';
import { aboutOption } from '../ask.js';
import type { GitLabSession } from './connect-gitlab.js';

/**
 * The agent's configuration project: by --project, or searched as the user types among projects they
 * maintain. One GitLab cannot find is asked for again with the reason (flag mode: exit 2).
 */
export async function chooseProject(given: string | undefined, session: GitLabSession, io: FlowIO): Promise<GitLabProject> {
  let wanted = given;
  let problem: string | undefined;
  for (;;) {
    wanted ??= await io.asker.ask({
      kind: 'search',
      ...aboutOption('project'),
      problem,
      source: async (term) => {
        const found = await session.client.searchProjects(term);
        return found.map((p) => ({ value: p.pathWithNamespace, label: p.pathWithNamespace, hint: p.name }));
      },
      validate: (v) => (v.trim() ? undefined : 'enter a project path like group/project, or its id'),
    });
    try {
      const project = await session.client.project(wanted.trim());
      warnIfNotMaintainer(project, session, io);
      return project;
    } catch (err) {
      if (!(err instanceof GitLabApiError && (err.status === 404 || err.status === 403))) throw err;
      const refused = optionError(
        'project',
        `project "${wanted}" was not found or ${session.user.username} cannot see it`,
        'check the path (group/project) or id',
      );
      if (io.asker.cannotAsk !== undefined) throw refused;
      problem = refused.message;
      wanted = undefined;
    }
  }
}

// GitLab's `permissions` leave out access through a shared group, so a lower level here may still be
// Maintainer: say so, and let GitLab decide when the agent is registered (the first write).
function warnIfNotMaintainer(project: GitLabProject, session: GitLabSession, io: FlowIO): void {
  if (project.accessLevel === undefined || project.accessLevel >= MAINTAINER_ACCESS) return;
  io.emit({
    type: 'warn',
    text: `${session.user.username} does not appear as a Maintainer of ${project.pathWithNamespace} (registering an agent needs Maintainer); access through a shared group does not show here, so GitLab decides when the agent is registered`,
  });
}
