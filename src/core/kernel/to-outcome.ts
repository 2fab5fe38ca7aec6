import { CancelledError, ExitCode, FlowError, UsageError } from './errors.js';
import type { LedgerEntry } from './events.js';
import type { FlowOutcome } from './outcome.js';

export const CANCELLED_HEADLINE = 'Cancelled.';
export const NOTHING_CREATED = 'Nothing was created.';

/** The one line that lists what a run created, or undefined when it created nothing. */
function createdLine(ledger: LedgerEntry[]): string | undefined {
  const created = ledger.filter((e) => e.created && e.kind !== 'revoked-token');
  return created.length === 0 ? undefined : 'This run created: ' + created.map((e) => e.description).join(', ') + '.';
}

/** What a run left behind and how to remove each thing, newest first. */
function leftBehind(ledger: LedgerEntry[]): string[] {
  const created = ledger.filter((e) => e.created && e.kind !== 'revoked-token');
  const summary = createdLine(ledger);
  if (summary === undefined) return [NOTHING_CREATED];
  const undo = [...created].reverse().flatMap((e) => (e.undo ? [`  ${e.undo}`] : []));
  return [
    summary,
    'Re-run the same command to continue: it finds and reuses what exists.',
    ...(undo.length > 0 ? ['Or remove it:', ...undo] : []),
  ];
}

/**
 * The one mapping from however a run ended to what every front end prints, with the documented
 * exit code. A user's cancel is a cancel even if the run unwound with another error.
 */
export function toOutcome(err: unknown, ledger: LedgerEntry[], userCancelled = false): FlowOutcome {
  const outcome = mappedOutcome(err, ledger, userCancelled);
  const summary = createdLine(ledger);
  return summary !== undefined && outcome.details.includes(summary) ? { ...outcome, ledgerSummary: summary } : outcome;
}

function mappedOutcome(err: unknown, ledger: LedgerEntry[], userCancelled: boolean): FlowOutcome {
  if (err instanceof CancelledError || (userCancelled && !(err instanceof UsageError))) {
    return { exitCode: ExitCode.cancelled, headline: CANCELLED_HEADLINE, details: leftBehind(ledger), ledger };
  }
  if (err instanceof UsageError) {
    // Bad input is one line; only if something was already created is there more to say.
    const created = ledger.some((e) => e.created);
    return { exitCode: ExitCode.usage, headline: err.line(), details: created ? leftBehind(ledger) : [], ledger };
  }
  if (err instanceof FlowError) {
    const details = [...(err.hint ? [`Next: ${err.hint}`] : []), ...err.evidence];
    return {
      exitCode: ExitCode.failure,
      headline: `${err.step} failed: ${err.message}`,
      details: [...details, ...leftBehind(ledger)],
      ledger,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: ExitCode.failure, headline: `Unexpected error: ${message}`, details: leftBehind(ledger), ledger };
}

/** How a run settled, as a front end sees it: with an outcome, or by rejecting. */
export type Settlement = { outcome: FlowOutcome } | { error: unknown };

/** The outcome a front end shows and exits with: after the user's cancel it is exit 130, whatever the flow returned. */
export function settledOutcome(settlement: Settlement, userCancelled: boolean, ledger: LedgerEntry[]): FlowOutcome {
  if ('outcome' in settlement) return userCancelled ? { ...settlement.outcome, exitCode: ExitCode.cancelled } : settlement.outcome;
  return toOutcome(settlement.error, ledger, userCancelled);
}
