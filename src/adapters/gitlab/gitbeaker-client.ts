import {
  type AgentConnection,
  type CommitRequest,
  type CreatedAgentToken,
  GitLabApiError,
  type GitLabAgent,
  type GitLabAgentToken,
  type GitLabClient,
  type GitLabCommit,
  type GitLabConnection,
  type GitLabMergeRequest,
  type GitLabMetadata,
  type MergeRequestRequest,
  type GitLabProject,
  type GitLabUser,
  type UrlConfiguration,
  type UrlConfigurationRequest,
} from '../../core/ports/gitlab.js';
import { Secret } from '../../core/kernel/secret.js';
import { notJsonSuccess, toGitLabError } from './api-errors.js';
import { DEFAULT_TIMEOUT_MS, type GitbeakerApi, loadGitbeaker } from './load-gitbeaker.js';
import { privateCaDispatcher } from './private-ca.js';
import { toAgent, toCommit, toMergeRequest, toMetadata, toProject, toToken, toUrlConfiguration, toUser } from './mapping.js';
import { CancelledError } from '../../core/kernel/errors.js';

const MAINTAINER = 40;

type Json = Record<string, unknown>;

/** A JSON object as GitLab's API answers it; an HTML or text 200 means the URL is not GitLab's API. */
function object<T>(body: T, what: string): T {
  const problem = notJsonSuccess(body, what);
  if (problem) throw problem;
  return body;
}

