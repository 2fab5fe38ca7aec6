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
  /** false for GitLab before 15.2, which has no /metadata: then nothing is known about KAS. */
  reportsKas?: boolean;
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

/** One change of an atomic multi-file commit (POST /projects/:id/repository/commits). */
type CommitAction = { action: 'create' | 'update'; path: string; content: string } | { action: 'delete'; path: string };

export interface CommitRequest {
  branch: string;
  message: string;
  actions: CommitAction[];
  /** Branch to start from when `branch` does not exist yet (GitLab's start_branch). */
  startBranch?: string;
}

export interface GitLabCommit {
  id: string;
  webUrl?: string;
}

export interface MergeRequestRequest {
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description?: string;
  /** Delete the source branch once merged. */
  removeSourceBranch?: boolean;
}

export interface GitLabMergeRequest {
  iid: number;
  webUrl: string;
  state: string;
}

/**
 * A receptive agent's URL configuration (GitLab 17.4+, Ultimate, self-managed): where KAS dials the
 * agent. Certificates are PEM text here; GitLab's API carries them Base64-encoded.
 */
export interface UrlConfiguration {
  id: number;
  agentId: number;
  url: string;
  /** Base64 of the Ed25519 public key GitLab generated when no client certificate was given. */
  publicKey: string | null;
  clientCertPem: string | null;
  caCertPem: string | null;
  tlsHost: string | null;
}

export interface UrlConfigurationRequest {
  /** grpc:// or grpcs:// address the agent listens on. */
  url: string;
  caCertPem?: string;
  /** mTLS instead of a generated key pair: both or neither. */
  clientCertPem?: string;
  clientKeyPem?: Secret;
  tlsHost?: string;
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
  /** The run's cancel: every request in flight ends at once with CancelledError. */
  signal?: AbortSignal;
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
  commitFile(projectId: number, change: { branch: string; path: string; content: string; message: string; create: boolean }): Promise<void>;
  /** Several files in one commit, all or nothing (GitLab's commits API). */
  commitFiles(projectId: number, commit: CommitRequest): Promise<GitLabCommit>;
  /** A branch and whether the signed-in user may push to it; undefined when it does not exist. */
  getBranch(projectId: number, branch: string): Promise<{ name: string; protected: boolean; canPush: boolean } | undefined>;
  /** POST /projects/:id/merge_requests; 409 when an open one already exists for the same branches. */
  createMergeRequest(projectId: number, request: MergeRequestRequest): Promise<GitLabMergeRequest>;
  /** undefined when there is no such agent (GitLab answers 404). */
  getAgent(projectId: number, agentId: number): Promise<GitLabAgent | undefined>;
  /**
   * Receptive agents. GitLab answers 404 "404 Not Found" for all three when the instance has none
   * (not Ultimate, GitLab.com, or before 17.4); that surfaces as GitLabApiError(404).
   */
  createUrlConfiguration(projectId: number, agentId: number, request: UrlConfigurationRequest): Promise<UrlConfiguration>;
  /** The agent's configuration, undefined when it has none (GitLab allows one per agent). */
  getUrlConfiguration(projectId: number, agentId: number): Promise<UrlConfiguration | undefined>;
  deleteUrlConfiguration(projectId: number, agentId: number, configurationId: number): Promise<void>;
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

/**
 * The URL answered, but not as GitLab's REST API does: an HTML or plain-text page (another web site,
 * a login portal, a path that is not GitLab's). Not raised for 5xx pages, which are GitLab or its
 * proxy failing.
 */
export class NotGitLabApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'NotGitLabApiError';
  }
}

/** No answer at all: DNS, refused connection, TLS, or a timeout. The message names the cause. */
export class GitLabUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitLabUnreachableError';
  }
}
