import { Box, Text, useWindowSize } from 'ink';
import type { ReviewDiff, ReviewItem } from '../../../core/kernel/events.js';
import { REVIEW_COMMAND_TITLE } from '../../../core/kernel/events.js';
import { color, glyph } from '../theme.js';

interface Props {
  items: ReviewItem[];
  command: string;
  diffs?: ReviewDiff[];
  commandTitle?: string;
}

/** A diff line's colour: additions green, removals red, changed-object headers bold. */
function DiffLine({ line }: { line: string }) {
  const t = line.trimStart();
  if (t.startsWith('~ ')) return <Text bold>{line}</Text>;
  if (t.startsWith('@@')) return <Text color={color.muted}>{line}</Text>;
  if (t.startsWith('+')) return <Text color={color.ok}>{line}</Text>;
  if (t.startsWith('-')) return <Text color={color.error}>{line}</Text>;
  return <Text>{line}</Text>;
}

/** Everything about to happen, with warnings, and the exact helm command; the `review` select follows below. */
export function Review({ items, command, diffs, commandTitle }: Props) {
  const width = Math.max(0, ...items.map((i) => i.label.length));
  // An explicit width: in <Static>, rows of a label column and a wrapping value would otherwise size the box past the terminal.
  const { columns } = useWindowSize();
  return (
    <Box flexDirection="column" marginBottom={1} width={columns}>
      {/* Raw at column 0, no border: what is copied from the terminal is exactly the script. It comes first, so
          the table is what stands right above the decision, on screen even on a short terminal. */}
      <Box flexDirection="column" marginBottom={1}>
        <Text color={color.muted}>{commandTitle ?? REVIEW_COMMAND_TITLE}</Text>
        <Text>{command}</Text>
      </Box>
      <Text bold>Review</Text>
      {items.map((item) => (
        // The value (and its warning) wraps under the value column, not at column 0.
        <Box key={item.label} paddingLeft={2}>
          <Box flexShrink={0}>
            <Text color={color.muted}>{item.label.padEnd(width)}  </Text>
          </Box>
          <Text>
            {item.value}
            {item.warning ? (
              <Text color={color.warn}>
                {'  '}
                {glyph.warn} {item.warning}
              </Text>
            ) : null}
          </Text>
        </Box>
      ))}
      {(diffs ?? []).map((d) => (
        <Box key={d.title} flexDirection="column" marginTop={1}>
          <Text bold>{d.title}</Text>
          {d.lines.length === 0 ? <Text color={color.muted}>  (no change)</Text> : d.lines.map((l, i) => <DiffLine key={i} line={`  ${l}`} />)}
        </Box>
      ))}
    </Box>
  );
}
