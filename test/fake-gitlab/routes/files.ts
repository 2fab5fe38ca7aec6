import { createHash } from 'node:crypto';
import { commitEntity } from '../entities.js';
import { created, fail, ok } from '../http.js';
import { blobId, type CommitAction, RepositoryError } from '../repository.js';
import type { Route, RouteContext } from '../router.js';
import { Access, type FakeProject } from '../types.js';
import { userProject } from './projects.js';

/** lib/api/files.rb and the commits endpoint of lib/api/commits.rb. */

const PUSH_REFUSED = 'You are not allowed to push into this branch';

/** :read_code: anyone on a public project, else Reporter+; nobody with the repository disabled. */
function authorizeRead(ctx: RouteContext, project: FakeProject): void {
  if (!ctx.state.canReadCode(project, ctx.user)) throw fail.forbidden();
}

/** :push_code: Developer+ on an enabled repository. */
function canPushCode(ctx: RouteContext, project: FakeProject): boolean {
  return project.repositoryEnabled && ctx.state.accessLevel(project, ctx.caller.user) >= Access.developer;
}

/** Gitlab::UserAccess#can_push_to_branch?: push_code, then the branch's "allowed to push" level. */
export function canPushToBranch(ctx: RouteContext, project: FakeProject, branch: string): boolean {
  if (!canPushCode(ctx, project)) return false;
  const protection = project.protectedBranches.get(branch);
  if (protection === undefined || protection === 'developers') return true;
  if (protection === 'no_one') return false; // Maintainers, Owners and admins included
  return ctx.state.accessLevel(project, ctx.caller.user) >= Access.maintainer;
}

function decode(content: string, encoding: string | undefined): string {
  return encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
}

/** Runs one commit and turns the service's errors into GitLab's 400 {"message": …}. */
function commit(ctx: RouteContext, project: FakeProject, actions: CommitAction[]) {
  const branch = ctx.string('branch') ?? '';
  try {
    const made = ctx.state.repository(project).commit({
      branch,
      startBranch: ctx.string('start_branch'),
      message: ctx.string('commit_message') ?? '',
      authorName: ctx.string('author_name') ?? ctx.caller.user.name,
      authorEmail: ctx.string('author_email') ?? `${ctx.caller.user.username}@example.com`,
      createdAt: ctx.state.timestamp(),
      actions,
    });
    project.lastActivityAt = made.createdAt;
    return made;
  } catch (error) {
    if (error instanceof RepositoryError) throw fail.message(400, error.message);
    throw error;
  }
}

function writeFile(kind: 'create' | 'update') {
  return (ctx: RouteContext) => {
    ctx.require('branch', 'content', 'commit_message');
    const project = userProject(ctx);
    // files.rb: authorize! :push_code (403); the commit service refuses a protected branch (400).
    if (!canPushCode(ctx, project)) throw fail.forbidden();
    if (!canPushToBranch(ctx, project, ctx.string('branch') ?? '')) throw fail.message(400, PUSH_REFUSED);
    const filePath = ctx.segment('file_path');
    const content = decode(ctx.string('content') ?? '', ctx.string('encoding'));
    commit(ctx, project, [{ action: kind, filePath, content, lastCommitId: ctx.string('last_commit_id') }]);
    const body = { file_path: filePath, branch: ctx.string('branch') };
    return kind === 'create' ? created(body) : ok(body);
  };
}

const ACTIONS = new Set(['create', 'delete', 'move', 'update', 'chmod']);

/** Validates the actions array like Grape does, then maps it to repository actions. */
function parseActions(ctx: RouteContext): CommitAction[] {
  const raw = ctx.params['actions'];
  if (!Array.isArray(raw)) throw fail.param('actions is invalid');
  return raw.map((item: unknown, i): CommitAction => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string) : undefined);
    const action = text('action');
    if (action === undefined) throw fail.param(`actions[${i}][action] is missing`);
    if (!ACTIONS.has(action)) throw fail.param(`actions[${i}][action] does not have a valid value`);
    const filePath = text('file_path');
    if (filePath === undefined) throw fail.param(`actions[${i}][file_path] is missing`);
    const content = text('content') === undefined ? undefined : decode(text('content') ?? '', text('encoding'));
    const lastCommitId = text('last_commit_id');
    switch (action) {
      case 'create':
      case 'update':
        return { action, filePath, content: content ?? '', lastCommitId };
      case 'delete':
        return { action, filePath, lastCommitId };
      case 'move': {
        const previousPath = text('previous_path');
        if (previousPath === undefined) throw fail.param(`actions[${i}][previous_path] is missing`);
        return { action, filePath, previousPath, content, lastCommitId };
      }
      default:
        return { action: 'chmod', filePath };
    }
  });
}

