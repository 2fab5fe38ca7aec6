import type { FakeCommit } from './repository.js';
import type { FakeGitLabState } from './state.js';
import type {
  FakeAgent,
  FakeAgentToken,
  FakePersonalAccessToken,
  FakeProject,
  FakeUser,
} from './types.js';

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

/** BasicProjectDetails: what GET /projects?simple=true returns. */
export function simpleProjectEntity(state: FakeGitLabState, project: FakeProject): Record<string, unknown> {
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
    default_branch: state.repository(project).empty ? null : project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${fullPath}.git`,
    http_url_to_repo: `${state.baseUrl}/${fullPath}.git`,
    web_url: `${state.baseUrl}/${fullPath}`,
    readme_url: null,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: project.createdAt,
    namespace: namespaceEntity(state, project),
  };
}

/** ProjectWithAccess: GET /projects/:id and non-simple lists, with the caller's permissions. */
export function projectEntity(
  state: FakeGitLabState,
  project: FakeProject,
  user: FakeUser,
): Record<string, unknown> {
  const projectAccess = project.members.get(user.id);
  const groupAccess = project.groupMembers.get(user.id);
  return {
    ...simpleProjectEntity(state, project),
    visibility: project.visibility,
    archived: false,
    empty_repo: state.repository(project).empty,
    permissions: {
      project_access: projectAccess === undefined ? null : { access_level: projectAccess, notification_level: 3 },
      group_access: groupAccess === undefined ? null : { access_level: groupAccess, notification_level: 3 },
    },
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
