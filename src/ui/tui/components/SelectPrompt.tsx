import { Box } from 'ink';
import { useEffect, useState } from 'react';
import type { SelectQuestion } from '../../../core/kernel/questions.js';
import { useKeyState } from '../hooks/useKeyState.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { PROMPT_KEYS } from '../keys.js';
import { initialCursor, moveCursor } from '../state/choice-cursor.js';
import { ChoiceList } from './ChoiceList.js';
import { PromptHeader } from './PromptHeader.js';
import type { ListPromptProps } from './prompt-props.js';
import { CHOICES_MAX, visibleChoices } from '../state/question-rows.js';

export function SelectPrompt({ question, onSubmit, choiceRows }: ListPromptProps<SelectQuestion>) {
  const { choices } = question;
  const [cursor, setCursor, currentCursor] = useKeyState(() => initialCursor(choices, question.default));
  const [hints, setHints] = useState<Record<string, string>>({});

  // Live hints (e.g. reachability probes) only while this question is on screen.
  useEffect(() => {
    if (!question.liveHints) return;
    let live = true;
    const unsubscribe = question.liveHints((value, hint) => {
      if (live) setHints((h) => ({ ...h, [value]: hint }));
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [question]);

  useKeymap(PROMPT_KEYS.select, {
    up: () => setCursor((c) => moveCursor(choices, c, -1)),
    down: () => setCursor((c) => moveCursor(choices, c, 1)),
    select: () => {
      const choice = choices[currentCursor()];
      if (choice && !choice.disabled) onSubmit(choice.value, choice.label);
    },
  });

  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      <ChoiceList choices={choices} cursor={cursor} hints={hints} maxVisible={Math.min(CHOICES_MAX, visibleChoices(choices.length, choiceRows ?? Infinity))} />
    </Box>
  );
}
