import { performance } from 'node:perf_hooks';
import { CancelledError } from '../core/kernel/errors.js';
import type { Clock } from '../core/ports/clock.js';

/**
 * The demo world's clock: wall time, optionally sped up. Every simulated duration (probe latency,
 * pod start-up, helm output pacing) is written in "demo ms"; `scale` 1 plays them in real time,
 * tests pass a larger scale to play the same story faster.
 */
export interface DemoTime {
  /** Demo ms per wall ms (the world's timeScale). */
  readonly scale: number;
  /** Demo ms since the world was created (negative for things seeded "in the past"). */
  now(): number;
  /** Wall-clock ISO timestamp of a demo instant (default: now). */
  iso(at?: number): string;
  /** Waits `ms` demo ms; rejects with CancelledError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Waits a random time between min and max demo ms: what makes spinners visible. */
  jitter(min: number, max: number, signal?: AbortSignal): Promise<void>;
  /** Runs fn after `ms` demo ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

export function randomBetween(min: number, max: number): number {
  return Math.round(min + Math.random() * (max - min));
}

export function createDemoTime(scale = 1): DemoTime {
  if (!(scale > 0)) throw new RangeError(`time scale must be positive, got ${scale}`);
  const startedPerf = performance.now();
  const startedWall = Date.now();
  const real = (ms: number) => Math.max(0, ms / scale);

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, real(ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    scale,
    now: () => (performance.now() - startedPerf) * scale,
    iso: (at) => new Date(at === undefined ? Date.now() : startedWall + at / scale).toISOString(),
    sleep,
    jitter: (min, max, signal) => sleep(randomBetween(min, max), signal),
    after: (ms, fn) => {
      const timer = setTimeout(fn, real(ms));
      return () => clearTimeout(timer);
    },
  };
}

/** The flows' own clock in the demo: wall time (their timeouts are the user's), cancellable sleeps. */
export const wallClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => createDemoTime(1).sleep(ms, signal),
};
