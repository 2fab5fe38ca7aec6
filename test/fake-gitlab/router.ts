import type { Caller, ScopePolicy } from './auth.js';
import { fail, type Reply } from './http.js';
import type { FakeGitLabState } from './state.js';
import type { FakeUser } from './types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One REST endpoint under /api/v4; `pattern` segments starting with ':' are parameters. */
export interface Route {
  method: Method;
  pattern: string;
  /** Token scopes accepted; default 'api' (api, or read_api for reads). */
  scopes?: ScopePolicy;
  /** Answers without a token too (public projects); everything else is 401 without one. */
  anonymous?: boolean;
  /** false: this GitLab version has no such route (Grape's catch-all 404, before authentication). */
  available?(state: FakeGitLabState): boolean;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** A request as a handler sees it: the caller, path parameters and Grape-style merged params. */
export class RouteContext {
  readonly #caller: Caller | undefined;

  constructor(
    readonly state: FakeGitLabState,
    caller: Caller | undefined,
    readonly url: URL,
    readonly path: Record<string, string>,
    /** Query string and body merged, body winning (Grape's params). */
    readonly params: Record<string, unknown>,
  ) {
    this.#caller = caller;
  }

  /** The signed-in caller; only anonymous routes may run without one. */
  get caller(): Caller {
    if (!this.#caller) throw fail.unauthorized();
    return this.#caller;
  }

  /** The user, or undefined for an anonymous request. */
  get user(): FakeUser | undefined {
    return this.#caller?.user;
  }

  /** A path parameter (already URL-decoded). */
  segment(name: string): string {
    const value = this.path[name];
    if (value === undefined) throw new Error(`route has no :${name}`);
    return value;
  }

  /** An Integer-typed path parameter; Grape answers 400 "<name> is invalid" otherwise. */
  integer(name: string): number {
    const value = this.segment(name);
    if (!/^\d+$/.test(value)) throw fail.param(`${name} is invalid`);
    return Number(value);
  }

  /** Optional string param; numbers and booleans are coerced like Grape's String type. */
  string(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : String(value);
  }

  flag(name: string): boolean {
    const value = this.params[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** 400 {"error":"a is missing, b is missing"} for absent `requires` params. */
  require(...names: string[]): void {
    const missing = names.filter((n) => this.params[n] === undefined || this.params[n] === null);
    if (missing.length > 0) throw fail.param(missing.map((n) => `${n} is missing`).join(', '));
  }
}

export type RouteMatch = { route: Route; path: Record<string, string> };

/** Finds the route for a raw /api/v4-relative path; 'wrong-method' when only the method differs. */
export function matchRoute(
  routes: Route[],
  state: FakeGitLabState,
  method: string,
  rawPath: string,
): RouteMatch | 'wrong-method' | undefined {
  const segments = rawPath.split('/').filter((s) => s !== '');
  let pathMatched = false;
  for (const route of routes) {
    if (route.available && !route.available(state)) continue;
    const pattern = route.pattern.split('/').filter((s) => s !== '');
    if (pattern.length !== segments.length) continue;
    const path: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const actual = segments[i] ?? '';
      if (part.startsWith(':')) {
        path[part.slice(1)] = safeDecode(actual);
        return true;
      }
      return part === actual;
    });
    if (!matches) continue;
    pathMatched = true;
    if (route.method === method) return { route, path };
  }
  return pathMatched ? 'wrong-method' : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
