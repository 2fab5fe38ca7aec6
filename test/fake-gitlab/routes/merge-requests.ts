import { created, fail, ok } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import { Access, type FakeProject } from '../types.js';
import type { FakeGitLabState } from '../state.js';
import { userProject } from './projects.js';

/**
 * lib/api/merge_requests.rb, the parts an installer uses: POST creates an MR (Developer+, both
 * branches must exist, one open MR per source/target pair: 409), GET one by iid. The test merges
 * with mergeMergeRequest(), which fast-forwards the target to the source branch's tree.
 */

export interface FakeMergeRequest {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string | null;
  sourceBranch: string;
  targetBranch: string;
  state: 'opened' | 'merged' | 'closed';
  removeSourceBranch: boolean;
  authorId: number;
  createdAt: string;
}

const store = new WeakMap<FakeGitLabState, FakeMergeRequest[]>();

/** Every merge request of the fake, in creation order. */
export function mergeRequestsOf(state: FakeGitLabState): FakeMergeRequest[] {
  let list = store.get(state);
  if (!list) store.set(state, (list = []));
  return list;
}

function entity(state: FakeGitLabState, project: FakeProject, mr: FakeMergeRequest): Record<string, unknown> {
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    source_branch: mr.sourceBranch,
    target_branch: mr.targetBranch,
    source_project_id: mr.projectId,
    target_project_id: mr.projectId,
    force_remove_source_branch: mr.removeSourceBranch,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha: state.repository(project).branches.get(mr.sourceBranch) ?? null,
    created_at: mr.createdAt,
    web_url: `${state.baseUrl}/${state.pathWithNamespace(project)}/-/merge_requests/${mr.iid}`,
  };
}

/** Merges an open MR as the "Merge" button does (no conflicts here: the target takes the source tree). */
export function mergeMergeRequest(state: FakeGitLabState, project: FakeProject, iid: number): void {
  const mr = mergeRequestsOf(state).find((m) => m.projectId === project.id && m.iid === iid);
  if (!mr || mr.state !== 'opened') throw new Error(`no open merge request !${iid}`);
  const repository = state.repository(project);
  const source = repository.resolve(mr.sourceBranch);
  const target = repository.resolve(mr.targetBranch);
  if (!source || !target) throw new Error('a branch of the merge request is gone');
  const actions = [...source.tree]
    .filter(([path, content]) => target.tree.get(path) !== content)
    .map(([filePath, content]) => ({
      action: target.tree.has(filePath) ? ('update' as const) : ('create' as const),
      filePath,
      content,
    }));
  repository.commit({
    branch: mr.targetBranch,
    message: `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request !${mr.iid}`,
    authorName: 'Merger',
    authorEmail: 'merger@example.com',
    createdAt: state.timestamp(),
    actions,
  });
  mr.state = 'merged';
  if (mr.removeSourceBranch) repository.branches.delete(mr.sourceBranch);
}

function projectForWrite(ctx: RouteContext): FakeProject {
  const project = userProject(ctx);
  if (ctx.state.accessLevel(project, ctx.caller.user) < Access.developer) throw fail.forbidden();
  return project;
}

export const mergeRequestRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/projects/:id/merge_requests',
    handle: (ctx) => {
      ctx.require('source_branch', 'target_branch', 'title');
      const project = projectForWrite(ctx);
      const source = ctx.string('source_branch') ?? '';
      const target = ctx.string('target_branch') ?? '';
      const repository = ctx.state.repository(project);
      const errors: string[] = [];
      if (!repository.branches.has(source)) errors.push(`Source branch "${source}" does not exist`);
      if (!repository.branches.has(target)) errors.push(`Target branch "${target}" does not exist`);
      if (source === target) errors.push("Validate branches You can't use same project/branch for source and target");
      if (errors.length > 0) throw fail.message(400, errors.join(', '));
      const list = mergeRequestsOf(ctx.state);
      const open = list.find(
        (m) => m.projectId === project.id && m.state === 'opened' && m.sourceBranch === source && m.targetBranch === target,
      );
      if (open) throw fail.message(409, `Another open merge request already exists for this source branch: !${open.iid}`);
      const mr: FakeMergeRequest = {
        id: ctx.state.nextId('merge_request'),
        iid: list.filter((m) => m.projectId === project.id).length + 1,
        projectId: project.id,
        title: ctx.string('title') ?? '',
        description: ctx.string('description') ?? null,
        sourceBranch: source,
        targetBranch: target,
        state: 'opened',
        removeSourceBranch: ctx.params['remove_source_branch'] === true || ctx.params['remove_source_branch'] === 'true',
        authorId: ctx.caller.user.id,
        createdAt: ctx.state.timestamp(),
      };
      list.push(mr);
      return created(entity(ctx.state, project, mr));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:merge_request_iid',
    handle: (ctx) => {
      const project = userProject(ctx);
      const iid = ctx.integer('merge_request_iid');
      const mr = mergeRequestsOf(ctx.state).find((m) => m.projectId === project.id && m.iid === iid);
      if (!mr) throw fail.notFound();
      return ok(entity(ctx.state, project, mr));
    },
  },
];
