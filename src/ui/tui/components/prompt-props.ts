import type { AnswerOf, Question } from '../../../core/kernel/questions.js';

/** Every question widget: the question, and how to hand back the answer plus its printable form. */
export interface PromptProps<Q extends Question> {
  question: Q;
  onSubmit: (answer: AnswerOf<Q>, display: string) => void;
}
