import type {
  GitLabAgent,
  GitLabAgentToken,
  GitLabCommit,
  GitLabMergeRequest,
  GitLabMetadata,
  GitLabProject,
  GitLabUser,
  UrlConfiguration,
} from '../../core/ports/gitlab.js';

/** REST JSON (snake_case, as GitLab sends it) → the port's types. Reads fields defensively. */

type Json = Record<string, unknown>;

const num = (json: Json, key: string): number => Number(json[key]);
const str = (json: Json, key: string): string => (typeof json[key] === 'string' ? json[key] : '');
const optStr = (json: Json, key: string): string | undefined => (typeof json[key] === 'string' ? json[key] : undefined);
const nullableStr = (json: Json, key: string): string | null => (typeof json[key] === 'string' ? json[key] : null);
const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

export function toUser(json: Json): GitLabUser {
  return { id: num(json, 'id'), username: str(json, 'username'), name: str(json, 'name') };
}

/** permissions.{project,group}_access.access_level: only present on full (non-simple) project bodies. */
function accessLevel(json: Json): number | undefined {
  const permissions = obj(json['permissions']);
  if (!permissions) return undefined;
  const levels = ['project_access', 'group_access']
    .map((key) => obj(permissions[key])?.['access_level'])
    .filter((level): level is number => typeof level === 'number');
  return levels.length > 0 ? Math.max(...levels) : undefined;
}

export function toProject(json: Json): GitLabProject {
  return {
    id: num(json, 'id'),
    pathWithNamespace: str(json, 'path_with_namespace'),
    name: str(json, 'name'),
    webUrl: str(json, 'web_url'),
    defaultBranch: optStr(json, 'default_branch'),
    accessLevel: accessLevel(json),
  };
}

export function toAgent(json: Json): GitLabAgent {
  return { id: num(json, 'id'), name: str(json, 'name'), createdAt: optStr(json, 'created_at') };
}

export function toToken(json: Json): GitLabAgentToken {
  return {
    id: num(json, 'id'),
    name: str(json, 'name'),
    description: nullableStr(json, 'description'),
    status: json['status'] === 'revoked' ? 'revoked' : 'active',
    createdAt: optStr(json, 'created_at'),
    // Only the single-token GET sends it; leave it out rather than claim "never used".
    ...('last_used_at' in json ? { lastUsedAt: nullableStr(json, 'last_used_at') } : {}),
  };
}

export function toMetadata(json: Json): GitLabMetadata {
  const kas = obj(json['kas']) ?? {};
  return {
    version: str(json, 'version'),
    ...(typeof json['enterprise'] === 'boolean' ? { enterprise: json['enterprise'] } : {}),
    kas: {
      enabled: kas['enabled'] === true,
      externalUrl: nullableStr(kas, 'externalUrl'),
      version: nullableStr(kas, 'version'),
    },
  };
}

export function toMergeRequest(json: Json): GitLabMergeRequest {
  return { iid: num(json, 'iid'), webUrl: str(json, 'web_url'), state: str(json, 'state') };
}

export function toCommit(json: Json): GitLabCommit {
  return { id: str(json, 'id'), ...(optStr(json, 'web_url') ? { webUrl: optStr(json, 'web_url') } : {}) };
}

/** Entities::Clusters::AgentUrlConfiguration: certificates come Base64-encoded, the public key stays so. */
export function toUrlConfiguration(json: Json): UrlConfiguration {
  const pem = (key: string) => {
    const value = nullableStr(json, key);
    return value === null ? null : Buffer.from(value, 'base64').toString('utf8');
  };
  return {
    id: num(json, 'id'),
    agentId: num(json, 'agent_id'),
    url: str(json, 'url'),
    publicKey: nullableStr(json, 'public_key'),
    clientCertPem: pem('client_cert'),
    caCertPem: pem('ca_cert'),
    tlsHost: nullableStr(json, 'tls_host'),
  };
}
