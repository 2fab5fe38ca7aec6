import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError } from '../core/kernel/errors.js';
import type { Clock } from '../core/ports/clock.js';

/** The wall clock; a sleep ends early with CancelledError when the run is cancelled. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await sleep(ms, undefined, { signal });
    } catch (err) {
      if (signal.aborted) throw new CancelledError();
      throw err;
    }
  },
};
