import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { Choice, SearchQuestion } from '../../../core/kernel/questions.js';
import { useKeyState } from '../hooks/useKeyState.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { PROMPT_KEYS } from '../keys.js';
import { initialCursor, moveCursor } from '../state/choice-cursor.js';
import { color, glyph } from '../theme.js';
import { ChoiceList } from './ChoiceList.js';
import { FieldError } from './FieldError.js';
import { PromptHeader } from './PromptHeader.js';
import type { ListPromptProps } from './prompt-props.js';
import { SEARCH_RESULTS_MAX, visibleChoices } from '../state/question-rows.js';
import { TextField } from './TextField.js';

/** Wait this long after the last key before asking `source` (e.g. the GitLab API). */
const SEARCH_DEBOUNCE_MS = 150;

type Status = { name: 'searching' } | { name: 'done' } | { name: 'failed'; message: string };

/**
 * Type to filter; each pause calls `source(term, signal)` and aborts the previous call.
 * ⏎ takes the highlighted result. With no result, a question that has `validate` accepts the
 * typed text itself (e.g. a full project path the search did not list).
 */
export function SearchPrompt({ question, onSubmit, choiceRows }: ListPromptProps<SearchQuestion>) {
  const [term, setTerm, currentTerm] = useKeyState(question.default ?? '');
  const [results, setResults] = useState<Choice[]>([]);
  const [cursor, setCursor, currentCursor] = useKeyState(-1);
  const [status, setStatus] = useState<Status>({ name: 'searching' });
  const [error, setError] = useState<string>();

  useEffect(() => {
    setStatus({ name: 'searching' });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      question.source(term, controller.signal).then(
        (choices) => {
          if (controller.signal.aborted) return;
          setResults(choices);
          setCursor(initialCursor(choices));
          setStatus({ name: 'done' });
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setStatus({ name: 'failed', message: e instanceof Error ? e.message : String(e) });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [term, question]);

  useKeymap(PROMPT_KEYS.search, {
    up: () => setCursor((c) => (c < 0 ? c : moveCursor(results, c, -1))),
    down: () => setCursor((c) => (c < 0 ? c : moveCursor(results, c, 1))),
    select: () => {
      const choice = results[currentCursor()];
      if (choice && !choice.disabled) {
        onSubmit(choice.value, choice.label);
        return;
      }
      const typed = currentTerm();
      if (!question.validate || typed === '') return;
      const invalid = question.validate(typed);
      if (invalid) setError(invalid);
      else onSubmit(typed, typed);
    },
  });

  return (
    <Box flexDirection="column">
      <PromptHeader question={question} />
      <Box>
        <Text color={color.accent}>{glyph.field} </Text>
        <TextField
          value={term}
          onChange={(next) => {
            setTerm(next);
            setError(undefined);
          }}
        />
      </Box>
      {status.name === 'searching' ? <Text color={color.muted}>searching…</Text> : null}
      {status.name === 'failed' ? (
        <Text color={color.error}>
          {glyph.failed} search failed: {status.message}
        </Text>
      ) : null}
      {status.name === 'done' && results.length === 0 ? <Text color={color.muted}>no matches</Text> : null}
      <ChoiceList choices={results} cursor={cursor} maxVisible={Math.min(SEARCH_RESULTS_MAX, visibleChoices(results.length, choiceRows ?? Infinity))} />
      <FieldError message={error} />
    </Box>
  );
}
