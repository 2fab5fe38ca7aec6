import type { AgentInstall } from '../../discovery/agent-install.js';
import { GitLabApiError, type GitLabClient, type GitLabProject } from '../../ports/gitlab.js';

/** Where an install's agent is in GitLab, and the token its Secret holds. */
export interface AgentRef {
  projectId: number;
  projectPath: string;
  agentId: number;
  agentName: string;
  tokenId?: number;
  /** The project's default branch, where the agent's config file lives. */
  defaultBranch?: string;
}

/** An AgentRef, or the reason this install's agent cannot be found in the GitLab we are connected to. */
export type AgentLookup = { ref: AgentRef } | { missing: string };

/**
 * Resolves the GitLab agent of installs from what our token Secret records (agent id and name, project,
 * GitLab URL). Secrets written before the project was recorded need --project. Project reads are cached.
 */
export class AgentResolver {
  readonly #projects = new Map<string, Promise<GitLabProject | undefined>>();

  constructor(
    private readonly client: GitLabClient,
    /** --project, for Secrets that do not record their project. */
    private readonly projectOption?: string,
  ) {}

  #project(idOrPath: string): Promise<GitLabProject | undefined> {
    let p = this.#projects.get(idOrPath);
    if (!p) {
      p = this.client.project(idOrPath).catch((err: unknown) => {
        if (err instanceof GitLabApiError && (err.status === 404 || err.status === 403)) return undefined;
        throw err;
      });
      this.#projects.set(idOrPath, p);
    }
    return p;
  }

  async resolve(install: AgentInstall): Promise<AgentLookup> {
    const token = install.token;
    if (!token || token.agentId === undefined || !token.agentName) {
      return {
        missing: install.ours
          ? 'its token Secret does not name the GitLab agent'
          : 'not installed by this tool (no token Secret of ours beside it)',
      };
    }
    const reg = token.registration;
    const sameHost = (url: string) => url.replace(/\/+$/, '') === this.client.url.replace(/\/+$/, '');
    if (reg?.gitlabUrl && !sameHost(reg.gitlabUrl))
      return { missing: `registered on ${reg.gitlabUrl} (pass --gitlab-url ${reg.gitlabUrl})` };
    const wanted = reg?.projectId !== undefined ? String(reg.projectId) : (reg?.projectPath ?? this.projectOption);
    if (wanted === undefined)
      return { missing: 'its token Secret does not record the project (installed by an older version): pass --project' };
    const project = await this.#project(wanted);
    if (!project) return { missing: `project ${wanted} was not found or you cannot see it` };
    return {
      ref: {
        projectId: project.id,
        projectPath: project.pathWithNamespace,
        agentId: token.agentId,
        agentName: token.agentName,
        tokenId: token.tokenId,
        ...(project.defaultBranch ? { defaultBranch: project.defaultBranch } : {}),
      },
    };
  }
}
