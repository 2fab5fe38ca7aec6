import type { FlowOutcome } from '../../core/kernel/outcome.js';

/** The document `--output json` prints when a run ends without result data (bad input, a failure, a cancel). */
interface JsonFailure {
  schemaVersion: 1;
  exitCode: number;
  error: string;
  details: string[];
  ledger: FlowOutcome['ledger'];
}

/**
 * `--output json`: exactly one JSON document on stdout, whatever happened; progress and questions
 * stay on stderr, so `… --output json | jq` always parses.
 */
export function writeJson(out: NodeJS.WritableStream, outcome: FlowOutcome): void {
  const doc: unknown =
    outcome.data !== undefined
      ? outcome.data
      : ({ schemaVersion: 1, exitCode: outcome.exitCode, error: outcome.headline, details: outcome.details, ledger: outcome.ledger } satisfies JsonFailure);
  out.write(`${JSON.stringify(doc, null, 2)}\n`);
}
