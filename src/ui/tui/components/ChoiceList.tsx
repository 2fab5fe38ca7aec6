import { Box, Text } from 'ink';
import type { Choice } from '../../../core/kernel/questions.js';
import { windowStart } from '../state/choice-cursor.js';
import { color, glyph, hintColor } from '../theme.js';

interface Props {
  choices: readonly Choice[];
  cursor: number;
  /** Live hints by value; they replace the choice's own hint. */
  hints?: Readonly<Record<string, string>>;
  maxVisible?: number;
}

/** The rows of a select or search: pointer, label, hint; disabled rows dimmed with their reason. */
export function ChoiceList({ choices, cursor, hints = {}, maxVisible = 10 }: Props) {
  const start = windowStart(choices.length, cursor, maxVisible);
  const shown = choices.slice(start, start + maxVisible);
  const width = Math.max(...shown.map((c) => c.label.length), 0);
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text color={color.muted}>  {glyph.more} {start} more above</Text> : null}
      {shown.map((choice, i) => {
        const active = start + i === cursor;
        const hint = hints[choice.value] ?? choice.hint;
        if (choice.disabled) {
          return (
            <Text key={choice.value} color={color.muted} wrap="truncate-end">
              {'  '}
              {choice.label.padEnd(width)}  ({choice.disabled})
            </Text>
          );
        }
        return (
          <Text key={choice.value} wrap="truncate-end">
            <Text color={color.accent}>{active ? `${glyph.pointer} ` : '  '}</Text>
            <Text bold={active} color={active ? color.accent : undefined}>
              {choice.label.padEnd(width)}
            </Text>
            {hint ? <Text color={hintColor(hint)}>  {hint}</Text> : null}
          </Text>
        );
      })}
      {start + maxVisible < choices.length ? (
        <Text color={color.muted}>  {glyph.more} {choices.length - start - maxVisible} more below</Text>
      ) : null}
    </Box>
  );
}
