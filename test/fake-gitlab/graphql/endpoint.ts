import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth.js';
import { ApiError, type Reply } from '../http.js';
import type { FakeGitLabState } from '../state.js';
import { execute } from './execute.js';
import { GraphQLSyntaxError, parseQuery } from './parse.js';
import { queryRoot } from './schema.js';
import { coerceVariables, validateOperation } from './validate.js';

const invalidToken: Reply = { status: 401, body: { errors: [{ message: 'Invalid token' }] } };

/**
 * POST /api/graphql (app/controllers/graphql_controller.rb). Anonymous callers are allowed (public
 * data only). A bad token is 401 "Invalid token", and so is a valid token without api or read_api:
 * find_user_for_graphql_api_request swallows the scope error, leaving an anonymous caller with a
 * token, which authorize_access_api! refuses. Query errors come back as 200 {"errors": […]}.
 */
export function graphqlEndpoint(state: FakeGitLabState, req: IncomingMessage, url: URL, body: unknown): Reply {
  let caller;
  try {
    caller = authenticate(req, url, state);
  } catch (error) {
    if (error instanceof ApiError) return invalidToken;
    throw error;
  }
  if (caller && !caller.token.scopes.some((s) => s === 'api' || s === 'read_api')) return invalidToken;
  const request = (body ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof request.query !== 'string') return { status: 200, body: { errors: [{ message: 'No query string was present' }] } };
  try {
    const operation = parseQuery(request.query);
    if (operation.kind !== 'query') {
      return { status: 200, body: { errors: [{ message: 'Only queries are supported by the fake GitLab' }] } };
    }
    const invalid = validateOperation(operation);
    if (invalid.length > 0) return { status: 200, body: { errors: invalid } };
    const provided =
      typeof request.variables === 'object' && request.variables !== null ? (request.variables as Record<string, unknown>) : {};
    const { values, errors } = coerceVariables(operation, provided);
    if (errors.length > 0) return { status: 200, body: { errors } };
    return { status: 200, body: execute(operation, queryRoot(state, caller?.user), values) };
  } catch (error) {
    if (error instanceof GraphQLSyntaxError) {
      const locations = error.location ? { locations: [error.location] } : {};
      return { status: 200, body: { errors: [{ message: error.message, ...locations }] } };
    }
    throw error;
  }
}
