import type { IncomingMessage } from 'node:http';

/** What a route hands back; the server writes it as JSON (no body for 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers to stop with a GitLab-shaped error, like Grape's error!. */
export class ApiError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, headers });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** The message shapes GitLab's API helpers produce (lib/api/helpers.rb). */
export const fail = {
  unauthorized: () => new ApiError({ status: 401, body: { message: '401 Unauthorized' } }),
  /** forbidden!(reason) → "403 Forbidden - reason". */
  forbidden: (reason?: string) => new ApiError({ status: 403, body: { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' } }),
  /** not_found!('Project') → "404 Project Not Found". */
  notFound: (resource?: string) =>
    new ApiError({ status: 404, body: { message: resource ? `404 ${resource} Not Found` : '404 Not Found' } }),
  /** ActiveRecord::RecordNotFound → "404 Not found" (lower-case f, as GitLab writes it). */
  recordNotFound: () => new ApiError({ status: 404, body: { message: '404 Not found' } }),
  /** bad_request!(reason): a Ruby array reason is interpolated as ["…", "…"]. */
  badRequest: (reason?: string | string[]) =>
    new ApiError({
      status: 400,
      body: { message: reason === undefined ? '400 Bad request' : `400 Bad request - ${rubyString(reason)}` },
    }),
  /** render_api_error!(message, 400): the message alone. */
  message: (status: number, message: string) => new ApiError({ status, body: { message } }),
  /** Grape parameter validation: {"error":"name is missing"}. */
  param: (message: string) => new ApiError({ status: 400, body: { error: message } }),
  /** Unknown route: Grape's catch-all error!('404 Not Found'). */
  noRoute: () => new ApiError({ status: 404, body: { error: '404 Not Found' } }),
};

function rubyString(reason: string | string[]): string {
  return Array.isArray(reason) ? `[${reason.map((r) => JSON.stringify(r)).join(', ')}]` : reason;
}

/** Reads a JSON or form body; Grape merges it with the query string into one params hash. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError({ status: 400, body: { error: "The provided content-type 'application/json' is not valid JSON" } });
    }
  }
  return text;
}

/** Offset pagination with the headers GitLab sends (X-Total, X-Next-Page, Link, …). */
export function paginate<T>(items: T[], url: URL): { page: T[]; headers: Record<string, string> } {
  const perPage = clamp(Number(url.searchParams.get('per_page') ?? 20) || 20, 1, 100);
  const current = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const link = (page: number): string => {
    const target = new URL(url);
    target.searchParams.set('page', String(page));
    target.searchParams.set('per_page', String(perPage));
    return target.toString();
  };
  const links = [
    current > 1 ? `<${link(current - 1)}>; rel="prev"` : undefined,
    current < totalPages ? `<${link(current + 1)}>; rel="next"` : undefined,
    `<${link(1)}>; rel="first"`,
    `<${link(totalPages)}>; rel="last"`,
  ].filter((l) => l !== undefined);
  return {
    page: items.slice((current - 1) * perPage, current * perPage),
    headers: {
      'x-page': String(current),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': current < totalPages ? String(current + 1) : '',
      'x-prev-page': current > 1 ? String(current - 1) : '',
      link: links.join(', '),
    },
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(n)));
}
