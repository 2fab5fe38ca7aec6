import { Box, Text, useWindowSize } from 'ink';
import type { Choice } from '../../../core/kernel/questions.js';
import { windowStart } from '../state/choice-cursor.js';
import { fitChoiceRow } from '../state/choice-row.js';
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
  const { columns } = useWindowSize();
  // The pointer takes two columns; one more stays free so a full row never wraps.
  const room = columns - 3;
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text color={color.muted}>  {glyph.more} {start} more above</Text> : null}
      {shown.map((choice, i) => {
        const active = start + i === cursor;
        if (choice.disabled) {
          const row = fitChoiceRow(choice.label, width, `(${choice.disabled})`, room);
          return (
            <Text key={choice.value} color={color.muted} wrap="truncate-end">
              {'  '}
              {row.label}  {row.hint}
            </Text>
          );
        }
        const row = fitChoiceRow(choice.label, width, hints[choice.value] ?? choice.hint, room);
        return (
          <Text key={choice.value} wrap="truncate-end">
            <Text color={color.accent}>{active ? `${glyph.pointer} ` : '  '}</Text>
            <Text bold={active} color={active ? color.accent : undefined}>
              {row.label}
            </Text>
            {row.hint ? <Text color={hintColor(row.hint)}>  {row.hint}</Text> : null}
            {row.mark ? (
              <Text color={hintColor(row.mark)}>
                {row.hint ? ' · ' : '  '}
                {row.mark}
              </Text>
            ) : null}
          </Text>
        );
      })}
      {start + maxVisible < choices.length ? (
        <Text color={color.muted}>  {glyph.more} {choices.length - start - maxVisible} more below</Text>
      ) : null}
    </Box>
  );
}
