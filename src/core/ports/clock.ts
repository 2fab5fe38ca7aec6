/** Time as flows see it: injected, so tests and the demo can run faster than the wall clock. */
export interface Clock {
  now(): number;
  /** Rejects with CancelledError when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
