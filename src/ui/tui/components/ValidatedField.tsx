import { Box, Text } from 'ink';
import { useState } from 'react';
import type { InputQuestion, SecretQuestion } from '../../../core/kernel/questions.js';
import { color, glyph } from '../theme.js';
import { FieldError } from './FieldError.js';
import { PromptHeader } from './PromptHeader.js';
import { TextField } from './TextField.js';

interface Props {
  question: InputQuestion | SecretQuestion;
  initial: string;
  /** Draw every character as this (secrets). */
  mask?: string;
  placeholder?: string;
  onValid: (value: string) => void;
}

/**
 * One text field with the flow's validation under it: the error shows once the user has typed or
 * tried to submit (not on an untouched field) and ⏎ does nothing while it stands.
 */
export function ValidatedField({ question, initial, mask, placeholder, onValid }: Props) {
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(false);
  const error = question.validate?.(value);

  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      <Box>
        <Text color={color.accent}>{glyph.field} </Text>
        <TextField
          value={value}
          mask={mask}
          placeholder={placeholder}
          onChange={(next) => {
            setValue(next);
            setTouched(true);
          }}
          onSubmit={(submitted) => {
            setTouched(true);
            if (question.validate?.(submitted) === undefined) onValid(submitted);
          }}
        />
      </Box>
      {/* Validation texts come from the flow and never echo a secret's value. */}
      <FieldError message={touched ? error : undefined} />
    </Box>
  );
}