export const fileRoutes: Route[] = [
  {
    // lib/api/branches.rb: Entities::Branch, can_push for the caller.
    method: 'GET',
    pattern: '/projects/:id/repository/branches/:branch',
    handle: (ctx) => {
      const project = userProject(ctx);
      authorizeRead(ctx, project);
      const name = ctx.segment('branch');
      const repository = ctx.state.repository(project);
      const head = repository.resolve(name);
      if (!repository.branches.has(name) || !head) throw fail.notFound('Branch');
      const protection = project.protectedBranches.get(name);
      return ok({
        name,
        merged: false,
        protected: protection !== undefined,
        default: name === project.defaultBranch,
        developers_can_push: protection === undefined || protection === 'developers',
        developers_can_merge: protection === undefined || protection === 'developers',
        can_push: canPushToBranch(ctx, project, name),
        web_url: `${ctx.state.baseUrl}/${ctx.state.pathWithNamespace(project)}/-/tree/${name}`,
        commit: commitEntity(ctx.state, project, head),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/files/:file_path',
    scopes: 'read_repository',
    anonymous: true,
    handle: (ctx) => {
      ctx.require('ref');
      const project = userProject(ctx);
      authorizeRead(ctx, project);
      const ref = ctx.string('ref') ?? '';
      const filePath = ctx.segment('file_path');
      const repository = ctx.state.repository(project);
      const at = repository.resolve(ref);
      if (!at) throw fail.notFound('Commit');
      const file = repository.readFile(ref, filePath);
      if (!file) throw fail.notFound('File');
      const bytes = Buffer.from(file.content, 'utf8');
      const body = {
        file_name: filePath.split('/').at(-1),
        file_path: filePath,
        size: bytes.length,
        encoding: 'base64',
        content_sha256: createHash('sha256').update(bytes).digest('hex'),
        ref,
        blob_id: blobId(file.content),
        commit_id: file.commit.id,
        last_commit_id: file.lastCommitId,
        execute_filemode: false,
        content: bytes.toString('base64'),
      };
      return ok(body, {
        'x-gitlab-blob-id': body.blob_id,
        'x-gitlab-commit-id': body.commit_id,
        'x-gitlab-content-sha256': body.content_sha256,
        'x-gitlab-encoding': 'base64',
        'x-gitlab-file-name': body.file_name ?? '',
        'x-gitlab-file-path': filePath,
        'x-gitlab-last-commit-id': body.last_commit_id,
        'x-gitlab-ref': ref,
        'x-gitlab-size': String(body.size),
        'x-gitlab-execute-filemode': 'false',
      });
    },
  },
  { method: 'POST', pattern: '/projects/:id/repository/files/:file_path', handle: writeFile('create') },
  { method: 'PUT', pattern: '/projects/:id/repository/files/:file_path', handle: writeFile('update') },
  {
    method: 'POST',
    pattern: '/projects/:id/repository/commits',
    handle: (ctx) => {
      ctx.require('branch', 'commit_message', 'actions');
      const actions = parseActions(ctx);
      const project = userProject(ctx);
      // commits.rb: authorize_read_code! for the whole API, then authorize_push_to_branch!: a
      // refused push is 403 here, where the files API says 400.
      authorizeRead(ctx, project);
      if (!canPushToBranch(ctx, project, ctx.string('branch') ?? '')) throw fail.forbidden(PUSH_REFUSED);
      return created(commitEntity(ctx.state, project, commit(ctx, project, actions)));
    },
  },
];
