import { describe, expect, it } from 'vitest';
import { CancelledError, ExitCode, FlowError, UsageError } from '../../src/core/kernel/errors.js';
import type { LedgerEntry } from '../../src/core/kernel/events.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import { settledOutcome, toOutcome } from '../../src/core/kernel/to-outcome.js';

const created: LedgerEntry = {
  kind: 'agent',
  id: '7',
  description: 'agent prod (id 7)',
  created: true,
  undo: 'delete agent prod: https://gitlab.example.com/g/p/-/clusters',
};
const reused: LedgerEntry = { kind: 'token', id: '3', description: 'agent token 3', created: false };
const ok: FlowOutcome = { exitCode: ExitCode.ok, headline: 'Installed', details: [], ledger: [] };

describe('toOutcome: the one error → outcome mapping of every front end', () => {
  it('bad input is exit 2 and one line, with nothing more to say when nothing was created', () => {
    expect(toOutcome(new UsageError('--agent', 'is invalid', 'use a-z'), [reused])).toEqual({
      exitCode: ExitCode.usage,
      headline: '--agent: is invalid (use a-z)',
      details: [],
      ledger: [reused],
    });
  });

  it('a failed step is exit 1: the step, the hint as Next:, evidence, then what is left and how to remove it', () => {
    const out = toOutcome(new FlowError('helm', 'timed out', 'check nodes', ['Last agent log lines:', '  boom']), [created, reused]);
    expect(out.exitCode).toBe(ExitCode.failure);
    expect(out.headline).toBe('helm failed: timed out');
    expect(out.details).toEqual([
      'Next: check nodes',
      'Last agent log lines:',
      '  boom',
      'This run created: agent prod (id 7).',
      'Re-run the same command to continue: it finds and reuses what exists.',
      'Or remove it:',
      '  delete agent prod: https://gitlab.example.com/g/p/-/clusters',
    ]);
    // Named, so a front end that draws the ledger as a table leaves this line out (each thing listed once).
    expect(out.ledgerSummary).toBe('This run created: agent prod (id 7).');
  });

  it('a cancel is exit 130 and says what exists', () => {
    expect(toOutcome(new CancelledError(), [])).toEqual({
      exitCode: ExitCode.cancelled,
      headline: 'Cancelled.',
      details: ['Nothing was created.'],
      ledger: [],
    });
  });

  it('anything else is an unexpected error, exit 1', () => {
    expect(toOutcome('weird', [])).toMatchObject({ exitCode: ExitCode.failure, headline: 'Unexpected error: weird' });
  });
});

describe('settledOutcome', () => {
  it('passes the flow outcome through', () => expect(settledOutcome({ outcome: ok }, false, [])).toBe(ok));
  it('forces 130 after a user cancel, keeping what the flow said', () => {
    expect(settledOutcome({ outcome: ok }, true, [])).toEqual({ ...ok, exitCode: ExitCode.cancelled });
  });
  it('treats any rejection after a user cancel as a cancel, with the ledger seen in events', () => {
    expect(settledOutcome({ error: new Error('helm: signal: terminated') }, true, [created])).toMatchObject({
      exitCode: ExitCode.cancelled,
      headline: 'Cancelled.',
      ledger: [created],
    });
  });
});
