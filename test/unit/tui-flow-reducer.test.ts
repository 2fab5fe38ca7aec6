import { describe, expect, it } from 'vitest';
import { CancelledError, ExitCode } from '../../src/core/kernel/errors.js';
import type { LedgerEntry } from '../../src/core/kernel/events.js';
import {
  activeMs,
  flowReducer,
  initialFlowView,
  type FlowAction,
  type FlowView,
  type ViewEvent,
} from '../../src/ui/tui/state/flow-reducer.js';

const ev = (event: ViewEvent, at = 0): FlowAction => ({ type: 'event', event, at });
const run = (...actions: FlowAction[]): FlowView => actions.reduce(flowReducer, initialFlowView);

describe('flowReducer', () => {
  it('keeps a running step live and moves it to static with its duration when it finishes', () => {
    let view = run(ev({ type: 'step', step: 'helm', title: 'Install chart', status: 'running' }, 1_000));
    expect(view.liveSteps).toEqual([
      { id: 'helm', title: 'Install chart', detail: undefined, activity: undefined, startedAt: 1_000, waitedMs: 0, status: 'running' },
    ]);
    expect(view.staticItems).toEqual([]);

    // a detail update keeps the start time
    view = flowReducer(view, ev({ type: 'step', step: 'helm', title: 'Install chart', status: 'running', detail: 'pulling' }, 2_000));
    expect(view.liveSteps[0]).toMatchObject({ startedAt: 1_000, detail: 'pulling' });

    view = flowReducer(view, ev({ type: 'step', step: 'helm', title: 'Install chart', status: 'done' }, 4_400));
    expect(view.liveSteps).toEqual([]);
    expect(view.staticItems).toEqual([
      { kind: 'step', key: 'step-helm-0', title: 'Install chart', status: 'done', detail: undefined, seconds: 3 },
    ]);
  });

  it("leaves the time a question waits for the user out of a step's duration", () => {
    let view = run(ev({ type: 'step', step: 'context', title: 'Kubernetes context', status: 'running' }, 1_000));
    view = flowReducer(view, { type: 'waiting', waiting: true, at: 2_000 });
    // while waiting, the step stands at the second it had worked
    expect(activeMs(view.liveSteps[0]!, 9_000, view.waitingSince)).toBe(1_000);
    view = flowReducer(view, { type: 'waiting', waiting: false, at: 12_000 });
    expect(view.liveSteps[0]!.waitedMs).toBe(10_000);
    // a step started during the wait counts only from its start
    view = flowReducer(view, { type: 'waiting', waiting: true, at: 13_000 });
    view = flowReducer(view, ev({ type: 'step', step: 'probe', title: 'Probe', status: 'running' }, 14_000));
    view = flowReducer(view, { type: 'waiting', waiting: false, at: 16_000 });
    expect(view.liveSteps.map((s) => s.waitedMs)).toEqual([13_000, 2_000]);
    view = flowReducer(view, ev({ type: 'step', step: 'context', title: 'Kubernetes context', status: 'done' }, 17_500));
    // 16.5 s since its start, 13 s of it waiting
    expect(view.staticItems).toEqual([
      { kind: 'step', key: 'step-context-0', title: 'Kubernetes context', status: 'done', detail: undefined, seconds: 4 },
    ]);
  });

  it('prints steps that finish without having run (skipped) and failures with their detail', () => {
    const view = run(
      ev({ type: 'step', step: 'ca', title: 'CA', status: 'skipped' }),
      ev({ type: 'step', step: 'x', title: 'X', status: 'failed', detail: 'boom' }),
    );
    expect(view.staticItems.map((i) => (i.kind === 'step' ? [i.status, i.seconds, i.detail] : null))).toEqual([
      ['skipped', undefined, undefined],
      ['failed', undefined, 'boom'],
    ]);
  });

  it('appends info, warn and answers to static in order with unique keys', () => {
    const view = run(
      ev({ type: 'info', text: 'a' }),
      { type: 'answered', id: 'agent', message: 'Agent name', display: 'my-agent' },
      ev({ type: 'warn', text: 'b' }),
    );
    expect(view.staticItems.map((i) => i.kind)).toEqual(['info', 'answer', 'warn']);
    expect(new Set(view.staticItems.map((i) => i.key)).size).toBe(3);
    expect(view.answered).toBe(1);
  });

  it('keeps the latest readiness; the review is printed once, as a static item', () => {
    const snapshot = { pods: [], events: [] };
    const view = run(
      ev({ type: 'readiness', snapshot, verdict: { state: 'waiting', progress: '0/1', findings: [] } }),
      ev({ type: 'readiness', snapshot, verdict: { state: 'ready', progress: '1/1' } }),
      ev({ type: 'review', items: [{ label: 'Agent', value: 'a' }], command: 'helm x' }),
    );
    expect(view.readiness?.verdict.state).toBe('ready');
    expect(view.staticItems).toEqual([
      { kind: 'review', key: expect.any(String), items: [{ label: 'Agent', value: 'a' }], command: 'helm x' },
    ]);
  });

  it('keeps one ledger row per object, updated in place', () => {
    const created: LedgerEntry = { kind: 'token', id: 't1', description: 'token', created: true };
    const view = run(
      ev({ type: 'ledger', entry: created }),
      ev({ type: 'ledger', entry: { kind: 'agent', id: 'a', description: 'agent', created: true } }),
      ev({ type: 'ledger', entry: { ...created, description: 'token (reused)', created: false } }),
    );
    expect(view.ledger).toEqual([
      { kind: 'token', id: 't1', description: 'token (reused)', created: false },
      { kind: 'agent', id: 'a', description: 'agent', created: true },
    ]);
  });

  it('on settle marks steps still running as stopped and keeps the outcome', () => {
    const outcome = { exitCode: ExitCode.ok, headline: 'Installed', details: [], ledger: [] };
    const view = run(ev({ type: 'step', step: 'helm', title: 'helm', status: 'running' }), {
      type: 'settled',
      settlement: { outcome },
      userCancelled: false,
    });
    expect(view.liveSteps[0]?.status).toBe('stopped');
    expect(view.outcome).toEqual(outcome);
  });

  it('falls back to the ledger from events when the flow rejects, and keeps the first settlement', () => {
    const entry: LedgerEntry = { kind: 'agent', id: 'a', description: 'agent', created: true };
    const view = run(
      ev({ type: 'ledger', entry }),
      { type: 'settled', settlement: { error: new CancelledError() }, userCancelled: true, note: 'helm may still run' },
      {
        type: 'settled',
        settlement: { outcome: { exitCode: ExitCode.ok, headline: 'late', details: [], ledger: [] } },
        userCancelled: true,
      },
    );
    expect(view.outcome).toEqual({
      exitCode: ExitCode.cancelled,
      headline: 'Cancelled.',
      details: ['This run created: agent.', 'Re-run the same command to continue: it finds and reuses what exists.', 'helm may still run'],
      ledger: [entry],
      ledgerSummary: 'This run created: agent.',
    });
  });

  it('does not mutate the previous state', () => {
    const before = run(ev({ type: 'info', text: 'a' }));
    const frozen = JSON.stringify(before);
    flowReducer(before, ev({ type: 'warn', text: 'b' }));
    expect(JSON.stringify(before)).toBe(frozen);
  });
});
