import { projectEntity, simpleProjectEntity } from '../entities.js';
import { fail, ok, paginate } from '../http.js';
import type { Route, RouteContext } from '../router.js';
import type { FakeProject } from '../types.js';

/** GitLab's find_project!: by id or URL-encoded full path; 404 unless the caller may see it. */
export function userProject(ctx: RouteContext): FakeProject {
  const project = ctx.state.findProject(ctx.segment('id'));
  if (!project || !ctx.state.canSee(project, ctx.caller.user)) throw fail.notFound('Project');
  return project;
}

function listProjects(ctx: RouteContext) {
  const { state, caller } = ctx;
  const search = ctx.string('search')?.toLowerCase();
  const minAccess = ctx.string('min_access_level');
  const membership = ctx.flag('membership') || minAccess !== undefined;
  const projects = [...state.projects.values()]
    .filter((p) => state.canSee(p, caller.user))
    .filter((p) => !membership || state.isMember(p, caller.user))
    .filter((p) => minAccess === undefined || state.accessLevel(p, caller.user) >= Number(minAccess))
    .filter((p) => {
      if (!search) return true;
      const haystack = [p.name, p.path, p.description ?? ''];
      if (ctx.flag('search_namespaces')) haystack.push(state.pathWithNamespace(p));
      return haystack.some((text) => text.toLowerCase().includes(search));
    })
    .sort((a, b) => (ctx.string('sort') === 'asc' ? a.id - b.id : b.id - a.id));
  const { page, headers } = paginate(projects, ctx.url);
  const simple = ctx.flag('simple');
  return ok(
    page.map((p) => (simple ? simpleProjectEntity(state, p) : projectEntity(state, p, caller.user))),
    headers,
  );
}

export const projectRoutes: Route[] = [
  { method: 'GET', pattern: '/projects', handle: listProjects },
  {
    method: 'GET',
    pattern: '/projects/:id',
    handle: (ctx) => ok(projectEntity(ctx.state, userProject(ctx), ctx.caller.user)),
  },
];
