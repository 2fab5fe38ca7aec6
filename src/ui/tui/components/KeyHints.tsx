import { Box, Text } from 'ink';
import type { Binding } from '../keys.js';
import { color } from '../theme.js';

interface Props {
  bindings: readonly Binding[];
  /** Shown instead of keys when nothing can be pressed (e.g. while cancelling). */
  note?: string;
}

/** The bottom bar: `↑↓ move · ⏎ select · ctrl-c cancel`, built from the active bindings. */
export function KeyHints({ bindings, note }: Props) {
  const hints = bindings.flatMap((b) => (b.hint ? [b.hint] : []));
  return (
    <Box marginTop={1}>
      {hints.length === 0 ? (
        <Text color={color.muted}>{note ?? ''}</Text>
      ) : (
        <Text wrap="truncate-end">
          {note ? <Text color={color.muted}>{note} · </Text> : null}
          {hints.map((h, i) => (
            <Text key={`${h.keys}-${h.label}`}>
              {i > 0 ? <Text color={color.muted}> · </Text> : null}
              <Text bold>{h.keys}</Text>
              <Text color={color.muted}> {h.label}</Text>
            </Text>
          ))}
        </Text>
      )}
    </Box>
  );
}
