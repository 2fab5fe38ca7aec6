import { projectEntity, simpleProjectEntity } from '../entities.js';
import { fail, ok, paginate } from '../http.js';
import { matchesSearch, similarityScore } from '../project-search.js';
import type { Route, RouteContext } from '../router.js';
import type { FakeProject } from '../types.js';

/** GitLab's find_project!: by id or URL-encoded full path; 404 unless the caller may see it. */
export function userProject(ctx: RouteContext): FakeProject {
  const project = ctx.state.findProject(ctx.segment('id'));
  if (!project || !ctx.state.canSee(project, ctx.user)) throw fail.notFound('Project');
  return project;
}

type Sortable = Pick<FakeProject, 'id' | 'name' | 'path' | 'createdAt' | 'lastActivityAt'>;

/** order_by (default created_at) and sort (default desc); ties by id in the same direction. */
function comparator(ctx: RouteContext, search: string): (a: FakeProject, b: FakeProject) => number {
  const orderBy = ctx.string('order_by') ?? 'created_at';
  const direction = ctx.string('sort') === 'asc' ? 1 : -1;
  const byId = (a: Sortable, b: Sortable) => (a.id - b.id) * direction;
  if (orderBy === 'similarity' && search !== '') {
    // sorted_by_similarity_desc ignores `sort`: best match first, then newest.
    return (a, b) => similarityScore(search, b) - similarityScore(search, a) || b.id - a.id;
  }
  const key: (p: Sortable) => string | number =
    orderBy === 'name'
      ? (p) => p.name.toLowerCase()
      : orderBy === 'path'
        ? (p) => p.path.toLowerCase()
        : orderBy === 'last_activity_at'
          ? (p) => p.lastActivityAt
          : orderBy === 'id'
            ? (p) => p.id
            : (p) => p.createdAt;
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x < y ? -1 : x > y ? 1 : 0) * direction || byId(a, b);
  };
}

const ORDER_BY = new Set(['id', 'name', 'path', 'created_at', 'updated_at', 'last_activity_at', 'similarity', 'star_count']);

function listProjects(ctx: RouteContext) {
  const { state } = ctx;
  const user = ctx.user;
  const orderBy = ctx.string('order_by');
  if (orderBy !== undefined && !ORDER_BY.has(orderBy)) throw fail.param('order_by does not have a valid value');
  const search = ctx.string('search') ?? '';
  const minAccess = ctx.string('min_access_level');
  const membership = ctx.flag('membership') || minAccess !== undefined;
  const withNamespaces = ctx.flag('search_namespaces');
  const projects = [...state.projects.values()]
    .filter((p) => state.canSee(p, user))
    .filter((p) => !membership || state.isMember(p, user))
    .filter((p) => minAccess === undefined || state.accessLevel(p, user) >= Number(minAccess))
    .filter((p) =>
      matchesSearch(
        search,
        withNamespaces
          ? [state.pathWithNamespace(p), [...p.namespace.split('/'), p.name].join(' / '), p.description]
          : [p.path, p.name, p.description],
      ),
    )
    .sort(comparator(ctx, search));
  const { page, headers } = paginate(projects, ctx.url);
  const simple = ctx.flag('simple');
  return ok(
    page.map((p) => (simple ? simpleProjectEntity(state, p, user) : projectEntity(state, p, user))),
    headers,
  );
}

export const projectRoutes: Route[] = [
  { method: 'GET', pattern: '/projects', anonymous: true, handle: listProjects },
  {
    method: 'GET',
    pattern: '/projects/:id',
    anonymous: true,
    handle: (ctx) => ok(projectEntity(ctx.state, userProject(ctx), ctx.user)),
  },
];
