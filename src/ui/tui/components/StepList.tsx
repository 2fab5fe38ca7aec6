import { Box, Text, useAnimation } from 'ink';
import { activeMs, type LiveStep } from '../state/flow-reducer.js';
import { color, glyph } from '../theme.js';
import { Spinner } from './Spinner.js';

interface RowProps {
  step: LiveStep;
  /** Since when a question waits for the user (the timer stands still meanwhile). */
  waitingSince?: number;
}

function LiveStepRow({ step, waitingSince }: RowProps) {
  const ticking = step.status === 'running' && waitingSince === undefined;
  // One re-render a second on Ink's shared animation timer, and none while the timer stands still.
  useAnimation({ interval: 1000, isActive: ticking });
  if (step.status === 'stopped') {
    return (
      <Text color={color.warn} wrap="truncate-end">
        {glyph.stopped} {step.title} <Text color={color.muted}>(stopped)</Text>
      </Text>
    );
  }
  const seconds = Math.floor(activeMs(step, Date.now(), waitingSince) / 1000);
  return (
    <Text wrap="truncate-end">
      <Spinner /> {step.title} <Text color={color.muted}>{seconds}s</Text>
      {step.detail ? <Text color={color.muted}> · {step.detail}</Text> : null}
    </Text>
  );
}

interface Props {
  steps: LiveStep[];
  waitingSince?: number;
  /** Rows it may take (see planLiveArea): with fewer than the steps, the last row counts the others. */
  rows?: number;
}

/** Steps still in progress; finished ones have already moved to <Static>. */
export function StepList({ steps, waitingSince, rows = steps.length }: Props) {
  if (steps.length === 0 || rows <= 0) return null;
  const shown = rows >= steps.length ? steps : steps.slice(0, rows - 1);
  return (
    <Box flexDirection="column">
      {shown.map((step) => (
        <LiveStepRow key={step.id} step={step} waitingSince={waitingSince} />
      ))}
      {shown.length < steps.length ? (
        <Text color={color.muted}>
          {glyph.more} {steps.length - shown.length} more running
        </Text>
      ) : null}
    </Box>
  );
}
