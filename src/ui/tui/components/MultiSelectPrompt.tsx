import { Box, Text } from 'ink';
import { useState } from 'react';
import type { MultiSelectQuestion } from '../../../core/kernel/questions.js';
import { useKeyState } from '../hooks/useKeyState.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { PROMPT_KEYS } from '../keys.js';
import { initialCursor, moveCursor, windowStart } from '../state/choice-cursor.js';
import { color, glyph } from '../theme.js';
import { FieldError } from './FieldError.js';
import { PromptHeader } from './PromptHeader.js';
import type { ListPromptProps } from './prompt-props.js';
import { CHOICES_MAX, visibleChoices } from '../state/question-rows.js';

/** Several choices: space toggles the highlighted one, ⏎ takes what is ticked (at least `min`). */
export function MultiSelectPrompt({ question, onSubmit, choiceRows }: ListPromptProps<MultiSelectQuestion>) {
  const { choices } = question;
  const [cursor, setCursor, currentCursor] = useKeyState(() => initialCursor(choices));
  const [picked, setPicked, currentPicked] = useKeyState<ReadonlySet<string>>(() => new Set(question.default ?? []));
  const [error, setError] = useState<string>();
  const min = question.min ?? 0;

  useKeymap(PROMPT_KEYS.multiselect, {
    up: () => setCursor((c) => moveCursor(choices, c, -1)),
    down: () => setCursor((c) => moveCursor(choices, c, 1)),
    toggle: () => {
      const choice = choices[currentCursor()];
      if (!choice || choice.disabled) return;
      setError(undefined);
      const next = new Set(currentPicked());
      if (next.has(choice.value)) next.delete(choice.value);
      else next.add(choice.value);
      setPicked(next);
    },
    submit: () => {
      const chosen = choices.filter((c) => currentPicked().has(c.value));
      if (chosen.length < min) {
        setError(`pick at least ${min}`);
        return;
      }
      onSubmit(
        chosen.map((c) => c.value),
        chosen.length > 0 ? chosen.map((c) => c.label).join(', ') : 'none',
      );
    },
  });

  // No "… more" lines here, so the window takes the rows those would.
  const maxVisible = Math.min(CHOICES_MAX, visibleChoices(choices.length, choiceRows ?? Infinity) + (choices.length > (choiceRows ?? Infinity) ? 2 : 0));
  const start = windowStart(choices.length, cursor, maxVisible);
  const shown = choices.slice(start, start + maxVisible);
  const width = Math.max(0, ...shown.map((c) => c.label.length));
  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      {shown.map((choice, i) => {
        const active = start + i === cursor;
        const box = picked.has(choice.value) ? '[x]' : '[ ]';
        return (
          <Text key={choice.value} wrap="truncate-end" color={choice.disabled ? color.muted : undefined}>
            <Text color={color.accent}>{active ? `${glyph.pointer} ` : '  '}</Text>
            {box} <Text bold={active}>{choice.label.padEnd(width)}</Text>
            {choice.disabled ? <Text color={color.muted}>  ({choice.disabled})</Text> : choice.hint ? <Text color={color.muted}>  {choice.hint}</Text> : null}
          </Text>
        );
      })}
      <FieldError message={error} />
    </Box>
  );
}
