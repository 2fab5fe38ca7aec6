import { Box, Text } from 'ink';
import type { ReviewItem } from '../../../core/kernel/events.js';
import { color, glyph } from '../theme.js';

interface Props {
  items: ReviewItem[];
  command: string;
}

/** Everything about to happen, with warnings, and the exact helm command; the `review` select follows below. */
export function Review({ items, command }: Props) {
  const width = Math.max(0, ...items.map((i) => i.label.length));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>Review</Text>
      {items.map((item) => (
        <Text key={item.label}>
          {'  '}
          <Text color={color.muted}>{item.label.padEnd(width)}</Text>  {item.value}
          {item.warning ? (
            <Text color={color.warn}>
              {'  '}
              {glyph.warn} {item.warning}
            </Text>
          ) : null}
        </Text>
      ))}
      <Box borderStyle="round" borderColor={color.muted} paddingX={1} marginTop={1}>
        <Text>{command}</Text>
      </Box>
    </Box>
  );
}
