import { CancelledError, FlowError } from '../../kernel/errors.js';
import type { KubeObject } from '../../ports/kube/index.js';
import type { DeliveryVerifyContext } from '../delivery.js';
import type { FluxPlan, FluxState } from './plan.js';
import { judgeFlux, type FluxObjects } from './verdict.js';

/**
 * Watches the GitRepository, the Kustomization and the HelmRelease (three watches through the objects
 * port, no polling) until the HelmRelease is Ready, Flux reports a failure, or the timeout.
 */
export function watchFlux(c: DeliveryVerifyContext<FluxPlan, FluxState>): Promise<string> {
  const { cluster, state, plan, target, io, ports } = c;
  const stop = new AbortController();
  const seen: FluxObjects = {};
  // Judged only once all three have listed: a HelmRelease not listed yet is not a HelmRelease missing.
  const listed = new Set<keyof FluxObjects>();
  let last = 'waiting for Flux';
  const expectation = {
    commitId: state.commitId,
    helmRelease: { namespace: state.fluxNamespace, name: plan.release },
    rootWithoutKustomization: state.rootWithoutKustomization,
    fluxPath: state.kustomization.path,
    manifestPath: state.manifestPath,
    agentName: target.agentName,
  };
  let settled = false;
  return new Promise<string>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      stop.abort();
      fn();
    };
    const judge = () => {
      const verdict = judgeFlux(seen, expectation);
      if (verdict.state === 'failed') finish(() => reject(new FlowError('flux', verdict.message, verdict.hint)));
      else if (verdict.state === 'ready') finish(() => resolve(verdict.progress));
      else if (verdict.progress !== last) {
        last = verdict.progress;
        io.emit({ type: 'info', text: `flux: ${last}` });
      }
    };
    const watch = (key: keyof FluxObjects, apiVersion: string, kind: string, namespace: string, objectName: string) =>
      cluster
        .watchObjects(
          { apiVersion, kind, namespace },
          (objects: KubeObject[]) => {
            seen[key] = objects.find((o) => o.metadata.name === objectName);
            listed.add(key);
            if (listed.size === 3) judge();
          },
          stop.signal,
        )
        .catch((err: unknown) =>
          finish(() => reject(new FlowError('flux', `watching ${kind} ${namespace}/${objectName} failed: ${(err as Error).message}`))),
        );
    void watch(
      'gitRepository',
      state.gitRepository.apiVersion,
      'GitRepository',
      state.gitRepository.namespace ?? state.fluxNamespace,
      state.gitRepository.name,
    );
    void watch(
      'kustomization',
      state.kustomization.apiVersion,
      'Kustomization',
      state.kustomization.namespace ?? state.fluxNamespace,
      state.kustomization.name,
    );
    void watch('helmRelease', state.apiVersions.helm, 'HelmRelease', state.fluxNamespace, plan.release);
    io.signal.addEventListener('abort', () => finish(() => reject(new CancelledError())), { once: true });
    ports.clock.sleep(c.timeoutMs, stop.signal).then(
      () =>
        finish(() =>
          reject(
            new FlowError(
              'flux',
              `Flux did not finish within ${Math.round(c.timeoutMs / 1000)}s (${last})`,
              state.mergeRequestUrl
                ? `merge ${state.mergeRequestUrl}, then run the install again to watch it`
                : 'check flux get kustomizations, or raise --timeout',
            ),
          ),
        ),
      () => undefined,
    );
  });
}
