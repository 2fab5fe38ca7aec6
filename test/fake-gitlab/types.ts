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

export interface FakePersonalAccessToken {
  id: number;
  userId: number;
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
  /** Pushing to these needs Maintainer (GitLab protects the default branch by default). */
  protectedBranches: Set<string>;
  createdAt: string;
}

export interface FakeAgent {
  id: number;
  projectId: number;
  name: string;
  createdAt: string;
  createdByUserId: number;
}

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
  /** Clock for every timestamp the fake writes; default: real time. */
  now?: () => Date;
}
