import type { Reply } from './http.js';

/** A canned failure for requests that match, e.g. a 500 or 502 to test retries and error paths. */
export interface Fault {
  method?: string;
  /** Matched against the raw path after /api/v4 (e.g. "/user"); a RegExp is tested as is. */
  path: string | RegExp;
  status: number;
  body?: unknown;
  /** Send `body` (a string) as is with this content type instead of JSON, e.g. text/html. */
  contentType?: string;
  /** How many requests fail; default 1. */
  times?: number;
  /** Wait this long before answering (to exercise client timeouts). */
  delayMs?: number;
}

export class Faults {
  readonly #pending: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    this.#pending.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The reply for this request if a fault claims it (and uses one of its shots). */
  take(method: string, apiPath: string): (Reply & { delayMs?: number }) | undefined {
    const fault = this.#pending.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method === method) &&
        (typeof f.path === 'string' ? f.path === apiPath : f.path.test(apiPath)),
    );
    if (!fault) return undefined;
    fault.left -= 1;
    return {
      status: fault.status,
      body: fault.body ?? { message: `${fault.status} Fault injected by test` },
      ...(fault.contentType ? { headers: { 'content-type': fault.contentType } } : {}),
      delayMs: fault.delayMs,
    };
  }
}
