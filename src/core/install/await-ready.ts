import { CancelledError, FlowError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import type { Clock } from '../ports/files.js';
import type { KubeCluster } from '../ports/kube.js';
import { diagnoseReadiness, type Finding, type ReadinessVerdict } from '../readiness/diagnose.js';
import type { ReadinessSnapshot } from '../readiness/snapshot.js';
import { agentSelector } from '../plan/names.js';

export interface ReadinessWatch {
  /** Resolves once Ready; rejects with a FlowError naming the failure, or on timeout. */
  done: Promise<ReadinessVerdict>;
  /** helm has applied the new spec: from now on a Ready verdict counts (before, it could be the old release's). */
  arm(): void;
  stop(): void;
}

export interface ReadinessFailure extends FlowError {
  findings?: Finding[];
  logLines?: string[];
}

function explain(findings: Finding[]): string {
  return findings.map((f) => `${f.pod ? `${f.pod}: ` : ''}${f.summary}`).join('; ');
}

/**
 * Watches the release's pods from before helm starts, so the first Ready is seen the moment
 * it is written. A stuck pod ends the wait at once with its reason, not at the timeout.
 */
export function watchUntilReady(
  cluster: KubeCluster,
  namespace: string,
  release: string,
  timeoutMs: number,
  clock: Clock,
  io: FlowIO,
): ReadinessWatch {
  const stopper = new AbortController();
  const onAbort = () => stopper.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  const started = clock.now();
  let last: { snapshot: ReadinessSnapshot; verdict: ReadinessVerdict } | undefined;
  let armed = false;
  let judge: (snapshot: ReadinessSnapshot) => void = () => undefined;

  const done = new Promise<ReadinessVerdict>((resolve, reject) => {
    const finish = (fn: () => void) => {
      stopper.abort();
      io.signal.removeEventListener('abort', onAbort);
      fn();
    };
    judge = (snapshot) => {
      if (stopper.signal.aborted) return;
      const verdict = diagnoseReadiness(snapshot, clock.now() - started, undefined, started);
      last = { snapshot, verdict };
      io.emit({ type: 'readiness', snapshot, verdict });
      if (verdict.state === 'ready' && armed) finish(() => resolve(verdict));
      else if (verdict.state === 'failed') {
        finish(() => reject(Object.assign(new FlowError('readiness', explain(verdict.findings), verdict.findings[0]?.next), { findings: verdict.findings })));
      }
    };
    cluster
      .watchReadiness(namespace, agentSelector(release), (snapshot) => judge(snapshot), stopper.signal)
      .catch((err: unknown) => {
        if (!stopper.signal.aborted) finish(() => reject(new FlowError('readiness', `watching the agent pods failed: ${(err as Error).message}`)));
      });
    clock.sleep(timeoutMs, stopper.signal).then(
      () => {
        if (stopper.signal.aborted) return;
        const progress = last?.verdict.progress ?? 'no agent pods seen';
        const findings = last && last.verdict.state !== 'ready' ? last.verdict.findings : [];
        finish(() =>
          reject(
            Object.assign(
              new FlowError('readiness', `not Ready after ${Math.round(timeoutMs / 1000)}s (${progress})${findings.length ? `: ${explain(findings)}` : ''}`, findings[0]?.next ?? 'check the pods with kubectl describe, or raise --timeout'),
              { findings },
            ),
          ),
        );
      },
      () => undefined,
    );
    const onCancel = () => reject(new CancelledError());
    io.signal.addEventListener('abort', onCancel, { once: true });
    stopper.signal.addEventListener('abort', () => { if (!io.signal.aborted) io.signal.removeEventListener('abort', onCancel); }, { once: true });
  });
  // The caller may not await `done` yet (helm still running); keep an early rejection from being "unhandled".
  done.catch(() => undefined);
  return {
    done,
    arm: () => {
      armed = true;
      if (last) judge(last.snapshot);
    },
    stop: () => stopper.abort(),
  };
}

/** The last log lines of a crashing agent (previous container first), for the failure message. */
export async function crashLogs(cluster: KubeCluster, namespace: string, findings: Finding[]): Promise<string[]> {
  const crash = findings.find((f) => f.code === 'CRASH_LOOP' && f.pod);
  if (!crash?.pod) return [];
  const previous = await cluster.podLogs({ namespace, pod: crash.pod, previous: true, tailLines: 15 }).catch(() => []);
  if (previous.length > 0) return previous;
  return cluster.podLogs({ namespace, pod: crash.pod, tailLines: 15 }).catch(() => []);
}
