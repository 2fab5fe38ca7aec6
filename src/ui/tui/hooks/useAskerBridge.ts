import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CancelledError } from '../../../core/errors.js';
import type { AnswerOf, Asker, Question } from '../../../core/flow/questions.js';

export type Answer = string | boolean;

export interface PendingQuestion {
  question: Question;
  /** Changes per question, so each widget mounts fresh (key). */
  seq: number;
}

export interface AskerBridge {
  asker: Asker;
  pending: PendingQuestion | undefined;
  /**
   * Resolves the pending question and returns it (undefined when none was pending, e.g. a
   * double key press). The value goes straight to the flow, never into React state.
   */
  answer: (value: Answer) => Question | undefined;
}

/**
 * Turns the flow's `ask()` into "a question is pending" state that a widget renders, and the
 * widget's submit back into the promise's resolution. Abort rejects the pending question with
 * CancelledError so the flow unwinds.
 */
export function useAskerBridge(signal: AbortSignal): AskerBridge {
  const [pending, setPending] = useState<PendingQuestion>();
  const waiting = useRef<{
    question: Question;
    resolve: (value: Answer) => void;
    reject: (error: unknown) => void;
  }>(undefined);
  const seq = useRef(0);

  const asker = useMemo<Asker>(
    () => ({
      ask<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
        if (signal.aborted) return Promise.reject(new CancelledError());
        if (waiting.current) {
          return Promise.reject(new Error(`question "${question.id}" asked while another is still pending`));
        }
        const answered = new Promise<Answer>((resolve, reject) => {
          waiting.current = { question, resolve, reject };
          seq.current += 1;
          setPending({ question, seq: seq.current });
        });
        // The widget chosen by question.kind resolves with that kind's answer type.
        return answered as Promise<AnswerOf<Q>>;
      },
    }),
    [signal],
  );

  useEffect(() => {
    const onAbort = () => {
      const current = waiting.current;
      waiting.current = undefined;
      setPending(undefined);
      current?.reject(new CancelledError());
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }, [signal]);

  const answer = useCallback((value: Answer) => {
    const current = waiting.current;
    if (!current) return undefined;
    waiting.current = undefined;
    setPending(undefined);
    current.resolve(value);
    return current.question;
  }, []);

  return { asker, pending, answer };
}
