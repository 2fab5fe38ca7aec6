import type { ExitCode } from '../errors.js';
import type { Asker } from './questions.js';
import type { EmitFn, LedgerEntry } from './events.js';

/** How a flow ended, ready for any front end to print. */
export interface FlowOutcome {
  exitCode: ExitCode;
  headline: string;
  details: string[];
  ledger: LedgerEntry[];
}

/** What every front end hands a flow: its way to ask, to show, and to cancel. */
export interface FlowIO {
  asker: Asker;
  emit: EmitFn;
  signal: AbortSignal;
}

export type CommandId = 'install' | 'troubleshoot' | 'upgrade' | 'uninstall' | 'status';

export interface MenuEntry {
  id: CommandId;
  label: string;
  description: string;
  /** undefined when available; otherwise the plain reason it is not. */
  unavailable?: string;
}

/** Starts a command's flow; the CLI builds this with the adapters, front ends only call it. */
export type StartFlow = (command: CommandId, io: FlowIO) => Promise<FlowOutcome>;
