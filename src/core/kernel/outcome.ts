import type { ExitCode } from './errors.js';
import type { LedgerEntry } from './events.js';

/**
 * A typed part of a result that every front end can draw: the TUI as an interactive panel, line
 * modes as text, `--output json` not at all (it prints `data`).
 */
export type ResultSection =
  | { kind: 'lines'; title?: string; lines: string[] }
  | { kind: 'table'; title?: string; columns: string[]; rows: string[][] }
  /** Expandable items (findings): a one-line summary each, with detail lines shown on request. */
  | { kind: 'items'; title?: string; items: ResultItem[] }
  /** A shell script to copy: printed raw, at column 0 (heredoc markers work), never boxed or indented. */
  | { kind: 'code'; title?: string; text: string };

export interface ResultItem {
  status: 'ok' | 'warn' | 'fail' | 'skip' | 'info';
  summary: string;
  details: string[];
}

/** How a flow ended, ready for any front end to print. `data` is what `--output json` prints. */
export interface FlowOutcome<T = unknown> {
  exitCode: ExitCode;
  headline: string;
  details: string[];
  ledger: LedgerEntry[];
  data?: T;
  sections?: ResultSection[];
  /**
   * The line of `details` that lists what this run created ("This run created: …"): a front end that draws
   * `ledger` itself (the TUI's table) leaves that line out, so each thing is listed once.
   */
  ledgerSummary?: string;
}
