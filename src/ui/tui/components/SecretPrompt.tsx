import type { SecretQuestion } from '../../../core/kernel/questions.js';
import { secretMask } from '../theme.js';
import type { PromptProps } from './prompt-props.js';
import { ValidatedField } from './ValidatedField.js';

/**
 * A token: drawn as `*` only. The clear value lives in the field's state until ⏎ and then
 * goes straight to the flow; what gets printed afterwards is a fixed-width mask.
 */
export function SecretPrompt({ question, onSubmit }: PromptProps<SecretQuestion>) {
  return <ValidatedField question={question} initial="" mask="*" onValid={(v) => onSubmit(v, secretMask)} />;
}
