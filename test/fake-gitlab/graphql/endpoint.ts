import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth.js';
import { ApiError, type Reply } from '../http.js';
import type { FakeGitLabState } from '../state.js';
import { execute } from './execute.js';
import { GraphQLSyntaxError, parseQuery } from './parse.js';
import { queryRoot } from './schema.js';

const errors = (status: number, message: string): Reply => ({ status, body: { errors: [{ message }] } });

/**
 * POST /api/graphql. Anonymous callers are allowed (they see public data only); a bad token is 401;
 * queries need api or read_api. GraphQL errors come back as 200 {"errors": […]}, like GitLab.
 */
export function graphqlEndpoint(state: FakeGitLabState, req: IncomingMessage, url: URL, body: unknown): Reply {
  let caller;
  try {
    caller = authenticate(req, url, state);
  } catch (error) {
    if (error instanceof ApiError) return errors(401, 'Invalid token');
    throw error;
  }
  if (caller && !caller.token.scopes.some((s) => s === 'api' || s === 'read_api')) {
    return errors(403, 'Insufficient scope');
  }
  const request = (body ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof request.query !== 'string') return { status: 200, body: { errors: [{ message: 'No query string was present' }] } };
  try {
    const operation = parseQuery(request.query);
    if (operation.kind !== 'query') {
      return { status: 200, body: { errors: [{ message: 'Only queries are supported by the fake GitLab' }] } };
    }
    const variables =
      typeof request.variables === 'object' && request.variables !== null
        ? (request.variables as Record<string, unknown>)
        : {};
    return { status: 200, body: execute(operation, queryRoot(state, caller?.user), variables) };
  } catch (error) {
    if (error instanceof GraphQLSyntaxError) return { status: 200, body: { errors: [{ message: error.message }] } };
    throw error;
  }
}
