import type { FlowOutcome } from '../../core/kernel/outcome.js';
import { redactedOutcome } from '../../core/kernel/safe-text.js';

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
export function writeJson(out: NodeJS.WritableStream, unsafe: FlowOutcome): void {
  // JSON escapes control characters itself; secrets it cannot know, so they are masked first.
  const outcome = redactedOutcome(unsafe);
  const doc: unknown =
    outcome.data !== undefined
      ? outcome.data
      : ({
          schemaVersion: 1,
          exitCode: outcome.exitCode,
          error: outcome.headline,
          details: outcome.details,
          ledger: outcome.ledger,
        } satisfies JsonFailure);
  out.write(`${JSON.stringify(doc, null, 2)}\n`);
}
