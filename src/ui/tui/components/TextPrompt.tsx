import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import type { InputQuestion } from '../../../core/flow/questions.js';
import { color, glyph } from '../theme.js';
import { PromptHeader } from './PromptHeader.js';
import type { PromptProps } from './prompt-props.js';

/** Free text with the default prefilled; the validation error shows under the field and blocks ⏎. */
export function TextPrompt({ question, onSubmit }: PromptProps<InputQuestion>) {
  const [value, setValue] = useState(question.default ?? '');
  // Show the error once the user has typed or tried to submit, not on an untouched field.
  const [touched, setTouched] = useState(false);
  const error = question.validate?.(value);

  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      <Box>
        <Text color={color.accent}>{glyph.field} </Text>
        <TextInput
          value={value}
          placeholder={question.placeholder}
          onChange={(next) => {
            setValue(next);
            setTouched(true);
          }}
          onSubmit={(submitted) => {
            setTouched(true);
            if (question.validate?.(submitted) === undefined) onSubmit(submitted, submitted);
          }}
        />
      </Box>
      {touched && error ? (
        <Text color={color.error}>
          {glyph.failed} {error}
        </Text>
      ) : null}
    </Box>
  );
}
