/** The fake's data model. Field names follow GitLab's models; JSON shapes live in entities.ts. */

/** GitLab access levels (Gitlab::Access). */
export const Access = {
  none: 0,
  minimal: 5,
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export interface FakeUser {
  id: number;
  username: string;
  name: string;
  admin: boolean;
  createdAt: string;
}

/**
 * How GitLab classifies a token (Current.token_info[:token_type]). Project and group access tokens are
 * personal access tokens of a bot user; glab's `auth login` stores an OAuth token.
 */
export type FakeTokenKind = 'PersonalAccessToken' | 'OAuthAccessToken';

export interface FakePersonalAccessToken {
  id: number;
  userId: number;
  kind: FakeTokenKind;
  name: string;
  /** The secret the client sends; never written to the request log. */
  value: string;
  scopes: string[];
  revoked: boolean;
  /** ISO date (YYYY-MM-DD) like GitLab, or null for no expiry. */
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export type Visibility = 'private' | 'internal' | 'public';

export interface FakeProject {
  id: number;
  name: string;
  path: string;
  /** Full path of the parent namespace, e.g. "group/subgroup". */
  namespace: string;
  description: string | null;
  defaultBranch: string;
  visibility: Visibility;
  /** Direct project members: user id → access level. */
  members: Map<number, number>;
  /** Access inherited from the group: user id → access level. */
  groupMembers: Map<number, number>;
  /**
   * Access through a group the project (or its group) is shared with. It counts for every permission
   * check, but GET /projects/:id shows it in neither permissions field (ProjectWithAccess).
   */
  shareMembers: Map<number, number>;
  /** Protected branches and who may push to them (GitLab protects the default branch for Maintainers). */
  protectedBranches: Map<string, PushAccess>;
  /** CI/CD enabled (builds_access_level); off, nobody has :admin_pipeline and agents cannot be registered. */
  buildsEnabled: boolean;
  /** Repository enabled; off, the files and commits APIs refuse and so does agent registration. */
  repositoryEnabled: boolean;
  createdAt: string;
  lastActivityAt: string;
}

/** "Allowed to push and merge" of a protected branch. */
export type PushAccess = 'developers' | 'maintainers' | 'no_one';

/** A receptive agent's URL configuration (Clusters::Agents::UrlConfiguration); PEM fields decoded. */
export interface FakeUrlConfiguration {
  id: number;
  agentId: number;
  projectId: number;
  url: string;
  caCert: string | null;
  clientCert: string | null;
  clientKey: string | null;
  tlsHost: string | null;
  /** Raw Ed25519 public key GitLab generated when no client certificate was given. */
  publicKey: Buffer | null;
  createdByUserId: number;
}

export interface FakeAgent {
  id: number;
  projectId: number;
  name: string;
  createdAt: string;
  createdByUserId: number;
}

/** GitLab's tier: receptive agents need Ultimate. */
export type FakeLicense = 'free' | 'premium' | 'ultimate';

export interface FakeAgentToken {
  id: number;
  agentId: number;
  name: string;
  description: string | null;
  status: 'active' | 'revoked';
  createdAt: string;
  createdByUserId: number;
  lastUsedAt: string | null;
  /** glagent-… secret: returned once by POST …/tokens. */
  value: string;
}

/** What KAS reports for a connected agentk pod (GraphQL ConnectedAgent). */
export interface FakeAgentConnection {
  agentId: number;
  tokenId: number;
  connectionId: number;
  connectedAt: string;
  metadata: { version: string; commit: string; podName: string; podNamespace: string };
  warnings: { version: { type: string; message: string } }[];
}

export interface FakeMetadata {
  version: string;
  revision: string;
  enterprise: boolean;
  kas: {
    enabled: boolean;
    externalUrl: string | null;
    externalK8sProxyUrl: string | null;
    version: string | null;
  };
}

/** One request as GitLab saw it, with every credential replaced by [REDACTED]. */
export interface RecordedRequest {
  method: string;
  /** Raw path as sent (still URL-encoded), e.g. /api/v4/projects/group%2Fapp. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON or form body; null when there was none. */
  body: unknown;
  /** Lower-cased header names; private-token and authorization values redacted. */
  headers: Record<string, string>;
  /** Username the token belonged to, when it was valid. */
  user?: string;
  status: number;
}

export interface FakeGitLabOptions {
  /** Serve HTTPS with this certificate (PEM) instead of HTTP. */
  tls?: { cert: string; key: string };
  /** Mark an agent connected this long after each token is created; default: never. */
  connectAfterMs?: number;
  /** Overrides for GET /metadata. */
  metadata?: Partial<Omit<FakeMetadata, 'kas'>> & { kas?: Partial<FakeMetadata['kas']> };
  /** false simulates GitLab before 15.5, which has no GET /personal_access_tokens/self. */
  personalAccessTokenSelf?: boolean;
  /** false removes GET /metadata (GitLab before 15.2); a metadata.version below 15.2 does too. */
  metadataEndpoint?: boolean;
  /** Tier of an EE instance; default ultimate (CE is always free). */
  license?: FakeLicense;
  /** GitLab.com: no receptive agents. */
  dotCom?: boolean;
  /** The instance's default branch name, used for new (and empty) projects; default main. */
  defaultBranchName?: string;
  /**
   * How long KAS keeps serving an agent after its token is revoked (its agent info cache); default 0.
   * Real KAS keeps such connections, and the token's last_used_at, for minutes.
   */
  revokedConnectionLingerMs?: number;
  /** Clock for every timestamp the fake writes; default: real time. */
  now?: () => Date;
}
