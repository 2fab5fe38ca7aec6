import { useRef } from 'react';
import type { Question } from '../../../core/kernel/questions.js';
import type { Answer } from '../hooks/useAskerBridge.js';
import { ConfirmPrompt } from './ConfirmPrompt.js';
import { MultiSelectPrompt } from './MultiSelectPrompt.js';
import { SearchPrompt } from './SearchPrompt.js';
import { SecretPrompt } from './SecretPrompt.js';
import { SelectPrompt } from './SelectPrompt.js';
import { TextPrompt } from './TextPrompt.js';

interface Props {
  question: Question;
  onSubmit: (answer: Answer, display: string) => void;
  /** Rows its choice list may take (the live area's budget); the widget's own maximum when not given. */
  choiceRows?: number;
}

/** Picks the widget for the question's kind. */
export function QuestionPrompt({ question, onSubmit: submit, choiceRows }: Props) {
  // One answer per question: the rest of a chunk ("y\r", "\r\n", a paste with a newline) reaches this prompt
  // before the next one mounts, and a second submit would answer whatever question is queued next.
  const answered = useRef(false);
  const onSubmit = (answer: Answer, display: string) => {
    if (answered.current) return;
    answered.current = true;
    submit(answer, display);
  };
  // Each widget's answer type (string or boolean) is a subset of Answer, so one handler serves all.
  switch (question.kind) {
    case 'select':
      return <SelectPrompt question={question} onSubmit={onSubmit} choiceRows={choiceRows} />;
    case 'input':
      return <TextPrompt question={question} onSubmit={onSubmit} />;
    case 'secret':
      return <SecretPrompt question={question} onSubmit={onSubmit} />;
    case 'confirm':
      return <ConfirmPrompt question={question} onSubmit={onSubmit} />;
    case 'search':
      return <SearchPrompt question={question} onSubmit={onSubmit} choiceRows={choiceRows} />;
    case 'multiselect':
      return <MultiSelectPrompt question={question} onSubmit={onSubmit} choiceRows={choiceRows} />;
  }
}
