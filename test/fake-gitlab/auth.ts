import type { IncomingMessage } from 'node:http';
import { ApiError, fail } from './http.js';
import type { FakeGitLabState } from './state.js';
import type { FakePersonalAccessToken, FakeUser } from './types.js';

/** Which token scopes a route accepts, mirroring allow_access_with_scope in GitLab's API classes. */
export type ScopePolicy =
  /** Most endpoints: api; read_api for GET/HEAD. */
  | 'api'
  /** /user, /metadata, /version: also read_user for GET/HEAD. */
  | 'read_user'
  /** /personal_access_tokens/self: any scope may look at itself. */
  | 'any'
  /** Repository files: also read_repository (and ai_workflows) for GET/HEAD (lib/api/files.rb). */
  | 'read_repository';

export interface Caller {
  user: FakeUser;
  token: FakePersonalAccessToken;
}

/** The token a request carries: PRIVATE-TOKEN, Authorization: Bearer, or the private_token/access_token parameter. */
export function credentialOf(req: IncomingMessage, url: URL): string | undefined {
  const privateToken = req.headers['private-token'];
  if (typeof privateToken === 'string' && privateToken !== '') return privateToken;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) return bearer[1].trim();
  return url.searchParams.get('private_token') ?? url.searchParams.get('access_token') ?? undefined;
}

/**
 * Resolves the caller. No credential → undefined (the route decides); an unknown, revoked or
 * expired token → 401 with the body GitLab sends in each case.
 */
export function authenticate(req: IncomingMessage, url: URL, state: FakeGitLabState): Caller | undefined {
  const value = credentialOf(req, url);
  if (value === undefined) return undefined;
  const token = state.tokenByValue(value);
  const user = token && state.users.get(token.userId);
  if (!token || !user) throw fail.unauthorized();
  if (token.revoked) throw invalidToken('Token was revoked. You have to re-authorize from the user.');
  if (token.expiresAt !== null && token.expiresAt <= state.timestamp().slice(0, 10)) {
    throw invalidToken('Token is expired. You can either do re-authorization or token refresh.');
  }
  token.lastUsedAt = state.timestamp();
  return { user, token };
}

/** The scopes a route accepts for this method, in GitLab's order. */
export function acceptedScopes(method: string, policy: Exclude<ScopePolicy, 'any'>): string[] {
  const read = method === 'GET' || method === 'HEAD';
  if (!read) return ['api'];
  if (policy === 'read_user') return ['api', 'read_api', 'read_user'];
  if (policy === 'read_repository') return ['api', 'read_api', 'read_repository', 'ai_workflows'];
  return ['api', 'read_api'];
}

/**
 * 403 insufficient_scope (Rack::OAuth2 Bearer::Forbidden) unless the token has an accepted scope.
 * No WWW-Authenticate header: GitLab's api_guard.rb notes (FIXME) that Bearer::Forbidden sends none,
 * so a client sees the required scope only in the body's `scope`.
 */
export function requireScope(caller: Caller, method: string, policy: ScopePolicy): void {
  if (policy === 'any') return;
  const accepted = acceptedScopes(method, policy);
  if (caller.token.scopes.some((scope) => accepted.includes(scope))) return;
  const description = 'The request requires higher privileges than provided by the access token.';
  throw new ApiError({
    status: 403,
    body: { error: 'insufficient_scope', error_description: description, scope: accepted.join(' ') },
  });
}

function invalidToken(description: string): ApiError {
  return new ApiError({
    status: 401,
    body: { error: 'invalid_token', error_description: description },
    headers: {
      'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
    },
  });
}
