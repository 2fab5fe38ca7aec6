import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CancelledError } from '../../../core/kernel/errors.js';
import { GoBack } from '../../../core/kernel/journal.js';
import type { AnswerOf, Asker, Question } from '../../../core/kernel/questions.js';
import { safeQuestion } from '../../../core/kernel/safe-text.js';

export type Answer = string | boolean | string[];

export interface PendingQuestion {
  question: Question;
  /** Changes per question, so each widget mounts fresh (key). */
  seq: number;
}

export interface AskerBridge {
  asker: Asker;
  /** The question on screen: the oldest one asked and not yet answered. */
  pending: PendingQuestion | undefined;
  /**
   * Resolves the pending question and returns it (undefined when none was pending, e.g. a
   * double key press). The value goes straight to the flow, never into React state.
   */
  answer: (value: Answer) => Question | undefined;
  /** Declines the pending question to go back to the one before (GoBack); only one that allows it. */
  back: () => Question | undefined;
}

interface Waiting {
  question: Question;
  seq: number;
  resolve: (value: Answer) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns the flow's `ask()` into "a question is pending" state that a widget renders, and the
 * widget's submit back into the promise's resolution. Questions asked while one is on screen (a run
 * over several targets) wait in order. Abort rejects every waiting question with CancelledError.
 */
export function useAskerBridge(signal: AbortSignal): AskerBridge {
  const queue = useRef<Waiting[]>([]);
  const [pending, setPending] = useState<PendingQuestion>();
  const seq = useRef(0);
  const show = useCallback(() => {
    const head = queue.current[0];
    setPending(head ? { question: head.question, seq: head.seq } : undefined);
  }, []);

  const asker = useMemo<Asker>(
    () => ({
      ask<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
        if (signal.aborted) return Promise.reject(new CancelledError());
        const answered = new Promise<Answer>((resolve, reject) => {
          seq.current += 1;
          // Shown as asked, but with every outside string (project names, hints) made safe.
          queue.current.push({ question: safeQuestion(question), seq: seq.current, resolve, reject });
          if (queue.current.length === 1) show();
        });
        // The widget chosen by question.kind resolves with that kind's answer type.
        return answered as Promise<AnswerOf<Q>>;
      },
    }),
    [signal, show],
  );

  useEffect(() => {
    const onAbort = () => {
      const waiting = queue.current;
      queue.current = [];
      setPending(undefined);
      for (const w of waiting) w.reject(new CancelledError());
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }, [signal]);

  const answer = useCallback(
    (value: Answer) => {
      const current = queue.current.shift();
      if (!current) return undefined;
      show();
      current.resolve(value);
      return current.question;
    },
    [show],
  );

  const back = useCallback(() => {
    const current = queue.current[0];
    if (!current?.question.canGoBack) return undefined;
    queue.current.shift();
    show();
    current.reject(new GoBack());
    return current.question;
  }, [show]);

  return { asker, pending, answer, back };
}
