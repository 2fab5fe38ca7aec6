import { Box, Text } from 'ink';
import { useElapsed } from '../hooks/useElapsed.js';
import type { LiveStep } from '../state/flow-reducer.js';
import { color, glyph } from '../theme.js';
import { Spinner } from './Spinner.js';

function LiveStepRow({ step }: { step: LiveStep }) {
  const seconds = useElapsed(step.startedAt, step.status === 'stopped' ? step.startedAt : undefined);
  if (step.status === 'stopped') {
    return (
      <Text color={color.warn}>
        {glyph.stopped} {step.title} <Text color={color.muted}>(stopped)</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      <Spinner /> {step.title} <Text color={color.muted}>{seconds}s</Text>
      {step.detail ? <Text color={color.muted}> · {step.detail}</Text> : null}
    </Text>
  );
}

/** Steps still in progress; finished ones have already moved to <Static>. */
export function StepList({ steps }: { steps: LiveStep[] }) {
  if (steps.length === 0) return null;
  return (
    <Box flexDirection="column">
      {steps.map((step) => (
        <LiveStepRow key={step.id} step={step} />
      ))}
    </Box>
  );
}
