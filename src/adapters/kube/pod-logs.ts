import type { PodLogRequest } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { KubeApiError } from './failures.js';

/** Bounds memory when no tailLines is given (agentk can log a lot at debug level). */
const LIMIT_BYTES = 1024 * 1024;

/**
 * The pod log API (GET …/pods/<pod>/log) with previous and tailLines, split into lines.
 * Asking for the previous instance of a container that never restarted yields [] rather than an error:
 * the caller only wants "what did it print before dying", and there is nothing.
 */
export async function podLogs(apis: KubeApis, request: PodLogRequest): Promise<string[]> {
  const { namespace, pod } = request;
  let text: string;
  try {
    text = await apis.call(`read ${request.previous ? 'previous ' : ''}logs of pod ${namespace}/${pod}`, (options) =>
      apis.core.readNamespacedPodLog(
        {
          namespace,
          name: pod,
          ...(request.container ? { container: request.container } : {}),
          ...(request.previous ? { previous: true } : {}),
          ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
          limitBytes: LIMIT_BYTES,
        },
        options,
      ),
    );
  } catch (err) {
    if (request.previous && err instanceof KubeApiError && err.status === 400 && /previous terminated container/i.test(err.message)) {
      return [];
    }
    throw err;
  }
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
