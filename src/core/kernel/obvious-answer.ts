import type { FlowEvent } from './events.js';
import type { FlowIO } from './io.js';
import type { AnswerOf, Question } from './questions.js';

/** A question with one real answer, and that answer as it is said. */
export interface ObviousAnswer {
  value: string | string[];
  /** "Which cluster should the agent run in? demo-prod (the only choice)". */
  fact: FlowEvent;
}

/**
 * The answer of a question that has only one: a select (or a multiselect that needs at least one)
 * with a single choice that can be picked. Such a question is not asked but stated as a fact. A
 * question asked again because its answer was refused (`problem`) is always asked: the user must
 * see why, and may cancel.
 */
export function obviousAnswer(q: Question): ObviousAnswer | undefined {
  if (q.problem !== undefined || q.consent) return undefined;
  if (q.kind !== 'select' && !(q.kind === 'multiselect' && (q.min ?? 0) >= 1)) return undefined;
  const open = q.choices.filter((c) => !c.disabled);
  if (open.length !== 1) return undefined;
  const only = open[0]!;
  return {
    value: q.kind === 'multiselect' ? [only.value] : only.value,
    fact: { type: 'info', text: `${q.message} ${only.label} (the only choice)` },
  };
}

/**
 * The FlowIO every interactive front end hands a flow: questions with one real answer are answered
 * here, said as facts. Flag mode (nobody to ask) is left as it is: there every answer comes from flags.
 */
export function withObviousAnswers(io: FlowIO): FlowIO {
  if (io.asker.cannotAsk !== undefined) return io;
  const inner = io.asker;
  return {
    ...io,
    asker: {
      ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
        const obvious = obviousAnswer(q);
        if (!obvious) return inner.ask(q);
        io.emit(obvious.fact);
        return Promise.resolve(obvious.value as AnswerOf<Q>);
      },
    },
  };
}
