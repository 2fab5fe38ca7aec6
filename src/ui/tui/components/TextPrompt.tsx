import type { InputQuestion } from '../../../core/kernel/questions.js';
import type { PromptProps } from './prompt-props.js';
import { ValidatedField } from './ValidatedField.js';

/** Free text with the default prefilled; the validation error shows under the field and blocks ⏎. */
export function TextPrompt({ question, onSubmit }: PromptProps<InputQuestion>) {
  return (
    <ValidatedField question={question} initial={question.default ?? ''} placeholder={question.placeholder} onValid={(v) => onSubmit(v, v)} />
  );
}
