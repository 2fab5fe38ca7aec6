import { GitLabApiError } from '../../core/ports/gitlab.js';

/**
 * Turns what gitbeaker or fetch throws into errors the core understands:
 * - an HTTP error answer → GitLabApiError(status, GitLab's message, path);
 * - no answer (DNS, refused, TLS, timeout) → a plain Error whose message names the cause
 *   (connect-gitlab.ts looks for "certificate"/"self-signed" in it to hint at the CA option).
 * The original gitbeaker error is never kept as `cause`: its Request carries the Authorization header.
 */
export function toGitLabError(error: unknown, timeoutMs: number): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const answer = httpAnswer(error);
  if (answer) return new GitLabApiError(answer.status, answer.message, answer.path);
  if (error.name === 'GitbeakerTimeoutError') {
    const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
    return new Error(`GitLab did not answer within ${limit}`);
  }
  if (error.name === 'GitbeakerRetryError') {
    const status = /last status code: (\d+)/.exec(error.message)?.[1];
    return status ? new GitLabApiError(Number(status), error.message) : new Error(error.message);
  }
  const network = networkCause(error);
  if (network) return new Error(network);
  return error;
}

interface FailedRequestCause {
  description?: unknown;
  request?: { url?: unknown };
  response?: { status?: unknown; headers?: { get(name: string): string | null } };
}

/** gitbeaker's GitbeakerRequestError: cause = { description, request, response }. */
function httpAnswer(error: Error): { status: number; message: string; path?: string } | undefined {
  const cause = error.cause as FailedRequestCause | undefined;
  const status = cause?.response?.status;
  if (typeof status !== 'number') return undefined;
  const description = typeof cause?.description === 'string' ? cause.description : error.message;
  const headers = cause?.response?.headers;
  const message = readableMessage(description, headers?.get('www-authenticate') ?? '');
  const json = (headers?.get('content-type') ?? '').includes('json');
  return {
    status,
    // A proxy's HTML error page or an empty body says nothing useful; the status must do.
    message: !json || message === '' ? `HTTP ${status} without a GitLab error message (is this GitLab's URL?)` : message,
    path: pathOf(cause?.request?.url),
  };
}

/**
 * gitbeaker keeps only body.error || body.message, JSON-encoding objects. Make that one line:
 * validation hashes become "name has already been taken", OAuth errors get their description
 * and required scope back from the WWW-Authenticate header.
 */
function readableMessage(description: string, authenticate: string): string {
  if (description === 'insufficient_scope') {
    const scope = /scope="([^"]*)"/.exec(authenticate)?.[1];
    return scope ? `insufficient_scope: the token needs the ${scope.split(' ').join(' or ')} scope` : description;
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
