import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { CancelledError } from '../../../core/kernel/errors.js';
import type { CommandId, RunCommand } from '../../../core/commands/registry.js';
import type { EmitFn } from '../../../core/kernel/io.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { safeEvent } from '../../../core/kernel/safe-text.js';
import type { Settlement } from '../../../core/kernel/to-outcome.js';
import { flowReducer, initialFlowView, type FlowView } from '../state/flow-reducer.js';

import { useAskerBridge, type Answer, type PendingQuestion } from './useAskerBridge.js';
import { useLogBuffer, type LogView } from './useLogBuffer.js';

/** What the running steps have at work (helm, a watch, a GitLab request), each named once. */
function stoppingOf(view: FlowView): string[] {
  return [...new Set(view.liveSteps.map((s) => s.activity ?? s.title))];
}

/** Said when the user stops waiting for a cancel: what was still at work may finish on its own. */
function quitBeforeStopped(activities: string[]): string {
  return `Quit before the run had stopped: ${activities.length > 0 ? activities.join(' and ') : 'what it was doing'} may still be finishing.`;
}

type CancelReason = 'user' | 'back';

type RunPhase =
  | { name: 'running' }
  /** Abort sent; waiting for start() to settle (helm being stopped). */
  | { name: 'cancelling'; reason: CancelReason; stopping: string[] }
  | { name: 'finished'; outcome: FlowOutcome; backRequested: boolean };

export interface FlowRunner {
  view: FlowView;
  log: LogView;
  pending: PendingQuestion | undefined;
  phase: RunPhase;
  /** Resolve the pending question and record a printable version of the answer. */
  answer: (value: Answer, display: string) => void;
  cancel: () => void;
  /** Second ctrl-c while cancelling: stop waiting for start() to settle. */
  quitNow: () => void;
  /** Abandon the flow before anything was answered, to go back to the menu. */
  back: () => void;
  /** Back one question (the pending one allows it: an earlier answer can be changed). */
  stepBack: () => void;
}

/**
 * Owns one run of `start(command, io)`: the AbortController, the asker bridge, the event
 * reducer and the log buffer. Screens only read the result and call the actions.
 */
export function useFlowRunner(command: CommandId, start: RunCommand): FlowRunner {
  const [controller] = useState(() => new AbortController());
  const bridge = useAskerBridge(controller.signal);
  const log = useLogBuffer();
  const [view, dispatch] = useReducer(flowReducer, initialFlowView);
  const [cancelReason, setCancelReason] = useState<CancelReason>();
  // The settle callback below is created once; it reads the reason from here.
  const cancelReasonRef = useRef<CancelReason>(undefined);

  const { push, flush } = log;
  useEffect(() => {
    const emit: EmitFn = (event) => {
      if (event.type === 'log') push(event.source, event.line, event.stream);
      // Everything the screen keeps is made safe once, here: redacted and control characters escaped.
      else dispatch({ type: 'event', event: safeEvent(event), at: Date.now() });
    };
    const settle = (settlement: Settlement) => {
      flush();
      dispatch({ type: 'settled', settlement, userCancelled: cancelReasonRef.current !== undefined });
    };
    start(command, { asker: bridge.asker, emit, signal: controller.signal }).then(
      (outcome) => settle({ outcome }),
      (error: unknown) => settle({ error }),
    );
    // Leaving the screen mid-run (unmount) must not leave helm running.
    return () => controller.abort(new CancelledError());
    // Runs once per mount: the screen is keyed per run, and start() must not be called twice.
  }, []);

  const abort = useCallback(
    (reason: CancelReason) => {
      if (controller.signal.aborted) return;
      cancelReasonRef.current = reason;
      setCancelReason(reason);
      controller.abort(new CancelledError(reason === 'user' ? 'cancelled by user' : 'back to menu'));
    },
    [controller],
  );

  const stopping = stoppingOf(view);
  const stoppingKey = stopping.join('\n');
  const quitNow = useCallback(() => {
    dispatch({
      type: 'settled',
      settlement: { error: new CancelledError() },
      userCancelled: true,
      note: quitBeforeStopped(stoppingKey ? stoppingKey.split('\n') : []),
    });
  }, [stoppingKey]);

  const { answer: resolveAnswer, pending } = bridge;
  // Time a question waits for the user is not the steps' own: their timers stand still meanwhile.
  const waiting = pending !== undefined;
  useEffect(() => {
    dispatch({ type: 'waiting', waiting, at: Date.now() });
  }, [waiting]);
  const answer = useCallback(
    (value: Answer, display: string) => {
      const question = resolveAnswer(value);
      if (question) dispatch({ type: 'answered', id: question.id, message: question.message, display });
    },
    [resolveAnswer],
  );

  const phase: RunPhase = view.outcome
    ? { name: 'finished', outcome: view.outcome, backRequested: cancelReason === 'back' }
    : cancelReason
      ? { name: 'cancelling', reason: cancelReason, stopping: stoppingOf(view) }
      : { name: 'running' };

  return {
    view,
    log: log.view,
    pending,
    phase,
    answer,
    quitNow,
    cancel: useCallback(() => abort('user'), [abort]),
    back: useCallback(() => abort('back'), [abort]),
    stepBack: bridge.back,
  };
}
