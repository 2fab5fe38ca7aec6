import type { CallOptions, ClientNode } from './client-node.js';
import { DeadlineError } from './failures.js';

/**
 * client-node 2.x has no per-request timeout. We put an AbortSignal on the request through a middleware
 * (undici then tears the socket down) and also race the whole call, because authentication (an exec plugin,
 * a token file) runs before any middleware and cannot see that signal.
 */
export async function withDeadline<T>(
  k8s: ClientNode,
  timeoutMs: number,
  run: (options: CallOptions) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(timeoutMs)), timeoutMs);
  const onOuter = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });

  const options: CallOptions = {
    middleware: [
      {
        pre: (ctx) => {
          ctx.setSignal(controller.signal);
          return new k8s.Observable(Promise.resolve(ctx));
        },
        post: (response) => new k8s.Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run(options), aborted]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
    if (onAbort) controller.signal.removeEventListener('abort', onAbort);
    // Swallow the race loser's rejection; it is expected once the other side has settled.
    aborted.catch(() => undefined);
  }
}
