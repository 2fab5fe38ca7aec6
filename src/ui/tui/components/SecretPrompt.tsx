import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import type { SecretQuestion } from '../../../core/flow/questions.js';
import { color, glyph, secretMask } from '../theme.js';
import { PromptHeader } from './PromptHeader.js';
import type { PromptProps } from './prompt-props.js';

/**
 * A token: drawn as `*` only. The clear value lives in this widget's state until ⏎ and then
 * goes straight to the flow; what gets printed afterwards is a fixed-width mask.
 */
export function SecretPrompt({ question, onSubmit }: PromptProps<SecretQuestion>) {
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const error = question.validate?.(value);

  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      <Box>
        <Text color={color.accent}>{glyph.field} </Text>
        <TextInput
          value={value}
          mask="*"
          onChange={(next) => {
            setValue(next);
            setTouched(true);
          }}
          onSubmit={(submitted) => {
            setTouched(true);
            if (question.validate?.(submitted) === undefined) onSubmit(submitted, secretMask);
          }}
        />
      </Box>
      {/* Validation texts come from the flow and must not echo the value. */}
      {touched && error ? (
        <Text color={color.error}>
          {glyph.failed} {error}
        </Text>
      ) : null}
    </Box>
  );
}
