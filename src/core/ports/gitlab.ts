import type { Secret } from '../kernel/secret.js';

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
}

export interface GitLabMetadata {
  version: string;
  enterprise?: boolean;
  kas: { enabled: boolean; externalUrl: string | null; version: string | null };
}

/** GitLab's access level of the Maintainer role: needed to register agents and their tokens. */
export const MAINTAINER_ACCESS = 40;

export interface GitLabProject {
  id: number;
  pathWithNamespace: string;
  name: string;
  webUrl: string;
  defaultBranch?: string;
  /** Highest of project and group access level, when GitLab reports it (40 = Maintainer). */
  accessLevel?: number;
}

export interface GitLabAgent {
  id: number;
  name: string;
  createdAt?: string;
}

export interface GitLabAgentToken {
  id: number;
  name: string;
  description?: string | null;
  status: 'active' | 'revoked';
  createdAt?: string;
  /** Only the single-token GET returns it. */
  lastUsedAt?: string | null;
}

/** One agentk connected to KAS, as GitLab's GraphQL API reports it (Maintainer+ only). */
export interface AgentConnection {
  connectedAt?: string;
  podName?: string;
  version?: string;
}

export interface CreatedAgentToken {
  token: GitLabAgentToken;
  /** The glagent- value: shown by GitLab only once. */
  value: Secret;
}

/** How GitLab is reached: URL plus a token the user gave through env, glab's config or a prompt. */
export interface GitLabConnection {
  url: string;
  token: Secret;
  /** Extra CA (PEM text) for a GitLab behind a private CA. */
  caPem?: string;
  timeoutMs?: number;
}

/**
 * The GitLab REST API as the flows need it. Errors: GitLabApiError with the HTTP status,
 * so the core can turn 401/403/404 into precise messages.
 */
export interface GitLabClient {
  readonly url: string;
  currentUser(): Promise<GitLabUser>;
  /** Scopes of the token in use (GET /personal_access_tokens/self); undefined when GitLab cannot tell. */
  tokenScopes(): Promise<string[] | undefined>;
  metadata(): Promise<GitLabMetadata>;
  project(pathOrId: string): Promise<GitLabProject>;
  /** Projects the user can maintain, matching the term. */
  searchProjects(term: string): Promise<GitLabProject[]>;
  listAgents(projectId: number): Promise<GitLabAgent[]>;
  registerAgent(projectId: number, name: string): Promise<GitLabAgent>;
  deleteAgent(projectId: number, agentId: number): Promise<void>;
  listTokens(projectId: number, agentId: number): Promise<GitLabAgentToken[]>;
  /** undefined when revoked or gone (GitLab answers 404). */
  getToken(projectId: number, agentId: number, tokenId: number): Promise<GitLabAgentToken | undefined>;
  createToken(projectId: number, agentId: number, name: string, description: string): Promise<CreatedAgentToken>;
  revokeToken(projectId: number, agentId: number, tokenId: number): Promise<void>;
  /**
   * Live agentk connections (GraphQL `clusterAgent.connections`). undefined when GitLab cannot tell
   * (no GraphQL, no permission): an empty list there can also mean "not allowed to see".
   */
  agentConnections(projectPath: string, agentName: string): Promise<AgentConnection[] | undefined>;
  /** undefined when the file does not exist on that ref. */
  getFile(projectId: number, path: string, ref: string): Promise<string | undefined>;
  commitFile(
    projectId: number,
    change: { branch: string; path: string; content: string; message: string; create: boolean },
  ): Promise<void>;
}

export interface GitLabPort {
  connect(connection: GitLabConnection): GitLabClient;
}

export class GitLabApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'GitLabApiError';
  }
}
