/** Bad input: exit 2, one line naming the field and the fix, nothing created. */
export class UsageError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
  /** The one line a user sees. */
  line(): string {
    return `${this.field}: ${this.message}${this.fix ? ` (${this.fix})` : ''}`;
  }
}

/** A step failed after input was accepted: exit 1. */
export class FlowError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly hint?: string,
    /** Evidence printed after the hint, e.g. the agent's last log lines. */
    readonly evidence: string[] = [],
  ) {
    super(message);
    this.name = 'FlowError';
  }
}

/** The user cancelled (Ctrl-C, Esc on the first screen, q): exit 130. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, for --help and README (scripts depend on them). */
export const EXIT_CODE_MEANINGS: Record<ExitCode, string> = {
  0: 'success (or --dry-run finished)',
  1: 'failure: a step failed after the input was accepted (the message names it and what is left)',
  2: 'bad input or usage: one line names the field and the fix; nothing was created',
  130: 'cancelled (Ctrl-C, or Cancel at the review)',
};
