import { STATUS_CODES } from 'node:http';
import { FlowError } from '../../core/kernel/errors.js';
import type { ProbeFailureKind } from '../../core/ports/kube/index.js';
import { ExecPluginError } from './exec-credential.js';
import { KUBE_FAILURE_HINTS } from '../../core/plan/kube-hints.js';

/**
 * Turns whatever client-node, undici, Node or an exec plugin threw into one line a user understands.
 * client-node 2.x throws ApiException whose message dumps status, body and headers; never show that.
 */

export interface ClassifiedFailure {
  kind: ProbeFailureKind;
  message: string;
  /** HTTP status, when the API server answered. */
  status?: number;
  /** Kubernetes Status.reason (NotFound, AlreadyExists, Forbidden…). */
  reason?: string;
  /** The exec credential plugin that failed or hung, when that was the cause. */
  execPlugin?: string;
}

/** Raised by our own deadlines (calls, probes). */
export class DeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'TimeoutError';
  }
}

/** A failed Kubernetes call, as the flow sees it: a FlowError with the HTTP status kept for callers. */
export class KubeApiError extends FlowError {
  constructor(
    readonly action: string,
    readonly failure: ClassifiedFailure,
    hint?: string,
  ) {
    super('kubernetes', `${action}: ${failure.message}`, hint);
    this.name = 'KubeApiError';
  }
  get status(): number | undefined {
    return this.failure.status;
  }
  get kind(): ProbeFailureKind {
    return this.failure.kind;
  }
}

export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
};

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Node/OpenSSL certificate and handshake error codes. */
function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER|DECRYPT)|ERR_SSL|ERR_TLS|HOSTNAME_MISMATCH/.test(code) || code === 'EPROTO';
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  body?: unknown;
  headers?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error, its causes and AggregateError members (undici tries every address of a host). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object') continue;
    const el = e as ErrorLike;
    out.push(el);
    if (el.cause !== undefined) queue.push(el.cause);
    if (Array.isArray(el.errors)) queue.push(...(el.errors as unknown[]));
  }
  return out;
}

interface KubeStatus {
  message?: string;
  reason?: string;
  code?: number;
}

/** ApiException.body is the raw response text: usually a JSON metav1.Status. */
function parseStatusBody(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      const text = body.trim().split('\n')[0];
      return text ? { message: text.slice(0, 300) } : undefined;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  const s = value as Record<string, unknown>;
  return {
    ...(typeof s.message === 'string' && s.message ? { message: s.message } : {}),
    ...(typeof s.reason === 'string' && s.reason ? { reason: s.reason } : {}),
    ...(typeof s.code === 'number' ? { code: s.code } : {}),
  };
}

function httpFailure(status: number, body: unknown): ClassifiedFailure {
  const parsed = parseStatusBody(body);
  const reason = parsed?.reason;
  const text = `${status} ${STATUS_CODES[status] ?? 'error'}`;
  const base = { status, ...(reason ? { reason } : {}) };
  if (status === 401) {
    return { ...base, kind: 'unauthorized', message: 'the API server rejected the credentials (401 Unauthorized)' };
  }
  if (status === 403) {
    return { ...base, kind: 'unauthorized', message: parsed?.message ?? `forbidden (${text})` };
  }
  return { ...base, kind: 'other', message: parsed?.message ?? text };
}

/**
 * Classifies any failure of a Kubernetes call. `server` and `timeoutMs` make messages concrete.
 * Order matters: our deadline and exec plugin errors first, then HTTP answers, then socket/TLS errors.
 */
export function classifyFailure(err: unknown, context: { server?: string; timeoutMs?: number } = {}): ClassifiedFailure {
  const where = context.server ? ` ${context.server}` : ' the API server';
  const errors = chain(err);
  for (const e of errors) {
    if (e instanceof ExecPluginError) {
      return { kind: e.failure === 'timeout' ? 'timeout' : 'exec-plugin', message: e.message, execPlugin: e.command };
    }
  }
  for (const e of errors) {
    if (e instanceof DeadlineError) {
      return { kind: 'timeout', message: `no answer from${where} within ${formatSeconds(e.timeoutMs)}` };
    }
  }
  for (const e of errors) {
    // ApiException (code + body + headers) from the generated API; watch failures carry statusCode.
    if (typeof e.code === 'number' && 'body' in e) return httpFailure(e.code, e.body);
    if (typeof e.statusCode === 'number') return httpFailure(e.statusCode, e.body);
  }
  for (const e of errors) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && UNREACHABLE[code]) return { kind: 'unreachable', message: `cannot reach${where}: ${UNREACHABLE[code]}` };
    if (code && TIMEOUT_CODES.has(code)) {
      return {
        kind: 'timeout',
        message: `no answer from${where}${context.timeoutMs ? ` within ${formatSeconds(context.timeoutMs)}` : ''}`,
      };
    }
    if (code && isTlsCode(code)) {
      return { kind: 'tls', message: `TLS error talking to${where}: ${String(e.message ?? code)}` };
    }
  }
  for (const e of errors) {
    // undici refuses the Fetch standard's "bad ports" (1, 7, 6000, 6665…) before connecting; kubectl would try.
    if (e.message === 'bad port') {
      return { kind: 'unreachable', message: `cannot reach${where}: its port is on the Fetch standard's blocked-port list` };
    }
  }
  for (const e of errors) {
    if (e.name === 'TimeoutError') {
      return {
        kind: 'timeout',
        message: `no answer from${where}${context.timeoutMs ? ` within ${formatSeconds(context.timeoutMs)}` : ''}`,
      };
    }
  }
  for (const e of errors) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    // e.g. a certificate-authority file that does not exist (client-node reads it per request).
    if (code === 'ENOENT' || code === 'EACCES') return { kind: 'other', message: String(e.message) };
  }
  // undici wraps socket errors as "fetch failed"; the useful text is deepest in the chain.
  const deepest = [...errors].reverse().find((e) => typeof e.message === 'string' && e.message !== '' && e.message !== 'fetch failed');
  const message = typeof deepest?.message === 'string' ? (deepest.message.split('\n')[0] ?? 'unknown error') : 'unknown error';
  return { kind: 'other', message };
}

function hintFor(failure: ClassifiedFailure): string | undefined {
  if (failure.execPlugin) return KUBE_FAILURE_HINTS['exec-plugin'];
  if (failure.status === 401) return KUBE_FAILURE_HINTS.unauthorized;
  if (failure.status === 403) return 'ask a cluster admin for this permission, or choose another context';
  return failure.kind === 'other' ? undefined : KUBE_FAILURE_HINTS[failure.kind];
}

/** Wraps a failure of `action` (e.g. `create Secret ns/name`) into the error the flow shows. */
export function kubeError(action: string, err: unknown, context: { server?: string; timeoutMs?: number } = {}): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const failure = classifyFailure(err, context);
  return new KubeApiError(action, failure, hintFor(failure));
}

/** True when a call failed because the server answered with this HTTP status. */
export function hasStatus(err: unknown, status: number): boolean {
  return err instanceof KubeApiError && err.status === status;
}
