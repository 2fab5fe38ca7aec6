import type { EmitFn } from './io.js';
import { CancelledError } from './errors.js';

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

  /** `activity` names what works meanwhile ("helm"), so a front end can say what a cancel is stopping. */
  async run<T>(step: string, title: string, fn: (ctl: StepControl) => Promise<T>, activity?: string): Promise<T> {
    if (this.signal.aborted) throw new CancelledError();
    let detail: string | undefined;
    let skipped: string | undefined;
    this.emit({ type: 'step', step, title, status: 'running', ...(activity ? { activity } : {}) });
    try {
      const value = await fn({ detail: (t) => (detail = t), skip: (r) => (skipped = r) });
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
