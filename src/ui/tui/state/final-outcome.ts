import { CancelledError, ExitCode, FlowError, UsageError } from '../../../core/errors.js';
import type { LedgerEntry } from '../../../core/flow/events.js';
import type { FlowOutcome } from '../../../core/flow/outcome.js';

/** How start() settled: with an outcome, or by rejecting. */
export type Settlement = { outcome: FlowOutcome } | { error: unknown };

export const CANCELLED_HEADLINE = 'Cancelled.';

/**
 * The outcome the TUI shows and exits with. A user cancel always exits 130, even if the flow
 * reported something else; `ledger` (from ledger events) stands in when the flow gave no outcome.
 */
export function finalOutcome(settlement: Settlement, userCancelled: boolean, ledger: LedgerEntry[]): FlowOutcome {
  if ('outcome' in settlement) {
    const { outcome } = settlement;
    return userCancelled ? { ...outcome, exitCode: ExitCode.cancelled } : outcome;
  }
  const { error } = settlement;
  if (error instanceof CancelledError || userCancelled) {
    // A flow may unwind with its own error (e.g. an aborted helm) after Ctrl-C: still a cancel.
    const details = error instanceof CancelledError || !(error instanceof Error) ? [] : [error.message];
    return { exitCode: ExitCode.cancelled, headline: CANCELLED_HEADLINE, details, ledger };
  }
  if (error instanceof UsageError) {
    return { exitCode: ExitCode.usage, headline: error.line(), details: [], ledger };
  }
  if (error instanceof FlowError) {
    return {
      exitCode: ExitCode.failure,
      headline: `${error.step}: ${error.message}`,
      details: error.hint ? [error.hint] : [],
      ledger,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: ExitCode.failure, headline: `Unexpected error: ${message}`, details: [], ledger };
}
