import { CancelledError, FlowError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeWorkloads } from '../../ports/kube/index.js';

/**
 * Watches (never polls) until no pod and no Deployment match the selector: what `helm uninstall`
 * leaves terminating in the background. Resolves with how many pods were seen going.
 */
export async function awaitPodsGone(
  cluster: KubeWorkloads,
  namespace: string,
  selector: string,
  timeoutMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<number> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let seen = 0;
  let left = 0;
  try {
    return await new Promise<number>((resolve, reject) => {
      cluster
        .watchReadiness(
          namespace,
          selector,
          (s) => {
            left = s.pods.length;
            seen = Math.max(seen, left);
            if (left === 0 && !s.deployment) resolve(seen);
          },
          stop.signal,
        )
        .then(() => (signal.aborted ? reject(new CancelledError()) : undefined), reject);
      clock.sleep(timeoutMs, stop.signal).then(
        () =>
          reject(
            new FlowError(
              'pods',
              `${left} pod${left === 1 ? '' : 's'} still there after ${Math.round(timeoutMs / 1000)}s`,
              `watch them with kubectl get pods -n ${namespace} -l ${selector}`,
            ),
          ),
        () => (signal.aborted ? reject(new CancelledError()) : undefined),
      );
    });
  } finally {
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }
}
