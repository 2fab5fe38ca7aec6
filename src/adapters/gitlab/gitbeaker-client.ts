import {
  type AgentConnection,
  type CreatedAgentToken,
  GitLabApiError,
  type GitLabAgent,
  type GitLabAgentToken,
  type GitLabClient,
  type GitLabConnection,
  type GitLabMetadata,
  type GitLabProject,
  type GitLabUser,
} from '../../core/ports/gitlab.js';
import { Secret } from '../../core/kernel/secret.js';
import { toGitLabError } from './api-errors.js';
import { DEFAULT_TIMEOUT_MS, type GitbeakerApi, loadGitbeaker } from './load-gitbeaker.js';
import { privateCaDispatcher } from './private-ca.js';
import { toAgent, toMetadata, toProject, toToken, toUser } from './mapping.js';

const MAINTAINER = 40;

type Json = Record<string, unknown>;

/** 43.8 publishes the resource as Agents; newer gitbeaker renames it ClusterAgents. */
type AgentsResource = GitbeakerApi['Agents'];

/** A 404, optionally only with one of GitLab's messages (e.g. "404 File Not Found"). */
function isNotFound(error: unknown, ...messages: string[]): boolean {
  if (!(error instanceof GitLabApiError) || error.status !== 404) return false;
  return messages.length === 0 || messages.some((m) => error.message.includes(m));
}

/** GitLab's REST API through @gitbeaker/rest, errors mapped by toGitLabError. */
export class GitbeakerClient implements GitLabClient {
  readonly url: string;
  readonly #connection: GitLabConnection;
  readonly #timeoutMs: number;
  #api: Promise<GitbeakerApi> | undefined;

