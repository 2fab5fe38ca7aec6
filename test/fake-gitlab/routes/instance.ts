import { personalAccessTokenEntity, userEntity } from '../entities.js';
import { fail, ok } from '../http.js';
import type { Route, RouteContext } from '../router.js';

/** GraphQL-backed in GitLab: /metadata and /version run the same query, so they answer the same. */
function metadata(ctx: RouteContext) {
  const { version, revision, kas, enterprise } = ctx.state.metadata;
  return ok({ version, revision, kas: { ...kas }, enterprise });
}

/** Who am I, what can my token do, which GitLab is this. */
export const instanceRoutes: Route[] = [
  { method: 'GET', pattern: '/user', scopes: 'read_user', handle: (ctx) => ok(userEntity(ctx.state, ctx.caller.user)) },
  {
    method: 'GET',
    pattern: '/personal_access_tokens/self',
    scopes: 'any',
    handle: (ctx) => {
      if (!ctx.state.personalAccessTokenSelf) throw fail.noRoute();
      return ok(personalAccessTokenEntity(ctx.caller.token));
    },
  },
  { method: 'GET', pattern: '/metadata', scopes: 'read_user', handle: metadata },
  { method: 'GET', pattern: '/version', scopes: 'read_user', handle: metadata },
];
