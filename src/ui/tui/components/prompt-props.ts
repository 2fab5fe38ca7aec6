import type { AnswerOf, Question } from '../../../core/kernel/questions.js';

/** Every question widget: the question, and how to hand back the answer plus its printable form. */
export interface PromptProps<Q extends Question> {
  question: Q;
  onSubmit: (answer: AnswerOf<Q>, display: string) => void;
}

/** A widget with a choice list: the rows that list may take, "… more" lines included. */
export interface ListPromptProps<Q extends Question> extends PromptProps<Q> {
  choiceRows?: number;
}
