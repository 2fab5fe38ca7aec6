import { performance } from 'node:perf_hooks';

export interface Coalescer {
  /** Something changed: run soon (now, if the last run is at least intervalMs ago). */
  trigger(): void;
  cancel(): void;
}

/**
 * Leading-and-trailing throttle: the first change after a quiet spell runs at once, a burst runs at most
 * once per interval, and the last change of a burst runs at the end of its interval. So no change (such as
 * the pod turning Ready) waits longer than intervalMs. `run` returns false when it chose not to act
 * (nothing new to report); that does not count as a run, so the next change is not held back.
 */
export function coalesce(run: () => boolean, intervalMs: number, now: () => number = () => performance.now()): Coalescer {
  let lastRun = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    timer = undefined;
    if (run()) lastRun = now();
  };
  return {
    trigger() {
      if (timer !== undefined) return;
      const wait = lastRun + intervalMs - now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