/** A JSON array, as GitLab's list endpoints answer. */
function list<T>(body: T[], what: string): T[] {
  if (Array.isArray(body)) return body;
  throw notJsonSuccess(body, what) ?? new Error(`${what} did not answer a list`);
}

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
    const signal = this.#connection.signal;
    if (signal?.aborted) throw new CancelledError();
    // gitbeaker takes no AbortSignal: race the call, so a cancel never waits for GitLab to answer.
    let onAbort: (() => void) | undefined;
    const cancelled = new Promise<never>((_, reject) => {
      onAbort = () => reject(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work(api), cancelled]);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw toGitLabError(error, this.#timeoutMs);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      cancelled.catch(() => undefined);
    }
  }

  currentUser(): Promise<GitLabUser> {
    return this.#call(async (api) => toUser(object(await api.Users.showCurrentUser(), 'GET /api/v4/user')));
  }

  async tokenScopes(): Promise<string[] | undefined> {
    try {
      return await this.#call(async (api) => {
        const token: Json = object(await api.PersonalAccessTokens.show(), 'GET /api/v4/personal_access_tokens/self');
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

  async metadata(): Promise<GitLabMetadata> {
    try {
      return await this.#call(async (api) => toMetadata(object(await api.Metadata.show(), 'GET /api/v4/metadata')));
    } catch (error) {
      // GitLab before 15.2 has no /metadata: its version still comes from /version; KAS it cannot report.
      if (!isNotFound(error)) throw error;
      return this.#call(async (api) => {
        const response = await api.requester.get<Json>('version', { signal: AbortSignal.timeout(this.#timeoutMs) });
        const body = object(response.body, 'GET /api/v4/version');
        const version = typeof body['version'] === 'string' ? body['version'] : 'unknown';
        return { version, kas: { enabled: false, externalUrl: null, version: null }, reportsKas: false };
      });
    }
  }

  project(pathOrId: string): Promise<GitLabProject> {
    const id = /^\d+$/.test(pathOrId) ? Number(pathOrId) : pathOrId;
    return this.#call(async (api) =>
      toProject(object(await api.Projects.show(id), `GET /api/v4/projects/${encodeURIComponent(String(id))}`)),
    );
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
      return list(projects, 'GET /api/v4/projects').map(toProject);
    });
  }

  listAgents(projectId: number): Promise<GitLabAgent[]> {
    // gitbeaker follows the Link header, so every page is read (GitLab has no get-by-name).
    return this.#call(async (api) =>
      list(await api.Agents.all(projectId), `GET /api/v4/projects/${projectId}/cluster_agents`).map(toAgent),
    );
  }

  registerAgent(projectId: number, name: string): Promise<GitLabAgent> {
    return this.#call(async (api) =>
      toAgent(object(await api.Agents.register(projectId, name), `POST /api/v4/projects/${projectId}/cluster_agents`)),
    );
  }

  async deleteAgent(projectId: number, agentId: number): Promise<void> {
    await this.#call((api) => api.Agents.unregister(projectId, agentId));
  }

  listTokens(projectId: number, agentId: number): Promise<GitLabAgentToken[]> {
    return this.#call(async (api) =>
      list(await api.Agents.allTokens(projectId, agentId), `GET /api/v4/projects/${projectId}/cluster_agents/${agentId}/tokens`).map(
        toToken,
      ),
    );
  }

  async getToken(projectId: number, agentId: number, tokenId: number): Promise<GitLabAgentToken | undefined> {
    try {
      // The 43.8 type lacks last_used_at but the body has it; toToken reads it.
      return await this.#call(async (api) =>
        toToken(
          object(
            await api.Agents.showToken(projectId, agentId, tokenId),
            `GET /api/v4/projects/${projectId}/cluster_agents/${agentId}/tokens/${tokenId}`,
          ),
        ),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined; // revoked or gone
      throw error;
    }
  }

  createToken(projectId: number, agentId: number, name: string, description: string): Promise<CreatedAgentToken> {
    return this.#call(async (api) => {
      // Raw POST: gitbeaker 43.8's Agents.createToken sends a GET, which only lists tokens.
      const response = await api.requester.post<Json>(`projects/${projectId}/cluster_agents/${agentId}/tokens`, {
        body: { name, description },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const body = object(response.body, `POST /api/v4/projects/${projectId}/cluster_agents/${agentId}/tokens`);
      const value = body['token'];
      if (typeof value !== 'string') throw new Error('GitLab created the agent token but sent no token value');
      return { token: toToken(body), value: new Secret(value) };
    });
  }

  async revokeToken(projectId: number, agentId: number, tokenId: number): Promise<void> {
    await this.#call((api) => api.Agents.removeToken(projectId, agentId, tokenId));
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
        signal: this.#connection.signal
          ? AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#connection.signal])
          : AbortSignal.timeout(this.#timeoutMs),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
      if (!response.ok) return undefined;
      const body = (await response.json()) as {
        data?: {
          project?: {
            clusterAgent?: {
              connections?: { nodes?: { connectedAt?: string; metadata?: { version?: string; podName?: string } }[] };
            } | null;
          } | null;
        };
      };
      const nodes = body.data?.project?.clusterAgent?.connections?.nodes;
      return nodes?.map((n) => ({ connectedAt: n.connectedAt, podName: n.metadata?.podName, version: n.metadata?.version }));
    } catch {
      if (this.#connection.signal?.aborted) throw new CancelledError();
      return undefined;
    } finally {
      await dispatcher?.close().catch(() => undefined);
    }
  }

  async getFile(projectId: number, path: string, ref: string): Promise<string | undefined> {
    try {
      return await this.#call(async (api) => {
        const file = object(
          await api.RepositoryFiles.show(projectId, path, ref),
          `GET /api/v4/projects/${projectId}/repository/files/${encodeURIComponent(path)}`,
        );
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

  commitFiles(projectId: number, commit: CommitRequest): Promise<GitLabCommit> {
    return this.#call(async (api) => {
      // gitbeaker turns filePath into file_path; text encoding keeps the content readable in GitLab's logs.
      const actions = commit.actions.map((a) =>
        a.action === 'delete'
          ? { action: a.action, filePath: a.path }
          : { action: a.action, filePath: a.path, content: a.content, encoding: 'text' as const },
      );
      const made: Json = await api.Commits.create(projectId, commit.branch, commit.message, actions, {
        ...(commit.startBranch ? { startBranch: commit.startBranch } : {}),
      });
      return toCommit(object(made, `POST /api/v4/projects/${projectId}/repository/commits`));
    });
  }

  async getBranch(projectId: number, branch: string): Promise<{ name: string; protected: boolean; canPush: boolean } | undefined> {
    try {
      return await this.#call(async (api) => {
        const b: Json = object(
          await api.Branches.show(projectId, branch),
          `GET /api/v4/projects/${projectId}/repository/branches/${encodeURIComponent(branch)}`,
        );
        return { name: String(b['name'] ?? branch), protected: b['protected'] === true, canPush: b['can_push'] === true };
      });
    } catch (error) {
      if (isNotFound(error, 'Branch Not Found')) return undefined;
      throw error;
    }
  }

  createMergeRequest(projectId: number, request: MergeRequestRequest): Promise<GitLabMergeRequest> {
    return this.#call(async (api) => {
      const made: Json = await api.MergeRequests.create(projectId, request.sourceBranch, request.targetBranch, request.title, {
        ...(request.description ? { description: request.description } : {}),
        ...(request.removeSourceBranch ? { removeSourceBranch: true } : {}),
      });
      return toMergeRequest(object(made, `POST /api/v4/projects/${projectId}/merge_requests`));
    });
  }

  async getAgent(projectId: number, agentId: number): Promise<GitLabAgent | undefined> {
    try {
      return await this.#call(async (api) =>
        toAgent(object(await api.Agents.show(projectId, agentId), `GET /api/v4/projects/${projectId}/cluster_agents/${agentId}`)),
      );
    } catch (error) {
      if (isNotFound(error, '404 Not found')) return undefined; // the agent, not the project ("404 Project Not Found")
      throw error;
    }
  }

  /** gitbeaker 43.8 has no url_configurations resource: raw requests, Base64 as GitLab wants. */
  createUrlConfiguration(projectId: number, agentId: number, request: UrlConfigurationRequest): Promise<UrlConfiguration> {
    const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
    return this.#call(async (api) => {
      const body: Json = {
        url: request.url,
        ...(request.caCertPem ? { ca_cert: base64(request.caCertPem) } : {}),
        ...(request.clientCertPem ? { client_cert: base64(request.clientCertPem) } : {}),
        ...(request.clientKeyPem ? { client_key: base64(request.clientKeyPem.reveal()) } : {}),
        ...(request.tlsHost ? { tls_host: request.tlsHost } : {}),
      };
      const response = await api.requester.post<Json>(this.#urlConfigurations(projectId, agentId), {
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      return toUrlConfiguration(object(response.body, `POST /api/v4/${this.#urlConfigurations(projectId, agentId)}`));
    });
  }

  getUrlConfiguration(projectId: number, agentId: number): Promise<UrlConfiguration | undefined> {
    return this.#call(async (api) => {
      const response = await api.requester.get<Json[]>(this.#urlConfigurations(projectId, agentId), {
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const [first] = list(response.body, `GET /api/v4/${this.#urlConfigurations(projectId, agentId)}`);
      return first ? toUrlConfiguration(first) : undefined;
    });
  }

  async deleteUrlConfiguration(projectId: number, agentId: number, configurationId: number): Promise<void> {
    await this.#call((api) =>
      api.requester.delete(`${this.#urlConfigurations(projectId, agentId)}/${configurationId}`, {
        signal: AbortSignal.timeout(this.#timeoutMs),
      }),
    );
  }

  #urlConfigurations(projectId: number, agentId: number): string {
    return `projects/${projectId}/cluster_agents/${agentId}/url_configurations`;
  }
}
