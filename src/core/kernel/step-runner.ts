import type { EmitFn } from './io.js';
import { CancelledError } from './errors.js';

export interface StepOptions {
  activity?: string;
  /** The step ends its own work on cancel and settles once that work is gone: do not race it. */
  waitsForOwnStop?: boolean;
}

/** Settles with `work`, or rejects with CancelledError the moment the signal aborts. */
function raceCancel<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export interface StepControl {
  /** Text shown after the step title once done (e.g. the chosen context). */
  detail(text: string): void;
  skip(reason: string): void;
}

/** Runs a flow's steps one by one and reports each as running, then done, skipped or failed. */
export class StepRunner {
  constructor(
    private readonly emit: EmitFn,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * `activity` names what works meanwhile ("helm"), so a front end can say what a cancel is stopping.
   * A cancel ends the step at once, whatever it awaits (a GitLab request, `helm list`, a slow API
   * server); only a step that stops its own work and must report when that is done (helm's process
   * group) says `waitsForOwnStop`.
   */
  async run<T>(step: string, title: string, fn: (ctl: StepControl) => Promise<T>, activity?: string | StepOptions): Promise<T> {
    if (this.signal.aborted) throw new CancelledError();
    const options: StepOptions = typeof activity === 'string' ? { activity } : (activity ?? {});
    let detail: string | undefined;
    let skipped: string | undefined;
    this.emit({ type: 'step', step, title, status: 'running', ...(options.activity ? { activity: options.activity } : {}) });
    try {
      const work = fn({ detail: (t) => (detail = t), skip: (r) => (skipped = r) });
      const value = options.waitsForOwnStop ? await work : await raceCancel(work, this.signal);
      if (this.signal.aborted) throw new CancelledError();
      this.emit({ type: 'step', step, title, status: skipped !== undefined ? 'skipped' : 'done', detail: skipped ?? detail });
      return value;
    } catch (err) {
      const cancelled = err instanceof CancelledError || this.signal.aborted;
      this.emit({ type: 'step', step, title, status: 'failed', detail: cancelled ? 'cancelled' : (err as Error).message });
      throw cancelled && !(err instanceof CancelledError) ? new CancelledError() : err;
    }
  }
}
