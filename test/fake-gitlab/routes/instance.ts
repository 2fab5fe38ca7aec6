import { personalAccessTokenEntity, userEntity } from '../entities.js';
import { fail, ok } from '../http.js';
import type { Route, RouteContext } from '../router.js';

/**
 * GET /metadata (since 15.2): `enterprise` since 15.6, `kas.externalK8sProxyUrl` since 17.6
 * (doc/api/metadata.md). GraphQL-backed in GitLab, like /version since 15.5.
 */
function metadataBody(ctx: RouteContext): Record<string, unknown> {
  const { state } = ctx;
  const { version, revision, kas, enterprise } = state.metadata;
  const { externalK8sProxyUrl, ...kasBefore176 } = kas;
  return {
    version,
    revision,
    kas: state.atLeast(17, 6) ? { ...kasBefore176, externalK8sProxyUrl } : kasBefore176,
    ...(state.atLeast(15, 6) ? { enterprise } : {}),
  };
}

/** Who am I, what can my token do, which GitLab is this. */
export const instanceRoutes: Route[] = [
  { method: 'GET', pattern: '/user', scopes: 'read_user', handle: (ctx) => ok(userEntity(ctx.state, ctx.caller.user)) },
  {
    method: 'GET',
    pattern: '/personal_access_tokens/self',
    scopes: 'any',
    available: (state) => state.personalAccessTokenSelf && state.atLeast(15, 5),
    handle: (ctx) => {
      // self_information.rb: only Current.token_info[:token_type] == 'PersonalAccessToken'.
      if (ctx.caller.token.kind !== 'PersonalAccessToken') {
        throw fail.badRequest('This endpoint requires token type to be a personal access token');
      }
      return ok(personalAccessTokenEntity(ctx.caller.token));
    },
  },
  {
    method: 'GET',
    pattern: '/metadata',
    scopes: 'read_user',
    available: (state) => state.metadataEndpoint && state.atLeast(15, 2),
    handle: (ctx) => ok(metadataBody(ctx)),
  },
  {
    method: 'GET',
    pattern: '/version',
    scopes: 'read_user',
    handle: (ctx) => {
      // Before 15.5 /version had only version and revision; since then it mirrors /metadata.
      if (!ctx.state.atLeast(15, 5)) return ok({ version: ctx.state.metadata.version, revision: ctx.state.metadata.revision });
      return ok(metadataBody(ctx));
    },
  },
];
