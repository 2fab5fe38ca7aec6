import type { FakeCommit } from './repository.js';
import type { FakeGitLabState } from './state.js';
import type { FakeAgent, FakeAgentToken, FakePersonalAccessToken, FakeProject, FakeUrlConfiguration, FakeUser } from './types.js';

/** JSON bodies in the shapes of GitLab's Grape entities (lib/api/entities). */

export function userEntity(state: FakeGitLabState, user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: null,
    web_url: `${state.baseUrl}/${user.username}`,
    created_at: user.createdAt,
    public_email: null,
    ...(user.admin ? { is_admin: true } : {}),
  };
}

export function personalAccessTokenEntity(token: FakePersonalAccessToken): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt,
    description: null,
    scopes: token.scopes,
    user_id: token.userId,
    last_used_at: token.lastUsedAt,
    active: !token.revoked,
    expires_at: token.expiresAt,
    last_used_ips: [],
  };
}

function namespaceEntity(state: FakeGitLabState, project: FakeProject): Record<string, unknown> {
  const name = project.namespace.split('/').at(-1) ?? project.namespace;
  return {
    id: 1000 + project.id,
    name,
    path: name,
    kind: 'group',
    full_path: project.namespace,
    parent_id: null,
    avatar_url: null,
    web_url: `${state.baseUrl}/groups/${project.namespace}`,
  };
}

/**
 * BasicProjectDetails: what GET /projects?simple=true returns. default_branch is
 * default_branch_or_main: an empty repository reports the configured default name, never null,
 * and only callers who may read code see it.
 */
export function simpleProjectEntity(state: FakeGitLabState, project: FakeProject, user: FakeUser | undefined): Record<string, unknown> {
  const fullPath = state.pathWithNamespace(project);
  const host = new URL(state.baseUrl || 'http://localhost').host;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: [...project.namespace.split('/'), project.name].join(' / '),
    path: project.path,
    path_with_namespace: fullPath,
    created_at: project.createdAt,
    ...(state.canReadCode(project, user) ? { default_branch: project.defaultBranch } : {}),
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${fullPath}.git`,
    http_url_to_repo: `${state.baseUrl}/${fullPath}.git`,
    web_url: `${state.baseUrl}/${fullPath}`,
    readme_url: null,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: project.lastActivityAt,
    namespace: namespaceEntity(state, project),
  };
}

/**
 * ProjectWithAccess: GET /projects/:id and non-simple lists. `permissions` shows direct project
 * membership and the project's own group hierarchy only: access through a share (or admin rights)
 * appears in neither field. Anonymous callers get no permissions at all.
 */
export function projectEntity(state: FakeGitLabState, project: FakeProject, user: FakeUser | undefined): Record<string, unknown> {
  const projectAccess = user && project.members.get(user.id);
  const groupAccess = user && project.groupMembers.get(user.id);
  return {
    ...simpleProjectEntity(state, project, user),
    visibility: project.visibility,
    archived: false,
    empty_repo: state.repository(project).empty,
    jobs_enabled: project.buildsEnabled,
    repository_access_level: project.repositoryEnabled ? 'enabled' : 'disabled',
    builds_access_level: project.buildsEnabled ? 'enabled' : 'disabled',
    ...(user
      ? {
          permissions: {
            project_access: projectAccess === undefined ? null : { access_level: projectAccess, notification_level: 3 },
            group_access: groupAccess === undefined ? null : { access_level: groupAccess, notification_level: 3 },
          },
        }
      : {}),
  };
}

export function agentEntity(state: FakeGitLabState, agent: FakeAgent): Record<string, unknown> {
  const project = state.projects.get(agent.projectId);
  return {
    id: agent.id,
    name: agent.name,
    config_project: project && {
      id: project.id,
      description: project.description,
      name: project.name,
      name_with_namespace: [...project.namespace.split('/'), project.name].join(' / '),
      path: project.path,
      path_with_namespace: state.pathWithNamespace(project),
      created_at: project.createdAt,
    },
    created_at: agent.createdAt,
    created_by_user_id: agent.createdByUserId,
    // EE only (ee/lib/ee/api/entities/clusters/agent.rb).
    ...(state.metadata.enterprise ? { is_receptive: state.isReceptive(agent) } : {}),
  };
}

/** Entities::Clusters::AgentUrlConfiguration: certificates and the public key in Base64. */
export function urlConfigurationEntity(configuration: FakeUrlConfiguration): Record<string, unknown> {
  const base64 = (value: string | Buffer | null) => (value === null ? null : Buffer.from(value).toString('base64'));
  return {
    id: configuration.id,
    agent_id: configuration.agentId,
    url: configuration.url,
    public_key: base64(configuration.publicKey),
    client_cert: base64(configuration.clientCert),
    ca_cert: base64(configuration.caCert),
    tls_host: configuration.tlsHost,
  };
}

/** AgentTokenBasic (list): no last_used_at, as the docs say. */
export function agentTokenBasicEntity(token: FakeAgentToken): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    description: token.description,
    agent_id: token.agentId,
    status: token.status,
    created_at: token.createdAt,
    created_by_user_id: token.createdByUserId,
  };
}

/** AgentToken (single GET): adds last_used_at. */
export function agentTokenEntity(token: FakeAgentToken): Record<string, unknown> {
  return { ...agentTokenBasicEntity(token), last_used_at: token.lastUsedAt };
}

/** AgentTokenWithToken (POST): the only response that carries the secret. */
export function agentTokenWithTokenEntity(token: FakeAgentToken): Record<string, unknown> {
  return { ...agentTokenEntity(token), token: token.value };
}

export function commitEntity(state: FakeGitLabState, project: FakeProject, commit: FakeCommit): Record<string, unknown> {
  const title = commit.message.split('\n')[0] ?? '';
  return {
    id: commit.id,
    short_id: commit.id.slice(0, 8),
    created_at: commit.createdAt,
    parent_ids: commit.parentIds,
    title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: commit.createdAt,
    committer_name: commit.authorName,
    committer_email: commit.authorEmail,
    committed_date: commit.createdAt,
    trailers: {},
    extended_trailers: {},
    web_url: `${state.baseUrl}/${state.pathWithNamespace(project)}/-/commit/${commit.id}`,
    stats: commit.stats,
    status: null,
    project_id: project.id,
    last_pipeline: null,
  };
}
