import { Box, Text } from 'ink';
import { useElapsed } from '../hooks/useElapsed.js';
import type { LogView } from '../hooks/useLogBuffer.js';
import { color } from '../theme.js';

interface Props {
  log: LogView;
  /** How many of the newest lines fit (see planLiveArea). */
  rows: number;
  /** While true (its process still runs) the elapsed time keeps counting. */
  running: boolean;
}

/** The tail of a process's output, titled by its source: line count and elapsed time, then the last `rows` lines. */
export function LogPane({ log, rows, running }: Props) {
  const title = log.source ?? 'log';
  const seconds = useElapsed(log.firstAt, running ? undefined : log.lastAt);
  const lines = log.lines.slice(-rows);
  return (
    <Box flexDirection="column">
      <Text color={color.muted}>
        {title} · {log.total} {log.total === 1 ? 'line' : 'lines'} · {seconds}s
      </Text>
      <Box
        flexDirection="column"
        borderStyle="single"
        borderColor={color.muted}
        borderTop={false}
        borderRight={false}
        borderBottom={false}
        paddingLeft={1}
      >
        {lines.map((line, i) => (
          // Index keys are fine: the pane is redrawn as a whole on every flush.
          <Text key={i} wrap="truncate-end" color={line.stream === 'stderr' ? color.warn : undefined}>
            {line.text === '' ? ' ' : line.text}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