  constructor(connection: GitLabConnection) {
    this.url = connection.url;
    this.#connection = connection;
    this.#timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Runs one API call on the lazily created client, translating its failure. */
  async #call<T>(work: (api: GitbeakerApi) => Promise<T>): Promise<T> {
    this.#api ??= loadGitbeaker(this.#connection).catch((error: unknown) => {
      this.#api = undefined; // let a later call retry the import
      throw error;
    });
    const api = await this.#api;
    try {
      return await work(api);
    } catch (error) {
      throw toGitLabError(error, this.#timeoutMs);
    }
  }

  #agents(api: GitbeakerApi): AgentsResource {
    return (api as GitbeakerApi & { ClusterAgents?: AgentsResource }).ClusterAgents ?? api.Agents;
  }

  currentUser(): Promise<GitLabUser> {
    return this.#call(async (api) => toUser(await api.Users.showCurrentUser()));
  }

  async tokenScopes(): Promise<string[] | undefined> {
    try {
      return await this.#call(async (api) => {
        const token: Json = await api.PersonalAccessTokens.show();
        const scopes = token['scopes'];
        return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : undefined;
      });
    } catch (error) {
      // 404: GitLab before 15.5 has no /personal_access_tokens/self. 400: not a personal access
      // token (an OAuth token from glab): GitLab cannot tell its scopes this way.
      if (error instanceof GitLabApiError && (error.status === 404 || error.status === 400)) return undefined;
      throw error;
    }
  }

  metadata(): Promise<GitLabMetadata> {
    return this.#call(async (api) => toMetadata(await api.Metadata.show()));
  }

  project(pathOrId: string): Promise<GitLabProject> {
    const id = /^\d+$/.test(pathOrId) ? Number(pathOrId) : pathOrId;
    return this.#call(async (api) => toProject(await api.Projects.show(id)));
  }

  searchProjects(term: string): Promise<GitLabProject[]> {
    return this.#call(async (api) => {
      const projects: Json[] = await api.Projects.all({
        search: term,
        searchNamespaces: term.includes('/'),
        membership: true,
        minAccessLevel: MAINTAINER,
        simple: true,
        orderBy: term.trim() === '' ? 'last_activity_at' : 'similarity',
        pagination: 'offset',
        perPage: 20,
        maxPages: 1,
      });
      return projects.map(toProject);
    });
  }

  listAgents(projectId: number): Promise<GitLabAgent[]> {
    // gitbeaker follows the Link header, so every page is read (GitLab has no get-by-name).
    return this.#call(async (api) => (await this.#agents(api).all(projectId)).map(toAgent));
  }

  registerAgent(projectId: number, name: string): Promise<GitLabAgent> {
    return this.#call(async (api) => toAgent(await this.#agents(api).register(projectId, name)));
  }

  async deleteAgent(projectId: number, agentId: number): Promise<void> {
    await this.#call((api) => this.#agents(api).unregister(projectId, agentId));
  }

  listTokens(projectId: number, agentId: number): Promise<GitLabAgentToken[]> {
    return this.#call(async (api) => (await this.#agents(api).allTokens(projectId, agentId)).map(toToken));
  }

  async getToken(projectId: number, agentId: number, tokenId: number): Promise<GitLabAgentToken | undefined> {
    try {
      // The 43.8 type lacks last_used_at but the body has it; toToken reads it.
      return await this.#call(async (api) => toToken(await this.#agents(api).showToken(projectId, agentId, tokenId)));
    } catch (error) {
      if (isNotFound(error)) return undefined; // revoked or gone
      throw error;
    }
  }

  createToken(projectId: number, agentId: number, name: string, description: string): Promise<CreatedAgentToken> {
    return this.#call(async (api) => {
      // Raw POST: gitbeaker 43.8's Agents.createToken sends a GET, which only lists tokens.
      const response = await api.requester.post<Json>(
        `projects/${projectId}/cluster_agents/${agentId}/tokens`,
        { body: { name, description }, signal: AbortSignal.timeout(this.#timeoutMs) },
      );
      const body = response.body;
      const value = body['token'];
      if (typeof value !== 'string') throw new Error('GitLab created the agent token but sent no token value');
      return { token: toToken(body), value: new Secret(value) };
    });
  }

  async revokeToken(projectId: number, agentId: number, tokenId: number): Promise<void> {
    await this.#call((api) => this.#agents(api).removeToken(projectId, agentId, tokenId));
  }

  async agentConnections(projectPath: string, agentName: string): Promise<AgentConnection[] | undefined> {
    // gitbeaker does not wrap GraphQL; same token, same CA, plain fetch.
    const query = `query($p: ID!, $a: String!) { project(fullPath: $p) { clusterAgent(name: $a) { connections { nodes { connectedAt metadata { version podName } } } } } }`;
    const dispatcher = this.#connection.caPem ? privateCaDispatcher(this.#connection.caPem) : undefined;
    try {
      const response = await fetch(`${this.url}/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#connection.token.reveal()}` },
        body: JSON.stringify({ query, variables: { p: projectPath, a: agentName } }),
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
      if (!response.ok) return undefined;
      const body = (await response.json()) as {
        data?: { project?: { clusterAgent?: { connections?: { nodes?: { connectedAt?: string; metadata?: { version?: string; podName?: string } }[] } } | null } | null };
      };
      const nodes = body.data?.project?.clusterAgent?.connections?.nodes;
      return nodes?.map((n) => ({ connectedAt: n.connectedAt, podName: n.metadata?.podName, version: n.metadata?.version }));
    } catch {
      return undefined;
    } finally {
      await dispatcher?.close().catch(() => undefined);
    }
  }

  async getFile(projectId: number, path: string, ref: string): Promise<string | undefined> {
    try {
      return await this.#call(async (api) => {
        const file = await api.RepositoryFiles.show(projectId, path, ref);
        return Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
      });
    } catch (error) {
      // "Commit Not Found": the ref does not exist yet (an empty repository), so neither does the file.
      if (isNotFound(error, 'File Not Found', 'Commit Not Found')) return undefined;
      throw error;
    }
  }

  async commitFile(
    projectId: number,
    change: { branch: string; path: string; content: string; message: string; create: boolean },
  ): Promise<void> {
    await this.#call((api) =>
      change.create
        ? api.RepositoryFiles.create(projectId, change.path, change.branch, change.content, change.message)
        : api.RepositoryFiles.edit(projectId, change.path, change.branch, change.content, change.message),
    );
  }
}
