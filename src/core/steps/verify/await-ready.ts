import { CancelledError, FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeWorkloads } from '../../ports/kube/index.js';
import { diagnoseReadiness, type Finding, type ReadinessVerdict } from '../../readiness/diagnose.js';
import type { ReadinessSnapshot } from '../../readiness/snapshot.js';

export interface ReadinessWatch {
  /** Resolves once Ready; rejects with a FlowError naming the failure, or on timeout. */
  done: Promise<ReadinessVerdict>;
  /** helm has applied the new spec: from now on a Ready verdict counts (before, it could be the old release's). */
  arm(): void;
  /** The live pods Ready in the last snapshot: after `done`, this rollout's. */
  readyPods(): string[];
  stop(): void;
}

function explain(findings: Finding[]): string {
  return findings.map((f) => `${f.pod ? `${f.pod}: ` : ''}${f.summary}`).join('; ');
}

/** The agent did not become Ready: the findings that say why, and (once read) the crashing agent's last log lines. */
export class ReadinessError extends FlowError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly findings: Finding[],
    evidence: string[] = [],
  ) {
    super('readiness', message, hint, evidence);
    this.name = 'ReadinessError';
  }

  /** The same failure with the agent's log lines as evidence. */
  withLogs(lines: string[]): ReadinessError {
    if (lines.length === 0) return this;
    return new ReadinessError(this.message, this.hint, this.findings, ['Last agent log lines:', ...lines.map((l) => `  ${l}`)]);
  }
}

/** What to watch: the workload's namespace and the label selector of its pods. */
export interface WorkloadRef {
  namespace: string;
  selector: string;
}

/** How a watch started before an existing workload changes treats what it sees before `arm()`. */
export interface ReadinessWatchMode {
  /**
   * An upgrade: the workload runs already, so before the new spec is applied neither Ready nor a failure
   * is about this rollout (old pods may be the very failure the upgrade fixes). The watch arms itself when
   * the Deployment shows a spec its controller has not observed yet after one it had (the new one, applied
   * while helm runs), so the rollout is judged from then on, not from when helm returns.
   */
  existing?: boolean;
}

/**
 * Watches the release's pods from before helm starts, so the first Ready is seen the moment
 * it is written. A stuck pod ends the wait at once with its reason, not at the timeout.
 */
export function watchUntilReady(
  cluster: KubeWorkloads,
  workload: WorkloadRef,
  timeoutMs: number,
  clock: Clock,
  io: FlowIO,
  options: ReadinessWatchMode = {},
): ReadinessWatch {
  const stopper = new AbortController();
  const onAbort = () => stopper.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  let started = clock.now();
  let last: { snapshot: ReadinessSnapshot; verdict: ReadinessVerdict } | undefined;
  let armed = false;
  let sawObserved = false;
  let judge: (snapshot: ReadinessSnapshot) => void = () => undefined;
  let startTimeout: () => void = () => undefined;
  let armedAt: (() => void) | undefined;

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
      if (options.existing) {
        // A spec not yet observed counts as the new one only after an observed one was seen: one pending
        // at the start is an older change, not ours.
        if (snapshot.deployment?.observed === true) sawObserved = true;
        else if (snapshot.deployment?.observed === false && sawObserved && !armed) armedAt?.();
        // Until its controller has observed the new spec, the Deployment's status and pods are the old
        // ReplicaSet's: a crash loop there may be what this upgrade fixes, not this rollout's failure.
        if (!armed || snapshot.deployment?.observed === false) return;
      }
      if (verdict.state === 'ready' && armed) finish(() => resolve(verdict));
      else if (verdict.state === 'failed') {
        finish(() => reject(new ReadinessError(explain(verdict.findings), verdict.findings[0]?.next, verdict.findings)));
      }
    };
    cluster
      .watchReadiness(workload.namespace, workload.selector, (snapshot) => judge(snapshot), stopper.signal)
      .catch((err: unknown) => {
        if (!stopper.signal.aborted)
          finish(() => reject(new FlowError('readiness', `watching the agent pods failed: ${(err as Error).message}`)));
      });
    startTimeout = () =>
      clock.sleep(timeoutMs, stopper.signal).then(
        () => {
          if (stopper.signal.aborted) return;
          const progress = last?.verdict.progress ?? 'no agent pods seen';
          const findings = last && last.verdict.state !== 'ready' ? last.verdict.findings : [];
          const message = `not Ready after ${Math.round(timeoutMs / 1000)}s (${progress})${findings.length ? `: ${explain(findings)}` : ''}`;
          finish(() =>
            reject(new ReadinessError(message, findings[0]?.next ?? 'check the pods with kubectl describe, or raise --timeout', findings)),
          );
        },
        () => undefined,
      );
    // An upgrade's --timeout is for the rollout: it starts when the new spec is applied, not while helm runs.
    if (!options.existing) startTimeout();
    const onCancel = () => reject(new CancelledError());
    io.signal.addEventListener('abort', onCancel, { once: true });
    stopper.signal.addEventListener(
      'abort',
      () => {
        if (!io.signal.aborted) io.signal.removeEventListener('abort', onCancel);
      },
      { once: true },
    );
  });
  // The caller may not await `done` yet (helm still running); keep an early rejection from being "unhandled".
  done.catch(() => undefined);
  armedAt = () => {
    if (armed) return;
    armed = true;
    if (options.existing) {
      started = clock.now();
      startTimeout();
    }
  };
  return {
    done,
    readyPods: () => (last?.snapshot.pods ?? []).filter((p) => p.ready && !p.deleting).map((p) => p.name),
    arm: () => {
      armedAt?.();
      if (last) judge(last.snapshot);
    },
    stop: () => stopper.abort(),
  };
}

/** The last log lines of a crashing agent (previous container first), for the failure message. */
export async function crashLogs(cluster: KubeWorkloads, namespace: string, findings: Finding[]): Promise<string[]> {
  const crash = findings.find((f) => f.code === 'CRASH_LOOP' && f.pod);
  if (!crash?.pod) return [];
  const previous = await cluster.podLogs({ namespace, pod: crash.pod, previous: true, tailLines: 15 }).catch(() => []);
  if (previous.length > 0) return previous;
  return cluster.podLogs({ namespace, pod: crash.pod, tailLines: 15 }).catch(() => []);
}
