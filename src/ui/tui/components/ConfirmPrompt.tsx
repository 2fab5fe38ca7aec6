import type { ConfirmQuestion } from '../../../core/kernel/questions.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { PROMPT_KEYS } from '../keys.js';
import { PromptHeader } from './PromptHeader.js';
import type { PromptProps } from './prompt-props.js';

const yesNo = (answer: boolean) => (answer ? 'yes' : 'no');

/** y / n answer at once; ⏎ takes the default, shown as the capital letter. */
export function ConfirmPrompt({ question, onSubmit }: PromptProps<ConfirmQuestion>) {
  useKeymap(PROMPT_KEYS.confirm, {
    yes: () => onSubmit(true, yesNo(true)),
    no: () => onSubmit(false, yesNo(false)),
    'confirm-default': () => onSubmit(question.default, yesNo(question.default)),
  });
  return <PromptHeader question={question} suffix={question.default ? '(Y/n)' : '(y/N)'} />;
}
