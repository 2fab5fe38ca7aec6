import type { FlowEvent } from './events.js';
import type { Asker } from './questions.js';

export type EmitFn = (event: FlowEvent) => void;

/** What every front end hands a flow: its way to ask, to show, and to cancel. */
export interface FlowIO {
  asker: Asker;
  emit: EmitFn;
  signal: AbortSignal;
}
