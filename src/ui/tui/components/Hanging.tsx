import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ThemeColor } from '../theme.js';

interface Props {
  /** Columns before the lead. */
  indent?: number;
  /** "✗ ", "→ ", "? ": drawn once, the text's wrapped rows start under the text, not under it. */
  lead?: ReactNode;
  tint?: ThemeColor;
  bold?: boolean;
  /** Cut to one row instead of wrapping (the live area, where rows are counted). */
  truncate?: boolean;
  children: ReactNode;
}

/** A line whose wrapped rows keep its indentation: `  ✗ a long text` continues under "a", never at column 0. */
export function Hanging({ indent = 0, lead, tint, bold, truncate, children }: Props) {
  if (truncate) {
    // One row: lead and text cut together at the width (a row of two boxes would let the text overflow).
    return (
      <Box paddingLeft={indent}>
        <Text color={tint} bold={bold} wrap="truncate-end">
          {lead}
          {children}
        </Text>
      </Box>
    );
  }
  return (
    <Box paddingLeft={indent}>
      {lead !== undefined ? (
        // Never shrunk: the text beside it gives up the columns, the lead keeps its space.
        <Box flexShrink={0}>
          <Text color={tint} bold={bold}>
            {lead}
          </Text>
        </Box>
      ) : null}
      <Text color={tint} bold={bold}>
        {children}
      </Text>
    </Box>
  );
}
