import { GitLabApiError, GitLabUnreachableError, NotGitLabApiError } from '../../core/ports/gitlab.js';

/**
 * Turns what gitbeaker or fetch throws into errors the core understands:
 * - a JSON error answer → GitLabApiError(status, GitLab's message, path);
 * - an HTML or text answer → NotGitLabApiError (below 500: not GitLab's API at all) or, for a 5xx
 *   page from a proxy in front of GitLab, GitLabApiError with the status;
 * - no answer (DNS, refused, TLS, timeout) → GitLabUnreachableError whose message names the cause
 *   (connect-gitlab.ts looks for "certificate"/"self-signed" in it to hint at the CA option).
 * The original gitbeaker error is never kept as `cause`: its Request carries the Authorization header.
 */
export function toGitLabError(error: unknown, timeoutMs: number): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const answer = httpAnswer(error);
  if (answer) return answer;
  if (error.name === 'GitbeakerTimeoutError' || error.name === 'TimeoutError') {
    const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
    return new GitLabUnreachableError(`GitLab did not answer within ${limit}`);
  }
  if (error.name === 'GitbeakerRetryError') {
    const status = /last status code: (\d+)/.exec(error.message)?.[1];
    return status ? new GitLabApiError(Number(status), error.message) : new GitLabUnreachableError(error.message);
  }
  const network = networkCause(error);
  if (network) return new GitLabUnreachableError(network);
  return error;
}

interface FailedRequestCause {
  description?: unknown;
  request?: { url?: unknown; method?: unknown };
  response?: { status?: unknown; headers?: { get(name: string): string | null } };
}

/** gitbeaker's GitbeakerRequestError: cause = { description, request, response }. */
function httpAnswer(error: Error): Error | undefined {
  const cause = error.cause as FailedRequestCause | undefined;
  const status = cause?.response?.status;
  if (typeof status !== 'number') return undefined;
  const method = typeof cause?.request?.method === 'string' ? cause.request.method.toUpperCase() : 'GET';
  const path = pathOf(cause?.request?.url);
  const headers = cause?.response?.headers;
  const contentType = (headers?.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!contentType.includes('json')) return notJson(status, contentType, method, path);
  const description = typeof cause?.description === 'string' ? cause.description : error.message;
  const message = readableMessage(description, method, headers?.get('www-authenticate') ?? '');
  // An empty JSON body says nothing useful; the status must do.
  return new GitLabApiError(status, message === '' ? `HTTP ${status} without a GitLab error message` : message, path);
}

/** GitLab's API answers JSON, errors included; anything else came from something else. */
function notJson(status: number, contentType: string, method: string, path: string | undefined): Error {
  const what = contentType === '' ? 'no content type' : contentType === 'text/html' ? 'an HTML page' : contentType;
  if (status >= 500) {
    return new GitLabApiError(status, `HTTP ${status} with ${what} instead of GitLab's JSON (a proxy or load balancer answered)`, path);
  }
  return new NotGitLabApiError(status, `${method} ${path ?? ''} answered HTTP ${status} with ${what}, not GitLab's JSON`, path);
}

/**
 * The scopes this request needs (lib/api/api.rb: api for everything, read_api for GET/HEAD). GitLab's
 * 403 carries them only in a body field gitbeaker drops, and sends no WWW-Authenticate header.
 */
function requiredScopes(method: string): string {
  return method === 'GET' || method === 'HEAD' ? 'api or read_api' : 'api';
}

/**
 * gitbeaker keeps only body.error || body.message, JSON-encoding objects. Make that one line:
 * validation hashes become "name has already been taken", a missing scope names the scope the
 * request needed, and an invalid token gets its reason from the WWW-Authenticate header of the 401.
 */
function readableMessage(description: string, method: string, authenticate: string): string {
  if (description === 'insufficient_scope') {
    return `insufficient_scope: the token needs the ${requiredScopes(method)} scope`;
  }
  if (description === 'invalid_token') {
    const detail = /error_description="([^"]*)"/.exec(authenticate)?.[1];
    return detail ? `invalid_token: ${detail}` : description;
  }
  if (description.startsWith('{')) {
    try {
      const fields = JSON.parse(description) as Record<string, unknown>;
      return Object.entries(fields)
        .map(([field, problems]) => `${field} ${Array.isArray(problems) ? problems.join(', ') : String(problems)}`)
        .join('; ');
    } catch {
      return description;
    }
  }
  return description;
}

function pathOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** fetch() rejects with TypeError("fetch failed") and the socket/TLS error as cause. */
function networkCause(error: Error): string | undefined {
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  if (error.message !== 'fetch failed' || !cause) return undefined;
  const message = typeof cause.message === 'string' && cause.message !== '' ? cause.message : 'network error';
  return typeof cause.code === 'string' ? `${message} (${cause.code})` : message;
}

/**
 * A successful answer that is not JSON: gitbeaker hands text/* bodies over as strings and other
 * types as Blobs. A web site or login portal at the URL answers 200 with HTML.
 */
export function notJsonSuccess(body: unknown, what: string): NotGitLabApiError | undefined {
  if (typeof body === 'object' && body !== null && !(body instanceof Blob)) return undefined;
  const kind = typeof body === 'string' ? (/^\s*</.test(body) ? 'an HTML page' : 'plain text') : 'a non-JSON body';
  return new NotGitLabApiError(200, `${what} answered HTTP 200 with ${kind}, not GitLab's JSON`);
}
