import { describe, expect, it } from 'vitest';
import { CancelledError, ExitCode, FlowError, UsageError } from '../../src/core/errors.js';
import type { LedgerEntry } from '../../src/core/flow/events.js';
import type { FlowOutcome } from '../../src/core/flow/outcome.js';
import { finalOutcome } from '../../src/ui/tui/state/final-outcome.js';

const ledger: LedgerEntry[] = [{ kind: 'agent', id: 'a', description: 'agent', created: true }];
const ok: FlowOutcome = { exitCode: ExitCode.ok, headline: 'Installed', details: [], ledger: [] };

describe('finalOutcome', () => {
  it('passes the flow outcome through', () => {
    expect(finalOutcome({ outcome: ok }, false, ledger)).toBe(ok);
  });

  it('forces 130 after a user cancel, keeping what the flow said', () => {
    expect(finalOutcome({ outcome: ok }, true, ledger)).toEqual({ ...ok, exitCode: ExitCode.cancelled });
  });

  it('turns CancelledError into "Cancelled." with the ledger seen in events', () => {
    expect(finalOutcome({ error: new CancelledError() }, false, ledger)).toEqual({
      exitCode: ExitCode.cancelled,
      headline: 'Cancelled.',
      details: [],
      ledger,
    });
  });

  it('treats any rejection after a user cancel as a cancel', () => {
    const out = finalOutcome({ error: new Error('helm: signal: terminated') }, true, []);
    expect(out).toMatchObject({ exitCode: ExitCode.cancelled, headline: 'Cancelled.', details: ['helm: signal: terminated'] });
  });

  it('maps UsageError to 2, FlowError and anything else to 1', () => {
    expect(finalOutcome({ error: new UsageError('--agent', 'is invalid', 'use a-z') }, false, [])).toMatchObject({
      exitCode: ExitCode.usage,
      headline: '--agent: is invalid (use a-z)',
    });
    expect(finalOutcome({ error: new FlowError('helm', 'timed out', 'check nodes') }, false, [])).toMatchObject({
      exitCode: ExitCode.failure,
      headline: 'helm: timed out',
      details: ['check nodes'],
    });
    expect(finalOutcome({ error: 'weird' }, false, [])).toMatchObject({
      exitCode: ExitCode.failure,
      headline: 'Unexpected error: weird',
    });
  });
});
